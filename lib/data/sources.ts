/**
 * Data sources as data: what an experiment trains and evaluates on, named in its settings
 * (`data: { kind: "mnist", trainSize: 5000 }`) and loaded here. Each source knows its shapes
 * before loading anything (so a model can be checked against its data before training), loads
 * deterministically (files are checksummed; generated data derives from the trial seed, or from
 * `dataSeed` when every trial must share one sample), and gives plain typed arrays that any
 * backend can take.
 *
 * @module
 */

import { z } from "zod";
import { loadMnist } from "./mnist.ts";
import { loadNames, NAME_ALPHABET, type NameSet } from "./names.ts";
import {
  addingProblemUnit,
  type Function1d,
  FUNCTIONS_1D,
  gaussianBlobs,
  sampleFunction,
  spirals,
  twoMoons,
  xor,
} from "./synthetic.ts";
import type { ClassificationSplit, RegressionSplit } from "./dataset.ts";
import { deriveSeed, permutation } from "../random/seed.ts";
import { seedSchema } from "../experiment/schema.ts";

const MNIST_TRAIN = 60_000;
const MNIST_TEST = 10_000;
const positive = z.number().int().min(1);

/** MNIST: the first `trainSize` training images, the next `validationSize`, `testSize` test images. */
const mnistSourceSchema = z.strictObject({
  kind: z.literal("mnist"),
  /** The first `trainSize` of the 60,000 training images (a deterministic subset). */
  trainSize: positive.max(MNIST_TRAIN).default(MNIST_TRAIN),
  /** Held out from the training images after the first `trainSize`: never the test set. */
  validationSize: z.number().int().min(0).max(MNIST_TRAIN).default(0),
  /** The first `testSize` of the 10,000 test images. */
  testSize: positive.max(MNIST_TEST).default(MNIST_TEST),
  /** `labels` to classify digits; `image` to reconstruct the 784 pixels (autoencoders). */
  target: z.enum(["labels", "image"]).default("labels"),
}).refine((source) => source.trainSize + source.validationSize <= MNIST_TRAIN, {
  message:
    `expected trainSize + validationSize <= ${MNIST_TRAIN} (both come from the training set)`,
  path: ["validationSize"],
});

const generated = {
  trainSize: positive,
  testSize: positive,
  /** Every trial draws the same sample from this seed; without it, each trial draws its own. */
  dataSeed: seedSchema.optional(),
};

const pointsSourceSchema = z.strictObject({
  kind: z.enum(["twoMoons", "spirals", "xor"]),
  ...generated,
  /** Standard deviation of the noise on each coordinate. */
  noise: z.number().min(0).default(0.1),
});

const blobsSourceSchema = z.strictObject({
  kind: z.literal("blobs"),
  ...generated,
  classes: z.number().int().min(2).default(3),
  /** Standard deviation of each blob. */
  std: z.number().min(0).default(1),
});

/** XOR's truth table, the four points of Goodfellow et al. 2016, §6.1: train and test alike. */
const xorTableSourceSchema = z.strictObject({
  kind: z.literal("xorTable"),
  /** `value`: a 0/1 target for a single output unit; `labels`: two classes. */
  target: z.enum(["value", "labels"]).default("value"),
});

/** y = f(x) + noise on an interval: regression, capacity, universal approximation. */
const functionSourceSchema = z.strictObject({
  kind: z.literal("function"),
  function: z.enum(Object.keys(FUNCTIONS_1D) as [Function1d, ...Function1d[]]),
  ...generated,
  domain: z.tuple([z.number(), z.number()]).default([-1, 1]),
  /** Standard deviation of the noise on each target, train and test alike. */
  noise: z.number().min(0).default(0),
});

/** The adding problem (values in [0, 1], target the sum of the two marked ones). */
const addingSourceSchema = z.strictObject({
  kind: z.literal("adding"),
  /** Steps per sequence. */
  length: z.number().int().min(2),
  ...generated,
});

/** First names as a character stream, split by name into train, validation and test. */
const namesSourceSchema = z.strictObject({
  kind: z.literal("names"),
  sets: z.array(z.enum(["male", "female"])).min(1).default(["male", "female"]),
  /** Characters per training sequence (the state resets between sequences). */
  window: z.number().int().min(2).default(16),
  validationFraction: z.number().gt(0).lt(0.5).default(0.1),
  testFraction: z.number().gt(0).lt(0.5).default(0.1),
  /** Seed of the split into train, validation and test names: the same for every trial. */
  dataSeed: seedSchema.default(1),
});

/** Any data source. */
export const dataSourceSchema = z.discriminatedUnion("kind", [
  mnistSourceSchema,
  pointsSourceSchema,
  blobsSourceSchema,
  xorTableSourceSchema,
  functionSourceSchema,
  addingSourceSchema,
  namesSourceSchema,
]);

/** A data source, as resolved. */
export type DataSource = z.output<typeof dataSourceSchema>;

/** What a model predicts: class indices (per example, or per step) or real values. */
export type TargetShape =
  | { kind: "classes"; classes: number; shape: number[] }
  | { kind: "values"; shape: number[] };

/** Shapes of one example, known before anything loads. */
export interface DataShape {
  /** Per-example input dims, e.g. `[28, 28, 1]`, `[2]`, `[100, 2]`, `[16, 28]`. */
  input: number[];
  /** Per-example target. */
  target: TargetShape;
}

/** Examples as flat typed arrays, example after example. */
export interface DataSplit {
  /** `count × product(input)` values. */
  features: Float32Array;
  /** Class indices (`count × product(target.shape)`) or values. */
  targets: Int32Array | Float32Array;
  /** Number of examples. */
  count: number;
  /** Class labels when the targets are something else (an autoencoder's images), for charts. */
  labels?: Int32Array;
}

/** A loaded source. */
export interface LoadedData {
  /** Shapes. */
  shape: DataShape;
  /** Training examples. */
  train: DataSplit;
  /** Held-out examples for model selection and early stopping; never the test set. */
  validation?: DataSplit;
  /** Test examples. */
  test: DataSplit;
  /** For character sources: the symbols, index 0 the boundary marker. */
  vocabulary?: readonly string[];
}

/** The names of the splits a source provides. */
export function splitNames(source: DataSource): ("train" | "validation" | "test")[] {
  const hasValidation = (source.kind === "mnist" && source.validationSize > 0) ||
    source.kind === "names";
  return hasValidation ? ["train", "validation", "test"] : ["train", "test"];
}

/**
 * The shapes of a source's examples, without loading it.
 *
 * @param source The source.
 * @returns Input dims and target shape.
 *
 * @example
 * ```ts
 * import { dataShape } from "./sources.ts";
 * const shape = dataShape({ kind: "adding", length: 50, trainSize: 10, testSize: 10 });
 * if (shape.input.join() !== "50,2" || shape.target.kind !== "values") throw new Error();
 * ```
 */
export function dataShape(source: DataSource): DataShape {
  switch (source.kind) {
    case "mnist":
      return {
        input: [28, 28, 1],
        target: source.target === "labels"
          ? { kind: "classes", classes: 10, shape: [] }
          : { kind: "values", shape: [784] },
      };
    case "twoMoons":
    case "spirals":
    case "xor":
      return { input: [2], target: { kind: "classes", classes: 2, shape: [] } };
    case "blobs":
      return { input: [2], target: { kind: "classes", classes: source.classes, shape: [] } };
    case "xorTable":
      return {
        input: [2],
        target: source.target === "labels"
          ? { kind: "classes", classes: 2, shape: [] }
          : { kind: "values", shape: [1] },
      };
    case "function":
      return { input: [1], target: { kind: "values", shape: [1] } };
    case "adding":
      return { input: [source.length, 2], target: { kind: "values", shape: [1] } };
    case "names":
      return {
        input: [source.window, NAME_ALPHABET.length],
        target: { kind: "classes", classes: NAME_ALPHABET.length, shape: [source.window] },
      };
  }
}

/**
 * Loads a source. Files are read once per process and checked; generated data derives from
 * `deriveSeed(dataSeed ?? seed, "data", split)`.
 *
 * @param source The source.
 * @param seed The trial's root seed.
 * @returns The splits.
 *
 * @example
 * ```ts
 * import { loadData } from "./sources.ts";
 * const data = await loadData({ kind: "xorTable", target: "value" }, 1);
 * if ([...data.train.targets].join() !== "0,1,1,0") throw new Error("not XOR");
 * ```
 */
export async function loadData(source: DataSource, seed: number): Promise<LoadedData> {
  const shape = dataShape(source);
  const dataSeed = (split: string) =>
    deriveSeed(
      "dataSeed" in source && source.dataSeed !== undefined ? source.dataSeed : seed,
      "data",
      split,
    );
  switch (source.kind) {
    case "mnist":
      return await loadMnistSource(source, shape);
    case "twoMoons":
    case "spirals":
    case "xor": {
      const make = { twoMoons, spirals, xor }[source.kind];
      return {
        shape,
        train: fromClassification(make(source.trainSize, dataSeed("train"), source)),
        test: fromClassification(make(source.testSize, dataSeed("test"), source)),
      };
    }
    case "blobs": {
      // One set of centres for both splits: the test set must come from the same blobs.
      const all = gaussianBlobs(source.trainSize + source.testSize, dataSeed("all"), source);
      return {
        shape,
        train: sliceClassification(all, 0, source.trainSize),
        test: sliceClassification(all, source.trainSize, source.testSize),
      };
    }
    case "xorTable": {
      const features = Float32Array.from([0, 0, 0, 1, 1, 0, 1, 1]);
      const targets = source.target === "labels"
        ? Int32Array.from([0, 1, 1, 0])
        : Float32Array.from([0, 1, 1, 0]);
      const split = { features, targets, count: 4 };
      return { shape, train: split, test: split };
    }
    case "function": {
      const options = { domain: source.domain, noise: source.noise };
      return {
        shape,
        train: fromRegression(
          sampleFunction(source.function, source.trainSize, dataSeed("train"), options),
        ),
        test: fromRegression(
          sampleFunction(source.function, source.testSize, dataSeed("test"), options),
        ),
      };
    }
    case "adding":
      return {
        shape,
        train: fromRegression(
          addingProblemUnit(source.trainSize, source.length, dataSeed("train")),
        ),
        test: fromRegression(addingProblemUnit(source.testSize, source.length, dataSeed("test"))),
      };
    case "names":
      return await loadNamesSource(source, shape);
  }
}

async function loadMnistSource(
  source: Extract<DataSource, { kind: "mnist" }>,
  shape: DataShape,
): Promise<LoadedData> {
  const mnist = await loadMnist();
  const pixels = mnist.rows * mnist.columns;
  const split = (images: Uint8Array, labels: Uint8Array, start: number, count: number) => {
    const features = new Float32Array(count * pixels);
    const bytes = images.subarray(start * pixels, (start + count) * pixels);
    // Division in float64 then rounding to float32 gives the same bits as float32 division for
    // every grey level (p / 255 never lies near a float32 rounding midpoint).
    for (let i = 0; i < bytes.length; i++) features[i] = bytes[i] / 255;
    const classes = Int32Array.from(labels.subarray(start, start + count));
    return source.target === "labels"
      ? { features, targets: classes, count }
      : { features, targets: features, count, labels: classes };
  };
  return {
    shape,
    train: split(mnist.train.images, mnist.train.labels, 0, source.trainSize),
    ...(source.validationSize > 0
      ? {
        validation: split(
          mnist.train.images,
          mnist.train.labels,
          source.trainSize,
          source.validationSize,
        ),
      }
      : {}),
    test: split(mnist.test.images, mnist.test.labels, 0, source.testSize),
  };
}

async function loadNamesSource(
  source: Extract<DataSource, { kind: "names" }>,
  shape: DataShape,
): Promise<LoadedData> {
  const names = await loadNames(source.sets as NameSet[]);
  const order = permutation(names.length, deriveSeed(source.dataSeed, "names", "split"));
  const validationCount = Math.round(names.length * source.validationFraction);
  const testCount = Math.round(names.length * source.testFraction);
  const pick = (from: number, to: number) =>
    Array.from(order.subarray(from, to)).sort((a, b) => a - b).map((i) => names[i]);
  const test = pick(0, testCount);
  const validation = pick(testCount, testCount + validationCount);
  const train = pick(testCount + validationCount, names.length);
  return {
    shape,
    train: characterWindows(train, source.window),
    validation: characterWindows(validation, source.window),
    test: characterWindows(test, source.window),
    vocabulary: NAME_ALPHABET,
  };
}

/**
 * Turns names into one stream `.emma.olivia.` and cuts it into windows of `window` characters:
 * the inputs are the characters one-hot, the targets the next character at every step. The last,
 * partial window is padded by repeating the boundary marker, which is easy to predict after a
 * boundary and so barely changes the measured bits per character.
 *
 * @param names Names of letters and '-'.
 * @param window Characters per window.
 * @returns A split with `count` windows.
 *
 * @example
 * ```ts
 * import { characterWindows } from "./sources.ts";
 * const split = characterWindows(["ab"], 4);
 * // stream ".ab." -> inputs ". a b ." and targets "a b . ."
 * if ([...split.targets].join() !== "2,3,0,0") throw new Error([...split.targets].join());
 * ```
 */
export function characterWindows(names: readonly string[], window: number): DataSplit {
  const indices = [0];
  for (const name of names) {
    for (const char of name) indices.push(NAME_ALPHABET.indexOf(char));
    indices.push(0);
  }
  const count = Math.ceil((indices.length - 1) / window);
  const symbols = NAME_ALPHABET.length;
  const features = new Float32Array(count * window * symbols);
  const targets = new Int32Array(count * window);
  for (let n = 0; n < count; n++) {
    for (let t = 0; t < window; t++) {
      const at = n * window + t;
      const input = indices[at] ?? 0;
      const next = indices[at + 1] ?? 0;
      features[(n * window + t) * symbols + input] = 1;
      targets[n * window + t] = next;
    }
  }
  return { features, targets, count };
}

function fromClassification(split: ClassificationSplit): DataSplit {
  return { features: split.features, targets: split.labels, count: split.count };
}

function sliceClassification(split: ClassificationSplit, start: number, count: number): DataSplit {
  const width = split.featureShape.reduce((a, b) => a * b, 1);
  return {
    features: split.features.slice(start * width, (start + count) * width),
    targets: split.labels.slice(start, start + count),
    count,
  };
}

function fromRegression(split: RegressionSplit): DataSplit {
  return { features: split.features, targets: split.targets, count: split.count };
}
