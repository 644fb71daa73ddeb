/**
 * Chapter 9: what convolutions buy. Shared weights give LeNet-5 a tenth of an MLP's parameters
 * at better accuracy, local receptive fields and pooling make it robust to small shifts, and its
 * first layer learns stroke and edge detectors (LeCun, Bottou, Bengio & Haffner 1998). Then
 * pooling against strided convolution (Springenberg, Dosovitskiy, Brox & Riedmiller 2015).
 */

import { defineExperiment } from "../mod.ts";
import type { LayerSpecInput } from "../lib/models/layer_spec.ts";

/** All of MNIST, as LeCun et al. trained and tested. */
const MNIST = { kind: "mnist", trainSize: 60_000, testSize: 10_000 } as const;

/** One training recipe for every network of this file: the one experiments/cnn.ts uses. */
const TRAIN = {
  epochs: 6, // LeNet-5 is within 0.1 points of its best by then; the paper trained 20 passes
  batchSize: 64, // small batches generalise well on MNIST and keep steps cheap on a CPU
  optimizer: { kind: "adam", learningRate: 0.001 }, // Adam's default; stable for every model here
  schedule: { kind: "exponential", factor: 0.85 }, // × 0.85 per epoch, as the paper lowered its rate
  readbackEvery: 200, // a loss point every 200 steps
  evalBatchSize: 1000,
} as const;

/** LeNet-5 modernised as in experiments/cnn.ts: ReLU and max pooling. */
const LENET_5 = { kind: "lenet5", activation: "relu", pooling: "max" } as const;

const sharedWeights = defineExperiment({
  id: "convolution",
  chapter: 9,
  title: "Shared weights: LeNet-5's size, cost, robustness to shifts and filters against MLPs",
  reproduces: {
    claim: "Because a convolution shares its weights across positions, LeNet-5 needs about " +
      "60,000 parameters for 340,908 connections, and still makes fewer errors on MNIST than " +
      "fully connected networks with ten times more parameters; local receptive fields, shared " +
      "weights and subsampling make it less sensitive to shifts of the input; its first layer " +
      "learns local feature detectors.",
    source: "LeCun, Bottou, Bengio & Haffner 1998, Gradient-based learning applied to document " +
      "recognition, Proc. IEEE 86(11), §II.A–B and Fig. 9; Simard, Steinkraus & Platt 2003, " +
      "ICDAR, Table 1",
    url: "https://doi.org/10.1109/5.726791",
  },
  kind: "fit",
  seeds: [1, 2, 3], // three seeds: a mean and a spread for every comparison
  data: MNIST,
  train: TRAIN,
  // Every network reports its size and its error on shifted test digits.
  probes: [{ kind: "size" }, { kind: "shiftedTest", pixels: [0, 1, 2, 3, 4] }],
  variants: [
    {
      name: "lenet5",
      label: "LeNet-5",
      settings: {
        model: LENET_5,
        probes: [
          { kind: "size", layers: ["c1", "c3"], table: true },
          { kind: "shiftedTest", pixels: [0, 1, 2, 3, 4] },
          { kind: "filters", layer: "c1" }, // the six learned 5×5 kernels
          { kind: "featureMaps", layer: "c1", examples: 3, maps: 6 }, // what they detect
          { kind: "featureMaps", layer: "c3", examples: 2, maps: 16 }, // the second layer's maps
        ],
      },
    },
    {
      name: "mlp800",
      label: "MLP 784-800-10",
      // Simard et al. 2003's best plain MLP: ten times LeNet-5's parameters.
      settings: { model: { kind: "mlp", hidden: [800], activation: "relu" } },
    },
    {
      name: "mlp78",
      label: "MLP 784-78-10",
      // As many parameters as LeNet-5 (62,020 against 61,706), all of them used once per image.
      settings: { model: { kind: "mlp", hidden: [78], activation: "relu" } },
    },
  ],
  profiles: {
    // CI: a third of the training set, two epochs, a fifth of the test set. Shows every gap.
    ci: {
      "data.trainSize": 20_000,
      "data.testSize": 2_000,
      "train.epochs": 2,
      seeds: [1],
    },
    smoke: {
      "data.trainSize": 2_000,
      "data.testSize": 500,
      "train.epochs": 1,
      "train.readbackEvery": 10,
      seeds: [1],
    },
  },
  expect: [
    {
      variant: "lenet5",
      metric: "c1Parameters",
      published: 156,
      source: "LeCun et al. 1998, §II.B: C1 has 156 trainable parameters (6 kernels of 5×5 and " +
        "6 biases)",
      atLeast: 156,
      atMost: 156,
    },
    {
      variant: "lenet5",
      metric: "c1MultiplyAdds",
      // 122,304 connections = 28 × 28 × 6 outputs × (25 weights + 1 bias).
      published: 122_304 - 28 * 28 * 6,
      source: "LeCun et al. 1998, §II.B: C1 has 122,304 connections, of which the 4,704 to the " +
        "biases are not multiplications",
      atLeast: 117_600,
      atMost: 117_600,
    },
    {
      variant: "lenet5",
      metric: "parameters",
      published: 60_000,
      source: "LeCun et al. 1998, §II.B: about 60,000 trainable parameters (this LeNet-5 " +
        "connects all of C3 to S2 and has a softmax layer instead of RBF units: 61,706)",
      atLeast: 55_000,
      atMost: 65_000,
    },
    {
      // Weight sharing: each of LeNet-5's weights is used several times per image, an MLP's once.
      kind: "derived",
      name: "lenet5UsesPerWeight",
      quantity: {
        kind: "ratio",
        of: { variant: "lenet5", metric: "multiplyAdds" },
        to: { variant: "lenet5", metric: "parameters" },
      },
      published: 340_908 / 60_000,
      source: "LeCun et al. 1998, §II.B: 340,908 connections for about 60,000 parameters",
      atLeast: 5,
    },
    {
      kind: "derived",
      name: "mlpUsesPerWeight",
      quantity: {
        kind: "ratio",
        of: { variant: "mlp800", metric: "multiplyAdds" },
        to: { variant: "mlp800", metric: "parameters" },
      },
      published: 1,
      source: "a fully connected layer uses each weight once per input (biases are parameters " +
        "but not multiplications, so the ratio is just under 1)",
      atLeast: 0.99,
      atMost: 1,
    },
    {
      kind: "derived",
      name: "mlpParametersOverLenet5",
      quantity: {
        kind: "ratio",
        of: { variant: "mlp800", metric: "parameters" },
        to: { variant: "lenet5", metric: "parameters" },
      },
      published: 636_010 / 61_706,
      source: "Simard et al. 2003's 800-unit MLP against LeNet-5: about ten times the parameters",
      atLeast: 10,
    },
    {
      // ...and with a tenth of the parameters LeNet-5 is still the more accurate.
      kind: "beats",
      metric: "testErrorPercent",
      better: "lenet5",
      worse: "mlp800",
      margin: 0.3,
      published: "LeNet-5 0.95 % against 1.6 % for the 800-unit MLP",
      source: "LeCun et al. 1998, Fig. 9; Simard et al. 2003, Table 1",
      profiles: { ci: { margin: 0.2 }, smoke: { skip: true } },
    },
    {
      // The same parameter budget spent on one dense layer buys far less.
      kind: "beats",
      metric: "testErrorPercent",
      better: "lenet5",
      worse: "mlp78",
      margin: 1,
      published: "LeNet-5 0.95 % against 2.95 % for LeCun's 784-300-10 MLP (238,510 parameters)",
      source: "LeCun et al. 1998, Fig. 9",
      profiles: { ci: { margin: 0.5 }, smoke: { skip: true } },
    },
    {
      // Shifted digits: the MLP's error grows much faster than LeNet-5's.
      kind: "beats",
      better: { variant: "lenet5", metric: "shiftedTestErrorPercent2" },
      worse: { variant: "mlp800", metric: "shiftedTestErrorPercent2" },
      margin: 5,
      published: "convolutions with subsampling are less sensitive to shifts (no figure given)",
      source: "LeCun et al. 1998, §II.A: local receptive fields, shared weights and spatial " +
        "subsampling give some degree of shift invariance",
      profiles: { ci: { margin: 3 }, smoke: { skip: true } },
    },
    {
      kind: "beats",
      better: { variant: "lenet5", metric: "shiftedTestErrorPercent4" },
      worse: { variant: "mlp800", metric: "shiftedTestErrorPercent4" },
      margin: 10,
      published: "convolutions with subsampling are less sensitive to shifts (no figure given)",
      source: "LeCun et al. 1998, §II.A",
      profiles: { ci: { margin: 5 }, smoke: { skip: true } },
    },
  ],
  notes: [
    "No network sees shifted digits in training. The shifted test moves every test image by the " +
    "given number of pixels right, left, down and up (filling with background) and averages the " +
    "four errors.",
    "LeNet-5 here is the framework's modernised one (ReLU, max pooling, all 16 maps of C3 " +
    "connected to all 6 of S2, softmax output): its C3 has 2,416 parameters and 240,000 " +
    "multiply–adds where the paper's partial connection table has 1,516 and 151,600.",
    "Six epochs with Adam and a decaying rate, where the paper trained 20 passes with stochastic " +
    "diagonal Levenberg–Marquardt.",
  ],
});

/** LeNet-5's layers with each 2×2 max pooling replaced by `downsample(name, filters)`. */
function lenet5Downsampled(
  downsample: (name: string, filters: number) => LayerSpecInput[],
): { kind: "layers"; layers: LayerSpecInput[] } {
  const conv = (name: string, filters: number, padding: "same" | "valid"): LayerSpecInput => ({
    kind: "conv",
    name,
    filters,
    kernel: 5,
    padding,
    activation: "relu",
  });
  const dense = (name: string, units: number): LayerSpecInput => ({
    kind: "dense",
    name,
    units,
    activation: "relu",
  });
  return {
    kind: "layers",
    layers: [
      conv("c1", 6, "same"),
      ...downsample("s2", 6),
      conv("c3", 16, "valid"),
      ...downsample("s4", 16),
      { kind: "flatten", name: "flatten" },
      dense("c5", 120),
      dense("f6", 84),
      { kind: "dense", name: "logits", units: 10 },
    ],
  };
}

const poolingAgainstStride = defineExperiment({
  id: "pooling-stride",
  chapter: 9,
  title: "Max pooling against strided convolution in LeNet-5",
  reproduces: {
    claim: "Max pooling can be replaced by a convolution with stride 2 without loss in accuracy " +
      "(All-CNN); dropping the pooling and striding the convolutions themselves (Strided-CNN) " +
      "saves most of their multiply–adds at little cost in accuracy.",
    source: "Springenberg, Dosovitskiy, Brox & Riedmiller 2015, Striving for simplicity: the all " +
      "convolutional net, ICLR workshop, abstract, §3.1 and Table 3 (models A–C on CIFAR-10)",
    url: "https://arxiv.org/abs/1412.6806",
  },
  kind: "fit",
  seeds: [1, 2, 3],
  data: MNIST,
  train: TRAIN,
  probes: [{ kind: "size" }],
  variants: [
    {
      name: "max-pool",
      label: "LeNet-5, 2×2 max pooling",
      settings: { model: LENET_5 },
    },
    {
      name: "all-conv",
      label: "pooling replaced by 3×3 convolutions with stride 2",
      // Springenberg et al.'s All-CNN: a learned downsampling layer where the pooling was.
      settings: {
        model: lenet5Downsampled((name, filters) => [{
          kind: "conv",
          name,
          filters,
          kernel: 3,
          stride: 2,
          padding: "same",
          activation: "relu",
        }]),
      },
    },
    {
      name: "strided-conv",
      label: "no pooling, C1 and C3 with stride 2",
      // Their Strided-CNN: the layer before each pooling strides instead; same parameters.
      settings: {
        model: {
          kind: "layers",
          layers: [
            {
              kind: "conv",
              name: "c1",
              filters: 6,
              kernel: 5,
              stride: 2,
              padding: "same",
              activation: "relu",
            },
            {
              kind: "conv",
              name: "c3",
              filters: 16,
              kernel: 5,
              stride: 2,
              padding: "valid",
              activation: "relu",
            },
            { kind: "flatten", name: "flatten" },
            { kind: "dense", name: "c5", units: 120, activation: "relu" },
            { kind: "dense", name: "f6", units: 84, activation: "relu" },
            { kind: "dense", name: "logits", units: 10 },
          ],
        },
      },
    },
  ],
  profiles: {
    ci: { "data.trainSize": 20_000, "data.testSize": 2_000, "train.epochs": 2, seeds: [1] },
    smoke: {
      "data.trainSize": 2_000,
      "data.testSize": 500,
      "train.epochs": 1,
      "train.readbackEvery": 10,
      seeds: [1],
    },
  },
  expect: [
    {
      // "Without loss in accuracy": the learned downsampling matches max pooling.
      kind: "derived",
      name: "allConvMinusMaxPool",
      quantity: {
        kind: "difference",
        of: { variant: "all-conv", metric: "testErrorPercent" },
        minus: { variant: "max-pool", metric: "testErrorPercent" },
      },
      published: 0,
      source: "Springenberg et al. 2015, abstract: max-pooling can simply be replaced by a " +
        "convolutional layer with increased stride without loss in accuracy",
      atLeast: -0.3,
      atMost: 0.3,
      profiles: { ci: { atLeast: -1, atMost: 1 }, smoke: { skip: true } },
    },
    {
      kind: "derived",
      name: "stridedMinusMaxPool",
      quantity: {
        kind: "difference",
        of: { variant: "strided-conv", metric: "testErrorPercent" },
        minus: { variant: "max-pool", metric: "testErrorPercent" },
      },
      source: "Springenberg et al. 2015, Table 3: the Strided-CNN variants are a little worse " +
        "than their base models, by under a point of CIFAR-10 error",
      atLeast: -0.3,
      atMost: 1,
      profiles: { ci: { atLeast: -1, atMost: 1.5 }, smoke: { skip: true } },
    },
    {
      // Striding the convolutions skips three quarters of their positions.
      kind: "derived",
      name: "stridedMultiplyAddsFraction",
      quantity: {
        kind: "ratio",
        of: { variant: "strided-conv", metric: "multiplyAdds" },
        to: { variant: "max-pool", metric: "multiplyAdds" },
      },
      source: "a stride of 2 in both directions computes a quarter of the positions; the dense " +
        "layers' share is unchanged",
      atMost: 0.4,
    },
  ],
  notes: [
    "Springenberg et al. compare on CIFAR-10 and CIFAR-100 with much larger networks; this is " +
    "the same substitution in LeNet-5 on MNIST, trained with the recipe of the convolution " +
    "experiment.",
  ],
});

export default [sharedWeights, poolingAgainstStride];
