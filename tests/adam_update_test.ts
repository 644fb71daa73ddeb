import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { setWasmPaths } from "@tensorflow/tfjs-backend-wasm";
import {
  ADAM_UPDATE,
  adamUpdateValues,
  FUSED_MAX_ELEMENTS,
  FusedAdamOptimizer,
} from "../lib/backend/kernels/adam_update.ts";
import { wasmDistDirectory } from "../lib/backend/wasm_paths.ts";

tf.env().set("PROD", true);
setWasmPaths(wasmDistDirectory());
const OPEN_RESOURCES = { sanitizeResources: false, sanitizeOps: false };

type Moments = { accumulatedFirstMoment: { originalName: string; variable: tf.Variable }[] };

/** Runs `steps` Adam steps from the same start; returns every variable's and moment's bytes. */
function train(optimizer: tf.AdamOptimizer, steps: number): Uint8Array[] {
  // One variable per path: fused (small), tfjs's ops (large), and one left without a gradient.
  const variables = [
    tf.variable(tf.randomNormal([13], 0, 1, "float32", 1)),
    tf.variable(tf.randomNormal([FUSED_MAX_ELEMENTS + 5], 0, 1, "float32", 2)),
    tf.variable(tf.randomNormal([3, 7], 0, 1, "float32", 3)),
  ];
  for (let step = 0; step < steps; step++) {
    tf.tidy(() => {
      const gradients: tf.NamedTensorMap = {};
      variables.forEach((variable, i) => {
        // Gradients of all sizes, and one variable without a gradient every third step.
        if (i === 2 && step % 3 === 0) return;
        gradients[variable.name] = tf.randomNormal(
          variable.shape,
          0,
          10 ** (step % 4 - 2),
          "float32",
          100 * step + i + 1,
        );
      });
      optimizer.applyGradients(gradients as Parameters<tf.AdamOptimizer["applyGradients"]>[0]);
    });
  }
  const state = optimizer as unknown as Moments & {
    accumulatedSecondMoment: Moments["accumulatedFirstMoment"];
    accBeta1: tf.Variable;
    accBeta2: tf.Variable;
  };
  const tensors = [
    ...variables,
    ...state.accumulatedFirstMoment.map((entry) => entry.variable),
    ...state.accumulatedSecondMoment.map((entry) => entry.variable),
    state.accBeta1,
    state.accBeta2,
  ];
  const bytes = tensors.map((t) => new Uint8Array(t.dataSync().slice().buffer));
  optimizer.dispose();
  tf.dispose(variables);
  return bytes;
}

for (const backend of ["cpu", "wasm"]) {
  Deno.test(
    `FusedAdamOptimizer gives tfjs's Adam's bytes on ${backend}`,
    OPEN_RESOURCES,
    async () => {
      assert.ok(await tf.setBackend(backend));
      const expected = train(tf.train.adam(0.01, 0.9, 0.999), 12);
      const found = train(new FusedAdamOptimizer(0.01, 0.9, 0.999), 12);
      assert.ok(tf.getKernel(ADAM_UPDATE, backend), `${ADAM_UPDATE} is registered for ${backend}`);
      assert.equal(found.length, expected.length);
      found.forEach((bytes, i) => assert.deepEqual(bytes, expected[i], `tensor ${i}`));
    },
  );
}

Deno.test(
  "FusedAdamOptimizer names its moments as tfjs does and leaks nothing",
  OPEN_RESOURCES,
  async () => {
    await tf.setBackend("wasm");
    const w = tf.variable(tf.ones([4, 4]));
    const optimizer = new FusedAdamOptimizer(0.1, 0.9, 0.999, 1e-8);
    const step = () => tf.tidy(() => optimizer.applyGradients({ [w.name]: tf.fill([4, 4], 0.5) }));
    step(); // the moments are made on the first step
    const before = tf.memory().numTensors;
    step();
    step();
    assert.equal(tf.memory().numTensors, before);
    const moments = (optimizer as unknown as Moments).accumulatedFirstMoment;
    assert.deepEqual(moments.map((entry) => entry.originalName), [`${w.name}/m`]);
    assert.equal(optimizer.iterations, 3);
    optimizer.dispose();
    w.dispose();
  },
);

Deno.test("adamUpdateValues follows Adam's formula", () => {
  const g = Float32Array.of(0.5, -2, 0);
  const out = { value: new Float32Array(3), m: new Float32Array(3), v: new Float32Array(3) };
  const constants = {
    beta1: 0.9,
    beta2: 0.999,
    epsilon: 1e-7,
    learningRate: 0.01,
    oneMinusAccBeta1: Math.fround(1 - Math.fround(0.9)),
    oneMinusAccBeta2: Math.fround(1 - Math.fround(0.999)),
  };
  adamUpdateValues(
    Float32Array.of(1, 1, 1),
    new Float32Array(3),
    new Float32Array(3),
    g,
    out,
    constants,
  );
  for (let i = 0; i < 3; i++) {
    const m = 0.1 * g[i];
    const v = 0.001 * g[i] * g[i];
    const expected = 1 - 0.01 * (m / 0.1) / (Math.sqrt(v / 0.001) + 1e-7);
    assert.ok(Math.abs(out.m[i] - m) < 1e-7, `m[${i}]`);
    assert.ok(Math.abs(out.v[i] - v) < 1e-7, `v[${i}]`);
    assert.ok(
      Math.abs(out.value[i] - expected) < 1e-6,
      `value[${i}] ${out.value[i]} vs ${expected}`,
    );
  }
});
