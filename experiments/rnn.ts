/**
 * Chapter 10: recurrent networks. The adding problem, where an LSTM and a GRU learn dependencies
 * over a hundred steps that a simple RNN cannot (Hochreiter & Schmidhuber 1997); a character-level
 * language model of first names against a bigram baseline; and the gradient through time, which
 * vanishes in a tanh RNN and is carried unchanged by the LSTM's cell state.
 */

import { defineExperiment } from "../mod.ts";

/** A recurrent layer reading the sequence, then one linear unit on its last state. */
const addingModel = (cell: "simple" | "lstm" | "gru") => ({
  kind: "layers" as const,
  layers: [
    { kind: "rnn" as const, name: "recurrent", cell, units: 32 },
    { kind: "dense" as const, name: "output", units: 1 },
  ],
});

/** The long sequences: the length at which the simple RNN is expected to fail. */
const LONG = 100;

const adding = defineExperiment({
  id: "adding-problem",
  chapter: 10,
  title: "The adding problem: simple RNN, LSTM and GRU at sequence lengths from 10 to 100",
  reproduces: {
    claim: "Each step holds a random value and a marker; the target is the sum of the two marked " +
      "values, one in each half of the sequence. Predicting the mean gives an MSE of 1/6 ≈ 0.167. " +
      "An LSTM (and a GRU) learns to remember the marked values over 100 steps and drives the " +
      "MSE far below that; a simple tanh RNN solves short sequences but not long ones, where the " +
      "papers find it at the baseline.",
    source: "Hochreiter & Schmidhuber 1997, Long short-term memory, Neural Computation 9(8), " +
      "Experiment 4; the form with one mark per half from Le, Jaitly & Hinton 2015, arXiv:1504.00941, " +
      "§4.1, and Arjovsky, Shah & Bengio 2016, ICML, §4.2 (Fig. 2)",
    url: "https://doi.org/10.1162/neco.1997.9.8.1735",
  },
  kind: "fit",
  seeds: [1],
  data: {
    kind: "adding",
    length: LONG, // swept below
    trainSize: 32_000, // 250 steps of 128 sequences per epoch
    testSize: 1_000,
    dataSeed: 1, // every trial sees the same sequences
  },
  loss: "mse",
  train: {
    epochs: 10, // 2,500 steps: the LSTM leaves the baseline after about 1,000-1,500 at T = 100
    batchSize: 128,
    optimizer: { kind: "adam", learningRate: 0.003 },
    clipNorm: 1, // gradient clipping keeps the recurrent nets from blowing up (Pascanu et al. 2013)
    readbackEvery: 50,
  },
  evaluate: { splits: ["test"], metrics: ["mse"] },
  probes: [
    { kind: "meanBaseline" },
    // After training: how far back the trained layer's gradient reaches, on 100 test sequences.
    { kind: "gradientsThroughTime", layer: "recurrent", examples: 100 },
  ],
  variants: [
    { name: "simple", label: "simple RNN", settings: { model: addingModel("simple") } },
    { name: "lstm", label: "LSTM", settings: { model: addingModel("lstm") } },
    { name: "gru", label: "GRU", settings: { model: addingModel("gru") } },
  ],
  sweeps: [{
    name: "length",
    label: "sequence length",
    variants: ["simple", "lstm", "gru"],
    grid: { "data.length": [10, 30, LONG] },
  }],
  profiles: {
    // 500 steps at lengths 10 and 100: enough for the GRU to leave the baseline at 100 (the LSTM
    // needs about three times as many) while the simple RNN stays there.
    ci: {
      "train.epochs": 2,
      "data.testSize": 500,
      "sweeps.length.grid": { "data.length": [10, LONG] },
    },
    smoke: {
      "data.trainSize": 640,
      "data.testSize": 100,
      "train.epochs": 1,
      "sweeps.length.grid": { "data.length": [10, LONG] },
    },
  },
  expect: [
    {
      // The LSTM solves the long sequences: far below the baseline.
      kind: "beats",
      better: { variant: `lstm-${LONG}`, metric: "testMse" },
      worse: { variant: `lstm-${LONG}`, metric: "baselineTestMse" },
      margin: 0.1,
      published: "LSTM reaches an MSE near 0 at T = 100 (Arjovsky et al. 2016, Fig. 2); the " +
        "baseline is 0.167",
      source: "Hochreiter & Schmidhuber 1997, Experiment 4; Arjovsky et al. 2016, Fig. 2",
      // 500 steps are too few for the LSTM at T = 100.
      profiles: { ci: { skip: true }, smoke: { skip: true } },
    },
    {
      kind: "beats",
      better: { variant: `gru-${LONG}`, metric: "testMse" },
      worse: { variant: `gru-${LONG}`, metric: "baselineTestMse" },
      margin: 0.1,
      published: "gated units (GRU) learn long dependencies like the LSTM",
      source: "Cho et al. 2014; Chung, Gulcehre, Cho & Bengio 2014, arXiv:1412.3555, §5",
      profiles: { ci: { margin: 0.05 }, smoke: { skip: true } },
    },
    {
      // The gated cells are an order of magnitude ahead of the simple RNN at length 100.
      kind: "derived",
      name: "gruOverSimpleRnnLong",
      quantity: {
        kind: "ratio",
        of: { variant: `simple-${LONG}`, metric: "testMse" },
        to: { variant: `gru-${LONG}`, metric: "testMse" },
      },
      source: "Chung, Gulcehre, Cho & Bengio 2014, arXiv:1412.3555, §5: gated units learn the " +
        "long dependencies that the tanh RNN does not",
      atLeast: 10,
      profiles: { smoke: { skip: true } },
    },
    {
      kind: "derived",
      name: "lstmOverSimpleRnnLong",
      quantity: {
        kind: "ratio",
        of: { variant: `simple-${LONG}`, metric: "testMse" },
        to: { variant: `lstm-${LONG}`, metric: "testMse" },
      },
      source: "Hochreiter & Schmidhuber 1997, §5, Experiment 4: the LSTM solves the adding " +
        "problem at lengths where gradient-based recurrent nets fail",
      atLeast: 10,
      // 500 steps are too few for the LSTM at T = 100.
      profiles: { ci: { skip: true }, smoke: { skip: true } },
    },
    {
      // The simple RNN does not solve the long sequences.
      kind: "derived",
      name: "simpleRnnLongToBaseline",
      quantity: {
        kind: "ratio",
        of: { variant: `simple-${LONG}`, metric: "testMse" },
        to: { variant: `simple-${LONG}`, metric: "baselineTestMse" },
      },
      published: 1,
      source: "Arjovsky et al. 2016, Fig. 2 (the tanh RNN stays at the baseline MSE at T = 100); " +
        "here, with Adam and clipped gradients, it gets part of the way (see the notes)",
      atLeast: 0.1,
      atMost: 1.1,
      profiles: { smoke: { skip: true } },
    },
    {
      // On short sequences the simple RNN learns the task too: the failure is one of length.
      kind: "beats",
      better: { variant: "simple-10", metric: "testMse" },
      worse: { variant: "simple-10", metric: "baselineTestMse" },
      margin: 0.1,
      published: "a simple RNN learns short dependencies",
      source: "Bengio, Simard & Frasconi 1994, IEEE Trans. Neural Networks 5(2): the difficulty " +
        "grows with the span of the dependency",
      profiles: { ci: { margin: 0.05 }, smoke: { skip: true } },
    },
    {
      kind: "derived",
      name: "simpleRnnErrorGrowsWithLength",
      quantity: { kind: "correlation", metric: "testMse", sweep: "length", template: "simple" },
      published: 1,
      source: "Bengio et al. 1994: the longer the dependency, the harder for gradient descent",
      atLeast: 0.9,
      profiles: { smoke: { skip: true } },
    },
  ],
  notes: [
    "Values are uniform on [0, 1] and the target is the sum of the two marked values, so always " +
    "predicting the mean (1) gives an MSE of Var(U1 + U2) = 1/6; `baselineTestMse` is that " +
    "baseline measured on the test sequences.",
    "Every model reads the sequence with 32 recurrent units and predicts the sum from the last " +
    "state; Adam at 0.003 with gradients clipped to norm 1, 2,500 steps of 128 sequences (ten " +
    "passes over 32,000). " +
    "Hochreiter & Schmidhuber's LSTM needed 74,000 sequences on average for T = 100; the papers " +
    "comparing cells trained for 10^4 to 10^5 steps.",
    "Arjovsky et al.'s tanh RNN stays at the baseline at T = 100; here, with Adam and gradients " +
    "clipped to norm 1, the simple RNN gets part of the way within 2,500 steps, and stays an " +
    "order of magnitude behind the gated cells, its error growing with the length.",
    "The gradient-through-time charts are measured after training, on 100 test sequences. They " +
    "do not show the trained simple RNN's gradient vanishing over 50 steps: the vanishing at " +
    "initialisation that the cells' equations predict is measured by the gradients-through-time " +
    "experiment.",
  ],
});

const names = defineExperiment({
  id: "char-names",
  chapter: 10,
  title: "A character-level LSTM language model of first names against a bigram model",
  reproduces: {
    claim: "An LSTM that reads a name one character at a time predicts the next character better " +
      "than counting character pairs: fewer bits per character on held-out names, and its " +
      "samples look like names.",
    source: "Graves 2013, Generating sequences with recurrent neural networks, arXiv:1308.0850, " +
      "§2–3; Karpathy 2015, The unreasonable effectiveness of recurrent neural networks; " +
      "Goodfellow, Bengio & Courville 2016, §10.2 and §12.4 (n-gram models)",
    url: "https://arxiv.org/abs/1308.0850",
  },
  kind: "fit",
  seeds: [1, 2],
  data: {
    kind: "names",
    sets: ["male", "female"], // the 8,422 distinct names of both pinned lists
    window: 32, // characters per training sequence; names average about 6 letters
    validationFraction: 0.1,
    testFraction: 0.1,
    dataSeed: 1, // the same split into train, validation and test names for every trial
  },
  model: {
    kind: "layers",
    layers: [
      { kind: "rnn", name: "lstm", cell: "lstm", units: 128, returnSequences: true },
      { kind: "dense", name: "next", units: 28 }, // per step: logits of the next character
    ],
  },
  train: {
    epochs: 25,
    batchSize: 32,
    optimizer: { kind: "adam", learningRate: 0.003 },
    clipNorm: 1,
    readbackEvery: 20,
    evalBatchSize: 500,
  },
  evaluate: { splits: ["validation", "test"], metrics: ["loss", "bitsPerChar"] },
  probes: [
    { kind: "bigram", smoothing: 1 },
    { kind: "samples", count: 20, temperature: 1 },
  ],
  variants: [{ name: "lstm", label: "LSTM, 128 units" }],
  profiles: {
    ci: { seeds: [1], "train.epochs": 4 },
    smoke: { seeds: [1], "train.epochs": 1, "probes.1.count": 5 },
  },
  expect: [
    {
      kind: "beats",
      better: { variant: "lstm", metric: "validationBitsPerChar" },
      worse: { variant: "lstm", metric: "bigramValidationBitsPerChar" },
      margin: 0.3,
      published: "a recurrent model that sees the whole prefix beats one that sees one character",
      source: "Graves 2013, §3 (character-level models); Goodfellow et al. 2016, §12.4.1 " +
        "(n-gram models) and §10.2",
      profiles: { ci: { margin: 0.1 }, smoke: { skip: true } },
    },
    {
      variant: "lstm",
      metric: "bigramValidationBitsPerChar",
      published: 2.454 / Math.LN2,
      source: "Karpathy, makemore (2022): the bigram model's loss on its 32,033 US first names " +
        "is 2.454 nats = 3.54 bits per character; this list is smaller and differs, so only " +
        "the order of magnitude carries over",
      atLeast: 3.0,
      atMost: 4.0,
    },
  ],
  notes: [
    "Names are lower-cased, deduplicated across the two lists and split by name (80/10/10), so " +
    "no held-out name was seen in training. The text is one stream `.anna.bob.` cut into " +
    "windows of 32 characters; the state starts at zero in each window.",
    "Bits per character are the cross-entropy in base 2 over every predicted character of the " +
    "held-out names, end markers included.",
  ],
});

const gradients = defineExperiment({
  id: "gradients-through-time",
  chapter: 10,
  title: "Vanishing gradients through time: tanh RNN against LSTM",
  reproduces: {
    claim: "The gradient of a loss at the last step with respect to the hidden state k steps " +
      "earlier shrinks exponentially with k in a tanh RNN; through the LSTM's cell state, whose " +
      "self-connection has weight 1 (the constant error carousel), it does not shrink. A forget " +
      "gate multiplies it by its value f at every step, ½ for a zero bias, which is why its bias " +
      "starts at 1 or more.",
    source: "Bengio, Simard & Frasconi 1994, IEEE Trans. Neural Networks 5(2); Hochreiter & " +
      "Schmidhuber 1997, §4 (constant error flow); Gers, Schmidhuber & Cummins 2000, Neural " +
      "Computation 12(10); Pascanu, Mikolov & Bengio 2013, ICML, §2–3; Jozefowicz, Zaremba & " +
      "Sutskever 2015, ICML, §2.2",
    url: "https://proceedings.mlr.press/v28/pascanu13.html",
  },
  kind: "compute",
  seeds: [1],
  analysis: {
    kind: "gradientsThroughTime",
    cell: "simple",
    units: 32,
    length: 100, // T: k runs from 0 to 99
    sequences: 64, // adding-problem sequences the loss averages over
    networks: 10, // initialisations: the band on the chart spans them
    ratioAt: 50, // the ratio metric compares k = 50 with k = 1
    fitFrom: 10, // the decay per step is fitted from k = 10 on, past the first steps' transient
  },
  variants: [
    {
      name: "tanh",
      label: "tanh RNN",
      settings: { analysis: { kind: "gradientsThroughTime", cell: "simple" } },
    },
    {
      name: "lstm-1997",
      label: "LSTM without forget gate (1997)",
      settings: { analysis: { kind: "gradientsThroughTime", cell: "lstm", forgetGate: false } },
    },
    {
      name: "lstm-bias1",
      label: "LSTM, forget bias 1",
      settings: { analysis: { kind: "gradientsThroughTime", cell: "lstm", forgetBias: 1 } },
    },
    {
      name: "lstm",
      label: "LSTM, forget bias 0",
      settings: { analysis: { kind: "gradientsThroughTime", cell: "lstm" } },
    },
    {
      name: "gru",
      label: "GRU",
      settings: { analysis: { kind: "gradientsThroughTime", cell: "gru" } },
    },
  ],
  profiles: {
    ci: { "analysis.networks": 4 },
    smoke: { "analysis.networks": 1, "analysis.length": 40, "analysis.ratioAt": 30 },
  },
  expect: [
    {
      // The tanh RNN: exponential decay, at the rate its Jacobian predicts.
      kind: "derived",
      name: "tanhDecayMatchesJacobian",
      quantity: {
        kind: "ratio",
        of: { variant: "tanh", metric: "decayPerStep" },
        to: { variant: "tanh", metric: "stepFactor" },
      },
      published: 1,
      source: "Pascanu et al. 2013, §2.1: ∂h_t/∂h_(t−1) = diag(1 − h_t²)·Uᵀ; with U orthogonal " +
        "it scales the gradient by about the RMS of 1 − h_t² (stepFactor, below 1), so the norm " +
        "decays exponentially (Bengio et al. 1994)",
      atLeast: 0.95,
      atMost: 1.05,
    },
    {
      // Constant error flow: ∂c_t/∂c_{t−1} = 1.
      variant: "lstm-1997",
      metric: "decayPerStep",
      published: 1,
      source: "Hochreiter & Schmidhuber 1997, §4: the constant error carousel carries the error " +
        "back with factor exactly 1",
      atLeast: 0.98,
      atMost: 1.05,
    },
    {
      kind: "derived",
      name: "carouselOverTanh",
      quantity: {
        kind: "ratio",
        of: { variant: "lstm-1997", metric: "normRatio" },
        to: { variant: "tanh", metric: "normRatio" },
      },
      source: "Hochreiter & Schmidhuber 1997, §3–4: the LSTM's gradient 50 steps back is orders " +
        "of magnitude larger than the tanh RNN's",
      atLeast: 10,
      // Four initialisations spread more than ten.
      profiles: { ci: { atLeast: 5 } },
    },
    {
      // A forget gate near ½ halves the error at every step.
      variant: "lstm",
      metric: "decayPerStep",
      published: 0.5,
      source: "Gers et al. 2000: ∂c_t/∂c_{t−1} = f_t; with a zero bias f ≈ σ(0) = ½ (inputs " +
        "shift it a little); Jozefowicz et al. 2015, §2.2, hence the bias of 1",
      atLeast: 0.4,
      atMost: 0.75,
    },
    {
      // The GRU's state is carried over by its update gate z, also ½ at a zero bias.
      variant: "gru",
      metric: "decayPerStep",
      published: 0.5,
      source: "Cho et al. 2014, EMNLP, §2.3: h_t = z ⊙ h_(t−1) + (1 − z) ⊙ h̃_t, so the direct " +
        "path carries the gradient with factor z ≈ σ(0) = ½ at initialisation",
      atLeast: 0.4,
      atMost: 0.75,
    },
    {
      variant: "lstm-bias1",
      metric: "decayPerStep",
      published: 1 / (1 + Math.exp(-1)),
      source: "Gers et al. 2000; Jozefowicz et al. 2015, §2.2: a forget bias of 1 gives " +
        "f ≈ σ(1) ≈ 0.73 per step",
      atLeast: 0.65,
      atMost: 0.92,
    },
  ],
  notes: [
    "Each network is the framework's own recurrent layer as initialised for training (Glorot " +
    "uniform input kernel, orthogonal recurrent kernel, zero bias; the forget bias added to it), " +
    "unrolled with explicit tfjs ops over 64 adding-problem sequences of 100 steps; the loss is " +
    "the squared error of a linear readout of the last state, and one backward pass gives " +
    "∂L/∂h_t for every t.",
    "The decay per step is 10 to the slope of log10 ‖∂L/∂h_(T−k)‖ against k, fitted over " +
    "k = 10 … 99; the ratio compares k = 50 with k = 1. The networks are untrained: a trained " +
    "LSTM can learn to hold its forget gates near 1.",
  ],
});

export default [adding, names, gradients];
