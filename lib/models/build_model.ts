/**
 * Builds a tfjs model from layer specs, with every random initialiser seeded from one seed, so
 * that the same specs and seed give the same weights, on every backend.
 *
 * @module
 */

import * as tf from "@tensorflow/tfjs";
import { ConfigError } from "../experiment/config_error.ts";
import { deriveSeed } from "../random/seed.ts";
import { splitPadding } from "./_shapes.ts";
import { SeededOrthogonal } from "./_seeded_orthogonal.ts";
import { countModel } from "./count_model.ts";
import { type LayerSpec, type LayerSpecInput, nameLayers, parseLayers } from "./layer_spec.ts";
import { PolynomialFeatures } from "./polynomial_features.ts";
import { SeededDropout } from "./seeded_dropout.ts";

/**
 * Builds a functional tfjs model: `layers` applied in order to an input of shape `input`. Nothing
 * is added: the model outputs whatever the last layer does (logits, if that is what it makes).
 *
 * Layer names are the specs' names, else automatic ones from {@linkcode nameLayers} (`dense_3`,
 * `residual_2_main_0_conv`); a residual block's addition takes the block's name and its
 * activation `<name>_activation`, a concat's concatenation the concat's name, a numerically
 * padded convolution's padding `<name>_padding`. Initialisers, all seeded from `seed`:
 * - dense, conv and depthwise kernels and an RNN's input kernel: Glorot uniform, seeded with
 *   `deriveSeed(seed, "init", name)`;
 * - an RNN's recurrent kernel: orthogonal, seeded with `deriveSeed(seed, "init", name,
 *   "recurrent")`;
 * - embeddings: uniform on [−0.05, 0.05] (Keras's default), seeded with
 *   `deriveSeed(seed, "init", name)`;
 * - biases zeros; batch norm's scale ones, shift zeros, running mean zeros, running variance ones.
 *
 * Dropout is {@linkcode SeededDropout}: a new seeded mask at every training call. Recurrent
 * layers use tanh and sigmoid gates (Keras 2.3+ and PyTorch; tfjs defaults to a hard sigmoid),
 * with the gate order of tfjs and Keras (LSTM: input, forget, cell, output; GRU: update, reset,
 * candidate, the reset applied before the recurrent matrix product, Keras's `reset_after=false`).
 *
 * @param input The input shape per example, e.g. `[28, 28, 1]`.
 * @param layers The layers, as written or parsed.
 * @param seed The trial's root seed.
 * @returns The model; dispose it when done.
 * @throws {ConfigError} Before any tensor is made, when a layer is invalid, does not fit its
 * input, or is one tfjs cannot build (a grouped convolution, `ceilMode` or numerically padded
 * pooling), naming the layer's path.
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import { buildModel } from "./build_model.ts";
 * await tf.setBackend("cpu");
 * const model = buildModel([28, 28, 1], [
 *   { kind: "conv", filters: 6, kernel: 5, padding: "same", activation: "relu" },
 *   { kind: "pool", mode: "max", size: 2 },
 *   { kind: "flatten" },
 *   { kind: "dense", units: 10 },
 * ], 1);
 * if (model.outputs[0].shape.join() !== ",10") throw new Error(String(model.outputs[0].shape));
 * if (model.getLayer("conv_0").countParams() !== 156) throw new Error("conv parameters");
 * model.dispose();
 * ```
 */
export function buildModel(
  input: readonly number[],
  layers: readonly LayerSpecInput[],
  seed: number,
): tf.LayersModel {
  deriveSeed(seed); // Checks the seed before anything else.
  const named = nameLayers(parseLayers(layers));
  countModel(input, named);
  checkBuildable(named, "layers");
  const modelInput = tf.input({ shape: [...input], name: "input" });
  const output = applyLayers(modelInput, named, seed);
  return tf.model({ inputs: modelInput, outputs: output });
}

/** Rejects what tfjs cannot build, naming the layer; counting accepts all of it. */
function checkBuildable(layers: readonly LayerSpec[], where: string): void {
  layers.forEach((layer, index) => {
    const here = `${where}[${index}] (${layer.kind})`;
    const fail = (problem: string) => {
      throw new ConfigError([`${here}: ${problem}`]);
    };
    if (layer.kind === "conv" && layer.groups !== 1) {
      fail(
        `expected groups 1, found ${layer.groups}: tfjs has no grouped convolution, so such a model can be counted but not built`,
      );
    }
    if (layer.kind === "pool" && layer.ceilMode) {
      fail(
        "expected ceilMode false: tfjs pooling always rounds the output size down, so such a model can be counted but not built",
      );
    }
    if (layer.kind === "pool" && splitPadding(layer.padding).some((p) => typeof p === "number")) {
      fail(
        `expected padding "valid" or "same", found ${
          JSON.stringify(layer.padding)
        }: tfjs cannot pad a pooling with a given number of cells, so such a model can be counted but not built`,
      );
    }
    if (layer.kind === "residual") {
      checkBuildable(layer.main, `${where}[${index}].main`);
      checkBuildable(layer.shortcut, `${where}[${index}].shortcut`);
    }
    if (layer.kind === "concat") {
      layer.branches.forEach((branch, b) =>
        checkBuildable(branch, `${where}[${index}].branches[${b}]`)
      );
    }
  });
}

function applyLayers(
  x: tf.SymbolicTensor,
  layers: readonly LayerSpec[],
  seed: number,
): tf.SymbolicTensor {
  return layers.reduce((input, layer) => applyLayer(input, layer, seed), x);
}

function apply(layer: tf.layers.Layer, x: tf.SymbolicTensor | tf.SymbolicTensor[]) {
  return layer.apply(x) as tf.SymbolicTensor;
}

function applyLayer(x: tf.SymbolicTensor, layer: LayerSpec, seed: number): tf.SymbolicTensor {
  // nameLayers has named every layer.
  const name = layer.name!;
  const glorot = () => tf.initializers.glorotUniform({ seed: deriveSeed(seed, "init", name) });
  switch (layer.kind) {
    case "dense":
      return apply(
        tf.layers.dense({
          name,
          units: layer.units,
          activation: layer.activation,
          useBias: layer.bias,
          kernelInitializer: glorot(),
        }),
        x,
      );
    case "conv":
    case "depthwiseConv": {
      const kernelSize: [number, number] = typeof layer.kernel === "number"
        ? [layer.kernel, layer.kernel]
        : layer.kernel;
      const [padHeight, padWidth] = splitPadding(layer.padding);
      let padding: "same" | "valid";
      if (typeof padHeight === "number" || typeof padWidth === "number") {
        const height = typeof padHeight === "number" ? padHeight : 0;
        const width = typeof padWidth === "number" ? padWidth : 0;
        x = apply(
          tf.layers.zeroPadding2d({
            name: `${name}_padding`,
            padding: [[height, height], [width, width]],
          }),
          x,
        );
        padding = "valid";
      } else {
        padding = padHeight;
      }
      const common = {
        name,
        kernelSize,
        strides: layer.stride,
        padding,
        activation: layer.activation,
        useBias: layer.bias,
      };
      return apply(
        layer.kind === "conv"
          ? tf.layers.conv2d({ ...common, filters: layer.filters, kernelInitializer: glorot() })
          : tf.layers.depthwiseConv2d({
            ...common,
            depthMultiplier: layer.multiplier,
            depthwiseInitializer: glorot(),
          }),
        x,
      );
    }
    case "pool": {
      const options = {
        name,
        poolSize: layer.size,
        strides: layer.stride,
        padding: layer.padding as "same" | "valid",
      };
      return apply(
        layer.mode === "max"
          ? tf.layers.maxPooling2d(options)
          : tf.layers.averagePooling2d(options),
        x,
      );
    }
    case "globalPool": {
      const image = x.shape.length === 4;
      if (layer.mode === "max") {
        return apply(
          image ? tf.layers.globalMaxPooling2d({ name }) : tf.layers.globalMaxPooling1d({ name }),
          x,
        );
      }
      return apply(
        image
          ? tf.layers.globalAveragePooling2d({ name })
          : tf.layers.globalAveragePooling1d({ name }),
        x,
      );
    }
    case "flatten":
      return apply(tf.layers.flatten({ name }), x);
    case "reshape":
      return apply(tf.layers.reshape({ name, targetShape: layer.shape }), x);
    case "activation":
      return apply(tf.layers.activation({ name, activation: layer.activation }), x);
    case "dropout":
      return apply(new SeededDropout({ name, rate: layer.rate, seed }), x);
    case "batchNorm":
      return apply(
        tf.layers.batchNormalization({
          name,
          axis: -1,
          momentum: layer.momentum,
          epsilon: layer.epsilon,
        }),
        x,
      );
    case "residual": {
      const main = applyLayers(x, layer.main, seed);
      const shortcut = applyLayers(x, layer.shortcut, seed);
      const sum = apply(tf.layers.add({ name }), [main, shortcut]);
      return layer.activation === "linear" ? sum : apply(
        tf.layers.activation({ name: `${name}_activation`, activation: layer.activation }),
        sum,
      );
    }
    case "concat":
      return apply(
        tf.layers.concatenate({ name, axis: -1 }),
        layer.branches.map((branch) => applyLayers(x, branch, seed)),
      );
    case "embedding":
      return apply(
        tf.layers.embedding({
          name,
          inputDim: layer.vocabulary,
          outputDim: layer.units,
          embeddingsInitializer: tf.initializers.randomUniform({
            minval: -0.05,
            maxval: 0.05,
            seed: deriveSeed(seed, "init", name),
          }),
        }),
        x,
      );
    case "rnn": {
      const options = {
        name,
        units: layer.units,
        returnSequences: layer.returnSequences,
        activation: "tanh" as const,
        kernelInitializer: glorot(),
        recurrentInitializer: new SeededOrthogonal(deriveSeed(seed, "init", name, "recurrent")),
        biasInitializer: "zeros" as const,
      };
      const recurrent = layer.cell === "simple"
        ? tf.layers.simpleRNN(options)
        : layer.cell === "lstm"
        ? tf.layers.lstm({
          ...options,
          recurrentActivation: "sigmoid",
          unitForgetBias: layer.unitForgetBias,
        })
        : tf.layers.gru({ ...options, recurrentActivation: "sigmoid" });
      return apply(recurrent, x);
    }
    case "polynomial":
      return apply(new PolynomialFeatures({ name, degree: layer.degree, basis: layer.basis }), x);
  }
}
