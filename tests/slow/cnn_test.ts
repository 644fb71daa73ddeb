import assert from "node:assert/strict";
import { runExperiment } from "../../lib/run/run_experiment.ts";
import cnn from "../../experiments/cnn.ts";

import { backendTestOptions } from "../_backends.ts";

/** Skipped, and reported as such, where there is no WebGPU adapter (no Mesa drivers, no GPU). */
const options = backendTestOptions("webgpu");

async function run(profile: string, backend: "auto" | "wasm" | "webgpu" | "cpu") {
  const directory = await Deno.makeTempDir({ prefix: `cnn_${profile}_${backend}_` });
  const outcome = await runExperiment({
    file: "experiments/cnn.ts",
    definition: cnn,
    profile,
    backend,
    outDirectory: directory,
    store: await Deno.makeTempDir({ prefix: "cnn_store_" }),
  });
  for (const name of ["metrics.json", "run.json", "config.json"]) {
    assert.ok((await Deno.stat(`${directory}/${name}`)).isFile, `${name} written`);
  }
  return outcome;
}

Deno.test("cnn smoke profile runs end to end on WebGPU (lavapipe here)", options, async () => {
  const { metrics, run: record } = await run("smoke", "webgpu");
  assert.equal(metrics.backend, "webgpu");
  assert.ok(record.backend.adapter, "the adapter is recorded");
  assert.equal(metrics.reproduced, true, JSON.stringify(metrics.checks));
});
