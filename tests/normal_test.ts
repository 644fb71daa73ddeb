import assert from "node:assert/strict";
import { normalCdf, normalDensity } from "../lib/probability/normal.ts";

Deno.test("normalCdf matches tabulated quantiles to 1e-14", () => {
  // Quantiles of the standard normal (Abramowitz & Stegun, Table 26.5).
  const table: [number, number][] = [
    [0, 0.5],
    [1.6448536269514722, 0.95],
    [1.959963984540054, 0.975],
    [2.5758293035489004, 0.995],
    [-3.090232306167813, 0.001],
  ];
  for (const [x, p] of table) {
    assert.ok(Math.abs(normalCdf(x) - p) < 1e-14, `${x}: ${normalCdf(x)}`);
  }
});

Deno.test("normalCdf is symmetric, monotone and saturates beyond ±9", () => {
  for (const x of [0.1, 0.7, 2.2, 5]) assert.ok(Math.abs(normalCdf(x) + normalCdf(-x) - 1) < 1e-15);
  assert.equal(normalCdf(-10), 0);
  assert.equal(normalCdf(10), 1);
  let previous = 0;
  for (let x = -8; x <= 8; x += 0.25) {
    assert.ok(normalCdf(x) >= previous);
    previous = normalCdf(x);
  }
});

Deno.test("normalCdf is the integral of normalDensity", () => {
  // Simpson's rule from −1 to 1.5 against the CDF's difference.
  const [a, b, n] = [-1, 1.5, 1000];
  const h = (b - a) / n;
  let sum = normalDensity(a) + normalDensity(b);
  for (let i = 1; i < n; i++) sum += (i % 2 === 1 ? 4 : 2) * normalDensity(a + i * h);
  assert.ok(Math.abs((sum * h) / 3 - (normalCdf(b) - normalCdf(a))) < 1e-12);
});

Deno.test("normalDensity scales with its mean and standard deviation", () => {
  assert.ok(Math.abs(normalDensity(3, 3, 2) - normalDensity(0) / 2) < 1e-16);
});
