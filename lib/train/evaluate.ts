/**
 * Evaluation: a model's metrics on a split, summed on the device batch by batch and read back
 * once.
 *
 * @module
 */

import * as tf from "@tensorflow/tfjs";
import type { TargetShape } from "../data/sources.ts";
import {
  finishMetrics,
  type LossName,
  metricCount,
  type MetricName,
  metricSums,
} from "./losses.ts";

/** A split on the device. */
export interface DeviceSplit {
  /** `[count, ...input]`, float32. */
  features: tf.Tensor;
  /** `[count, ...target]`: int32 class indices or float32 values. */
  targets: tf.Tensor;
}

/**
 * The model's metrics on a split, in inference mode (dropout off, batch norm on its moving
 * statistics).
 *
 * @param model The model.
 * @param split The data.
 * @param loss The loss (for `loss` and `bitsPerChar`).
 * @param metrics The metrics.
 * @param target The data's target shape.
 * @param batchSize Examples per forward pass.
 * @returns Metric -> value.
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import { evaluateModel } from "./evaluate.ts";
 * await tf.setBackend("cpu");
 * const input = tf.input({ shape: [2] });
 * const model = tf.model({ inputs: input, outputs: input }); // logits = the features
 * const split = { features: tf.tensor2d([[2, 0], [0, 2]]), targets: tf.tensor1d([0, 0], "int32") };
 * const result = await evaluateModel(model, split, "crossEntropy", ["errorPercent"], {
 *   kind: "classes", classes: 2, shape: [],
 * }, 100);
 * if (result.errorPercent !== 50) throw new Error(String(result.errorPercent));
 * ```
 */
export async function evaluateModel(
  model: tf.LayersModel,
  split: DeviceSplit,
  loss: LossName,
  metrics: readonly MetricName[],
  target: TargetShape,
  batchSize: number,
): Promise<Record<MetricName, number>> {
  const count = split.features.shape[0];
  let totals: tf.Tensor = tf.zeros([metrics.length]);
  for (let start = 0; start < count; start += batchSize) {
    const size = Math.min(batchSize, count - start);
    const next = tf.tidy(() => {
      const x = sliceRows(split.features, start, size);
      const y = sliceRows(split.targets, start, size);
      const outputs = model.apply(x, { training: false }) as tf.Tensor;
      return tf.add(totals, metricSums(loss, metrics, outputs, y, target));
    });
    totals.dispose();
    totals = next;
  }
  const sums = await totals.data();
  totals.dispose();
  return finishMetrics(metrics, sums, metricCount(count, target));
}

/**
 * Rows `[start, start + size)` of a tensor along its first axis.
 *
 * @param tensor Any tensor.
 * @param start First row.
 * @param size Number of rows.
 * @returns The slice.
 */
export function sliceRows(tensor: tf.Tensor, start: number, size: number): tf.Tensor {
  return tensor.slice([start, ...tensor.shape.slice(1).map(() => 0)], [
    size,
    ...tensor.shape.slice(1).map(() => -1),
  ]);
}
