import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { learningRateRange, summarizeRangeTest } from "../lib/probes/learning_rate_range.ts";
import { buildModel } from "../lib/models/build_model.ts";
import type { ProbeContext } from "../lib/probes/probe.ts";
import type { LoadedData } from "../lib/data/sources.ts";
import { createRng, deriveSeed, normal, permutation } from "../lib/random/seed.ts";

const SHAPE = { input: [4], target: { kind: "values" as const, shape: [1] } };
const COUNT = 64;

/** A linear model on random regression data (64 examples of 4 inputs). */
function linearContext(): { context: ProbeContext; dispose: () => void } {
  const rng = createRng(3);
  const features = Float32Array.from({ length: COUNT * 4 }, () => normal(rng));
  const targets = Float32Array.from({ length: COUNT }, () => normal(rng));
  const train = {
    features: tf.tensor2d(features, [COUNT, 4]),
    targets: tf.tensor2d(targets, [COUNT, 1]),
  };
  const host = { features, targets, count: COUNT };
  const layers = [{ kind: "dense" as const, units: 1, activation: "linear" as const, bias: true }];
  const model = buildModel([4], layers, 1);
  return {
    context: {
      model,
      data: { shape: SHAPE, train: host, test: host } as LoadedData,
      layers,
      shape: SHAPE,
      loss: "mse",
      seed: 5,
      splits: {},
      train,
      charts: true,
    },
    dispose: () => {
      model.dispose();
      tf.dispose([train.features, train.targets]);
    },
  };
}

Deno.test("learningRateRange's losses are plain SGD at geometric rates, simulated in float64", async () => {
  await tf.setBackend("cpu");
  const { context, dispose } = linearContext();
  try {
    const probe = learningRateRange.schema.parse({
      kind: "learningRateRange",
      optimizer: { kind: "sgd", learningRate: 1e-3 },
      to: 10,
      steps: 24,
      batchSize: 16,
      smoothing: 0,
    });
    const [kernel, bias] = context.model.getWeights().map((w) => Array.from(w.dataSync()));
    const before = tf.memory().numTensors;
    const { final, artifacts } = await learningRateRange.run(probe, context);
    assert.equal(tf.memory().numTensors, before, "no tensor leaked");
    // The probe put the initial weights back.
    const [kernelAfter, biasAfter] = context.model.getWeights().map((w) =>
      Array.from(w.dataSync())
    );
    assert.deepEqual([kernelAfter, biasAfter], [kernel, bias]);

    // float64 SGD on the mean squared error, batches in the probe's seeded order.
    const x = context.data.train.features;
    const y = context.data.train.targets;
    const w = [...kernel];
    let b = bias[0];
    const expected: { rate: number; loss: number }[] = [];
    let order = permutation(COUNT, deriveSeed(5, "learningRateRange", 0));
    for (let step = 0, at = 0, pass = 0; step < 24; step++, at += 16) {
      if (at + 16 > COUNT) {
        order = permutation(COUNT, deriveSeed(5, "learningRateRange", ++pass));
        at = 0;
      }
      const rate = 1e-3 * 1e4 ** (step / 23);
      const gw = [0, 0, 0, 0];
      let gb = 0;
      let loss = 0;
      for (const n of order.subarray(at, at + 16)) {
        let residual = b - y[n];
        for (let i = 0; i < 4; i++) residual += x[n * 4 + i] * w[i];
        loss += residual ** 2 / 16;
        for (let i = 0; i < 4; i++) gw[i] += 2 * residual * x[n * 4 + i] / 16;
        gb += 2 * residual / 16;
      }
      expected.push({ rate, loss });
      for (let i = 0; i < 4; i++) w[i] -= rate * gw[i];
      b -= rate * gb;
    }
    const chart = artifacts.learningRateRange;
    assert.equal(chart.kind, "lines");
    if (chart.kind !== "lines") return;
    const perStep = chart.series[0].points;
    assert.ok(perStep.length >= 10, `${perStep.length} steps before divergence`);
    perStep.forEach((point, i) => {
      assert.ok(Math.abs(point.x - expected[i].rate) < 1e-9 * expected[i].rate, `rate ${i}`);
      const error = Math.abs(point.y - expected[i].loss) / expected[i].loss;
      assert.ok(error < 1e-3, `step ${i}: ${point.y} against ${expected[i].loss}`);
    });
    assert.equal(final.rangeTestInitialLoss, perStep[0].y);
    // At rates near 10 SGD on this problem diverges: the test finds it.
    assert.ok(
      final.rangeTestDivergenceLearningRate <= 10,
      String(final.rangeTestDivergenceLearningRate),
    );
    assert.ok(final.rangeTestMinimumLoss < final.rangeTestInitialLoss);
  } finally {
    dispose();
  }
});

Deno.test("summarizeRangeTest smooths with a bias-corrected moving average", () => {
  const rates = [1, 2, 3, 4];
  const losses = [2, 1, 1, 100];
  const summary = summarizeRangeTest(rates, losses, 0.5, 4);
  // Raw averages a_t = 0.5 a_{t−1} + 0.5 loss_t: 1, 1, 1, 50.5; divided by 1 − 0.5^(t+1).
  assert.equal(summary.smoothed[0], 2);
  assert.ok(Math.abs(summary.smoothed[1] - 1 / 0.75) < 1e-12);
  assert.ok(Math.abs(summary.smoothed[2] - 1 / 0.875) < 1e-12);
  assert.equal(summary.minimumLoss, summary.smoothed[2]);
  assert.equal(summary.bestLearningRate, 3);
  // t = 3: 50.5 / 0.9375 ≈ 53.9, more than 4 × 1.14: diverged at rate 4.
  assert.equal(summary.divergenceLearningRate, 4);
  assert.ok(Number.isNaN(summarizeRangeTest([1, 2], [2, 1], 0, 4).divergenceLearningRate));
});

Deno.test("learningRateRange refuses a final rate below the first", () => {
  const probe = learningRateRange.schema.parse({
    kind: "learningRateRange",
    optimizer: { kind: "sgd", learningRate: 1 },
    to: 0.1,
  });
  const [problem] = learningRateRange.check(probe, SHAPE, []);
  assert.match(problem, /expected "to" above the optimizer's learningRate 1, found 0.1/);
});
