import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { fit } from "../lib/train/train_loop.ts";
import { TrainingOptimizer } from "../lib/train/optimizer.ts";
import { createProgress } from "../lib/train/progress.ts";
import { buildModel } from "../lib/models/build_model.ts";
import { createRng, deriveSeed, normal } from "../lib/random/seed.ts";
import type { TargetShape } from "../lib/data/sources.ts";
import type { DeviceSplit } from "../lib/train/evaluate.ts";
import { OPEN_RESOURCES, useBackend } from "./_backends.ts";

const CLASSES: TargetShape = { kind: "classes", classes: 2, shape: [] };
const INPUTS = 8;
const EPOCHS = 40;

/**
 * Points in 8-D labelled by the sign of their first coordinate, a `flipped` fraction of the
 * labels then swapped: noisy training labels make a wide network overfit, so its validation loss
 * falls, then rises.
 */
function split(count: number, seed: number, flipped: number): { x: number[][]; y: number[] } {
  const rng = createRng(deriveSeed(seed, "early-stopping-test"));
  const x = Array.from({ length: count }, () => Array.from({ length: INPUTS }, () => normal(rng)));
  const y = x.map((row) => (row[0] > 0 ? 1 : 0) ^ (rng() < flipped ? 1 : 0));
  return { x, y };
}

function toDevice({ x, y }: { x: number[][]; y: number[] }): DeviceSplit {
  return { features: tf.tensor2d(x), targets: tf.tensor1d(y, "int32") };
}

/** Trains with early stopping on `validation` while also evaluating `test`; returns everything. */
async function train(test: DeviceSplit, evaluateTest = true) {
  const trainSplit = toDevice(split(40, 1, 0.3));
  const validation = toDevice(split(200, 2, 0));
  const model = buildModel([INPUTS], [
    { kind: "dense", name: "hidden", units: 64, activation: "relu" },
    { kind: "dense", name: "logits", units: 2 },
  ], 5);
  const optimizer = new TrainingOptimizer({
    kind: "adam",
    learningRate: 0.005,
    beta1: 0.9,
    beta2: 0.999,
  });
  try {
    const result = await fit({
      model,
      optimizer,
      loss: "crossEntropy",
      target: CLASSES,
      train: trainSplit,
      evaluate: evaluateTest ? { validation, test } : { validation },
      metrics: ["loss", "errorPercent"],
      epochs: EPOCHS,
      batchSize: 10,
      schedule: { kind: "constant" },
      warmupSteps: 0,
      l2: 0,
      clipNorm: 0,
      readbackEvery: 4,
      evaluateEverySteps: 0,
      evalBatchSize: 100,
      earlyStopping: { metric: "loss", patience: 3 },
      seed: 3,
      progress: createProgress("quiet"),
    });
    const weights = model.getWeights().map((weight) => Array.from(weight.dataSync()));
    return { result, weights };
  } finally {
    optimizer.dispose();
    model.dispose();
    tf.dispose([trainSplit.features, trainSplit.targets, validation.features, validation.targets]);
  }
}

/** The validation and training parts of a curve: what may not depend on the test split. */
function withoutTest(curve: Record<string, number>[]): Record<string, number>[] {
  return curve.map((point) =>
    Object.fromEntries(Object.entries(point).filter(([name]) => !name.startsWith("test")))
  );
}

Deno.test(
  "fit's early stopping gives the same epoch, weights and validation curve whatever the test split holds",
  OPEN_RESOURCES,
  async () => {
    await useBackend("cpu");
    const clean = split(200, 3, 0);
    // Poisoned: the labels of the clean test set reversed, so the test loss is lowest when the
    // model is worst; and the features of another draw, so nothing lines up with the clean one.
    const poisoned = { x: split(200, 4, 0).x, y: clean.y.map((label) => 1 - label) };
    const cleanTest = toDevice(clean);
    const poisonedTest = toDevice(poisoned);
    const withClean = await train(cleanTest);
    const withPoisoned = await train(poisonedTest);
    const withoutTestSplit = await train(cleanTest, false);
    tf.dispose([
      cleanTest.features,
      cleanTest.targets,
      poisonedTest.features,
      poisonedTest.targets,
    ]);

    const best = withClean.result.final.bestEpoch;
    const stoppedAt = withClean.result.final.steps / 4; // 4 steps per epoch (40 examples, batches of 10)
    assert.ok(
      best > 1 && stoppedAt < EPOCHS,
      `early stopping acted: best ${best}, ran ${stoppedAt}`,
    );
    assert.equal(stoppedAt, best + 3, "stopped after `patience` epochs without improvement");

    for (const other of [withPoisoned, withoutTestSplit]) {
      assert.equal(other.result.final.bestEpoch, best);
      assert.equal(other.result.final.steps, withClean.result.final.steps);
      assert.equal(other.result.final.validationLoss, withClean.result.final.validationLoss);
      assert.deepEqual(other.weights, withClean.weights, "the restored weights, bit for bit");
      assert.deepEqual(withoutTest(other.result.curve), withoutTest(withClean.result.curve));
    }

    // The poison took effect, and choosing by it would have picked another epoch.
    assert.notEqual(withPoisoned.result.final.testLoss, withClean.result.final.testLoss);
    const testLosses = withPoisoned.result.curve.filter((point) => point.testLoss !== undefined);
    const lowest = testLosses.reduce((a, b) => (b.testLoss < a.testLoss ? b : a));
    assert.notEqual(lowest.epoch, best, "the poisoned test loss is lowest at another epoch");
  },
);

Deno.test(
  "fit's early stopping restores the weights of the epoch with the lowest validation loss",
  OPEN_RESOURCES,
  async () => {
    await useBackend("cpu");
    const test = toDevice(split(200, 3, 0));
    const { result } = await train(test);
    tf.dispose([test.features, test.targets]);
    const epochs = result.curve.filter((point) => point.validationLoss !== undefined);
    const lowest = epochs.reduce((a, b) => (b.validationLoss < a.validationLoss ? b : a));
    assert.equal(result.final.bestEpoch, lowest.epoch);
    assert.equal(result.final.validationLoss, lowest.validationLoss);
    assert.equal(result.final.testLoss, lowest.testLoss, "final metrics are the best epoch's");
    // The lowest validation loss is not the last epoch's: training went on past it, then stopped.
    assert.ok(epochs[epochs.length - 1].validationLoss > lowest.validationLoss);
  },
);
