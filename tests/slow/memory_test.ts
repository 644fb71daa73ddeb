import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { runExperiment } from "../../lib/run/run_experiment.ts";
import { defineExperiment } from "../../lib/tasks/define_experiment.ts";
import { createProgress, type Progress } from "../../lib/train/progress.ts";
import { OPEN_RESOURCES } from "../_backends.ts";

Deno.test(
  "a 100-trial sweep keeps tensors and memory flat from trial to trial",
  OPEN_RESOURCES,
  async () => {
    const gc = (globalThis as { gc?: () => void }).gc;
    assert.ok(gc, "run with --v8-flags=--expose-gc (deno task test does)");
    const samples: { tensors: number; rss: number; heap: number }[] = [];
    const quiet = createProgress("quiet");
    const progress: Progress = {
      ...quiet,
      trialDone() {
        // Measure after a full collection: V8 otherwise lets the heap grow before it collects.
        gc();
        const memory = Deno.memoryUsage();
        samples.push({ tensors: tf.memory().numTensors, rss: memory.rss, heap: memory.heapUsed });
      },
    };
    const outcome = await runExperiment({
      file: "tests/memory_test.ts",
      definition: defineExperiment({
        id: "memory",
        chapter: 11,
        title: "A long sweep",
        reproduces: { claim: "memory stays flat", source: "the run store's promise" },
        kind: "fit",
        seeds: [1],
        data: { kind: "twoMoons", trainSize: 64, testSize: 64, dataSeed: 3 },
        model: {
          kind: "layers",
          layers: [
            { kind: "dense", units: 16, activation: "relu" },
            { kind: "dropout", rate: 0.1 },
            {
              kind: "dense",
              units: 2,
            },
          ],
        },
        train: { epochs: 3, batchSize: 16, optimizer: { kind: "adam", learningRate: 0.01 } },
        probes: [{ kind: "decisionRegions", resolution: 10 }],
        sweeps: [{
          name: "search",
          random: {
            count: 100,
            space: { "train.optimizer.learningRate": { logUniform: [1e-3, 1e-1] } },
          },
        }],
      }),
      backend: "wasm",
      outDirectory: await Deno.makeTempDir(),
      store: await Deno.makeTempDir(),
      progress,
    });
    assert.equal(outcome.metrics.trials.length, 100);
    assert.deepEqual(outcome.defects, []);
    assert.equal(samples.length, 100);
    // Tensors alive at the end of each trial: the same number from the second trial on.
    const tensors = new Set(samples.slice(1).map((sample) => sample.tensors));
    assert.equal(tensors.size, 1, [...tensors].join());
    // Resident memory: no growth beyond noise over the last 80 trials (a leak of one small model
    // per trial would add several MB).
    const growth = samples[99].rss - samples[19].rss;
    assert.ok(
      growth < 24 * 2 ** 20,
      `RSS grew by ${(growth / 2 ** 20).toFixed(1)} MiB over 80 trials`,
    );
  },
);
