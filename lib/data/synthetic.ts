/**
 * Seeded synthetic data sets: four 2-D classification problems and the adding problem of
 * Hochreiter & Schmidhuber (1997). Each generator is a pure function of its arguments: the same
 * seed gives the same values, bit for bit. Classification examples come in a seeded random order,
 * so any prefix (`takeSubset` of `./dataset.ts`) mixes the classes.
 *
 * @module
 */

import { createRng, deriveSeed, normal, permutation } from "../random/seed.ts";
import type { ClassificationSplit, RegressionSplit } from "./dataset.ts";

/** Options of {@linkcode twoMoons}. */
export interface TwoMoonsOptions {
  /** Standard deviation of Gaussian noise added to each coordinate; default 0.1. */
  noise?: number;
}

/**
 * Two interleaving half circles (the geometry of scikit-learn's `make_moons`): class 0 on the
 * upper unit half circle `(cos t, sin t)`, class 1 on `(1 - cos t, 0.5 - sin t)`, with `t` drawn
 * uniformly from [0, π] (scikit-learn spaces it evenly) and Gaussian noise on each coordinate.
 * Class 0 has `floor(count / 2)` examples, class 1 the rest.
 *
 * @param count Number of examples.
 * @param seed A uint32 seed.
 * @param options Noise level.
 * @returns A split with `featureShape` `[2]` and 2 classes.
 * @throws {RangeError} For a count that is not a positive integer, a seed that is not a uint32 or
 * a negative noise.
 *
 * @example
 * ```ts
 * import { twoMoons } from "./synthetic.ts";
 * const moons = twoMoons(100, 7, { noise: 0 });
 * const [x, y] = moons.features.subarray(0, 2);
 * const onCircle = moons.labels[0] === 0 ? Math.hypot(x, y) : Math.hypot(x - 1, y - 0.5);
 * if (Math.abs(onCircle - 1) > 1e-6) throw new Error("off the moon");
 * ```
 */
export function twoMoons(
  count: number,
  seed: number,
  options: TwoMoonsOptions = {},
): ClassificationSplit {
  const { noise = 0.1 } = options;
  checkArguments("twoMoons", count, seed);
  checkNonNegative("twoMoons", "noise", noise);
  const perClass = [Math.floor(count / 2), count - Math.floor(count / 2)];
  return classification("twoMoons", count, seed, 2, perClass, (label, rng) => {
    const t = Math.PI * rng();
    const x = label === 0 ? Math.cos(t) : 1 - Math.cos(t);
    const y = label === 0 ? Math.sin(t) : 0.5 - Math.sin(t);
    return [x + noise * normal(rng), y + noise * normal(rng)];
  });
}

/** Options of {@linkcode gaussianBlobs}. */
export interface GaussianBlobsOptions {
  /** Number of blobs, one class each; default 3. */
  classes?: number;
  /** Dimension of each point; default 2. */
  dimensions?: number;
  /** Standard deviation of each blob along every axis; default 1. */
  std?: number;
  /** Centres are drawn uniformly from [-centerBox, centerBox] on each axis; default 10. */
  centerBox?: number;
}

/** A {@linkcode gaussianBlobs} split, with the centres it drew. */
export interface BlobsSplit extends ClassificationSplit {
  /** `classes` centres of `dimensions` coordinates each; centre `k` is that of class `k`. */
  centers: number[][];
}

/**
 * Isotropic Gaussian blobs (after scikit-learn's `make_blobs`): one centre per class drawn
 * uniformly from a box, then points drawn around it with the given standard deviation. Classes
 * get `count / classes` examples each, the first `count % classes` classes one more.
 *
 * @param count Number of examples.
 * @param seed A uint32 seed.
 * @param options Number of classes, dimensions, spread and box.
 * @returns A split with `featureShape` `[dimensions]`, and the centres.
 * @throws {RangeError} For a count, class count or dimension that is not a positive integer, a
 * seed that is not a uint32, or a negative std or box.
 *
 * @example
 * ```ts
 * import { gaussianBlobs } from "./synthetic.ts";
 * const blobs = gaussianBlobs(300, 1, { classes: 3, std: 0.5 });
 * if (blobs.classes !== 3 || blobs.centers.length !== 3 || blobs.features.length !== 600) {
 *   throw new Error("wrong");
 * }
 * ```
 */
export function gaussianBlobs(
  count: number,
  seed: number,
  options: GaussianBlobsOptions = {},
): BlobsSplit {
  const { classes = 3, dimensions = 2, std = 1, centerBox = 10 } = options;
  checkArguments("gaussianBlobs", count, seed);
  checkPositiveInteger("gaussianBlobs", "classes", classes);
  checkPositiveInteger("gaussianBlobs", "dimensions", dimensions);
  checkNonNegative("gaussianBlobs", "std", std);
  checkNonNegative("gaussianBlobs", "centerBox", centerBox);
  const centerRng = createRng(deriveSeed(seed, "gaussianBlobs", "centers"));
  const centers = Array.from(
    { length: classes },
    () => Array.from({ length: dimensions }, () => centerBox * (2 * centerRng() - 1)),
  );
  const split = classification(
    "gaussianBlobs",
    count,
    seed,
    dimensions,
    evenly(count, classes),
    (label, rng) => centers[label].map((center) => center + std * normal(rng)),
  );
  return { ...split, centers };
}

/** Options of {@linkcode spirals}. */
export interface SpiralsOptions {
  /** Number of arms, one class each; default 2. */
  arms?: number;
  /** Full turns each arm makes from the centre to radius 1; default 1. */
  turns?: number;
  /** Standard deviation of Gaussian noise added to each coordinate; default 0.05. */
  noise?: number;
}

/**
 * Interleaved Archimedean spirals, one arm per class: a point of arm `k` at radius `r` (drawn
 * uniformly from [0, 1]) lies at angle `2π (turns r + k / arms)`, then gets Gaussian noise on
 * each coordinate. Arms get `count / arms` examples each, the first `count % arms` one more.
 *
 * @param count Number of examples.
 * @param seed A uint32 seed.
 * @param options Number of arms, turns and noise.
 * @returns A split with `featureShape` `[2]` and `arms` classes.
 * @throws {RangeError} For a count or arm count that is not a positive integer, a seed that is
 * not a uint32, or a negative number of turns or noise.
 *
 * @example
 * ```ts
 * import { spirals } from "./synthetic.ts";
 * const data = spirals(200, 3, { arms: 3, noise: 0 });
 * const radius = Math.hypot(data.features[0], data.features[1]);
 * if (data.classes !== 3 || radius > 1) throw new Error("wrong");
 * ```
 */
export function spirals(
  count: number,
  seed: number,
  options: SpiralsOptions = {},
): ClassificationSplit {
  const { arms = 2, turns = 1, noise = 0.05 } = options;
  checkArguments("spirals", count, seed);
  checkPositiveInteger("spirals", "arms", arms);
  checkNonNegative("spirals", "turns", turns);
  checkNonNegative("spirals", "noise", noise);
  return classification("spirals", count, seed, 2, evenly(count, arms), (label, rng) => {
    const radius = rng();
    const angle = 2 * Math.PI * (turns * radius + label / arms);
    return [
      radius * Math.cos(angle) + noise * normal(rng),
      radius * Math.sin(angle) + noise * normal(rng),
    ];
  });
}

/** Options of {@linkcode xor}. */
export interface XorOptions {
  /** Standard deviation of Gaussian noise added to each coordinate after labelling; default 0. */
  noise?: number;
}

/**
 * The XOR problem in 2-D: points uniform on the square [-1, 1]², labelled 1 when the two
 * coordinates have opposite signs (`x * y < 0`) and 0 otherwise, so no line separates the classes.
 * Noise, if any, is added after labelling, so points near the axes may cross to the other
 * quadrant. Each class has probability 1/2, so the class counts are Binomial(count, 1/2).
 *
 * @param count Number of examples.
 * @param seed A uint32 seed.
 * @param options Noise level.
 * @returns A split with `featureShape` `[2]` and 2 classes.
 * @throws {RangeError} For a count that is not a positive integer, a seed that is not a uint32 or
 * a negative noise.
 *
 * @example
 * ```ts
 * import { xor } from "./synthetic.ts";
 * const data = xor(50, 9);
 * const [x, y] = data.features.subarray(0, 2);
 * if (data.labels[0] !== (x * y < 0 ? 1 : 0)) throw new Error("wrong label");
 * ```
 */
export function xor(count: number, seed: number, options: XorOptions = {}): ClassificationSplit {
  const { noise = 0 } = options;
  checkArguments("xor", count, seed);
  checkNonNegative("xor", "noise", noise);
  const rng = createRng(deriveSeed(seed, "xor"));
  const features = new Float32Array(2 * count);
  const labels = new Int32Array(count);
  for (let i = 0; i < count; i++) {
    const x = 2 * rng() - 1;
    const y = 2 * rng() - 1;
    labels[i] = x * y < 0 ? 1 : 0;
    features[2 * i] = x + noise * normal(rng);
    features[2 * i + 1] = y + noise * normal(rng);
  }
  return { features, labels, count, featureShape: [2], classes: 2 };
}

/**
 * The adding problem, after Hochreiter & Schmidhuber (1997), "Long Short-Term Memory",
 * Experiment 4. Each sequence has `length` pairs `(value, marker)`:
 *
 * - every value is uniform on [-1, 1];
 * - markers are 0, except -1 on the first and the last pair (start and end signals);
 * - exactly two pairs are marked with 1: the first mark on one of the first 10 pairs (uniformly;
 *   the first `length - 1` when shorter), the second on one of the first `floor(length / 2) - 1`
 *   pairs that is not already marked (uniformly). A mark on the first pair replaces its -1, and
 *   that pair's value is set to 0, as the paper does for X1;
 * - the target is the sum X1 + X2 of the two marked values, in [-2, 2].
 *
 * Differences from the paper: every sequence has exactly `length` pairs (the paper draws lengths
 * between T and T + T/10), so a batch is one `[count, length, 2]` tensor; the paper's rule for a
 * mark on the first pair is applied to either mark; and the target is the raw sum, where the
 * paper trains on `0.5 + (X1 + X2) / 4`. The paper counts a sequence as solved when the absolute
 * error on its scale is below 0.04, which is 0.16 on this one. Predicting 0 always gives a mean
 * squared error of about 2/3 (each marked value has variance 1/3).
 *
 * @param count Number of sequences.
 * @param length Pairs per sequence (T), at least 6 so the second mark always has a free pair.
 * @param seed A uint32 seed.
 * @returns A regression split with `featureShape` `[length, 2]` and `targetShape` `[1]`.
 * @throws {RangeError} For a count that is not a positive integer, a length below 6 or a seed
 * that is not a uint32.
 *
 * @example
 * ```ts
 * import { addingProblem } from "./synthetic.ts";
 * const data = addingProblem(10, 100, 5);
 * let sum = 0;
 * for (let t = 0; t < 100; t++) {
 *   if (data.features[2 * t + 1] === 1) sum += data.features[2 * t];
 * }
 * if (Math.abs(sum - data.targets[0]) > 1e-6) throw new Error("wrong target");
 * ```
 */
export function addingProblem(count: number, length: number, seed: number): RegressionSplit {
  checkArguments("addingProblem", count, seed);
  if (!Number.isInteger(length) || length < 6) {
    throw new RangeError(
      `addingProblem: expected length to be an integer of at least 6, found ${length}`,
    );
  }
  const rng = createRng(deriveSeed(seed, "addingProblem"));
  const firstChoices = Math.min(10, length - 1);
  const secondChoices = Math.floor(length / 2) - 1;
  const features = new Float32Array(count * length * 2);
  const targets = new Float32Array(count);
  for (let n = 0; n < count; n++) {
    const base = n * length * 2;
    for (let t = 0; t < length; t++) features[base + 2 * t] = 2 * rng() - 1;
    features[base + 1] = -1;
    features[base + 2 * (length - 1) + 1] = -1;
    const first = Math.floor(rng() * firstChoices);
    // Uniform over the candidates other than `first`: draw among one fewer, skip over `first`.
    const drawn = Math.floor(rng() * (first < secondChoices ? secondChoices - 1 : secondChoices));
    const second = first < secondChoices && drawn >= first ? drawn + 1 : drawn;
    let sum = 0;
    for (const t of [first, second]) {
      features[base + 2 * t + 1] = 1;
      if (t === 0) features[base] = 0;
      sum += features[base + 2 * t];
    }
    targets[n] = sum;
  }
  return { features, targets, count, featureShape: [length, 2], targetShape: [1] };
}

/**
 * Draws `perClass[k]` points of each class `k` with `draw`, and stores them in a seeded random
 * order, so the examples of one class are not contiguous.
 */
function classification(
  name: string,
  count: number,
  seed: number,
  dimensions: number,
  perClass: number[],
  draw: (label: number, rng: () => number) => number[],
): ClassificationSplit {
  const rng = createRng(deriveSeed(seed, name, "points"));
  const order = permutation(count, deriveSeed(seed, name, "order"));
  const features = new Float32Array(count * dimensions);
  const labels = new Int32Array(count);
  let drawn = 0;
  perClass.forEach((classCount, label) => {
    for (let i = 0; i < classCount; i++, drawn++) {
      const at = order[drawn];
      labels[at] = label;
      features.set(draw(label, rng), at * dimensions);
    }
  });
  return { features, labels, count, featureShape: [dimensions], classes: perClass.length };
}

/** `count` split over `parts` as evenly as possible, the first `count % parts` parts one larger. */
function evenly(count: number, parts: number): number[] {
  return Array.from(
    { length: parts },
    (_, k) => Math.floor(count / parts) + (k < count % parts ? 1 : 0),
  );
}

function checkArguments(name: string, count: number, seed: number): void {
  checkPositiveInteger(name, "count", count);
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffff_ffff) {
    throw new RangeError(`${name}: expected seed to be an integer in [0, 2^32), found ${seed}`);
  }
}

function checkPositiveInteger(name: string, what: string, value: number): void {
  if (!Number.isInteger(value) || value < 1) {
    throw new RangeError(`${name}: expected ${what} to be a positive integer, found ${value}`);
  }
}

function checkNonNegative(name: string, what: string, value: number): void {
  if (!(value >= 0) || !Number.isFinite(value)) {
    throw new RangeError(`${name}: expected ${what} to be a finite number >= 0, found ${value}`);
  }
}

/**
 * The adding problem as most later papers state it (Le, Jaitly & Hinton 2015; Arjovsky et al.
 * 2016): each step holds a value drawn uniformly from [0, 1] and a marker; exactly two steps are
 * marked (1), one in the first half of the sequence and one in the second, the rest are 0; the
 * target is the sum of the two marked values. Always predicting the mean (1) gives an MSE of
 * Var(U1 + U2) = 1/6 ≈ 0.167: the baseline a model must beat.
 *
 * @param count Number of sequences.
 * @param length Steps per sequence, at least 2.
 * @param seed A uint32 seed.
 * @returns A regression split with `featureShape` `[length, 2]` (value, marker) and `targetShape` `[1]`.
 * @throws {RangeError} For a count that is not a positive integer, a length below 2 or a bad seed.
 *
 * @example
 * ```ts
 * import { addingProblemUnit } from "./synthetic.ts";
 * const data = addingProblemUnit(4, 20, 3);
 * let sum = 0;
 * let marks = 0;
 * for (let t = 0; t < 20; t++) {
 *   if (data.features[2 * t + 1] === 1) (sum += data.features[2 * t], marks++);
 * }
 * if (marks !== 2 || Math.abs(sum - data.targets[0]) > 1e-6) throw new Error("wrong target");
 * ```
 */
export function addingProblemUnit(count: number, length: number, seed: number): RegressionSplit {
  checkArguments("addingProblemUnit", count, seed);
  if (!Number.isInteger(length) || length < 2) {
    throw new RangeError(
      `addingProblemUnit: expected length to be an integer of at least 2, found ${length}`,
    );
  }
  const rng = createRng(deriveSeed(seed, "addingProblemUnit"));
  const half = Math.floor(length / 2);
  const features = new Float32Array(count * length * 2);
  const targets = new Float32Array(count);
  for (let n = 0; n < count; n++) {
    const base = n * length * 2;
    for (let t = 0; t < length; t++) features[base + 2 * t] = rng();
    const first = Math.floor(rng() * half);
    const second = half + Math.floor(rng() * (length - half));
    features[base + 2 * first + 1] = 1;
    features[base + 2 * second + 1] = 1;
    targets[n] = features[base + 2 * first] + features[base + 2 * second];
  }
  return { features, targets, count, featureShape: [length, 2], targetShape: [1] };
}

/** The 1-D functions {@linkcode sampleFunction} can sample. */
export const FUNCTIONS_1D = {
  /** sin(π x): smooth, one period on [-1, 1]. */
  sine: (x: number) => Math.sin(Math.PI * x),
  /** A cubic with two turning points on [-1, 1]. */
  cubic: (x: number) => 2 * x ** 3 - x,
  /** The sign of x: a jump that smooth models approximate ever more closely. */
  step: (x: number) => (x < 0 ? -1 : 1),
  /** |x|: a kink. */
  abs: (x: number) => Math.abs(x),
  /** A narrow bump exp(-(x/0.2)²). */
  bump: (x: number) => Math.exp(-((x / 0.2) ** 2)),
  /** sin(3π x) · (1 - x²) / 2 + x / 2: several wiggles of different size. */
  wiggle: (x: number) => Math.sin(3 * Math.PI * x) * (1 - x * x) / 2 + x / 2,
} as const;

/** A function's name. */
export type Function1d = keyof typeof FUNCTIONS_1D;

/**
 * Samples y = f(x) + noise at `count` points of x drawn uniformly from `domain` (or evenly spaced,
 * ends included, for `grid`).
 *
 * @param name The function.
 * @param count Number of points.
 * @param seed A uint32 seed.
 * @param options Domain, noise standard deviation, and the sampling.
 * @returns A regression split with `featureShape` `[1]` and `targetShape` `[1]`.
 * @throws {RangeError} For a bad count, seed, domain or noise.
 *
 * @example
 * ```ts
 * import { sampleFunction } from "./synthetic.ts";
 * const data = sampleFunction("abs", 3, 1, { sampling: "grid", noise: 0 });
 * if ([...data.targets].join() !== "1,0,1") throw new Error([...data.targets].join());
 * ```
 */
export function sampleFunction(
  name: Function1d,
  count: number,
  seed: number,
  options: { domain?: [number, number]; noise?: number; sampling?: "uniform" | "grid" } = {},
): RegressionSplit {
  const { domain = [-1, 1], noise = 0, sampling = "uniform" } = options;
  checkArguments("sampleFunction", count, seed);
  checkNonNegative("sampleFunction", "noise", noise);
  if (!(domain[0] < domain[1])) {
    throw new RangeError(
      `sampleFunction: expected domain [low, high] with low < high, found [${domain.join(", ")}]`,
    );
  }
  const f = FUNCTIONS_1D[name];
  const rng = createRng(deriveSeed(seed, "sampleFunction", name));
  const features = new Float32Array(count);
  const targets = new Float32Array(count);
  for (let i = 0; i < count; i++) {
    const x = sampling === "grid"
      ? (count === 1
        ? (domain[0] + domain[1]) / 2
        : domain[0] + (domain[1] - domain[0]) * i / (count - 1))
      : domain[0] + (domain[1] - domain[0]) * rng();
    features[i] = x;
    targets[i] = f(x) + (noise > 0 ? noise * normal(rng) : 0);
  }
  return { features, targets, count, featureShape: [1], targetShape: [1] };
}
