/**
 * The framework's in-memory data sets: flat typed arrays plus the shape of one example, so they
 * can be handed to any backend (`tf.tensor(split.features, [split.count, ...split.featureShape])`)
 * without this module depending on one.
 *
 * @module
 */

import { permutation } from "../random/seed.ts";

/** Examples with integer class labels, features row-major, example after example. */
export interface ClassificationSplit {
  /** `count * product(featureShape)` values. */
  features: Float32Array;
  /** `count` labels in `0 .. classes-1`. */
  labels: Int32Array;
  /** Number of examples. */
  count: number;
  /** Shape of one example, e.g. `[28, 28, 1]` for an MNIST image or `[2]` for a point. */
  featureShape: number[];
  /** Number of classes. */
  classes: number;
}

/** Examples with real-valued targets, features and targets row-major, example after example. */
export interface RegressionSplit {
  /** `count * product(featureShape)` values. */
  features: Float32Array;
  /** `count * product(targetShape)` values. */
  targets: Float32Array;
  /** Number of examples. */
  count: number;
  /** Shape of one example, e.g. `[length, 2]` for a sequence of pairs. */
  featureShape: number[];
  /** Shape of one target, e.g. `[1]` for a scalar. */
  targetShape: number[];
}

/** Optional standardisation of {@linkcode toClassificationSplit}, in units of the [0, 1] scale. */
export interface Standardization {
  /** Subtracted after scaling to [0, 1], e.g. 0.1307 for MNIST's training pixels. */
  mean: number;
  /** Divided by after subtracting the mean, e.g. 0.3081 for MNIST's training pixels. */
  std: number;
}

/**
 * Turns 8-bit images and labels into a classification split: each pixel `p` becomes `p / 255`, or
 * `(p / 255 - mean) / std` when `standardize` is given. Uses the first `count` examples, so a
 * prefix of a larger set costs only what it keeps.
 *
 * @param images At least `count * product(featureShape)` grey levels 0-255.
 * @param labels At least `count` labels, each below `classes`.
 * @param count How many examples to take from the start.
 * @param featureShape Shape of one example, e.g. `[28, 28, 1]`.
 * @param classes Number of classes.
 * @param standardize Mean and standard deviation to standardise with, on the [0, 1] scale.
 * @returns The split, with new arrays (the inputs are not kept).
 * @throws {RangeError} When `count` or a dimension is not a non-negative integer, `classes` is
 * not a positive integer, the inputs are too short, or a label is not below `classes`.
 *
 * @example
 * ```ts
 * import { toClassificationSplit } from "./dataset.ts";
 * const split = toClassificationSplit(new Uint8Array([0, 255, 51, 0]), new Uint8Array([1, 0]), 2, [2], 2);
 * if (split.features[1] !== 1 || split.features[2] !== Math.fround(0.2)) throw new Error("wrong");
 * if (split.labels[0] !== 1 || split.count !== 2) throw new Error("wrong");
 * ```
 */
export function toClassificationSplit(
  images: Uint8Array,
  labels: Uint8Array,
  count: number,
  featureShape: number[],
  classes: number,
  standardize?: Standardization,
): ClassificationSplit {
  checkCount("toClassificationSplit", "count", count);
  checkCount("toClassificationSplit", "classes", classes, 1);
  featureShape.forEach((dim, i) => checkCount("toClassificationSplit", `featureShape[${i}]`, dim));
  const size = product(featureShape);
  if (images.length < count * size) {
    throw new RangeError(
      `toClassificationSplit: expected at least ${count * size} image values (${count} x ${
        featureShape.join("x")
      }), found ${images.length}`,
    );
  }
  if (labels.length < count) {
    throw new RangeError(
      `toClassificationSplit: expected at least ${count} labels, found ${labels.length}`,
    );
  }
  const { mean = 0, std = 1 } = standardize ?? {};
  if (!Number.isFinite(mean) || !(std > 0) || !Number.isFinite(std)) {
    throw new RangeError(
      `toClassificationSplit: expected a finite mean and a positive finite std, found mean ${mean}, std ${std}`,
    );
  }
  // The 256 grey levels computed once (in float64, then rounded), rather than once per pixel.
  const table = new Float32Array(256);
  for (let level = 0; level < 256; level++) table[level] = (level / 255 - mean) / std;
  const features = new Float32Array(count * size);
  for (let i = 0; i < features.length; i++) features[i] = table[images[i]];
  const out = new Int32Array(count);
  for (let i = 0; i < count; i++) {
    if (labels[i] >= classes) {
      throw new RangeError(
        `toClassificationSplit: expected labels 0-${classes - 1}, found ${labels[i]} at index ${i}`,
      );
    }
    out[i] = labels[i];
  }
  return { features, labels: out, count, featureShape: [...featureShape], classes };
}

/**
 * The first `count` examples of a split. Deterministic, with no randomness: the same split and
 * count always give the same examples (shuffle first with {@linkcode seededPermutation} if a random
 * subset is wanted). The arrays are views on the original's, not copies.
 *
 * @param split The split to take from.
 * @param count How many examples to keep, at most `split.count`.
 * @returns A split of `count` examples sharing memory with `split`.
 * @throws {RangeError} When `count` is not an integer in `0 .. split.count`.
 *
 * @example
 * ```ts
 * import { takeSubset, toClassificationSplit } from "./dataset.ts";
 * const split = toClassificationSplit(new Uint8Array(6), new Uint8Array([0, 1, 2]), 3, [2], 3);
 * const subset = takeSubset(split, 2);
 * if (subset.count !== 2 || subset.features.length !== 4 || subset.labels[1] !== 1) {
 *   throw new Error("wrong");
 * }
 * ```
 */
export function takeSubset(split: ClassificationSplit, count: number): ClassificationSplit {
  checkCount("takeSubset", "count", count);
  if (count > split.count) {
    throw new RangeError(
      `takeSubset: expected count to be at most the split's ${split.count} examples, found ${count}`,
    );
  }
  return {
    features: split.features.subarray(0, count * product(split.featureShape)),
    labels: split.labels.subarray(0, count),
    count,
    featureShape: [...split.featureShape],
    classes: split.classes,
  };
}

/**
 * A permutation of `0 .. count-1` drawn from `seed` (Fisher–Yates over the seeded generator of
 * `lib/random/seed.ts`), for shuffling or drawing a random subset reproducibly.
 *
 * @param count How many indices.
 * @param seed A uint32 seed, usually `deriveSeed(trialSeed, "what it is for")`.
 * @returns Each index in `0 .. count-1` exactly once; the same for the same count and seed.
 * @throws {RangeError} When `count` is not a non-negative integer or `seed` is not a uint32.
 *
 * @example
 * ```ts
 * import { seededPermutation } from "./dataset.ts";
 * const order = seededPermutation(5, 42);
 * if ([...order].sort().join() !== "0,1,2,3,4") throw new Error("not a permutation");
 * if (order.join() !== seededPermutation(5, 42).join()) throw new Error("not deterministic");
 * ```
 */
export function seededPermutation(count: number, seed: number): Int32Array {
  checkCount("seededPermutation", "count", count);
  return permutation(count, seed);
}

function checkCount(caller: string, what: string, value: number, min = 0): void {
  if (!Number.isInteger(value) || value < min) {
    const expected = min === 0 ? "a non-negative integer" : `an integer of at least ${min}`;
    throw new RangeError(`${caller}: expected ${what} to be ${expected}, found ${value}`);
  }
}

function product(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}
