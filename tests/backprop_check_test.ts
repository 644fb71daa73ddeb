import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import {
  autodiffGradients,
  backpropCheck,
  randomProblem,
  relativeError,
} from "../lib/analyses/backprop_check.ts";
import { mlpGradients } from "../lib/math/mlp_backprop.ts";
import { createProgress } from "../lib/train/progress.ts";
import { ALL_BACKENDS, backendTestOptions, useBackend } from "./_backends.ts";

const SIZES = {
  hiddenLayers: [1, 3] as [number, number],
  width: [2, 9] as [number, number],
  inputs: [2, 6] as [number, number],
  classes: [2, 5] as [number, number],
  batchSize: 6,
  activations: ["sigmoid", "tanh", "relu"] as ("sigmoid" | "tanh" | "relu")[],
};

for (const backend of ALL_BACKENDS) {
  Deno.test(
    `autodiffGradients matches back-propagation by hand on ${backend}`,
    backendTestOptions(backend),
    async () => {
      await useBackend(backend);
      for (let index = 0; index < 6; index++) {
        const { layers, batch } = randomProblem(SIZES, index, 3);
        const before = tf.memory().numTensors;
        const byTfjs = await autodiffGradients(layers, batch, 0.01);
        assert.equal(tf.memory().numTensors, before, "no leaked tensors");
        const byHand = mlpGradients(layers, batch, 0.01);
        layers.forEach((_, k) => {
          assert.ok(relativeError(byTfjs.weights[k], byHand.weights[k]) < 1e-5, `W${k}`);
          assert.ok(relativeError(byTfjs.biases[k], byHand.biases[k]) < 1e-5, `b${k}`);
        });
      }
    },
  );
}

Deno.test("randomProblem draws sizes in range, float32 values, and repeats per seed", () => {
  for (let index = 0; index < 20; index++) {
    const { layers, batch } = randomProblem(SIZES, index, 9);
    assert.ok(layers.length >= 2 && layers.length <= 4);
    assert.ok(layers[0].inputs >= 2 && layers[0].inputs <= 6);
    assert.equal(layers.at(-1)!.activation, "linear");
    assert.equal(layers[0].activation, SIZES.activations[index % 3]);
    for (const layer of layers.slice(0, -1)) assert.ok(layer.units >= 2 && layer.units <= 9);
    assert.ok(layers.every((layer) => layer.weights.every((w) => Math.fround(w) === w)));
    assert.ok(batch.labels.every((label) => label < layers.at(-1)!.units));
    const again = randomProblem(SIZES, index, 9);
    assert.deepEqual(again.batch.inputs, batch.inputs);
  }
});

Deno.test("relativeError is the largest difference over the larger tensor's largest value", () => {
  assert.equal(relativeError([1, -4], [1, -3]), 0.25);
  assert.equal(relativeError([0, 0], [0, 0]), 0);
  assert.equal(relativeError([2e-9, 0], [1e-9, 0]), 0.5);
});

Deno.test("backpropCheck reports the three comparisons within float32 and finite-difference error", async () => {
  await useBackend("cpu");
  const settings = backpropCheck.schema.parse({
    kind: "backpropCheck",
    networks: 6,
    ...SIZES,
    weightDecay: 0.01,
  });
  const output = await backpropCheck.run(settings, {
    seed: 1,
    backend: "cpu",
    progress: createProgress("quiet"),
  });
  assert.ok(output.final.autodiffRelativeError < 1e-5, String(output.final.autodiffRelativeError));
  assert.ok(output.final.finiteDifferenceRelativeError < 1e-5);
  assert.ok(output.final.autodiffFiniteDifferenceRelativeError < 1e-5);
  // A float32 computation cannot match float64 exactly.
  assert.ok(output.final.autodiffRelativeError > 0);
  assert.equal(output.artifacts.networks.kind, "table");
});
