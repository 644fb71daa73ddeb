import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { evaluateModel } from "../lib/train/evaluate.ts";
import { fit, type StepContext, trainStep } from "../lib/train/train_loop.ts";
import { TrainingOptimizer } from "../lib/train/optimizer.ts";
import { createProgress } from "../lib/train/progress.ts";
import type { TargetShape } from "../lib/data/sources.ts";
import { useBackend } from "./_backends.ts";

const options = { sanitizeResources: false, sanitizeOps: false };
const CLASSES: TargetShape = { kind: "classes", classes: 3, shape: [] };

/** A model whose logits are its inputs: evaluation on fixed logits. */
function identityModel(width: number): tf.LayersModel {
  const input = tf.input({ shape: [width] });
  return tf.model({ inputs: input, outputs: input });
}

/** Softmax cross-entropy of one row, in float64. */
function crossEntropy(logits: number[], label: number): number {
  const max = Math.max(...logits);
  const sum = logits.reduce((total, z) => total + Math.exp(z - max), 0);
  return Math.log(sum) + max - logits[label];
}

Deno.test(
  "evaluateModel gives the cross-entropy and error computed by hand on fixed logits",
  options,
  async () => {
    await useBackend("cpu");
    const logits = [[2, 1, 0], [0, 3, 1], [1, 1, 4], [5, 0, 0], [0.5, 0.2, 0.1]];
    const labels = [0, 2, 2, 1, 0];
    const split = {
      features: tf.tensor2d(logits),
      targets: tf.tensor1d(labels, "int32"),
    };
    const model = identityModel(3);
    // Batches of 2 exercise the accumulation across batches.
    const result = await evaluateModel(
      model,
      split,
      "crossEntropy",
      [
        "loss",
        "errorPercent",
        "accuracyPercent",
        "bitsPerChar",
      ],
      CLASSES,
      2,
    );
    const expectedLoss = logits.reduce((total, row, i) => total + crossEntropy(row, labels[i]), 0) /
      logits.length;
    assert.ok(Math.abs(result.loss - expectedLoss) < 1e-6, `${result.loss} vs ${expectedLoss}`);
    // Rows 1 (argmax 1, label 2) and 3 (argmax 0, label 1) are wrong: 2 of 5.
    assert.equal(result.errorPercent, 40);
    assert.equal(result.accuracyPercent, 60);
    assert.ok(Math.abs(result.bitsPerChar - expectedLoss / Math.LN2) < 1e-6);
    tf.dispose([split.features, split.targets]);
  },
);

Deno.test(
  "evaluateModel averages per-step cross-entropy over every step of every sequence",
  options,
  async () => {
    await useBackend("cpu");
    // 2 sequences of 2 steps, 3 classes: the mean is over the 4 steps.
    const logits = [[[1, 0, 0], [0, 2, 0]], [[0, 0, 3], [1, 1, 1]]];
    const labels = [[0, 0], [2, 1]];
    const input = tf.input({ shape: [2, 3] });
    const model = tf.model({ inputs: input, outputs: input });
    const result = await evaluateModel(
      model,
      { features: tf.tensor3d(logits), targets: tf.tensor2d(labels, undefined, "int32") },
      "crossEntropy",
      ["loss", "errorPercent"],
      { kind: "classes", classes: 3, shape: [2] },
      10,
    );
    const expected = (crossEntropy([1, 0, 0], 0) + crossEntropy([0, 2, 0], 0) +
      crossEntropy([0, 0, 3], 2) + crossEntropy([1, 1, 1], 1)) / 4;
    assert.ok(Math.abs(result.loss - expected) < 1e-6);
    // Step [0, 2, 0] with label 0 is wrong; [1, 1, 1] takes the first maximum, 0, against 1.
    assert.equal(result.errorPercent, 50);
  },
);

Deno.test("trainStep's gradients match central finite differences", options, async () => {
  await useBackend("cpu");
  const input = tf.input({ shape: [3] });
  const hidden = tf.layers.dense({
    units: 4,
    activation: "tanh",
    kernelInitializer: tf.initializers.randomNormal({ seed: 3 }),
    biasInitializer: tf.initializers.randomNormal({ seed: 4 }),
  }).apply(input) as tf.SymbolicTensor;
  const output = tf.layers.dense({
    units: 3,
    kernelInitializer: tf.initializers.randomNormal({ seed: 5 }),
  }).apply(hidden) as tf.SymbolicTensor;
  const model = tf.model({ inputs: input, outputs: output });
  const x = tf.tensor2d([[0.5, -1, 2], [1, 0.3, -0.7]]);
  const y = tf.tensor1d([2, 0], "int32");
  const variables = model.trainableWeights.map((weight) => weight.read() as tf.Variable);
  const before = variables.map((variable) => Array.from(variable.dataSync()));
  // Plain SGD with rate 1: the update is exactly minus the gradient.
  const optimizer = new TrainingOptimizer({ kind: "sgd", learningRate: 1 });
  const lossSum = tf.variable(tf.scalar(0), false);
  const context: StepContext = {
    model,
    optimizer,
    loss: "crossEntropy",
    target: CLASSES,
    variables,
    l2: 0.01,
    clipNorm: 0,
  };
  trainStep(context, x, y, lossSum);
  const gradients = variables.map((variable, i) =>
    Array.from(variable.dataSync()).map((value, j) => before[i][j] - value)
  );
  // The objective in float64, as a function of all weights, with the L2 penalty on kernels.
  const objective = (weights: number[][]): number => {
    const [k1, b1, k2, b2] = weights;
    const rows = [[0.5, -1, 2], [1, 0.3, -0.7]];
    const labels = [2, 0];
    let loss = 0;
    rows.forEach((row, n) => {
      const h = [0, 1, 2, 3].map((j) =>
        Math.tanh(row.reduce((s, v, i) => s + v * k1[i * 4 + j], b1[j]))
      );
      const z = [0, 1, 2].map((c) => h.reduce((s, v, j) => s + v * k2[j * 3 + c], b2[c]));
      loss += crossEntropy(z, labels[n]);
    });
    const penalty = [k1, k2].reduce((s, k) => s + k.reduce((t, v) => t + v * v, 0), 0);
    return loss / rows.length + 0.01 * penalty;
  };
  const h = 1e-4;
  let worst = 0;
  before.forEach((weights, i) => {
    weights.forEach((_, j) => {
      const plus = before.map((w) => [...w]);
      const minus = before.map((w) => [...w]);
      plus[i][j] += h;
      minus[i][j] -= h;
      const numeric = (objective(plus) - objective(minus)) / (2 * h);
      const error = Math.abs(numeric - gradients[i][j]) / Math.max(1e-3, Math.abs(numeric));
      worst = Math.max(worst, error);
    });
  });
  assert.ok(worst < 1e-2, `worst relative error ${worst}`);
  // The recorded loss is the data loss, without the penalty.
  const dataLoss = (await lossSum.data())[0];
  const penalty = before[0].concat(before[2]).reduce((s, v) => s + v * v, 0) * 0.01;
  assert.ok(Math.abs(dataLoss - (objective(before) - penalty)) < 1e-4);
  tf.dispose([x, y, lossSum]);
  optimizer.dispose();
  model.dispose();
});

Deno.test(
  "fit leaves the tensor count unchanged across steps and after training",
  options,
  async () => {
    await useBackend("wasm");
    const make = () => {
      const input = tf.input({ shape: [4] });
      const output = tf.layers.dense({
        units: 3,
        kernelInitializer: tf.initializers.glorotUniform({ seed: 9 }),
      }).apply(input) as tf.SymbolicTensor;
      return tf.model({ inputs: input, outputs: output });
    };
    const train = {
      features: tf.randomUniform([40, 4], 0, 1, "float32", 1),
      targets: tf.tensor1d(Array.from({ length: 40 }, (_, i) => i % 3), "int32"),
    };
    const run = async (epochs: number) => {
      const model = make();
      const optimizer = new TrainingOptimizer({
        kind: "adam",
        learningRate: 0.01,
        beta1: 0.9,
        beta2: 0.999,
      });
      const before = tf.memory().numTensors;
      const result = await fit({
        model,
        optimizer,
        loss: "crossEntropy",
        target: CLASSES,
        train,
        evaluate: { test: train },
        metrics: ["loss", "errorPercent"],
        epochs,
        batchSize: 8,
        schedule: { kind: "cosine", final: 0 },
        warmupSteps: 2,
        l2: 0.001,
        clipNorm: 1,
        readbackEvery: 3,
        evaluateEverySteps: 4,
        evalBatchSize: 16,
        seed: 1,
        progress: createProgress("quiet"),
      });
      // The optimizer's moments appear at the first step; after it nothing may accumulate.
      const grown = tf.memory().numTensors - before;
      optimizer.dispose();
      model.dispose();
      return { result, grown };
    };
    const short = await run(1);
    const long = await run(4);
    assert.equal(long.grown, short.grown, "tensors grew with the number of steps");
    assert.equal(long.result.final.steps, 20);
    assert.ok(long.result.curve.some((point) => point.step === 4 && point.testLoss !== undefined));
    tf.dispose([train.features, train.targets]);
  },
);
