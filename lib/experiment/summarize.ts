/**
 * Across-seed summaries of final metrics. Pure functions.
 *
 * @module
 */

import type { MetricSummary, TrialMetrics } from "./records.ts";

/**
 * Mean, sample standard deviation, min and max of some numbers.
 *
 * @param values At least one number.
 * @returns The summary.
 *
 * @example
 * ```ts
 * import { summarize } from "./summarize.ts";
 * const s = summarize([1, 2, 3]);
 * if (s.mean !== 2 || s.std !== 1 || s.n !== 3) throw new Error(JSON.stringify(s));
 * ```
 */
export function summarize(values: readonly number[]): MetricSummary {
  if (values.length === 0) {
    throw new RangeError("Expected at least one value to summarize, found none");
  }
  const n = values.length;
  const mean = values.reduce((sum, value) => sum + value, 0) / n;
  const variance = n > 1
    ? values.reduce((sum, value) => sum + (value - mean) ** 2, 0) / (n - 1)
    : 0;
  return { mean, std: Math.sqrt(variance), min: Math.min(...values), max: Math.max(...values), n };
}

/**
 * Summaries per variant and final metric, in the trials' order of variants.
 *
 * @param trials The trials.
 * @returns variant -> metric -> summary.
 *
 * @example
 * ```ts
 * import { summarizeTrials } from "./summarize.ts";
 * const trials = [1, 2].map((seed) => ({
 *   variant: "mlp", seed, final: { testErrorPercent: seed }, curve: [], artifacts: {},
 * }));
 * if (summarizeTrials(trials).mlp.testErrorPercent.mean !== 1.5) throw new Error("wrong");
 * ```
 */
export function summarizeTrials(
  trials: readonly TrialMetrics[],
): Record<string, Record<string, MetricSummary>> {
  const byVariant = new Map<string, Map<string, number[]>>();
  for (const trial of trials) {
    const metrics = byVariant.get(trial.variant) ?? new Map<string, number[]>();
    byVariant.set(trial.variant, metrics);
    for (const [metric, value] of Object.entries(trial.final)) {
      metrics.set(metric, [...(metrics.get(metric) ?? []), value]);
    }
  }
  return Object.fromEntries(
    [...byVariant].map(([variant, metrics]) => [
      variant,
      Object.fromEntries([...metrics].map(([metric, values]) => [metric, summarize(values)])),
    ]),
  );
}
