import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import experiments from "../experiments/optimization.ts";
import { expandModel } from "../lib/models/presets.ts";
import { buildModel } from "../lib/models/build_model.ts";
import { evaluateModel } from "../lib/train/evaluate.ts";
import { type StepContext, trainStep } from "../lib/train/train_loop.ts";
import { TrainingOptimizer } from "../lib/train/optimizer.ts";
import { createObjective } from "../lib/objectives/objectives.ts";
import type { TargetShape } from "../lib/data/sources.ts";
import { OPEN_RESOURCES, useBackend } from "./_backends.ts";

const CLASSES: TargetShape = { kind: "classes", classes: 2, shape: [] };

/** Softmax cross-entropy of one row, in float64. */
function crossEntropy(logits: number[], label: number): number {
  const max = Math.max(...logits);
  const sum = logits.reduce((total, z) => total + Math.exp(z - max), 0);
  return Math.log(sum) + max - logits[label];
}

/** Rows of a row-major matrix times a matrix, in float64. */
function matmul(rows: number[][], matrix: number[], columns: number): number[][] {
  return rows.map((row) =>
    Array.from(
      { length: columns },
      (_, j) => row.reduce((sum, x, k) => sum + x * matrix[k * columns + j], 0),
    )
  );
}

/** What the tests read of a minimize experiment's definition. */
interface PathsDefinition {
  kind: string;
  objective: { kind: "rosenbrock" | "beale" | "saddle" };
  start: [number, number];
  steps: number;
  optimizer: { kind: string; learningRate: number };
  variants: { name: string; settings: { optimizer: { kind: string; learningRate: number } } }[];
  expect: { variant?: string; published?: unknown }[];
}

function pathsDefinition(id: string): PathsDefinition {
  const found = experiments.find((experiment) => experiment.id === id);
  assert.ok(found, `experiments/optimization.ts has no experiment ${id}`);
  assert.equal(found.kind, "minimize");
  return found as unknown as PathsDefinition;
}

Deno.test(
  "trainStep normalizes batch-norm's hidden layer with the batch's statistics and evaluateModel with the moving ones",
  OPEN_RESOURCES,
  async () => {
    await useBackend("cpu");
    // The batch-norm experiment's model in small: dense (no bias) → batch norm → sigmoid → logits.
    const layers = expandModel(
      { kind: "mlp", hidden: [3], activation: "sigmoid", batchNorm: true },
      { input: [4], outputs: 2 },
    );
    assert.deepEqual(layers.map((layer) => layer.kind), [
      "dense",
      "batchNorm",
      "activation",
      "dense",
    ]);
    const model = buildModel([4], layers, 7);
    const x = [[0.2, -1, 0.5, 2], [1, 0.3, -0.7, 0], [-0.4, 0.8, 1.5, -1], [0.9, 0.1, 0, 0.6], [
      -1.2,
      0.4,
      0.3,
      0.2,
    ]];
    const labels = [0, 1, 1, 0, 1];
    const weights = async (name: string) =>
      await Promise.all(
        model.getLayer(name).getWeights().map(async (w) => Array.from(await w.data())),
      );
    const epsilon = 0.001; // the mlp preset's
    const forward = (
      [kernel]: number[][],
      [gamma, beta, mean, variance]: number[][],
      [outKernel, outBias]: number[][],
      rows: number[][],
    ) =>
      matmul(rows, kernel, 3).map((z) =>
        z.map((value, c) =>
          1 / (1 + Math.exp(
            -(gamma[c] * (value - mean[c]) / Math.sqrt(variance[c] + epsilon) +
              beta[c]),
          ))
        )
      ).map((h) => matmul([h], outKernel, 2)[0].map((logit, j) => logit + outBias[j]));

    // Training: the loss the step reports uses the batch's own mean and (biased) variance.
    const hidden = await weights("hidden_1");
    const norm = await weights("batch_norm_1");
    const out = await weights("logits");
    const z = matmul(x, hidden[0], 3);
    const batchMean = [0, 1, 2].map((c) => z.reduce((sum, row) => sum + row[c], 0) / x.length);
    const batchVariance = [0, 1, 2].map((c) =>
      z.reduce((sum, row) => sum + (row[c] - batchMean[c]) ** 2, 0) / x.length
    );
    const trainingLogits = forward(hidden, [norm[0], norm[1], batchMean, batchVariance], out, x);
    const trainingLoss =
      labels.reduce((sum, label, i) => sum + crossEntropy(trainingLogits[i], label), 0) / x.length;

    const features = tf.tensor2d(x);
    const targets = tf.tensor1d(labels, "int32");
    const optimizer = new TrainingOptimizer({ kind: "sgd", learningRate: 0.1 });
    const context: StepContext = {
      model,
      optimizer,
      loss: "crossEntropy",
      target: CLASSES,
      variables: model.trainableWeights.map((weight) => weight.read() as tf.Variable),
      l2: 0,
      clipNorm: 0,
    };
    const lossSum = tf.variable(tf.scalar(0), false);
    trainStep(context, features, targets, lossSum);
    const stepLoss = (await lossSum.data())[0];
    assert.ok(Math.abs(stepLoss - trainingLoss) < 1e-5, `${stepLoss} vs ${trainingLoss}`);

    // The step moved the moving statistics towards the batch's: 0.99 · old + 0.01 · batch.
    const [, , movingMean, movingVariance] = await weights("batch_norm_1");
    movingMean.forEach((value, c) =>
      assert.ok(Math.abs(value - (0.99 * norm[2][c] + 0.01 * batchMean[c])) < 1e-6, "mean")
    );
    movingVariance.forEach((value, c) =>
      assert.ok(Math.abs(value - (0.99 * norm[3][c] + 0.01 * batchVariance[c])) < 1e-6, "variance")
    );

    // Evaluation: the moving statistics, whatever the batch, so one example at a time gives the
    // same loss as all five together.
    const after = {
      hidden: await weights("hidden_1"),
      norm: await weights("batch_norm_1"),
      out: await weights("logits"),
    };
    const evaluationLogits = forward(after.hidden, after.norm, after.out, x);
    const evaluationLoss =
      labels.reduce((sum, label, i) => sum + crossEntropy(evaluationLogits[i], label), 0) /
      x.length;
    const split = { features, targets };
    for (const batchSize of [1, 5]) {
      const { loss } = await evaluateModel(
        model,
        split,
        "crossEntropy",
        ["loss"],
        CLASSES,
        batchSize,
      );
      assert.ok(
        Math.abs(loss - evaluationLoss) < 1e-5,
        `batch ${batchSize}: ${loss} vs ${evaluationLoss}`,
      );
    }
    // The two normalizations differ here, so the checks above tell them apart.
    const withBatchStatistics = forward(
      after.hidden,
      [after.norm[0], after.norm[1], batchMean, batchVariance],
      after.out,
      x,
    );
    const batchLossAfter =
      labels.reduce((sum, label, i) => sum + crossEntropy(withBatchStatistics[i], label), 0) /
      x.length;
    assert.ok(Math.abs(batchLossAfter - evaluationLoss) > 1e-3);

    optimizer.dispose();
    model.dispose();
    tf.dispose([features, targets, lossSum]);
  },
);

/** The largest eigenvalue of a function's Hessian at a point, by central differences. */
function largestCurvature(f: (x: number, y: number) => number, x: number, y: number): number {
  const h = 1e-4;
  const fxx = (f(x + h, y) - 2 * f(x, y) + f(x - h, y)) / h ** 2;
  const fyy = (f(x, y + h) - 2 * f(x, y) + f(x, y - h)) / h ** 2;
  const fxy = (f(x + h, y + h) - f(x + h, y - h) - f(x - h, y + h) + f(x - h, y - h)) /
    (4 * h ** 2);
  return (fxx + fyy) / 2 + Math.sqrt(((fxx - fyy) / 2) ** 2 + fxy ** 2);
}

for (
  const [id, curvature] of [["optimizer-paths-rosenbrock", 2092], [
    "optimizer-paths-beale",
    1299,
  ]] as const
) {
  Deno.test(
    `${id} starts plain gradient steps under their stability limit 2/λ_max, as its comments say`,
    () => {
      const experiment = pathsDefinition(id);
      const objective = createObjective(experiment.objective);
      const [x, y] = experiment.start;
      const lambda = largestCurvature(objective.valueAt, x, y);
      assert.ok(Math.abs(lambda - curvature) < 1, `λ_max ${lambda}, the comment says ${curvature}`);
      for (const variant of experiment.variants ?? []) {
        const optimizer =
          (variant.settings as { optimizer: { kind: string; learningRate: number } })
            .optimizer;
        if (["sgd", "momentum", "nesterov"].includes(optimizer.kind)) {
          assert.ok(
            optimizer.learningRate < 2 / lambda,
            `${variant.name}: ${optimizer.learningRate}`,
          );
        }
      }
    },
  );
}

Deno.test(
  "optimizer-paths-saddle's published SGD value, from the linearised saddle, matches the exact float64 iteration",
  () => {
    const experiment = pathsDefinition("optimizer-paths-saddle");
    const sgd = experiment.expect!.find((entry) =>
      "variant" in entry && entry.variant === "sgd"
    ) as {
      published: number;
    };
    const [x0, y0] = experiment.start;
    const rate = experiment.optimizer.learningRate;
    let [x, y] = [x0, y0];
    for (let step = 0; step < experiment.steps; step++) {
      [x, y] = [x - rate * 2 * x, y - rate * (-2 * y + y ** 3)];
    }
    const exact = x * x - y * y + y ** 4 / 4;
    assert.ok(
      Math.abs(exact - sgd.published) < 0.01 * Math.abs(exact),
      `${exact} vs ${sgd.published}`,
    );
  },
);
