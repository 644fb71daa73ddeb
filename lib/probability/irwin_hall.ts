/**
 * The exact distribution of the mean of n independent uniform variables on [0, 1] (the
 * Irwin–Hall distribution of their sum, rescaled), the finite-n truth that the central limit
 * theorem's normal approximates.
 *
 * @module
 */

/**
 * P(mean of n uniforms ≤ x) = F_S(n x) with F_S(s) = (1/n!) Σ_{k ≤ s} (−1)^k C(n, k) (s − k)^n,
 * evaluated on the nearer half by symmetry (F_S(s) = 1 − F_S(n − s)) to limit cancellation. The
 * alternating sum loses about log10 of its largest term in digits: still about 1e-6 absolute at
 * n = 30, which is why larger n are refused.
 *
 * @param x Where, any number (0 below 0, 1 above 1).
 * @param n How many uniforms are averaged, 1 to 30.
 * @returns The probability.
 * @throws {RangeError} For n outside 1–30.
 *
 * @example
 * ```ts
 * import { uniformMeanCdf } from "./irwin_hall.ts";
 * // The mean of two uniforms is triangular: P(mean ≤ 1/4) = 2 · (1/4)² = 1/8.
 * if (Math.abs(uniformMeanCdf(0.25, 2) - 0.125) > 1e-15) throw new Error();
 * ```
 */
export function uniformMeanCdf(x: number, n: number): number {
  if (!(Number.isInteger(n) && n >= 1 && n <= 30)) {
    throw new RangeError(`Expected n to be an integer from 1 to 30 but found ${n}`);
  }
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const s = n * x;
  if (s > n / 2) return 1 - uniformMeanCdf(1 - x, n);
  let sum = 0;
  let binomial = 1;
  for (let k = 0; k <= Math.floor(s); k++) {
    sum += (k % 2 === 0 ? 1 : -1) * binomial * (s - k) ** n;
    binomial = (binomial * (n - k)) / (k + 1);
  }
  let factorial = 1;
  for (let k = 2; k <= n; k++) factorial *= k;
  return Math.min(1, Math.max(0, sum / factorial));
}
