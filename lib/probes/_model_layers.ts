/**
 * Reading a trained model's layers: a named layer's weights or activations.
 *
 * @module
 */

import * as tf from "@tensorflow/tfjs";

/**
 * The activations of a named layer for some inputs, in inference mode.
 *
 * @param model The model.
 * @param name The layer's name.
 * @param inputs The inputs.
 * @returns The layer's output; the caller disposes it.
 */
export function layerActivations(
  model: tf.LayersModel,
  name: string,
  inputs: tf.Tensor,
): tf.Tensor {
  const layer = model.getLayer(name);
  const probe = tf.model({ inputs: model.inputs, outputs: layer.output as tf.SymbolicTensor });
  return probe.predict(inputs) as tf.Tensor;
}

/** A 2-D grid of numbers from a flat array, rounded to 4 significant digits for the records. */
export function toRows(
  values: ArrayLike<number>,
  rows: number,
  columns: number,
  at: (r: number, c: number) => number,
): number[][] {
  return Array.from(
    { length: rows },
    (_, r) => Array.from({ length: columns }, (_, c) => Number(values[at(r, c)].toPrecision(4))),
  );
}
