/**
 * A 2-2-1 ReLU network on XOR's truth table, as a probe sees it, with Goodfellow et al. 2016's
 * §6.1 solution (or a variation of it) as its weights: for tests of the probes XOR uses.
 *
 * @module
 */

import * as tf from "@tensorflow/tfjs";
import { buildModel } from "../lib/models/build_model.ts";
import { loadData } from "../lib/data/sources.ts";
import type { LayerSpec } from "../lib/models/layer_spec.ts";
import type { ProbeContext } from "../lib/probes/probe.ts";

const LAYERS: LayerSpec[] = [
  { kind: "dense", name: "hidden", units: 2, activation: "relu", bias: true },
  { kind: "dense", name: "output", units: 1, activation: "linear", bias: true },
];

/** The §6.1 solution: W = [[1, 1], [1, 1]], c = [0, −1], w = [1, −2], b = 0. */
export const BOOK_SOLUTION = { hiddenBias: [0, -1], outputWeights: [1, -2] };

/**
 * A probe context for the 2-2-1 network with these weights, on the cpu backend.
 *
 * @param weights The hidden biases and output weights (the rest as in the book's solution).
 * @returns The context and a function that disposes what it made.
 */
export async function xorNetwork(
  weights: { hiddenBias: number[]; outputWeights: number[] } = BOOK_SOLUTION,
): Promise<{ context: ProbeContext; dispose: () => void }> {
  await tf.setBackend("cpu");
  const data = await loadData({ kind: "xorTable", target: "value" }, 1);
  const model = buildModel([2], LAYERS, 1);
  tf.tidy(() =>
    model.setWeights([
      tf.tensor2d([[1, 1], [1, 1]]),
      tf.tensor1d(weights.hiddenBias),
      tf.tensor2d(weights.outputWeights, [2, 1]),
      tf.tensor1d([0]),
    ])
  );
  const split = {
    features: tf.tensor2d(data.test.features, [4, 2]),
    targets: tf.tensor2d(data.test.targets as Float32Array, [4, 1]),
  };
  return {
    context: {
      model,
      data,
      layers: LAYERS,
      shape: data.shape,
      loss: "mse",
      seed: 1,
      charts: true,
      splits: { test: split },
      train: split,
    },
    dispose: () => {
      model.dispose();
      tf.dispose([split.features, split.targets]);
    },
  };
}
