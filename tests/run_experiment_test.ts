import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { runExperiment } from "../lib/run/run_experiment.ts";
import { ConfigError } from "../lib/experiment/config_error.ts";
import { parseSetArgument } from "../lib/experiment/overrides.ts";
import cnn from "../experiments/cnn.ts";

// tfjs keeps backends (and WebGPU devices) alive across tests on purpose.
const options = { sanitizeResources: false, sanitizeOps: false };

/** A few hundred examples: enough to learn something, quick on any backend. */
const TINY = [
  parseSetArgument("data.trainSize=600"),
  parseSetArgument("data.testSize=300"),
  parseSetArgument("train.epochs=2"),
  parseSetArgument("train.readbackEvery=4"),
];

async function tinyRun(seed: number, backend: "wasm" | "cpu" | "webgpu" = "wasm") {
  const directory = await Deno.makeTempDir({ prefix: "run_test_" });
  // A store of its own: every run computes its trials afresh.
  const store = await Deno.makeTempDir({ prefix: "run_test_store_" });
  const outcome = await runExperiment({
    store,
    file: "experiments/cnn.ts",
    definition: cnn,
    profile: "smoke",
    overrides: TINY,
    seeds: [seed],
    backend,
    outDirectory: directory,
  });
  const bytes = await Deno.readTextFile(`${directory}/metrics.json`);
  return { outcome, bytes, directory };
}

Deno.test(
  "runExperiment writes byte-identical metrics.json for the same seed and backend",
  options,
  async () => {
    const first = await tinyRun(11);
    const second = await tinyRun(11);
    assert.equal(first.bytes, second.bytes);
    assert.doesNotMatch(first.bytes, /startedAt|Seconds|PerSecond/);
    const run = JSON.parse(await Deno.readTextFile(`${first.directory}/run.json`));
    assert.notEqual(run.startedAt, undefined);
    assert.ok(run.trials[0].trainExamplesPerSecond > 0);
  },
);

Deno.test("runExperiment gives different numbers for a different seed", options, async () => {
  const a = await tinyRun(11);
  const b = await tinyRun(12);
  assert.notEqual(a.bytes, b.bytes);
  const errorA = a.outcome.metrics.trials[0].final.testErrorPercent;
  const errorB = b.outcome.metrics.trials[0].final.testErrorPercent;
  const lossA = a.outcome.metrics.trials[0].final.trainLoss;
  const lossB = b.outcome.metrics.trials[0].final.trainLoss;
  assert.ok(errorA !== errorB || lossA !== lossB);
});

Deno.test("runExperiment leaves no tensors behind", options, async () => {
  await tinyRun(3); // initialises the backend and its kernels' constants
  const before = tf.memory().numTensors;
  await tinyRun(4);
  assert.equal(tf.memory().numTensors, before);
});

Deno.test("runExperiment records curves, summaries and checks", options, async () => {
  const { outcome } = await tinyRun(5);
  const { metrics, config, run } = outcome;
  assert.deepEqual(metrics.trials.map((t) => t.variant), ["lenet5", "mlp"]);
  const lenet = metrics.trials[0];
  assert.equal(lenet.final.parameters, 61706);
  assert.equal(lenet.final.steps, 2 * Math.ceil(600 / 64));
  const epochEnds = lenet.curve.filter((point) => point.testErrorPercent !== undefined);
  assert.deepEqual(epochEnds.map((point) => point.epoch), [1, 2]);
  assert.ok(epochEnds[1].trainLoss < lenet.curve[0].trainLoss, "loss went down");
  assert.equal(metrics.summary.mlp.testErrorPercent.n, 1);
  // Two published values and the comparison (skipped in smoke, which this tiny run uses).
  assert.equal(metrics.checks.length, 2);
  assert.equal(config.variants.lenet5 !== undefined, true);
  assert.equal(run.backend.name, "wasm");
  assert.equal(run.backend.hardwareGpu, false);
});

Deno.test("runExperiment rejects a bad override before writing anything", options, async () => {
  const directory = await Deno.makeTempDir();
  await assert.rejects(
    runExperiment({
      file: "experiments/cnn.ts",
      definition: cnn,
      overrides: [parseSetArgument("train.epochs=0")],
      outDirectory: directory,
    }),
    ConfigError,
  );
  assert.deepEqual([...Deno.readDirSync(directory)], []);
});
