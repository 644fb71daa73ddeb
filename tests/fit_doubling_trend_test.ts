import { deepEqual, ok, throws } from "node:assert/strict";
import { fitDoublingTrend } from "../lib/report/charts/fit_doubling_trend.ts";

Deno.test("fitDoublingTrend recovers the doubling time of an exact exponential", () => {
  const points = [1971, 1981, 1991, 2001].map((year) => ({
    year,
    value: 2300 * 2 ** ((year - 1971) / 2),
  }));
  const trend = fitDoublingTrend(points);
  ok(Math.abs(trend.doublingYears - 2) < 1e-9, String(trend.doublingYears));
  ok(Math.abs(trend.valueAtFrom / 2300 - 1) < 1e-9, String(trend.valueAtFrom));
  deepEqual([trend.fromYear, trend.toYear], [1971, 2001]);
});

Deno.test("fitDoublingTrend rejects fewer than two distinct years, saying what it found", () => {
  throws(() => fitDoublingTrend([{ year: 2000, value: 1 }]), {
    name: "RangeError",
    message: "points: expected at least 2 points, found 1",
  });
});
