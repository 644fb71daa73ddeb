/**
 * Any check (a published value, a comparison, a derived quantity) in words, for the report page,
 * the index and the terminal alike.
 *
 * @module
 */

import type { CheckResult, Expectation, MetricSide } from "../experiment/records.ts";
import { sideLabel } from "../experiment/expectations.ts";
import {
  formatMetric,
  formatMetricNumber,
  formatSignificant,
  isPercentMetric,
  metricLabel,
} from "./format.ts";

/** A check as the report writes it. */
export interface CheckText {
  /** What is checked, e.g. `LeNet-5 test error` or `LeNet-5 beats MLP on test error`. */
  subject: string;
  /** The measured value, formatted. */
  measured: string;
  /** The published value or claim, formatted; empty when there is none. */
  published: string;
  /** The bound or margin, formatted. */
  bound: string;
}

/**
 * Describes a check.
 *
 * @param check The check.
 * @param labels Variant name -> label.
 * @returns Its subject, measured and published values, and bound, as text.
 *
 * @example
 * ```ts
 * import { describeCheck } from "./check_text.ts";
 * const text = describeCheck({
 *   kind: "beats", better: { variant: "a", metric: "testErrorPercent", value: 1 },
 *   worse: { variant: "b", metric: "testErrorPercent", value: 2 }, direction: "lower",
 *   margin: 0, value: 1, source: "s", pass: true,
 * }, { a: "LeNet-5", b: "MLP" });
 * if (text.subject !== "LeNet-5 beats MLP on test error (%)") throw new Error(text.subject);
 * ```
 */
export function describeCheck(check: CheckResult, labels: Record<string, string>): CheckText {
  const label = (variant: string) => labels[variant] ?? variant;
  if (!("kind" in check)) {
    return {
      subject: `${label(check.variant)} ${metricLabel(check.metric)}`,
      measured: formatMetric(check.metric, check.value),
      published: formatMetric(check.metric, check.published),
      bound: formatBound(check.metric, check.bound),
    };
  }
  if (check.kind === "beats") {
    const same = check.better.metric === check.worse.metric;
    return {
      subject: `${label(check.better.variant)} beats ${label(check.worse.variant)} on ${
        metricLabel(check.better.metric)
      }${same ? "" : ` (against ${metricLabel(check.worse.metric)})`}`,
      measured: `${formatMetric(check.better.metric, check.better.value)} vs ${
        formatMetric(check.worse.metric, check.worse.value)
      }`,
      published: check.published ?? "",
      bound: `${check.direction} is better${
        check.margin > 0 ? `, by ≥ ${formatMetric(check.better.metric, check.margin)}` : ""
      }`,
    };
  }
  return {
    subject: `${check.name}: ${check.description}`,
    measured: check.value === null ? "none" : formatSignificant(check.value, 4),
    published: check.published === undefined ? "" : formatSignificant(check.published, 4),
    bound: formatBound("", check.bound),
  };
}

/**
 * An expectation in words before any run: `LeNet-5 test error: published 0.95 %`.
 *
 * @param expectation The expectation.
 * @param labels Variant name -> label.
 * @returns One line.
 */
export function describeExpectation(
  expectation: Expectation,
  labels: Record<string, string>,
): string {
  const label = (variant: string) => labels[variant] ?? variant;
  if (!("kind" in expectation)) {
    return `${label(expectation.variant)} ${metricLabel(expectation.metric)}: published ${
      formatMetric(expectation.metric, expectation.published)
    }`;
  }
  if (expectation.kind === "beats") {
    const side = (s: MetricSide) => "variant" in s ? label(s.variant) : sideLabel(s);
    return `${side(expectation.better)} beats ${side(expectation.worse)} on ${
      metricLabel(expectation.better.metric)
    }${expectation.published ? ` (${expectation.published})` : ""}`;
  }
  return `${expectation.name}${
    expectation.published === undefined
      ? ""
      : `: published ${formatSignificant(expectation.published, 4)}`
  }`;
}

/**
 * A bound in words, e.g. `≤ 1.20 %` or `0.90 – 1.20 %`.
 *
 * @param metric The checked metric (for its unit); empty for a plain number.
 * @param bound The bound.
 * @returns The bound as text; `none` when it is empty.
 *
 * @example
 * ```ts
 * import { formatBound } from "./check_text.ts";
 * if (formatBound("testErrorPercent", { atMost: 1.2 }) !== "≤ 1.20\u00a0%") throw new Error("bound");
 * ```
 */
export function formatBound(metric: string, bound: { atMost?: number; atLeast?: number }): string {
  const { atMost, atLeast } = bound;
  const value = (v: number) => metric === "" ? formatSignificant(v, 4) : formatMetric(metric, v);
  if (atMost !== undefined && atLeast !== undefined) {
    if (atMost === atLeast) return `= ${value(atMost)}`;
    const number = (v: number) =>
      metric === "" ? formatSignificant(v, 4) : formatMetricNumber(metric, v);
    const unit = isPercentMetric(metric) ? "\u00a0%" : "";
    return `${number(atLeast)} – ${number(atMost)}${unit}`;
  }
  if (atMost !== undefined) return `≤ ${value(atMost)}`;
  if (atLeast !== undefined) return `≥ ${value(atLeast)}`;
  return "none";
}
