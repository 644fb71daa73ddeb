/**
 * The classifier models of the framework's first tasks, an MLP and LeNet-5, on flat inputs:
 * kept for the callers not yet on `presets.ts`, as a wrapper over its presets and `buildModel`
 * that gives the same weights, outputs and gradients as before. Models output logits; the loss
 * applies the softmax.
 *
 * @module
 */

import type * as tf from "@tensorflow/tfjs";
import { z } from "zod";
import { buildModel } from "./build_model.ts";
import { expandModel } from "./presets.ts";

const activationSchema = z.enum(["relu", "tanh", "sigmoid"]);

/** A multilayer perceptron: dense hidden layers, then a linear output layer. */
export const mlpSchema = z.strictObject({
  kind: z.literal("mlp"),
  /** Units per hidden layer; `[800]` is Simard et al. 2003's MLP. */
  hidden: z.array(z.number().int().min(1)).default([800]),
  activation: activationSchema.default("relu"),
  /** Dropout rate after each hidden layer; 0 turns it off. */
  dropout: z.number().min(0).lt(1).default(0),
});

/**
 * LeNet-5's layout (LeCun et al. 1998): conv 6@5x5 (padded so 28x28 acts like the paper's 32x32),
 * pool, conv 16@5x5, pool, dense 120, 84, 10. The defaults modernise it as most reproductions do:
 * ReLU and max pooling instead of scaled tanh and trainable subsampling, a softmax output instead
 * of RBF units, and all 16 maps of C3 connected to all 6 of S2.
 */
export const lenet5Schema = z.strictObject({
  kind: z.literal("lenet5"),
  activation: activationSchema.default("relu"),
  pooling: z.enum(["max", "average"]).default("max"),
  /** Dropout rate before each dense layer; 0 turns it off. */
  dropout: z.number().min(0).lt(1).default(0),
});

/** Any classifier model. */
export const classifierModelSchema = z.discriminatedUnion("kind", [mlpSchema, lenet5Schema]);

/** A classifier model's description. */
export type ClassifierModelSpec = z.output<typeof classifierModelSchema>;

/** The shape of the data a classifier gets. */
export interface ClassifierShape {
  /** Features per example, flat (e.g. 784); image models reshape. */
  inputSize: number;
  /** Image height and width, for convolutional models. */
  image?: { rows: number; columns: number; channels: number };
  /** Number of classes: the size of the output logits. */
  classes: number;
}

/**
 * Builds a model from its description, with every initialiser seeded from `seed`.
 *
 * @param spec The description.
 * @param shape Input and output sizes.
 * @param seed The trial's root seed.
 * @returns A model of flat inputs whose output is logits.
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import { createClassifierModel } from "./classifier_model.ts";
 * await tf.setBackend("cpu");
 * const model = createClassifierModel(
 *   { kind: "lenet5", activation: "relu", pooling: "max", dropout: 0 },
 *   { inputSize: 784, image: { rows: 28, columns: 28, channels: 1 }, classes: 10 },
 *   1,
 * );
 * if (model.countParams() !== 61706) throw new Error(String(model.countParams()));
 * model.dispose();
 * ```
 */
export function createClassifierModel(
  spec: ClassifierModelSpec,
  shape: ClassifierShape,
  seed: number,
): tf.LayersModel {
  const outputs = shape.classes;
  if (spec.kind === "mlp") {
    return buildModel(
      [shape.inputSize],
      expandModel(spec, { input: [shape.inputSize], outputs }),
      seed,
    );
  }
  if (!shape.image) {
    throw new Error(`Expected image dimensions for ${spec.kind} but the data set has none`);
  }
  const { rows, columns, channels } = shape.image;
  const image = [rows, columns, channels];
  return buildModel([shape.inputSize], [
    { kind: "reshape", name: "image", shape: image },
    ...expandModel(spec, { input: image, outputs }),
  ], seed);
}

/**
 * The kernels a model needs beyond the element-wise and matmul ones every backend has, for its
 * forward and backward passes: what backend choice must check.
 *
 * @param spec The model.
 * @returns Kernel names as tfjs registers them.
 *
 * @example
 * ```ts
 * import { requiredKernels } from "./classifier_model.ts";
 * const names = requiredKernels({ kind: "lenet5", activation: "relu", pooling: "max", dropout: 0 });
 * if (!names.includes("Conv2DBackpropFilter")) throw new Error("missing");
 * ```
 */
export function requiredKernels(spec: ClassifierModelSpec): string[] {
  const dense = ["BatchMatMul", "Softmax", "Max", "Sum"];
  if (spec.kind === "mlp") return dense;
  const pooling = spec.pooling === "max" ? ["MaxPool", "MaxPoolGrad"] : ["AvgPool", "AvgPoolGrad"];
  return [...dense, "Conv2D", "Conv2DBackpropInput", "Conv2DBackpropFilter", ...pooling];
}
