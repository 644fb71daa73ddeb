import assert from "node:assert/strict";
import type { LoadedData } from "../lib/data/sources.ts";
import type { ProbeContext } from "../lib/probes/probe.ts";
import { pcaBaseline, principalSubspace, project } from "../lib/probes/pca_baseline.ts";
import { createRng } from "../lib/random/seed.ts";

/** `count` random 2×2 images with grey levels byte / 255, pixels 3 and 4 tied to 1 and 2. */
function images(count: number, seed: number): Float32Array {
  const rng = createRng(seed);
  const values = new Float32Array(count * 4);
  for (let n = 0; n < count; n++) {
    const a = Math.floor(rng() * 128);
    const b = Math.floor(rng() * 64);
    // Two independent directions: (1, 0, 1, 0)·a and (0, 1, 0, 2)·b, plus a little noise.
    const noise = () => Math.floor(rng() * 3);
    const bytes = [a + noise(), b + noise(), a + noise(), 2 * b + noise()];
    bytes.forEach((byte, p) => (values[n * 4 + p] = byte / 255));
  }
  return values;
}

const context = (train: Float32Array, test: Float32Array, labels?: Int32Array) =>
  ({
    data: {
      shape: { input: [2, 2, 1], target: { kind: "values", shape: [4] } },
      train: { features: train, targets: train, count: train.length / 4 },
      test: { features: test, targets: test, count: test.length / 4, labels },
    } as LoadedData,
    shape: { input: [2, 2, 1], target: { kind: "values", shape: [4] } },
  }) as unknown as ProbeContext;

Deno.test("principalSubspace keeps all of the variance with every component: exact reconstructions", () => {
  const train = images(200, 1);
  const subspace = principalSubspace({ features: train, targets: train, count: 200 }, 4, 4);
  const { reconstructions } = project(subspace, train, 200);
  reconstructions.forEach((value, i) => assert.ok(Math.abs(value - train[i]) < 1e-12));
});

Deno.test("pcaBaseline's training error is the discarded variance: (n − 1)/n · Σ λ_j / pixels", async () => {
  const train = images(300, 2);
  const test = images(100, 3);
  for (const components of [1, 2, 3]) {
    const probe = pcaBaseline.schema.parse({ kind: "pcaBaseline", components });
    const { final } = await pcaBaseline.run(probe, context(train, test));
    const { eigenvalues } = principalSubspace(
      { features: train, targets: train, count: 300 },
      4,
      components,
    );
    let discarded = 0;
    for (let j = components; j < 4; j++) discarded += eigenvalues[j];
    // The sample covariance divides by n − 1; the mean squared error by n and by 4 pixels.
    const expected = (299 / 300) * discarded / 4;
    // The pixels are float32 roundings of byte / 255: agreement to their precision.
    assert.ok(
      Math.abs(final.pcaTrainMse - expected) < 1e-6 * expected,
      `${final.pcaTrainMse} against ${expected}`,
    );
    assert.ok(final.pcaTestMse > 0);
  }
});

Deno.test("pcaBaseline with two components finds the two directions the data lie on", async () => {
  // Every pair (a, b) once: a and b are uncorrelated, so the directions are exactly
  // (1, 0, 1, 0)/√2 with variance 2·var(a) and (0, 1, 0, 2)/√5 with 5·var(b), a smaller one.
  const train = new Float32Array(256 * 4);
  for (let i = 0; i < 16; i++) {
    for (let j = 0; j < 16; j++) {
      const [a, b] = [8 * i, 4 * j];
      [a, b, a, 2 * b].forEach((byte, p) => (train[(16 * i + j) * 4 + p] = byte / 255));
    }
  }
  const { directions, eigenvalues } = principalSubspace(
    { features: train, targets: train, count: 256 },
    4,
    2,
  );
  // Sample variance of step·i, i = 0…15 sixteen times each: step² · (16² − 1)/12 · 256/255.
  const variance = (step: number) => (step / 255) ** 2 * (255 / 12) * (256 / 255);
  const near = (x: number, y: number) => Math.abs(x - y) < 1e-9;
  assert.ok(near(eigenvalues[0], 2 * variance(8)), String(eigenvalues[0]));
  assert.ok(near(eigenvalues[1], 5 * variance(4)), String(eigenvalues[1]));
  assert.ok(near(eigenvalues[2], 0) && near(eigenvalues[3], 0));
  const first = Array.from(directions.subarray(0, 4)).map(Math.abs);
  const second = Array.from(directions.subarray(4, 8)).map(Math.abs);
  [Math.SQRT1_2, 0, Math.SQRT1_2, 0].forEach((v, i) => assert.ok(near(first[i], v)));
  [0, 1 / Math.sqrt(5), 0, 2 / Math.sqrt(5)].forEach((v, i) => assert.ok(near(second[i], v)));
  // Codes and charts: the scatter has one point per test image, coloured by label.
  const labels = Int32Array.from({ length: 50 }, (_, i) => i % 3);
  const probe = pcaBaseline.schema.parse({ kind: "pcaBaseline", components: 2, examples: 4 });
  const { artifacts } = await pcaBaseline.run(probe, context(train, images(50, 5), labels));
  const scatter = artifacts.pcaCodes;
  assert.ok(scatter.kind === "scatter" && scatter.points.length === 50);
  assert.deepEqual(scatter.groupOrder, ["0", "1", "2"]);
  const grid = artifacts.pcaReconstructions;
  assert.ok(grid.kind === "imageGrid" && grid.images.length === 8);
});

Deno.test("pcaBaseline rejects inputs that are not grey levels and data that is not an autoencoder's", () => {
  const bad = Float32Array.of(0.5, 0, 0, 0, 0, 0, 0, 0);
  assert.throws(
    () => principalSubspace({ features: bad, targets: bad, count: 2 }, 4, 1),
    { name: "RangeError", message: "Expected grey levels byte / 255 but found 0.5 at index 0" },
  );
  const problems = pcaBaseline.check(
    pcaBaseline.schema.parse({ kind: "pcaBaseline" }),
    { input: [28, 28, 1], target: { kind: "classes", classes: 10, shape: [] } },
    [],
  );
  assert.deepEqual(problems, [
    "probes: pcaBaseline needs an image input with the image as target (an autoencoder)",
  ]);
});
