/**
 * Conv2DBackpropFilter for the wasm backend, which tfjs 4.22 lacks (tfjs issue 8474), so that
 * convnets can train on wasm.
 *
 * The filter gradient is a correlation of the input with the output gradient, summed over the
 * batch: dW[kh, kw, c, f] = sum over n, oh, ow of x[n, oh*s + kh, ow*s + kw, c] * dy[n, oh, ow, f]
 * (x padded). Read x as a batch of C images of N channels ([C, H, W, N]) and dy as a filter of
 * size OH x OW from N to F channels ([OH, OW, N, F]): the sum is then wasm's own XNNPACK Conv2D
 * with stride 1 and dilation s, giving [C, KH, KW, F], transposed to [KH, KW, C, F]. One path
 * serves every stride, padding ('same', 'valid', explicit) and data format.
 *
 * @module
 */

import {
  Conv2DBackpropFilter,
  type KernelConfig,
  type KernelFunc,
  type TensorInfo,
} from "@tensorflow/tfjs-core";
import { type BackpropFilterArgs, backpropFilterGeometry } from "./_backprop_filter_geometry.ts";
import { composeKernels } from "./_kernel_calls.ts";

/**
 * Computes the gradient of a 2-D convolution with respect to its filter on the wasm backend.
 *
 * @param args The kernel's inputs (`x`, `dy`), attributes and backend, as tfjs passes them.
 * @returns The filter gradient, shaped like `attrs.filterShape`.
 * @throws {Error} When `dy` does not have the forward output's shape, or a dtype is not float32.
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import { setWasmPaths } from "@tensorflow/tfjs-backend-wasm";
 * import { registerFastKernels } from "./register_kernels.ts";
 * import { wasmDistDirectory } from "../wasm_paths.ts";
 *
 * setWasmPaths(wasmDistDirectory());
 * registerFastKernels("wasm");
 * await tf.setBackend("wasm");
 * const x = tf.ones([1, 3, 3, 1]);
 * const dy = tf.ones([1, 3, 3, 1]);
 * const dW = tf.engine().runKernel("Conv2DBackpropFilter", { x, dy }, {
 *   strides: 1, pad: "same", dataFormat: "NHWC", filterShape: [3, 3, 1, 1],
 * }) as tf.Tensor;
 * // The centre tap sees all 9 pixels; a corner tap sees 4.
 * const values = Array.from(dW.dataSync());
 * if (values[4] !== 9 || values[0] !== 4) throw new Error(`unexpected ${values}`);
 * ```
 */
export function wasmConv2DBackpropFilter(args: BackpropFilterArgs): TensorInfo {
  const { inputs: { x, dy }, backend, attrs } = args;
  const { info, padBottom, padRight } = backpropFilterGeometry(
    x,
    dy,
    attrs,
    "Conv2DBackpropFilter (wasm)",
  );
  const channelsLast = info.dataFormat === "channelsLast";
  return composeKernels(backend, "wasm", (calls) => {
    const images = calls.transpose(x, channelsLast ? [3, 1, 2, 0] : [1, 2, 3, 0]);
    const filter = calls.transpose(dy, channelsLast ? [1, 2, 0, 3] : [2, 3, 0, 1]);
    const correlation = calls.run("Conv2D", { x: images, filter }, {
      strides: [1, 1],
      // The forward stride becomes the spacing of dy's taps over x.
      dilations: [info.strideHeight, info.strideWidth],
      pad: [[0, 0], [info.padInfo.top, padBottom], [info.padInfo.left, padRight], [0, 0]],
      dataFormat: "NHWC",
    });
    // Rows and columns of x that no window reaches give extra outputs; drop them.
    const [channels, height, width, filters] = correlation.shape;
    const cropped = height === info.filterHeight && width === info.filterWidth
      ? correlation
      : calls.run("Slice", { x: correlation }, {
        begin: [0, 0, 0, 0],
        size: [channels, info.filterHeight, info.filterWidth, filters],
      });
    return calls.transpose(cropped, [1, 2, 0, 3]);
  });
}

/**
 * The kernel's registration for 'wasm', for `tf.registerKernel`.
 *
 * @example
 * ```ts
 * import { WASM_CONV2D_BACKPROP_FILTER } from "./wasm_conv2d_backprop_filter.ts";
 * if (WASM_CONV2D_BACKPROP_FILTER.backendName !== "wasm") throw new Error("wrong backend");
 * ```
 */
export const WASM_CONV2D_BACKPROP_FILTER: KernelConfig = {
  kernelName: Conv2DBackpropFilter,
  backendName: "wasm",
  kernelFunc: wasmConv2DBackpropFilter as unknown as KernelFunc,
};
