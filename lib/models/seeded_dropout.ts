/**
 * Dropout whose masks are reproducible and new at every step.
 *
 * tfjs's `tf.layers.dropout({ seed })` builds a new generator from the same seed on every call, so
 * it drops the same units at every step; without a seed it draws from `Math.random`. This layer
 * derives each step's mask seed from the trial seed, the layer's name and a step counter instead.
 *
 * @module
 */

import * as tf from "@tensorflow/tfjs";
import { deriveSeed } from "../random/seed.ts";

/** Options of {@linkcode SeededDropout}. */
export interface SeededDropoutArgs {
  /** Fraction of units dropped during training, in [0, 1). */
  rate: number;
  /** The trial's root seed. */
  seed: number;
  /** The layer's name; also part of the mask seeds. */
  name: string;
}

/**
 * Inverted dropout (kept units scaled by 1/(1-rate)) with a fresh seeded mask each training call.
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import { SeededDropout } from "./seeded_dropout.ts";
 * await tf.setBackend("cpu");
 * const layer = new SeededDropout({ rate: 0.5, seed: 7, name: "drop" });
 * const x = tf.ones([1, 8]);
 * const a = layer.apply(x, { training: true }) as tf.Tensor;
 * const b = layer.apply(x, { training: true }) as tf.Tensor;
 * if (a.arraySync().toString() === b.arraySync().toString()) throw new Error("same mask twice");
 * tf.dispose([x, a, b]);
 * ```
 */
export class SeededDropout extends tf.layers.Layer {
  /** The class name tfjs uses for serialisation. */
  static className = "SeededDropout";
  /** Fraction of units dropped during training, in [0, 1). */
  readonly rate: number;
  /** The trial's root seed, from which each mask's seed derives. */
  readonly rootSeed: number;
  /** Training calls so far: part of the next mask's seed. */
  calls = 0;

  /**
   * Creates the layer; the rate must be in [0, 1).
   *
   * @param args Rate, seed and name.
   * @throws {RangeError} When the rate is outside [0, 1).
   */
  constructor(args: SeededDropoutArgs) {
    super({ name: args.name });
    if (!(args.rate >= 0 && args.rate < 1)) {
      throw new RangeError(`Expected dropout rate in [0, 1) but found ${args.rate}`);
    }
    this.rate = args.rate;
    this.rootSeed = args.seed;
  }

  /** Drops units with a fresh seeded mask when training; returns a copy of the input otherwise. */
  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: { training?: boolean }): tf.Tensor {
    const input = Array.isArray(inputs) ? inputs[0] : inputs;
    if (!kwargs.training || this.rate === 0) return tf.clone(input);
    const seed = deriveSeed(this.rootSeed, "dropout", this.name, this.calls++);
    return tf.tidy(() => {
      const keep = tf.cast(
        tf.greaterEqual(tf.randomUniform(input.shape, 0, 1, "float32", seed), this.rate),
        "float32",
      );
      return tf.mul(input, tf.mul(keep, 1 / (1 - this.rate)));
    });
  }

  /** The base layer's config plus `rate` and `seed`, for serialisation. */
  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), rate: this.rate, seed: this.rootSeed };
  }
}
