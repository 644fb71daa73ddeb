import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { matmulFlops, matmulRelativeError, matmulScaling } from "../lib/analyses/matmul_scaling.ts";
import { createProgress } from "../lib/train/progress.ts";
import { OPEN_RESOURCES, useBackend } from "./_backends.ts";

Deno.test("matmulFlops counts 2n³", () => {
  assert.equal(matmulFlops(1), 2);
  assert.equal(matmulFlops(3), 54);
});

Deno.test("matmulRelativeError is float32 rounding on cpu and wasm", OPEN_RESOURCES, async () => {
  for (const backend of ["cpu", "wasm"] as const) {
    await useBackend(backend);
    const error = await matmulRelativeError(64, 1);
    assert.ok(error > 0 && error < 1e-6, `${backend}: ${error}`);
  }
});

Deno.test(
  "matmulScaling keeps throughput out of the final metrics and counts FLOPs exactly",
  OPEN_RESOURCES,
  async () => {
    await useBackend("cpu");
    const before = tf.memory().numTensors;
    const settings = matmulScaling.schema.parse({
      kind: "matmulScaling",
      sizes: [16, 32],
      seconds: 0.01,
    });
    const output = await matmulScaling.run(settings, {
      seed: 1,
      backend: "cpu",
      progress: createProgress("quiet"),
    });
    assert.deepEqual(Object.keys(output.final), ["maxRelativeError"]);
    const table = output.artifacts.flops;
    assert.deepEqual(table.kind === "table" ? table.rows.map((row) => row[1]) : [], [8192, 65536]);
    const measured = output.measurements?.matmul as { size: number; gigaflopsPerSecond: number }[];
    assert.deepEqual(measured.map((m) => m.size), [16, 32]);
    assert.ok(measured.every((m) => m.gigaflopsPerSecond > 0));
    assert.ok(output.measuredArtifacts?.throughput);
    assert.equal(tf.memory().numTensors, before);
  },
);
