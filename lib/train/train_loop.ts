/**
 * The framework's one training loop, for classifiers. It replaces `model.fit`, which shuffles with
 * `Math.random` and reads the loss back from the device after every batch.
 *
 * - Shuffling draws from the trial seed: epoch `e` uses `deriveSeed(seed, "shuffle", e)`.
 * - Data stays on the device; each epoch uploads one permutation, each batch is a gather.
 * - Losses accumulate on the device and are read back every `readbackEvery` steps and at the end
 *   of each epoch (on Deno's WebGPU each readback drains the queue and costs about 10 ms).
 * - Every tensor it makes is disposed; `tf.memory().numTensors` is unchanged after a trial.
 *
 * @module
 */

import * as tf from "@tensorflow/tfjs";
import type { CurvePoint } from "../experiment/records.ts";
import { deriveSeed, permutation } from "../random/seed.ts";
import type { Progress } from "./progress.ts";
import { setLearningRate } from "./optimizer.ts";

/** A labelled split on the device. */
export interface DeviceSplit {
  /** [count, features], float32. */
  features: tf.Tensor2D;
  /** [count], int32 class indices. */
  labels: tf.Tensor1D;
}

/** What the loop needs. */
export interface TrainLoopOptions {
  /** The classifier to train; its output is logits. */
  model: tf.LayersModel;
  /** Updates the model's weights; its learning rate is reset at the start of each epoch. */
  optimizer: tf.Optimizer;
  /** Training data, shuffled afresh each epoch from the seed. */
  train: DeviceSplit;
  /** Held-out data, evaluated after every epoch. */
  test: DeviceSplit;
  /** Number of classes, for the one-hot labels. */
  classes: number;
  /** Passes over the training data. */
  epochs: number;
  /** Examples per step; the last batch of an epoch may be smaller. */
  batchSize: number;
  /** The first epoch's learning rate; epoch `e` (from 1) uses `learningRate * decay^(e-1)`. */
  learningRate: number;
  /** Per-epoch learning-rate factor; 1 keeps it constant. */
  learningRateDecay: number;
  /** Steps between loss readbacks (each epoch's end also reads back). */
  readbackEvery: number;
  /** Examples per forward pass when evaluating, independent of training's batch size. */
  evalBatchSize: number;
  /** The trial's root seed. */
  seed: number;
  /** Receives each step, epoch and readback. */
  progress: Progress;
}

/** What the loop returns. */
export interface TrainLoopResult {
  /** Training loss at each readback and every metric at each epoch's end, in step order. */
  curve: CurvePoint[];
  /** The last epoch's mean training loss, test loss and test error, and the total steps. */
  final: { trainLoss: number; testLoss: number; testErrorPercent: number; steps: number };
  /** Seconds spent in training steps (readbacks included, evaluation excluded). */
  trainSeconds: number;
  /** Seconds spent evaluating on the test split. */
  evalSeconds: number;
  /** Training examples processed: the split's size times the epochs. */
  trainExamples: number;
  /** Test examples evaluated: the split's size times the epochs. */
  evalExamples: number;
}

/**
 * Trains a classifier with softmax cross-entropy and evaluates it after each epoch.
 *
 * @param options Model, optimizer, data and schedule.
 * @returns The learning curve, final metrics and timings.
 */
export async function trainClassifier(options: TrainLoopOptions): Promise<TrainLoopResult> {
  const { model, optimizer, train, test, classes, batchSize, progress } = options;
  const count = train.features.shape[0];
  const stepsPerEpoch = Math.ceil(count / batchSize);
  const curve: CurvePoint[] = [];
  const lossSum = tf.tidy(() => tf.variable(tf.scalar(0), false));
  let step = 0;
  let stepsSinceReadback = 0;
  let trainSeconds = 0;
  let evalSeconds = 0;
  let epochLossTotal = 0;
  let lastTrainLoss = Number.NaN;
  let evaluation = { loss: Number.NaN, errorPercent: Number.NaN };

  const readLoss = async (): Promise<number> => {
    const sum = (await lossSum.data())[0];
    tf.tidy(() => lossSum.assign(tf.zerosLike(lossSum)));
    const mean = sum / stepsSinceReadback;
    epochLossTotal += sum;
    stepsSinceReadback = 0;
    return mean;
  };

  try {
    for (let epoch = 1; epoch <= options.epochs; epoch++) {
      setLearningRate(optimizer, options.learningRate * options.learningRateDecay ** (epoch - 1));
      const started = performance.now();
      const order = tf.tensor1d(
        permutation(count, deriveSeed(options.seed, "shuffle", epoch)),
        "int32",
      );
      epochLossTotal = 0;
      for (let batch = 0; batch < stepsPerEpoch; batch++) {
        const start = batch * batchSize;
        const size = Math.min(batchSize, count - start);
        tf.tidy(() => {
          const indices = order.slice([start], [size]);
          const x = tf.gather(train.features, indices);
          const labels = tf.gather(train.labels, indices);
          trainStep(model, optimizer, x, labels, classes, lossSum);
        });
        step++;
        stepsSinceReadback++;
        const atEpochEnd = batch === stepsPerEpoch - 1;
        let loss: number | undefined;
        if (stepsSinceReadback >= options.readbackEvery || atEpochEnd) {
          loss = await readLoss();
          lastTrainLoss = loss;
          if (!atEpochEnd) {
            curve.push({ step, epoch: epoch - 1 + (batch + 1) / stepsPerEpoch, trainLoss: loss });
          }
        }
        progress.stepDone(epoch, batch + 1, loss);
      }
      order.dispose();
      trainSeconds += (performance.now() - started) / 1000;

      const evalStarted = performance.now();
      evaluation = await evaluateClassifier(model, test, classes, options.evalBatchSize);
      evalSeconds += (performance.now() - evalStarted) / 1000;
      const epochTrainLoss = epochLossTotal / stepsPerEpoch;
      if (!Number.isFinite(epochTrainLoss)) {
        throw new Error(
          `Training diverged at epoch ${epoch}: mean loss is ${epochTrainLoss}; lower train.optimizer.learningRate`,
        );
      }
      curve.push({
        step,
        epoch,
        trainLoss: lastTrainLoss,
        epochTrainLoss,
        testLoss: evaluation.loss,
        testErrorPercent: evaluation.errorPercent,
      });
      progress.epochDone(epoch, {
        trainLoss: epochTrainLoss,
        testLoss: evaluation.loss,
        testErrorPercent: evaluation.errorPercent,
      });
    }
  } finally {
    lossSum.dispose();
  }
  const last = curve[curve.length - 1];
  return {
    curve,
    final: {
      trainLoss: last.epochTrainLoss,
      testLoss: evaluation.loss,
      testErrorPercent: evaluation.errorPercent,
      steps: step,
    },
    trainSeconds,
    evalSeconds,
    trainExamples: count * options.epochs,
    evalExamples: test.features.shape[0] * options.epochs,
  };
}

/**
 * One optimizer step on one batch: softmax cross-entropy, gradients, update, and the loss added
 * to `lossSum` on the device (nothing is read back). Call it inside `tf.tidy`.
 *
 * @param model The classifier (outputs logits).
 * @param optimizer The optimizer.
 * @param x The batch's features.
 * @param labels The batch's class indices (int32).
 * @param classes Number of classes.
 * @param lossSum A device scalar the batch's mean loss is added to.
 */
export function trainStep(
  model: tf.LayersModel,
  optimizer: tf.Optimizer,
  x: tf.Tensor,
  labels: tf.Tensor1D,
  classes: number,
  lossSum: tf.Variable,
): void {
  const y = tf.oneHot(labels, classes);
  const loss = optimizer.minimize(() => {
    const logits = model.apply(x, { training: true }) as tf.Tensor;
    return tf.losses.softmaxCrossEntropy(y, logits) as tf.Scalar;
  }, true) as tf.Scalar;
  lossSum.assign(tf.add(lossSum, loss));
}

/**
 * Mean cross-entropy and error rate of a classifier on a split, with one readback at the end.
 *
 * @param model The classifier (outputs logits).
 * @param split The data.
 * @param classes Number of classes.
 * @param batchSize Examples per forward pass.
 * @returns Mean loss and error in percent.
 */
export async function evaluateClassifier(
  model: tf.LayersModel,
  split: DeviceSplit,
  classes: number,
  batchSize: number,
): Promise<{ loss: number; errorPercent: number }> {
  const count = split.features.shape[0];
  let totals = tf.zeros([2]);
  for (let start = 0; start < count; start += batchSize) {
    const size = Math.min(batchSize, count - start);
    const next = tf.tidy(() => {
      const x = split.features.slice([start, 0], [size, -1]);
      const labels = split.labels.slice([start], [size]);
      const logits = model.apply(x, { training: false }) as tf.Tensor2D;
      const loss = tf.losses.softmaxCrossEntropy(
        tf.oneHot(labels, classes),
        logits,
        undefined,
        undefined,
        tf.Reduction.SUM,
      );
      const wrong = tf.sum(tf.cast(tf.notEqual(tf.argMax(logits, 1), labels), "float32"));
      return tf.add(totals, tf.stack([loss, wrong]));
    });
    totals.dispose();
    totals = next;
  }
  const [lossSum, wrong] = await totals.data();
  totals.dispose();
  return { loss: lossSum / count, errorPercent: (100 * wrong) / count };
}
