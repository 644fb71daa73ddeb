/**
 * Forward values and gradients of the layers chapter 9's and chapter 12's networks are made of —
 * a convolution with stride 2 and TensorFlow's asymmetric "same" padding, and a convolutional
 * residual block with batch normalisation in training mode — against float64 references written
 * out by hand, on every backend the framework may select. The gradients are checked against
 * central finite differences of the float64 reference.
 */

import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { buildModel } from "../lib/models/build_model.ts";
import type { LayerSpecInput } from "../lib/models/layer_spec.ts";
import { createRng } from "../lib/random/seed.ts";
import { ALL_BACKENDS, backendTestOptions, useBackend } from "./_backends.ts";

/** Small fixed float32 values, so that the float64 reference sees exactly what tfjs sees. */
function fixedValues(count: number, seed: number, scale = 1): number[] {
  const rng = createRng(seed);
  return Array.from({ length: count }, () => Math.fround(scale * (2 * rng() - 1)));
}

function setWeights(model: tf.LayersModel, name: string, values: number[][]) {
  const layer = model.getLayer(name);
  const tensors = layer.getWeights().map((w, i) => tf.tensor(values[i], w.shape));
  layer.setWeights(tensors);
  tf.dispose(tensors);
}

function close(
  actual: ArrayLike<number>,
  expected: ArrayLike<number>,
  tolerance: number,
  what: string,
) {
  assert.equal(actual.length, expected.length, `${what}: length`);
  const scale = Math.max(1, ...Array.from(expected, Math.abs));
  for (let i = 0; i < expected.length; i++) {
    assert.ok(
      Math.abs(actual[i] - expected[i]) <= tolerance * scale,
      `${what}[${i}]: expected ${expected[i]}, found ${actual[i]}`,
    );
  }
}

/** TensorFlow's "same" padding: ceil(size / stride) outputs, the extra padding at the end. */
function samePadding(size: number, kernel: number, stride: number) {
  const out = Math.ceil(size / stride);
  const total = Math.max((out - 1) * stride + kernel - size, 0);
  return { out, before: Math.floor(total / 2) };
}

/** A float64 NHWC convolution of a batch, with TensorFlow's "same" padding. */
function convSame(
  x: readonly number[],
  [batch, height, width, channels]: readonly number[],
  kernel: readonly number[],
  [size, filters]: readonly number[],
  stride: number,
): { values: number[]; shape: number[] } {
  const rows = samePadding(height, size, stride);
  const columns = samePadding(width, size, stride);
  const values: number[] = [];
  for (let n = 0; n < batch; n++) {
    for (let r = 0; r < rows.out; r++) {
      for (let c = 0; c < columns.out; c++) {
        for (let f = 0; f < filters; f++) {
          let sum = 0;
          for (let i = 0; i < size; i++) {
            for (let j = 0; j < size; j++) {
              const y = r * stride + i - rows.before;
              const xx = c * stride + j - columns.before;
              if (y < 0 || y >= height || xx < 0 || xx >= width) continue;
              for (let d = 0; d < channels; d++) {
                sum += x[((n * height + y) * width + xx) * channels + d] *
                  kernel[((i * size + j) * channels + d) * filters + f];
              }
            }
          }
          values.push(sum);
        }
      }
    }
  }
  return { values, shape: [batch, rows.out, columns.out, filters] };
}

/** Batch normalisation with the batch's own statistics (biased variance), per channel. */
function batchNormTraining(
  x: readonly number[],
  channels: number,
  gamma: readonly number[],
  beta: readonly number[],
  epsilon: number,
): number[] {
  const count = x.length / channels;
  const mean = new Array(channels).fill(0);
  const variance = new Array(channels).fill(0);
  x.forEach((v, i) => (mean[i % channels] += v / count));
  x.forEach((v, i) => (variance[i % channels] += (v - mean[i % channels]) ** 2 / count));
  return x.map((v, i) => {
    const c = i % channels;
    return gamma[c] * (v - mean[c]) / Math.sqrt(variance[c] + epsilon) + beta[c];
  });
}

const relu = (values: readonly number[]) => values.map((v) => Math.max(0, v));

/** Central differences of a float64 function of a vector, one coordinate at a time. */
function numericGradient(f: (v: number[]) => number, at: readonly number[], step = 1e-6): number[] {
  return at.map((_, i) => {
    const plus = [...at];
    const minus = [...at];
    plus[i] += step;
    minus[i] -= step;
    return (f(plus) - f(minus)) / (2 * step);
  });
}

/** Σ output · weights: a loss whose gradient with respect to the output is `weights`. */
function weightedSum(values: readonly number[], weights: readonly number[]): number {
  return values.reduce((sum, v, i) => sum + v * weights[i], 0);
}

/**
 * The model's training-mode output for `x`, and the gradients of Σ model(x) · lossWeights with
 * respect to `x` and to the kernels of the named layers.
 */
async function gradients(
  model: tf.LayersModel,
  x: tf.Tensor,
  lossWeights: tf.Tensor,
  names: readonly string[],
): Promise<{ output: Float32Array; input: Float32Array; kernels: Float32Array[] }> {
  const loss = (input: tf.Tensor) =>
    tf.sum(tf.mul(model.apply(input, { training: true }) as tf.Tensor, lossWeights)) as tf.Scalar;
  const output = model.apply(x, { training: true }) as tf.Tensor;
  const inputGradient = tf.grad(loss)(x);
  const kernels = names.map((name) =>
    model.getLayer(name).trainableWeights[0].read() as tf.Variable
  );
  const { value, grads } = tf.variableGrads(() => loss(x), kernels);
  const result = {
    output: await output.data() as Float32Array,
    input: await inputGradient.data() as Float32Array,
    kernels: await Promise.all(
      kernels.map((kernel) => grads[kernel.name].data() as Promise<Float32Array>),
    ),
  };
  tf.dispose([output, inputGradient, value, ...Object.values(grads)]);
  return result;
}

for (const backend of ALL_BACKENDS) {
  Deno.test(
    `buildModel's strided convolution with "same" padding matches a hand-computed one, values and gradients, on ${backend}`,
    backendTestOptions(backend),
    async () => {
      await useBackend(backend);
      // 5×4 input, 3×3 kernel, stride 2: rows pad 1 before and 1 after, columns 0 before and 1
      // after (TensorFlow puts the odd padding at the end).
      const shape = [2, 5, 4, 2];
      const model = buildModel(shape.slice(1), [{
        kind: "conv",
        name: "strided",
        filters: 3,
        kernel: 3,
        stride: 2,
        padding: "same",
        bias: false,
      }], 1);
      const kernel = fixedValues(3 * 3 * 2 * 3, 50);
      setWeights(model, "strided", [kernel]);
      const image = fixedValues(2 * 5 * 4 * 2, 51, 2);
      const reference = convSame(image, shape, kernel, [3, 3], 2);
      assert.deepEqual(reference.shape, [2, 3, 2, 3]);
      const lossWeights = fixedValues(reference.values.length, 52);
      const x = tf.tensor4d(image, shape as [number, number, number, number]);
      const w = tf.tensor(lossWeights, reference.shape);
      const result = await gradients(model, x, w, ["strided"]);
      close(result.output, reference.values, 1e-5, "output");
      const lossOf = (input: number[], k: readonly number[]) =>
        weightedSum(convSame(input, shape, k, [3, 3], 2).values, lossWeights);
      close(result.input, numericGradient((v) => lossOf(v, kernel), image), 1e-4, "input gradient");
      close(
        result.kernels[0],
        numericGradient((k) => lossOf(image, k), kernel),
        1e-4,
        "kernel gradient",
      );
      tf.dispose([x, w]);
      model.dispose();
    },
  );

  Deno.test(
    `buildModel's convolutional residual block with batch norm matches a hand-computed one in training, values and gradients, on ${backend}`,
    backendTestOptions(backend),
    async () => {
      await useBackend(backend);
      const epsilon = 1e-3;
      const channels = 2;
      const shape = [3, 3, 3, channels]; // a batch of three 3×3 images, two channels
      const norm = (name: string): LayerSpecInput => ({
        kind: "batchNorm",
        name,
        momentum: 0.9,
        epsilon,
      });
      const conv = (name: string): LayerSpecInput => ({
        kind: "conv",
        name,
        filters: channels,
        kernel: 3,
        padding: "same",
        bias: false,
      });
      const model = buildModel(shape.slice(1), [{
        kind: "residual",
        name: "block",
        main: [
          conv("conv1"),
          norm("bn1"),
          { kind: "activation", name: "relu1", activation: "relu" },
          conv("conv2"),
          norm("bn2"),
        ],
        activation: "relu",
      }], 1);
      const kernel1 = fixedValues(3 * 3 * channels * channels, 60);
      const kernel2 = fixedValues(3 * 3 * channels * channels, 61);
      const gamma1 = [1.5, 0.5];
      const beta1 = [0.1, -0.2];
      const gamma2 = [0.75, 1.25];
      const beta2 = [-0.3, 0.2];
      setWeights(model, "conv1", [kernel1]);
      setWeights(model, "conv2", [kernel2]);
      setWeights(model, "bn1", [gamma1, beta1, [0, 0], [1, 1]]);
      setWeights(model, "bn2", [gamma2, beta2, [0, 0], [1, 1]]);
      const image = fixedValues(3 * 3 * 3 * channels, 62, 2);
      // relu(bn2(conv2(relu(bn1(conv1(x))))) + x), batch statistics in both normalisations.
      const forward = (x: number[], k1: readonly number[], k2: readonly number[]) => {
        const a = convSame(x, shape, k1, [3, channels], 1).values;
        const b = relu(batchNormTraining(a, channels, gamma1, beta1, epsilon));
        const c = convSame(b, shape, k2, [3, channels], 1).values;
        const d = batchNormTraining(c, channels, gamma2, beta2, epsilon);
        return relu(d.map((v, i) => v + x[i]));
      };
      const lossWeights = fixedValues(image.length, 63);
      const x = tf.tensor4d(image, shape as [number, number, number, number]);
      const w = tf.tensor(lossWeights, shape);
      const result = await gradients(model, x, w, ["conv1", "conv2"]);
      close(result.output, forward(image, kernel1, kernel2), 1e-4, "output");
      const lossOf = (v: number[], k1: readonly number[], k2: readonly number[]) =>
        weightedSum(forward(v, k1, k2), lossWeights);
      close(
        result.input,
        numericGradient((v) => lossOf(v, kernel1, kernel2), image),
        2e-3,
        "input gradient",
      );
      close(
        result.kernels[0],
        numericGradient((k) => lossOf(image, k, kernel2), kernel1),
        2e-3,
        "conv1 kernel gradient",
      );
      close(
        result.kernels[1],
        numericGradient((k) => lossOf(image, kernel1, k), kernel2),
        2e-3,
        "conv2 kernel gradient",
      );
      tf.dispose([x, w]);
      model.dispose();
    },
  );
}
