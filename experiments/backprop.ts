/**
 * Chapter 5: backpropagation. XOR with the smallest network that can represent it (Goodfellow,
 * Bengio & Courville 2016, §6.1), back-propagation written out by hand and checked against tfjs's
 * automatic gradients and finite differences (§6.5), and gradients vanishing in deep sigmoid
 * stacks (Glorot & Bengio 2010).
 */

import { defineExperiment } from "../mod.ts";

/** A 2-2-1 network: two hidden units, then one linear output unit (§6.1's architecture). */
const twoTwoOne = (activation: "sigmoid" | "relu") => ({
  kind: "layers" as const,
  layers: [
    { kind: "dense" as const, name: "hidden", units: 2, activation },
    { kind: "dense" as const, name: "output", units: 1, activation: "linear" as const },
  ],
});

const xor = defineExperiment({
  id: "xor",
  chapter: 5,
  title: "XOR with a 2-2-1 network: how often does gradient descent find a solution?",
  reproduces: {
    claim: "A network with one hidden layer of two units can represent XOR (a linear model " +
      "cannot); whether training finds such weights depends on the random start. With two " +
      "sigmoid hidden units most starts succeed; with two ReLU units most fail.",
    source: "Goodfellow, Bengio & Courville 2016, Deep Learning, §6.1 (Example: Learning XOR)",
    url: "https://www.deeplearningbook.org/contents/mlp.html",
  },
  kind: "fit",
  // Twenty random starts per activation: the success rate is the mean of a 0/1 outcome.
  seeds: Array.from({ length: 20 }, (_, i) => i + 1),
  data: { kind: "xorTable", target: "value" }, // the four points, train and test alike
  loss: "mse", // §6.1 treats XOR as regression with the mean squared error
  train: {
    epochs: 600, // one full-batch step per epoch; most solved runs reach zero error by 300
    batchSize: 4, // all four points: full-batch gradient descent
    optimizer: { kind: "adam", learningRate: 0.1 }, // fast on this tiny problem
    readbackEvery: 600,
  },
  // The test split is the same four points: its error says whether XOR was learned. Every tenth
  // step is enough for the curves.
  evaluate: { splits: ["test"], metrics: ["errorPercent"], everyEpochs: 10 },
  probes: [
    { kind: "allCorrect", split: "test" }, // 1 when all four points are right
    { kind: "deadUnits", layer: "hidden" }, // hidden units that are 0 on all four points
    { kind: "decisionRegions", resolution: 25, margin: 0.25, points: 4 },
  ],
  variants: [
    {
      name: "sigmoid",
      label: "2-2-1, sigmoid hidden units",
      settings: { model: twoTwoOne("sigmoid") },
    },
    { name: "relu", label: "2-2-1, ReLU hidden units", settings: { model: twoTwoOne("relu") } },
  ],
  profiles: {
    // Ten starts per activation: the gap shows, in half the time.
    ci: { seeds: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10] },
    smoke: { seeds: [1, 2], "train.epochs": 20 },
  },
  expect: [
    {
      kind: "beats",
      metric: "allCorrect",
      better: "sigmoid",
      worse: "relu",
      direction: "higher",
      margin: 0.25,
      published: "§6.1 gives a ReLU solution but notes that gradient descent need not find it; " +
        "measured here: most sigmoid starts succeed, most ReLU starts fail",
      source: "Goodfellow et al. 2016, §6.1; measured success rates over 20 seeds",
      profiles: { smoke: { skip: true } },
    },
    {
      variant: "sigmoid",
      metric: "allCorrect",
      published: 1,
      source: "Goodfellow et al. 2016, §6.1: a 2-2-1 network can represent XOR exactly",
      atLeast: 0.5,
      profiles: { smoke: { skip: true } },
    },
  ],
  notes: [
    "A trial succeeds when its output rounds to the right 0/1 value on all four points; the " +
    "success rate is the mean of that outcome over the 20 seeds (random starts, Glorot uniform).",
    "Training is full-batch Adam for 600 steps. deadUnits counts the hidden units that output " +
    "0 on all four points after training: a dead ReLU unit gets no gradient and leaves a linear " +
    "model, which cannot fit XOR; sigmoid units never output 0.",
    "The decision-region charts show the first seed of each variant, solved or not.",
  ],
});

const backpropCheck = defineExperiment({
  id: "backprop-check",
  chapter: 5,
  title: "Back-propagation by hand matches automatic differentiation and finite differences",
  reproduces: {
    claim: "The back-propagation equations (forward pass, then g ← g ⊙ f'(a), ∇W = hᵀg + 2λW, " +
      "g ← gWᵀ layer by layer) give the loss's exact gradient: written by hand in float64 they " +
      "match tfjs's automatic gradients to float32 precision, and both match central finite " +
      "differences.",
    source: "Goodfellow, Bengio & Courville 2016, Deep Learning, §6.5.4, Algorithms 6.3 and 6.4; " +
      "§4.3.1 and §11.5 (gradient checking with finite differences)",
    url: "https://www.deeplearningbook.org/contents/mlp.html",
  },
  kind: "compute",
  seeds: [1],
  analysis: {
    kind: "backpropCheck",
    networks: 60, // twenty of each hidden activation
    hiddenLayers: [1, 4],
    width: [2, 16],
    inputs: [2, 10],
    classes: [2, 6],
    batchSize: 8,
    activations: ["sigmoid", "tanh", "relu"],
    weightDecay: 0.01, // Algorithm 6.4's regulariser λ Σ ‖W‖², checked too
    finiteDifferenceStep: 1e-6, // truncation O(h²) and rounding O(ε/h) both near 1e-10
  },
  variants: [{ name: "mlp", label: "Random MLPs" }],
  profiles: {
    ci: { "analysis.networks": 15 },
    smoke: { "analysis.networks": 3 },
  },
  expect: [
    {
      variant: "mlp",
      metric: "autodiffRelativeError",
      published: 0,
      source: "tfjs computes in float32 (ε ≈ 1.2e-7); the bound allows for its rounding " +
        "through a few layers",
      atMost: 1e-5,
    },
    {
      variant: "mlp",
      metric: "finiteDifferenceRelativeError",
      published: 0,
      source: "Goodfellow et al. 2016, §11.5: central differences agree with a correct gradient " +
        "to O(h²) plus rounding (about ε J / h ≈ 1e-10 here, which is 1e-6 of the smallest " +
        "layers' gradients in deep sigmoid networks)",
      atMost: 1e-5,
    },
    {
      variant: "mlp",
      metric: "autodiffFiniteDifferenceRelativeError",
      published: 0,
      source: "float32 automatic gradients against float64 central differences",
      atMost: 1e-5,
    },
  ],
  notes: [
    "Relative error of two gradients of one layer's weights (or biases): the largest difference " +
    "divided by the largest gradient of that tensor. The metrics are the worst over every tensor " +
    "of every network. Weights and inputs are float32 values, so tfjs and the float64 code start " +
    "from the same numbers.",
  ],
});

/** Twelve hidden layers of 100 units: a stack of 13 dense layers with the output layer. */
const DEEP = [100, 100, 100, 100, 100, 100, 100, 100, 100, 100, 100, 100];

const vanishingGradients = defineExperiment({
  id: "vanishing-gradients",
  chapter: 5,
  title: "Vanishing gradients: the gradient norm per layer in deep sigmoid and ReLU stacks",
  reproduces: {
    claim: "In a deep stack of sigmoid layers the gradient shrinks on its way back to the input " +
      "(each layer multiplies it by σ' ≤ 1/4 times its weights), so the first layers barely " +
      "learn and the network as a whole is slow to start; with tanh or ReLU under normalised " +
      "initialisation the per-layer gradient norms stay of one order and the same stack trains.",
    source: "Glorot & Bengio 2010, Understanding the difficulty of training deep feedforward " +
      "neural networks, AISTATS, §4 and Figs. 2, 7; Goodfellow et al. 2016, §8.2.5 and §6.3",
    url: "https://proceedings.mlr.press/v9/glorot10a.html",
  },
  kind: "fit",
  seeds: [1, 2, 3],
  data: { kind: "mnist", trainSize: 10_000, testSize: 10_000 },
  train: {
    epochs: 3,
    batchSize: 64,
    optimizer: { kind: "momentum", learningRate: 0.01, momentum: 0.9 },
    readbackEvery: 50,
  },
  probes: [{ kind: "gradientNorms", examples: 1000 }], // at initialisation, on 1,000 images
  variants: [
    {
      name: "sigmoid",
      label: "12 × 100 sigmoid",
      settings: { model: { kind: "mlp", hidden: DEEP, activation: "sigmoid" } },
    },
    {
      name: "tanh",
      label: "12 × 100 tanh",
      settings: { model: { kind: "mlp", hidden: DEEP, activation: "tanh" } },
    },
    {
      name: "relu",
      label: "12 × 100 ReLU",
      settings: { model: { kind: "mlp", hidden: DEEP, activation: "relu" } },
    },
  ],
  profiles: {
    ci: { "data.trainSize": 3_000, "data.testSize": 2_000, "train.epochs": 1, seeds: [1] },
    smoke: { "data.trainSize": 500, "data.testSize": 500, "train.epochs": 1, seeds: [1] },
  },
  expect: [
    {
      variant: "sigmoid",
      metric: "gradientNormRatio",
      published: 0,
      source: "Glorot & Bengio 2010, §4: gradients vanish towards the input in sigmoid stacks",
      atMost: 1e-3,
    },
    {
      variant: "relu",
      metric: "gradientNormRatio",
      published: 1,
      source: "Glorot & Bengio 2010, §4.2.1, eq. 14: with normalised initialisation the weight " +
        "gradients' variance is about the same in every layer",
      atLeast: 0.1,
      atMost: 10,
    },
    {
      kind: "derived",
      name: "reluOverSigmoid",
      quantity: {
        kind: "ratio",
        of: { variant: "relu", metric: "gradientNormRatio" },
        to: { variant: "sigmoid", metric: "gradientNormRatio" },
      },
      source: "Glorot & Bengio 2010, §4: sigmoid stacks lose orders of magnitude of gradient",
      atLeast: 100,
    },
    {
      // The consequence: after three epochs the sigmoid stack is still at chance (90 % error).
      kind: "beats",
      metric: "testErrorPercent",
      better: "tanh",
      worse: "sigmoid",
      margin: 50,
      source:
        "Glorot & Bengio 2010, §3.1 and Table 1: deep sigmoid networks train slowest and worst",
      profiles: { ci: { margin: 30 }, smoke: { skip: true } },
    },
    {
      kind: "beats",
      metric: "testErrorPercent",
      better: "relu",
      worse: "sigmoid",
      margin: 50,
      source:
        "Glorot & Bengio 2010, §3.1 and Table 1: deep sigmoid networks train slowest and worst",
      // In ci's 47 steps the ReLU stack, whose signal shrinks by √2 per layer, has not started.
      profiles: { ci: { skip: true }, smoke: { skip: true } },
    },
  ],
  notes: [
    "gradientNormRatio is the norm of the loss's gradient with respect to the first layer's " +
    "weights divided by that of the last layer's, at initialisation (Glorot uniform), averaged " +
    "over 1,000 training images.",
  ],
});

export default [xor, backpropCheck, vanishingGradients];
