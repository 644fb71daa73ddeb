/**
 * The standard normal distribution in float64: its density and its cumulative distribution,
 * the references the chapter 3 analyses compare sampled and tfjs-computed values with.
 *
 * @module
 */

/**
 * The density of N(mean, std²) at x.
 *
 * @param x Where.
 * @param mean The mean (default 0).
 * @param std The standard deviation, positive (default 1).
 * @returns The density.
 *
 * @example
 * ```ts
 * import { normalDensity } from "./normal.ts";
 * if (Math.abs(normalDensity(0) - 1 / Math.sqrt(2 * Math.PI)) > 1e-16) throw new Error();
 * ```
 */
export function normalDensity(x: number, mean = 0, std = 1): number {
  const z = (x - mean) / std;
  return Math.exp(-0.5 * z * z) / (std * Math.sqrt(2 * Math.PI));
}

/**
 * Φ(x), the probability that a standard normal variable is at most x, to about 1e-15 absolute:
 * Φ(x) = ½ + φ(x) (x + x³/3 + x⁵/(3·5) + …), summed until the terms stop changing the sum
 * (Marsaglia 2004, Evaluating the normal distribution, J. Stat. Softw. 11(4)).
 *
 * @param x Where.
 * @returns Φ(x), in [0, 1].
 *
 * @example
 * ```ts
 * import { normalCdf } from "./normal.ts";
 * if (Math.abs(normalCdf(1.959963984540054) - 0.975) > 1e-14) throw new Error();
 * ```
 */
export function normalCdf(x: number): number {
  // Beyond ±9 Φ differs from 0 or 1 by less than 1e-18.
  if (x < -9) return 0;
  if (x > 9) return 1;
  let sum = x;
  let term = x;
  for (let i = 3; sum + term !== sum; i += 2) {
    term = (term * x * x) / i;
    sum += term;
  }
  return Math.min(1, Math.max(0, 0.5 + sum * normalDensity(x)));
}
