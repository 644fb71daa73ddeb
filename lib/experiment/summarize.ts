/**
 * Across-seed summaries and the verdicts on expected results. Pure functions.
 *
 * @module
 */

import type { CheckResult, Expectation, MetricSummary, TrialMetrics } from "./records.ts";
import { FULL_PROFILE } from "./resolve.ts";

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

/**
 * Checks each expectation against the across-seed mean, with the bound for the profile (a profile
 * without its own bound uses the full profile's). Expectations whose variant did not run (e.g.
 * `--variant` picked another) are left out.
 *
 * @param expectations From the experiment's header.
 * @param summary From {@linkcode summarizeTrials}.
 * @param profile The profile that ran.
 * @returns One verdict per checked expectation.
 *
 * @example
 * ```ts
 * import { checkExpectations } from "./summarize.ts";
 * const checks = checkExpectations(
 *   [{ variant: "a", metric: "e", published: 1, source: "s", bounds: { full: { atMost: 2 } } }],
 *   { a: { e: { mean: 1.5, std: 0, min: 1.5, max: 1.5, n: 1 } } },
 *   "full",
 * );
 * if (!checks[0].pass) throw new Error("should pass");
 * ```
 */
export function checkExpectations(
  expectations: readonly Expectation[],
  summary: Record<string, Record<string, MetricSummary>>,
  profile: string,
): CheckResult[] {
  return expectations.flatMap((expectation) => {
    const metric = summary[expectation.variant]?.[expectation.metric];
    if (!metric) return [];
    const bound = expectation.bounds[profile] ?? expectation.bounds[FULL_PROFILE];
    const clean = Object.fromEntries(
      Object.entries(bound).filter(([, value]) => value !== undefined),
    ) as CheckResult["bound"];
    const pass = (clean.atMost === undefined || metric.mean <= clean.atMost) &&
      (clean.atLeast === undefined || metric.mean >= clean.atLeast);
    return [{
      variant: expectation.variant,
      metric: expectation.metric,
      value: metric.mean,
      published: expectation.published,
      bound: clean,
      source: expectation.source,
      pass,
    }];
  });
}
