import assert from "node:assert/strict";
import { fitPowerLaw, monteCarlo, piEstimateRmsError } from "../lib/analyses/monte_carlo.ts";
import { createProgress } from "../lib/train/progress.ts";

Deno.test("fitPowerLaw recovers an exact power law", () => {
  const points = [1, 10, 100, 1000].map((x) => ({ x, y: 7 * x ** -0.5 }));
  const { slope, intercept } = fitPowerLaw(points);
  assert.ok(Math.abs(slope + 0.5) < 1e-14 && Math.abs(intercept - Math.log10(7)) < 1e-14);
});

Deno.test("piEstimateRmsError is 4 √(p(1 − p)/n) with p = π/4", () => {
  const p = Math.PI / 4;
  assert.ok(Math.abs(piEstimateRmsError(100) - 0.4 * Math.sqrt(p * (1 - p))) < 1e-15);
});

Deno.test("monteCarlo's error falls as 1/√n with the closed-form constant", async () => {
  const settings = monteCarlo.schema.parse({
    kind: "monteCarlo",
    sampleSizes: [10, 100, 1000, 10_000],
    repetitions: 200,
  });
  const run = () =>
    monteCarlo.run(settings, { seed: 5, backend: "cpu", progress: createProgress("quiet") });
  const { final, artifacts } = await run();
  assert.ok(Math.abs(final.errorSlope + 0.5) < 0.05, String(final.errorSlope));
  assert.ok(Math.abs(final.errorRatio - 1) < 0.1, String(final.errorRatio));
  const chart = artifacts["error-against-samples"];
  assert.equal(chart.kind === "logLogFit" ? chart.fit.slope : NaN, final.errorSlope);
  assert.deepEqual((await run()).final, final, "deterministic for a seed");
});
