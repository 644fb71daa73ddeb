/**
 * Fits an exponential (doubling) trend to points of a time series.
 *
 * @module
 */

import { fitDoublingTime } from "../../history/doubling.ts";
import type { DoublingTrend, TimePoint } from "./log_time_series.ts";

/**
 * Fits an exponential trend to points by least squares on `log2(value)` against year.
 *
 * @param points At least two points with positive values and distinct years.
 * @returns The trend across the points' years.
 *
 * @example
 * ```ts
 * import { fitDoublingTrend } from "./fit_doubling_trend.ts";
 * const trend = fitDoublingTrend([{ year: 2000, value: 1 }, { year: 2002, value: 2 }, { year: 2004, value: 4 }]);
 * if (Math.abs(trend.doublingYears - 2) > 1e-9) throw new Error(String(trend.doublingYears));
 * ```
 */
export function fitDoublingTrend(points: readonly TimePoint[]): DoublingTrend {
  const fit = fitDoublingTime(points);
  const years = points.map((point) => point.year);
  const fromYear = Math.min(...years);
  return {
    fromYear,
    toYear: Math.max(...years),
    valueAtFrom: fit.predict(fromYear),
    doublingYears: fit.doublingYears,
  };
}
