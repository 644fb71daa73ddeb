/**
 * The tfjs kernels a model's forward and backward passes dispatch, beyond the element-wise ones
 * every backend has: what backend choice checks with `tf.getKernel` before training starts.
 *
 * Read from tfjs 4.22's layers and gradients (and checked by recording the kernels a forward and
 * backward pass of every layer kind dispatches, in tests/model_kernels_test.ts). The lists are
 * per kind, not per shape, so they may name a kernel a particular model does not reach (a dense
 * layer's Transpose is needed only on a `[steps, features]` input), never the other way round.
 *
 * @module
 */

import { type LayerSpec, type LayerSpecInput, parseLayers } from "./layer_spec.ts";

/**
 * Kernels each layer kind needs, inference and training. Fused kernels serve inference and
 * linear activations; under a gradient tape tfjs runs the unfused ones instead.
 */
const KIND_KERNELS: Record<LayerSpec["kind"], readonly string[]> = {
  // K.dot reshapes (and, on [steps, features], transposes) around the matmul; the bias gradient
  // sums over the batch.
  dense: ["_FusedMatMul", "BatchMatMul", "Reshape", "Sum", "Transpose"],
  conv: ["FusedConv2D", "Conv2D", "Conv2DBackpropInput", "Conv2DBackpropFilter", "Reshape", "Sum"],
  depthwiseConv: [
    "DepthwiseConv2dNative",
    "DepthwiseConv2dNativeBackpropInput",
    "DepthwiseConv2dNativeBackpropFilter",
    "Reshape",
    "Sum",
  ],
  pool: [], // By mode, below.
  globalPool: [], // By mode, below.
  flatten: ["Reshape"],
  reshape: ["Reshape"],
  activation: [],
  dropout: [],
  // Training normalises with tf.moments (Mean, Sum); the gradient tiles the batch statistics.
  batchNorm: ["FusedBatchNorm", "Mean", "Sum", "Reshape", "Tile"],
  // The addition's gradient reshapes.
  residual: ["Reshape"],
  // Concat's gradient splits.
  concat: ["Concat", "SplitV"],
  // Gather's gradient scatters the rows back: UnsortedSegmentSum, after a transpose.
  embedding: ["GatherV2", "UnsortedSegmentSum", "Reshape", "Transpose"],
  // K.rnn transposes to time-major, unstacks the steps and stacks the outputs; the initial state
  // is a tiled sum of zeros.
  rnn: ["_FusedMatMul", "BatchMatMul", "Pack", "Unpack", "Reshape", "Sum", "Tile", "Transpose"],
  polynomial: ["Concat", "SplitV", "Reshape"],
};

/**
 * Lists the tfjs kernels (as registered, e.g. `Conv2DBackpropFilter`) that the forward and
 * backward passes of a model built from `layers` dispatch, beyond element-wise ones. The loss
 * and the optimizer need their own (a softmax cross-entropy needs `Softmax`, `Max`, `Sum`).
 *
 * @param layers The model's layers, as written or parsed.
 * @returns Kernel names, sorted, each once.
 * @throws {ConfigError} When a layer spec is invalid.
 *
 * @example
 * ```ts
 * import { modelKernels } from "./model_kernels.ts";
 * const kernels = modelKernels([
 *   { kind: "embedding", vocabulary: 100, units: 8 },
 *   { kind: "rnn", cell: "lstm", units: 16 },
 * ]);
 * if (!kernels.includes("UnsortedSegmentSum")) throw new Error(kernels.join());
 * ```
 */
export function modelKernels(layers: readonly LayerSpecInput[]): string[] {
  const names = new Set<string>();
  const visit = (layer: LayerSpec) => {
    for (const name of KIND_KERNELS[layer.kind]) names.add(name);
    switch (layer.kind) {
      case "conv":
      case "depthwiseConv":
        // A zero-padding layer first; its gradient slices the padding off.
        if (typeof layer.padding === "number" || Array.isArray(layer.padding)) {
          names.add("PadV2").add("Slice");
        }
        break;
      case "pool":
        if (layer.mode === "max") names.add("MaxPool").add("MaxPoolGrad");
        else names.add("AvgPool").add("AvgPoolGrad");
        break;
      case "globalPool":
        names.add(layer.mode === "max" ? "Max" : "Mean").add("Reshape");
        break;
      case "residual":
        [...layer.main, ...layer.shortcut].forEach(visit);
        break;
      case "concat":
        layer.branches.flat().forEach(visit);
        break;
      case "rnn":
        // LSTM and GRU cells split the gate pre-activations; the gradient concatenates them.
        if (layer.cell !== "simple") names.add("SplitV").add("Concat");
        break;
    }
  };
  parseLayers(layers).forEach(visit);
  return [...names].sort();
}
