/**
 * Seeds and a small seeded generator. Every random draw of a trial derives from the trial's one
 * root seed through {@linkcode deriveSeed}, so the draws do not depend on the order in which other
 * parts of the program consume randomness.
 *
 * @module
 */

/** Largest value a derived seed can take (exclusive bound is 2^32). */
const UINT32_RANGE = 0x1_0000_0000;

/**
 * Derives a sub-seed from a root seed and labels naming what it is for.
 *
 * The result is a nonzero unsigned 32-bit integer: tfjs treats a seed of 0 as "unseeded", so a
 * derived seed is never 0.
 *
 * @param root The trial's root seed.
 * @param labels What the seed is for, e.g. `"shuffle", epoch`.
 * @returns A nonzero integer in [1, 2^32).
 *
 * @example
 * ```ts
 * import { deriveSeed } from "./seed.ts";
 * const a = deriveSeed(7, "init", "dense_1");
 * if (a !== deriveSeed(7, "init", "dense_1") || a === 0) throw new Error("unstable");
 * ```
 */
export function deriveSeed(root: number, ...labels: (string | number)[]): number {
  assertSeed(root, "root seed");
  // FNV-1a over the text, then a murmur3 finaliser to spread the bits.
  let hash = 0x811c9dc5;
  const text = [root, ...labels].join("\u001f");
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b);
  hash ^= hash >>> 13;
  hash = Math.imul(hash, 0xc2b2ae35);
  hash ^= hash >>> 16;
  const seed = hash >>> 0;
  return seed === 0 ? 1 : seed;
}

/**
 * Creates a seeded generator of uniform floats in [0, 1) (mulberry32: small, fast, and good
 * enough for shuffling and synthetic data; not for cryptography).
 *
 * @param seed Any integer; the same seed gives the same sequence.
 * @returns A function returning the next number of the sequence.
 *
 * @example
 * ```ts
 * import { createRng } from "./seed.ts";
 * const rng = createRng(42);
 * const x = rng();
 * if (!(x >= 0 && x < 1)) throw new Error("out of range");
 * ```
 */
export function createRng(seed: number): () => number {
  assertSeed(seed, "seed");
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / UINT32_RANGE;
  };
}

/**
 * Draws a standard normal number from a uniform generator (Box–Muller).
 *
 * @param rng A generator from {@linkcode createRng}.
 * @returns A draw from N(0, 1).
 *
 * @example
 * ```ts
 * import { createRng, normal } from "./seed.ts";
 * const z = normal(createRng(1));
 * if (!Number.isFinite(z)) throw new Error("not finite");
 * ```
 */
export function normal(rng: () => number): number {
  const u = 1 - rng(); // in (0, 1], so the log is finite
  const v = rng();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

/**
 * A Fisher–Yates permutation of `0 .. count-1` drawn from `seed`.
 *
 * @param count How many indices.
 * @param seed The seed for this permutation.
 * @returns The shuffled indices.
 *
 * @example
 * ```ts
 * import { permutation } from "./seed.ts";
 * const order = permutation(5, 3);
 * if ([...order].sort().join() !== "0,1,2,3,4") throw new Error("not a permutation");
 * ```
 */
export function permutation(count: number, seed: number): Int32Array {
  const order = new Int32Array(count);
  for (let i = 0; i < count; i++) order[i] = i;
  const rng = createRng(seed);
  for (let i = count - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    const swap = order[i];
    order[i] = order[j];
    order[j] = swap;
  }
  return order;
}

function assertSeed(seed: number, what: string): void {
  if (!Number.isInteger(seed) || seed < 0 || seed >= UINT32_RANGE) {
    throw new RangeError(`Expected ${what} to be an integer in [0, 2^32) but found ${seed}`);
  }
}
