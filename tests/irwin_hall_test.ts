import assert from "node:assert/strict";
import { uniformMeanCdf } from "../lib/probability/irwin_hall.ts";
import { createRng } from "../lib/random/seed.ts";

Deno.test("uniformMeanCdf is the uniform CDF for n = 1 and the triangle for n = 2", () => {
  for (const x of [0.1, 0.5, 0.83]) assert.ok(Math.abs(uniformMeanCdf(x, 1) - x) < 1e-15);
  for (const x of [0.2, 0.4]) assert.ok(Math.abs(uniformMeanCdf(x, 2) - 2 * x * x) < 1e-15);
  assert.ok(Math.abs(uniformMeanCdf(0.75, 2) - (1 - 2 * 0.25 ** 2)) < 1e-15);
});

Deno.test("uniformMeanCdf gives P(U1 + U2 + U3 ≤ 1) = 1/6 and is ½ at the middle", () => {
  assert.ok(Math.abs(uniformMeanCdf(1 / 3, 3) - 1 / 6) < 1e-15);
  for (const n of [1, 2, 5, 17, 30]) assert.ok(Math.abs(uniformMeanCdf(0.5, n) - 0.5) < 1e-9);
  assert.equal(uniformMeanCdf(-0.1, 4), 0);
  assert.equal(uniformMeanCdf(1.1, 4), 1);
});

Deno.test("uniformMeanCdf at n = 30 agrees with a simulation within its DKW band", () => {
  const rng = createRng(11);
  const samples = 20_000;
  const means = Float64Array.from({ length: samples }, () => {
    let sum = 0;
    for (let j = 0; j < 30; j++) sum += rng();
    return sum / 30;
  }).sort();
  let distance = 0;
  means.forEach((x, i) => {
    const f = uniformMeanCdf(x, 30);
    distance = Math.max(distance, (i + 1) / samples - f, f - i / samples);
  });
  // √(ln(2/0.001) / (2 · 20,000)) = 0.0138.
  assert.ok(distance < 0.0138, String(distance));
});

Deno.test("uniformMeanCdf rejects n outside 1–30", () => {
  assert.throws(() => uniformMeanCdf(0.5, 31), {
    name: "RangeError",
    message: "Expected n to be an integer from 1 to 30 but found 31",
  });
});
