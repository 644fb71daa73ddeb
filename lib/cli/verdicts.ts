/**
 * The verdict lines the command line prints: each check, and the expectations a run did not check.
 *
 * @module
 */

import type { CheckResult, ExperimentHeader, MetricsRecord } from "../experiment/records.ts";
import { FULL_PROFILE } from "../experiment/profiles.ts";
import { sideLabel } from "../experiment/expectations.ts";

function formatValue(value: number): string {
  return Number.isInteger(value)
    ? value.toLocaleString("en-US")
    : String(Number(value.toPrecision(4)));
}

/** A value next to its bound: with as many digits as it takes to tell them apart. */
function formatNear(value: number, bound: { atMost?: number; atLeast?: number }): string {
  const edges = [bound.atMost, bound.atLeast].filter((edge) => edge !== undefined) as number[];
  for (let digits = 4; digits <= 10; digits++) {
    const text = String(Number(value.toPrecision(digits)));
    if (
      edges.every((edge) => String(Number(edge.toPrecision(digits))) !== text || edge === value)
    ) {
      return Number.isInteger(value) ? value.toLocaleString("en-US") : text;
    }
  }
  return String(value);
}

function formatBound(bound: { atMost?: number; atLeast?: number }): string {
  const { atMost, atLeast } = bound;
  if (atMost !== undefined && atMost === atLeast) return `must equal ${formatValue(atMost)}`;
  return [
    atLeast === undefined ? "" : `>= ${formatValue(atLeast)}`,
    atMost === undefined ? "" : `<= ${formatValue(atMost)}`,
  ].filter(Boolean).join(" and ");
}

/**
 * One check as a line: `PASS lenet5 testErrorPercent 0.84 (<= 1.2, published 0.95; source)`.
 *
 * @param check The check.
 * @returns The line.
 *
 * @example
 * ```ts
 * import { formatCheck } from "./verdicts.ts";
 * const line = formatCheck({
 *   kind: "beats", better: { variant: "cnn", metric: "e", value: 1 },
 *   worse: { variant: "mlp", metric: "e", value: 2 }, direction: "lower", margin: 0.5,
 *   value: 1, source: "s", pass: true,
 * });
 * if (!line.startsWith("PASS cnn e 1 beats mlp e 2")) throw new Error(line);
 * ```
 */
export function formatCheck(check: CheckResult): string {
  const verdict = check.pass ? "PASS" : "FAIL";
  if (!("kind" in check)) {
    return `${verdict} ${check.variant} ${check.metric} ${formatNear(check.value, check.bound)} (${
      formatBound(check.bound)
    }, published ${formatValue(check.published)}; ${check.source})`;
  }
  if (check.kind === "beats") {
    return `${verdict} ${check.better.variant} ${check.better.metric} ${
      formatValue(check.better.value)
    } beats ${check.worse.variant} ${check.worse.metric} ${
      formatValue(check.worse.value)
    } (${check.direction} is better; by ${formatValue(check.value)}, margin ${
      formatValue(check.margin)
    }${check.published ? `; published: ${check.published}` : ""}; ${check.source})`;
  }
  return `${verdict} ${check.name} = ${
    check.value === null ? "none" : formatNear(check.value, check.bound)
  } (${formatBound(check.bound)}${
    check.published === undefined ? "" : `, published ${formatValue(check.published)}`
  }; ${check.description}; ${check.source})`;
}

/**
 * The expectations a run did not check, each with why: its variant did not run, or its profile
 * skips it.
 *
 * @param header The experiment's header.
 * @param metrics The run's results.
 * @param profile The profile that ran.
 * @returns One `NOT CHECKED …` line each.
 */
export function uncheckedExpectations(
  header: ExperimentHeader,
  metrics: MetricsRecord,
  profile: string,
): string[] {
  const ran = new Set(metrics.trials.map((trial) => trial.variant));
  return header.expect.flatMap((expectation) => {
    if (!("kind" in expectation)) {
      const bound = expectation.bounds[profile] ?? expectation.bounds[FULL_PROFILE];
      if (bound.skip) {
        return [
          `NOT CHECKED ${expectation.variant} ${expectation.metric} (skipped in profile ${profile})`,
        ];
      }
      return ran.has(expectation.variant) ? [] : [
        `NOT CHECKED ${expectation.variant} ${expectation.metric} (variant not run; published ${
          formatValue(expectation.published)
        })`,
      ];
    }
    if (expectation.kind === "beats") {
      const margin = expectation.margins[profile] ?? expectation.margins[FULL_PROFILE];
      const label = `${sideLabel(expectation.better)} beats ${
        sideLabel(expectation.worse)
      } on ${expectation.better.metric}`;
      if (margin === "skip") return [`NOT CHECKED ${label} (skipped in profile ${profile})`];
      const checked = metrics.checks.some((check) =>
        "kind" in check && check.kind === "beats" &&
        check.better.variant === sideLabel(expectation.better) &&
        check.worse.variant === sideLabel(expectation.worse)
      );
      return checked
        ? []
        : [`NOT CHECKED ${label} (${
          [expectation.better, expectation.worse].some((side) => "sweeps" in side)
            ? "its sweeps did not run"
            : "variant not run"
        })`];
    }
    const bound = expectation.bounds[profile] ?? expectation.bounds[FULL_PROFILE];
    if (bound.skip) return [`NOT CHECKED ${expectation.name} (skipped in profile ${profile})`];
    const checked = metrics.checks.some((check) =>
      "kind" in check && check.kind === "derived" && check.name === expectation.name
    );
    return checked ? [] : [`NOT CHECKED ${expectation.name} (its variants did not run)`];
  });
}
