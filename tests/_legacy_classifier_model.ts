/**
 * The framework's first model factory, `createClassifierModel` as committed in 2b0df79 before
 * models became layer specs, kept verbatim (but for imports) as the reference that the `mlp` and
 * `lenet5` presets must reproduce bit for bit: committed results depend on it.
 *
 * @module
 */

import * as tf from "@tensorflow/tfjs";
import { deriveSeed } from "../lib/random/seed.ts";
import { SeededDropout } from "../lib/models/seeded_dropout.ts";

/** The legacy factory's model description. */
export type LegacyClassifierModelSpec =
  | {
    kind: "mlp";
    hidden: number[];
    activation: "relu" | "tanh" | "sigmoid";
    dropout: number;
  }
  | {
    kind: "lenet5";
    activation: "relu" | "tanh" | "sigmoid";
    pooling: "max" | "average";
    dropout: number;
  };

/** The legacy factory's data shape. */
export interface LegacyClassifierShape {
  inputSize: number;
  image?: { rows: number; columns: number; channels: number };
  classes: number;
}

/**
 * Builds a model from its description, with every initialiser seeded from `seed`.
 *
 * @param spec The description.
 * @param shape Input and output sizes.
 * @param seed The trial's root seed.
 * @returns An unbuilt-weights-free tfjs model whose output is logits.
 */
export function createLegacyClassifierModel(
  spec: LegacyClassifierModelSpec,
  shape: LegacyClassifierShape,
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
