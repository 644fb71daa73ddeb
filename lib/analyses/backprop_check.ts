/**
 * The `backpropCheck` analysis (chapter 5): back-propagation written by hand in float64
 * (`lib/math/mlp_backprop.ts`) against tfjs's automatic gradients (`tf.variableGrads`, float32) on
 * random networks and inputs, and both against central finite differences. Three ways to compute
 * one gradient, so that each checks the others.
 *
 * The relative error of two gradients of a parameter tensor (one layer's weights or biases) is
 * `max |a − b| / max(max |a|, max |b|)`: the largest difference as a fraction of the tensor's
 * largest gradient. The metrics are the worst over every tensor of every network.
 *
 * @module
 */

import * as tf from "@tensorflow/tfjs";
import { z } from "zod";
import type { Analysis, AnalysisOutput } from "./analysis.ts";
import { createRng, deriveSeed, normal } from "../random/seed.ts";
import {
  type Activation,
  type DenseLayer,
  finiteDifferenceGradients,
  type LabelledBatch,
  mlpGradients,
} from "../math/mlp_backprop.ts";

const range = z.tuple([z.number().int().min(1), z.number().int().min(1)])
  .refine(([low, high]) => low <= high, { message: "expected [low, high] with low <= high" });

const schema = z.strictObject({
  kind: z.literal("backpropCheck"),
  /** Random networks to check. */
  networks: z.number().int().min(1),
  /** Hidden layers per network, drawn from [low, high]. */
  hiddenLayers: range,
  /** Units per hidden layer, drawn from [low, high] for each layer. */
  width: range,
  /** Inputs per example, drawn from [low, high]. */
  inputs: range,
  /** Classes (output units), drawn from [low, high]; at least 2. */
  classes: z.tuple([z.number().int().min(2), z.number().int().min(2)])
    .refine(([low, high]) => low <= high, { message: "expected [low, high] with low <= high" }),
  /** Examples per network's batch. */
  batchSize: z.number().int().min(1),
  /** Hidden activations; network i uses the (i mod length)-th. */
  activations: z.array(z.enum(["relu", "tanh", "sigmoid"])).min(1),
  /** λ of the weight decay λ Σ ‖W‖² in the loss (Algorithm 6.4's regulariser). */
  weightDecay: z.number().min(0).default(0),
  /** h of the central differences. */
  finiteDifferenceStep: z.number().positive().default(1e-6),
});

/** The `backpropCheck` analysis's settings. */
export type BackpropCheckSettings = z.output<typeof schema>;

/** A random network and batch of {@linkcode randomProblem}. */
export interface RandomProblem {
  /** The layers; weights and inputs are float32 values, so tfjs holds them exactly. */
  layers: DenseLayer[];
  /** The batch. */
  batch: LabelledBatch;
}

/**
 * Draws a network of random sizes and a batch for it. Weights are N(0, 1/fan-in), inputs N(0, 1),
 * labels uniform; every value is rounded to float32 so that tfjs sees exactly the same numbers.
 *
 * @param settings Sizes and activations.
 * @param index The network's index (picks its activation).
 * @param seed The trial's seed.
 * @returns The network and batch.
 *
 * @example
 * ```ts
 * import { randomProblem } from "./backprop_check.ts";
 * const { layers } = randomProblem({
 *   hiddenLayers: [2, 2], width: [3, 3], inputs: [4, 4], classes: [5, 5], batchSize: 2,
 *   activations: ["tanh"],
 * }, 0, 1);
 * if (layers.map((l) => `${l.inputs}x${l.units}`).join() !== "4x3,3x3,3x5") throw new Error();
 * ```
 */
export function randomProblem(
  settings: Pick<
    BackpropCheckSettings,
    "hiddenLayers" | "width" | "inputs" | "classes" | "batchSize" | "activations"
  >,
  index: number,
  seed: number,
): RandomProblem {
  const rng = createRng(deriveSeed(seed, "backpropCheck", index));
  const pick = ([low, high]: readonly [number, number]) =>
    low + Math.floor(rng() * (high - low + 1));
  const activation = settings.activations[index % settings.activations.length] as Activation;
  const sizes = [pick(settings.inputs)];
  const hidden = pick(settings.hiddenLayers);
  for (let k = 0; k < hidden; k++) sizes.push(pick(settings.width));
  sizes.push(pick(settings.classes));
  const draw = (count: number, scale: number) =>
    Float64Array.from({ length: count }, () => Math.fround(scale * normal(rng)));
  const layers: DenseLayer[] = sizes.slice(1).map((units, k) => ({
    inputs: sizes[k],
    units,
    weights: draw(sizes[k] * units, 1 / Math.sqrt(sizes[k])),
    biases: draw(units, 0.1),
    activation: k === hidden ? "linear" : activation,
  }));
  const batch: LabelledBatch = {
    inputs: draw(settings.batchSize * sizes[0], 1),
    labels: Int32Array.from(
      { length: settings.batchSize },
      () => Math.floor(rng() * sizes[sizes.length - 1]),
    ),
    count: settings.batchSize,
  };
  return { layers, batch };
}

/**
 * The same loss's gradient by tfjs's automatic differentiation (`tf.variableGrads`), in float32.
 *
 * @param layers The network.
 * @param batch The examples.
 * @param weightDecay λ.
 * @returns The gradients, as float64 arrays shaped like the layers'.
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import { autodiffGradients } from "./backprop_check.ts";
 * await tf.setBackend("cpu");
 * const layer = { weights: new Float64Array(2), biases: new Float64Array(2), inputs: 1, units: 2, activation: "linear" as const };
 * const { biases } = await autodiffGradients([layer], { inputs: Float64Array.from([3]), labels: Int32Array.from([1]), count: 1 }, 0);
 * if ([...biases[0]].join() !== "0.5,-0.5") throw new Error([...biases[0]].join());
 * ```
 */
export async function autodiffGradients(
  layers: readonly DenseLayer[],
  batch: LabelledBatch,
  weightDecay: number,
): Promise<{ weights: Float64Array[]; biases: Float64Array[] }> {
  // Made inside tidy so that only the variables outlive it, not the tensors they copy.
  const { variables, x, labels } = tf.tidy(() => ({
    variables: layers.map((layer, k) => ({
      weights: tf.variable(
        tf.tensor2d(Float32Array.from(layer.weights), [layer.inputs, layer.units]),
        true,
        `backpropCheck/weights_${k}`,
      ),
      biases: tf.variable(
        tf.tensor1d(Float32Array.from(layer.biases)),
        true,
        `backpropCheck/biases_${k}`,
      ),
    })),
    x: tf.tensor2d(Float32Array.from(batch.inputs), [batch.count, layers[0].inputs]),
    labels: tf.oneHot(tf.tensor1d(batch.labels, "int32"), layers[layers.length - 1].units),
  }));
  try {
    const gradients = tf.tidy(() =>
      tf.variableGrads(() => {
        let h: tf.Tensor2D = x;
        layers.forEach((layer, k) => {
          const a = tf.add(tf.matMul(h, variables[k].weights), variables[k].biases) as tf.Tensor2D;
          h = applyActivation(layer.activation, a);
        });
        const decay = variables.reduce(
          (sum, v) => tf.add(sum, tf.sum(tf.square(v.weights))),
          tf.scalar(0),
        );
        return tf.add(tf.losses.softmaxCrossEntropy(labels, h), tf.mul(weightDecay, decay));
      }, variables.flatMap((v) => [v.weights, v.biases])).grads
    );
    const read = async (variable: tf.Variable) =>
      Float64Array.from(await gradients[variable.name].data());
    const weights: Float64Array[] = [];
    const biases: Float64Array[] = [];
    for (const v of variables) {
      weights.push(await read(v.weights));
      biases.push(await read(v.biases));
    }
    tf.dispose(Object.values(gradients));
    return { weights, biases };
  } finally {
    tf.dispose([x, labels, ...variables.flatMap((v) => [v.weights, v.biases])]);
  }
}

/**
 * `max |a − b| / max(max |a|, max |b|)`; 0 when both are all zeros.
 *
 * @param a One gradient tensor's values.
 * @param b Another's.
 * @returns The relative error.
 *
 * @example
 * ```ts
 * import { relativeError } from "./backprop_check.ts";
 * if (relativeError([1, 4], [1, 3]) !== 0.25) throw new Error();
 * if (relativeError([0, 0], [0, 0]) !== 0) throw new Error();
 * ```
 */
export function relativeError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let difference = 0;
  let scale = 0;
  for (let i = 0; i < a.length; i++) {
    difference = Math.max(difference, Math.abs(a[i] - b[i]));
    scale = Math.max(scale, Math.abs(a[i]), Math.abs(b[i]));
  }
  return scale === 0 ? 0 : difference / scale;
}

/** The worst relative error over the tensors of two gradients. */
function worst(
  a: { weights: Float64Array[]; biases: Float64Array[] },
  b: { weights: Float64Array[]; biases: Float64Array[] },
): number {
  return Math.max(
    ...a.weights.map((w, k) => relativeError(w, b.weights[k])),
    ...a.biases.map((w, k) => relativeError(w, b.biases[k])),
  );
}

/** The `backpropCheck` analysis. */
export const backpropCheck: Analysis<BackpropCheckSettings> = {
  schema,
  description: "back-propagation by hand against tfjs's gradients and finite differences",
  module: import.meta.url,
  metrics: () => [
    "autodiffRelativeError",
    "finiteDifferenceRelativeError",
    "autodiffFiniteDifferenceRelativeError",
    "parametersChecked",
  ],
  requiredKernels: () => ["BatchMatMul", "Softmax", "OneHot", "Sigmoid", "Tanh", "Relu"],
  async run(settings, { seed }): Promise<AnalysisOutput> {
    const rows: (string | number)[][] = [];
    const points: { x: number; y: number; group: string }[] = [];
    let autodiff = 0;
    let finite = 0;
    let both = 0;
    let parameters = 0;
    for (let index = 0; index < settings.networks; index++) {
      const { layers, batch } = randomProblem(settings, index, seed);
      const byHand = mlpGradients(layers, batch, settings.weightDecay);
      const byTfjs = await autodiffGradients(layers, batch, settings.weightDecay);
      const byDifferences = finiteDifferenceGradients(
        layers,
        batch,
        settings.weightDecay,
        settings.finiteDifferenceStep,
      );
      const errors = {
        autodiff: worst(byHand, byTfjs),
        finite: worst(byHand, byDifferences),
        both: worst(byTfjs, byDifferences),
      };
      autodiff = Math.max(autodiff, errors.autodiff);
      finite = Math.max(finite, errors.finite);
      both = Math.max(both, errors.both);
      const count = layers.reduce((sum, layer) => sum + layer.weights.length + layer.units, 0);
      parameters += count;
      rows.push([
        index + 1,
        [layers[0].inputs, ...layers.map((layer) => layer.units)].join("-"),
        layers[0].activation,
        count,
        Number(errors.autodiff.toPrecision(3)),
        Number(errors.finite.toPrecision(3)),
        Number(errors.both.toPrecision(3)),
      ]);
      points.push(
        { x: index + 1, y: errors.autodiff, group: "by hand vs tfjs" },
        { x: index + 1, y: errors.finite, group: "by hand vs finite differences" },
        { x: index + 1, y: errors.both, group: "tfjs vs finite differences" },
      );
    }
    return {
      final: {
        autodiffRelativeError: autodiff,
        finiteDifferenceRelativeError: finite,
        autodiffFiniteDifferenceRelativeError: both,
        parametersChecked: parameters,
      },
      artifacts: {
        errors: {
          kind: "scatter",
          title: "Relative error between the three gradients, per network",
          description:
            `For each of ${settings.networks} random networks, the worst relative error (max |a − b| over the tensor's largest gradient) between back-propagation by hand (float64), tfjs's automatic gradients (float32) and central finite differences (float64, h = ${settings.finiteDifferenceStep}); worst overall: ${
              autodiff.toExponential(2)
            }, ${finite.toExponential(2)} and ${both.toExponential(2)}.`,
          xTitle: "network",
          yTitle: "relative error",
          logY: true,
          points: points.map((point) => ({ ...point, y: Math.max(point.y, 1e-17) })),
          groupOrder: [
            "by hand vs tfjs",
            "by hand vs finite differences",
            "tfjs vs finite differences",
          ],
        },
        networks: {
          kind: "table",
          title: "The networks checked",
          description:
            "Each network's layer sizes (inputs, hidden layers, classes), hidden activation, parameter count, and the worst relative error of each comparison.",
          columns: [
            "network",
            "sizes",
            "activation",
            "parameters",
            "by hand vs tfjs",
            "by hand vs finite differences",
            "tfjs vs finite differences",
          ],
          rows,
        },
      },
    };
  },
};

function applyActivation(activation: Activation, a: tf.Tensor2D): tf.Tensor2D {
  switch (activation) {
    case "linear":
      return a;
    case "relu":
      return tf.relu(a);
    case "tanh":
      return tf.tanh(a);
    case "sigmoid":
      return tf.sigmoid(a);
  }
}
