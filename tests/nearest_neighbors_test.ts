import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import {
  errorMetric,
  type LabelledPoints,
  nearestIndices,
  nearestNeighbors,
  voteNearest,
} from "../lib/analyses/nearest_neighbors.ts";
import { loadData } from "../lib/data/sources.ts";
import { createProgress } from "../lib/train/progress.ts";
import { createRng } from "../lib/random/seed.ts";
import { ALL_BACKENDS, backendTestOptions, useBackend } from "./_backends.ts";

/** Brute force in float64: each query's training indices sorted by distance, ties by index. */
function bruteForce(train: LabelledPoints, queries: LabelledPoints, width: number, k: number) {
  const result: number[] = [];
  for (let q = 0; q < queries.count; q++) {
    const distances = Array.from({ length: train.count }, (_, t) => {
      let sum = 0;
      for (let i = 0; i < width; i++) {
        sum += (queries.features[q * width + i] - train.features[t * width + i]) ** 2;
      }
      return { t, sum };
    });
    distances.sort((a, b) => a.sum - b.sum || a.t - b.t);
    result.push(...distances.slice(0, k).map((entry) => entry.t));
  }
  return result;
}

function randomPoints(count: number, width: number, classes: number, seed: number): LabelledPoints {
  const rng = createRng(seed);
  return {
    features: Float32Array.from({ length: count * width }, () => Math.round(rng() * 8) / 8),
    labels: Int32Array.from({ length: count }, () => Math.floor(rng() * classes)),
    count,
  };
}

for (const backend of ALL_BACKENDS) {
  Deno.test(
    `nearestIndices finds the brute-force nearest neighbours in batches on ${backend}`,
    backendTestOptions(backend),
    async () => {
      await useBackend(backend);
      // Continuous coordinates: no exact ties, so the order is the brute force's exactly.
      const rng = createRng(5);
      const point = (count: number) => ({
        features: Float32Array.from({ length: count * 6 }, () => rng()),
        labels: new Int32Array(count),
        count,
      });
      const train = point(200);
      const queries = point(23);
      const before = tf.memory().numTensors;
      // A batch of 7 does not divide 23 queries: the last batch is short.
      const found = await nearestIndices(train, queries, 6, 4, 7);
      assert.equal(tf.memory().numTensors, before, "no leaked tensors");
      assert.deepEqual([...found], bruteForce(train, queries, 6, 4));
    },
  );
}

Deno.test("voteNearest takes the majority and breaks ties by the nearest of the tied classes", () => {
  assert.equal(voteNearest([4]), 4);
  assert.equal(voteNearest([2, 9, 9]), 9); // majority
  assert.equal(voteNearest([2, 9, 5]), 2); // three-way tie: the nearest
  assert.equal(voteNearest([2, 9, 9, 2, 5]), 2); // 2 and 9 tied; a 2 is nearest
  assert.equal(voteNearest([5, 9, 2, 9, 2]), 9); // 9 and 2 tied; a 9 comes first
  assert.throws(() => voteNearest([]), /expected at least one label, found none/);
});

Deno.test("nearestIndices rejects a k beyond the training set and inconsistent sizes", async () => {
  await tf.setBackend("cpu");
  const train = randomPoints(3, 2, 2, 1);
  await assert.rejects(
    () => nearestIndices(train, train, 2, 4, 10),
    /expected k between 1 and the 3 training examples, found 4/,
  );
  await assert.rejects(
    () => nearestIndices(train, train, 3, 1, 10),
    /expected train to have 3 × 3 = 9 values, found 6/,
  );
});

Deno.test("nearestNeighbors on an MNIST subset equals a float64 brute-force k-NN", async () => {
  await useBackend("wasm");
  const data = { kind: "mnist" as const, trainSize: 600, testSize: 60 };
  const settings = nearestNeighbors.schema.parse({ kind: "nearestNeighbors", data, k: [1, 3] });
  const output = await nearestNeighbors.run(settings, {
    seed: 1,
    backend: "wasm",
    progress: createProgress("quiet"),
  });
  const loaded = await loadData(
    { ...data, validationSize: 0, target: "labels" },
    1,
  );
  const train = {
    features: loaded.train.features,
    labels: loaded.train.targets as Int32Array,
    count: loaded.train.count,
  };
  const test = {
    features: loaded.test.features,
    labels: loaded.test.targets as Int32Array,
    count: loaded.test.count,
  };
  const nearest = bruteForce(train, test, 784, 3);
  for (const k of [1, 3]) {
    let wrong = 0;
    for (let n = 0; n < test.count; n++) {
      const labels = nearest.slice(n * 3, n * 3 + k).map((index) => train.labels[index]);
      if (voteNearest(labels) !== test.labels[n]) wrong++;
    }
    assert.equal(output.final[errorMetric(k)], 100 * wrong / test.count, `k = ${k}`);
  }
});
