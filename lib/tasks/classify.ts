/**
 * The `classify` task: train a classifier on a labelled image data set with the framework's loop
 * and evaluate it on held-out data after every epoch.
 *
 * @module
 */

import * as tf from "@tensorflow/tfjs";
import { z } from "zod";
import type { Task, TrialOutput } from "../experiment/task.ts";
import {
  classifierModelSchema,
  createClassifierModel,
  requiredKernels,
} from "../models/classifier_model.ts";
import { createOptimizer, optimizerSchema } from "../train/optimizer.ts";
import { trainClassifier } from "../train/train_loop.ts";
import { loadMnist } from "../data/mnist.ts";

/** MNIST's sizes: 60,000 training and 10,000 test images. */
const MNIST_TRAIN = 60_000;
const MNIST_TEST = 10_000;

/** The settings of a `classify` experiment. */
export const classifySettingsSchema = z.strictObject({
  data: z.strictObject({
    dataset: z.literal("mnist"),
    /** The first `trainSize` training images (a deterministic subset for reduced profiles). */
    trainSize: z.number().int().min(1).max(MNIST_TRAIN).default(MNIST_TRAIN),
    /** The first `testSize` test images. */
    testSize: z.number().int().min(1).max(MNIST_TEST).default(MNIST_TEST),
  }),
  model: classifierModelSchema,
  train: z.strictObject({
    epochs: z.number().int().min(1),
    batchSize: z.number().int().min(1),
    optimizer: optimizerSchema,
    /** Learning rate multiplier per epoch (1 keeps it constant). */
    learningRateDecay: z.number().gt(0).max(1).default(1),
    /** Steps between loss readbacks; each costs a device sync. */
    readbackEvery: z.number().int().min(1).default(100),
    /** Examples per forward pass during evaluation. */
    evalBatchSize: z.number().int().min(1).default(1000),
  }),
});

/** Settings of a `classify` experiment, after defaults. */
export type ClassifySettings = z.output<typeof classifySettingsSchema>;
/** Settings of a `classify` experiment, as written. */
export type ClassifySettingsInput = z.input<typeof classifySettingsSchema>;

/** The `classify` task. */
export const classifyTask: Task<ClassifySettings> = {
  kind: "classify",
  description: "train a classifier and evaluate it on held-out data after each epoch",
  settingsSchema: classifySettingsSchema,
  metricNames: ["testErrorPercent", "testLoss", "trainLoss", "parameters", "steps"],
  requiredKernels: (settings) => requiredKernels(settings.model),
  async prepare() {
    await loadMnist();
  },
  async runTrial({ settings, seed, progress, variant }): Promise<TrialOutput> {
    const mnist = await loadMnist();
    const pixels = mnist.rows * mnist.columns;
    const toDevice = (
      split: { images: Uint8Array; labels: Uint8Array },
      size: number,
    ) => ({
      features: tf.tidy(() =>
        tf.div(
          tf.tensor2d(split.images.subarray(0, size * pixels), [size, pixels], "float32"),
          255,
        )
      ) as tf.Tensor2D,
      labels: tf.tensor1d(Int32Array.from(split.labels.subarray(0, size)), "int32"),
    });
    const train = toDevice(mnist.train, settings.data.trainSize);
    const test = toDevice(mnist.test, settings.data.testSize);
    const model = createClassifierModel(
      settings.model,
      {
        inputSize: pixels,
        image: { rows: mnist.rows, columns: mnist.columns, channels: 1 },
        classes: 10,
      },
      seed,
    );
    const optimizer = createOptimizer(settings.train.optimizer);
    try {
      progress.trialStarted({
        label: `${variant} seed ${seed}`,
        epochs: settings.train.epochs,
        stepsPerEpoch: Math.ceil(settings.data.trainSize / settings.train.batchSize),
      });
      const result = await trainClassifier({
        model,
        optimizer,
        train,
        test,
        classes: 10,
        epochs: settings.train.epochs,
        batchSize: settings.train.batchSize,
        learningRate: settings.train.optimizer.learningRate,
        learningRateDecay: settings.train.learningRateDecay,
        readbackEvery: settings.train.readbackEvery,
        evalBatchSize: settings.train.evalBatchSize,
        seed,
        progress,
      });
      progress.trialDone(
        `test error ${result.final.testErrorPercent.toFixed(2)}%, ${
          Math.round(result.trainExamples / result.trainSeconds)
        } train img/s`,
      );
      return {
        final: { ...result.final, parameters: model.countParams() },
        curve: result.curve,
        artifacts: {},
        timing: {
          trainExamplesPerSecond: result.trainExamples / result.trainSeconds,
          evalExamplesPerSecond: result.evalExamples / result.evalSeconds,
        },
      };
    } finally {
      optimizer.dispose();
      model.dispose();
      tf.dispose([train.features, train.labels, test.features, test.labels]);
    }
  },
};
