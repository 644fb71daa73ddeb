import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import {
  FLOAT32_MAX,
  naiveOverflowLogit,
  referenceSoftmax,
  softmaxStability,
} from "../lib/analyses/softmax_stability.ts";
import { createProgress } from "../lib/train/progress.ts";
import { OPEN_RESOURCES, useBackend } from "./_backends.ts";

Deno.test("referenceSoftmax is shift-invariant and sums to 1", () => {
  const shifted = referenceSoftmax(Float32Array.of(1000, 1001, 1002), 3);
  const plain = referenceSoftmax(Float32Array.of(0, 1, 2), 3);
  const z = 1 + Math.E + Math.E ** 2;
  [1 / z, Math.E / z, Math.E ** 2 / z].forEach((p, i) => {
    assert.ok(Math.abs(shifted[i] - p) < 1e-15 && Math.abs(plain[i] - p) < 1e-15);
  });
});

Deno.test("FLOAT32_MAX is the largest finite float32", () => {
  assert.equal(Math.fround(FLOAT32_MAX), FLOAT32_MAX);
  assert.equal(Math.fround(FLOAT32_MAX * (1 + 2 ** -24)), Infinity);
});

for (const backend of ["cpu", "wasm"] as const) {
  Deno.test(`naiveOverflowLogit on ${backend} is ln(FLT_MAX)`, OPEN_RESOURCES, async () => {
    await useBackend(backend);
    const threshold = await naiveOverflowLogit();
    assert.ok(Math.abs(threshold - Math.log(FLOAT32_MAX)) < 1e-4, String(threshold));
  });
}

Deno.test(
  "softmaxStability: the naive form fails at large logits, the stable forms never",
  OPEN_RESOURCES,
  async () => {
    await useBackend("cpu");
    const before = tf.memory().numTensors;
    const settings = softmaxStability.schema.parse({
      kind: "softmaxStability",
      rows: 20,
      scales: [1, 1000],
    });
    const { final } = await softmaxStability.run(settings, {
      seed: 1,
      backend: "cpu",
      progress: createProgress("quiet"),
    });
    assert.ok(final.naiveFailuresAtLargestScale > 0.9);
    assert.ok(final.naiveErrorAtSmallestScale < 1e-6);
    assert.ok(final.stableMaxError < 1e-6 && final.builtinMaxError < 1e-6);
    assert.equal(tf.memory().numTensors, before);
  },
);
