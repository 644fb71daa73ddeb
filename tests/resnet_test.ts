import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { resnetLayers, resnetModelSchema } from "../lib/models/resnet.ts";
import { expandModel } from "../lib/models/presets.ts";
import { countModel } from "../lib/models/count_model.ts";
import { buildModel } from "../lib/models/build_model.ts";
import type { LayerSpec } from "../lib/models/layer_spec.ts";
import { ConfigError } from "../lib/experiment/config_error.ts";
import { OPEN_RESOURCES, useBackend } from "./_backends.ts";

const MNIST = { input: [28, 28, 1], outputs: 10 };

/** Every layer of a list, nested ones included. */
function flatten(layers: readonly LayerSpec[]): LayerSpec[] {
  return layers.flatMap((layer) =>
    layer.kind === "residual"
      ? [layer, ...flatten(layer.main), ...flatten(layer.shortcut)]
      : [layer]
  );
}

Deno.test("resnetLayers has 6n + 1 convolutions and a dense output: depth counts layers with weights", () => {
  for (const depth of [8, 20, 32, 56]) {
    for (const shortcuts of ["identity", "none"] as const) {
      const layers = expandModel({ kind: "resnet", depth, shortcuts }, MNIST);
      const all = flatten(layers);
      // Projections are shortcuts, not layers of the main path; He et al. do not count them.
      const convolutions = all.filter((layer) =>
        layer.kind === "conv" && !layer.name!.endsWith("_projection")
      );
      const dense = all.filter((layer) => layer.kind === "dense");
      assert.equal(convolutions.length + dense.length, depth, `${shortcuts} ${depth}`);
      assert.equal(
        all.filter((layer) => layer.kind === "residual").length,
        shortcuts === "identity" ? 3 * (depth - 2) / 6 : 0,
      );
    }
  }
});

Deno.test("resnetLayers: the plain network is the residual one without shortcuts, the same names", () => {
  const names = (layers: LayerSpec[]) =>
    flatten(layers).filter((layer) => layer.kind !== "residual" && layer.kind !== "activation")
      .map((layer) => layer.name!).filter((name) => !name.includes("projection"));
  const residual = expandModel({ kind: "resnet", depth: 20 }, MNIST);
  const plain = expandModel({ kind: "resnet", depth: 20, shortcuts: "none" }, MNIST);
  assert.deepEqual(names(plain), names(residual));
  // Same names, same seeds: the layers they share start from the same weights.
  assert.ok(names(plain).includes("stage2_block1_conv1"));
  assert.ok(names(plain).includes("stage3_block3_bn2"));
});

Deno.test("resnetLayers counts by hand: He et al.'s ResNet-20 and a small one", () => {
  // He et al. 2016, §4.2: ResNet-20 on CIFAR-10 has 0.27M parameters, nearly all in its 19
  // convolutions (their shortcuts, option A, have none). Here the shortcuts are 1×1 projections
  // (option B) and batch norm keeps 4 values a channel, as Keras counts them.
  const cifar = countModel(
    [32, 32, 3],
    expandModel({ kind: "resnet", depth: 20 }, { input: [32, 32, 3], outputs: 10 }),
  );
  const convolutions = 432 + 6 * 2304 + (4608 + 5 * 9216) + (18_432 + 5 * 36_864);
  const projections = 16 * 32 + 32 * 64;
  // Normalised channels: stem 16; stage 1: 6 × 16; stage 2: 6 × 32 + 32; stage 3: 6 × 64 + 64.
  const normalised = 16 + 6 * 16 + 7 * 32 + 7 * 64;
  assert.equal(cifar.parameters, convolutions + projections + 4 * normalised + 650);
  assert.ok(Math.abs(convolutions - 0.27e6) / 0.27e6 < 0.01, "He et al.'s 0.27M");
  // No batch norm: every convolution has a bias instead.
  const small = countModel(
    [28, 28, 1],
    expandModel(
      { kind: "resnet", depth: 8, widths: [2, 3, 4], batchNorm: false, stemStride: 2 },
      MNIST,
    ),
  );
  const expected = (9 * 1 * 2 + 2) + 2 * (9 * 2 * 2 + 2) + // stem, stage 1
    (9 * 2 * 3 + 3) + (9 * 3 * 3 + 3) + (2 * 3 + 3) + // stage 2 and its projection
    (9 * 3 * 4 + 4) + (9 * 4 * 4 + 4) + (3 * 4 + 4) + // stage 3 and its projection
    (4 * 10 + 10); // output
  assert.equal(small.parameters, expected);
  // 28 → 14 (stem) → 14 → 7 → 4: the last maps are 4×4.
  const pool = small.layers.find((layer) => layer.name === "pool")!;
  assert.deepEqual(pool.output, [4]);
  const stage3 = small.layers.find((layer) => layer.name === "stage3_block1")!;
  assert.deepEqual(stage3.output, [4, 4, 4]);
});

Deno.test("resnet preset rejects a depth that is not 6n + 2 and a vector input", () => {
  assert.throws(
    () => expandModel({ kind: "resnet", depth: 9 }, MNIST),
    (error: Error) =>
      error instanceof ConfigError &&
      error.message ===
        "model.depth: expected 6n + 2 layers (8, 14, 20, 26, 32, …): three stages of n blocks of two, found 9",
  );
  assert.throws(
    () => expandModel({ kind: "resnet", depth: 8 }, { input: [784], outputs: 10 }),
    /model \(resnet\): expected an image input \[height, width, channels\], found \[784\]/,
  );
  assert.equal(resnetModelSchema.parse({ kind: "resnet", depth: 8 }).batchNormMomentum, 0.9);
});

Deno.test(
  "resnet preset builds, plain and residual alike, and outputs one logit per class",
  OPEN_RESOURCES,
  async () => {
    await useBackend("cpu");
    const before = tf.memory().numTensors;
    for (const shortcuts of ["identity", "none"] as const) {
      const layers = expandModel(
        { kind: "resnet", depth: 8, widths: [2, 3, 4], shortcuts, stemStride: 2 },
        MNIST,
      );
      const model = buildModel(MNIST.input, layers, 1);
      assert.equal(model.countParams(), countModel(MNIST.input, layers).parameters);
      const x = tf.zeros([2, 28, 28, 1]);
      const y = model.predict(x) as tf.Tensor;
      assert.deepEqual(y.shape, [2, 10]);
      tf.dispose([x, y]);
      model.dispose();
    }
    assert.equal(tf.memory().numTensors, before);
    assert.equal(
      resnetLayers(resnetModelSchema.parse({ kind: "resnet", depth: 8 })).at(-1)!.kind,
      "globalPool",
    );
  },
);
