/**
 * Sum over leading axes for the wasm backend, as every bias gradient needs (dy [N, H, W, F] summed
 * to [F]). tfjs-backend-wasm 4.22 first transposes the input so that the summed axes come last,
 * then sums each output's elements in order: 6.3 ms of CPU a LeNet-5 training step at batch 512.
 * This kernel reads the input as it lies, adding row after row into the output, in the same
 * order and in float32 (each partial sum rounded to float32, as the C++ loop does), so its
 * results are the same bytes. Other reductions go to the stock kernel.
 *
 * @module
 */

import {
  backend_util,
  type KernelBackend,
  type KernelConfig,
  type KernelFunc,
  Sum,
  type SumAttrs,
  type TensorInfo,
  util,
} from "@tensorflow/tfjs-core";
import { wasmHeap } from "./_native_blas_kernel.ts";

/** A Sum kernel's arguments, as tfjs passes them. */
export interface SumArgs {
  inputs: { x: TensorInfo };
  backend: KernelBackend;
  attrs: SumAttrs;
}

/**
 * How many leading axes a sum reduces, when it reduces exactly the leading ones.
 *
 * @param shape The input's shape.
 * @param axis The attribute: an axis, a list, negative ones counted from the end.
 * @returns The count (at least 1, fewer than the rank), or `undefined` for other reductions.
 *
 * @example
 * ```ts
 * import { leadingSumAxes } from "./wasm_sum.ts";
 * if (leadingSumAxes([64, 28, 28, 6], [0, 1, 2]) !== 3) throw new Error("a conv bias gradient");
 * if (leadingSumAxes([64, 800], -1) !== undefined) throw new Error("the last axis is stock's");
 * ```
 */
export function leadingSumAxes(
  shape: readonly number[],
  axis: number | number[],
): number | undefined {
  const axes = util.parseAxisParam(axis, [...shape]).sort((a, b) => a - b);
  const count = axes.length;
  if (count === 0 || count >= shape.length) return undefined;
  return axes.every((value, i) => value === i) ? count : undefined;
}

/**
 * Makes the kernel's registration for 'wasm'. Reductions other than over leading axes of a
 * float32 tensor go to `stock`.
 *
 * @param stock The kernel registered before.
 * @returns The registration, for `tf.registerKernel`.
 * @throws {Error} When `stock` is missing.
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
 * const sums = tf.sum(tf.tensor2d([[1, 2], [3, 4], [5, 6]]), 0);
 * if (sums.dataSync().join() !== "9,12") throw new Error(`${sums.dataSync()}`);
 * ```
 */
export function createWasmSum(stock: KernelConfig | undefined): KernelConfig {
  if (!stock) {
    throw new Error("wasm Sum: expected the stock wasm kernel to be registered, found none");
  }
  const kernelFunc = (args: SumArgs): TensorInfo => {
    const { inputs: { x }, backend, attrs: { axis, keepDims } } = args;
    const leading = x.dtype === "float32" ? leadingSumAxes(x.shape, axis) : undefined;
    if (leading === undefined) {
      return stock.kernelFunc(args as unknown as Parameters<KernelFunc>[0]) as TensorInfo;
    }
    const rows = util.sizeFromShape(x.shape.slice(0, leading));
    const kept = x.shape.slice(leading);
    const outShape = keepDims
      ? backend_util.expandShapeToKeepDim(kept, Array.from({ length: leading }, (_, i) => i))
      : kept;
    const heap = wasmHeap(backend);
    const out = heap.makeOutput(outShape, "float32");
    const sums = heap.typedArrayFromHeap(out);
    const values = heap.typedArrayFromHeap(x);
    const width = sums.length;
    for (let j = 0; j < width; j++) sums[j] = 0;
    // Row after row: each output's partial sums in the stock loop's order, rounded to float32.
    for (let row = 0, offset = 0; row < rows; row++, offset += width) {
      for (let j = 0; j < width; j++) sums[j] += values[offset + j];
    }
    return out;
  };
  return {
    kernelName: Sum,
    backendName: "wasm",
    kernelFunc: kernelFunc as unknown as KernelFunc,
    setupFunc: stock.setupFunc,
  };
}
