/**
 * The `centralLimit` analysis (chapter 3): the means of n uniform samples, drawn many times for
 * growing n, against the normal density N(½, 1/(12n)) that the central limit theorem promises
 * (Goodfellow et al. 2016, §3.9.3).
 *
 * Three distances per n, in the Kolmogorov (sup of CDF differences) metric: the sampled means to
 * the normal (the effect: it falls as n grows), the sampled means to their exact Irwin–Hall
 * distribution (the sampler's check: within the DKW band), and the exact distribution to the
 * normal (the closed form the first should match). The variance of the means is checked against
 * 1/(12n).
 *
 * @module
 */

import { z } from "zod";
import type { Analysis, AnalysisOutput } from "./analysis.ts";
import { formatSignificant } from "../report/format.ts";
import type { Artifact } from "../report/artifacts.ts";
import { createRng, deriveSeed } from "../random/seed.ts";
import { normalCdf, normalDensity } from "../probability/normal.ts";
import { uniformMeanCdf } from "../probability/irwin_hall.ts";

/** Largest n with an exact distribution (see `uniformMeanCdf`). */
const EXACT_UP_TO = 30;

const schema = z.strictObject({
  kind: z.literal("centralLimit"),
  /** How many uniforms each mean averages. */
  sampleSizes: z.array(z.number().int().min(1).max(10_000)).min(1).default([1, 2, 5, 30]),
  /** Means drawn per n. */
  means: z.number().int().min(10).default(100_000),
  /** Histogram bins per chart. */
  bins: z.number().int().min(5).max(200).default(50),
});

/** The `centralLimit` analysis's settings. */
export type CentralLimitSettings = z.output<typeof schema>;

/**
 * The metric names for one n, e.g. `normalDistanceN30`.
 *
 * @param n The sample size.
 * @returns The names of its metrics.
 *
 * @example
 * ```ts
 * import { centralLimitMetrics } from "./central_limit.ts";
 * if (centralLimitMetrics(5).normal !== "normalDistanceN5") throw new Error();
 * ```
 */
export function centralLimitMetrics(n: number): {
  normal: string;
  exact: string;
  variance: string;
} {
  return {
    normal: `normalDistanceN${n}`,
    exact: `exactDistanceN${n}`,
    variance: `varianceRatioN${n}`,
  };
}

/**
 * The Kolmogorov distance sup_x |F_N(x) − F(x)| between the empirical distribution of samples
 * and a continuous CDF F: checked on both sides of every jump of F_N.
 *
 * @param sorted The samples, ascending.
 * @param cdf The CDF.
 * @returns The distance, in [0, 1].
 *
 * @example
 * ```ts
 * import { kolmogorovDistance } from "./central_limit.ts";
 * // One sample at ½ against the uniform CDF: F_N jumps from 0 to 1 where F is ½.
 * if (kolmogorovDistance(Float64Array.of(0.5), (x) => x) !== 0.5) throw new Error();
 * ```
 */
export function kolmogorovDistance(sorted: Float64Array, cdf: (x: number) => number): number {
  const n = sorted.length;
  let distance = 0;
  for (let i = 0; i < n; i++) {
    const f = cdf(sorted[i]);
    distance = Math.max(distance, (i + 1) / n - f, f - i / n);
  }
  return distance;
}

/**
 * sup_x |P(mean of n uniforms ≤ x) − Φ((x − ½) √(12n))|, the exact distance of the mean's
 * distribution from its normal approximation, on a grid over [0, 1] (and the normal's mass
 * outside [0, 1], where the exact CDF is 0 or 1).
 *
 * @param n Uniforms per mean, 1 to 30.
 * @param points Grid points over [0, 1].
 * @returns The distance.
 *
 * @example
 * ```ts
 * import { exactNormalDistance } from "./central_limit.ts";
 * // n = 1: the uniform CDF against the normal of the same mean and variance.
 * if (Math.abs(exactNormalDistance(1, 100_001) - 0.057207) > 1e-6) throw new Error();
 * ```
 */
export function exactNormalDistance(n: number, points = 20_001): number {
  const scale = Math.sqrt(12 * n);
  let distance = normalCdf(-0.5 * scale);
  for (let i = 0; i < points; i++) {
    const x = i / (points - 1);
    distance = Math.max(distance, Math.abs(uniformMeanCdf(x, n) - normalCdf((x - 0.5) * scale)));
  }
  return distance;
}

/**
 * The half-width ε of the Dvoretzky–Kiefer–Wolfowitz band: with probability at least
 * 1 − α, an empirical CDF of N samples lies within ε of the true CDF everywhere (Massart 1990's
 * constant): ε = √(ln(2/α) / (2N)).
 *
 * @param samples N.
 * @param alpha The probability of a larger distance.
 * @returns ε.
 *
 * @example
 * ```ts
 * import { dkwBand } from "./central_limit.ts";
 * if (Math.abs(dkwBand(100_000, 0.001) - 0.006164) > 1e-6) throw new Error();
 * ```
 */
export function dkwBand(samples: number, alpha: number): number {
  return Math.sqrt(Math.log(2 / alpha) / (2 * samples));
}

/** The `centralLimit` analysis. */
export const centralLimit: Analysis<CentralLimitSettings> = {
  schema,
  description: "means of n uniforms against the normal density, for growing n",
  module: import.meta.url,
  metrics: (settings) =>
    settings.sampleSizes.flatMap((n) => {
      const names = centralLimitMetrics(n);
      return n <= EXACT_UP_TO ? [names.normal, names.exact, names.variance] : [
        names.normal,
        names.variance,
      ];
    }),
  run(settings, { seed }): Promise<AnalysisOutput> {
    const final: Record<string, number> = {};
    const artifacts: Record<string, Artifact> = {};
    const rows: (string | number | null)[][] = [];
    for (const n of settings.sampleSizes) {
      const rng = createRng(deriveSeed(seed, "central-limit", n));
      const means = new Float64Array(settings.means);
      for (let i = 0; i < means.length; i++) {
        let sum = 0;
        for (let j = 0; j < n; j++) sum += rng();
        means[i] = sum / n;
      }
      const std = Math.sqrt(1 / (12 * n));
      const average = means.reduce((a, b) => a + b, 0) / means.length;
      const variance = means.reduce((a, b) => a + (b - average) ** 2, 0) / (means.length - 1);
      means.sort();
      const names = centralLimitMetrics(n);
      final[names.normal] = kolmogorovDistance(means, (x) => normalCdf((x - 0.5) / std));
      final[names.variance] = variance / std ** 2;
      const exact = n <= EXACT_UP_TO ? exactNormalDistance(n) : null;
      if (n <= EXACT_UP_TO) {
        final[names.exact] = kolmogorovDistance(means, (x) => uniformMeanCdf(x, n));
      }
      const format = (value: number | null | undefined) =>
        value === null || value === undefined ? null : formatSignificant(value, 4);
      rows.push([
        n,
        format(final[names.variance]),
        format(final[names.normal]),
        format(exact),
        format(final[names.exact]),
      ]);
      artifacts[`means-n${n}`] = histogram(means, n, std, settings.bins);
    }
    artifacts.distances = {
      kind: "table",
      title: "How far the means are from normal",
      description: `For each n, over ${settings.means} sampled means: their variance × 12n ` +
        "(1 in theory), their Kolmogorov distance to the normal N(½, 1/(12n)), the exact " +
        "distance of the mean's Irwin–Hall distribution to that normal, and the samples' " +
        `distance to the exact distribution (the DKW inequality bounds it by ${
          dkwBand(settings.means, 0.001).toFixed(4)
        } with probability 99.9 %).`,
      columns: [
        "n",
        "variance × 12n",
        "distance to normal (sampled)",
        "distance to normal (exact)",
        "distance to exact (sampled)",
      ],
      rows,
    };
    return Promise.resolve({ final, artifacts });
  },
};

function histogram(sorted: Float64Array, n: number, std: number, bins: number): Artifact {
  const from = Math.max(0, 0.5 - 4 * std);
  const to = Math.min(1, 0.5 + 4 * std);
  const width = (to - from) / bins;
  const counts = new Array<number>(bins).fill(0);
  for (const x of sorted) {
    const bin = Math.floor((x - from) / width);
    if (bin >= 0 && bin < bins) counts[bin]++;
  }
  const curve = Array.from({ length: 201 }, (_, i) => {
    const x = from + ((to - from) * i) / 200;
    return { x, y: normalDensity(x, 0.5, std) };
  });
  return {
    kind: "density",
    title: `Means of ${n} uniform sample${n === 1 ? "" : "s"}`,
    description: `Histogram of ${sorted.length} means of ${n} independent U(0, 1) samples ` +
      `against the normal density N(½, 1/${12 * n}) of the central limit theorem${
        n === 1 ? ": a single uniform is flat, far from the bell" : ""
      }.`,
    xTitle: `mean of ${n} uniform${n === 1 ? "" : "s"}`,
    bins: counts.map((count, i) => ({
      x0: from + i * width,
      x1: from + (i + 1) * width,
      density: count / (sorted.length * width),
    })),
    curves: [{ name: `normal N(½, 1/${12 * n})`, points: curve }],
  };
}
