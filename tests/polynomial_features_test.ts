import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { buildModel } from "../lib/models/build_model.ts";
import { PolynomialFeatures } from "../lib/models/polynomial_features.ts";
import { ALL_BACKENDS, backendTestOptions, useBackend } from "./_backends.ts";

/** Legendre polynomials P1 … P5 in closed form (Abramowitz & Stegun, table 22.9). */
const LEGENDRE = [
  (x: number) => x,
  (x: number) => (3 * x ** 2 - 1) / 2,
  (x: number) => (5 * x ** 3 - 3 * x) / 2,
  (x: number) => (35 * x ** 4 - 30 * x ** 2 + 3) / 8,
  (x: number) => (63 * x ** 5 - 70 * x ** 3 + 15 * x) / 8,
];

const XS = [-1, -0.75, -0.3, 0, 0.1, 0.5, 0.9, 1].map(Math.fround);

function close(found: ArrayLike<number>, expected: number[], what: string) {
  assert.equal(found.length, expected.length, `${what}: length`);
  let scale = 0;
  let error = 0;
  for (let i = 0; i < expected.length; i++) {
    scale = Math.max(scale, Math.abs(expected[i]));
    error = Math.max(error, Math.abs(found[i] - expected[i]));
  }
  assert.ok(error / scale < 1e-4, `${what}: relative error ${error / scale}`);
}

for (const backend of ALL_BACKENDS) {
  Deno.test(
    `PolynomialFeatures gives Legendre polynomials and powers of x on ${backend}`,
    backendTestOptions(backend),
    async () => {
      await useBackend(backend);
      const x = tf.tensor2d(XS, [XS.length, 1]);
      for (const basis of ["legendre", "monomial"] as const) {
        const model = buildModel([1], [{ kind: "polynomial", degree: 5, basis }], 1);
        const y = model.predict(x) as tf.Tensor;
        assert.deepEqual(y.shape, [XS.length, 5]);
        const expected = XS.flatMap((v) =>
          basis === "legendre" ? LEGENDRE.map((p) => p(v)) : [1, 2, 3, 4, 5].map((k) => v ** k)
        );
        close(await y.data(), expected, basis);
        y.dispose();
        model.dispose();
      }
      x.dispose();
    },
  );
}

Deno.test("PolynomialFeatures of degree 1 passes x through, and has no weights", async () => {
  await useBackend("cpu");
  const layer = new PolynomialFeatures({ degree: 1, basis: "legendre", name: "p" });
  const x = tf.tensor2d([[0.25], [-0.5]]);
  const y = layer.apply(x) as tf.Tensor;
  assert.deepEqual(await y.array(), [[0.25], [-0.5]]);
  assert.equal(layer.countParams(), 0);
  tf.dispose([x, y]);
});

Deno.test("PolynomialFeatures rejects a degree below 1 and an input wider than one", () => {
  assert.throws(() => new PolynomialFeatures({ degree: 0, basis: "monomial", name: "p" }), {
    name: "RangeError",
    message: "Expected degree to be an integer >= 1 but found 0",
  });
  const layer = new PolynomialFeatures({ degree: 2, basis: "monomial", name: "p" });
  assert.throws(() => layer.computeOutputShape([null, 3]), {
    message: "p: expected an input of shape [batch, 1], found [null, 3]",
  });
});
