/**
 * The `information` analysis (chapter 3): entropy, cross-entropy and Kullback–Leibler divergence
 * computed with tfjs ops on the backend and checked against their closed forms (Goodfellow et al.
 * 2016, §3.13): the entropy of a Bernoulli variable over p, 1 bit at p = ½ (Fig. 3.5), and the
 * entropy, cross-entropy and KL divergence of pairs of Gaussians, integrated on a grid, in both
 * directions — KL is not symmetric.
 *
 * @module
 */

import * as tf from "@tensorflow/tfjs";
import { z } from "zod";
import type { Analysis, AnalysisOutput } from "./analysis.ts";
import {
  bernoulliEntropy,
  type Gaussian,
  gaussianCrossEntropy,
  gaussianEntropy,
  gaussianKl,
} from "../probability/entropy.ts";

const gaussianSchema = z.strictObject({ mean: z.number(), std: z.number().positive() });

const schema = z.strictObject({
  kind: z.literal("information"),
  /** Values of p from 0 to 1, both included; an odd count, so that p = ½ is one of them. */
  bernoulliPoints: z.number().int().min(3).max(100_001).refine((count) => count % 2 === 1, {
    message: "expected an odd count, so that p = ½ is on the grid",
  }).default(101),
  /** Pairs (p, q) of Gaussians. */
  gaussians: z.array(z.strictObject({ p: gaussianSchema, q: gaussianSchema })).min(1).default([
    { p: { mean: 0, std: 1 }, q: { mean: 0, std: 1 } },
    { p: { mean: 0, std: 1 }, q: { mean: 1, std: 1 } },
    { p: { mean: 0, std: 1 }, q: { mean: 0, std: 2 } },
    { p: { mean: -1, std: 0.5 }, q: { mean: 2, std: 1.5 } },
  ]),
  /** Integration grid: this many points... */
  gridPoints: z.number().int().min(101).default(20_001),
  /** ...over the means ± this many standard deviations. */
  gridWidth: z.number().positive().default(12),
});

/** The `information` analysis's settings. */
export type InformationSettings = z.output<typeof schema>;

/**
 * The entropy in bits of Bernoulli variables, one per p, with tfjs ops: −Σ x log₂ x over
 * (p, 1 − p), taking 0 log 0 = 0.
 *
 * @param ps Probabilities of 1.
 * @returns The entropies, as float32 values from the backend.
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import { bernoulliEntropyTf } from "./information.ts";
 * await tf.setBackend("cpu");
 * const [zero, half] = await bernoulliEntropyTf([0, 0.5]);
 * if (zero !== 0 || Math.abs(half - 1) > 1e-7) throw new Error(`${zero} ${half}`);
 * ```
 */
export async function bernoulliEntropyTf(ps: readonly number[]): Promise<Float32Array> {
  const entropy = tf.tidy(() => {
    const p = tf.tensor1d(ps as number[]);
    const both = tf.stack([p, tf.sub(1, p)], 1);
    // where() keeps 0 · log 0 = 0 · −∞ = NaN out of the sum.
    const terms = tf.where(tf.greater(both, 0), tf.mul(both, tf.log(both)), tf.zerosLike(both));
    // 0 − Σ rather than −Σ: a certain outcome then has entropy 0, not −0.
    return tf.div(tf.sub(0, tf.sum(terms, 1)), Math.LN2);
  });
  try {
    return (await entropy.data()) as Float32Array;
  } finally {
    entropy.dispose();
  }
}

/** Information measures of a pair of Gaussians, in nats. */
export interface GaussianMeasures {
  /** H(p). */
  entropy: number;
  /** H(p, q). */
  crossEntropy: number;
  /** KL(p‖q). */
  forwardKl: number;
  /** KL(q‖p). */
  reverseKl: number;
}

/**
 * H(p), H(p, q), KL(p‖q) and KL(q‖p) of two Gaussians with tfjs ops: their log-densities on a
 * regular grid, integrated by the rectangle rule (exact to rounding for these smooth integrands
 * that vanish at the grid's ends).
 *
 * @param p The first Gaussian.
 * @param q The second.
 * @param points Grid points.
 * @param width The grid spans both means ± this many of the larger standard deviation.
 * @returns The four measures, from float32 sums on the backend.
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import { gaussianMeasuresTf } from "./information.ts";
 * await tf.setBackend("cpu");
 * const m = await gaussianMeasuresTf({ mean: 0, std: 1 }, { mean: 1, std: 1 }, 4001, 12);
 * if (Math.abs(m.forwardKl - 0.5) > 1e-5 || Math.abs(m.reverseKl - 0.5) > 1e-5) throw new Error();
 * ```
 */
export async function gaussianMeasuresTf(
  p: Gaussian,
  q: Gaussian,
  points: number,
  width: number,
): Promise<GaussianMeasures> {
  const spread = width * Math.max(p.std, q.std);
  const from = Math.min(p.mean, q.mean) - spread;
  const to = Math.max(p.mean, q.mean) + spread;
  const dx = (to - from) / (points - 1);
  const sums = tf.tidy(() => {
    const x = tf.linspace(from, to, points);
    const logDensity = (g: Gaussian) =>
      tf.sub(
        tf.mul(-0.5, tf.square(tf.div(tf.sub(x, g.mean), g.std))),
        Math.log(g.std) + 0.5 * Math.log(2 * Math.PI),
      );
    const logP = logDensity(p);
    const logQ = logDensity(q);
    const densityP = tf.exp(logP);
    const densityQ = tf.exp(logQ);
    const integral = (values: tf.Tensor) => tf.mul(tf.sum(values), dx);
    return tf.stack([
      integral(tf.neg(tf.mul(densityP, logP))),
      integral(tf.neg(tf.mul(densityP, logQ))),
      integral(tf.mul(densityP, tf.sub(logP, logQ))),
      integral(tf.mul(densityQ, tf.sub(logQ, logP))),
    ]);
  });
  try {
    const [entropy, crossEntropy, forwardKl, reverseKl] = await sums.data();
    return { entropy, crossEntropy, forwardKl, reverseKl };
  } finally {
    sums.dispose();
  }
}

/** The `information` analysis. */
export const information: Analysis<InformationSettings> = {
  schema,
  description: "entropy, cross-entropy and KL divergence with tfjs against closed forms",
  module: import.meta.url,
  metrics: () => [
    "bernoulliEntropyAtHalf",
    "bernoulliMaxError",
    "bernoulliArgmax",
    "gaussianEntropyMaxError",
    "gaussianCrossEntropyMaxError",
    "gaussianKlMaxError",
  ],
  async run(settings, { backend }): Promise<AnalysisOutput> {
    const count = settings.bernoulliPoints;
    const ps = Array.from({ length: count }, (_, i) => i / (count - 1));
    const computed = await bernoulliEntropyTf(ps);
    const exact = ps.map(bernoulliEntropy);
    let argmax = 0;
    computed.forEach((value, i) => {
      if (value > computed[argmax]) argmax = i;
    });
    const half = (count - 1) / 2; // p = ½ exactly: (count − 1)/2 / (count − 1)
    const pairs: { p: Gaussian; q: Gaussian; tfjs: GaussianMeasures; closed: GaussianMeasures }[] =
      [];
    for (const { p, q } of settings.gaussians) {
      const tfjs = await gaussianMeasuresTf(p, q, settings.gridPoints, settings.gridWidth);
      const closed: GaussianMeasures = {
        entropy: gaussianEntropy(p),
        crossEntropy: gaussianCrossEntropy(p, q),
        forwardKl: gaussianKl(p, q),
        reverseKl: gaussianKl(q, p),
      };
      pairs.push({ p, q, tfjs, closed });
    }
    const largest = (pick: (m: GaussianMeasures) => number) =>
      Math.max(...pairs.map((pair) => Math.abs(pick(pair.tfjs) - pick(pair.closed))));
    const name = (g: Gaussian) => `N(${g.mean}, ${g.std}²)`;
    return {
      final: {
        bernoulliEntropyAtHalf: computed[half],
        bernoulliMaxError: Math.max(...exact.map((value, i) => Math.abs(computed[i] - value))),
        bernoulliArgmax: ps[argmax],
        gaussianEntropyMaxError: largest((m) => m.entropy),
        gaussianCrossEntropyMaxError: largest((m) => m.crossEntropy),
        gaussianKlMaxError: Math.max(largest((m) => m.forwardKl), largest((m) => m.reverseKl)),
      },
      artifacts: {
        "bernoulli-entropy": {
          kind: "lines",
          title: "Entropy of a Bernoulli variable",
          description: `H(p) = −p log₂ p − (1 − p) log₂(1 − p) computed with tfjs ops on the ` +
            `${backend} backend at ${count} values of p, and its closed form: zero for a certain ` +
            "outcome, a maximum of 1 bit at p = ½ (Goodfellow et al. 2016, Fig. 3.5).",
          xTitle: "p",
          yTitle: "entropy (bits)",
          series: [
            { name: "tfjs", points: ps.map((x, i) => ({ x, y: computed[i] })) },
            { name: "closed form", points: ps.map((x, i) => ({ x, y: exact[i] })) },
          ],
          references: [{ label: "1 bit", value: 1 }],
        },
        gaussians: {
          kind: "table",
          title: "Entropy, cross-entropy and KL divergence of Gaussians (nats)",
          description: `Each pair integrated with tfjs ops on a ${settings.gridPoints}-point ` +
            `grid over the means ± ${settings.gridWidth} standard deviations (the first value), ` +
            "and the closed form (the second): KL(p‖q) = ln(σ_q/σ_p) + (σ_p² + (μ_p − μ_q)²)/(2σ_q²) " +
            "− ½, in general not equal to KL(q‖p) (it is for equal variances).",
          columns: ["p", "q", "H(p)", "H(p, q)", "KL(p‖q)", "KL(q‖p)"],
          rows: pairs.map(({ p, q, tfjs, closed }) => [
            name(p),
            name(q),
            `${tfjs.entropy.toFixed(6)} / ${closed.entropy.toFixed(6)}`,
            `${tfjs.crossEntropy.toFixed(6)} / ${closed.crossEntropy.toFixed(6)}`,
            `${tfjs.forwardKl.toFixed(6)} / ${closed.forwardKl.toFixed(6)}`,
            `${tfjs.reverseKl.toFixed(6)} / ${closed.reverseKl.toFixed(6)}`,
          ]),
        },
      },
    };
  },
};
