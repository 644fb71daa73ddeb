/**
 * Counts an architecture's parameters and multiply–adds from a list of layer specs and the input
 * shape alone, symbolically: nothing is allocated, so VGG-16's 138 M parameters count in
 * microseconds instead of allocating 550 MB of weights.
 *
 * Conventions, as in the published figures (Simonyan & Zisserman 2015, He et al. 2016, Howard et
 * al. 2017): one multiply–add (MAC) per weight use, per example; a convolution costs
 * `outHeight × outWidth × outChannels × kernelHeight × kernelWidth × inChannels / groups`, a dense
 * layer `inputs × units`. Biases, batch normalisation, pooling, activations and residual additions
 * are not counted as multiply–adds.
 *
 * @module
 */

/** Padding: `same` keeps `ceil(size / stride)`, `valid` adds none, a number pads each side. */
export type Padding = "same" | "valid" | number | [number, number];

/** A 2-D convolution; `groups` splits the channels (AlexNet's two towers, depthwise convs). */
export interface ConvSpec {
  /** Discriminates the layer kind. */
  kind: "conv";
  /** Number of output channels. */
  filters: number;
  /** Square size or `[height, width]`. */
  kernel: number | [number, number];
  /** Default 1. */
  stride?: number;
  /** Default `valid`. */
  padding?: Padding;
  /** Default 1. */
  groups?: number;
  /** Default true. */
  bias?: boolean;
}

/** A depthwise convolution: one `kernel` filter per input channel (times `multiplier`). */
export interface DepthwiseConvSpec {
  /** Discriminates the layer kind. */
  kind: "depthwiseConv";
  /** Square size or `[height, width]`. */
  kernel: number | [number, number];
  /** Default 1. */
  stride?: number;
  /** Default `valid`. */
  padding?: Padding;
  /** Default 1. */
  multiplier?: number;
  /** Default true. */
  bias?: boolean;
}

/** A fully connected layer on a flat input. */
export interface DenseSpec {
  /** Discriminates the layer kind. */
  kind: "dense";
  /** Number of outputs. */
  units: number;
  /** Default true. */
  bias?: boolean;
}

/** Max or average pooling; `ceilMode` rounds the output size up, as PyTorch's `ceil_mode`. */
export interface PoolSpec {
  /** Discriminates the layer kind. */
  kind: "pool";
  /** Take the maximum or the mean of each window. */
  mode: "max" | "avg";
  /** Square window size. */
  size: number;
  /** Default `size`. */
  stride?: number;
  /** Default `valid`. */
  padding?: Padding;
  /** Round the output size up rather than down; default false. */
  ceilMode?: boolean;
}

/** Pools each channel to one value: the image becomes a vector of its channels. */
export interface GlobalPoolSpec {
  /** Discriminates the layer kind. */
  kind: "globalPool";
  /** Take the maximum or the mean of each channel. */
  mode: "max" | "avg";
}

/** Flattens an image to a vector. */
export interface FlattenSpec {
  /** Discriminates the layer kind. */
  kind: "flatten";
}

/**
 * Batch normalisation: a scale and shift per channel, plus the running mean and variance when
 * the framework counts them as parameters (Keras's `countParams` does; PyTorch keeps them as
 * buffers, outside `parameters()`).
 */
export interface BatchNormSpec {
  /** Discriminates the layer kind. */
  kind: "batchNorm";
  /** Count the running mean and variance as parameters (Keras) or not (PyTorch). */
  countsRunningStatistics: boolean;
}

/** Parallel branches on the same input, concatenated along channels (Inception). */
export interface ConcatSpec {
  /** Discriminates the layer kind. */
  kind: "concat";
  /** The branches, each a list of layers applied to the same input. */
  branches: LayerSpec[][];
}

/** `main(x) + shortcut(x)`; an empty shortcut is the identity (ResNet). */
export interface ResidualSpec {
  /** Discriminates the layer kind. */
  kind: "residual";
  /** The main path's layers. */
  main: LayerSpec[];
  /** The shortcut's layers; empty for the identity. */
  shortcut: LayerSpec[];
}

/** Any layer spec. */
export type LayerSpec =
  | ConvSpec
  | DepthwiseConvSpec
  | DenseSpec
  | PoolSpec
  | GlobalPoolSpec
  | FlattenSpec
  | BatchNormSpec
  | ConcatSpec
  | ResidualSpec;

/** An image tensor's shape per example (channels last), or a flat vector's. */
export type TensorShape =
  | { height: number; width: number; channels: number }
  | { features: number };

/** What {@linkcode countModel} returns. */
export interface ModelCount {
  /** Trainable (and, per `countsRunningStatistics`, running-statistic) parameters. */
  parameters: number;
  /** Multiply–adds for one example's forward pass. */
  multiplyAdds: number;
  /** The output shape per example. */
  output: TensorShape;
}

/**
 * Counts parameters and multiply–adds of `layers` applied to `input`.
 *
 * @param input The input shape per example, e.g. `{ height: 224, width: 224, channels: 3 }`.
 * @param layers The layers in order.
 * @returns Parameters, multiply–adds per example and the output shape.
 * @throws {Error} Naming the layer (`layers[4] (dense)`), what it expected and what it found.
 *
 * @example
 * ```ts
 * import { countModel } from "./count_model.ts";
 * const count = countModel({ height: 28, width: 28, channels: 1 }, [
 *   { kind: "conv", filters: 6, kernel: 5, padding: "same" },
 *   { kind: "flatten" },
 *   { kind: "dense", units: 10 },
 * ]);
 * // conv: 6 × (5·5·1 + 1) = 156; dense: 4704 × 10 + 10 = 47,050
 * if (count.parameters !== 156 + 47_050) throw new Error(String(count.parameters));
 * ```
 */
export function countModel(input: TensorShape, layers: readonly LayerSpec[]): ModelCount {
  return countLayers(input, layers, "layers");
}

function countLayers(input: TensorShape, layers: readonly LayerSpec[], where: string): ModelCount {
  let shape = input;
  let parameters = 0;
  let multiplyAdds = 0;
  layers.forEach((layer, index) => {
    const count = countLayer(shape, layer, `${where}[${index}] (${layer.kind})`);
    parameters += count.parameters;
    multiplyAdds += count.multiplyAdds;
    shape = count.output;
  });
  return { parameters, multiplyAdds, output: shape };
}

function countLayer(input: TensorShape, layer: LayerSpec, where: string): ModelCount {
  switch (layer.kind) {
    case "conv": {
      const image = expectImage(input, where);
      const [kernelHeight, kernelWidth] = pair(layer.kernel);
      const groups = layer.groups ?? 1;
      positiveInteger(layer.filters, `${where}: filters`);
      positiveInteger(groups, `${where}: groups`);
      if (image.channels % groups !== 0 || layer.filters % groups !== 0) {
        throw new Error(
          `${where}: expected groups to divide input channels and filters, found groups ${groups}, ${image.channels} input channels, ${layer.filters} filters`,
        );
      }
      const output = convolve(image, kernelHeight, kernelWidth, layer, layer.filters, where);
      const perFilter = kernelHeight * kernelWidth * (image.channels / groups);
      return {
        parameters: layer.filters * perFilter + ((layer.bias ?? true) ? layer.filters : 0),
        multiplyAdds: output.height * output.width * layer.filters * perFilter,
        output,
      };
    }
    case "depthwiseConv": {
      const image = expectImage(input, where);
      const [kernelHeight, kernelWidth] = pair(layer.kernel);
      const channels = image.channels * (layer.multiplier ?? 1);
      positiveInteger(channels, `${where}: multiplier`);
      const output = convolve(image, kernelHeight, kernelWidth, layer, channels, where);
      return {
        parameters: channels * kernelHeight * kernelWidth + ((layer.bias ?? true) ? channels : 0),
        multiplyAdds: output.height * output.width * channels * kernelHeight * kernelWidth,
        output,
      };
    }
    case "dense": {
      if (!("features" in input)) {
        throw new Error(
          `${where}: expected a flat input (add a flatten or globalPool layer before it), found an image ${
            describeShape(input)
          }`,
        );
      }
      positiveInteger(layer.units, `${where}: units`);
      return {
        parameters: input.features * layer.units + ((layer.bias ?? true) ? layer.units : 0),
        multiplyAdds: input.features * layer.units,
        output: { features: layer.units },
      };
    }
    case "pool": {
      const image = expectImage(input, where);
      const stride = layer.stride ?? layer.size;
      const output = {
        height: outputSize(image.height, layer.size, stride, layer.padding, layer.ceilMode, where),
        width: outputSize(image.width, layer.size, stride, layer.padding, layer.ceilMode, where),
        channels: image.channels,
      };
      return { parameters: 0, multiplyAdds: 0, output };
    }
    case "globalPool":
      return {
        parameters: 0,
        multiplyAdds: 0,
        output: { features: expectImage(input, where).channels },
      };
    case "flatten": {
      const image = expectImage(input, where);
      return {
        parameters: 0,
        multiplyAdds: 0,
        output: { features: image.height * image.width * image.channels },
      };
    }
    case "batchNorm": {
      const channels = "features" in input ? input.features : input.channels;
      return {
        parameters: channels * (layer.countsRunningStatistics ? 4 : 2),
        multiplyAdds: 0,
        output: input,
      };
    }
    case "concat": {
      const image = expectImage(input, where);
      const counts = layer.branches.map((branch, i) =>
        countLayers(image, branch, `${where}.branches[${i}]`)
      );
      const outputs = counts.map((count, i) =>
        expectImage(count.output, `${where}.branches[${i}]`)
      );
      const first = outputs[0];
      if (first === undefined) throw new Error(`${where}: expected branches, found none`);
      outputs.forEach((output, i) => {
        if (output.height !== first.height || output.width !== first.width) {
          throw new Error(
            `${where}: expected every branch to end at ${first.height}x${first.width}, found ${
              describeShape(output)
            } at branches[${i}]`,
          );
        }
      });
      return {
        parameters: sum(counts.map((count) => count.parameters)),
        multiplyAdds: sum(counts.map((count) => count.multiplyAdds)),
        output: { ...first, channels: sum(outputs.map((output) => output.channels)) },
      };
    }
    case "residual": {
      const main = countLayers(input, layer.main, `${where}.main`);
      const shortcut = countLayers(input, layer.shortcut, `${where}.shortcut`);
      if (describeShape(main.output) !== describeShape(shortcut.output)) {
        throw new Error(
          `${where}: expected the shortcut to end at the main path's shape ${
            describeShape(main.output)
          }, found ${describeShape(shortcut.output)}`,
        );
      }
      return {
        parameters: main.parameters + shortcut.parameters,
        multiplyAdds: main.multiplyAdds + shortcut.multiplyAdds,
        output: main.output,
      };
    }
  }
}

function convolve(
  image: { height: number; width: number },
  kernelHeight: number,
  kernelWidth: number,
  layer: { stride?: number; padding?: Padding },
  channels: number,
  where: string,
): { height: number; width: number; channels: number } {
  const stride = layer.stride ?? 1;
  const [padHeight, padWidth] = typeof layer.padding === "object"
    ? layer.padding
    : [layer.padding, layer.padding];
  return {
    height: outputSize(image.height, kernelHeight, stride, padHeight, false, where),
    width: outputSize(image.width, kernelWidth, stride, padWidth, false, where),
    channels,
  };
}

function outputSize(
  size: number,
  kernel: number,
  stride: number,
  padding: Padding | undefined,
  ceilMode: boolean | undefined,
  where: string,
): number {
  positiveInteger(stride, `${where}: stride`);
  positiveInteger(kernel, `${where}: kernel`);
  const pad = padding ?? "valid";
  let out: number;
  if (pad === "same") {
    out = Math.ceil(size / stride);
  } else {
    const each = pad === "valid" ? 0 : typeof pad === "number" ? pad : pad[0];
    const span = size + 2 * each - kernel;
    out = (ceilMode ? Math.ceil(span / stride) : Math.floor(span / stride)) + 1;
    // PyTorch's rule: with ceil mode, the last window must start inside the input or left padding.
    if (ceilMode && (out - 1) * stride >= size + each) out -= 1;
  }
  if (!(out >= 1)) {
    throw new Error(
      `${where}: expected the kernel (${kernel}) to fit the input (${size}), found an output size of ${out}`,
    );
  }
  return out;
}

function expectImage(shape: TensorShape, where: string) {
  if ("features" in shape) {
    throw new Error(`${where}: expected an image input, found a vector of ${shape.features}`);
  }
  return shape;
}

function positiveInteger(value: number, where: string): void {
  if (!Number.isInteger(value) || value < 1) {
    throw new Error(`${where}: expected an integer >= 1, found ${value}`);
  }
}

function pair(value: number | [number, number]): [number, number] {
  return typeof value === "number" ? [value, value] : value;
}

function sum(values: number[]): number {
  return values.reduce((total, value) => total + value, 0);
}

function describeShape(shape: TensorShape): string {
  return "features" in shape
    ? `a vector of ${shape.features}`
    : `${shape.height}x${shape.width}x${shape.channels}`;
}
