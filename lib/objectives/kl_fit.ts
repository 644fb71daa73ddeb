/**
 * Fitting one Gaussian q = N(μ, σ²) to a two-mode mixture p by minimising a KL divergence over
 * (μ, log σ) (Goodfellow et al. 2016, Fig. 3.6). KL(p‖q) makes q cover both modes — its minimum
 * matches p's mean and variance — while KL(q‖p) makes it lock onto one mode. The integrals are
 * sums over a fine grid, written with tfjs ops.
 *
 * The grid reaches well beyond the plotted region (six of the widest plotted σ past it), so that
 * a wide q keeps its mass on the grid, and p's log-density is computed by log-sum-exp, so that
 * KL(q‖p) sees p's true tails rather than a floor where p underflows.
 *
 * @module
 */

import * as tf from "@tensorflow/tfjs";
import type { Objective } from "./objective.ts";

/** A mixture of Gaussians in one dimension. */
export interface Mixture {
  /** Mixing weights, summing to 1. */
  weights: number[];
  /** Component means. */
  means: number[];
  /** Component standard deviations. */
  stds: number[];
}

/** The plotted range of log σ: σ from 0.22 to 7.4. */
const LOG_STD_RANGE: [number, number] = [-1.5, 2];

const HALF_LOG_TWO_PI = 0.5 * Math.log(2 * Math.PI);

function normalPdf(x: number, mean: number, std: number): number {
  return Math.exp(-0.5 * ((x - mean) / std) ** 2) / (std * Math.sqrt(2 * Math.PI));
}

/**
 * The mixture's density at x.
 *
 * @param mixture The mixture.
 * @param x Where.
 * @returns p(x).
 *
 * @example
 * ```ts
 * import { mixtureDensity } from "./kl_fit.ts";
 * const p = mixtureDensity({ weights: [1], means: [0], stds: [1] }, 0);
 * if (Math.abs(p - 1 / Math.sqrt(2 * Math.PI)) > 1e-12) throw new Error(String(p));
 * ```
 */
export function mixtureDensity(mixture: Mixture, x: number): number {
  return mixture.weights.reduce(
    (sum, w, k) => sum + w * normalPdf(x, mixture.means[k], mixture.stds[k]),
    0,
  );
}

/**
 * ln p(x) of the mixture by log-sum-exp: finite however far x is from every mode.
 *
 * @param mixture The mixture.
 * @param x Where.
 * @returns ln p(x).
 *
 * @example
 * ```ts
 * import { mixtureLogDensity } from "./kl_fit.ts";
 * // 100 standard deviations out, p underflows to 0 but its logarithm is −5000.92.
 * const value = mixtureLogDensity({ weights: [1], means: [0], stds: [1] }, 100);
 * if (Math.abs(value - (-5000 - 0.5 * Math.log(2 * Math.PI))) > 1e-9) throw new Error(String(value));
 * ```
 */
export function mixtureLogDensity(mixture: Mixture, x: number): number {
  const terms = mixture.weights.map((w, k) => {
    const z = (x - mixture.means[k]) / mixture.stds[k];
    return Math.log(w) - 0.5 * z * z - Math.log(mixture.stds[k]) - HALF_LOG_TWO_PI;
  });
  const largest = Math.max(...terms);
  return largest + Math.log(terms.reduce((sum, term) => sum + Math.exp(term - largest), 0));
}

/**
 * The Gaussian with the mixture's mean and variance, as (μ, log σ): the minimiser of KL(p‖q)
 * over Gaussians q (moment matching; Bishop 2006, Pattern Recognition and Machine Learning,
 * §10.7).
 *
 * @param mixture The mixture.
 * @returns [μ, log σ].
 *
 * @example
 * ```ts
 * import { momentMatch } from "./kl_fit.ts";
 * const [mean, logStd] = momentMatch({ weights: [0.5, 0.5], means: [-3, 3], stds: [1, 1] });
 * if (mean !== 0 || Math.abs(logStd - Math.log(Math.sqrt(10))) > 1e-15) throw new Error();
 * ```
 */
export function momentMatch(mixture: Mixture): [number, number] {
  const mean = mixture.weights.reduce((sum, w, k) => sum + w * mixture.means[k], 0);
  const secondMoment = mixture.weights.reduce(
    (sum, w, k) => sum + w * (mixture.stds[k] ** 2 + mixture.means[k] ** 2),
    0,
  );
  return [mean, 0.5 * Math.log(secondMoment - mean * mean)];
}

/** The integration grid: fine enough for the narrowest σ, wide enough for the widest. */
function gridPoints(mixture: Mixture, spread: number): Float64Array {
  const narrowest = Math.min(Math.exp(LOG_STD_RANGE[0]), ...mixture.stds);
  const step = Math.min(0.01, narrowest / 20);
  const reach = Math.max(
    spread + 6 * Math.exp(LOG_STD_RANGE[1]),
    ...mixture.means.map((mean, k) => Math.abs(mean) + 10 * mixture.stds[k]),
  );
  const count = 2 * Math.ceil(reach / step) + 1;
  return Float64Array.from({ length: count }, (_, i) => -reach + i * step);
}

/**
 * KL(p‖q) (`forward`) or KL(q‖p) (`reverse`) between a mixture p and N(μ, σ²), in nats, as a
 * function of (μ, log σ).
 *
 * @param direction Which divergence.
 * @param mixture p.
 * @returns The objective. Its minima are the moment-matched Gaussian (forward) or the mixture's
 * components (reverse: the local minima sit next to them when the modes are well separated).
 *
 * @example
 * ```ts
 * import { klFit } from "./kl_fit.ts";
 * const p = { weights: [0.5, 0.5], means: [-3, 3], stds: [1, 1] };
 * // On one mode, KL(q‖p) is about ln 2 (q sees half of p's mass), a little less for the
 * // other mode's tail.
 * const value = klFit("reverse", p).valueAt(3, 0);
 * if (!(value < Math.LN2 && value > Math.LN2 - 5e-3)) throw new Error(String(value));
 * ```
 */
export function klFit(direction: "forward" | "reverse", mixture: Mixture): Objective {
  const spread = Math.max(...mixture.means.map(Math.abs)) + 3;
  const xs = gridPoints(mixture, spread);
  const dx = xs[1] - xs[0];
  const logP = xs.map((x) => mixtureLogDensity(mixture, x));
  const p = logP.map(Math.exp);
  const tensors = () => ({
    x: tf.tensor1d(Float32Array.from(xs)),
    p: tf.tensor1d(Float32Array.from(p)),
    logP: tf.tensor1d(Float32Array.from(logP)),
  });
  const valueAt = (mu: number, logSigma: number) => {
    const sigma = Math.exp(logSigma);
    let total = 0;
    for (let i = 0; i < xs.length; i++) {
      const logQ = -0.5 * ((xs[i] - mu) / sigma) ** 2 - logSigma - HALF_LOG_TWO_PI;
      total += direction === "forward"
        ? p[i] * (logP[i] - logQ)
        : Math.exp(logQ) * (logQ - logP[i]);
    }
    return total * dx;
  };
  const modes = mixture.means.map((mean, k) =>
    [mean, Math.log(mixture.stds[k])] as [number, number]
  );
  return {
    name: `kl-${direction}`,
    axes: ["μ", "log σ"],
    value: (params) =>
      tf.tidy(() => {
        const grid = tensors();
        const mu = params.slice([0], [1]).reshape([]) as tf.Scalar;
        const logSigma = params.slice([1], [1]).reshape([]) as tf.Scalar;
        const logQ = tf.sub(
          tf.mul(-0.5, tf.square(tf.div(tf.sub(grid.x, mu), tf.exp(logSigma)))),
          tf.add(logSigma, HALF_LOG_TWO_PI),
        );
        const terms = direction === "forward"
          ? tf.mul(grid.p, tf.sub(grid.logP, logQ))
          : tf.mul(tf.exp(logQ), tf.sub(logQ, grid.logP));
        return tf.mul(tf.sum(terms), dx) as tf.Scalar;
      }),
    valueAt,
    range: { x: [-spread, spread], y: LOG_STD_RANGE },
    start: [0.5, 1],
    minima: direction === "forward" ? [momentMatch(mixture)] : modes,
    logValues: true,
    artifacts(end) {
      const [mu, logSigma] = end;
      const sigma = Math.exp(logSigma);
      const matched = momentMatch(mixture);
      const curve = (f: (x: number) => number) =>
        Array.from({ length: 241 }, (_, i) => -spread + (2 * spread * i) / 240).map((x) => ({
          x: Number(x.toFixed(4)),
          y: Number(f(x).toPrecision(5)),
        }));
      return {
        [`fit-${direction}`]: {
          kind: "lines",
          title: direction === "forward" ? "q fitted by KL(p‖q)" : "q fitted by KL(q‖p)",
          description:
            `The mixture p and the Gaussian q = N(${mu.toFixed(2)}, ${
              sigma.toFixed(2)
            }²) that gradient descent on ${
              direction === "forward" ? "KL(p‖q)" : "KL(q‖p)"
            } ended at; p's modes are at ${mixture.means.join(" and ")}, its own mean and ` +
            `standard deviation are ${matched[0].toFixed(2)} and ${
              Math.exp(matched[1]).toFixed(2)
            }.`,
          xTitle: "x",
          yTitle: "density",
          series: [
            { name: "p (mixture)", points: curve((x) => mixtureDensity(mixture, x)) },
            { name: "q (fitted Gaussian)", points: curve((x) => normalPdf(x, mu, sigma)) },
          ],
        },
      };
    },
  };
}
