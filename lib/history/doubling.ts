/**
 * Doubling time of a quantity that grows exponentially with the year (network size, data set
 * size, GPU throughput): a least-squares line through `log2(value)` against the year.
 *
 * @module
 */

/** A least-squares fit of `log2(value) = slope × year + intercept`. */
export interface DoublingFit {
  /** Doublings per year. */
  slope: number;
  /** `log2(value)` at year 0. */
  intercept: number;
  /** Years per doubling: `1 / slope` (negative when the value halves, infinite when flat). */
  doublingYears: number;
  /** Coefficient of determination of the fit in log2 space. */
  r2: number;
  /** The fitted value at `year`: `2 ** (slope × year + intercept)`. */
  predict(year: number): number;
}

/**
 * Fits exponential growth by least squares of `log2(value)` on the year.
 *
 * @param points At least two points with distinct years and positive, finite values.
 * @returns The slope (doublings per year), intercept, doubling time, R² and a predictor.
 * @throws {RangeError} Naming the bad point, what was expected and what was found.
 *
 * @example
 * ```ts
 * import { fitDoublingTime } from "./doubling.ts";
 * const fit = fitDoublingTime([{ year: 2000, value: 1 }, { year: 2002, value: 2 }]);
 * if (Math.abs(fit.doublingYears - 2) > 1e-12) throw new Error(String(fit.doublingYears));
 * ```
 */
export function fitDoublingTime(points: readonly { year: number; value: number }[]): DoublingFit {
  if (points.length < 2) {
    throw new RangeError(`points: expected at least 2 points, found ${points.length}`);
  }
  points.forEach((point, index) => {
    if (!Number.isFinite(point.year)) {
      throw new RangeError(`points[${index}].year: expected a finite number, found ${point.year}`);
    }
    if (!(Number.isFinite(point.value) && point.value > 0)) {
      throw new RangeError(
        `points[${index}].value: expected a positive finite number (log2 is taken), found ${point.value}`,
      );
    }
  });
  const n = points.length;
  const meanYear = points.reduce((total, point) => total + point.year, 0) / n;
  const logs = points.map((point) => Math.log2(point.value));
  const meanLog = logs.reduce((total, value) => total + value, 0) / n;
  // Centred sums keep the fit accurate for years around 2000, where raw sums of squares are large.
  let sxx = 0;
  let sxy = 0;
  let syy = 0;
  points.forEach((point, i) => {
    const dx = point.year - meanYear;
    const dy = logs[i] - meanLog;
    sxx += dx * dx;
    sxy += dx * dy;
    syy += dy * dy;
  });
  if (sxx === 0) {
    throw new RangeError(`points: expected at least two distinct years, found only ${meanYear}`);
  }
  const slope = sxy / sxx;
  const intercept = meanLog - slope * meanYear;
  const r2 = syy === 0 ? 1 : (sxy * sxy) / (sxx * syy);
  return {
    slope,
    intercept,
    doublingYears: 1 / slope,
    r2,
    predict: (year: number) => 2 ** (slope * (year - meanYear) + meanLog),
  };
}
