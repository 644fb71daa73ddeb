/**
 * Chapter 8: optimization for training deep models. The six optimizers on MNIST in Kingma & Ba
 * 2015's setup (logistic regression and a 784-1000-1000-10 ReLU network), their paths on three
 * 2-D test functions, batch normalization in Ioffe & Szegedy 2015's setup, and learning-rate
 * schedules against a constant rate.
 */

import { defineExperiment } from "../mod.ts";

/** How reports name the optimizers. */
const OPTIMIZER_LABELS = {
  sgd: "SGD",
  momentum: "Momentum",
  nesterov: "Nesterov",
  adagrad: "AdaGrad",
  rmsprop: "RMSProp",
  adam: "Adam",
} as const;

/** A rate for each of the six optimizers. */
type Rates = Record<keyof typeof OPTIMIZER_LABELS, number>;

// ---------------------------------------------------------------------------------------------
// The optimizers' paths on 2-D test functions.
//
// One rule sets every rate, so that the paths differ by the optimizer and not by its tuning:
// - SGD, momentum and Nesterov share one rate η, about 1/λ_max of the Hessian at the start (the
//   steepest curvature a plain gradient step must survive: 2/λ_max is its stability limit; on
//   the saddle, a tenth of it, so that leaving the saddle takes long enough to see);
//   momentum and Nesterov (μ = 0.9) then differ from SGD by their momentum alone.
// - AdaGrad, RMSProp and Adam take the same first step, of length s in each coordinate: Adam's
//   and AdaGrad's first step is their rate (g/|g|), RMSProp's is √10 times its rate (its mean
//   square starts at 0 and gets (1 − ρ) g² = g²/10), so RMSProp runs at s/√10.
// ---------------------------------------------------------------------------------------------

/** The first step of the adaptive optimizers, in the plot's units. */
const ADAPTIVE_STEP = 0.05;

/** The six optimizers for a function whose plain-gradient rate is `rate`. */
function pathOptimizers(rate: number) {
  return [
    {
      name: "sgd",
      label: OPTIMIZER_LABELS.sgd,
      settings: { optimizer: { kind: "sgd" as const, learningRate: rate } },
    },
    {
      name: "momentum",
      label: OPTIMIZER_LABELS.momentum,
      settings: { optimizer: { kind: "momentum" as const, learningRate: rate, momentum: 0.9 } },
    },
    {
      name: "nesterov",
      label: OPTIMIZER_LABELS.nesterov,
      settings: { optimizer: { kind: "nesterov" as const, learningRate: rate, momentum: 0.9 } },
    },
    {
      name: "adagrad",
      label: OPTIMIZER_LABELS.adagrad,
      // tfjs's accumulator starts at 0.1; the first step is then s · |g| / √(0.1 + g²) ≈ s.
      settings: { optimizer: { kind: "adagrad" as const, learningRate: ADAPTIVE_STEP } },
    },
    {
      name: "rmsprop",
      label: OPTIMIZER_LABELS.rmsprop,
      settings: {
        optimizer: {
          kind: "rmsprop" as const,
          learningRate: ADAPTIVE_STEP / Math.sqrt(10),
          decay: 0.9,
        },
      },
    },
    {
      name: "adam",
      label: OPTIMIZER_LABELS.adam,
      settings: { optimizer: { kind: "adam" as const, learningRate: ADAPTIVE_STEP } },
    },
  ];
}

const PATHS_SOURCE =
  "Goodfellow, Bengio & Courville 2016, Deep Learning, §8.3.2 and Fig. 8.5 (momentum), §8.5 " +
  "(AdaGrad, RMSProp, Adam)";

const rosenbrockPaths = defineExperiment({
  id: "optimizer-paths-rosenbrock",
  chapter: 8,
  title: "Six optimizers in Rosenbrock's curved valley",
  reproduces: {
    claim: "In a long, narrow, curved valley plain gradient descent must take steps small enough " +
      "for the steep walls and so crawls along the floor; momentum accumulates speed along the " +
      "floor and reaches the minimum; AdaGrad's accumulated squared gradients shrink its steps " +
      "until it stalls, which RMSProp's moving average avoids; Adam, with momentum and a moving " +
      "average, reaches the minimum.",
    source: PATHS_SOURCE,
    url: "https://www.deeplearningbook.org/contents/optimization.html",
  },
  kind: "minimize",
  seeds: [1], // nothing random: every optimizer starts at the same point
  objective: { kind: "rosenbrock" },
  start: [-1.5, 2], // on the valley's far wall: the path must turn along the whole valley
  // Rate for SGD, momentum and Nesterov: λ_max of the Hessian is 2,092 at the start (the
  // stability limit of a plain step is 2/λ_max = 9.6e-4); 5e-4 ≈ 1/λ_max.
  optimizer: { kind: "sgd" as const, learningRate: 5e-4 },
  steps: 1500, // enough for momentum and Adam to arrive; SGD has covered a quarter of the valley
  recordEvery: 5,
  variants: pathOptimizers(5e-4),
  profiles: {
    ci: { steps: 1500 }, // cheap: the full path
    smoke: { steps: 300 },
  },
  expect: [
    {
      kind: "beats",
      metric: "distanceToMinimum",
      better: "momentum",
      worse: "sgd",
      margin: 1,
      published: "momentum traverses the canyon lengthwise; gradient steps waste time across it",
      source: "Goodfellow et al. 2016, §8.3.2, Fig. 8.5",
      profiles: { smoke: { skip: true } },
    },
    {
      kind: "beats",
      metric: "distanceToMinimum",
      better: "nesterov",
      worse: "sgd",
      margin: 1,
      published: "Nesterov momentum: the gradient at the look-ahead point, same acceleration",
      source: "Sutskever, Martens, Dahl & Hinton 2013, ICML; Goodfellow et al. 2016, §8.3.3",
      profiles: { smoke: { skip: true } },
    },
    {
      kind: "beats",
      metric: "distanceToMinimum",
      better: "rmsprop",
      worse: "adagrad",
      margin: 1,
      published: "AdaGrad's sum of squared gradients shrinks its rate too soon; RMSProp forgets",
      source: "Goodfellow et al. 2016, §8.5.1–8.5.2",
      profiles: { smoke: { skip: true } },
    },
    {
      variant: "adam",
      metric: "distanceToMinimum",
      published: 0,
      source: "Rosenbrock's minimum is (1, 1); Kingma & Ba 2015, §2 (Adam)",
      atMost: 0.05,
      profiles: { smoke: { skip: true } },
    },
  ],
});

const bealePaths = defineExperiment({
  id: "optimizer-paths-beale",
  chapter: 8,
  title: "Six optimizers on Beale's function: a steep wall, then a flat valley",
  reproduces: {
    claim: "Started on a steep wall, plain gradient descent is held to a small rate by the wall " +
      "and then creeps across the flat valley below it; momentum and the adaptive methods, whose " +
      "steps do not scale with the gradient's size, cross it; AdaGrad slows down as its " +
      "accumulator grows.",
    source: PATHS_SOURCE,
    url: "https://www.deeplearningbook.org/contents/optimization.html",
  },
  kind: "minimize",
  seeds: [1],
  objective: { kind: "beale" },
  start: [2, 1.7], // high on the wall (value 154) above the valley that leads to (3, 0.5)
  // λ_max of the Hessian is 1,299 at the start: 1e-3 ≈ 1.3/λ_max, under the limit 2/λ_max.
  optimizer: { kind: "sgd" as const, learningRate: 1e-3 },
  steps: 1500,
  recordEvery: 5,
  variants: pathOptimizers(1e-3),
  profiles: {
    ci: { steps: 1500 },
    smoke: { steps: 300 },
  },
  expect: [
    {
      kind: "beats",
      metric: "distanceToMinimum",
      better: "momentum",
      worse: "sgd",
      margin: 0.2,
      published: "momentum keeps its speed where the gradient becomes small",
      source: "Goodfellow et al. 2016, §8.3.2",
      profiles: { smoke: { skip: true } },
    },
    {
      kind: "beats",
      metric: "distanceToMinimum",
      better: "adam",
      worse: "sgd",
      margin: 0.2,
      published: "Adam's steps are invariant to the gradient's scale",
      source: "Kingma & Ba 2015, §2.1",
      profiles: { smoke: { skip: true } },
    },
    {
      kind: "beats",
      metric: "distanceToMinimum",
      better: "rmsprop",
      worse: "adagrad",
      margin: 0.3,
      published: "AdaGrad's sum of squared gradients shrinks its rate too soon; RMSProp forgets",
      source: "Goodfellow et al. 2016, §8.5.1–8.5.2",
      profiles: { smoke: { skip: true } },
    },
    {
      variant: "adam",
      metric: "distanceToMinimum",
      published: 0,
      source: "Beale's minimum is (3, 0.5)",
      atMost: 0.05,
      profiles: { smoke: { skip: true } },
    },
  ],
});

/** η for the saddle; with it a plain step multiplies the offset from the ridge by 1 + 2η. */
const SADDLE_RATE = 0.05;
/** Start this far from the ridge y = 0, where the gradient across it is 2 · 1e-6. */
const SADDLE_OFFSET = 1e-6;
const SADDLE_STEPS = 100;

const saddlePaths = defineExperiment({
  id: "optimizer-paths-saddle",
  chapter: 8,
  title: "Six optimizers at a saddle point",
  reproduces: {
    claim: "Started next to a saddle's ridge, plain gradient descent leaves it only as fast as " +
      "the tiny gradient across the ridge grows, (1 + 2η) per step, and is still at the saddle " +
      "after 100 steps; momentum compounds that growth, and RMSProp and Adam, which divide the " +
      "gradient by its own size, leave at once and reach a minimum.",
    source: "Dauphin et al. 2014, Identifying and attacking the saddle point problem in " +
      "high-dimensional non-convex optimization, NIPS; Goodfellow et al. 2016, §8.2.3",
    url: "https://arxiv.org/abs/1406.2572",
  },
  kind: "minimize",
  seeds: [1],
  objective: { kind: "saddle" }, // x² − y² + y⁴/4: saddle at the origin, minima −1 at (0, ±√2)
  start: [1, SADDLE_OFFSET],
  optimizer: { kind: "sgd" as const, learningRate: SADDLE_RATE }, // curvature ±2: 0.05 is a tenth of 1/2
  steps: SADDLE_STEPS,
  variants: pathOptimizers(SADDLE_RATE),
  profiles: {
    ci: { steps: SADDLE_STEPS },
    smoke: { steps: SADDLE_STEPS },
  },
  expect: [
    {
      // Linearised at the saddle, y_t = y_0 (1 + 2η)^t = 1e-6 · 1.1^100 = 0.0138 and x_t = 0.9^t,
      // so the value is x² − y² ≈ −1.9e-4: still on the saddle's level.
      variant: "sgd",
      metric: "finalValue",
      published: -((SADDLE_OFFSET * (1 + 2 * SADDLE_RATE) ** SADDLE_STEPS) ** 2),
      source: "closed form of gradient descent on the saddle's quadratic part",
      atLeast: -1e-3,
      atMost: 0,
    },
    {
      kind: "beats",
      metric: "finalValue",
      better: "momentum",
      worse: "sgd",
      margin: 0.9,
      // Linearised: the offset grows by the root of λ² − (1 + μ + 2η) λ + μ = 0, 1.32 per step.
      published: "momentum multiplies the offset from the ridge by 1.32 per step, SGD by 1.1",
      source: "Goodfellow et al. 2016, §8.3.2",
    },
    {
      kind: "beats",
      metric: "finalValue",
      better: "adam",
      worse: "sgd",
      margin: 0.9,
      published: "Adam's step g/√v is about η whatever the gradient's size",
      source: "Kingma & Ba 2015, §2.1; Dauphin et al. 2014",
    },
    {
      variant: "rmsprop",
      metric: "finalValue",
      published: -1,
      source: "the minima of x² − y² + y⁴/4 are −1 at (0, ±√2)",
      atMost: -0.99,
    },
  ],
});

// ---------------------------------------------------------------------------------------------
// Batch normalization (Ioffe & Szegedy 2015, §4.1, Fig. 1a).
// ---------------------------------------------------------------------------------------------

/** Evaluate on the test set every this many steps: test accuracy against steps, as Fig. 1a. */
const BN_EVAL_EVERY = 500;

const batchNorm = defineExperiment({
  id: "batch-norm",
  chapter: 8,
  title: "Batch normalization: faster training and higher accuracy on MNIST",
  reproduces: {
    claim: "A network of three fully connected hidden layers of 100 sigmoid units, trained with " +
      "minibatches of 60, reaches a given test accuracy in fewer steps and ends higher when each " +
      "hidden layer normalizes its inputs over the minibatch.",
    source: "Ioffe & Szegedy 2015, Batch normalization: accelerating deep network training by " +
      "reducing internal covariate shift, ICML, §4.1 and Fig. 1(a)",
    url: "https://arxiv.org/abs/1502.03167",
  },
  kind: "fit",
  seeds: [1, 2, 3],
  data: { kind: "mnist", trainSize: 60_000, testSize: 10_000 }, // all of MNIST, as the paper
  model: { kind: "mlp", hidden: [100, 100, 100], activation: "sigmoid" },
  train: {
    epochs: 8, // 8,000 steps of 60; the paper trained 50,000
    batchSize: 60, // the paper's minibatch
    // The paper does not name its optimizer for MNIST; plain SGD at one rate for both networks
    // isolates what the normalization changes. 0.5 trains the sigmoid network without BN well.
    optimizer: { kind: "sgd", learningRate: 0.5 },
    readbackEvery: 100,
    evalBatchSize: 2000,
  },
  evaluate: { splits: ["test"], metrics: ["loss", "accuracyPercent"], everySteps: BN_EVAL_EVERY },
  variants: [
    { name: "plain", label: "Without BN" },
    {
      name: "batch-norm",
      label: "With BN",
      // dense (no bias) → batch norm → sigmoid in each hidden layer, the paper's placement
      settings: { model: { kind: "mlp", batchNorm: true } },
    },
  ],
  profiles: {
    ci: { "train.epochs": 2, seeds: [1] },
    smoke: {
      "data.trainSize": 3_000,
      "data.testSize": 1_000,
      "train.epochs": 1,
      "evaluate.everySteps": 10,
      "train.readbackEvery": 10,
      seeds: [1],
    },
  },
  expect: [
    {
      kind: "beats",
      metric: "testAccuracyPercent",
      direction: "higher",
      better: "batch-norm",
      worse: "plain",
      margin: 0.3,
      published: "with BN the test accuracy ends higher (Fig. 1a)",
      source: "Ioffe & Szegedy 2015, Fig. 1(a)",
      profiles: { smoke: { skip: true } },
    },
    {
      // Learns faster: from the first evaluation on, BN's mean curve stays above the plain one.
      kind: "derived",
      name: "bnAheadFromEpoch",
      quantity: {
        kind: "crossover",
        metric: "testAccuracyPercent",
        first: "batch-norm",
        second: "plain",
        direction: "higher",
      },
      source: "Ioffe & Szegedy 2015, Fig. 1(a): BN trains faster",
      atMost: 0.5,
      profiles: { smoke: { skip: true } },
    },
  ],
  notes: [
    "Ioffe & Szegedy trained for 50,000 steps; the full profile trains 8,000 (8 passes over the " +
    "60,000 training images), where Fig. 1(a) already shows the gap.",
  ],
});

// ---------------------------------------------------------------------------------------------
// The optimizers on MNIST, in Kingma & Ba 2015's setup (§6.1 Fig. 1, §6.2 Fig. 2).
// ---------------------------------------------------------------------------------------------

/**
 * The six optimizers at the given rates, with the hyperparameters every one of them keeps:
 * μ = 0.9 for momentum and Nesterov, ρ = 0.9 for RMSProp, β₁ = 0.9 and β₂ = 0.999 for Adam
 * (Kingma & Ba's), AdaGrad's accumulator starting at 0.1 (tfjs's).
 */
function optimizerVariants(rates: Rates) {
  const optimizers = {
    sgd: { kind: "sgd" as const, learningRate: rates.sgd },
    momentum: { kind: "momentum" as const, learningRate: rates.momentum, momentum: 0.9 },
    nesterov: { kind: "nesterov" as const, learningRate: rates.nesterov, momentum: 0.9 },
    adagrad: { kind: "adagrad" as const, learningRate: rates.adagrad, initialAccumulator: 0.1 },
    rmsprop: { kind: "rmsprop" as const, learningRate: rates.rmsprop, decay: 0.9 },
    adam: { kind: "adam" as const, learningRate: rates.adam, beta1: 0.9, beta2: 0.999 },
  };
  return Object.entries(optimizers).map(([name, optimizer]) => ({
    name,
    label: OPTIMIZER_LABELS[name as keyof Rates],
    settings: { train: { optimizer } },
  }));
}

// Kingma & Ba searched each optimizer's rate on a grid and plotted the best. So did we, once,
// in a pilot of the full profile's length on seed 1: for each optimizer the rates 1/3, 1, 3, 10
// and 30 times its customary one (SGD 0.1; momentum and Nesterov 0.01; AdaGrad 0.01; RMSProp and
// Adam 0.001), keeping the rate with the lowest mean training cost over the last epoch. Every
// optimum lies inside the grid. At the customary rates Adam's cost on logistic regression after
// one epoch was 15 % above momentum's (its 0.001 is made for deep networks), which is why the
// rates are searched rather than taken from habit.

/**
 * Logistic regression, 5 epochs: last-epoch training cost at ×1/3, ×1, ×3, ×10, ×30 the
 * customary rate — SGD .372 .318 .290 .292; momentum .372 .317 .289 .283 .332; Nesterov .372
 * .317 .288 .280 .307; AdaGrad .568 .399 .326 .290 .280 (×100: .323); RMSProp .329 .289 .279
 * .306; Adam .355 .294 .276 .293 (×30 not run where ×10 was already worse).
 */
const LOGISTIC_RATES: Rates = {
  sgd: 0.3,
  momentum: 0.1,
  nesterov: 0.1,
  adagrad: 0.3,
  rmsprop: 0.003,
  adam: 0.003,
};

/**
 * The 784-1000-1000-10 network with dropout, 1 epoch: training cost over the epoch at ×1/3, ×1,
 * ×3, ×10, ×30 — SGD .778 .511 .374 .504; momentum .814 .541 .382 .351 .918; Nesterov .809 .536
 * .374 .335 .728; AdaGrad 1.287 .799 .521 .370 .452; RMSProp .381 .294 .361 .994; Adam .381 .282
 * .300 .658 (×30 not run where ×10 was already worse).
 */
const MLP_RATES: Rates = {
  sgd: 0.3,
  momentum: 0.1,
  nesterov: 0.1,
  adagrad: 0.1,
  rmsprop: 0.001,
  adam: 0.001,
};

const KINGMA_BA = "Kingma & Ba 2015, Adam: a method for stochastic optimization, ICLR";

const optimizersLogistic = defineExperiment({
  id: "optimizers-logistic",
  chapter: 8,
  title: "Six optimizers on L2-regularized logistic regression on MNIST",
  reproduces: {
    claim: "On L2-regularized multinomial logistic regression on MNIST with minibatches of 128, " +
      "each optimizer at its best rate, Adam's training cost falls at least as fast as SGD with " +
      "momentum's.",
    source: `${KINGMA_BA}, §6.1 and Fig. 1 (left)`,
    url: "https://arxiv.org/abs/1412.6980",
  },
  kind: "fit",
  seeds: [1, 2, 3],
  data: { kind: "mnist", trainSize: 60_000, testSize: 10_000 },
  model: { kind: "linear" }, // 784 → 10 softmax: multinomial logistic regression
  train: {
    epochs: 5, // Kingma & Ba's Fig. 1 shows 45 passes; Adam draws level with momentum by the 3rd
    batchSize: 128, // the paper's
    optimizer: { kind: "adam", learningRate: 0.003 }, // each variant sets its own
    weightDecay: 1e-4, // the L2 penalty λ Σ w² (the paper's λ is not given)
    readbackEvery: 25, // a training-cost point every 25 steps
    evalBatchSize: 5000,
  },
  variants: optimizerVariants(LOGISTIC_RATES),
  profiles: {
    // One seed: Adam only draws level after its fast start's lead for momentum is gone (epoch 3).
    ci: { seeds: [1] },
    smoke: {
      "data.trainSize": 2_560,
      "data.testSize": 1_000,
      "train.epochs": 1,
      "train.readbackEvery": 5,
      seeds: [1],
    },
  },
  expect: [
    {
      // "At least as fast": Adam's training cost over the last epoch (trainLoss, the mean of its
      // steps' costs) is at most 2 % above momentum's.
      kind: "derived",
      name: "adamToMomentumCost",
      quantity: {
        kind: "ratio",
        of: { variant: "adam", metric: "trainLoss" },
        to: { variant: "momentum", metric: "trainLoss" },
      },
      source: `${KINGMA_BA}, §6.1, Fig. 1: Adam converges as fast as SGD with momentum`,
      atMost: 1.02,
      profiles: { smoke: { skip: true } },
    },
  ],
  notes: [
    "Each optimizer runs at the best of five rates from a pilot on seed 1 (the rates and the " +
    "pilot's costs are in experiments/optimization.ts), as Kingma & Ba searched theirs; they " +
    "also decayed the rate as α/√t, where these rates stay constant.",
    "Kingma & Ba's Fig. 1 runs 45 passes over the data; the full profile runs 5.",
    "The training cost is the cross-entropy alone; the L2 penalty (λ = 1e-4) enters the " +
    "gradients but not the plotted cost.",
  ],
});

const optimizersMlp = defineExperiment({
  id: "optimizers-mlp",
  chapter: 8,
  title: "Six optimizers on a 784-1000-1000-10 ReLU network with dropout on MNIST",
  reproduces: {
    claim: "Training a network of two hidden layers of 1,000 ReLU units with dropout on MNIST, " +
      "minibatches of 128, each optimizer at its best rate, Adam lowers the training cost at " +
      "least as fast as SGD with momentum and faster than AdaGrad.",
    source: `${KINGMA_BA}, §6.2 and Fig. 2(a)`,
    url: "https://arxiv.org/abs/1412.6980",
  },
  kind: "fit",
  seeds: [1, 2, 3],
  data: { kind: "mnist", trainSize: 60_000, testSize: 10_000 },
  model: {
    kind: "mlp",
    hidden: [1000, 1000], // the paper's two hidden layers of 1,000 ReLU units
    activation: "relu",
    dropout: 0.5, // Fig. 2(a) trains with dropout; 0.5 is Srivastava et al. 2014's hidden-unit rate
  },
  train: {
    epochs: 1, // 469 steps: trainLoss is then the mean cost over the whole run
    batchSize: 128, // the paper's
    optimizer: { kind: "adam", learningRate: 0.001 }, // each variant sets its own
    readbackEvery: 20, // a training-cost point every 20 steps (2,560 images)
    evalBatchSize: 2000,
  },
  variants: optimizerVariants(MLP_RATES),
  profiles: {
    // 100 steps on a fifth of the training set: Adam's lead is widest early.
    ci: { "data.trainSize": 12_800, "data.testSize": 2_000, seeds: [1] },
    smoke: {
      "data.trainSize": 1_280,
      "data.testSize": 500,
      "train.readbackEvery": 2,
      seeds: [1],
    },
  },
  expect: [
    {
      // "At least as fast": Adam's mean training cost over the run (one epoch) is at most 2 %
      // above momentum's.
      kind: "derived",
      name: "adamToMomentumCost",
      quantity: {
        kind: "ratio",
        of: { variant: "adam", metric: "trainLoss" },
        to: { variant: "momentum", metric: "trainLoss" },
      },
      source: `${KINGMA_BA}, §6.2, Fig. 2(a): Adam's training cost is the lowest`,
      atMost: 1.02,
      profiles: { smoke: { skip: true } },
    },
    {
      kind: "beats",
      metric: "trainLoss",
      better: "adam",
      worse: "adagrad",
      margin: 0.05,
      published: "Adam's training cost below AdaGrad's throughout Fig. 2(a)",
      source: `${KINGMA_BA}, §6.2, Fig. 2(a)`,
      profiles: { smoke: { skip: true } },
    },
    {
      // Faster from the start: the first point from which Adam's mean curve stays below.
      kind: "derived",
      name: "adamBelowAdagradFrom",
      quantity: {
        kind: "crossover",
        metric: "trainLoss",
        first: "adam",
        second: "adagrad",
        direction: "lower",
      },
      source: `${KINGMA_BA}, §6.2, Fig. 2(a)`,
      atMost: 0.25,
      profiles: { smoke: { skip: true } },
    },
  ],
  notes: [
    "Each optimizer runs at the best of five rates from a pilot on seed 1 (the rates and the " +
    "pilot's costs are in experiments/optimization.ts), as Kingma & Ba searched theirs.",
    "Kingma & Ba trained for 200 passes over MNIST; the full profile trains one pass (469 " +
    "steps), in which the curves separate and keep their order.",
  ],
});

// ---------------------------------------------------------------------------------------------
// Learning-rate schedules against a constant rate.
// ---------------------------------------------------------------------------------------------

/** Examples per step: a large minibatch, the setting in which Goyal et al. needed warm-up. */
const SCHEDULE_BATCH = 1024;
/** Steps per pass over MNIST's 60,000 training images. */
const SCHEDULE_STEPS_PER_EPOCH = Math.ceil(60_000 / SCHEDULE_BATCH);
/** Linear warm-up over the first 2 epochs (Goyal et al.: 5 of 90), from rate/118 to the rate. */
const WARMUP_STEPS = 2 * SCHEDULE_STEPS_PER_EPOCH;

const schedules = defineExperiment({
  id: "lr-schedules",
  chapter: 8,
  title: "Learning-rate schedules: step decay, cosine and warm-up against a constant rate",
  reproduces: {
    claim: "With a large minibatch and a high rate, the first steps at the full rate damage the " +
      "network, and a linear warm-up avoids that and ends lower. After the warm-up, a constant " +
      "rate keeps the weights jittering and the training cost from settling; decaying the rate " +
      "in steps or along a cosine ends at a lower training cost and test error.",
    source: "Goodfellow et al. 2016, §8.3.1; He et al. 2016, Deep residual learning, CVPR, §3.4 " +
      "(step decay); Loshchilov & Hutter 2017, SGDR, ICLR (cosine); Goyal et al. 2017, " +
      "Accurate, large minibatch SGD, §2.1–2.2 and Fig. 2 (linear scaling, gradual warm-up)",
    url: "https://arxiv.org/abs/1706.02677",
  },
  kind: "fit",
  seeds: [1, 2],
  data: { kind: "mnist", trainSize: 60_000, testSize: 10_000 },
  model: { kind: "mlp", hidden: [256, 256], activation: "relu" },
  train: {
    epochs: 12, // 708 steps
    batchSize: SCHEDULE_BATCH,
    // Adam's step is about η whatever the gradient's size, so at a constant η its weights keep
    // moving by about η and the cost stalls at a floor that only a smaller η lowers. 0.03 is
    // high: in a pilot (seed 1, half the data) starting at 0.01 did no harm without warm-up,
    // starting at 0.03 did (training cost 0.121 against 0.045 with warm-up after 6 epochs).
    // Momentum SGD at Goyal et al.'s scaled rate (0.8) showed the warm-up but no gain from the
    // decays: with minibatches this large its gradient noise is small and it had not stalled.
    optimizer: { kind: "adam", learningRate: 0.03 },
    readbackEvery: 6,
    evalBatchSize: 5000,
  },
  // The training cost of the final weights, on the first 10,000 training images, besides the test.
  evaluate: { splits: ["train", "test"], trainSubset: 10_000 },
  variants: [
    { name: "no-warmup", label: "Constant, no warm-up", settings: { train: { warmupSteps: 0 } } },
    { name: "constant", label: "Constant", settings: { train: { warmupSteps: WARMUP_STEPS } } },
    {
      name: "step",
      label: "Step (÷10 at epochs 6 and 11)",
      // He et al. divide by 10 twice, at half and three quarters of training; every 5 epochs
      // divides at 42 % and 83 % of these 12.
      settings: {
        train: { warmupSteps: WARMUP_STEPS, schedule: { kind: "step", factor: 0.1, every: 5 } },
      },
    },
    {
      name: "cosine",
      label: "Cosine to 0",
      settings: { train: { warmupSteps: WARMUP_STEPS, schedule: { kind: "cosine", final: 0 } } },
    },
  ],
  profiles: {
    // Half the training set and half the epochs, 1 epoch of warm-up and one division at epoch 4.
    ci: {
      "data.trainSize": 30_720,
      "train.epochs": 6,
      "variants.constant.settings.train.warmupSteps": 30,
      "variants.step.settings.train.warmupSteps": 30,
      "variants.step.settings.train.schedule.every": 3,
      "variants.cosine.settings.train.warmupSteps": 30,
      seeds: [1],
    },
    smoke: {
      "data.trainSize": 2_048,
      "data.testSize": 1_000,
      "evaluate.trainSubset": 1_000,
      "train.epochs": 2,
      "train.readbackEvery": 1,
      "variants.constant.settings.train.warmupSteps": 2,
      "variants.step.settings.train.warmupSteps": 2,
      "variants.cosine.settings.train.warmupSteps": 2,
      seeds: [1],
    },
  },
  expect: [
    {
      kind: "beats",
      metric: "trainSetLoss",
      better: "step",
      worse: "constant",
      margin: 0.01,
      published: "the training error drops at each division of the rate (He et al. 2016, Fig. 4)",
      source: "He et al. 2016, §3.4; Goodfellow et al. 2016, §8.3.1",
      profiles: { smoke: { skip: true } },
    },
    {
      kind: "beats",
      metric: "testErrorPercent",
      better: "step",
      worse: "constant",
      margin: 0.2,
      published: "the test error drops with the training error (He et al. 2016, Fig. 4)",
      source: "He et al. 2016, §3.4 and Fig. 4",
      profiles: { smoke: { skip: true } },
    },
    {
      kind: "beats",
      metric: "trainSetLoss",
      better: "cosine",
      worse: "constant",
      margin: 0.01,
      published: "annealing the rate to 0 along a cosine",
      source: "Loshchilov & Hutter 2017, §3",
      profiles: { smoke: { skip: true } },
    },
    {
      kind: "beats",
      metric: "testErrorPercent",
      better: "cosine",
      worse: "constant",
      margin: 0.2,
      published: "annealed runs reach lower test error than the constant rate",
      source: "Loshchilov & Hutter 2017, Fig. 1",
      profiles: { smoke: { skip: true } },
    },
    {
      kind: "beats",
      metric: "trainSetLoss",
      better: "constant",
      worse: "no-warmup",
      margin: 0.01,
      published: "without warm-up the large-minibatch training error is higher early and stays " +
        "higher; gradual warm-up closes the gap (Fig. 2)",
      source: "Goyal et al. 2017, §2.2 and Fig. 2",
      profiles: { smoke: { skip: true } },
    },
  ],
  notes: [
    "Every variant but the first warms up over 2 epochs, so that the decays are compared with " +
    "a constant rate on equal terms (Goyal et al. warm up and then divide the rate in steps).",
    "He et al. and Goyal et al. trained ResNets on ImageNet for 90 epochs (Goyal et al. with " +
    "minibatches of 8,192 and 5 warm-up epochs, with momentum SGD); here a 784-256-256-10 " +
    "network trains 12 epochs of MNIST with minibatches of 1,024, with Adam.",
  ],
});

export default [
  optimizersLogistic,
  optimizersMlp,
  rosenbrockPaths,
  bealePaths,
  saddlePaths,
  batchNorm,
  schedules,
];
