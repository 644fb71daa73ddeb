/**
 * Fitting one Gaussian q = N(μ, σ²) to a two-mode mixture p by minimising a KL divergence over
 * (μ, log σ) (Goodfellow et al. 2016, Fig. 3.6). KL(p‖q) makes q cover both modes; KL(q‖p) makes
 * it lock onto one. The integrals are sums over a fine grid, written with tfjs ops.
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

const GRID = { from: -10, to: 10, points: 2001 };

function gridPoints(): Float64Array {
  const step = (GRID.to - GRID.from) / (GRID.points - 1);
  return Float64Array.from({ length: GRID.points }, (_, i) => GRID.from + i * step);
}

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
 * KL(p‖q) (`forward`) or KL(q‖p) (`reverse`) between a mixture p and N(μ, σ²), in nats, as a
 * function of (μ, log σ).
 *
 * @param direction Which divergence.
 * @param mixture p.
 * @returns The objective.
 */
export function klFit(direction: "forward" | "reverse", mixture: Mixture): Objective {
  const xs = gridPoints();
  const dx = xs[1] - xs[0];
  const tiny = 1e-30;
  const p = xs.map((x) => mixtureDensity(mixture, x));
  const logP = p.map((value) => Math.log(value + tiny));
  const pTensor = () => tf.tensor1d(Float32Array.from(p));
  const logPTensor = () => tf.tensor1d(Float32Array.from(logP));
  const xTensor = () => tf.tensor1d(Float32Array.from(xs));
  const logQOf = (mu: tf.Scalar, logSigma: tf.Scalar) =>
    tf.sub(
      tf.mul(-0.5, tf.square(tf.div(tf.sub(xTensor(), mu), tf.exp(logSigma)))),
      tf.add(logSigma, 0.5 * Math.log(2 * Math.PI)),
    );
  const valueAt = (mu: number, logSigma: number) => {
    const sigma = Math.exp(logSigma);
    let total = 0;
    for (let i = 0; i < xs.length; i++) {
      const logQ = -0.5 * ((xs[i] - mu) / sigma) ** 2 - logSigma - 0.5 * Math.log(2 * Math.PI);
      total += direction === "forward"
        ? p[i] * (logP[i] - logQ)
        : Math.exp(logQ) * (logQ - logP[i]);
    }
    return total * dx;
  };
  const modes = mixture.means.map((mean, k) =>
    [mean, Math.log(mixture.stds[k])] as [number, number]
  );
  const spread = Math.max(...mixture.means.map(Math.abs)) + 3;
  return {
    name: `kl-${direction}`,
    axes: ["μ", "log σ"],
    value: (params) =>
      tf.tidy(() => {
        const mu = params.slice([0], [1]).reshape([]) as tf.Scalar;
        const logSigma = params.slice([1], [1]).reshape([]) as tf.Scalar;
        const logQ = logQOf(mu, logSigma);
        const terms = direction === "forward"
          ? tf.mul(pTensor(), tf.sub(logPTensor(), logQ))
          : tf.mul(tf.exp(logQ), tf.sub(logQ, logPTensor()));
        return tf.mul(tf.sum(terms), dx) as tf.Scalar;
      }),
    valueAt,
    range: { x: [-spread, spread], y: [-1.5, 2] },
    start: [0.5, 1],
    minima: direction === "reverse" ? modes : [],
    logValues: true,
    artifacts(end) {
      const [mu, logSigma] = end;
      const sigma = Math.exp(logSigma);
      const step = 20;
      const curve = (f: (x: number) => number) =>
        Array.from(
          { length: Math.floor(xs.length / step) + 1 },
          (_, i) => xs[Math.min(i * step, xs.length - 1)],
        )
          .filter((x) => Math.abs(x) <= spread)
          .map((x) => ({ x: Number(x.toFixed(4)), y: Number(f(x).toPrecision(5)) }));
      return {
        [`fit-${direction}`]: {
          kind: "lines",
          title: direction === "forward" ? "q fitted by KL(p‖q)" : "q fitted by KL(q‖p)",
          description: `The two-mode mixture p and the Gaussian q = N(${mu.toFixed(2)}, ${
            sigma.toFixed(2)
          }²) that minimises ${
            direction === "forward"
              ? "KL(p‖q): it spreads over both modes"
              : "KL(q‖p): it sits on one mode"
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
