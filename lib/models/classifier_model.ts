/**
 * The classifier models of the framework, described as data and built by factories: an MLP and
 * LeNet-5. Every initialiser is seeded from the trial seed; dropout uses {@linkcode SeededDropout}.
 * Models output logits; the loss applies the softmax.
 *
 * @module
 */

import * as tf from "@tensorflow/tfjs";
import { z } from "zod";
import { deriveSeed } from "../random/seed.ts";
import { SeededDropout } from "./seeded_dropout.ts";

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
 * @returns An unbuilt-weights-free tfjs model whose output is logits.
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
): tf.Sequential {
  const init = (name: string) =>
    tf.initializers.glorotUniform({ seed: deriveSeed(seed, "init", name) });
  const dense = (name: string, units: number, activation?: "relu" | "tanh" | "sigmoid") =>
    tf.layers.dense({ name, units, activation, kernelInitializer: init(name) });
  const dropout = (name: string, rate: number) => new SeededDropout({ name, rate, seed });
  const model = tf.sequential();
  if (spec.kind === "mlp") {
    model.add(tf.layers.inputLayer({ inputShape: [shape.inputSize], name: "input" }));
    spec.hidden.forEach((units, i) => {
      model.add(dense(`hidden_${i + 1}`, units, spec.activation));
      if (spec.dropout > 0) model.add(dropout(`dropout_${i + 1}`, spec.dropout));
    });
    model.add(dense("logits", shape.classes));
    return model;
  }
  if (!shape.image) {
    throw new Error(`Expected image dimensions for ${spec.kind} but the data set has none`);
  }
  const { rows, columns, channels } = shape.image;
  const pool = (name: string) =>
    spec.pooling === "max"
      ? tf.layers.maxPooling2d({ name, poolSize: 2, strides: 2 })
      : tf.layers.averagePooling2d({ name, poolSize: 2, strides: 2 });
  const conv = (name: string, filters: number, padding: "same" | "valid") =>
    tf.layers.conv2d({
      name,
      filters,
      kernelSize: 5,
      padding,
      activation: spec.activation,
      kernelInitializer: init(name),
    });
  model.add(tf.layers.inputLayer({ inputShape: [shape.inputSize], name: "input" }));
  model.add(tf.layers.reshape({ targetShape: [rows, columns, channels], name: "image" }));
  model.add(conv("c1", 6, "same"));
  model.add(pool("s2"));
  model.add(conv("c3", 16, "valid"));
  model.add(pool("s4"));
  model.add(tf.layers.flatten({ name: "flatten" }));
  if (spec.dropout > 0) model.add(dropout("dropout_c5", spec.dropout));
  model.add(dense("c5", 120, spec.activation));
  if (spec.dropout > 0) model.add(dropout("dropout_f6", spec.dropout));
  model.add(dense("f6", 84, spec.activation));
  model.add(dense("logits", shape.classes));
  return model;
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
