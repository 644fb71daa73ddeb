/**
 * Throughput of the framework's own training step and of inference, on the active backend:
 * what `deno task bench` and the history chapter measure. Timings only; nothing here goes into
 * deterministic metrics.
 *
 * @module
 */

import * as tf from "@tensorflow/tfjs";
import { expandModel, type ModelSpecInput, modelSpecSchema } from "../models/presets.ts";
import { buildModel } from "../models/build_model.ts";
import { TrainingOptimizer } from "./optimizer.ts";
import { trainStep } from "./train_loop.ts";
import type { TargetShape } from "../data/sources.ts";
import { deriveSeed } from "../random/seed.ts";

/** What to measure. */
export interface ThroughputOptions {
  /** The model to measure (e.g. `{ kind: "lenet5" }`), built for MNIST's shapes. */
  model: ModelSpecInput;
  /** Examples per step. */
  batchSize: number;
  /** Steps run before timing starts (shader compilation, allocation). */
  warmupSteps?: number;
  /** Time at least this long... */
  minSeconds?: number;
  /** ...but stop after this many steps. */
  maxSteps?: number;
  /** Steps between loss readbacks, as in training. */
  readbackEvery?: number;
  /** Seeds the weights and the synthetic data; 1 unless given. */
  seed?: number;
}

/** A measurement. */
export interface Throughput {
  /** Examples processed per second, over all timed steps. */
  examplesPerSecond: number;
  /** Steps timed. */
  steps: number;
  /** Seconds the timed steps took, up to the last sync with the device. */
  seconds: number;
}

/** MNIST's shape: what the measured models expect. */
const SHAPE = { input: [28, 28, 1], outputs: 10 };
const TARGET: TargetShape = { kind: "classes", classes: 10, shape: [] };

function createModel(spec: ModelSpecInput, seed: number): tf.LayersModel {
  return buildModel(SHAPE.input, expandModel(modelSpecSchema.parse(spec), SHAPE), seed);
}
/** Distinct batches kept on the device, cycled through. */
const POOL = 8;

/**
 * Measures training steps per second (as examples/s) with Adam, on synthetic data kept on the
 * device, reading the loss back every `readbackEvery` steps like the training loop.
 *
 * @param options Model, batch size and duration.
 * @returns Examples per second.
 */
export async function measureTraining(options: ThroughputOptions): Promise<Throughput> {
  const seed = options.seed ?? 1;
  const model = createModel(options.model, seed);
  const optimizer = new TrainingOptimizer({
    kind: "adam",
    learningRate: 1e-3,
    beta1: 0.9,
    beta2: 0.999,
  });
  const data = syntheticBatches(options.batchSize, seed);
  const lossSum = tf.tidy(() => tf.variable(tf.scalar(0), false));
  const readbackEvery = options.readbackEvery ?? 100;
  const context = {
    model,
    optimizer,
    loss: "crossEntropy" as const,
    target: TARGET,
    variables: model.trainableWeights.map((weight) => weight.read() as tf.Variable),
    l2: 0,
    clipNorm: 0,
  };
  const step = (i: number) => trainStep(context, data.x[i % POOL], data.labels[i % POOL], lossSum);
  try {
    for (let i = 0; i < (options.warmupSteps ?? 3); i++) step(i);
    await lossSum.data();
    return await timeSteps(options, step, readbackEvery, () => lossSum.data());
  } finally {
    tf.dispose([...data.x, ...data.labels, lossSum]);
    optimizer.dispose();
    model.dispose();
  }
}

/**
 * Measures inference (forward pass, no gradients) in examples per second.
 *
 * @param options Model, batch size and duration.
 * @returns Examples per second.
 */
export async function measureInference(options: ThroughputOptions): Promise<Throughput> {
  const seed = options.seed ?? 1;
  const model = createModel(options.model, seed);
  const data = syntheticBatches(options.batchSize, seed);
  let total: tf.Tensor = tf.scalar(0);
  const step = (i: number) => {
    const next = tf.tidy(() =>
      tf.add(total, tf.sum(model.apply(data.x[i % POOL], { training: false }) as tf.Tensor))
    );
    total.dispose();
    total = next;
  };
  try {
    for (let i = 0; i < (options.warmupSteps ?? 3); i++) step(i);
    await total.data();
    return await timeSteps(options, step, options.readbackEvery ?? 100, () => total.data());
  } finally {
    tf.dispose([...data.x, ...data.labels, total]);
    model.dispose();
  }
}

async function timeSteps(
  options: ThroughputOptions,
  step: (i: number) => void,
  readbackEvery: number,
  sync: () => Promise<unknown>,
): Promise<Throughput> {
  const minSeconds = options.minSeconds ?? 2;
  const maxSteps = options.maxSteps ?? 10_000;
  const started = performance.now();
  let steps = 0;
  // The clock means something only after a sync (a GPU queues work). Sync at doubling step
  // counts until the interval reaches readbackEvery, so slow backends stop soon after
  // minSeconds and fast ones pay for few syncs.
  let nextSync = 1;
  for (;;) {
    step(steps);
    steps++;
    if (steps < nextSync && steps < maxSteps) continue;
    await sync();
    const seconds = (performance.now() - started) / 1000;
    if (seconds >= minSeconds || steps >= maxSteps) {
      return { examplesPerSecond: (steps * options.batchSize) / seconds, steps, seconds };
    }
    nextSync = steps + Math.min(steps, readbackEvery);
  }
}

function syntheticBatches(batchSize: number, seed: number) {
  const x: tf.Tensor4D[] = [];
  const labels: tf.Tensor1D[] = [];
  for (let i = 0; i < POOL; i++) {
    x.push(
      tf.randomUniform([batchSize, 28, 28, 1], 0, 1, "float32", deriveSeed(seed, "bench-x", i)),
    );
    labels.push(
      tf.tidy(() =>
        tf.cast(
          tf.floor(tf.randomUniform([batchSize], 0, 10, "float32", deriveSeed(seed, "bench-y", i))),
          "int32",
        )
      ),
    );
  }
  return { x, labels };
}
