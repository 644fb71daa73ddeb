/**
 * Counts a model's parameters, multiply–adds and neurons from its layer specs and input shape
 * alone, symbolically: nothing is allocated, so VGG-16's 138 M parameters count in microseconds
 * instead of allocating 550 MB of weights. Counting also checks that each layer fits the shape
 * it gets, which is how {@linkcode buildModel} validates a model before making any tensor.
 *
 * Conventions, as in the published figures (Simonyan & Zisserman 2015, He et al. 2016, Howard et
 * al. 2017): one multiply–add (MAC) per weight use, per example; a convolution costs
 * `outHeight × outWidth × outChannels × kernelHeight × kernelWidth × inChannels / groups`, a dense
 * layer `inputs × units` per step, a recurrent layer `steps × gates × (inputs + units) × units`.
 * Biases, batch normalisation, pooling, activations, residual additions, embedding lookups and
 * polynomial features cost no multiply–adds.
 *
 * Neurons are the output units of the weighted layers (dense, conv, depthwiseConv, rnn): the
 * product of their output dimensions, so a convolution counts one neuron per output position
 * and channel. A recurrent layer counts `steps × units`, its state at every step, whether or not
 * it returns the sequence: the unrolled network computes them all either way, just as a
 * convolution computes every position with the same weights.
 *
 * @module
 */

import { ConfigError } from "../experiment/config_error.ts";
import { checkInputShape, describeShape, splitPadding } from "./_shapes.ts";
import {
  type LayerKind,
  type LayerSpec,
  type LayerSpecInput,
  nameLayers,
  type Padding,
  parseLayers,
} from "./layer_spec.ts";

/** One top-level layer's count. */
export interface LayerCount {
  /** The layer's name, as {@linkcode nameLayers} gives it. */
  name: string;
  /** The layer's kind. */
  kind: LayerKind;
  /** Its output shape per example. */
  output: number[];
  /** Its parameters, nested layers included. */
  parameters: number;
  /** Its multiply–adds per example, nested layers included. */
  multiplyAdds: number;
  /** Its neurons, nested layers included. */
  neurons: number;
}

/** What {@linkcode countModel} returns. */
export interface ModelCount {
  /** Trainable parameters, plus batch norm's running statistics where the spec counts them. */
  parameters: number;
  /** Multiply–adds for one example's forward pass. */
  multiplyAdds: number;
  /** Output units of the weighted layers. */
  neurons: number;
  /** The output shape per example. */
  output: number[];
  /** One count per top-level layer, in order. */
  layers: LayerCount[];
}

/** A count without its per-layer breakdown. */
type Count = Omit<ModelCount, "layers">;

/**
 * Counts parameters, multiply–adds and neurons of `layers` applied to `input`, checking that
 * every layer fits the shape it gets.
 *
 * @param input The input shape per example, e.g. `[224, 224, 3]` or `[784]`.
 * @param layers The layers in order, as written or parsed.
 * @returns The totals, the output shape and one count per top-level layer.
 * @throws {ConfigError} Naming the layer (`layers[4] (dense)`, `layers[3].main[1] (conv)`), what
 * it expected and what it found.
 *
 * @example
 * ```ts
 * import { countModel } from "./count_model.ts";
 * const count = countModel([28, 28, 1], [
 *   { kind: "conv", filters: 6, kernel: 5, padding: "same" },
 *   { kind: "flatten" },
 *   { kind: "dense", units: 10 },
 * ]);
 * // conv: 6 × (5·5·1 + 1) = 156; dense: 4704 × 10 + 10 = 47,050
 * if (count.parameters !== 156 + 47_050) throw new Error(String(count.parameters));
 * if (count.layers[0].name !== "conv_0" || count.output.join() !== "10") throw new Error("shape");
 * ```
 */
export function countModel(
  input: readonly number[],
  layers: readonly LayerSpecInput[],
): ModelCount {
  checkInputShape(input);
  const named = nameLayers(parseLayers(layers));
  let shape = [...input];
  const counts = named.map((layer, index) => {
    const count = countLayer(shape, layer, `layers[${index}]`);
    shape = count.output;
    return { name: layer.name!, kind: layer.kind, ...count };
  });
  return { ...sumCounts(counts, [...input]), layers: counts };
}

function countLayers(input: number[], layers: readonly LayerSpec[], where: string): Count {
  let shape = input;
  const counts = layers.map((layer, index) => {
    const count = countLayer(shape, layer, `${where}[${index}]`);
    shape = count.output;
    return count;
  });
  return sumCounts(counts, input);
}

function sumCounts(counts: readonly Count[], input: number[]): Count {
  return {
    parameters: sum(counts.map((count) => count.parameters)),
    multiplyAdds: sum(counts.map((count) => count.multiplyAdds)),
    neurons: sum(counts.map((count) => count.neurons)),
    output: counts.length > 0 ? counts[counts.length - 1].output : input,
  };
}

/** Counts one layer at `path` (e.g. `layers[3].main[1]`). */
function countLayer(input: number[], layer: LayerSpec, path: string): Count {
  const where = `${path} (${layer.kind})`;
  const free = (output: number[]): Count => ({
    parameters: 0,
    multiplyAdds: 0,
    neurons: 0,
    output,
  });
  switch (layer.kind) {
    case "dense": {
      if (input.length > 2) {
        throw new ConfigError([
          `${where}: expected a [features] or [steps, features] input (add a flatten or globalPool layer before it), found ${
            describeShape(input)
          }`,
        ]);
      }
      const features = input[input.length - 1];
      const output = [...input.slice(0, -1), layer.units];
      const steps = input.length === 2 ? input[0] : 1;
      return {
        parameters: features * layer.units + (layer.bias ? layer.units : 0),
        multiplyAdds: steps * features * layer.units,
        neurons: product(output),
        output,
      };
    }
    case "conv": {
      const [, , channels] = expectImage(input, where);
      const [kernelHeight, kernelWidth] = pair(layer.kernel);
      if (channels % layer.groups !== 0 || layer.filters % layer.groups !== 0) {
        throw new ConfigError([
          `${where}: expected groups to divide the input channels and the filters, found groups ${layer.groups}, ${channels} input channels, ${layer.filters} filters`,
        ]);
      }
      const output = convolve(input, kernelHeight, kernelWidth, layer, layer.filters, where);
      const perFilter = kernelHeight * kernelWidth * (channels / layer.groups);
      return {
        parameters: layer.filters * perFilter + (layer.bias ? layer.filters : 0),
        multiplyAdds: output[0] * output[1] * layer.filters * perFilter,
        neurons: product(output),
        output,
      };
    }
    case "depthwiseConv": {
      const [, , inChannels] = expectImage(input, where);
      const [kernelHeight, kernelWidth] = pair(layer.kernel);
      const channels = inChannels * layer.multiplier;
      const output = convolve(input, kernelHeight, kernelWidth, layer, channels, where);
      return {
        parameters: channels * kernelHeight * kernelWidth + (layer.bias ? channels : 0),
        multiplyAdds: output[0] * output[1] * channels * kernelHeight * kernelWidth,
        neurons: product(output),
        output,
      };
    }
    case "pool": {
      const [height, width, channels] = expectImage(input, where);
      const [padHeight, padWidth] = splitPadding(layer.padding);
      const { size, stride, ceilMode } = layer;
      return free([
        outputSize(height, size, stride, padHeight, ceilMode, where),
        outputSize(width, size, stride, padWidth, ceilMode, where),
        channels,
      ]);
    }
    case "globalPool":
      if (input.length < 2) {
        throw new ConfigError([
          `${where}: expected an image or a sequence to pool, found ${describeShape(input)}`,
        ]);
      }
      return free([input[input.length - 1]]);
    case "flatten":
      if (input.length < 2) {
        throw new ConfigError([
          `${where}: expected an image or a sequence to flatten, found ${
            describeShape(input)
          }, which is flat already (remove the flatten layer)`,
        ]);
      }
      return free([product(input)]);
    case "reshape":
      if (product(layer.shape) !== product(input)) {
        throw new ConfigError([
          `${where}: expected a shape with ${product(input)} elements like the input ${
            describeShape(input)
          }, found [${layer.shape.join(", ")}] with ${product(layer.shape)}`,
        ]);
      }
      return free([...layer.shape]);
    case "activation":
    case "dropout":
      return free(input);
    case "batchNorm": {
      const channels = input[input.length - 1];
      return {
        ...free(input),
        parameters: channels * (layer.countsRunningStatistics ? 4 : 2),
      };
    }
    case "residual": {
      const main = countLayers(input, layer.main, `${path}.main`);
      const shortcut = countLayers(input, layer.shortcut, `${path}.shortcut`);
      if (main.output.join() !== shortcut.output.join()) {
        throw new ConfigError([
          `${where}: expected the shortcut to end at the main path's shape ${
            describeShape(main.output)
          }, found ${describeShape(shortcut.output)}${
            layer.shortcut.length === 0 ? " (add a projection to the shortcut)" : ""
          }`,
        ]);
      }
      return {
        parameters: main.parameters + shortcut.parameters,
        multiplyAdds: main.multiplyAdds + shortcut.multiplyAdds,
        neurons: main.neurons + shortcut.neurons,
        output: main.output,
      };
    }
    case "concat": {
      const counts = layer.branches.map((branch, i) =>
        countLayers(input, branch, `${path}.branches[${i}]`)
      );
      const first = counts[0].output;
      counts.forEach(({ output }, i) => {
        if (
          output.length !== first.length || output.slice(0, -1).join() !== first.slice(0, -1).join()
        ) {
          throw new ConfigError([
            `${where}: expected every branch to end at the same shape but for the last axis, found ${
              describeShape(first)
            } at branches[0] and ${describeShape(output)} at branches[${i}]`,
          ]);
        }
      });
      return {
        ...sumCounts(counts, input),
        output: [...first.slice(0, -1), sum(counts.map(({ output }) => output[output.length - 1]))],
      };
    }
    case "embedding":
      if (input.length !== 1) {
        throw new ConfigError([
          `${where}: expected a [steps] input of token indices, found ${describeShape(input)}`,
        ]);
      }
      return {
        ...free([input[0], layer.units]),
        parameters: layer.vocabulary * layer.units,
      };
    case "rnn": {
      if (input.length !== 2) {
        throw new ConfigError([
          `${where}: expected a [steps, features] input, found ${describeShape(input)}${
            input.length === 1 ? " (an embedding layer, or a reshape to [steps, 1], makes one)" : ""
          }`,
        ]);
      }
      const [steps, features] = input;
      const gates = { simple: 1, lstm: 4, gru: 3 }[layer.cell];
      const weights = gates * (features + layer.units) * layer.units;
      return {
        // tfjs 4.22's GRU is Keras's reset_after=false: one bias per gate, as for the others.
        parameters: weights + gates * layer.units,
        multiplyAdds: steps * weights,
        neurons: steps * layer.units,
        output: layer.returnSequences ? [steps, layer.units] : [layer.units],
      };
    }
    case "polynomial":
      if (input.join() !== "1") {
        throw new ConfigError([
          `${where}: expected a [1] input (one scalar per example), found ${describeShape(input)}`,
        ]);
      }
      return free([layer.degree]);
  }
}

function convolve(
  input: number[],
  kernelHeight: number,
  kernelWidth: number,
  layer: { stride: number; padding: Padding },
  channels: number,
  where: string,
): number[] {
  const [padHeight, padWidth] = splitPadding(layer.padding);
  return [
    outputSize(input[0], kernelHeight, layer.stride, padHeight, false, where),
    outputSize(input[1], kernelWidth, layer.stride, padWidth, false, where),
    channels,
  ];
}

function outputSize(
  size: number,
  kernel: number,
  stride: number,
  padding: number | "same" | "valid",
  ceilMode: boolean,
  where: string,
): number {
  let out: number;
  if (padding === "same") {
    out = Math.ceil(size / stride);
  } else {
    const each = padding === "valid" ? 0 : padding;
    const span = size + 2 * each - kernel;
    out = (ceilMode ? Math.ceil(span / stride) : Math.floor(span / stride)) + 1;
    // PyTorch's rule: with ceil mode, the last window must start inside the input or left padding.
    if (ceilMode && (out - 1) * stride >= size + each) out -= 1;
  }
  if (!(out >= 1)) {
    throw new ConfigError([
      `${where}: expected the kernel (${kernel}) to fit the input (${size}), found an output size of ${out}`,
    ]);
  }
  return out;
}

function expectImage(shape: number[], where: string): number[] {
  if (shape.length !== 3) {
    throw new ConfigError([
      `${where}: expected an image input [height, width, channels], found ${describeShape(shape)}${
        shape.length === 1 ? " (a reshape layer makes one)" : ""
      }`,
    ]);
  }
  return shape;
}

function pair(value: number | [number, number]): [number, number] {
  return typeof value === "number" ? [value, value] : value;
}

function sum(values: number[]): number {
  return values.reduce((total, value) => total + value, 0);
}

function product(values: readonly number[]): number {
  return values.reduce((total, value) => total * value, 1);
}
