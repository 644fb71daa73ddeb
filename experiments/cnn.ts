/**
 * Chapter 9: convolutional networks. LeNet-5 against a multilayer perceptron on MNIST, the
 * comparison that made the case for convolutions (LeCun, Bottou, Bengio & Haffner 1998).
 */

import { defineExperiment } from "../mod.ts";

export default defineExperiment({
  id: "cnn",
  chapter: 9,
  title: "LeNet-5 against a multilayer perceptron on MNIST",
  reproduces: {
    claim:
      "A convolutional network (LeNet-5) makes fewer errors on MNIST than fully connected networks " +
      "with more parameters: 0.95% test error against 2.95%-4.7% for the paper's MLPs and 1.6% for " +
      "Simard et al.'s 800-unit MLP trained with cross-entropy.",
    source:
      "LeCun et al. 1998, Gradient-based learning applied to document recognition, Proc. IEEE 86(11), " +
      "Fig. 9 and Table in Appendix C; Simard et al. 2003, ICDAR, Table 1",
    url: "https://doi.org/10.1109/5.726791",
  },
  kind: "fit",
  // Three seeds: enough for a mean and a spread, cheap enough to run on a CPU.
  seeds: [1, 2, 3],
  data: {
    kind: "mnist",
    trainSize: 60_000, // all of MNIST's training set, as the paper
    testSize: 10_000, // all of its test set
  },
  train: {
    epochs: 12, // both models have converged by then; the paper trained LeNet-5 for 20 passes
    batchSize: 64, // small batches generalise well on MNIST and keep steps cheap on a CPU
    optimizer: { kind: "adam", learningRate: 0.001 }, // Adam's default; stable for both models
    schedule: { kind: "exponential", factor: 0.85 }, // × 0.85 per epoch; the paper also lowered its rate
    readbackEvery: 200, // a loss point every 200 steps: a smooth curve, few device syncs
    evalBatchSize: 1000,
  },
  variants: [
    {
      name: "lenet5",
      label: "LeNet-5",
      // ReLU and max pooling modernise the paper's scaled tanh and trainable subsampling.
      settings: { model: { kind: "lenet5", activation: "relu", pooling: "max" } },
    },
    {
      name: "mlp",
      label: "MLP 784-800-10",
      // Simard et al. 2003's best plain MLP: one hidden layer of 800 units, cross-entropy.
      settings: { model: { kind: "mlp", hidden: [800], activation: "relu" } },
    },
  ],
  profiles: {
    // CI: a third of the training set, three epochs, one seed. Shows the gap in under a minute.
    ci: { "data.trainSize": 20_000, "train.epochs": 3, seeds: [1] },
    // Smoke: proves the pipeline end to end in seconds, on any backend.
    smoke: {
      "data.trainSize": 2_000,
      "data.testSize": 1_000,
      "train.epochs": 1,
      "train.readbackEvery": 10,
      seeds: [1],
    },
  },
  expect: [
    {
      variant: "lenet5",
      metric: "testErrorPercent",
      published: 0.95,
      source: "LeCun et al. 1998, Fig. 9 (LeNet-5, no distortions)",
      atMost: 1.2,
      profiles: { ci: { atMost: 3 }, smoke: { atMost: 30 } },
    },
    {
      variant: "mlp",
      metric: "testErrorPercent",
      published: 1.6,
      source: "Simard et al. 2003, Table 1 (MLP, 800 hidden units, cross-entropy, no distortions)",
      atMost: 2.5,
      profiles: { ci: { atMost: 5 }, smoke: { atMost: 25 } },
    },
    {
      // The comparison the experiment exists for: convolutions beat the fully connected net.
      kind: "beats",
      metric: "testErrorPercent",
      better: "lenet5",
      worse: "mlp",
      margin: 0.3,
      published: "LeNet-5 0.95 % against 1.6 % (Simard's MLP) and 2.95–4.7 % (LeCun's MLPs)",
      source: "LeCun et al. 1998, Fig. 9; Simard et al. 2003, Table 1",
      // Smoke trains LeNet-5 for one epoch on 2,000 images, too little for it to pull ahead.
      profiles: { ci: { margin: 0.5 }, smoke: { skip: true } },
    },
  ],
});
