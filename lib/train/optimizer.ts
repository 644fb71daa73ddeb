/**
 * Optimizers as data: a description in the experiment file, a tfjs optimizer at run time, wrapped
 * so that every kind trains on every backend without leaking, takes a new learning rate at any
 * step, and saves and restores its state exactly (for resumed trials).
 *
 * Update rules (tfjs 4.22's, which these wrap; g is the gradient, η the learning rate):
 * - `sgd`: w ← w − η g
 * - `momentum`: v ← μ v + g; w ← w − η v
 * - `nesterov`: v ← μ v + g; w ← w − η (g + μ v)
 * - `adagrad`: a ← a + g²; w ← w − η g / √(a + ε) (a starts at `initialAccumulator`)
 * - `rmsprop`: s ← ρ s + (1 − ρ) g²; w ← w − η g / √(s + ε)
 * - `adam`: m ← β₁ m + (1 − β₁) g; v ← β₂ v + (1 − β₂) g²;
 *   w ← w − η (m / (1 − β₁ᵗ)) / (√(v / (1 − β₂ᵗ)) + ε)
 *
 * @module
 */

import * as tf from "@tensorflow/tfjs";
import { z } from "zod";
import type { SavedTensor } from "../experiment/checkpoints.ts";

const learningRate = z.number().positive();

/** An optimizer and its hyperparameters. */
export const optimizerSchema = z.discriminatedUnion("kind", [
  z.strictObject({ kind: z.literal("sgd"), learningRate }),
  z.strictObject({
    kind: z.literal("momentum"),
    learningRate,
    /** μ: how much of the previous step carries over. */
    momentum: z.number().min(0).lt(1).default(0.9),
  }),
  z.strictObject({
    kind: z.literal("nesterov"),
    learningRate,
    momentum: z.number().min(0).lt(1).default(0.9),
  }),
  z.strictObject({
    kind: z.literal("adagrad"),
    learningRate,
    /** The accumulator's starting value (tfjs's default 0.1). */
    initialAccumulator: z.number().positive().default(0.1),
  }),
  z.strictObject({
    kind: z.literal("rmsprop"),
    learningRate,
    /** ρ: the decay of the mean square (tfjs's default 0.9). */
    decay: z.number().min(0).lt(1).default(0.9),
    /** ε; default the backend's (1e-7). */
    epsilon: z.number().positive().optional(),
  }),
  z.strictObject({
    kind: z.literal("adam"),
    learningRate,
    beta1: z.number().min(0).lt(1).default(0.9),
    beta2: z.number().min(0).lt(1).default(0.999),
    /** ε; default the backend's (1e-7). */
    epsilon: z.number().positive().optional(),
  }),
]);

/** An optimizer's description. */
export type OptimizerSpec = z.output<typeof optimizerSchema>;
/** An optimizer's description, as written. */
export type OptimizerSpecInput = z.input<typeof optimizerSchema>;
/** The optimizer kinds. */
export const OPTIMIZER_KINDS = [
  "sgd",
  "momentum",
  "nesterov",
  "adagrad",
  "rmsprop",
  "adam",
] as const;

/** tfjs's optimizers keep their state in these fields (arrays of `{originalName, variable}`). */
const STATE_ARRAYS: Record<OptimizerSpec["kind"], readonly string[]> = {
  sgd: [],
  momentum: ["accumulations"],
  nesterov: ["accumulations"],
  adagrad: ["accumulatedGrads"],
  rmsprop: ["accumulatedMeanSquares", "accumulatedMoments"],
  adam: ["accumulatedFirstMoment", "accumulatedSecondMoment"],
};
/** ...and these scalar variables. */
const STATE_SCALARS: Record<OptimizerSpec["kind"], readonly string[]> = {
  sgd: [],
  momentum: [],
  nesterov: [],
  adagrad: [],
  rmsprop: [],
  adam: ["accBeta1", "accBeta2"],
};

type OptimizerVariable = { originalName: string; variable: tf.Variable };
type Internals = Record<string, unknown> & {
  learningRate: number;
  c?: tf.Scalar;
  setLearningRate?: (rate: number) => void;
  iterations_?: number;
};

/** A tfjs optimizer made from a description, with what the training loop needs. */
export class TrainingOptimizer {
  /** The description it was made from. */
  readonly spec: OptimizerSpec;
  /** The tfjs optimizer. */
  readonly optimizer: tf.Optimizer;

  /**
   * Makes the tfjs optimizer a description names.
   *
   * @param spec The description.
   *
   * @example
   * ```ts
   * import * as tf from "@tensorflow/tfjs";
   * import { TrainingOptimizer } from "./optimizer.ts";
   * await tf.setBackend("cpu");
   * const before = tf.memory().numTensors;
   * const w = tf.tidy(() => tf.variable(tf.scalar(1)));
   * const optimizer = new TrainingOptimizer({ kind: "momentum", learningRate: 0.1, momentum: 0.9 });
   * tf.tidy(() => optimizer.applyGradients({ [w.name]: tf.scalar(1) })); // v = 1, w = 1 - 0.1
   * if (Math.abs(w.dataSync()[0] - 0.9) > 1e-6) throw new Error(String(w.dataSync()[0]));
   * optimizer.dispose();
   * w.dispose();
   * if (tf.memory().numTensors !== before) throw new Error("leaked");
   * ```
   */
  constructor(spec: OptimizerSpec) {
    this.spec = spec;
    this.optimizer = createTfOptimizer(spec);
  }

  /** The learning rate the next step uses. */
  get learningRate(): number {
    return (this.optimizer as unknown as Internals).learningRate;
  }

  /**
   * Changes the learning rate for the following steps. tfjs's optimizers read `learningRate` at
   * every step; SGD and its momentum variants cache it as a scalar, which is replaced.
   *
   * @param rate The new rate.
   */
  setLearningRate(rate: number): void {
    const internals = this.optimizer as unknown as Internals;
    if (internals.learningRate === rate) return;
    internals.learningRate = rate;
    internals.setLearningRate?.(rate);
  }

  /**
   * One update with the given gradients, keyed by variable name, in a fixed order.
   *
   * @param gradients Variable name -> gradient.
   */
  applyGradients(gradients: tf.NamedTensorMap): void {
    this.optimizer.applyGradients(gradients);
  }

  /**
   * The optimizer's state (moments, accumulators, step count), for a checkpoint.
   *
   * @returns Tensors by name, read back from the device.
   */
  async saveState(): Promise<Record<string, SavedTensor>> {
    const internals = this.optimizer as unknown as Internals;
    const state: Record<string, SavedTensor> = {};
    for (const field of STATE_ARRAYS[this.spec.kind]) {
      const entries = (internals[field] ?? []) as OptimizerVariable[];
      for (const [i, entry] of entries.entries()) {
        if (entry) state[`${field}/${i}`] = await saveTensor(entry.variable);
      }
    }
    for (const field of STATE_SCALARS[this.spec.kind]) {
      state[field] = await saveTensor(internals[field] as tf.Variable);
    }
    state.iterations = {
      shape: [],
      dtype: "int32",
      values: Int32Array.of(internals.iterations_ ?? 0),
    };
    return state;
  }

  /**
   * Restores a state saved by {@linkcode TrainingOptimizer.saveState}, bit for bit.
   *
   * @param state The saved tensors.
   * @param variableNames The model's trainable variables in the order gradients are applied.
   */
  restoreState(state: Record<string, SavedTensor>, variableNames: readonly string[]): void {
    const internals = this.optimizer as unknown as Internals;
    for (const field of STATE_ARRAYS[this.spec.kind]) {
      const entries: OptimizerVariable[] = [];
      variableNames.forEach((name, i) => {
        const saved = state[`${field}/${i}`];
        if (saved) {
          entries[i] = {
            originalName: `${name}/${field}`,
            variable: tf.tidy(() => tf.variable(loadTensor(saved), false)),
          };
        }
      });
      const old = (internals[field] ?? []) as OptimizerVariable[];
      tf.dispose(old.filter(Boolean).map((entry) => entry.variable));
      internals[field] = entries;
    }
    for (const field of STATE_SCALARS[this.spec.kind]) {
      const saved = state[field];
      if (saved) tf.tidy(() => (internals[field] as tf.Variable).assign(loadTensor(saved)));
    }
    internals.iterations_ = state.iterations?.values[0] ?? 0;
  }

  /** Frees every tensor the optimizer holds (tfjs's momentum optimizer forgets its rate scalar). */
  dispose(): void {
    const internals = this.optimizer as unknown as Internals;
    const rate = internals.c;
    this.optimizer.dispose();
    if (rate && !rate.isDisposed) rate.dispose();
  }
}

function createTfOptimizer(spec: OptimizerSpec): tf.Optimizer {
  switch (spec.kind) {
    case "sgd":
      return tf.train.sgd(spec.learningRate);
    case "momentum":
      return tf.train.momentum(spec.learningRate, spec.momentum);
    case "nesterov":
      return tf.train.momentum(spec.learningRate, spec.momentum, true);
    case "adagrad":
      return tf.train.adagrad(spec.learningRate, spec.initialAccumulator);
    case "rmsprop":
      return tf.train.rmsprop(spec.learningRate, spec.decay, 0, spec.epsilon);
    case "adam":
      return tf.train.adam(spec.learningRate, spec.beta1, spec.beta2, spec.epsilon);
  }
}

/**
 * Reads a tensor back for a checkpoint.
 *
 * @param tensor Any float32 or int32 tensor.
 * @returns Its shape, dtype and values.
 */
export async function saveTensor(tensor: tf.Tensor): Promise<SavedTensor> {
  const values = await tensor.data();
  return {
    shape: [...tensor.shape],
    dtype: tensor.dtype === "int32" ? "int32" : "float32",
    values: tensor.dtype === "int32" ? Int32Array.from(values) : Float32Array.from(values),
  };
}

/**
 * Makes a tensor from a checkpoint's saved values.
 *
 * @param saved The saved tensor.
 * @returns A new tensor.
 */
export function loadTensor(saved: SavedTensor): tf.Tensor {
  return tf.tensor(saved.values, saved.shape, saved.dtype);
}
