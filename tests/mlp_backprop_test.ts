import assert from "node:assert/strict";
import {
  type DenseLayer,
  finiteDifferenceGradients,
  type LabelledBatch,
  mlpGradients,
  mlpLoss,
} from "../lib/math/mlp_backprop.ts";
import { randomProblem } from "../lib/analyses/backprop_check.ts";

Deno.test("mlpGradients matches the chain rule worked by hand for a 1-1-2 sigmoid network", () => {
  const [w, b, v1, v2, c1, c2, x] = [0.7, -0.3, 1.5, -0.5, 0.2, 0.1, 2];
  const layers: DenseLayer[] = [
    {
      weights: Float64Array.from([w]),
      biases: Float64Array.from([b]),
      inputs: 1,
      units: 1,
      activation: "sigmoid",
    },
    {
      weights: Float64Array.from([v1, v2]),
      biases: Float64Array.from([c1, c2]),
      inputs: 1,
      units: 2,
      activation: "linear",
    },
  ];
  const batch: LabelledBatch = {
    inputs: Float64Array.from([x]),
    labels: Int32Array.from([0]),
    count: 1,
  };
  const lambda = 0.1;
  // Forward.
  const a = w * x + b;
  const h = 1 / (1 + Math.exp(-a));
  const z = [v1 * h + c1, v2 * h + c2];
  const p0 = Math.exp(z[0]) / (Math.exp(z[0]) + Math.exp(z[1]));
  const p = [p0, 1 - p0];
  const loss = -Math.log(p0) + lambda * (w * w + v1 * v1 + v2 * v2);
  // Backward: dJ/dz = p − onehot(0); dJ/dh = Σ v_j dJ/dz_j; dJ/da = dJ/dh · h(1 − h).
  const dz = [p[0] - 1, p[1]];
  const dh = v1 * dz[0] + v2 * dz[1];
  const da = dh * h * (1 - h);
  const gradients = mlpGradients(layers, batch, lambda);
  const close = (found: number, expected: number, what: string) =>
    assert.ok(Math.abs(found - expected) < 1e-15, `${what}: ${found} against ${expected}`);
  close(gradients.loss, loss, "loss");
  close(mlpLoss(layers, batch, lambda), loss, "mlpLoss");
  close(gradients.weights[1][0], h * dz[0] + 2 * lambda * v1, "dJ/dv1");
  close(gradients.weights[1][1], h * dz[1] + 2 * lambda * v2, "dJ/dv2");
  close(gradients.biases[1][0], dz[0], "dJ/dc1");
  close(gradients.biases[1][1], dz[1], "dJ/dc2");
  close(gradients.weights[0][0], da * x + 2 * lambda * w, "dJ/dw");
  close(gradients.biases[0][0], da, "dJ/db");
});

for (const activation of ["sigmoid", "tanh", "relu"] as const) {
  Deno.test(`mlpGradients agrees with central finite differences (${activation})`, () => {
    for (let index = 0; index < 4; index++) {
      const { layers, batch } = randomProblem(
        {
          hiddenLayers: [1, 3],
          width: [2, 7],
          inputs: [2, 5],
          classes: [2, 4],
          batchSize: 5,
          activations: [activation],
        },
        index,
        11,
      );
      const exact = mlpGradients(layers, batch, 0.02);
      const estimate = finiteDifferenceGradients(layers, batch, 0.02, 1e-6);
      layers.forEach((_, k) => {
        for (
          const [name, a, b] of [
            ["weights", exact.weights[k], estimate.weights[k]],
            ["biases", exact.biases[k], estimate.biases[k]],
          ] as const
        ) {
          for (let i = 0; i < a.length; i++) {
            assert.ok(
              Math.abs(a[i] - b[i]) < 1e-8,
              `network ${index} layer ${k} ${name}[${i}]: ${a[i]} against ${b[i]}`,
            );
          }
        }
      });
      // The finite differences restore every parameter they touched.
      assert.equal(mlpLoss(layers, batch, 0.02), exact.loss);
    }
  });
}

Deno.test("mlpLoss names the layer whose input does not fit", () => {
  const layer: DenseLayer = {
    weights: new Float64Array(6),
    biases: new Float64Array(2),
    inputs: 3,
    units: 2,
    activation: "linear",
  };
  assert.throws(
    () => mlpLoss([layer], { inputs: new Float64Array(4), labels: new Int32Array(2), count: 2 }, 0),
    { name: "RangeError", message: "mlp: expected layer 1's input to have 2 × 3 values, found 4" },
  );
});
