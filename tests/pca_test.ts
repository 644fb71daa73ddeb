import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import {
  compareEigenpairs,
  componentsFor,
  componentsMetric,
  explainedVariance,
  pca,
} from "../lib/analyses/pca.ts";
import { loadMnist } from "../lib/data/mnist.ts";
import { jacobiSvd } from "../lib/linalg/jacobi_svd.ts";
import { matrix } from "../lib/linalg/matrix.ts";
import { createProgress } from "../lib/train/progress.ts";
import { OPEN_RESOURCES, useBackend } from "./_backends.ts";

Deno.test("explainedVariance and componentsFor on a spectrum with a known cumulative curve", () => {
  const { ratios, cumulative } = explainedVariance(Float64Array.of(5, 3, 1, 1, -1e-16));
  assert.deepEqual([...ratios], [0.5, 0.3, 0.1, 0.1, 0]);
  assert.ok(Math.abs(cumulative[3] - 1) < 1e-15);
  assert.equal(componentsFor(cumulative, 0.8), 2);
  assert.equal(componentsFor(cumulative, 0.85), 3);
  assert.equal(componentsFor(cumulative, 0.9), 3);
  assert.equal(componentsMetric(0.9), "components90");
});

Deno.test("compareEigenpairs measures eigenvalue differences and sign-free angles", () => {
  const angle = 0.001;
  const reference = {
    values: Float64Array.of(4, 1),
    vectors: matrix(2, 2, Float64Array.of(1, 0, 0, 1)),
  };
  const other = {
    values: Float64Array.of(4.004, 1),
    vectors: matrix(2, 2, Float64Array.of(Math.cos(angle), Math.sin(angle), 0, -1)),
  };
  const { valueDifferences, vectorAngles } = compareEigenpairs(reference, other);
  assert.ok(Math.abs(valueDifferences[0] - 0.001) < 1e-12 && valueDifferences[1] === 0);
  assert.ok(Math.abs(vectorAngles[0] - angle) < 1e-15 && vectorAngles[1] === 0);
});

Deno.test(
  "pca on 300 images: the two eigen routes agree, and the variance counts match the data's SVD",
  OPEN_RESOURCES,
  async () => {
    await useBackend("cpu");
    const tensors = tf.memory().numTensors;
    const count = 300;
    const settings = pca.schema.parse({
      kind: "pca",
      trainSize: count,
      projectionSize: 50,
      reconstructionDigits: 1,
      ranks: [2],
      componentImages: 2,
    });
    const output = await pca.run(settings, {
      seed: 1,
      backend: "cpu",
      progress: createProgress("quiet"),
    });
    const final = output.final;
    assert.equal(tf.memory().numTensors, tensors, "the data tensor is disposed");
    assert.ok(final.checkEigenvalueDifference < 1e-5, String(final.checkEigenvalueDifference));
    assert.ok(final.checkEigenvectorAngle < 1e-3, String(final.checkEigenvectorAngle));
    assert.ok(final.eigenResidual < 1e-10);
    // Independent route: σ² / (n − 1) of the centred data by one-sided Jacobi are the variances.
    const mnist = await loadMnist();
    const data = Float64Array.from(mnist.train.images.subarray(0, count * 784), (v) => v / 255);
    for (let p = 0; p < 784; p++) {
      let mean = 0;
      for (let n = 0; n < count; n++) mean += data[n * 784 + p] / count;
      for (let n = 0; n < count; n++) data[n * 784 + p] -= mean;
    }
    const { values } = jacobiSvd(matrix(count, 784, data));
    const { ratios, cumulative } = explainedVariance(values.map((s) => s * s));
    assert.equal(final.components90, componentsFor(cumulative, 0.9));
    assert.equal(final.components95, componentsFor(cumulative, 0.95));
    assert.ok(Math.abs(final.firstComponentRatio - ratios[0]) < 1e-12);
    const cumulativeChart = output.artifacts["cumulative-variance"];
    assert.equal(cumulativeChart.kind, "lines");
    assert.deepEqual(
      cumulativeChart.kind === "lines" ? cumulativeChart.references?.map((r) => r.value) : [],
      [0.9, 0.95],
    );
    const projection = output.artifacts.projection;
    assert.equal(projection.kind === "scatter" ? projection.points.length : 0, 50);
  },
);
