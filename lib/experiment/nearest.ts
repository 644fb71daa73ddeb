/**
 * "Did you mean …?" for a misspelt key: the nearest candidate by edit distance.
 *
 * @module
 */

/**
 * Edit distance between two strings, case-insensitive: insertions, deletions, substitutions and
 * swaps of two adjacent characters each count 1 (optimal string alignment).
 *
 * @param a First string.
 * @param b Second string.
 * @returns The number of single-character edits turning one into the other.
 *
 * @example
 * ```ts
 * import { editDistance } from "./nearest.ts";
 * if (editDistance("epoch", "epochs") !== 1) throw new Error("wrong");
 * ```
 */
export function editDistance(a: string, b: string): number {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  let before: number[] = [];
  let previous = Array.from({ length: y.length + 1 }, (_, j) => j);
  for (let i = 1; i <= x.length; i++) {
    const current = [i];
    for (let j = 1; j <= y.length; j++) {
      const cost = x[i - 1] === y[j - 1] ? 0 : 1;
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost);
      if (i > 1 && j > 1 && x[i - 1] === y[j - 2] && x[i - 2] === y[j - 1]) {
        current[j] = Math.min(current[j], before[j - 2] + 1);
      }
    }
    before = previous;
    previous = current;
  }
  return previous[y.length];
}

/**
 * The candidate nearest to `word`, if any is close enough to be a plausible typo
 * (distance at most a third of the longer word, and at least 1 allowed).
 *
 * @param word The misspelt word.
 * @param candidates The valid words.
 * @returns The nearest valid word, or `undefined` when none is close.
 *
 * @example
 * ```ts
 * import { nearest } from "./nearest.ts";
 * if (nearest("batchsize", ["batchSize", "epochs"]) !== "batchSize") throw new Error("wrong");
 * ```
 */
export function nearest(word: string, candidates: Iterable<string>): string | undefined {
  const list = [...candidates];
  // A truncated name ("testError" for "testErrorPercent") is the likeliest slip of all.
  const lower = word.toLowerCase();
  const extension = lower.length >= 3
    ? list.find((candidate) => candidate.toLowerCase().startsWith(lower))
    : undefined;
  if (extension !== undefined) return extension;
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of list) {
    const distance = editDistance(word, candidate);
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  const allowed = Math.max(1, Math.floor(Math.max(word.length, best?.length ?? 0) / 3));
  return bestDistance <= allowed ? best : undefined;
}

/**
 * A " (did you mean "x"?)" suffix for error messages, or "" when nothing is near.
 *
 * @param word The misspelt word.
 * @param candidates The valid words.
 * @returns The suffix text.
 *
 * @example
 * ```ts
 * import { didYouMean } from "./nearest.ts";
 * if (didYouMean("lr", ["learningRate"]) !== "") throw new Error("too far to suggest");
 * ```
 */
export function didYouMean(word: string, candidates: Iterable<string>): string {
  const match = nearest(word, candidates);
  return match === undefined ? "" : ` (did you mean "${match}"?)`;
}
