import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { buildModel } from "../lib/models/build_model.ts";
import { createClassifierModel } from "../lib/models/classifier_model.ts";
import { countModel } from "../lib/models/count_model.ts";
import { expandModel, MODEL_KINDS, modelSpecSchema } from "../lib/models/presets.ts";
import { createRng } from "../lib/random/seed.ts";
import {
  createLegacyClassifierModel,
  type LegacyClassifierModelSpec,
} from "./_legacy_classifier_model.ts";
import { ALL_BACKENDS, backendTestOptions, useBackend } from "./_backends.ts";

const MNIST = { input: [28, 28, 1], outputs: 10 };

Deno.test("modelSpecSchema fills in the presets' defaults", () => {
  assert.deepEqual(modelSpecSchema.parse({ kind: "mlp" }), {
    kind: "mlp",
    hidden: [800],
    activation: "relu",
    dropout: 0,
    batchNorm: false,
  });
  assert.deepEqual(modelSpecSchema.parse({ kind: "lenet5" }), {
    kind: "lenet5",
    activation: "relu",
    pooling: "max",
    dropout: 0,
  });
  assert.deepEqual(modelSpecSchema.parse({ kind: "linear" }), { kind: "linear" });
  const layers = modelSpecSchema.parse({ kind: "layers", layers: [{ kind: "dense", units: 2 }] });
  assert.deepEqual(layers, {
    kind: "layers",
    layers: [{ kind: "dense", units: 2, activation: "linear", bias: true }],
  });
});

Deno.test("expandModel gives the mlp preset's named layers, flattening images first", () => {
  const layers = expandModel({ kind: "mlp", hidden: [100, 50], dropout: 0.5 }, MNIST);
  assert.deepEqual(layers, [
    { kind: "flatten", name: "flatten" },
    { kind: "dense", name: "hidden_1", units: 100, activation: "relu", bias: true },
    { kind: "dropout", name: "dropout_1", rate: 0.5 },
    { kind: "dense", name: "hidden_2", units: 50, activation: "relu", bias: true },
    { kind: "dropout", name: "dropout_2", rate: 0.5 },
    { kind: "dense", name: "logits", units: 10, activation: "linear", bias: true },
  ]);
  // A flat input needs no flatten.
  assert.deepEqual(
    expandModel({ kind: "mlp", hidden: [] }, { input: [784], outputs: 10 }).map((l) => l.name),
    ["logits"],
  );
});

Deno.test("expandModel puts an mlp's batch norm between a bias-free dense and its activation", () => {
  const layers = expandModel({ kind: "mlp", hidden: [32], batchNorm: true, dropout: 0.1 }, {
    input: [20],
    outputs: 3,
  });
  assert.deepEqual(layers, [
    { kind: "dense", name: "hidden_1", units: 32, activation: "linear", bias: false },
    {
      kind: "batchNorm",
      name: "batch_norm_1",
      momentum: 0.99,
      epsilon: 0.001,
      countsRunningStatistics: true,
    },
    { kind: "activation", name: "activation_1", activation: "relu" },
    { kind: "dropout", name: "dropout_1", rate: 0.1 },
    { kind: "dense", name: "logits", units: 3, activation: "linear", bias: true },
  ]);
  // 20·32 weights, 4·32 for batch norm (Keras counts its running statistics), 33·3 for logits.
  assert.equal(countModel([20], layers).parameters, 20 * 32 + 4 * 32 + 33 * 3);
});

Deno.test("expandModel gives LeNet-5's named layers", () => {
  const layers = expandModel({ kind: "lenet5", pooling: "average", dropout: 0.2 }, MNIST);
  const conv = { kind: "conv", kernel: 5, stride: 1, activation: "relu", bias: true, groups: 1 };
  const pool = { kind: "pool", mode: "avg", size: 2, stride: 2, padding: "valid", ceilMode: false };
  assert.deepEqual(layers, [
    { ...conv, name: "c1", filters: 6, padding: "same" },
    { ...pool, name: "s2" },
    { ...conv, name: "c3", filters: 16, padding: "valid" },
    { ...pool, name: "s4" },
    { kind: "flatten", name: "flatten" },
    { kind: "dropout", name: "dropout_c5", rate: 0.2 },
    { kind: "dense", name: "c5", units: 120, activation: "relu", bias: true },
    { kind: "dropout", name: "dropout_f6", rate: 0.2 },
    { kind: "dense", name: "f6", units: 84, activation: "relu", bias: true },
    { kind: "dense", name: "logits", units: 10, activation: "linear", bias: true },
  ]);
  assert.equal(countModel(MNIST.input, layers).parameters, 61_706);
});

Deno.test("expandModel gives the linear preset: logistic regression on the flattened input", () => {
  assert.deepEqual(expandModel({ kind: "linear" }, MNIST).map((l) => l.name), [
    "flatten",
    "logits",
  ]);
  assert.equal(countModel(MNIST.input, expandModel({ kind: "linear" }, MNIST)).parameters, 7850);
});

Deno.test("expandModel names a layers model's layers and checks its outputs", () => {
  const layers = expandModel({
    kind: "layers",
    layers: [{ kind: "flatten" }, { kind: "dense", units: 32, activation: "relu" }, {
      kind: "dense",
      name: "out",
      units: 10,
    }],
  }, MNIST);
  assert.deepEqual(layers.map((layer) => layer.name), ["flatten_0", "dense_1", "out"]);
  assert.throws(
    () =>
      expandModel(
        { kind: "layers", layers: [{ kind: "flatten" }, { kind: "dense", units: 3 }] },
        MNIST,
      ),
    {
      name: "ConfigError",
      message:
        "model (layers): expected the last layer to output 10 units (the data's outputs), found [3] (a vector)",
    },
  );
  assert.throws(
    () => expandModel({ kind: "layers", layers: [{ kind: "dense", units: 10 }] }, MNIST),
    {
      name: "ConfigError",
      message:
        "layers[0] (dense): expected a [features] or [steps, features] input (add a flatten or globalPool layer before it), found [28, 28, 1] (an image)",
    },
  );
  assert.throws(
    () => expandModel({ kind: "layers", layers: [{ kind: "dense" } as never] }, MNIST),
    { name: "ConfigError", message: "model.layers[0] (dense): units: missing (expected a number)" },
  );
});

Deno.test("expandModel rejects an unknown kind, LeNet-5 on a vector, and bad options", () => {
  assert.throws(() => expandModel({ kind: "lenet" } as never, MNIST), {
    name: "ConfigError",
    message: `model: expected kind to be one of ${
      MODEL_KINDS.join(", ")
    }, found "lenet" (a string) (did you mean "lenet5"?)`,
  });
  assert.throws(() => expandModel({ kind: "lenet5" }, { input: [784], outputs: 10 }), {
    name: "ConfigError",
    message:
      "model (lenet5): expected an image input [height, width, channels], found [784] (a vector)",
  });
  assert.throws(() => expandModel({ kind: "mlp", dropout: 1 }, MNIST), {
    name: "ConfigError",
    message: "model.dropout: expected number to be <1, found 1",
  });
  assert.throws(() => expandModel({ kind: "mlp", hiden: [10] } as never, MNIST), {
    name: "ConfigError",
    message:
      'model: unknown key "hiden" (did you mean "hidden"?); valid keys: kind, hidden, activation, dropout, batchNorm',
  });
  // A preset that does not fit the input names the layer.
  assert.throws(() => expandModel({ kind: "lenet5" }, { input: [8, 8, 1], outputs: 10 }), {
    name: "ConfigError",
    message:
      "layers[2] (conv): expected the kernel (5) to fit the input (4), found an output size of 0",
  });
});

// The presets must reproduce the framework's first model factory bit for bit.

const LEGACY_VARIANTS: LegacyClassifierModelSpec[] = [
  { kind: "mlp", hidden: [800], activation: "relu", dropout: 0 },
  { kind: "mlp", hidden: [64, 32], activation: "tanh", dropout: 0.2 },
  { kind: "lenet5", activation: "relu", pooling: "max", dropout: 0 },
  { kind: "lenet5", activation: "sigmoid", pooling: "average", dropout: 0.25 },
];
const LEGACY_SHAPE = { inputSize: 784, image: { rows: 28, columns: 28, channels: 1 }, classes: 10 };

/** A model's weights, its outputs and its gradients for one batch, in training mode, as bytes. */
async function trainingBytes(model: tf.LayersModel, x: tf.Tensor, labels: tf.Tensor) {
  const bytes = async (tensor: tf.Tensor) =>
    new Uint8Array((await tensor.data() as Float32Array).slice().buffer);
  const weights = new Map<string, Uint8Array>();
  for (const weight of model.weights) weights.set(weight.originalName, await bytes(weight.read()));
  const output = model.apply(x, { training: true }) as tf.Tensor;
  const outputs = await bytes(output);
  output.dispose();
  const variables = model.trainableWeights.map((weight) => weight.read() as tf.Variable);
  const { value, grads } = tf.variableGrads(
    () => tf.losses.softmaxCrossEntropy(labels, model.apply(x, { training: true }) as tf.Tensor),
    variables,
  );
  const gradients = new Map<string, Uint8Array>();
  for (const weight of model.trainableWeights) {
    gradients.set(weight.originalName, await bytes(grads[(weight.read() as tf.Variable).name]));
  }
  tf.dispose([value, ...Object.values(grads)]);
  return { weights, outputs, gradients };
}

for (const backend of ALL_BACKENDS) {
  Deno.test(
    `buildModel(expandModel(preset)) reproduces the legacy factory bit for bit on ${backend}`,
    backendTestOptions(backend),
    async () => {
      await useBackend(backend);
      const rng = createRng(77);
      const flat = tf.tensor2d(Float32Array.from({ length: 8 * 784 }, () => rng()), [8, 784]);
      const images = flat.reshape([8, 28, 28, 1]);
      const labels = tf.oneHot(tf.tensor1d([0, 1, 2, 3, 4, 5, 6, 9], "int32"), 10);
      const before = tf.memory().numTensors;
      for (const spec of LEGACY_VARIANTS) {
        for (const seed of [1, 2]) {
          const what = `${JSON.stringify(spec)} seed ${seed}`;
          const legacy = createLegacyClassifierModel(spec, LEGACY_SHAPE, seed);
          const preset = buildModel(MNIST.input, expandModel(spec, MNIST), seed);
          const wrapper = createClassifierModel(spec, LEGACY_SHAPE, seed);
          const expected = await trainingBytes(legacy, flat, labels);
          const found = await trainingBytes(preset, images, labels);
          const wrapped = await trainingBytes(wrapper, flat, labels);
          assert.ok(expected.weights.size >= 4, what);
          for (const result of [found, wrapped]) {
            assert.deepEqual(result.weights, expected.weights, `${what}: weights`);
            assert.deepEqual(result.outputs, expected.outputs, `${what}: outputs`);
            assert.deepEqual(result.gradients, expected.gradients, `${what}: gradients`);
          }
          [legacy, preset, wrapper].forEach((model) => model.dispose());
        }
      }
      assert.equal(tf.memory().numTensors, before, "no tensors leaked");
      tf.dispose([flat, images, labels]);
    },
  );
}
