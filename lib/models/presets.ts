/**
 * A model as an experiment writes it: either its whole layer list, or a preset (an MLP, LeNet-5,
 * a linear classifier) with a few options, expanded into layers once the data's shape is known.
 *
 * @module
 */

import { z } from "zod";
import { ConfigError, describeValue } from "../experiment/config_error.ts";
import { didYouMean } from "../experiment/nearest.ts";
import { describeProblem } from "./_issues.ts";
import { describeShape } from "./_shapes.ts";
import { countModel } from "./count_model.ts";
import {
  activationSchema,
  type LayerSpec,
  layerSpecSchema,
  nameLayers,
  parseLayers,
} from "./layer_spec.ts";
import { resnetLayers, resnetModelSchema } from "./resnet.ts";

/** The whole stack, written out by the user, output layer included. */
const layersModelSchema = z.strictObject({
  kind: z.literal("layers"),
  layers: z.array(layerSpecSchema).min(1),
});

/** A multilayer perceptron: dense hidden layers, then a linear output layer. */
const mlpModelSchema = z.strictObject({
  kind: z.literal("mlp"),
  /** Units per hidden layer; `[800]` is Simard et al. 2003's MLP, `[]` logistic regression. */
  hidden: z.array(z.number().int().min(1)).default([800]),
  activation: activationSchema.default("relu"),
  /** Dropout rate after each hidden layer; 0 turns it off. */
  dropout: z.number().min(0).lt(1).default(0),
  /**
   * Batch normalisation in each hidden layer, placed as Ioffe & Szegedy 2015 do: the dense layer
   * is linear and has no bias (the normalisation's shift replaces it), then the batch norm, then
   * the activation.
   */
  batchNorm: z.boolean().default(false),
});

/**
 * LeNet-5's layout (LeCun et al. 1998): conv 6@5x5 (padded so 28x28 acts like the paper's 32x32),
 * pool, conv 16@5x5, pool, dense 120, 84, then the output layer. The defaults modernise it as most
 * reproductions do: ReLU and max pooling instead of scaled tanh and trainable subsampling, a
 * softmax output instead of RBF units, and all 16 maps of C3 connected to all 6 of S2.
 */
const lenet5ModelSchema = z.strictObject({
  kind: z.literal("lenet5"),
  activation: activationSchema.default("relu"),
  pooling: z.enum(["max", "average"]).default("max"),
  /** Dropout rate before each dense layer but the output; 0 turns it off. */
  dropout: z.number().min(0).lt(1).default(0),
});

/** Multinomial logistic regression: the output layer alone, on the flattened input. */
const linearModelSchema = z.strictObject({ kind: z.literal("linear") });

const MODEL_SCHEMAS = [
  layersModelSchema,
  mlpModelSchema,
  lenet5ModelSchema,
  linearModelSchema,
  resnetModelSchema,
];

/** The model kinds. */
export const MODEL_KINDS = ["layers", "mlp", "lenet5", "linear", "resnet"] as const;

/**
 * A model: `{ kind: "layers", layers }` or a preset (`mlp`, `lenet5`, `linear`, `resnet`) with
 * options.
 *
 * @example
 * ```ts
 * import { modelSpecSchema } from "./presets.ts";
 * const mlp = modelSpecSchema.parse({ kind: "mlp" });
 * if (mlp.kind !== "mlp" || mlp.hidden.join() !== "800") throw new Error("defaults");
 * ```
 */
export const modelSpecSchema = z.discriminatedUnion("kind", [
  layersModelSchema,
  mlpModelSchema,
  lenet5ModelSchema,
  linearModelSchema,
  resnetModelSchema,
], {
  error: (issue) => {
    if (issue.code !== "invalid_union") return undefined;
    const kind = (issue.input as { kind?: unknown } | undefined)?.kind;
    return `expected kind to be one of ${MODEL_KINDS.join(", ")}, found ${describeValue(kind)}${
      typeof kind === "string" ? didYouMean(kind, MODEL_KINDS) : ""
    }`;
  },
});

/** A model spec after parsing: every default filled in. */
export type ModelSpec = z.output<typeof modelSpecSchema>;
/** A model spec as written. */
export type ModelSpecInput = z.input<typeof modelSpecSchema>;

/** The data's shape, as {@linkcode expandModel} needs it. */
export interface ModelShape {
  /** One example's shape, e.g. `[28, 28, 1]`. */
  input: number[];
  /** Units of the output layer, e.g. the number of classes. */
  outputs: number;
}

/**
 * Expands a model spec into its full layer list, every layer named, the output layer included:
 * for the presets, a linear dense layer named `logits` with `outputs` units (the loss applies the
 * softmax). The presets' names and layers are those of the framework's first models
 * (`hidden_1`, `dropout_1`, …, `logits`; `c1`, `s2`, `c3`, `s4`, `flatten`, `dropout_c5`, `c5`,
 * `dropout_f6`, `f6`, `logits`), so their weights, seeded by name, stay the same. The `mlp` and
 * `linear` presets start with a `flatten` layer when the input has more than one axis; the
 * `resnet` preset's names are {@linkcode resnetLayers}'s.
 *
 * @param spec The model, as written or parsed.
 * @param shape The input shape per example and the number of outputs.
 * @returns The named layers, ready for `buildModel` and `countModel`.
 * @throws {ConfigError} When the spec is invalid or does not fit the shape: LeNet-5 on a vector,
 * a `layers` list whose last layer does not end in `outputs` units.
 *
 * @example
 * ```ts
 * import { expandModel } from "./presets.ts";
 * const layers = expandModel({ kind: "mlp", hidden: [100] }, { input: [28, 28, 1], outputs: 10 });
 * const names = layers.map((layer) => layer.name).join();
 * if (names !== "flatten,hidden_1,logits") throw new Error(names);
 * ```
 */
export function expandModel(spec: ModelSpecInput | ModelSpec, shape: ModelShape): LayerSpec[] {
  const written = spec as { kind?: unknown; layers?: unknown };
  // Layer lists get parseLayers's messages, which name each layer's path and kind.
  if (written.kind === "layers" && Array.isArray(written.layers)) {
    parseLayers(written.layers, "model.layers");
  }
  const parsed = modelSpecSchema.safeParse(spec, { reportInput: true });
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((issue) => {
      // The discriminator's message names `kind` itself.
      const keys = issue.code === "invalid_union" ? issue.path.slice(0, -1) : issue.path;
      const path = keys.map((key) => typeof key === "number" ? `[${key}]` : `.${String(key)}`);
      const options = MODEL_SCHEMAS.find((schema) => schema.shape.kind.value === written.kind);
      return `model${path.join("")}: ${
        describeProblem(issue, options ? Object.keys(options.shape) : [])
      }`;
    }));
  }
  const model = parsed.data;
  const outputs = shape.outputs;
  if (!Number.isInteger(outputs) || outputs < 1) {
    throw new ConfigError([`outputs: expected an integer >= 1, found ${outputs}`]);
  }
  const logits: LayerSpec = {
    kind: "dense",
    name: "logits",
    units: outputs,
    activation: "linear",
    bias: true,
  };
  const flatten: LayerSpec[] = shape.input.length > 1 ? [{ kind: "flatten", name: "flatten" }] : [];
  let layers: LayerSpec[];
  switch (model.kind) {
    case "layers": {
      layers = nameLayers(model.layers);
      const output = countModel(shape.input, layers).output;
      if (output[output.length - 1] !== outputs) {
        throw new ConfigError([
          `model (layers): expected the last layer to output ${outputs} units (the data's outputs), found ${
            describeShape(output)
          }`,
        ]);
      }
      return layers;
    }
    case "linear":
      layers = [...flatten, logits];
      break;
    case "mlp":
      layers = [...flatten];
      model.hidden.forEach((units, i) => {
        const n = i + 1;
        if (model.batchNorm) {
          layers.push(
            { kind: "dense", name: `hidden_${n}`, units, activation: "linear", bias: false },
            {
              kind: "batchNorm",
              name: `batch_norm_${n}`,
              momentum: 0.99,
              epsilon: 0.001,
              countsRunningStatistics: true,
            },
          );
          if (model.activation !== "linear") {
            layers.push({
              kind: "activation",
              name: `activation_${n}`,
              activation: model.activation,
            });
          }
        } else {
          layers.push({
            kind: "dense",
            name: `hidden_${n}`,
            units,
            activation: model.activation,
            bias: true,
          });
        }
        if (model.dropout > 0) {
          layers.push({ kind: "dropout", name: `dropout_${n}`, rate: model.dropout });
        }
      });
      layers.push(logits);
      break;
    case "lenet5": {
      if (shape.input.length !== 3) {
        throw new ConfigError([
          `model (lenet5): expected an image input [height, width, channels], found ${
            describeShape(shape.input)
          }`,
        ]);
      }
      const conv = (name: string, filters: number, padding: "same" | "valid"): LayerSpec => ({
        kind: "conv",
        name,
        filters,
        kernel: 5,
        stride: 1,
        padding,
        activation: model.activation,
        bias: true,
        groups: 1,
      });
      const pool = (name: string): LayerSpec => ({
        kind: "pool",
        name,
        mode: model.pooling === "max" ? "max" : "avg",
        size: 2,
        stride: 2,
        padding: "valid",
        ceilMode: false,
      });
      const dense = (name: string, units: number): LayerSpec => ({
        kind: "dense",
        name,
        units,
        activation: model.activation,
        bias: true,
      });
      const dropout = (name: string): LayerSpec[] =>
        model.dropout > 0 ? [{ kind: "dropout", name, rate: model.dropout }] : [];
      layers = [
        conv("c1", 6, "same"),
        pool("s2"),
        conv("c3", 16, "valid"),
        pool("s4"),
        { kind: "flatten", name: "flatten" },
        ...dropout("dropout_c5"),
        dense("c5", 120),
        ...dropout("dropout_f6"),
        dense("f6", 84),
        logits,
      ];
      break;
    }
    case "resnet":
      if (shape.input.length !== 3) {
        throw new ConfigError([
          `model (resnet): expected an image input [height, width, channels], found ${
            describeShape(shape.input)
          }`,
        ]);
      }
      layers = [...resnetLayers(model), logits];
      break;
  }
  // Checks that the preset fits the input, naming the layer that does not.
  countModel(shape.input, layers);
  return layers;
}
