import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { polynomialDesign } from "../lib/math/polynomial_design.ts";
import { PolynomialFeatures } from "../lib/models/polynomial_features.ts";

/** Legendre polynomials P0 … P4 in closed form (Abramowitz & Stegun, table 22.9). */
const LEGENDRE = [
  () => 1,
  (x: number) => x,
  (x: number) => (3 * x ** 2 - 1) / 2,
  (x: number) => (5 * x ** 3 - 3 * x) / 2,
  (x: number) => (35 * x ** 4 - 30 * x ** 2 + 3) / 8,
];

const XS = [-1, -0.7, -0.2, 0, 0.35, 0.8, 1];

Deno.test("polynomialDesign gives the closed-form Legendre polynomials and the powers of x", () => {
  const legendre = polynomialDesign(XS, 4, "legendre");
  const monomial = polynomialDesign(XS, 4, "monomial");
  XS.forEach((x, i) => {
    for (let n = 0; n <= 4; n++) {
      assert.ok(Math.abs(legendre[i * 5 + n] - LEGENDRE[n](x)) < 1e-15, `P${n}(${x})`);
      assert.ok(Math.abs(monomial[i * 5 + n] - x ** n) < 1e-15, `${x}^${n}`);
    }
  });
});

Deno.test("polynomialDesign matches the PolynomialFeatures layer (float32) after its constant", async () => {
  await tf.setBackend("cpu");
  for (const basis of ["legendre", "monomial"] as const) {
    const layer = new PolynomialFeatures({ degree: 6, basis, name: `poly_${basis}` });
    const output = layer.apply(tf.tensor2d(XS, [XS.length, 1])) as tf.Tensor;
    const features = await output.data();
    output.dispose();
    const design = polynomialDesign(XS, 6, basis);
    XS.forEach((_, i) => {
      for (let n = 1; n <= 6; n++) {
        const error = Math.abs(design[i * 7 + n] - features[i * 6 + n - 1]);
        assert.ok(error < 1e-6, `${basis} degree ${n} at x = ${XS[i]}: ${error}`);
      }
    });
  }
});

Deno.test("polynomialDesign of degree 0 is the constant; a negative degree is rejected", () => {
  assert.deepEqual([...polynomialDesign([3, -2], 0, "monomial")], [1, 1]);
  assert.throws(() => polynomialDesign([1], -1, "legendre"), {
    name: "RangeError",
    message: "polynomialDesign: expected degree to be an integer >= 0 but found -1",
  });
});
