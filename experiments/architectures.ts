/**
 * Chapter 12: architectures. Plain against residual networks as they get deeper (He, Zhang, Ren
 * & Sun 2016), batch normalisation inside residual blocks (Ioffe & Szegedy 2015), an autoencoder
 * with a 2-D code against PCA (Hinton & Salakhutdinov 2006), and the classic ImageNet
 * architectures' size, cost and error over the years (shared with chapter 1).
 */

import { defineExperiment } from "../mod.ts";
import type { LayerSpecInput } from "../lib/models/layer_spec.ts";

/**
 * He et al.'s CIFAR-10 networks scaled to what two CPU cores train in minutes: 8, 16 and 32
 * filters in the three stages (theirs: 16, 32, 64) and a stride-2 first convolution, so the
 * stages work on 14×14, 7×7 and 4×4 maps of a 28×28 digit.
 */
const SMALL_RESNET = {
  kind: "resnet" as const,
  depth: 20,
  widths: [8, 16, 32] as [number, number, number],
  stemStride: 2,
  batchNorm: false,
};

/** The same data and optimiser for both training studies: the effect is on training error. */
const TRAINING_STUDY = {
  kind: "fit" as const,
  evaluate: {
    splits: ["train", "test"] as ("train" | "test")[],
    metrics: ["loss", "errorPercent"] as ("loss" | "errorPercent")[],
  },
};

const TRAIN = {
  batchSize: 64,
  // Adam's default for every network. He et al. used SGD with momentum; at learning rates 0.01
  // to 0.05 it left even the 8-layer nets near chance after 80 steps here (Glorot
  // initialisation, no batch norm), too slow for a CPU budget.
  optimizer: { kind: "adam", learningRate: 0.001 },
  readbackEvery: 8, // a loss point every 8 steps: the curves are the result here
  evalBatchSize: 500,
} as const;

const residualDepth = defineExperiment({
  id: "residual-depth",
  chapter: 12,
  title: "Plain against residual networks at growing depth",
  reproduces: {
    claim: "Stacking more layers makes a plain network's training error higher, not lower " +
      "(the degradation problem); the same layers with identity shortcuts train as well or " +
      "better as they get deeper.",
    source: "He, Zhang, Ren & Sun 2016, Deep residual learning for image recognition, CVPR, " +
      "§4.2 and Fig. 6 (plain-20 to plain-56 and ResNet-20 to ResNet-110 on CIFAR-10)",
    url: "https://arxiv.org/abs/1512.03385",
  },
  ...TRAINING_STUDY,
  seeds: [1, 2],
  data: { kind: "mnist", trainSize: 2_000, testSize: 2_000 }, // a subset: training error is the point
  model: SMALL_RESNET,
  train: { ...TRAIN, epochs: 5 }, // 160 steps
  variants: [
    { name: "plain", label: "plain", settings: { model: { shortcuts: "none" } } },
    { name: "residual", label: "residual", settings: { model: { shortcuts: "identity" } } },
  ],
  sweeps: [{
    name: "depth",
    label: "Layers with weights",
    variants: ["plain", "residual"],
    grid: { "model.depth": [8, 20, 32] }, // He et al.'s 6n + 2 with n = 1, 3, 5
  }],
  profiles: {
    ci: { "data.trainSize": 1_000, "data.testSize": 500, "train.epochs": 3, seeds: [1] },
    smoke: {
      "data.trainSize": 256,
      "data.testSize": 256,
      "train.epochs": 1,
      seeds: [1],
    },
  },
  expect: [
    {
      // The degradation problem: the deeper plain network fits its training set worse.
      kind: "beats",
      metric: "trainErrorPercent",
      better: "plain-8",
      worse: "plain-32",
      margin: 20,
      published: "plain-56 has higher training error than plain-20 throughout training",
      source: "He et al. 2016, Fig. 1 and Fig. 6 (left)",
      profiles: { ci: { margin: 5 }, smoke: { skip: true } },
    },
    {
      // Every 6 layers more cost the plain network training error: a positive slope.
      kind: "derived",
      name: "plainErrorPerLayer",
      quantity: { kind: "slope", metric: "trainErrorPercent", sweep: "depth", template: "plain" },
      source: "He et al. 2016, Fig. 6 (left): training error rises with depth, plain-20 < " +
        "plain-32 < plain-44 < plain-56",
      atLeast: 1,
      profiles: { ci: { atLeast: 0.2 }, smoke: { skip: true } },
    },
    {
      kind: "derived",
      name: "residualErrorPerLayer",
      quantity: {
        kind: "slope",
        metric: "trainErrorPercent",
        sweep: "depth",
        template: "residual",
      },
      source: "He et al. 2016, Fig. 6 (middle): the ResNets' training error falls with depth " +
        "(here: does not rise by more than a point over the 24 extra layers)",
      atMost: 0.04,
      profiles: { ci: { atMost: 0.2 }, smoke: { skip: true } },
    },
    {
      // With shortcuts, depth does not hurt: ResNet-32 fits at least as well as ResNet-8.
      kind: "derived",
      name: "residualDeepMinusShallow",
      quantity: {
        kind: "difference",
        of: { variant: "residual-32", metric: "trainErrorPercent" },
        minus: { variant: "residual-8", metric: "trainErrorPercent" },
      },
      published: 0,
      source: "He et al. 2016, Fig. 6 (middle): the deeper ResNets have lower training error " +
        "(here: not higher by more than a point)",
      atMost: 1,
      profiles: { ci: { atMost: 5 }, smoke: { skip: true } },
    },
    {
      kind: "beats",
      metric: "trainErrorPercent",
      better: "residual-32",
      worse: "plain-32",
      margin: 30,
      published: "ResNet-32 trains where plain-32 does not",
      source: "He et al. 2016, Fig. 6 (left and middle)",
      profiles: { ci: { margin: 10 }, smoke: { skip: true } },
    },
  ],
  notes: [
    "He et al. train on CIFAR-10 for 64,000 steps of 128 images with SGD, momentum 0.9, weight " +
    "decay and batch normalisation, 16 to 64 filters and 20 to 110 layers. Here: the first 2,000 " +
    "MNIST training digits, 160 steps of 64 with Adam, no batch normalisation (the next " +
    "experiment adds it), 8 to 32 filters, a stride-2 first convolution, and 1×1 projections " +
    "where the shape changes (their option B). The shapes of the result are theirs; the numbers " +
    "are not comparable.",
    "Without batch normalisation the plain networks' forward signal shrinks with depth under " +
    "Glorot initialisation (each ReLU layer halves its variance), which is part of why plain-32 " +
    "barely trains here; He et al. rule that cause out with batch normalisation, and the " +
    "residual-batch-norm experiment shows that with it the residual network still trains faster.",
    "Training error is measured on all 2,000 training digits in inference mode after the last " +
    "epoch.",
  ],
});

const batchNormInResidualBlocks = defineExperiment({
  id: "residual-batch-norm",
  chapter: 12,
  title: "Batch normalisation inside plain and residual blocks",
  reproduces: {
    claim: "Batch normalisation after every convolution lets a deep plain network train and " +
      "speeds up a residual one; with it in both, the residual network still reaches a lower " +
      "training error than the plain one of the same depth.",
    source:
      "Ioffe & Szegedy 2015, Batch normalization, ICML, §4.2; He et al. 2016, §3.4 and §4.1 " +
      "(BN after each convolution; plain nets with BN still degrade)",
    url: "https://arxiv.org/abs/1502.03167",
  },
  ...TRAINING_STUDY,
  seeds: [1, 2],
  data: { kind: "mnist", trainSize: 1_000, testSize: 1_000 },
  model: SMALL_RESNET, // 20 layers
  train: { ...TRAIN, epochs: 6 }, // 96 steps
  variants: [
    { name: "plain", label: "plain", settings: { model: { shortcuts: "none" } } },
    {
      name: "plain-bn",
      label: "plain, batch norm",
      settings: { model: { shortcuts: "none", batchNorm: true } },
    },
    { name: "residual", label: "residual", settings: { model: { shortcuts: "identity" } } },
    {
      name: "residual-bn",
      label: "residual, batch norm",
      settings: { model: { shortcuts: "identity", batchNorm: true } },
    },
  ],
  profiles: {
    ci: { "data.testSize": 500, "train.epochs": 3, seeds: [1] }, // 48 steps
    smoke: { "data.trainSize": 256, "data.testSize": 256, "train.epochs": 1, seeds: [1] },
  },
  expect: [
    {
      kind: "beats",
      metric: "trainLoss",
      better: "plain-bn",
      worse: "plain",
      margin: 0.5,
      published: "with batch normalisation, networks that would not train start to converge",
      source: "Ioffe & Szegedy 2015, §4.2; He et al. 2016, §1 (normalisation layers let networks " +
        "with tens of layers start converging)",
      profiles: { ci: { margin: 0.3 }, smoke: { skip: true } },
    },
    {
      kind: "beats",
      metric: "trainLoss",
      better: "residual-bn",
      worse: "residual",
      margin: 0.2,
      published: "batch normalisation reaches the same accuracy in far fewer steps (14 times " +
        "fewer for Inception)",
      source: "Ioffe & Szegedy 2015, §4.2.2 and Fig. 2",
      profiles: { ci: { margin: 0.1 }, smoke: { skip: true } },
    },
    {
      kind: "beats",
      metric: "trainLoss",
      better: "residual-bn",
      worse: "plain-bn",
      margin: 0.3,
      published: "with batch normalisation in both, the residual network's training error stays " +
        "below the plain network's",
      source: "He et al. 2016, §4.1 and Fig. 4 (plain-34 against ResNet-34, both with BN)",
      profiles: { ci: { margin: 0.2 }, smoke: { skip: true } },
    },
  ],
  notes: [
    "Batch normalisation follows every convolution and precedes its ReLU (He et al. §3.4); the " +
    "convolutions then have no bias. Its running statistics use momentum 0.9 (PyTorch's " +
    "default), so that they follow a short run. The networks are those of the residual-depth " +
    "experiment at 20 layers, trained for 96 steps on the first 1,000 training digits.",
    "The comparisons use trainLoss, the mean training-mode loss over the last epoch's steps, as " +
    "He et al.'s and Ioffe & Szegedy's training curves do: in the first hundred steps the " +
    "running statistics that inference mode uses still lag behind the changing weights, which " +
    "would charge batch normalisation for its bookkeeping rather than its training.",
    "On the wasm backend a batch-normalised step costs about three times a plain one: tfjs " +
    "computes batch normalisation's gradient from a dozen element-wise operations.",
  ],
});

/** A 2-D code, with ReLU layers around it as in Keras's and Hinton & Salakhutdinov's examples. */
function autoencoder(
  activation: "relu" | "linear",
): { kind: "layers"; layers: LayerSpecInput[] } {
  const dense = (name: string, units: number): LayerSpecInput => ({
    kind: "dense",
    name,
    units,
    activation,
  });
  return {
    kind: "layers",
    layers: [
      { kind: "flatten", name: "flatten" },
      dense("encoder_1", 256),
      dense("encoder_2", 64),
      { kind: "dense", name: "code", units: 2, activation: "linear" },
      dense("decoder_1", 64),
      dense("decoder_2", 256),
      {
        kind: "dense",
        name: "reconstruction",
        units: 784,
        // Pixels lie in [0, 1]; the linear autoencoder stays linear throughout, as PCA.
        activation: activation === "relu" ? "sigmoid" : "linear",
      },
    ],
  };
}

const autoencoders = defineExperiment({
  id: "autoencoder",
  chapter: 12,
  title: "An autoencoder with a 2-D code against PCA on MNIST",
  reproduces: {
    claim: "A deep autoencoder reconstructs digits from a 2-D code with less error than PCA " +
      "with two components, and its code separates the classes better; an autoencoder without " +
      "nonlinearities learns PCA's subspace and no more.",
    source: "Hinton & Salakhutdinov 2006, Reducing the dimensionality of data with neural " +
      "networks, Science 313, Figs. 2–3; Baldi & Hornik 1989, Neural Networks 2(1)",
    url: "https://doi.org/10.1126/science.1127647",
  },
  kind: "fit",
  seeds: [1, 2],
  data: { kind: "mnist", target: "image", trainSize: 20_000, testSize: 10_000 },
  loss: "mse", // the error per pixel, the same measure as PCA's
  train: {
    epochs: 10,
    batchSize: 128,
    optimizer: { kind: "adam", learningRate: 0.001 },
    readbackEvery: 50,
    evalBatchSize: 1000,
  },
  variants: [
    {
      name: "deep",
      label: "784-256-64-2-64-256-784, ReLU",
      settings: {
        model: autoencoder("relu"),
        probes: [
          { kind: "pcaBaseline", components: 2 }, // PCA with as many numbers per digit
          { kind: "reconstructions", examples: 8 },
          { kind: "latent", layer: "code", examples: 2000 },
        ],
      },
    },
    {
      name: "linear",
      label: "the same layers, all linear",
      settings: {
        model: autoencoder("linear"),
        probes: [
          { kind: "pcaBaseline", components: 2 },
          { kind: "latent", layer: "code", examples: 2000 },
        ],
      },
    },
  ],
  profiles: {
    ci: { "data.testSize": 2_000, "train.epochs": 3, seeds: [1] },
    smoke: {
      "data.trainSize": 1_000,
      "data.testSize": 500,
      "train.epochs": 1,
      "train.readbackEvery": 5,
      seeds: [1],
    },
  },
  expect: [
    {
      kind: "beats",
      better: { variant: "deep", metric: "testLoss" },
      worse: { variant: "deep", metric: "pcaTestMse" },
      margin: 0.005,
      published: "the deep autoencoder's reconstructions are better than PCA's with the same " +
        "code size",
      source: "Hinton & Salakhutdinov 2006, Fig. 2 and text (MNIST, 30-D codes); Fig. 3 (2-D " +
        "codes)",
      profiles: { ci: { margin: 0.002 }, smoke: { skip: true } },
    },
    {
      // Baldi & Hornik: a linear autoencoder's best is PCA's projection; training gets there.
      kind: "derived",
      name: "linearOverPca",
      quantity: {
        kind: "ratio",
        of: { variant: "linear", metric: "testLoss" },
        to: { variant: "linear", metric: "pcaTestMse" },
      },
      published: 1,
      source: "Baldi & Hornik 1989: the linear autoencoder's optimum spans the principal " +
        "subspace, so its error cannot beat PCA's on the training set and matches it at best",
      atLeast: 0.98,
      atMost: 1.05,
      profiles: { ci: { atLeast: 0.98, atMost: 1.2 }, smoke: { skip: true } },
    },
  ],
  notes: [
    "Hinton & Salakhutdinov pre-trained a 784-1000-500-250-2 network with restricted Boltzmann " +
    "machines and fine-tuned it; this one is smaller and trained from a random start with Adam, " +
    "which works as well for so small a code.",
    "PCA's components come from the exact covariance of the same training digits; both errors " +
    "are mean squared errors per pixel on the test digits, pixels in [0, 1].",
  ],
});

const modelZoo = defineExperiment({
  id: "model-zoo",
  chapter: 12,
  title: "The classic ImageNet architectures: parameters, multiply–adds and error over the years",
  reproduces: {
    claim: "From AlexNet to VGG-16 parameters and multiply–adds grew while the error fell; " +
      "GoogLeNet, ResNet and MobileNet then cut both, ResNet-50 computing a quarter of VGG-16's " +
      "multiply–adds with a fifth of its parameters.",
    source: "Krizhevsky et al. 2012; Simonyan & Zisserman 2015; Szegedy et al. 2015; He et al. " +
      "2016, Table 1 and §4.1; Howard et al. 2017, Table 8; the Keras and torchvision model tables",
    url: "https://arxiv.org/abs/1512.03385",
  },
  kind: "compute",
  seeds: [1], // nothing is random
  analysis: { kind: "modelZoo", tables: "data" },
  variants: [{ name: "zoo", label: "Model zoo" }],
  // Counting takes milliseconds: every profile counts everything.
  profiles: { ci: {}, smoke: {} },
  expect: [
    {
      variant: "zoo",
      metric: "alexnetMultiplyAdds",
      published: 0.71e9,
      source: "torchvision model table: 0.71 GFLOPS (multiply–adds)",
      atLeast: 0.71e9 * 0.98,
      atMost: 0.71e9 * 1.02,
    },
    {
      variant: "zoo",
      metric: "vgg16MultiplyAdds",
      published: 15.47e9,
      source: "torchvision model table: 15.47 GFLOPS (multiply–adds); He et al. 2016 quote 15.3 " +
        "billion",
      atLeast: 15.47e9 * 0.98,
      atMost: 15.47e9 * 1.02,
    },
    {
      variant: "zoo",
      metric: "googlenetMultiplyAdds",
      published: 1.5e9,
      source: "Szegedy et al. 2015, §5: about 1.5 billion multiply–adds",
      atLeast: 1.5e9 * 0.95,
      atMost: 1.5e9 * 1.05,
    },
    {
      variant: "zoo",
      metric: "resnet18MultiplyAdds",
      published: 1.8e9,
      source: "He et al. 2016, Table 1: 1.8 × 10^9 FLOPs (multiply–adds)",
      atLeast: 1.8e9 * 0.98,
      atMost: 1.8e9 * 1.02,
    },
    {
      variant: "zoo",
      metric: "resnet50MultiplyAdds",
      published: 3.8e9,
      source: "He et al. 2016, Table 1: 3.8 × 10^9 FLOPs (multiply–adds)",
      atLeast: 3.8e9 * 0.97,
      atMost: 3.8e9 * 1.03,
    },
    {
      variant: "zoo",
      metric: "mobilenetv1MultiplyAdds",
      published: 569e6,
      source: "Howard et al. 2017, Table 8: 569 million mult-adds",
      atLeast: 569e6 * 0.99,
      atMost: 569e6 * 1.01,
    },
    {
      kind: "derived",
      name: "vgg16OverResnet50MultiplyAdds",
      quantity: {
        kind: "ratio",
        of: { variant: "zoo", metric: "vgg16MultiplyAdds" },
        to: { variant: "zoo", metric: "resnet50MultiplyAdds" },
      },
      published: 15.3 / 3.8,
      source: "He et al. 2016, §4.1 and Table 1: ResNet-50 3.8 billion FLOPs against VGG-16's " +
        "15.3 billion",
      atLeast: 3.8,
      atMost: 4.3,
    },
    {
      kind: "derived",
      name: "resnet50OverVgg16Parameters",
      quantity: {
        kind: "ratio",
        of: { variant: "zoo", metric: "resnet50Parameters" },
        to: { variant: "zoo", metric: "vgg16Parameters" },
      },
      published: 25_636_712 / 138_357_544,
      source: "Keras Applications: ResNet50 25,636,712 and VGG16 138,357,544 parameters",
      atMost: 0.2,
    },
  ],
  notes: [
    "Counts come from each architecture's layers in lib/models/architectures.ts (the same code " +
    "and data as the history chapter); the published errors from data/ilsvrc.yaml and the " +
    "architectures' papers. Multiply–adds are per image at the architecture's input size.",
  ],
});

export default [residualDepth, batchNormInResidualBlocks, autoencoders, modelZoo];
