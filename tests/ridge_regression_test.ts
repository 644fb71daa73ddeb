import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import {
  fitRidge,
  gradientDescentRidge,
  ridgeRegression,
} from "../lib/analyses/ridge_regression.ts";
import { polynomialDesign } from "../lib/math/polynomial_design.ts";
import { createProgress } from "../lib/train/progress.ts";

const XS = Array.from({ length: 9 }, (_, i) => -1 + i / 4);

Deno.test("fitRidge recovers a cubic exactly in both bases", () => {
  // 2x³ − x = 0.8 P3(x) + 0.2 P1(x), since x³ = (2 P3 + 3 P1) / 5.
  const ys = XS.map((x) => 2 * x ** 3 - x);
  const monomial = fitRidge(XS, ys, 3, "monomial", 0);
  const legendre = fitRidge(XS, ys, 3, "legendre", 0);
  [0, -1, 0, 2].forEach((w, j) => assert.ok(Math.abs(monomial.weights[j] - w) < 1e-13, `x^${j}`));
  [0, 0.2, 0, 0.8].forEach((w, j) => assert.ok(Math.abs(legendre.weights[j] - w) < 1e-13, `P${j}`));
  assert.ok(monomial.trainMse < 1e-26 && legendre.solverRelativeDifference < 1e-12);
});

Deno.test("fitRidge: training error never rises with the degree, and falls with weight decay off", () => {
  const ys = XS.map((x, i) => Math.sin(Math.PI * x) + (i % 2 ? 0.1 : -0.1));
  const errors = [0, 1, 2, 3, 4, 5, 6, 7].map((degree) =>
    fitRidge(XS, ys, degree, "legendre", 0).trainMse
  );
  for (let d = 1; d < errors.length; d++) {
    assert.ok(errors[d] <= errors[d - 1] + 1e-15, `degree ${d}`);
  }
  // Nine points, degree 8: interpolation.
  assert.ok(fitRidge(XS, ys, 8, "legendre", 0).trainMse < 1e-20);
  // Weight decay only ever raises the training error.
  const decays = [0, 1e-4, 1e-2, 1, 100].map((lambda) =>
    fitRidge(XS, ys, 6, "legendre", lambda).trainMse
  );
  for (let k = 1; k < decays.length; k++) assert.ok(decays[k] >= decays[k - 1], `λ index ${k}`);
});

Deno.test("gradientDescentRidge reaches the closed-form ridge weights and leaks no tensor", async () => {
  await tf.setBackend("cpu");
  const ys = XS.map((x) => 1 + 0.5 * x - x * x);
  const lambda = 0.05;
  const exact = fitRidge(XS, ys, 2, "legendre", lambda).weights;
  const before = tf.memory().numTensors;
  const run = await gradientDescentRidge(
    polynomialDesign(XS, 2, "legendre"),
    ys,
    lambda,
    400,
    0.5,
    exact,
  );
  assert.equal(tf.memory().numTensors, before);
  for (let j = 0; j < 3; j++) assert.ok(Math.abs(run.weights[j] - exact[j]) < 1e-5, `w${j}`);
  // The distance to the solution shrinks along the way.
  assert.ok(run.trace[0].distance > 100 * run.trace[run.trace.length - 1].distance);
  assert.equal(run.trace[run.trace.length - 1].step, 400);
});

Deno.test("ridgeRegression runs on a function source: test error U-shaped in the degree", async () => {
  await tf.setBackend("cpu");
  const data = { kind: "function", function: "sine", trainSize: 15, testSize: 500, noise: 0.2 };
  const testMse = async (degree: number) => {
    const settings = ridgeRegression.schema.parse({
      kind: "ridgeRegression",
      data,
      features: { kind: "polynomial", degree },
      plotSeed: 1,
    });
    const output = await ridgeRegression.run(settings, {
      seed: 1,
      backend: "cpu",
      progress: createProgress("quiet"),
    });
    assert.ok(output.artifacts.fit, "the fit is drawn for seed 1");
    return output.final.testMse;
  };
  const [low, middle, high] = [await testMse(0), await testMse(3), await testMse(12)];
  assert.ok(middle < low && middle < high, `${low} ${middle} ${high}`);
});

Deno.test("ridgeRegression rejects a source that is not scalar regression", () => {
  const parsed = ridgeRegression.schema.safeParse({
    kind: "ridgeRegression",
    data: { kind: "xorTable", target: "labels" },
    features: { kind: "polynomial", degree: 2 },
  });
  assert.equal(parsed.success, false);
  assert.match(
    JSON.stringify(parsed.error?.issues),
    /expected a source of scalar inputs and scalar value targets/,
  );
});
