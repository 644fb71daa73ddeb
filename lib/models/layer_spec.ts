/**
 * The framework's one language for models: a list of layer specs, plain JSON-serialisable data
 * validated by zod. The same list is built into a seeded tfjs model (`build_model.ts`), counted
 * symbolically (`count_model.ts`) and checked for the kernels it needs (`model_kernels.ts`).
 *
 * Shapes are per example, without the batch axis: `[features]`, `[steps, features]` or
 * `[height, width, channels]` (channels last).
 *
 * @module
 */

import { z } from "zod";
import { ConfigError, describeValue } from "../experiment/config_error.ts";
import { didYouMean } from "../experiment/nearest.ts";
import { describeProblem } from "./_issues.ts";

/** The activations a layer can apply. */
export const ACTIVATIONS = ["linear", "relu", "tanh", "sigmoid"] as const;

/** An activation function's name. */
export const activationSchema = z.enum(ACTIVATIONS);

/** An activation function's name. */
export type Activation = z.output<typeof activationSchema>;

/** A layer's name: a lower-case identifier, unique in its model. */
export const layerNameSchema = z.string().regex(/^[a-z][a-z0-9_]*$/, {
  error: "expected a lower-case identifier (a letter, then letters, digits or _)",
});

const positiveInteger = () => z.number().int().min(1);
const nonNegativeInteger = () => z.number().int().min(0);

/** A square size or `[height, width]`. */
const kernelSchema = z.union([positiveInteger(), z.tuple([positiveInteger(), positiveInteger()])], {
  error: "expected a positive integer or [height, width] of them",
});

/**
 * `valid` adds no padding; `same` pads so that the output has `ceil(size / stride)` positions
 * (TensorFlow's rule, which may pad one more at the end than at the start); a number pads that
 * many zeros on each side, `[h, w]` differently per axis (PyTorch's `padding`).
 */
const paddingSchema = z.union([
  z.enum(["valid", "same"]),
  nonNegativeInteger(),
  z.tuple([nonNegativeInteger(), nonNegativeInteger()]),
], {
  error: `expected "valid", "same", a number of zeros per side, or [height, width] of them`,
});

/** Padding: `valid`, `same`, a number of zeros per side, or `[height, width]` of them. */
export type Padding = z.output<typeof paddingSchema>;

const named = { name: layerNameSchema.optional() };

/** A fully connected layer; on a `[steps, features]` input it applies to each step's features. */
const denseSchema = z.strictObject({
  kind: z.literal("dense"),
  ...named,
  /** Number of outputs. */
  units: positiveInteger(),
  activation: activationSchema.default("linear"),
  bias: z.boolean().default(true),
});

/** A 2-D convolution; `groups` splits the channels (AlexNet's two towers); countable only. */
const convSchema = z.strictObject({
  kind: z.literal("conv"),
  ...named,
  /** Number of output channels. */
  filters: positiveInteger(),
  kernel: kernelSchema,
  stride: positiveInteger().default(1),
  padding: paddingSchema.default("valid"),
  activation: activationSchema.default("linear"),
  bias: z.boolean().default(true),
  /** Channel groups; tfjs builds only 1, but counts of grouped models are still useful. */
  groups: positiveInteger().default(1),
});

/** A depthwise convolution: `multiplier` filters of size `kernel` per input channel. */
const depthwiseConvSchema = z.strictObject({
  kind: z.literal("depthwiseConv"),
  ...named,
  kernel: kernelSchema,
  stride: positiveInteger().default(1),
  padding: paddingSchema.default("valid"),
  multiplier: positiveInteger().default(1),
  activation: activationSchema.default("linear"),
  bias: z.boolean().default(true),
});

/** Max or average pooling of square windows; `stride` defaults to `size`. */
const poolSchema = z.strictObject({
  kind: z.literal("pool"),
  ...named,
  mode: z.enum(["max", "avg"]),
  /** Square window size. */
  size: positiveInteger(),
  /** Default: `size` (windows side by side). */
  stride: positiveInteger().optional(),
  padding: paddingSchema.default("valid"),
  /** Round the output size up, as PyTorch's `ceil_mode`; countable only. */
  ceilMode: z.boolean().default(false),
}).transform((pool) => ({ ...pool, stride: pool.stride ?? pool.size }));

/** Pools each channel (or feature, over steps) to one value. */
const globalPoolSchema = z.strictObject({
  kind: z.literal("globalPool"),
  ...named,
  mode: z.enum(["max", "avg"]),
});

/** Flattens an image or a sequence to a vector. */
const flattenSchema = z.strictObject({ kind: z.literal("flatten"), ...named });

/** Gives each example a new shape with as many elements. */
const reshapeSchema = z.strictObject({
  kind: z.literal("reshape"),
  ...named,
  shape: z.array(positiveInteger()).min(1).max(3),
});

/** Applies an activation function on its own. */
const activationLayerSchema = z.strictObject({
  kind: z.literal("activation"),
  ...named,
  activation: activationSchema,
});

/** Inverted dropout with a fresh seeded mask at every training step. */
const dropoutSchema = z.strictObject({
  kind: z.literal("dropout"),
  ...named,
  /** Fraction of units dropped during training. */
  rate: z.number().min(0).lt(1),
});

/**
 * Batch normalisation over the last axis (Ioffe & Szegedy 2015). Training uses the batch's
 * statistics and moves the running ones by `running = momentum·running + (1 − momentum)·batch`;
 * inference uses the running ones.
 */
const batchNormSchema = z.strictObject({
  kind: z.literal("batchNorm"),
  ...named,
  momentum: z.number().min(0).lt(1).default(0.99),
  epsilon: z.number().gt(0).default(0.001),
  /**
   * Count the running mean and variance as parameters, as Keras's `countParams` does (4 per
   * channel); PyTorch keeps them outside `parameters()` (2 per channel). Counting only: the built
   * layer is the same either way.
   */
  countsRunningStatistics: z.boolean().default(true),
});

/** `activation(main(x) + shortcut(x))`; an empty shortcut is the identity (ResNet). */
const residualSchema = z.strictObject({
  kind: z.literal("residual"),
  ...named,
  get main(): z.ZodArray<LayerSchema> {
    return z.array(layerSpecSchema).min(1);
  },
  get shortcut(): z.ZodDefault<z.ZodArray<LayerSchema>> {
    return z.array(layerSpecSchema).default([]);
  },
  /** Applied after the addition. */
  activation: activationSchema.default("linear"),
});

/** Parallel branches on the same input, concatenated along the last axis (Inception). */
const concatSchema = z.strictObject({
  kind: z.literal("concat"),
  ...named,
  /** Each branch is a list of layers; an empty one passes the input through (DenseNet). */
  get branches(): z.ZodArray<z.ZodArray<LayerSchema>> {
    return z.array(z.array(layerSpecSchema)).min(2);
  },
});

/** A learned vector per token: `[steps]` integer indices in [0, vocabulary) to `[steps, units]`. */
const embeddingSchema = z.strictObject({
  kind: z.literal("embedding"),
  ...named,
  vocabulary: positiveInteger(),
  units: positiveInteger(),
});

/**
 * A recurrent layer over `[steps, features]`: a simple (Elman) RNN, an LSTM or a GRU, tanh
 * activation, sigmoid gates, zero initial state.
 */
const rnnSchema = z.strictObject({
  kind: z.literal("rnn"),
  ...named,
  cell: z.enum(["simple", "lstm", "gru"]),
  units: positiveInteger(),
  /** Output every step's state (`[steps, units]`) rather than the last one (`[units]`). */
  returnSequences: z.boolean().default(false),
  /**
   * LSTM only: start the forget gate's bias at 1 rather than 0 (Gers et al. 2000; Jozefowicz et
   * al. 2015, §2.2), so that the cell state is mostly kept, and its gradient mostly passed back,
   * from the first step of training.
   */
  unitForgetBias: z.boolean().default(false),
}).superRefine((layer, context) => {
  if (layer.unitForgetBias && layer.cell !== "lstm") {
    context.addIssue({
      code: "custom",
      path: ["cell"],
      input: layer.cell,
      message: 'expected cell "lstm" with unitForgetBias (only an LSTM has a forget gate)',
    });
  }
});

/**
 * Polynomial features of a scalar: `[1]` to `[degree]`, either `x, x², …, x^degree` or the
 * Legendre polynomials `P1(x) … Pd(x)`, orthogonal on [−1, 1] where x is meant to lie. No
 * parameters.
 */
const polynomialSchema = z.strictObject({
  kind: z.literal("polynomial"),
  ...named,
  degree: positiveInteger(),
  basis: z.enum(["monomial", "legendre"]).default("legendre"),
});

/** Every layer kind's schema, by kind. */
const LAYER_SCHEMAS = {
  dense: denseSchema,
  conv: convSchema,
  depthwiseConv: depthwiseConvSchema,
  pool: poolSchema,
  globalPool: globalPoolSchema,
  flatten: flattenSchema,
  reshape: reshapeSchema,
  activation: activationLayerSchema,
  dropout: dropoutSchema,
  batchNorm: batchNormSchema,
  residual: residualSchema,
  concat: concatSchema,
  embedding: embeddingSchema,
  rnn: rnnSchema,
  polynomial: polynomialSchema,
} as const;

/** The layer kinds, in the order the documentation lists them. */
export const LAYER_KINDS = Object.keys(LAYER_SCHEMAS) as LayerKind[];

/** A layer kind's name. */
export type LayerKind = keyof typeof LAYER_SCHEMAS;

/**
 * One layer of a model, as data. Parsing fills in every default, so the output type
 * ({@linkcode LayerSpec}) has every field but `name`.
 *
 * @example
 * ```ts
 * import { layerSpecSchema } from "./layer_spec.ts";
 * const pool = layerSpecSchema.parse({ kind: "pool", mode: "max", size: 2 });
 * if (pool.kind !== "pool" || pool.stride !== 2) throw new Error("stride defaults to size");
 * ```
 */
export const layerSpecSchema = z.discriminatedUnion("kind", [
  denseSchema,
  convSchema,
  depthwiseConvSchema,
  poolSchema,
  globalPoolSchema,
  flattenSchema,
  reshapeSchema,
  activationLayerSchema,
  dropoutSchema,
  batchNormSchema,
  residualSchema,
  concatSchema,
  embeddingSchema,
  rnnSchema,
  polynomialSchema,
], {
  error: (issue) => {
    if (issue.code !== "invalid_union") return undefined;
    const kind = (issue.input as { kind?: unknown } | undefined)?.kind;
    return `expected kind to be one of ${LAYER_KINDS.join(", ")}, found ${describeValue(kind)}${
      typeof kind === "string" ? didYouMean(kind, LAYER_KINDS) : ""
    }`;
  },
});

// Keeps the written-out types below in step with the schema: a mismatch fails type checking.
const _typesMatchSchema: z.ZodType<LayerSpec, LayerSpecInput> = layerSpecSchema;

/** A fully connected layer. */
export type DenseSpec = z.output<typeof denseSchema>;
/** A 2-D convolution. */
export type ConvSpec = z.output<typeof convSchema>;
/** A depthwise convolution. */
export type DepthwiseConvSpec = z.output<typeof depthwiseConvSchema>;
/** Max or average pooling. */
export type PoolSpec = z.output<typeof poolSchema>;
/** Global max or average pooling. */
export type GlobalPoolSpec = z.output<typeof globalPoolSchema>;
/** A flatten layer. */
export type FlattenSpec = z.output<typeof flattenSchema>;
/** A reshape layer. */
export type ReshapeSpec = z.output<typeof reshapeSchema>;
/** An activation layer. */
export type ActivationSpec = z.output<typeof activationLayerSchema>;
/** A dropout layer. */
export type DropoutSpec = z.output<typeof dropoutSchema>;
/** Batch normalisation. */
export type BatchNormSpec = z.output<typeof batchNormSchema>;
/** An embedding lookup. */
export type EmbeddingSpec = z.output<typeof embeddingSchema>;
/** A recurrent layer. */
export type RnnSpec = z.output<typeof rnnSchema>;
/** Polynomial features of a scalar. */
export type PolynomialSpec = z.output<typeof polynomialSchema>;

// The two recursive kinds are written out: TypeScript cannot infer a type that contains itself.

/** A residual block, parsed. */
export interface ResidualSpec {
  /** Discriminates the layer kind. */
  kind: "residual";
  /** The block's name; also the prefix of its layers' automatic names. */
  name?: string;
  /** The main path. */
  main: LayerSpec[];
  /** The shortcut; empty for the identity. */
  shortcut: LayerSpec[];
  /** Applied after the addition. */
  activation: Activation;
}

/** Concatenated parallel branches, parsed. */
export interface ConcatSpec {
  /** Discriminates the layer kind. */
  kind: "concat";
  /** The block's name; also the prefix of its layers' automatic names. */
  name?: string;
  /** The branches, each applied to the block's input. */
  branches: LayerSpec[][];
}

/** A layer spec after parsing: every default filled in. */
export type LayerSpec =
  | DenseSpec
  | ConvSpec
  | DepthwiseConvSpec
  | PoolSpec
  | GlobalPoolSpec
  | FlattenSpec
  | ReshapeSpec
  | ActivationSpec
  | DropoutSpec
  | BatchNormSpec
  | ResidualSpec
  | ConcatSpec
  | EmbeddingSpec
  | RnnSpec
  | PolynomialSpec;

/** A layer spec as written: defaults may be left out. */
export type LayerSpecInput =
  | z.input<typeof denseSchema>
  | z.input<typeof convSchema>
  | z.input<typeof depthwiseConvSchema>
  | z.input<typeof poolSchema>
  | z.input<typeof globalPoolSchema>
  | z.input<typeof flattenSchema>
  | z.input<typeof reshapeSchema>
  | z.input<typeof activationLayerSchema>
  | z.input<typeof dropoutSchema>
  | z.input<typeof batchNormSchema>
  | {
    kind: "residual";
    name?: string;
    main: LayerSpecInput[];
    shortcut?: LayerSpecInput[];
    activation?: Activation;
  }
  | { kind: "concat"; name?: string; branches: LayerSpecInput[][] }
  | z.input<typeof embeddingSchema>
  | z.input<typeof rnnSchema>
  | z.input<typeof polynomialSchema>;

/** The schema of one layer, as the recursive kinds refer to it. */
type LayerSchema = z.ZodType<LayerSpec, LayerSpecInput>;

/**
 * Parses a list of layer specs, filling in defaults.
 *
 * @param value The layers as written (e.g. from an experiment file).
 * @param where How the list is called in messages; `layers` unless given.
 * @returns The parsed layers.
 * @throws {ConfigError} One line per problem, naming the layer's path and kind, the field, what
 * was expected and what was found, e.g. `layers[3].main[1] (conv): filters: expected an integer
 * >= 1, found 0`.
 *
 * @example
 * ```ts
 * import { parseLayers } from "./layer_spec.ts";
 * const [dense] = parseLayers([{ kind: "dense", units: 10 }]);
 * if (dense.kind !== "dense" || dense.activation !== "linear") throw new Error("no default");
 * try {
 *   parseLayers([{ kind: "dense" }]);
 *   throw new Error("accepted a dense layer without units");
 * } catch (error) {
 *   const expected = "layers[0] (dense): units: missing (expected a number)";
 *   if ((error as Error).message !== expected) throw error;
 * }
 * ```
 */
export function parseLayers(value: unknown, where = "layers"): LayerSpec[] {
  const result = z.array(layerSpecSchema).safeParse(value, { reportInput: true });
  if (result.success) return result.data;
  throw new ConfigError(result.error.issues.map((issue) => describeIssue(issue, value, where)));
}

/** One zod issue as `layers[3].main[1] (conv): filters: expected ..., found ...`. */
function describeIssue(issue: z.core.$ZodIssue, root: unknown, where: string): string {
  // Split the path into the innermost layer's slot and the field inside it, walking the value:
  // a list holds layers, a layer's main and shortcut are lists, its branches lists of lists.
  let value = root;
  let state: "list" | "layer" | "branches" | "field" = "list";
  let layerEnd = 0;
  let kind: unknown;
  issue.path.forEach((key, i) => {
    value = value !== null && typeof value === "object"
      ? (value as Record<PropertyKey, unknown>)[key]
      : undefined;
    if (state === "list" && typeof key === "number") {
      state = "layer";
      layerEnd = i + 1;
      kind = (value as { kind?: unknown } | undefined)?.kind;
    } else if (state === "layer" && (key === "main" || key === "shortcut")) {
      state = "list";
    } else if (state === "layer" && key === "branches") {
      state = "branches";
    } else if (state === "branches" && typeof key === "number") {
      state = "list";
    } else {
      state = "field";
    }
  });
  const layerPath = formatPath(where, issue.path.slice(0, layerEnd));
  const knownKind = typeof kind === "string" && kind in LAYER_SCHEMAS;
  const layer = knownKind ? `${layerPath} (${kind})` : layerPath;
  const field = issue.path.slice(layerEnd).map(String).join(".");
  // The discriminator's message names `kind` itself.
  const showField = field !== "" && !(issue.code === "invalid_union" && field === "kind");
  return `${layer}: ${showField ? `${field}: ` : ""}${
    describeProblem(issue, knownKind ? validKeys(kind as LayerKind) : [])
  }`;
}

function validKeys(kind: LayerKind): string[] {
  const schema = LAYER_SCHEMAS[kind] as unknown as z.ZodType;
  const def = (schema as unknown as { _zod: { def: { type: string; in?: unknown } } })._zod.def;
  const object = (def.type === "pipe" ? def.in : schema) as z.ZodObject;
  return Object.keys(object.shape);
}

/**
 * Formats a layer's path for messages: `layers[3].main[1]`.
 *
 * @param where The list's name, e.g. `layers`.
 * @param path Keys and indices below it.
 * @returns The path as text.
 */
function formatPath(where: string, path: readonly PropertyKey[]): string {
  return path.reduce<string>(
    (text, key) => typeof key === "number" ? `${text}[${key}]` : `${text}.${String(key)}`,
    where,
  );
}

/** The part of a layer's automatic name that names its kind: `depthwiseConv` → `depthwise_conv`. */
function kindName(kind: LayerKind): string {
  return kind.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);
}

/**
 * Gives every layer a name, nested ones included, and checks that the names are unique. A layer
 * keeps the name its spec gives; otherwise it is named after its kind and position: `dense_3`
 * for `layers[3]`, `residual_2_main_0_conv` for `layers[2].main[0]`,
 * `concat_5_branch_1_0_pool` for `layers[5].branches[1][0]`. Positions count from 0, as in
 * messages, and the names stay the same as long as the layers before them do.
 *
 * @param layers The parsed layers.
 * @param where How the list is called in messages; `layers` unless given.
 * @returns A copy with every `name` filled in.
 * @throws {ConfigError} When two layers share a name or one is called `input` (the model's input).
 *
 * @example
 * ```ts
 * import { nameLayers, parseLayers } from "./layer_spec.ts";
 * const named = nameLayers(parseLayers([
 *   { kind: "conv", filters: 4, kernel: 3 },
 *   { kind: "residual", main: [{ kind: "conv", filters: 4, kernel: 3, padding: "same" }] },
 * ]));
 * const residual = named[1];
 * if (named[0].name !== "conv_0" || residual.kind !== "residual") throw new Error("names");
 * if (residual.main[0].name !== "residual_1_main_0_conv") throw new Error(residual.main[0].name);
 * ```
 */
export function nameLayers(layers: readonly LayerSpec[], where = "layers"): LayerSpec[] {
  const owners = new Map<string, string>([["input", "the model's input"]]);
  const visit = (list: readonly LayerSpec[], path: string, prefix: string): LayerSpec[] =>
    list.map((layer, index) => {
      const name = layer.name ?? `${prefix}${index}_${kindName(layer.kind)}`;
      const here = `${path}[${index}] (${layer.kind})`;
      const owner = owners.get(name);
      if (owner !== undefined) {
        throw new ConfigError([
          `${here}: expected a unique name, found ${
            JSON.stringify(name)
          }, already used by ${owner}`,
        ]);
      }
      owners.set(name, here);
      if (layer.kind === "residual") {
        return {
          ...layer,
          name,
          main: visit(layer.main, `${path}[${index}].main`, `${name}_main_`),
          shortcut: visit(layer.shortcut, `${path}[${index}].shortcut`, `${name}_shortcut_`),
        };
      }
      if (layer.kind === "concat") {
        return {
          ...layer,
          name,
          branches: layer.branches.map((branch, b) =>
            visit(branch, `${path}[${index}].branches[${b}]`, `${name}_branch_${b}_`)
          ),
        };
      }
      return { ...layer, name };
    });
  // Top-level automatic names put the kind first: `dense_3`, not `3_dense`.
  const topLevel = layers.map((layer, index) =>
    layer.name === undefined ? { ...layer, name: `${kindName(layer.kind)}_${index}` } : layer
  );
  return visit(topLevel, where, "");
}
