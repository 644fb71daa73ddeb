import assert from "node:assert/strict";
import { fitDoublingTime } from "../lib/history/doubling.ts";
import { loadHistoryTable } from "../lib/history/tables.ts";

const DATA = new URL("../data", import.meta.url).pathname;

Deno.test("fitDoublingTime recovers an exact doubling every 2.4 years", () => {
  const points = [1958, 1970, 1986, 1998, 2014].map((year) => ({
    year,
    value: 5 * 2 ** ((year - 1958) / 2.4),
  }));
  const fit = fitDoublingTime(points);
  assert.ok(Math.abs(fit.doublingYears - 2.4) < 1e-9, String(fit.doublingYears));
  assert.ok(Math.abs(fit.slope - 1 / 2.4) < 1e-12);
  assert.ok(Math.abs(fit.intercept - (Math.log2(5) - 1958 / 2.4)) < 1e-9);
  assert.ok(Math.abs(fit.r2 - 1) < 1e-12);
  assert.ok(Math.abs(fit.predict(2030) / (5 * 2 ** (72 / 2.4)) - 1) < 1e-9);
});

Deno.test("fitDoublingTime matches the closed-form least squares on noisy points", () => {
  // log2 values 0, 3, 2, 5 at years 0..3: x̄ = 1.5, ȳ = 2.5, Sxx = 5, Sxy = 7, Syy = 13.
  const points = [0, 3, 2, 5].map((log, year) => ({ year, value: 2 ** log }));
  const fit = fitDoublingTime(points);
  assert.ok(Math.abs(fit.slope - 7 / 5) < 1e-12);
  assert.ok(Math.abs(fit.intercept - (2.5 - 1.4 * 1.5)) < 1e-12);
  assert.ok(Math.abs(fit.doublingYears - 5 / 7) < 1e-12);
  assert.ok(Math.abs(fit.r2 - 49 / 65) < 1e-12);
  assert.ok(Math.abs(fit.predict(1) - 2 ** (0.4 + 1.4)) < 1e-12);
});

Deno.test("fitDoublingTime reports a shrinking quantity with a negative doubling time", () => {
  const fit = fitDoublingTime([{ year: 2010, value: 28.2 }, { year: 2015, value: 3.57 }]);
  assert.ok(fit.doublingYears < 0);
});

Deno.test("fitDoublingTime rejects non-positive values, too few points and one repeated year", () => {
  assert.throws(
    () => fitDoublingTime([{ year: 2000, value: 1 }, { year: 2001, value: 0 }]),
    {
      name: "RangeError",
      message: "points[1].value: expected a positive finite number (log2 is taken), found 0",
    },
  );
  assert.throws(() => fitDoublingTime([{ year: 2000, value: 1 }]), {
    name: "RangeError",
    message: "points: expected at least 2 points, found 1",
  });
  assert.throws(
    () => fitDoublingTime([{ year: 2000, value: 1 }, { year: 2000, value: 2 }]),
    {
      name: "RangeError",
      message: "points: expected at least two distinct years, found only 2000",
    },
  );
});

Deno.test("fitDoublingTime on the GPU table gives an FP32 doubling time of 2 to 3 years", async () => {
  const gpus = await loadHistoryTable("gpus", DATA);
  const points = gpus.rows.map((row) => ({ year: row.year, value: row.fp32Tflops }));
  const fit = fitDoublingTime(points);
  assert.ok(fit.doublingYears > 2 && fit.doublingYears < 3, String(fit.doublingYears));
  assert.ok(fit.r2 > 0.8, String(fit.r2));
});
