/**
 * Chapter 11: practical methodology. Random search against grid search for hyperparameters
 * (Bergstra & Bengio 2012); learning curves against the size of the training set; the sanity
 * checks practitioners run before trusting a training run (overfit one batch, the loss at
 * initialisation, a learning-rate range test); and choosing a model on validation data, then
 * measuring its test error once.
 */

import { defineExperiment } from "../mod.ts";

/** The random searches: five independent draws of nine points each. */
const RANDOM_SEEDS = [1, 2, 3, 4, 5];
const RANDOM_NAMES = RANDOM_SEEDS.map((seed) => `random-${seed}`);
const RANDOM_SEARCHES = RANDOM_SEEDS.map((seed) => ({
  name: `random-${seed}`,
  label: `random search ${seed}`,
  random: {
    count: 9, // the grid's budget
    seed, // each search draws its own nine points
    space: {
      // Four decades: plain momentum SGD diverges above ~1 and barely moves below ~1e-3.
      "train.optimizer.learningRate": { logUniform: [1e-4, 1] as [number, number] },
      // L2 penalty λ; at these values it barely changes a three-epoch run.
      "train.weightDecay": { logUniform: [1e-6, 1e-3] as [number, number] },
      // The nuisance: warm-up steps at the start, which barely matter here.
      "train.warmupSteps": { int: [0, 100] as [number, number] },
    },
  },
}));

const search = defineExperiment({
  id: "hyperparameter-search",
  chapter: 11,
  title: "Random search against grid search with the same budget",
  reproduces: {
    claim: "With the same number of trials, random search finds hyperparameters at least as good " +
      "as a grid, because few hyperparameters matter: a 3 × 3 grid over the learning rate and " +
      "the weight decay tries only three learning rates, nine random points try nine.",
    source: "Bergstra & Bengio 2012, Random search for hyper-parameter optimization, JMLR 13, " +
      "Fig. 1 and §2–3; Goodfellow, Bengio & Courville 2016, §11.4.3–11.4.4",
    url: "https://jmlr.org/papers/v13/bergstra12a.html",
  },
  kind: "fit",
  seeds: [1], // the randomness compared is the draw of points, one training seed per point
  data: {
    kind: "mnist",
    trainSize: 10_000, // a sixth of MNIST: each point trains in seconds
    validationSize: 5_000, // the search's only score: the test split is not evaluated
  },
  model: { kind: "mlp", hidden: [128] },
  train: {
    epochs: 3, // short runs, as a search's trials are: the learning rate matters most
    batchSize: 64,
    optimizer: { kind: "momentum", learningRate: 0.01, momentum: 0.9 }, // the rate is searched
    readbackEvery: 50,
  },
  evaluate: { splits: ["validation"], metrics: ["loss", "errorPercent"] },
  sweeps: [
    {
      name: "grid",
      label: "grid search",
      grid: {
        // The outer key varies slowest: the first three points try all three learning rates.
        "train.weightDecay": [1e-6, 3e-5, 1e-3], // the ends and the middle of the log range
        "train.optimizer.learningRate": [1e-4, 1e-2, 1], // likewise
      },
    },
    ...RANDOM_SEARCHES,
  ],
  profiles: {
    ci: {
      "data.trainSize": 3_000,
      "data.validationSize": 2_000,
      "train.epochs": 2,
    },
    smoke: {
      "data.trainSize": 500,
      "data.validationSize": 500,
      "train.epochs": 1,
      "train.readbackEvery": 5,
    },
  },
  expect: [
    {
      // The claim: the same budget of nine trials, random search's best beats the grid's.
      kind: "beats",
      better: { sweeps: RANDOM_NAMES, metric: "validationErrorPercent", reduce: "min" },
      worse: { sweeps: ["grid"], metric: "validationErrorPercent", reduce: "min" },
      margin: 0.5,
      published: "random search finds models as good or better within a small fraction of the " +
        "computation a grid needs",
      source: "Bergstra & Bengio 2012, Fig. 1, §2–3 and Fig. 5",
      profiles: { smoke: { skip: true } },
    },
    {
      // After three trials: the grid has tried its three learning rates once each.
      kind: "beats",
      better: { sweeps: RANDOM_NAMES, metric: "validationErrorPercent", reduce: "min", first: 3 },
      worse: { sweeps: ["grid"], metric: "validationErrorPercent", reduce: "min", first: 3 },
      margin: 0,
      published: "random search's advantage holds at every budget",
      source: "Bergstra & Bengio 2012, Fig. 5 (best-so-far against the number of trials)",
      profiles: { smoke: { skip: true } },
    },
    {
      // Why: the learning rate matters a lot ...
      kind: "derived",
      name: "learningRateMatters",
      quantity: {
        kind: "difference",
        of: { variant: "grid-0p000001-0p0001", metric: "validationErrorPercent" },
        minus: { variant: "grid-0p000001-0p01", metric: "validationErrorPercent" },
      },
      source: "Bergstra & Bengio 2012, §2 and Fig. 1: few hyperparameters matter (low effective " +
        "dimensionality); a 100× smaller learning rate leaves the network barely trained",
      atLeast: 20,
      profiles: { smoke: { skip: true } },
    },
    {
      // ... and the weight decay barely at all, so the grid's other two columns are wasted.
      kind: "derived",
      name: "weightDecayBarelyMatters",
      quantity: {
        kind: "difference",
        of: { variant: "grid-0p001-0p01", metric: "validationErrorPercent" },
        minus: { variant: "grid-0p000001-0p01", metric: "validationErrorPercent" },
      },
      source: "Bergstra & Bengio 2012, §2: a grid spends most of its trials on values of " +
        "hyperparameters that do not matter; here 1,000× more weight decay changes the error " +
        "by less than a percentage point",
      atLeast: -1,
      atMost: 1,
      profiles: { smoke: { skip: true } },
    },
  ],
  notes: [
    "Every point is one trial scored on the validation split; the test split is not evaluated.",
    "The random searches' best is the mean over the five searches of each one's best point; the " +
    "grid is evaluated in its listed order (learning rate fastest), so its first three points " +
    "try all three learning rates.",
  ],
});

const learningCurves = defineExperiment({
  id: "learning-curves",
  chapter: 11,
  title: "Learning curves: test error against the size of the training set",
  reproduces: {
    claim: "Test error falls as a power law in the number of training examples, m^β with " +
      "β between −1 and 0, and with it the gap between training and test error.",
    source: "Goodfellow, Bengio & Courville 2016, §11.3 and Fig. 5.4; Cortes, Jackel, Solla, " +
      "Vapnik & Denker 1994, Learning curves: asymptotic values and rate of convergence, NIPS 6; " +
      "Hestness et al. 2017, Deep learning scaling is predictable, empirically, arXiv:1712.00409",
    url: "https://arxiv.org/abs/1712.00409",
  },
  kind: "fit",
  seeds: [1, 2, 3], // the error bars: each size trained from three seeds
  data: {
    kind: "mnist",
    trainSize: 1_000, // swept below
    validationSize: 2_000, // early stopping reads this, never the test set
    testSize: 5_000,
  },
  model: { kind: "mlp", hidden: [128] },
  train: {
    epochs: 20, // an upper bound: early stopping ends each run at its best validation loss
    batchSize: 64,
    optimizer: { kind: "adam", learningRate: 0.001 },
    earlyStopping: { metric: "loss", patience: 3 },
    readbackEvery: 100,
    evalBatchSize: 2_500,
  },
  evaluate: {
    splits: ["train", "validation", "test"],
    metrics: ["loss", "errorPercent"],
    trainSubset: 2_000, // the training error on at most 2,000 of its examples
  },
  sweeps: [{
    name: "size",
    label: "training-set size",
    // Doubling from 250 to 16,000 images: seven points, evenly spaced on a log axis.
    grid: { "data.trainSize": [250, 500, 1_000, 2_000, 4_000, 8_000, 16_000] },
  }],
  profiles: {
    ci: {
      seeds: [1, 2],
      "train.epochs": 5,
      "data.testSize": 2_000,
      "sweeps.size.grid": { "data.trainSize": [250, 1_000, 4_000] },
    },
    smoke: {
      seeds: [1],
      "train.epochs": 1,
      "data.testSize": 500,
      "data.validationSize": 500,
      "sweeps.size.grid": { "data.trainSize": [250, 1_000] },
    },
  },
  expect: [
    {
      kind: "derived",
      name: "errorFallsWithData",
      quantity: { kind: "correlation", metric: "testErrorPercent", sweep: "size" },
      published: -1,
      source: "Goodfellow et al. 2016, §5.2 and Fig. 5.4: more training data lowers the test error",
      atMost: -0.95,
      profiles: { smoke: { skip: true } },
    },
    {
      kind: "derived",
      name: "learningCurveExponent",
      quantity: {
        kind: "slope",
        metric: "testErrorPercent",
        sweep: "size",
        logX: true,
        logY: true,
      },
      source: "Hestness et al. 2017: generalisation error ∝ m^β with β from about −0.07 to " +
        "−0.5 across their tasks; Cortes et al. 1994: between −1 (a consistent learner that " +
        "can fit the task) and −0.5",
      atLeast: -1,
      atMost: -0.2,
      profiles: { smoke: { skip: true } },
    },
  ],
  notes: [
    "Each point trains until its validation loss has not improved for three epochs (at most " +
    "20) and keeps its best weights, so small sets are not cut short by a fixed step budget.",
    "The training error is measured on at most 2,000 training examples. It stays near zero at " +
    "every size here (early stopping keeps the small sets from being memorised completely), so " +
    "the gap between the curves is the test error.",
  ],
});

/** An MLP with one hidden layer of 128 ReLU units, the model every sanity check uses. */
const MLP = { kind: "mlp" as const, hidden: [128] };

const sanityChecks = defineExperiment({
  id: "sanity-checks",
  chapter: 11,
  title: "Sanity checks: overfit one batch, the loss at initialisation, a learning-rate range test",
  reproduces: {
    claim: "Before a long run: a network must drive the loss on one small batch to nearly zero " +
      "(else the model or the training code is broken); its loss at initialisation must be " +
      "ln 10 ≈ 2.303 for 10 balanced classes (else the output layer is mis-scaled); and a " +
      "learning-rate range test shows the loss falling, bottoming out and exploding as the rate " +
      "grows, bracketing the rates worth trying.",
    source: "Goodfellow, Bengio & Courville 2016, §11.5 (debugging: fit a tiny dataset); " +
      "Karpathy 2019, A recipe for training neural networks (verify loss @ init, overfit one " +
      "batch); Smith 2017, Cyclical learning rates for training neural networks, WACV, §3.3",
    url: "https://karpathy.github.io/2019/04/25/recipe/",
  },
  kind: "fit",
  seeds: [1, 2, 3],
  data: { kind: "mnist", trainSize: 10_000, validationSize: 5_000, testSize: 2_000 },
  model: MLP,
  train: {
    epochs: 1,
    batchSize: 64,
    optimizer: { kind: "sgd", learningRate: 0.1 },
    readbackEvery: 20,
  },
  evaluate: { splits: ["validation"], metrics: ["loss", "errorPercent"], atStart: true },
  variants: [
    {
      name: "overfit-batch",
      label: "one batch of 32 images",
      settings: {
        data: { kind: "mnist", trainSize: 32 }, // one batch: every step sees the same 32 images
        train: {
          epochs: 150, // one step each
          batchSize: 32,
          optimizer: { kind: "adam", learningRate: 0.001 },
          readbackEvery: 10,
        },
        evaluate: { splits: ["train", "test"], metrics: ["loss", "errorPercent"], atStart: true },
      },
    },
    {
      name: "range-test",
      label: "range test, then one epoch at 0.1",
      settings: {
        probes: [{
          kind: "learningRateRange",
          optimizer: { kind: "sgd", learningRate: 1e-4 },
          to: 10, // far beyond where plain SGD diverges on this model
          steps: 300, // about two epochs of the 10,000 images
        }],
      },
    },
  ],
  sweeps: [{
    // The range test's reading, checked by training at constant rates for one epoch each.
    name: "constant-rate",
    label: "constant rates",
    grid: { "train.optimizer.learningRate": [0.01, 0.03, 0.1, 0.3, 1, 3] },
  }],
  profiles: {
    // A profile's `data.trainSize` would also replace the one-batch variant's 32: leave it.
    ci: { seeds: [1], "variants.overfit-batch.settings.train.epochs": 100 },
    smoke: {
      seeds: [1],
      "data.validationSize": 500,
      "data.testSize": 500,
      "variants.overfit-batch.settings.train.epochs": 10,
    },
  },
  expect: [
    {
      variant: "overfit-batch",
      metric: "trainSetLoss",
      published: 0,
      source: "Goodfellow et al. 2016, §11.5: even a small model can fit a tiny dataset; " +
        "Karpathy 2019: overfit a single batch to a loss of nearly zero",
      atMost: 0.01,
      profiles: { smoke: { skip: true } },
    },
    {
      variant: "overfit-batch",
      metric: "trainErrorPercent",
      published: 0,
      source: "Karpathy 2019: every example of the batch classified correctly",
      atMost: 0,
      profiles: { smoke: { skip: true } },
    },
    {
      // Fitting one batch checks the optimisation, not generalisation: the rest of MNIST fails.
      kind: "beats",
      better: { variant: "overfit-batch", metric: "trainErrorPercent" },
      worse: { variant: "overfit-batch", metric: "testErrorPercent" },
      margin: 20,
      published: "the memorised batch is classified perfectly, unseen digits far from it",
      source: "Goodfellow et al. 2016, §5.2 (the gap between training and test error); " +
        "Zhang et al. 2017, Understanding deep learning requires rethinking generalization",
      profiles: { smoke: { skip: true } },
    },
    {
      variant: "range-test",
      metric: "initialValidationLoss",
      published: Math.log(10),
      source: "Karpathy 2019 (verify loss @ init): −ln(1/10) for 10 balanced classes, when the " +
        "initial logits are small; Glorot initialisation leaves them at a standard deviation " +
        "near 0.4, adding about 0.4²/2 ≈ 0.08",
      atLeast: 2.2,
      atMost: 2.45,
    },
    {
      // The loss falls by more than a nat before the rate grows too large.
      kind: "beats",
      better: { variant: "range-test", metric: "rangeTestMinimumLoss" },
      worse: { variant: "range-test", metric: "rangeTestInitialLoss" },
      margin: 1,
      published: "the loss falls, bottoms out and explodes as the rate grows",
      source: "Smith 2017, §3.3 and Fig. 3",
      profiles: { smoke: { skip: true } },
    },
    {
      kind: "derived",
      name: "rangeTestBestRate",
      quantity: {
        kind: "ratio",
        of: { variant: "range-test", metric: "rangeTestBestLearningRate" },
        to: { variant: "range-test", metric: "rangeTestDivergenceLearningRate" },
      },
      source: "Smith 2017, §3.3: the loss is lowest just before the rate where it starts to " +
        "rise; fastai's lr_find stops once the smoothed loss exceeds 4 × its minimum",
      atLeast: 0.1,
      atMost: 1,
      profiles: { smoke: { skip: true } },
    },
    {
      // Where constant-rate training does best: below the range test's lowest point.
      kind: "derived",
      name: "bestConstantRate",
      quantity: {
        kind: "argmin",
        metric: "validationLoss",
        sweep: "constant-rate",
      },
      source: "Smith 2017, §3.3: a good constant rate lies a few times below the rate at which " +
        "the range test's loss is lowest",
      atLeast: 0.1,
      atMost: 1,
      profiles: { smoke: { skip: true } },
    },
  ],
  notes: [
    "The range test runs before training, from the initial weights, which it then restores: the " +
    "trial then trains one epoch at 0.1 as the constant-rate sweep's point at 0.1 does.",
    "The range test's rates rise geometrically from 1e-4 to 10 over 300 steps of 64 images; its " +
    "loss is smoothed with a moving average (β = 0.9) and the test stops when the smoothed loss " +
    "exceeds four times its minimum.",
  ],
});

/** The weight decays the selection tries. */
const WEIGHT_DECAYS = [0, 1e-4, 1e-3, 1e-2, 1e-1];
/**
 * The one validation picks: the lowest validation cross-entropy, for every seed (the
 * `selectedWeightDecay` check fails if it no longer would). Validation error cannot pick: 0, 1e-4
 * and 1e-3 are within 0.1 points of each other there, less than the seeds' spread.
 */
const CHOSEN_WEIGHT_DECAY = 1e-3;

const modelSelection = defineExperiment({
  id: "model-selection",
  chapter: 11,
  title: "Choosing the operating point on validation data, then measuring test error once",
  reproduces: {
    claim: "Hyperparameters are chosen on a validation set held out from the training data; the " +
      "test set is used once, for the chosen model, so that its error is an unbiased estimate. " +
      "Here the L2 penalty of an MLP trained on 2,000 MNIST images is chosen from five values.",
    source: "Goodfellow, Bengio & Courville 2016, §5.3.1 (validation sets) and §11.4; " +
      "Hastie, Tibshirani & Friedman 2009, The Elements of Statistical Learning, §7.2",
    url: "https://www.deeplearningbook.org/contents/ml.html",
  },
  kind: "fit",
  seeds: [1, 2, 3],
  data: {
    kind: "mnist",
    trainSize: 2_000, // small, so that regularisation matters
    validationSize: 5_000, // the next 5,000 training images
    testSize: 10_000,
  },
  model: { kind: "mlp", hidden: [256] },
  train: {
    epochs: 30, // long enough to overfit 2,000 images without a penalty
    batchSize: 64,
    optimizer: { kind: "adam", learningRate: 0.001 },
    readbackEvery: 50,
    evalBatchSize: 2_500,
  },
  // The candidates are scored on validation only: nothing they do reads the test set.
  evaluate: { splits: ["validation"], metrics: ["loss", "errorPercent"] },
  variants: [
    {
      name: "chosen",
      label: `chosen: weight decay ${CHOSEN_WEIGHT_DECAY}`,
      settings: {
        train: { weightDecay: CHOSEN_WEIGHT_DECAY },
        evaluate: { splits: ["validation", "test"], metrics: ["loss", "errorPercent"] },
      },
    },
  ],
  sweeps: [{
    name: "weight-decay",
    label: "candidates",
    grid: { "train.weightDecay": WEIGHT_DECAYS },
  }],
  profiles: {
    // One seed of the full profile (about a minute): fewer epochs or a smaller validation set
    // leave the candidates without a penalty too close to call.
    ci: { seeds: [1] },
    smoke: { seeds: [1], "train.epochs": 1, "data.validationSize": 500, "data.testSize": 500 },
  },
  expect: [
    {
      kind: "derived",
      name: "selectedWeightDecay",
      quantity: { kind: "argmin", metric: "validationLoss", sweep: "weight-decay" },
      published: CHOSEN_WEIGHT_DECAY,
      source: "Goodfellow et al. 2016, §5.3.1: the hyperparameter is the one with the lowest " +
        "validation loss; the `chosen` variant must be that one",
      atLeast: CHOSEN_WEIGHT_DECAY,
      atMost: CHOSEN_WEIGHT_DECAY,
      profiles: { smoke: { skip: true } },
    },
    {
      kind: "derived",
      name: "regularisationHelps",
      quantity: {
        kind: "difference",
        of: { variant: "weight-decay-0", metric: "validationLoss" },
        minus: { variant: "chosen", metric: "validationLoss" },
      },
      source: "Goodfellow et al. 2016, §7.1.1: an L2 penalty reduces overfitting on a small " +
        "training set (here: validation cross-entropy, seeds' spread about 0.01)",
      atLeast: 0.02,
      profiles: { smoke: { skip: true } },
    },
    {
      kind: "derived",
      name: "validationEstimatesTest",
      quantity: {
        kind: "difference",
        of: { variant: "chosen", metric: "testErrorPercent" },
        minus: { variant: "chosen", metric: "validationErrorPercent" },
      },
      published: 0,
      source: "Hastie et al. 2009, §7.2: the validation error of the selected model estimates " +
        "its test error, slightly optimistically after selection",
      atLeast: -1.5,
      atMost: 1.5,
      profiles: { smoke: { skip: true } },
    },
  ],
  notes: [
    "The candidates evaluate only the validation split. The `chosen` variant trains the " +
    "selected candidate again (same seed, same settings, so the same weights) and is the only " +
    "trial that evaluates the test split.",
    "Selection is on validation cross-entropy: the validation errors of the three smallest " +
    "penalties differ by less than their spread over seeds, while the cross-entropy, which " +
    "also scores the confidence of the right answers, has a clear minimum.",
    "The validation images are the training set's next images, written by the same people as " +
    "the training images; MNIST's test writers are disjoint from its training writers (LeCun " +
    "et al. 1998), so the validation error is somewhat optimistic even before selection.",
  ],
});

export default [search, learningCurves, sanityChecks, modelSelection];
