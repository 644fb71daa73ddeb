/**
 * Chapter 7: regularization. On a small MNIST training set, where a large network overfits,
 * L2 weight decay, dropout, early stopping and data augmentation against no regularization; at
 * full data, dropout against the same network without it (Srivastava et al. 2014).
 */

import { defineExperiment } from "../mod.ts";

/**
 * A ReLU network on flattened images, optionally with dropout on its inputs and after each hidden
 * layer (Srivastava et al. 2014's placement). Its dense layers have the same names with and
 * without dropout, so a variant with dropout starts from the same weights as one without.
 */
const network = (hidden: number[], dropout?: { input: number; hidden: number }) => ({
  kind: "layers" as const,
  layers: [
    { kind: "flatten" as const, name: "flatten" },
    ...(dropout ? [{ kind: "dropout" as const, name: "dropout_input", rate: dropout.input }] : []),
    ...hidden.flatMap((units, i) => [
      { kind: "dense" as const, name: `hidden_${i + 1}`, units, activation: "relu" as const },
      ...(dropout
        ? [{ kind: "dropout" as const, name: `dropout_${i + 1}`, rate: dropout.hidden }]
        : []),
    ]),
    { kind: "dense" as const, name: "logits", units: 10 },
  ],
});

/** Srivastava et al. 2014's rates: 20 % of the pixels, 50 % of the hidden units. */
const SRIVASTAVA_DROPOUT = { input: 0.2, hidden: 0.5 };

/** Two hidden layers of 512: 670,000 weights for 2,000 images, plenty to memorise them. */
const SMALL_HIDDEN = [512, 512];

const smallData = defineExperiment({
  id: "regularization",
  chapter: 7,
  title: "Regularization on 2,000 MNIST images: weight decay, dropout, early stopping, shifts",
  reproduces: {
    claim: "Trained on few examples, a large network fits its training set perfectly while its " +
      "test error stays high: it overfits. Regularization trades some of that fit for " +
      "generalization: augmenting the data with small shifts and dropout lower the test error " +
      "most; an L2 penalty on the weights and early stopping on a validation set lower the " +
      "test loss (less confident wrong answers), with little change in the test error here.",
    source: "Goodfellow, Bengio & Courville 2016, Deep Learning, §7.1 (parameter norm " +
      "penalties), §7.4 (dataset augmentation), §7.8 (early stopping), §7.12 (dropout); " +
      "Srivastava et al. 2014, Dropout, JMLR 15, §7.4 and Fig. 10 (dropout on MNIST subsets of " +
      "100 to 50,000 images); Simard et al. 2003 (shifted and distorted training images)",
    url: "https://www.deeplearningbook.org/contents/regularization.html",
  },
  kind: "fit",
  seeds: [1, 2, 3],
  data: {
    kind: "mnist",
    trainSize: 2_000, // few enough that 784-512-512-10 fits every one of them
    validationSize: 2_000, // the next 2,000 training images: early stopping reads only these
    testSize: 10_000,
  },
  model: network(SMALL_HIDDEN),
  train: {
    epochs: 30, // the unregularized network reaches zero training error by about epoch 15
    batchSize: 64,
    // SGD with momentum, as Srivastava et al.: with Adam, an L2 term in the loss is not weight
    // decay (Loshchilov & Hutter 2019), and here it made training unstable.
    optimizer: { kind: "momentum", learningRate: 0.02, momentum: 0.9 }, // a constant rate
    readbackEvery: 32, // once per epoch (32 steps of 64 images)
    evalBatchSize: 2000,
  },
  // The training split is evaluated without dropout or shifts: the gap curves compare like with like.
  evaluate: { splits: ["train", "validation", "test"] },
  variants: [
    { name: "none", label: "no regularization" },
    {
      name: "weight-decay",
      label: "L2 weight decay",
      settings: { train: { weightDecay: 0.003 } }, // λ: the loss gains λ Σ w² over the kernels
    },
    {
      name: "dropout",
      label: "dropout (20 % inputs, 50 % hidden)",
      settings: { model: network(SMALL_HIDDEN, SRIVASTAVA_DROPOUT) },
    },
    {
      name: "early-stopping",
      label: "early stopping",
      // Stop when the validation loss has not improved for 5 epochs; keep the best epoch's weights.
      settings: { train: { earlyStopping: { metric: "loss", patience: 5 } } },
    },
    {
      name: "shifts",
      label: "shifted images (±2 pixels)",
      settings: { train: { augment: { kind: "shift", pixels: 2 } } },
    },
  ],
  profiles: {
    // CI: 1,000 images in batches of 32 for 20 epochs: the unregularized network still fits
    // them all, and the curves separate.
    ci: {
      "data.trainSize": 1_000,
      "data.validationSize": 1_000,
      "data.testSize": 2_000,
      "train.batchSize": 32,
      "train.epochs": 20,
      "train.readbackEvery": 32,
      seeds: [1],
    },
    smoke: {
      "data.trainSize": 300,
      "data.validationSize": 300,
      "data.testSize": 500,
      "train.epochs": 2,
      "train.readbackEvery": 5,
      seeds: [1],
    },
  },
  expect: [
    {
      kind: "derived",
      name: "unregularizedGap",
      quantity: {
        kind: "difference",
        of: { variant: "none", metric: "testErrorPercent" },
        minus: { variant: "none", metric: "trainErrorPercent" },
      },
      source: "Goodfellow et al. 2016, §5.2 and §7: a network with far more weights than " +
        "examples fits its training set and errs on new data; measured here",
      atLeast: 8,
      profiles: { smoke: { skip: true } },
    },
    {
      kind: "beats",
      metric: "testErrorPercent",
      better: "dropout",
      worse: "none",
      margin: 1,
      published: "dropout lowers the test error of networks trained on 1,000 or more MNIST " +
        "images (Srivastava et al. 2014, Fig. 10)",
      source: "Srivastava et al. 2014, §7.4 and Fig. 10",
      profiles: { smoke: { skip: true } },
    },
    {
      kind: "beats",
      metric: "testErrorPercent",
      better: "shifts",
      worse: "none",
      margin: 2,
      published: "training on shifted copies of the images lowers the test error",
      source: "Goodfellow et al. 2016, §7.4; Simard et al. 2003",
      profiles: { smoke: { skip: true } },
    },
    {
      kind: "beats",
      metric: "testLoss",
      better: "weight-decay",
      worse: "none",
      margin: 0.05,
      published: "an L2 penalty keeps the weights small, so the network is less confident where " +
        "it is wrong: a lower test loss",
      source: "Goodfellow et al. 2016, §7.1.1",
      profiles: { smoke: { skip: true } },
    },
    {
      kind: "beats",
      metric: "testLoss",
      better: "early-stopping",
      worse: "none",
      margin: 0.03,
      published: "the weights of the epoch with the lowest validation loss have a lower test " +
        "loss than those after training on (Fig. 7.3's U-shaped validation curve)",
      source: "Goodfellow et al. 2016, §7.8 and Fig. 7.3",
      profiles: { smoke: { skip: true } },
    },
  ],
  notes: [
    "The 2,000 training images are MNIST's first; the 2,000 validation images the next ones of " +
    "the training set; the test set is MNIST's own. Only the early-stopping variant uses the " +
    "validation split to decide anything; every variant draws its curve.",
    "Dropout masks are new at every step, each derived from the trial seed, the layer and the " +
    "step; the shifts are drawn the same way. At evaluation, dropout is off and the images are " +
    "not shifted, for the training split too.",
  ],
});

const fullData = defineExperiment({
  id: "dropout-mnist",
  chapter: 7,
  title: "Dropout at full data: 784-1024-1024-1024-10 with and without dropout",
  reproduces: {
    claim: "On all of MNIST, dropout (20 % of the inputs, 50 % of the hidden units) lowers the " +
      "test error of a 3 × 1024 ReLU network: 1.25 % with dropout, against 1.60 % for the best " +
      "network trained without it (Simard et al.'s 800-unit MLP), and it narrows the gap " +
      "between training and test error.",
    source: "Srivastava, Hinton, Krizhevsky, Sutskever & Salakhutdinov 2014, Dropout: a simple " +
      "way to prevent neural networks from overfitting, JMLR 15, Table 2; Hinton et al. 2012, " +
      "arXiv:1207.0580, Fig. 1",
    url: "https://jmlr.org/papers/v15/srivastava14a.html",
  },
  kind: "fit",
  seeds: [1],
  data: { kind: "mnist", trainSize: 60_000, testSize: 10_000 },
  model: network([1024, 1024, 1024]),
  train: {
    epochs: 20, // the paper trained about 3,000; after 6 the dropout network is still behind
    batchSize: 128,
    optimizer: { kind: "adam", learningRate: 0.001 },
    schedule: { kind: "exponential", factor: 0.9 },
    readbackEvery: 100,
    evalBatchSize: 2000,
  },
  // The first 10,000 training images, evaluated without dropout, give the training error.
  evaluate: { splits: ["train", "test"], trainSubset: 10_000 },
  variants: [
    { name: "plain", label: "3 × 1024 ReLU, no dropout" },
    {
      name: "dropout",
      label: "3 × 1024 ReLU, dropout",
      settings: { model: network([1024, 1024, 1024], SRIVASTAVA_DROPOUT) },
    },
  ],
  profiles: {
    ci: {
      "data.trainSize": 5_000,
      "data.testSize": 2_000,
      "evaluate.trainSubset": 2_000,
      "train.epochs": 2,
    },
    smoke: {
      "data.trainSize": 1_000,
      "data.testSize": 500,
      "evaluate.trainSubset": 500,
      "train.epochs": 1,
      "train.readbackEvery": 4,
    },
  },
  expect: [
    {
      kind: "beats",
      metric: "testErrorPercent",
      better: "dropout",
      worse: "plain",
      margin: 0,
      published: "1.25 % with dropout against 1.60 % without",
      source: "Srivastava et al. 2014, Table 2",
      // CI's two short epochs are too few: the dropout network is still behind.
      profiles: { ci: { skip: true }, smoke: { skip: true } },
    },
    {
      // The network without dropout fits its training images and is overconfident on the test
      // images it gets wrong.
      kind: "beats",
      metric: "testLoss",
      better: "dropout",
      worse: "plain",
      margin: 0,
      published: "dropout lowers the test cross-entropy (Fig. 4: the test error curves)",
      source: "Srivastava et al. 2014, Fig. 4",
      profiles: { ci: { skip: true }, smoke: { skip: true } },
    },
    {
      variant: "dropout",
      metric: "testErrorPercent",
      published: 1.25,
      source: "Srivastava et al. 2014, Table 2: dropout NN, ReLU, 3 layers of 1024 units " +
        "(without max-norm), after about 3,000 epochs",
      atMost: 2,
      profiles: { ci: { atMost: 20 }, smoke: { skip: true } },
    },
    {
      // The gap: how much worse the network does on the test set than on images it trained on.
      kind: "derived",
      name: "plainLossGap",
      quantity: {
        kind: "ratio",
        of: { variant: "plain", metric: "testLoss" },
        to: { variant: "plain", metric: "trainSetLoss" },
      },
      source: "Srivastava et al. 2014, §1 and Fig. 4: without dropout, large networks overfit " +
        "(here they memorise their training images: the test loss is hundreds of times the " +
        "training loss)",
      atLeast: 100,
      profiles: { ci: { atLeast: 1.8 }, smoke: { skip: true } },
    },
    {
      kind: "derived",
      name: "dropoutLossGap",
      quantity: {
        kind: "ratio",
        of: { variant: "dropout", metric: "testLoss" },
        to: { variant: "dropout", metric: "trainSetLoss" },
      },
      source: "Srivastava et al. 2014, §7: dropout keeps the training and test errors closer " +
        "(here within one order of magnitude)",
      atMost: 10,
      profiles: { ci: { atMost: 1.8 }, smoke: { skip: true } },
    },
  ],
  notes: [
    "Srivastava et al. trained for about 3,000 epochs with stochastic gradient descent and " +
    "momentum; the full profile here trains each network for 20 epochs with Adam, so the " +
    "networks are far from the paper's convergence: the comparison shows the direction, not " +
    "the paper's figures. The paper's 1.60 % is Simard et al.'s 800-unit network, not a " +
    "3 × 1024 network without dropout.",
    "After 20 epochs the two test errors are a few images of 10,000 apart (one seed); the test " +
    "cross-entropy and the gap between test and training loss separate the networks clearly: " +
    "the one without dropout has memorised its training images.",
  ],
});

export default [smallData, fullData];
