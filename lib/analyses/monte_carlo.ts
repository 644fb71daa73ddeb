/**
 * The `monteCarlo` analysis (chapter 3): a Monte Carlo estimate's error falls as 1/√n
 * (Goodfellow et al. 2016, §17.1). π is estimated as 4 × the fraction of n uniform points of the
 * unit square inside the quarter disc, many times for each n; the root-mean-square error over
 * the repetitions is fitted on log–log axes (slope −½ expected) and compared with its closed form
 * 4 √(p(1 − p) / n), p = π/4 (the binomial's standard deviation).
 *
 * @module
 */

import { z } from "zod";
import type { Analysis, AnalysisOutput } from "./analysis.ts";
import { formatSignificant } from "../report/format.ts";
import { createRng, deriveSeed } from "../random/seed.ts";

const schema = z.strictObject({
  kind: z.literal("monteCarlo"),
  /** Points per estimate. */
  sampleSizes: z.array(z.number().int().min(1)).min(2).default([
    10,
    30,
    100,
    300,
    1000,
    3000,
    10_000,
    30_000,
    100_000,
  ]),
  /** Estimates per n, for the root-mean-square error. */
  repetitions: z.number().int().min(2).default(400),
});

/** The `monteCarlo` analysis's settings. */
export type MonteCarloSettings = z.output<typeof schema>;

/** A line in log–log space: log10 y = intercept + slope · log10 x. */
export interface PowerLaw {
  /** The exponent. */
  slope: number;
  /** log10 of y at x = 1. */
  intercept: number;
}

/**
 * The least-squares line through (log10 x, log10 y).
 *
 * @param points At least two points with positive coordinates and distinct x.
 * @returns Slope and intercept.
 *
 * @example
 * ```ts
 * import { fitPowerLaw } from "./monte_carlo.ts";
 * const { slope, intercept } = fitPowerLaw([{ x: 1, y: 3 }, { x: 100, y: 0.3 }]);
 * if (Math.abs(slope + 0.5) > 1e-15 || Math.abs(intercept - Math.log10(3)) > 1e-15) throw new Error();
 * ```
 */
export function fitPowerLaw(points: readonly { x: number; y: number }[]): PowerLaw {
  const xs = points.map((p) => Math.log10(p.x));
  const ys = points.map((p) => Math.log10(p.y));
  const mx = xs.reduce((a, b) => a + b, 0) / xs.length;
  const my = ys.reduce((a, b) => a + b, 0) / ys.length;
  let sxy = 0;
  let sxx = 0;
  xs.forEach((x, i) => {
    sxy += (x - mx) * (ys[i] - my);
    sxx += (x - mx) ** 2;
  });
  const slope = sxy / sxx;
  return { slope, intercept: my - slope * mx };
}

/**
 * The root-mean-square error of the estimate 4 · (points in the quarter disc) / n of π, in
 * closed form: 4 √(p(1 − p) / n) with p = π/4.
 *
 * @param n Points per estimate.
 * @returns The expected RMS error.
 *
 * @example
 * ```ts
 * import { piEstimateRmsError } from "./monte_carlo.ts";
 * if (Math.abs(piEstimateRmsError(1) - 1.6422) > 1e-4) throw new Error();
 * ```
 */
export function piEstimateRmsError(n: number): number {
  const p = Math.PI / 4;
  return 4 * Math.sqrt((p * (1 - p)) / n);
}

/** The `monteCarlo` analysis. */
export const monteCarlo: Analysis<MonteCarloSettings> = {
  schema,
  description: "a Monte Carlo estimate of π: its error against the number of samples",
  module: import.meta.url,
  metrics: () => ["errorSlope", "errorRatio"],
  run(settings, { seed }): Promise<AnalysisOutput> {
    const sizes = [...settings.sampleSizes].sort((a, b) => a - b);
    const measured = sizes.map((n) => {
      const rng = createRng(deriveSeed(seed, "monte-carlo", n));
      let squares = 0;
      let first = 0;
      for (let r = 0; r < settings.repetitions; r++) {
        let inside = 0;
        for (let i = 0; i < n; i++) {
          const x = rng();
          const y = rng();
          if (x * x + y * y <= 1) inside++;
        }
        const error = (4 * inside) / n - Math.PI;
        if (r === 0) first = Math.abs(error);
        squares += error * error;
      }
      return { n, rms: Math.sqrt(squares / settings.repetitions), first };
    });
    const fit = fitPowerLaw(measured.map((m) => ({ x: m.n, y: m.rms })));
    // Geometric mean of measured / closed-form RMS: the fitted constant, not just the slope.
    const errorRatio = 10 ** (measured.reduce(
      (sum, m) => sum + Math.log10(m.rms / piEstimateRmsError(m.n)),
      0,
    ) / measured.length);
    return Promise.resolve({
      final: { errorSlope: fit.slope, errorRatio },
      artifacts: {
        "error-against-samples": {
          kind: "logLogFit",
          title: "Monte Carlo error against samples",
          description: `The error of estimating π from n uniform points: the root-mean-square ` +
            `error over ${settings.repetitions} estimates per n (fitted slope ${
              fit.slope.toFixed(3)
            }) and the error of a single estimate, against the −½ slope of 1/√n.`,
          xTitle: "samples n",
          yTitle: "error of the estimate of π",
          points: [
            ...measured.map((m) => ({ x: m.n, y: m.rms, group: "RMS error" })),
            ...measured.filter((m) => m.first > 0).map((m) => ({
              x: m.n,
              y: m.first,
              group: "one estimate",
            })),
          ],
          fit,
          expectedSlope: -0.5,
        },
        "error-table": {
          kind: "table",
          title: "Measured and closed-form error",
          description: "For each n: the root-mean-square error of the estimates, its closed form " +
            "4 √(p(1 − p)/n) with p = π/4, their ratio, and the error × √n (constant if the error " +
            "falls as 1/√n).",
          columns: ["n", "RMS error", "closed form", "ratio", "RMS error × √n"],
          rows: measured.map((m) => [
            m.n,
            formatSignificant(m.rms, 4),
            formatSignificant(piEstimateRmsError(m.n), 4),
            formatSignificant(m.rms / piEstimateRmsError(m.n), 4),
            formatSignificant(m.rms * Math.sqrt(m.n), 4),
          ]),
        },
      },
    });
  },
};
