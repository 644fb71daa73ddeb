import assert from "node:assert/strict";
import {
  bernoulliEntropy,
  type Gaussian,
  gaussianCrossEntropy,
  gaussianEntropy,
  gaussianKl,
} from "../lib/probability/entropy.ts";
import { normalDensity } from "../lib/probability/normal.ts";

/** −∫ p ln q by Simpson's rule in float64: an independent check of the closed forms. */
function crossEntropyByQuadrature(p: Gaussian, q: Gaussian): number {
  const from = Math.min(p.mean, q.mean) - 15 * Math.max(p.std, q.std);
  const to = Math.max(p.mean, q.mean) + 15 * Math.max(p.std, q.std);
  const n = 20_000;
  const h = (to - from) / n;
  const f = (x: number) => {
    const logQ = -0.5 * ((x - q.mean) / q.std) ** 2 - Math.log(q.std * Math.sqrt(2 * Math.PI));
    return -normalDensity(x, p.mean, p.std) * logQ;
  };
  let sum = f(from) + f(to);
  for (let i = 1; i < n; i++) sum += (i % 2 === 1 ? 4 : 2) * f(from + i * h);
  return (sum * h) / 3;
}

const PAIRS: [Gaussian, Gaussian][] = [
  [{ mean: 0, std: 1 }, { mean: 0, std: 1 }],
  [{ mean: 0, std: 1 }, { mean: 2, std: 0.5 }],
  [{ mean: -1, std: 3 }, { mean: 1, std: 1.5 }],
];

Deno.test("bernoulliEntropy is 1 bit at ½, 0 at 0 and 1, symmetric, and ≈0.469 at 0.1", () => {
  assert.equal(bernoulliEntropy(0.5), 1);
  assert.equal(bernoulliEntropy(0), 0);
  assert.equal(bernoulliEntropy(1), 0);
  assert.ok(Math.abs(bernoulliEntropy(0.3) - bernoulliEntropy(0.7)) < 1e-15);
  assert.ok(Math.abs(bernoulliEntropy(0.1) - 0.4689955935892812) < 1e-15);
});

Deno.test("gaussianEntropy and gaussianCrossEntropy match quadrature; H(p, p) = H(p)", () => {
  for (const [p, q] of PAIRS) {
    assert.ok(Math.abs(gaussianCrossEntropy(p, q) - crossEntropyByQuadrature(p, q)) < 1e-9);
    assert.ok(Math.abs(gaussianEntropy(p) - crossEntropyByQuadrature(p, p)) < 1e-9);
  }
});

Deno.test("gaussianKl is H(p, q) − H(p), zero for equal Gaussians and not symmetric", () => {
  for (const [p, q] of PAIRS) {
    assert.ok(
      Math.abs(gaussianKl(p, q) - (gaussianCrossEntropy(p, q) - gaussianEntropy(p))) < 1e-14,
    );
  }
  assert.equal(gaussianKl(PAIRS[0][0], PAIRS[0][1]), 0);
  // KL(N(0,1)‖N(0,4)) = ln 2 + 1/8 − 1/2; the reverse is −ln 2 + 2 − 1/2.
  const narrow = { mean: 0, std: 1 };
  const wide = { mean: 0, std: 2 };
  assert.ok(Math.abs(gaussianKl(narrow, wide) - (Math.LN2 - 0.375)) < 1e-15);
  assert.ok(Math.abs(gaussianKl(wide, narrow) - (1.5 - Math.LN2)) < 1e-15);
});
