/**
 * Closed forms of entropy, cross-entropy and Kullback–Leibler divergence for the distributions
 * chapter 3 uses (Goodfellow et al. 2016, §3.13): a Bernoulli variable and Gaussians.
 *
 * @module
 */

/** A normal distribution N(mean, std²). */
export interface Gaussian {
  /** Its mean. */
  mean: number;
  /** Its standard deviation, positive. */
  std: number;
}

/**
 * The entropy of a Bernoulli variable with P(1) = p, in bits: −p log₂ p − (1 − p) log₂(1 − p),
 * with 0 log 0 = 0.
 *
 * @param p The probability of 1, in [0, 1].
 * @returns H(p) in bits; 1 at p = ½.
 *
 * @example
 * ```ts
 * import { bernoulliEntropy } from "./entropy.ts";
 * if (bernoulliEntropy(0.5) !== 1 || bernoulliEntropy(0) !== 0) throw new Error();
 * ```
 */
export function bernoulliEntropy(p: number): number {
  const term = (q: number) => (q > 0 ? -q * Math.log2(q) : 0);
  return term(p) + term(1 - p);
}

/**
 * The differential entropy of N(μ, σ²) in nats: ½ ln(2πeσ²).
 *
 * @param p The Gaussian.
 * @returns H(p).
 *
 * @example
 * ```ts
 * import { gaussianEntropy } from "./entropy.ts";
 * const h = gaussianEntropy({ mean: 3, std: 1 });
 * if (Math.abs(h - 0.5 * Math.log(2 * Math.PI * Math.E)) > 1e-15) throw new Error(String(h));
 * ```
 */
export function gaussianEntropy(p: Gaussian): number {
  return 0.5 * Math.log(2 * Math.PI * Math.E * p.std * p.std);
}

/**
 * The cross-entropy H(p, q) = −E_p[ln q(x)] of two Gaussians in nats:
 * ½ ln(2πσ_q²) + (σ_p² + (μ_p − μ_q)²) / (2σ_q²).
 *
 * @param p The distribution the expectation is over.
 * @param q The distribution whose log-density is averaged.
 * @returns H(p, q); equal to H(p) when q = p.
 *
 * @example
 * ```ts
 * import { gaussianCrossEntropy, gaussianEntropy } from "./entropy.ts";
 * const p = { mean: 0, std: 2 };
 * if (Math.abs(gaussianCrossEntropy(p, p) - gaussianEntropy(p)) > 1e-15) throw new Error();
 * ```
 */
export function gaussianCrossEntropy(p: Gaussian, q: Gaussian): number {
  return 0.5 * Math.log(2 * Math.PI * q.std * q.std) +
    (p.std * p.std + (p.mean - q.mean) ** 2) / (2 * q.std * q.std);
}

/**
 * The Kullback–Leibler divergence KL(p‖q) = E_p[ln p(x) − ln q(x)] of two Gaussians in nats:
 * ln(σ_q / σ_p) + (σ_p² + (μ_p − μ_q)²) / (2σ_q²) − ½. Not symmetric in p and q.
 *
 * @param p The distribution the expectation is over.
 * @param q The approximating distribution.
 * @returns KL(p‖q) ≥ 0, zero only when p = q.
 *
 * @example
 * ```ts
 * import { gaussianKl } from "./entropy.ts";
 * // A unit shift between unit Gaussians costs ½ nat, in both directions.
 * if (Math.abs(gaussianKl({ mean: 0, std: 1 }, { mean: 1, std: 1 }) - 0.5) > 1e-15) throw new Error();
 * ```
 */
export function gaussianKl(p: Gaussian, q: Gaussian): number {
  return Math.log(q.std / p.std) +
    (p.std * p.std + (p.mean - q.mean) ** 2) / (2 * q.std * q.std) - 0.5;
}
