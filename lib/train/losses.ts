/**
 * Losses and evaluation metrics by name, shared by the training loop and evaluation, for every
 * kind of target: class indices (one per example, or one per step of a sequence) and real values.
 * Models output logits or raw values; the losses apply the softmax or sigmoid.
 *
 * @module
 */

import * as tf from "@tensorflow/tfjs";
import { z } from "zod";
import type { TargetShape } from "../data/sources.ts";

/** The losses. */
export const LOSSES = ["crossEntropy", "binaryCrossEntropy", "mse"] as const;
/** A loss's name. */
export type LossName = typeof LOSSES[number];
/** The schema of a loss name. */
export const lossSchema = z.enum(LOSSES);

/** The evaluation metrics. */
export const METRICS = [
  "loss",
  "errorPercent",
  "accuracyPercent",
  "bitsPerChar",
  "mse",
  "rmse",
] as const;
/** A metric's name. */
export type MetricName = typeof METRICS[number];
/** The schema of a metric name. */
export const metricSchema = z.enum(METRICS);

/**
 * The loss that suits a target: cross-entropy for classes, mean squared error for values.
 *
 * @param target The data's target shape.
 * @returns The loss's name.
 *
 * @example
 * ```ts
 * import { defaultLoss } from "./losses.ts";
 * if (defaultLoss({ kind: "classes", classes: 10, shape: [] }) !== "crossEntropy") throw new Error();
 * ```
 */
export function defaultLoss(target: TargetShape): LossName {
  return target.kind === "classes" ? "crossEntropy" : "mse";
}

/**
 * Problems with a loss and metrics for a target, as messages (empty when they fit).
 *
 * @param loss The loss.
 * @param metrics The metrics.
 * @param target The data's target shape.
 * @returns One line per problem.
 *
 * @example
 * ```ts
 * import { checkLossAndMetrics } from "./losses.ts";
 * const problems = checkLossAndMetrics("mse", ["bitsPerChar"], { kind: "values", shape: [1] });
 * if (problems.length !== 1) throw new Error(problems.join());
 * ```
 */
export function checkLossAndMetrics(
  loss: LossName,
  metrics: readonly MetricName[],
  target: TargetShape,
): string[] {
  const problems: string[] = [];
  if (loss === "crossEntropy" && target.kind !== "classes") {
    problems.push(
      `loss: crossEntropy needs class targets, but the data's targets are values; use mse or binaryCrossEntropy`,
    );
  }
  if (loss !== "crossEntropy" && target.kind === "classes") {
    problems.push(
      `loss: ${loss} needs value targets, but the data's targets are classes; use crossEntropy`,
    );
  }
  for (const metric of metrics) {
    if (metric === "bitsPerChar" && loss !== "crossEntropy") {
      problems.push(
        `evaluate.metrics: bitsPerChar is a cross-entropy in bits; it needs loss crossEntropy`,
      );
    }
    if ((metric === "mse" || metric === "rmse") && target.kind === "classes") {
      problems.push(
        `evaluate.metrics: ${metric} needs value targets, but the data's targets are classes`,
      );
    }
  }
  return problems;
}

/**
 * The mean loss over a batch, for training. Class targets use tfjs's softmax cross-entropy on
 * one-hot labels (sequences are flattened to one row per step).
 *
 * @param loss The loss.
 * @param outputs The model's outputs: logits `[batch, ..., classes]` or values.
 * @param targets Class indices (int32) or values, shaped like the outputs without the class axis.
 * @param target The data's target shape.
 * @returns A scalar.
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import { batchLoss } from "./losses.ts";
 * await tf.setBackend("cpu");
 * const loss = batchLoss("mse", tf.tensor2d([[1], [3]]), tf.tensor2d([[0], [0]]), {
 *   kind: "values", shape: [1],
 * });
 * if (loss.dataSync()[0] !== 5) throw new Error("mean of 1 and 9");
 * ```
 */
export function batchLoss(
  loss: LossName,
  outputs: tf.Tensor,
  targets: tf.Tensor,
  target: TargetShape,
): tf.Scalar {
  return tf.tidy(() => {
    if (loss === "crossEntropy") {
      const classes = (target as { classes: number }).classes;
      const { logits, labels } = flattenClasses(outputs, targets, classes);
      return tf.losses.softmaxCrossEntropy(tf.oneHot(labels, classes), logits) as tf.Scalar;
    }
    const y = targets.reshape(outputs.shape);
    if (loss === "binaryCrossEntropy") {
      return tf.losses.sigmoidCrossEntropy(y, outputs) as tf.Scalar;
    }
    return tf.losses.meanSquaredError(y, outputs) as tf.Scalar;
  });
}

/** Logits as `[rows, classes]` and labels as `[rows]`, one row per example or per step. */
function flattenClasses(outputs: tf.Tensor, targets: tf.Tensor, classes: number) {
  if (outputs.rank === 2) return { logits: outputs as tf.Tensor2D, labels: targets as tf.Tensor1D };
  return {
    logits: outputs.reshape([-1, classes]) as tf.Tensor2D,
    labels: targets.reshape([-1]) as tf.Tensor1D,
  };
}

/**
 * Sums over a batch, one per metric, stacked into a vector: what evaluation adds up on the device
 * before one readback. Divide by {@linkcode metricCount} to get the metric. `rmse` sums squared
 * errors; take the square root of the mean.
 *
 * @param loss The loss (the `loss` metric and `bitsPerChar` use it).
 * @param metrics The metrics, in order.
 * @param outputs The model's outputs.
 * @param targets The batch's targets.
 * @param target The data's target shape.
 * @returns A vector of `metrics.length` sums.
 */
export function metricSums(
  loss: LossName,
  metrics: readonly MetricName[],
  outputs: tf.Tensor,
  targets: tf.Tensor,
  target: TargetShape,
): tf.Tensor1D {
  return tf.tidy(() => {
    const classes = target.kind === "classes" ? target.classes : 0;
    const flat = target.kind === "classes" ? flattenClasses(outputs, targets, classes) : undefined;
    const values = target.kind === "values" ? targets.reshape(outputs.shape) : undefined;
    const lossSum = () => {
      if (flat) {
        return tf.losses.softmaxCrossEntropy(
          tf.oneHot(flat.labels, classes),
          flat.logits,
          undefined,
          undefined,
          tf.Reduction.SUM,
        );
      }
      if (loss === "binaryCrossEntropy") {
        return tf.losses.sigmoidCrossEntropy(
          values!,
          outputs,
          undefined,
          undefined,
          tf.Reduction.SUM,
        );
      }
      return tf.sum(tf.squaredDifference(outputs, values!));
    };
    const wrong = () => {
      if (flat) {
        return tf.sum(tf.cast(tf.notEqual(tf.argMax(flat.logits, 1), flat.labels), "float32"));
      }
      // A sigmoid output is right when it falls on the target's side of 0 (probability 0.5); a
      // raw output when it is within 0.5 of a 0/1 target.
      const predicted = loss === "binaryCrossEntropy"
        ? tf.cast(tf.greater(outputs, 0), "float32")
        : tf.round(outputs);
      return tf.sum(tf.cast(tf.notEqual(predicted, values!), "float32"));
    };
    const sums = metrics.map((metric) => {
      switch (metric) {
        case "loss":
          return lossSum();
        case "errorPercent":
          return tf.mul(wrong(), 100);
        case "accuracyPercent":
          return tf.mul(tf.sub(metricUnits(outputs, target), wrong()), 100);
        case "bitsPerChar":
          return tf.div(lossSum(), Math.LN2);
        case "mse":
        case "rmse":
          return tf.sum(tf.squaredDifference(outputs, values ?? outputs));
      }
    });
    return tf.stack(sums) as tf.Tensor1D;
  });
}

function metricUnits(outputs: tf.Tensor, target: TargetShape): tf.Scalar {
  return tf.scalar(metricCount(outputs.shape[0], target));
}

/**
 * What a metric's sum is divided by: examples for one class per example, steps for sequences,
 * output values for regression.
 *
 * @param examples Examples in the split.
 * @param target The data's target shape.
 * @returns The count.
 *
 * @example
 * ```ts
 * import { metricCount } from "./losses.ts";
 * if (metricCount(10, { kind: "classes", classes: 28, shape: [16] }) !== 160) throw new Error();
 * ```
 */
export function metricCount(examples: number, target: TargetShape): number {
  return examples * target.shape.reduce((product, dim) => product * dim, 1);
}

/**
 * Turns summed metrics into their values.
 *
 * @param metrics The metrics, in the order summed.
 * @param sums The sums.
 * @param count From {@linkcode metricCount}.
 * @returns Metric -> value.
 *
 * @example
 * ```ts
 * import { finishMetrics } from "./losses.ts";
 * const values = finishMetrics(["loss", "rmse"], [10, 16], 4);
 * if (values.loss !== 2.5 || values.rmse !== 2) throw new Error(JSON.stringify(values));
 * ```
 */
export function finishMetrics(
  metrics: readonly MetricName[],
  sums: ArrayLike<number>,
  count: number,
): Record<MetricName, number> {
  const values = {} as Record<MetricName, number>;
  metrics.forEach((metric, i) => {
    const mean = sums[i] / count;
    values[metric] = metric === "rmse" ? Math.sqrt(mean) : mean;
  });
  return values;
}

/**
 * The name a metric has in the results for a split: `testErrorPercent`, `validationLoss`. The
 * loss evaluated on the training split is `trainSetLoss`, since `trainLoss` is the running mean of
 * the training steps' losses.
 *
 * @param split `train`, `validation` or `test`.
 * @param metric The metric.
 * @returns The name.
 *
 * @example
 * ```ts
 * import { splitMetricName } from "./losses.ts";
 * if (splitMetricName("test", "errorPercent") !== "testErrorPercent") throw new Error();
 * if (splitMetricName("train", "loss") !== "trainSetLoss") throw new Error();
 * ```
 */
export function splitMetricName(split: string, metric: MetricName): string {
  if (split === "train" && metric === "loss") return "trainSetLoss";
  return `${split}${metric[0].toUpperCase()}${metric.slice(1)}`;
}
