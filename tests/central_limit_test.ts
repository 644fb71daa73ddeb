import assert from "node:assert/strict";
import {
  centralLimit,
  dkwBand,
  exactNormalDistance,
  kolmogorovDistance,
} from "../lib/analyses/central_limit.ts";
import { normalCdf } from "../lib/probability/normal.ts";
import { createProgress } from "../lib/train/progress.ts";

Deno.test("kolmogorovDistance checks both sides of each step of the empirical CDF", () => {
  assert.equal(kolmogorovDistance(Float64Array.of(0.5), (x) => x), 0.5);
  // Samples at ¼ and ¾ against U(0, 1): the steps miss the CDF by ¼ on each side.
  assert.equal(kolmogorovDistance(Float64Array.of(0.25, 0.75), (x) => x), 0.25);
});

Deno.test("exactNormalDistance(1) is the closed-form distance of U(0, 1) from its normal", () => {
  // d/dx [x − Φ(√12 (x − ½))] = 0 where φ(z) = 1/√12, z = √(−2 ln(√(2π)/√12)).
  const z = Math.sqrt(-2 * Math.log(Math.sqrt(2 * Math.PI) / Math.sqrt(12)));
  const x = 0.5 + z / Math.sqrt(12);
  const closedForm = Math.abs(x - normalCdf(z));
  assert.ok(Math.abs(exactNormalDistance(1, 200_001) - closedForm) < 1e-7, `${closedForm}`);
  assert.ok(Math.abs(closedForm - 0.0572067) < 1e-6);
});

Deno.test("exactNormalDistance falls with n", () => {
  const distances = [1, 2, 5, 30].map((n) => exactNormalDistance(n, 2001));
  for (let i = 1; i < distances.length; i++) assert.ok(distances[i] < distances[i - 1]);
  assert.ok(distances[3] < 0.001);
});

Deno.test("dkwBand is √(ln(2/α)/(2N))", () => {
  assert.ok(Math.abs(dkwBand(20_000, 0.001) - 0.013785) < 1e-6);
});

Deno.test("centralLimit: variance 1/(12n), distances within the DKW band, n = 30 near normal", async () => {
  const settings = centralLimit.schema.parse({
    kind: "centralLimit",
    sampleSizes: [1, 30],
    means: 20_000,
  });
  const output = await centralLimit.run(settings, {
    seed: 3,
    backend: "cpu",
    progress: createProgress("quiet"),
  });
  const final = output.final;
  const band = dkwBand(20_000, 0.001);
  assert.ok(Math.abs(final.varianceRatioN30 - 1) < 0.04, String(final.varianceRatioN30));
  assert.ok(final.exactDistanceN1 < band && final.exactDistanceN30 < band);
  assert.ok(Math.abs(final.normalDistanceN1 - 0.0572) < band);
  assert.ok(final.normalDistanceN30 < 0.001 + band);
  const histogram = output.artifacts["means-n30"];
  assert.equal(histogram.kind, "density");
  if (histogram.kind === "density") {
    const mass = histogram.bins.reduce((sum, bin) => sum + bin.density * (bin.x1 - bin.x0), 0);
    assert.ok(Math.abs(mass - 1) < 0.01, `histogram mass ${mass}`);
  }
});
