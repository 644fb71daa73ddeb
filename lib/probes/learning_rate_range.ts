/**
 * The `learningRateRange` probe: the learning-rate range test (Smith 2017, "Cyclical learning
 * rates for training neural networks", §3.3). Before training, the model takes `steps` steps
 * whose rate rises geometrically from the optimizer's rate to `to` (the `exponentialRamp`
 * schedule), and the training loss is recorded at each: it first falls as the rate becomes large
 * enough to learn, then blows up once the rate is too large. The probe then puts the initial
 * weights back, so the trial trains from the same start as without it.
 *
 * Metrics: the first step's loss, the lowest smoothed loss and the rate where it is reached, and
 * the rate at which the smoothed loss first exceeds four times its lowest value (the stop rule of
 * fastai's `lr_find`), the test's sign that the rate is too large.
 *
 * @module
 */

import * as tf from "@tensorflow/tfjs";
import { z } from "zod";
import { deriveSeed, permutation } from "../random/seed.ts";
import { optimizerSchema, TrainingOptimizer } from "../train/optimizer.ts";
import { learningRateAt } from "../train/schedule.ts";
import { type StepContext, trainStep } from "../train/train_loop.ts";
import type { ProbeDefinition } from "./_probe_definition.ts";

const schema = z.strictObject({
  kind: z.literal("learningRateRange"),
  /** The optimizer stepped; its `learningRate` is the first step's rate. */
  optimizer: optimizerSchema.default({ kind: "sgd", learningRate: 1e-4 }),
  /** The last step's rate. */
  to: z.number().positive().default(10),
  /** Steps from the first rate to the last. */
  steps: z.number().int().min(10).default(200),
  /** Training examples per step, drawn in a seeded order, cycling through the training set. */
  batchSize: z.number().int().min(1).default(64),
  /** Weight of the previous value in the loss's exponential moving average (0: no smoothing). */
  smoothing: z.number().min(0).lt(1).default(0.9),
  /** The loss has diverged once its smoothed value exceeds this many times its minimum. */
  divergenceFactor: z.number().gt(1).default(4),
});

/** The probe's settings. */
export type LearningRateRangeProbe = z.output<typeof schema>;

/** What the range test found. */
export interface RangeTestSummary {
  /** The loss of the first step. */
  initialLoss: number;
  /** The lowest smoothed loss. */
  minimumLoss: number;
  /** The rate at the lowest smoothed loss. */
  bestLearningRate: number;
  /** The rate at which the smoothed loss first exceeded `factor` × its minimum so far; else NaN. */
  divergenceLearningRate: number;
  /** The smoothed losses, one per step, up to and including the divergence. */
  smoothed: number[];
}

/**
 * Smooths the range test's losses with a bias-corrected exponential moving average and finds its
 * minimum and the first step where it exceeds `factor` times the minimum so far (or is not
 * finite).
 *
 * @param rates The rate of each step.
 * @param losses The loss of each step.
 * @param smoothing β of the moving average: smoothed_t = β · smoothed_{t−1} + (1 − β) · loss_t,
 * divided by 1 − β^(t+1).
 * @param factor How many times the minimum counts as diverged.
 * @returns The summary.
 *
 * @example
 * ```ts
 * import { summarizeRangeTest } from "./learning_rate_range.ts";
 * const rates = [0.01, 0.1, 1, 10, 100];
 * const summary = summarizeRangeTest(rates, [2.3, 1.5, 0.5, 1.0, 9], 0, 4);
 * if (summary.bestLearningRate !== 1 || summary.divergenceLearningRate !== 100) throw new Error();
 * ```
 */
export function summarizeRangeTest(
  rates: readonly number[],
  losses: readonly number[],
  smoothing: number,
  factor: number,
): RangeTestSummary {
  const smoothed: number[] = [];
  let average = 0;
  let minimum = Infinity;
  let best = Number.NaN;
  let divergence = Number.NaN;
  for (let t = 0; t < losses.length; t++) {
    average = smoothing * average + (1 - smoothing) * losses[t];
    const value = average / (1 - smoothing ** (t + 1));
    smoothed.push(value);
    if (!Number.isFinite(value) || value > factor * minimum) {
      divergence = rates[t];
      break;
    }
    if (value < minimum) {
      minimum = value;
      best = rates[t];
    }
  }
  return {
    initialLoss: losses[0],
    minimumLoss: minimum,
    bestLearningRate: best,
    divergenceLearningRate: divergence,
    smoothed,
  };
}

/** The `learningRateRange` probe. */
export const learningRateRange: ProbeDefinition<LearningRateRangeProbe> = {
  schema,
  when: "before",
  metrics: () => [
    "rangeTestInitialLoss",
    "rangeTestMinimumLoss",
    "rangeTestBestLearningRate",
    "rangeTestDivergenceLearningRate",
  ],
  check(probe) {
    return probe.to > probe.optimizer.learningRate ? [] : [
      `probes: learningRateRange: expected "to" above the optimizer's learningRate ${probe.optimizer.learningRate}, found ${probe.to}`,
    ];
  },
  async run(probe, { model, train, loss, shape, seed }) {
    const start = probe.optimizer.learningRate;
    const schedule = { kind: "exponentialRamp" as const, factor: probe.to / start };
    const initialWeights = model.getWeights().map((weight) => tf.clone(weight));
    const dropoutCalls = countedCalls(model);
    const optimizer = new TrainingOptimizer(probe.optimizer);
    const context: StepContext = {
      model,
      optimizer,
      loss,
      target: shape.target,
      variables: model.trainableWeights.map((weight) => weight.read() as tf.Variable),
      l2: 0,
      clipNorm: 0,
    };
    const count = train.features.shape[0];
    const size = Math.min(probe.batchSize, count);
    const lossSum = tf.tidy(() => tf.variable(tf.scalar(0), false));
    const rates: number[] = [];
    const losses: number[] = [];
    let order = tf.tensor1d(permutation(count, deriveSeed(seed, "learningRateRange", 0)), "int32");
    try {
      for (let step = 0, at = 0, pass = 0; step < probe.steps; step++, at += size) {
        if (at + size > count) {
          order.dispose();
          order = tf.tensor1d(
            permutation(count, deriveSeed(seed, "learningRateRange", ++pass)),
            "int32",
          );
          at = 0;
        }
        const rate = learningRateAt(start, schedule, {
          step,
          epoch: 1,
          totalSteps: probe.steps,
        });
        optimizer.setLearningRate(rate);
        tf.tidy(() => {
          const indices = order.slice([at], [size]);
          trainStep(
            context,
            tf.gather(train.features, indices),
            tf.gather(train.targets, indices),
            lossSum,
          );
        });
        const value = (await lossSum.data())[0];
        tf.tidy(() => lossSum.assign(tf.zerosLike(lossSum)));
        rates.push(rate);
        losses.push(value);
        // Once the loss is not finite, every later step would be too.
        if (!Number.isFinite(value)) break;
      }
    } finally {
      model.setWeights(initialWeights);
      restoreCalls(dropoutCalls);
      tf.dispose([...initialWeights, order, lossSum]);
      optimizer.dispose();
    }
    const summary = summarizeRangeTest(rates, losses, probe.smoothing, probe.divergenceFactor);
    const shown = summary.smoothed.length;
    const points = (values: readonly number[]) =>
      values.slice(0, shown).flatMap((y, i) => Number.isFinite(y) ? [{ x: rates[i], y }] : []);
    return {
      final: {
        rangeTestInitialLoss: summary.initialLoss,
        rangeTestMinimumLoss: summary.minimumLoss,
        rangeTestBestLearningRate: summary.bestLearningRate,
        // Never diverged: the largest rate tried is a lower bound.
        rangeTestDivergenceLearningRate: Number.isFinite(summary.divergenceLearningRate)
          ? summary.divergenceLearningRate
          : rates[rates.length - 1],
      },
      artifacts: {
        learningRateRange: {
          kind: "lines",
          title: "Learning-rate range test",
          description:
            `Training loss against the learning rate over ${rates.length} ${probe.optimizer.kind} steps of ${size} examples, the rate rising geometrically from ${start} to ${probe.to}, from the initial weights; the smoothed loss is lowest (${
              summary.minimumLoss.toPrecision(3)
            }) at rate ${summary.bestLearningRate.toPrecision(3)}${
              Number.isFinite(summary.divergenceLearningRate)
                ? ` and exceeds ${probe.divergenceFactor}× that from rate ${
                  summary.divergenceLearningRate.toPrecision(3)
                } (the test stops there)`
                : ", and never diverged"
            }.`,
          xTitle: "learning rate",
          yTitle: "training loss",
          logX: true,
          logY: true,
          series: [
            { name: "loss per step", points: points(losses) },
            { name: `smoothed (β = ${probe.smoothing})`, points: points(summary.smoothed) },
          ],
        },
      },
    };
  },
};

/** Layers that count their training calls (seeded dropout), so that the probe leaves no trace. */
function countedCalls(model: tf.LayersModel): Map<tf.layers.Layer, number> {
  const calls = new Map<tf.layers.Layer, number>();
  for (const layer of model.layers) {
    const counted = layer as unknown as { calls?: unknown };
    if (typeof counted.calls === "number") calls.set(layer, counted.calls);
  }
  return calls;
}

function restoreCalls(calls: Map<tf.layers.Layer, number>): void {
  for (const [layer, count] of calls) (layer as unknown as { calls: number }).calls = count;
}
