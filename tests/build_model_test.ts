import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { buildModel } from "../lib/models/build_model.ts";
import { orthogonalMatrix } from "../lib/models/_seeded_orthogonal.ts";
import type { LayerSpecInput } from "../lib/models/layer_spec.ts";
import { SeededDropout } from "../lib/models/seeded_dropout.ts";
import { createRng, deriveSeed } from "../lib/random/seed.ts";
import { ALL_BACKENDS, backendTestOptions, OPEN_RESOURCES, useBackend } from "./_backends.ts";

/** A model with every kind of initialised weight. */
const IMAGE_MODEL: LayerSpecInput[] = [
  { kind: "conv", filters: 4, kernel: 3, padding: 1, activation: "relu" },
  { kind: "depthwiseConv", kernel: 3, multiplier: 2 },
  { kind: "batchNorm" },
  { kind: "pool", mode: "max", size: 2 },
  {
    kind: "residual",
    main: [{ kind: "conv", filters: 8, kernel: 3, padding: "same" }],
    activation: "relu",
  },
  { kind: "flatten" },
  { kind: "dropout", rate: 0.5 },
  { kind: "dense", units: 3 },
];
const SEQUENCE_MODEL: LayerSpecInput[] = [
  { kind: "embedding", vocabulary: 20, units: 4 },
  { kind: "rnn", cell: "lstm", units: 5, returnSequences: true },
  { kind: "rnn", cell: "gru", units: 3, returnSequences: true },
  { kind: "rnn", cell: "simple", units: 2 },
  { kind: "dense", units: 2 },
];

/** Every weight of a model, by its name within the model (`conv_0/kernel`), as raw bytes. */
function weightBytes(model: tf.LayersModel): Map<string, Uint8Array> {
  return new Map(
    model.weights.map((weight) => [
      weight.originalName,
      new Uint8Array((weight.read().dataSync() as Float32Array).slice().buffer),
    ]),
  );
}

function close(found: ArrayLike<number>, expected: ArrayLike<number>, what: string) {
  assert.equal(found.length, expected.length, `${what}: length`);
  let scale = 0;
  let error = 0;
  for (let i = 0; i < expected.length; i++) {
    scale = Math.max(scale, Math.abs(expected[i]));
    error = Math.max(error, Math.abs(found[i] - expected[i]));
  }
  assert.ok(error / Math.max(scale, 1e-30) < 1e-4, `${what}: relative error ${error / scale}`);
}

Deno.test("buildModel names the layers as the specs and nameLayers say", async () => {
  await useBackend("cpu");
  const model = buildModel([6, 6, 2], IMAGE_MODEL, 1);
  assert.deepEqual(model.layers.map((layer) => layer.name), [
    "input",
    "conv_0_padding",
    "conv_0",
    "depthwise_conv_1",
    "batch_norm_2",
    "pool_3",
    "residual_4_main_0_conv",
    "residual_4",
    "residual_4_activation",
    "flatten_5",
    "dropout_6",
    "dense_7",
  ]);
  assert.deepEqual(model.inputs[0].shape, [null, 6, 6, 2]);
  // A numeric padding is a zero-padding layer, then a "valid" convolution with the activation.
  const conv = model.getLayer("conv_0").getConfig();
  assert.equal(conv.padding, "valid");
  assert.equal(conv.activation, "relu");
  assert.deepEqual(model.getLayer("conv_0_padding").getConfig().padding, [[1, 1], [1, 1]]);
  assert.ok(model.getLayer("dropout_6") instanceof SeededDropout);
  model.dispose();
});

Deno.test("buildModel is deterministic per seed: same seed same weights, another seed others", async () => {
  await useBackend("cpu");
  for (const [input, layers] of [[[6, 6, 2], IMAGE_MODEL], [[7], SEQUENCE_MODEL]] as const) {
    const builds = [1, 1, 2].map((seed) => buildModel(input, layers, seed));
    const [first, again, other] = builds.map(weightBytes);
    assert.deepEqual([...again.keys()], [...first.keys()]);
    for (const [name, bytes] of first) {
      assert.deepEqual(again.get(name), bytes, `${name}: same seed`);
      // Random weights change with the seed; constant ones (biases, batch norm) do not.
      const random = /kernel|embeddings/.test(name);
      const same = bytes.every((byte, i) => byte === other.get(name)![i]);
      assert.equal(same, !random, `${name}: another seed`);
    }
    builds.forEach((model) => model.dispose());
  }
});

Deno.test("buildModel seeds each layer from the root seed and its name alone", async () => {
  await useBackend("cpu");
  const alone = buildModel([4], [{ kind: "dense", name: "x", units: 3 }], 5);
  const after = buildModel([4], [
    { kind: "dropout", rate: 0.1 },
    { kind: "dense", name: "x", units: 3 },
  ], 5);
  assert.deepEqual(weightBytes(after).get("x/kernel"), weightBytes(alone).get("x/kernel"));
  // The rule itself: Glorot uniform seeded with deriveSeed(seed, "init", name).
  const reference = tf.initializers.glorotUniform({ seed: deriveSeed(5, "init", "x") })
    .apply([4, 3]);
  assert.deepEqual(
    weightBytes(alone).get("x/kernel"),
    new Uint8Array((reference.dataSync() as Float32Array).slice().buffer),
  );
  tf.dispose([reference]);
  alone.dispose();
  after.dispose();
});

Deno.test("buildModel initialises recurrent kernels orthogonal, the rest as documented", async () => {
  await useBackend("cpu");
  const model = buildModel([7], SEQUENCE_MODEL, 3);
  const values = (name: string) => model.weights.find((w) => w.originalName === name)!.read();
  for (
    const [layer, units, gates] of [["rnn_1", 5, 4], ["rnn_2", 3, 3], ["rnn_3", 2, 1]] as const
  ) {
    // [units, gates·units]: orthonormal rows, U·Uᵀ = I.
    const kernel = values(`${layer}/recurrent_kernel`) as tf.Tensor2D;
    const gram = tf.matMul(kernel, kernel, false, true);
    close(gram.dataSync(), tf.eye(units).dataSync(), `${layer} U·Uᵀ`);
    close(
      kernel.dataSync(),
      orthogonalMatrix(units, gates * units, deriveSeed(3, "init", layer, "recurrent")),
      `${layer} seed`,
    );
    assert.ok(values(`${layer}/bias`).dataSync().every((v) => v === 0), `${layer} bias`);
    gram.dispose();
  }
  const embeddings = values("embedding_0/embeddings").dataSync();
  assert.ok(embeddings.every((v) => Math.abs(v) <= 0.05) && embeddings.some((v) => v !== 0));
  model.dispose();

  // unitForgetBias: the LSTM's gates are [input, forget, cell, output], so ones in the second
  // quarter of the bias and zeros elsewhere; the kernels are those of the same seed without it.
  const forget = buildModel(
    [7, 3],
    [{ kind: "rnn", cell: "lstm", units: 2, unitForgetBias: true }],
    3,
  );
  const plain = buildModel([7, 3], [{ kind: "rnn", cell: "lstm", units: 2 }], 3);
  assert.deepEqual([...forget.getLayer("rnn_0").getWeights()[2].dataSync()], [
    0,
    0,
    1,
    1,
    0,
    0,
    0,
    0,
  ]);
  for (const index of [0, 1]) {
    assert.deepEqual(
      forget.getLayer("rnn_0").getWeights()[index].dataSync(),
      plain.getLayer("rnn_0").getWeights()[index].dataSync(),
    );
  }
  forget.dispose();
  plain.dispose();

  const normed = buildModel([3], [{ kind: "batchNorm" }], 1);
  assert.deepEqual(
    normed.getLayer("batch_norm_0").getWeights().map((w) => [...w.dataSync()]),
    [[1, 1, 1], [0, 0, 0], [0, 0, 0], [1, 1, 1]],
  );
  normed.dispose();
});

Deno.test("orthogonalMatrix has orthonormal columns when tall and rows when wide", () => {
  for (const [rows, columns] of [[6, 3], [3, 6], [4, 4]]) {
    const q = orthogonalMatrix(rows, columns, 9);
    const short = Math.min(rows, columns);
    for (let a = 0; a < short; a++) {
      for (let b = 0; b < short; b++) {
        let dot = 0;
        for (let k = 0; k < Math.max(rows, columns); k++) {
          dot += rows >= columns
            ? q[k * columns + a] * q[k * columns + b]
            : q[a * columns + k] * q[b * columns + k];
        }
        assert.ok(Math.abs(dot - (a === b ? 1 : 0)) < 1e-12, `${rows}x${columns} (${a}, ${b})`);
      }
    }
  }
});

Deno.test("buildModel leaks no tensors: build then dispose", async () => {
  await useBackend("cpu");
  const before = tf.memory().numTensors;
  buildModel([6, 6, 2], IMAGE_MODEL, 1).dispose();
  buildModel([7], SEQUENCE_MODEL, 1).dispose();
  assert.equal(tf.memory().numTensors, before);
});

Deno.test("buildModel rejects what tfjs cannot build, naming the layer, before any tensor", async () => {
  await useBackend("cpu");
  const before = tf.memory().numTensors;
  const rejects = (layers: LayerSpecInput[], message: string) =>
    assert.throws(() => buildModel([8, 8, 4], layers, 1), { name: "ConfigError", message });
  rejects(
    [{ kind: "conv", filters: 4, kernel: 1 }, {
      kind: "residual",
      main: [{ kind: "batchNorm" }, { kind: "conv", filters: 4, kernel: 3, padding: 1, groups: 2 }],
    }],
    "layers[1].main[1] (conv): expected groups 1, found 2: tfjs has no grouped convolution, so such a model can be counted but not built",
  );
  rejects(
    [{ kind: "pool", mode: "max", size: 3, stride: 2, ceilMode: true }],
    "layers[0] (pool): expected ceilMode false: tfjs pooling always rounds the output size down, so such a model can be counted but not built",
  );
  rejects(
    [{
      kind: "concat",
      branches: [[], [{ kind: "pool", mode: "avg", size: 3, stride: 1, padding: 1 }]],
    }],
    'layers[0].branches[1][0] (pool): expected padding "valid" or "same", found 1: tfjs cannot pad a pooling with a given number of cells, so such a model can be counted but not built',
  );
  // Shape and spec errors come first, from counting and parsing.
  rejects(
    [{ kind: "conv", filters: 4, kernel: 3 }, { kind: "dense", units: 10 }],
    "layers[1] (dense): expected a [features] or [steps, features] input (add a flatten or globalPool layer before it), found [6, 6, 4] (an image)",
  );
  rejects(
    [{ kind: "convolution", filters: 4 } as unknown as LayerSpecInput],
    'layers[0]: expected kind to be one of dense, conv, depthwiseConv, pool, globalPool, flatten, reshape, activation, dropout, batchNorm, residual, concat, embedding, rnn, polynomial, found "convolution" (a string)',
  );
  rejects(
    [{ kind: "rnn", cell: "gru", units: 2, unitForgetBias: true }],
    'layers[0] (rnn): cell: expected cell "lstm" with unitForgetBias (only an LSTM has a forget gate), found "gru" (a string)',
  );
  assert.throws(() => buildModel([4], [{ kind: "dense", units: 2 }], 1.5), {
    message: "Expected root seed to be an integer in [0, 2^32) but found 1.5",
  });
  assert.equal(tf.memory().numTensors, before);
});

// Hand-computed cases, on every backend the framework may select.

/** Small fixed values, rounded to float32 so that the float64 references see the same. */
function fixedValues(count: number, seed: number, scale = 1): number[] {
  const rng = createRng(seed);
  return Array.from({ length: count }, () => Math.fround(scale * (2 * rng() - 1)));
}

/** Sets a layer's weights from flat arrays. */
function setWeights(model: tf.LayersModel, name: string, values: number[][]) {
  const layer = model.getLayer(name);
  const tensors = layer.getWeights().map((w, i) => tf.tensor(values[i], w.shape));
  layer.setWeights(tensors);
  tf.dispose(tensors);
}

/** x·W + b for one row x, W row-major [x.length, units]. */
function affine(x: number[], w: number[], b: number[]): number[] {
  return b.map((bias, j) => x.reduce((sum, xi, i) => sum + xi * w[i * b.length + j], bias));
}

const relu = (v: number[]) => v.map((x) => Math.max(0, x));

/** A NHWC convolution of one image with symmetric zero padding, float64. */
function conv2d(
  image: number[],
  [height, width, channels]: number[],
  kernel: number[],
  [kernelSize, filters]: number[],
  stride: number,
  pad: number,
): { values: number[]; shape: number[] } {
  const outHeight = Math.floor((height + 2 * pad - kernelSize) / stride) + 1;
  const outWidth = Math.floor((width + 2 * pad - kernelSize) / stride) + 1;
  const values: number[] = [];
  for (let r = 0; r < outHeight; r++) {
    for (let c = 0; c < outWidth; c++) {
      for (let f = 0; f < filters; f++) {
        let sum = 0;
        for (let i = 0; i < kernelSize; i++) {
          for (let j = 0; j < kernelSize; j++) {
            const y = r * stride + i - pad;
            const x = c * stride + j - pad;
            if (y < 0 || y >= height || x < 0 || x >= width) continue;
            for (let d = 0; d < channels; d++) {
              sum += image[(y * width + x) * channels + d] *
                kernel[((i * kernelSize + j) * channels + d) * filters + f];
            }
          }
        }
        values.push(sum);
      }
    }
  }
  return { values, shape: [outHeight, outWidth, filters] };
}

for (const backend of ALL_BACKENDS) {
  Deno.test(
    `buildModel's residual block adds an identity shortcut on ${backend}`,
    backendTestOptions(backend),
    async () => {
      await useBackend(backend);
      const model = buildModel([3], [{
        kind: "residual",
        main: [{ kind: "dense", units: 3, activation: "relu" }, { kind: "dense", units: 3 }],
        activation: "relu",
      }], 1);
      const [w1, b1, w2, b2] = [9, 3, 9, 3].map((n, i) => fixedValues(n, 10 + i));
      setWeights(model, "residual_0_main_0_dense", [w1, b1]);
      setWeights(model, "residual_0_main_1_dense", [w2, b2]);
      const xs = [fixedValues(3, 20, 2), fixedValues(3, 21, 2)];
      const x = tf.tensor2d(xs);
      const y = model.predict(x) as tf.Tensor;
      // relu(main(x) + x)
      const expected = xs.flatMap((row) =>
        relu(affine(relu(affine(row, w1, b1)), w2, b2).map((v, i) => v + row[i]))
      );
      close(await y.data(), expected, "output");
      tf.dispose([x, y]);
      model.dispose();
    },
  );

  Deno.test(
    `buildModel's residual block adds a strided projection shortcut on ${backend}`,
    backendTestOptions(backend),
    async () => {
      await useBackend(backend);
      const model = buildModel([4, 4, 2], [{
        kind: "residual",
        main: [{ kind: "conv", filters: 3, kernel: 3, stride: 2, padding: 1, activation: "relu" }],
        shortcut: [{ kind: "conv", filters: 3, kernel: 1, stride: 2, bias: false }],
      }], 1);
      const mainKernel = fixedValues(3 * 3 * 2 * 3, 30);
      const mainBias = fixedValues(3, 31);
      const projection = fixedValues(2 * 3, 32);
      setWeights(model, "residual_0_main_0_conv", [mainKernel, mainBias]);
      setWeights(model, "residual_0_shortcut_0_conv", [projection]);
      const image = fixedValues(4 * 4 * 2, 33, 2);
      const x = tf.tensor4d(image, [1, 4, 4, 2]);
      const y = model.predict(x) as tf.Tensor;
      const main = conv2d(image, [4, 4, 2], mainKernel, [3, 3], 2, 1);
      const shortcut = conv2d(image, [4, 4, 2], projection, [1, 3], 2, 0);
      assert.deepEqual(y.shape, [1, ...main.shape]);
      const expected = main.values.map((v, i) =>
        Math.max(0, v + mainBias[i % 3]) + shortcut.values[i]
      );
      close(await y.data(), expected, "output");
      tf.dispose([x, y]);
      model.dispose();
    },
  );

  Deno.test(
    `buildModel's batch norm uses batch statistics in training, moving ones after, on ${backend}`,
    backendTestOptions(backend),
    async () => {
      await useBackend(backend);
      const momentum = 0.9;
      const epsilon = 1e-3;
      const model = buildModel([2, 2, 3], [{ kind: "batchNorm", momentum, epsilon }], 1);
      const gamma = [1.5, 0.5, 2];
      const beta = [0.1, -0.2, 0.3];
      const movingMean = [0.5, -0.5, 0];
      const movingVariance = [2, 0.5, 1];
      setWeights(model, "batch_norm_0", [gamma, beta, movingMean, movingVariance]);
      const values = fixedValues(2 * 2 * 2 * 3, 40, 3);
      const x = tf.tensor4d(values, [2, 2, 2, 3]);
      // Statistics per channel over the batch and both spatial axes (8 values each), biased.
      const channel = (c: number) => values.filter((_, i) => i % 3 === c);
      const mean = [0, 1, 2].map((c) => channel(c).reduce((a, b) => a + b) / 8);
      const variance = [0, 1, 2].map((c) =>
        channel(c).reduce((a, b) => a + (b - mean[c]) ** 2, 0) / 8
      );
      const normalise = (m: number[], v: number[]) =>
        values.map((value, i) => {
          const c = i % 3;
          return gamma[c] * (value - m[c]) / Math.sqrt(v[c] + epsilon) + beta[c];
        });

      const training = model.apply(x, { training: true }) as tf.Tensor;
      close(await training.data(), normalise(mean, variance), "training output");
      const updatedMean = movingMean.map((m, c) => momentum * m + (1 - momentum) * mean[c]);
      const updatedVariance = movingVariance.map((v, c) =>
        momentum * v + (1 - momentum) * variance[c]
      );
      const [, , newMean, newVariance] = model.getLayer("batch_norm_0").getWeights();
      close(await newMean.data(), updatedMean, "moving mean");
      close(await newVariance.data(), updatedVariance, "moving variance");

      const inference = model.apply(x, { training: false }) as tf.Tensor;
      close(await inference.data(), normalise(updatedMean, updatedVariance), "inference output");
      tf.dispose([x, training, inference]);
      model.dispose();
    },
  );
}

Deno.test(
  "buildModel's dropout draws a seeded mask per training call",
  OPEN_RESOURCES,
  async () => {
    await useBackend("cpu");
    const outputs = async (seed: number) => {
      const model = buildModel([64], [{ kind: "dropout", name: "drop", rate: 0.5 }], seed);
      const x = tf.ones([1, 64]);
      const results = [];
      for (const training of [true, true, false]) {
        const y = model.apply(x, { training }) as tf.Tensor;
        results.push([...await y.data()]);
        y.dispose();
      }
      x.dispose();
      model.dispose();
      return results;
    };
    const [first, second, inference] = await outputs(4);
    assert.notDeepEqual(first, second, "a new mask at every call");
    assert.ok(first.every((v) => v === 0 || v === 2));
    assert.deepEqual(inference, new Array(64).fill(1));
    assert.deepEqual(await outputs(4), [first, second, inference], "same seed, same masks");
  },
);
