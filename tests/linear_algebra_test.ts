import assert from "node:assert/strict";
import { runExperiment } from "../lib/run/run_experiment.ts";
import linearAlgebra from "../experiments/linear_algebra.ts";

const options = { sanitizeResources: false, sanitizeOps: false };

Deno.test(
  "linear-algebra smoke reproduces its checks and keeps matmul timings out of metrics.json",
  options,
  async () => {
    const directory = await Deno.makeTempDir({ prefix: "linear_algebra_" });
    const { metrics, run } = await runExperiment({
      file: "experiments/linear_algebra.ts",
      definition: linearAlgebra,
      profile: "smoke",
      outDirectory: directory,
    });
    assert.equal(metrics.reproduced, true, JSON.stringify(metrics.checks));
    assert.deepEqual(metrics.trials.map((trial) => trial.variant), [
      "pca",
      "eckart-young",
      "matmul",
    ]);
    assert.equal(JSON.stringify(metrics).includes("gigaflopsPerSecond"), false);
    const measured = run.measurements as { matmul: { size: number }[] };
    assert.deepEqual(measured.matmul.map((m) => m.size), [64, 256]);
    await Deno.remove(directory, { recursive: true });
  },
);
