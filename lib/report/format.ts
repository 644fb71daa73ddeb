/**
 * Number formatting for reports. Locale-independent, so the same numbers give the same bytes on
 * every machine.
 *
 * @module
 */

/**
 * Writes an integer with thousands separators.
 *
 * @param value A number; rounded to an integer.
 * @returns E.g. `61,706`.
 *
 * @example
 * ```ts
 * import { formatCount } from "./format.ts";
 * if (formatCount(1234567) !== "1,234,567") throw new Error(formatCount(1234567));
 * ```
 */
export function formatCount(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  const sign = value < 0 ? "-" : "";
  const digits = String(Math.round(Math.abs(value)));
  return sign + digits.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}

/**
 * Writes a number with a given count of significant digits, without trailing zeros; very large
 * or very small numbers in scientific notation.
 *
 * @param value The number.
 * @param digits Significant digits, default 4.
 * @returns E.g. `0.03125`, `2.5e-7`.
 *
 * @example
 * ```ts
 * import { formatSignificant } from "./format.ts";
 * if (formatSignificant(0.0312549) !== "0.03125") throw new Error(formatSignificant(0.0312549));
 * ```
 */
export function formatSignificant(value: number, digits = 4): string {
  if (!Number.isFinite(value)) return String(value);
  if (value === 0) return "0";
  const magnitude = Math.abs(value);
  if (magnitude >= 1e6 || magnitude < 1e-4) {
    const [mantissa, exponent] = value.toExponential(digits - 1).split("e");
    return `${trimZeros(mantissa)}e${Number(exponent)}`;
  }
  return trimZeros(value.toPrecision(digits));
}

function trimZeros(text: string): string {
  return text.includes(".") ? text.replace(/\.?0+$/, "") : text;
}

const SI_PREFIXES = ["", "k", "M", "G", "T", "P", "E"];

/**
 * Writes a large count with an SI prefix, e.g. neurons or FLOP/s.
 *
 * @param value The number.
 * @param digits Significant digits, default 3.
 * @returns E.g. `86 G` for 8.6e10.
 *
 * @example
 * ```ts
 * import { formatSi } from "./format.ts";
 * if (formatSi(8.6e10) !== "86 G") throw new Error(formatSi(8.6e10));
 * ```
 */
export function formatSi(value: number, digits = 3): string {
  if (!Number.isFinite(value)) return String(value);
  const magnitude = Math.abs(value);
  if (magnitude < 1000) return formatSignificant(value, digits);
  const power = Math.min(SI_PREFIXES.length - 1, Math.floor(Math.log10(magnitude) / 3));
  const scaled = Number((value / 1000 ** power).toPrecision(digits));
  if (Math.abs(scaled) >= 1000 && power < SI_PREFIXES.length - 1) {
    return `${trimZeros((scaled / 1000).toPrecision(digits))} ${SI_PREFIXES[power + 1]}`;
  }
  return `${trimZeros(scaled.toPrecision(digits))} ${SI_PREFIXES[power]}`;
}

/**
 * Writes a duration in seconds as seconds, minutes or hours.
 *
 * @param seconds The duration.
 * @returns E.g. `12.3 s`, `4 min 05 s`, `1 h 02 min`.
 *
 * @example
 * ```ts
 * import { formatDuration } from "./format.ts";
 * if (formatDuration(245) !== "4 min 05 s") throw new Error(formatDuration(245));
 * ```
 */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return String(seconds);
  if (seconds < 60) return `${seconds < 10 ? seconds.toFixed(2) : seconds.toFixed(1)} s`;
  const whole = Math.round(seconds);
  if (whole < 3600) {
    return `${Math.floor(whole / 60)} min ${String(whole % 60).padStart(2, "0")} s`;
  }
  const minutes = Math.round(whole / 60);
  return `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, "0")} min`;
}

/**
 * Formats a metric's value by what the metric is: percentages with two decimals, counts
 * (parameters, steps, examples) with separators, other values with four significant digits.
 *
 * @param metric The metric's name, e.g. `testErrorPercent`.
 * @param value Its value.
 * @returns E.g. `0.95 %` (with a no-break space), `61,706`, `0.03125`.
 *
 * @example
 * ```ts
 * import { formatMetric } from "./format.ts";
 * if (formatMetric("testErrorPercent", 0.9512) !== "0.95\u00a0%") throw new Error("percent");
 * if (formatMetric("parameters", 61706) !== "61,706") throw new Error("count");
 * ```
 */
export function formatMetric(metric: string, value: number): string {
  if (isPercentMetric(metric)) return `${value.toFixed(2)}\u00a0%`;
  if (isCountMetric(metric)) return formatCount(value);
  return formatSignificant(value);
}

/**
 * Formats a metric's value without its unit, for `mean ± std` cells.
 *
 * @param metric The metric's name.
 * @param value Its value.
 * @returns E.g. `0.95`.
 *
 * @example
 * ```ts
 * import { formatMetricNumber } from "./format.ts";
 * if (formatMetricNumber("testErrorPercent", 1) !== "1.00") throw new Error("percent");
 * ```
 */
export function formatMetricNumber(metric: string, value: number): string {
  if (isPercentMetric(metric)) return value.toFixed(2);
  return formatMetric(metric, value);
}

/**
 * True for metrics measured in percent (their name ends in `Percent`).
 *
 * @param metric The metric's name.
 * @returns Whether it is a percentage.
 *
 * @example
 * ```ts
 * import { isPercentMetric } from "./format.ts";
 * if (!isPercentMetric("testErrorPercent")) throw new Error("expected a percentage");
 * ```
 */
export function isPercentMetric(metric: string): boolean {
  return /Percent$/.test(metric);
}

const COUNT_METRICS = /^(parameters|steps|examples|epochs)$|(Count|Parameters|Steps|Examples)$/;

function isCountMetric(metric: string): boolean {
  return COUNT_METRICS.test(metric);
}

const METRIC_LABELS: Record<string, string> = {
  trainLoss: "training loss",
  epochTrainLoss: "training loss (epoch mean)",
  testLoss: "test loss",
  testErrorPercent: "test error (%)",
  trainErrorPercent: "training error (%)",
  testAccuracyPercent: "test accuracy (%)",
  parameters: "parameters",
  steps: "optimizer steps",
};

/**
 * A reader's name for a metric: known names from a table, others by splitting camelCase.
 *
 * @param metric The metric's name, e.g. `testErrorPercent`.
 * @returns E.g. `test error (%)`.
 *
 * @example
 * ```ts
 * import { metricLabel } from "./format.ts";
 * if (metricLabel("testErrorPercent") !== "test error (%)") throw new Error("label");
 * if (metricLabel("weightNorm") !== "weight norm") throw new Error(metricLabel("weightNorm"));
 * ```
 */
export function metricLabel(metric: string): string {
  const known = METRIC_LABELS[metric];
  if (known !== undefined) return known;
  const words = metric.replace(/Percent$/, "").replace(/([a-z0-9])([A-Z])/g, "$1 $2").toLowerCase();
  return isPercentMetric(metric) ? `${words} (%)` : words;
}
