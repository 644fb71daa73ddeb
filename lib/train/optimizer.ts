/**
 * Optimizers as data: a description in the experiment file, a tfjs optimizer at run time.
 *
 * @module
 */

import * as tf from "@tensorflow/tfjs";
import { z } from "zod";

/** An optimizer and its hyperparameters. */
export const optimizerSchema = z.strictObject({
  kind: z.enum(["sgd", "momentum", "nesterov", "adam", "rmsprop", "adagrad"]),
  /** Step size at the first epoch. */
  learningRate: z.number().positive(),
  /** For momentum and nesterov. */
  momentum: z.number().min(0).lt(1).default(0.9),
});

/** An optimizer's description. */
export type OptimizerSpec = z.output<typeof optimizerSchema>;

/**
 * Creates the tfjs optimizer a description names.
 *
 * @param spec The description.
 * @returns The optimizer.
 *
 * @example
 * ```ts
 * import { createOptimizer } from "./optimizer.ts";
 * const optimizer = createOptimizer({ kind: "adam", learningRate: 1e-3, momentum: 0.9 });
 * optimizer.dispose();
 * ```
 */
export function createOptimizer(spec: OptimizerSpec): tf.Optimizer {
  switch (spec.kind) {
    case "sgd":
      return tf.train.sgd(spec.learningRate);
    case "momentum":
      return tf.train.momentum(spec.learningRate, spec.momentum);
    case "nesterov":
      return tf.train.momentum(spec.learningRate, spec.momentum, true);
    case "adam":
      return tf.train.adam(spec.learningRate);
    case "rmsprop":
      return tf.train.rmsprop(spec.learningRate);
    case "adagrad":
      return tf.train.adagrad(spec.learningRate);
  }
}

/**
 * Changes an optimizer's learning rate between steps (for per-epoch decay). tfjs's optimizers
 * read `learningRate` at every step but expose no setter except on SGD.
 *
 * @param optimizer A tfjs optimizer made by {@linkcode createOptimizer}.
 * @param learningRate The new rate.
 *
 * @example
 * ```ts
 * import { createOptimizer, setLearningRate } from "./optimizer.ts";
 * const optimizer = createOptimizer({ kind: "sgd", learningRate: 0.1, momentum: 0 });
 * setLearningRate(optimizer, 0.05);
 * ```
 */
export function setLearningRate(optimizer: tf.Optimizer, learningRate: number): void {
  const holder = optimizer as unknown as {
    learningRate?: number;
    setLearningRate?: (rate: number) => void;
  };
  if (typeof holder.learningRate !== "number") {
    throw new TypeError(`Expected ${optimizer.getClassName()} to have a numeric learningRate`);
  }
  holder.learningRate = learningRate;
  // SGD caches the rate as a scalar tensor `c`; replace it so the new rate takes effect.
  holder.setLearningRate?.(learningRate);
}
