import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { fitSummary, functionFit } from "../lib/probes/function_fit.ts";
import { buildModel } from "../lib/models/build_model.ts";
import type { ProbeContext } from "../lib/probes/probe.ts";
import { OPEN_RESOURCES, useBackend } from "./_backends.ts";

Deno.test("fitSummary gives the largest absolute error and the curve sorted by x", () => {
  const inputs = [0.3, -0.9, 0.1, 0.7, -0.2];
  const targets = [1, 2, 3, 4, 5];
  const predicted = [1.5, 2, 2, 4.25, 5];
  const { maxAbsoluteError, curve } = fitSummary(inputs, targets, predicted, 5);
  assert.equal(maxAbsoluteError, 1); // |2 − 3| at x = 0.1
  assert.deepEqual(curve, [
    { x: -0.9, y: 2 },
    { x: -0.2, y: 5 },
    { x: 0.1, y: 2 },
    { x: 0.3, y: 1.5 },
    { x: 0.7, y: 4.25 },
  ]);
  // Three points: the ends and the median of the sorted inputs.
  assert.deepEqual(fitSummary(inputs, targets, predicted, 3).curve.map((p) => p.x), [
    -0.9,
    0.1,
    0.7,
  ]);
});

Deno.test("fitSummary rejects inputs, targets and predictions of different lengths", () => {
  assert.throws(() => fitSummary([1, 2], [1], [1, 2], 2), {
    name: "RangeError",
    message:
      "fitSummary: expected as many targets and predictions as inputs (at least 1), found 2 inputs, 1 targets and 2 predictions",
  });
});

Deno.test(
  "functionFit reports the sup-norm error of a known network on the test points",
  OPEN_RESOURCES,
  async () => {
    await useBackend("cpu");
    // y = 2x + 1 against the target x²: the error |x² − 2x − 1| on x in {−1, 0, 0.5, 1} is largest
    // at x = 1 (|1 − 3| = 2) and at x = −1 (|1 + 1| = 2), both 2.
    const model = buildModel([1], [{ kind: "dense", name: "line", units: 1 }], 1);
    model.getLayer("line").setWeights([tf.tensor2d([[2]]), tf.tensor1d([1])]);
    const xs = Float32Array.from([0.5, -1, 1, 0]);
    const split = { features: xs, targets: xs.map((x) => x * x), count: 4 };
    const context = {
      model,
      data: {
        shape: { input: [1], target: { kind: "values", shape: [1] } },
        train: split,
        test: split,
      },
    } as unknown as ProbeContext;
    const probe = functionFit.schema.parse({ kind: "functionFit", points: 4 });
    const { final, artifacts } = await functionFit.run(probe, context);
    assert.deepEqual(final, { testMaxAbsoluteError: 2 });
    const chart = artifacts.functionFit;
    assert.equal(chart.kind, "lines");
    assert.deepEqual(chart.kind === "lines" ? chart.series[0].points : [], [
      { x: -1, y: -1 },
      { x: 0, y: 1 },
      { x: 0.5, y: 2 },
      { x: 1, y: 3 },
    ]);
    model.dispose();
  },
);

Deno.test("functionFit's check asks for one input and one value target", () => {
  const probe = functionFit.schema.parse({ kind: "functionFit" });
  assert.deepEqual(
    functionFit.check(probe, { input: [1], target: { kind: "values", shape: [1] } }, []),
    [],
  );
  assert.deepEqual(
    functionFit.check(
      probe,
      { input: [2], target: { kind: "classes", classes: 2, shape: [] } },
      [],
    ),
    ["probes: functionFit needs one input and one value target (y = f(x)), found inputs [2] and classes"],
  );
});
