/**
 * A faster Conv2DBackpropFilter for the webgpu backend.
 *
 * tfjs-webgpu's own kernel runs one thread per filter element, each looping over every batch
 * element and output position: few threads, long loops. This one builds the im2col matrix of x
 * from k x k strided slices ([M, KH*KW*C], M = N*OH*OW rows), then reduces over M as S chunks in
 * one batched matmul ([S, M/S, KH*KW*C]^T x [S, M/S, F]) and sums the S partial products. No
 * atomics, so results repeat run to run. Measured on an H200 for LeNet-5 at batch 512: 5.7k to
 * 20.7k img/s (see shared/reference/performance.md); on Mesa lavapipe it gains nothing.
 *
 * Operands it does not handle (NCHW, an im2col matrix larger than a storage buffer may be) go to
 * the stock kernel, and so does everything on a software (fallback) adapter such as Mesa's
 * lavapipe, where the composite measured slower: LeNet-5 training at batch 64 ran at 122 img/s
 * against the stock kernel's 148 on a 2-core CPU.
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

/** Most chunks the reduction over M is split into: 64 beat 512 on an H200 at batch 512. */
export const MAX_SPLITS = 64;
/** Fewest rows per chunk, so that small problems are not split into tiny matmuls. */
export const MIN_ROWS_PER_SPLIT = 256;
/** Storage-buffer size assumed when the backend does not say (WebGPU's default limit). */
const DEFAULT_MAX_BUFFER_BYTES = 128 * 1024 * 1024;

/** How the reduction over M rows is split. */
export interface SplitPlan {
  /** Number of chunks S. */
  splits: number;
  /** Rows after zero padding, a multiple of `splits` (equal to the rows when S divides them). */
  paddedRows: number;
}

/**
 * Chooses how many chunks to split a reduction over `rows` into: about rows / 256, at most 64,
 * preferring a count that divides the rows so that no padding is needed. A single chunk is only
 * chosen below 512 rows, so tfjs never picks its atomic (nondeterministic) split-K matmul, which
 * it uses for unbatched products with 2000 or more inner rows.
 *
 * @param rows M, the rows of the im2col matrix.
 * @returns The number of chunks and the padded row count.
 * @throws {Error} When `rows` is not a positive integer.
 *
 * @example
 * ```ts
 * import { planSplitReduction } from "./webgpu_conv2d_backprop_filter.ts";
 * const plan = planSplitReduction(64 * 28 * 28);
 * if (plan.splits !== 64 || plan.paddedRows !== 50176) throw new Error(JSON.stringify(plan));
 * ```
 */
export function planSplitReduction(rows: number): SplitPlan {
  if (!Number.isInteger(rows) || rows < 1) {
    throw new Error(`planSplitReduction: expected rows to be a positive integer, found ${rows}`);
  }
  const target = Math.min(MAX_SPLITS, Math.max(1, Math.floor(rows / MIN_ROWS_PER_SPLIT)));
  for (let splits = target; splits >= Math.ceil(target / 2); splits--) {
    if (rows % splits === 0) return { splits, paddedRows: rows };
  }
  return { splits: target, paddedRows: Math.ceil(rows / target) * target };
}

/** The parts of tfjs's WebGPUBackend this file reads. */
type WebGpuDeviceView = {
  device?: {
    limits?: { maxStorageBufferBindingSize?: number };
    adapterInfo?: { isFallbackAdapter?: boolean };
  };
};

/**
 * Computes the filter gradient on the webgpu backend as im2col + split batched matmul, whatever
 * the adapter. The registered kernel calls it only where {@linkcode handlesOnWebGpu} says so.
 *
 * @param args The kernel's inputs (`x`, `dy` in NHWC), attributes and backend.
 * @returns The filter gradient, shaped like `attrs.filterShape`.
 * @throws {Error} When `dy` does not have the forward output's shape, or a dtype is not float32.
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import "@tensorflow/tfjs-backend-webgpu";
 * import { im2colConv2DBackpropFilter } from "./webgpu_conv2d_backprop_filter.ts";
 * tf.env().set("PROD", true);
 * // Needs a WebGPU adapter; Mesa's lavapipe will do.
 * if (await tf.setBackend("webgpu")) {
 *   const ones = tf.ones([1, 3, 3, 1]);
 *   const info = im2colConv2DBackpropFilter({
 *     inputs: { x: ones, dy: ones },
 *     backend: tf.backend(),
 *     attrs: { strides: 1, pad: "same", dataFormat: "NHWC", filterShape: [3, 3, 1, 1] },
 *   });
 *   const values = Array.from(await tf.engine().makeTensorFromTensorInfo(info).data());
 *   // The centre tap sees all 9 pixels; a corner tap sees 4.
 *   if (values.join() !== "4,6,4,6,9,6,4,6,4") throw new Error(`unexpected ${values}`);
 * }
 * ```
 */
export function im2colConv2DBackpropFilter(args: BackpropFilterArgs): TensorInfo {
  const { inputs: { x, dy }, backend, attrs } = args;
  const { info, padBottom, padRight } = backpropFilterGeometry(
    x,
    dy,
    attrs,
    "Conv2DBackpropFilter (webgpu)",
  );
  const { batchSize, outHeight, outWidth, inChannels, outChannels } = info;
  const { filterHeight, filterWidth, strideHeight, strideWidth } = info;
  const { top, left } = info.padInfo;
  const rows = batchSize * outHeight * outWidth;
  const patchSize = filterHeight * filterWidth * inChannels;
  const { splits, paddedRows } = planSplitReduction(rows);
  return composeKernels(backend, "webgpu", (calls) => {
    const padded = top + padBottom + left + padRight === 0 ? x : calls.run("PadV2", { x }, {
      paddings: [[0, 0], [top, padBottom], [left, padRight], [0, 0]],
      constantValue: 0,
    });
    // One slice per filter tap (kh, kw): the input pixels that tap sees, [N, OH, OW, C].
    const taps: TensorInfo[] = [];
    for (let kh = 0; kh < filterHeight; kh++) {
      for (let kw = 0; kw < filterWidth; kw++) {
        taps.push(calls.run("StridedSlice", { x: padded }, {
          begin: [0, kh, kw, 0],
          end: [
            batchSize,
            kh + (outHeight - 1) * strideHeight + 1,
            kw + (outWidth - 1) * strideWidth + 1,
            inChannels,
          ],
          strides: [1, strideHeight, strideWidth, 1],
          beginMask: 0,
          endMask: 0,
          ellipsisMask: 0,
          newAxisMask: 0,
          shrinkAxisMask: 0,
        }));
      }
    }
    // Columns ordered (kh, kw, c), so the product reshapes straight to [KH, KW, C, F].
    const patches = taps.length === 1 ? taps[0] : calls.run("Concat", taps, { axis: 3 });
    let columns = calls.reshape(patches, [rows, patchSize]);
    let gradients = calls.reshape(dy, [rows, outChannels]);
    if (paddedRows > rows) {
      const extra = { paddings: [[0, paddedRows - rows], [0, 0]], constantValue: 0 };
      columns = calls.run("PadV2", { x: columns }, extra);
      gradients = calls.run("PadV2", { x: gradients }, extra);
    }
    const chunkRows = paddedRows / splits;
    const partial = calls.run("BatchMatMul", {
      a: calls.reshape(columns, [splits, chunkRows, patchSize]),
      b: calls.reshape(gradients, [splits, chunkRows, outChannels]),
    }, { transposeA: true, transposeB: false });
    const summed = splits === 1
      ? partial
      : calls.run("Sum", { x: partial }, { axis: [0], keepDims: false });
    return calls.reshape(summed, [filterHeight, filterWidth, inChannels, outChannels]);
  });
}

/**
 * Whether the registered kernel computes these operands with
 * {@linkcode im2colConv2DBackpropFilter}: NHWC float32 operands whose im2col matrix fits in one
 * storage buffer, on an adapter that is not a software fallback (on lavapipe the stock kernel is
 * faster).
 *
 * @param args The kernel's arguments.
 * @returns True when {@linkcode createWebGpuConv2DBackpropFilter}'s kernel computes it itself.
 *
 * @example
 * ```ts
 * import { handlesOnWebGpu } from "./webgpu_conv2d_backprop_filter.ts";
 * const x = { dataId: {}, shape: [2, 8, 8, 3], dtype: "float32" as const };
 * const dy = { dataId: {}, shape: [2, 8, 8, 4], dtype: "float32" as const };
 * const attrs = {
 *   strides: 1, pad: "same" as const, filterShape: [3, 3, 3, 4] as [number, number, number, number],
 * };
 * const backend = {} as Parameters<typeof handlesOnWebGpu>[0]["backend"];
 * if (!handlesOnWebGpu({ inputs: { x, dy }, backend, attrs: { ...attrs, dataFormat: "NHWC" } })) {
 *   throw new Error("NHWC should be handled");
 * }
 * if (handlesOnWebGpu({ inputs: { x, dy }, backend, attrs: { ...attrs, dataFormat: "NCHW" } })) {
 *   throw new Error("NCHW goes to the stock kernel");
 * }
 * ```
 */
export function handlesOnWebGpu(args: BackpropFilterArgs): boolean {
  const { inputs: { x, dy }, attrs } = args;
  const device = (args.backend as unknown as WebGpuDeviceView).device;
  if (device?.adapterInfo?.isFallbackAdapter) return false;
  if (attrs.dataFormat !== "NHWC" || x.dtype !== "float32" || dy.dtype !== "float32") return false;
  const [kernelHeight, kernelWidth, channels] = attrs.filterShape;
  const rows = dy.shape[0] * dy.shape[1] * dy.shape[2];
  if (!(rows > 0)) return false;
  const { paddedRows } = planSplitReduction(rows);
  const columnBytes = paddedRows * kernelHeight * kernelWidth * channels * 4;
  return columnBytes <= (device?.limits?.maxStorageBufferBindingSize ?? DEFAULT_MAX_BUFFER_BYTES);
}

/**
 * Makes the registration of the im2col Conv2DBackpropFilter for 'webgpu'.
 *
 * @param stock The kernel it replaces, which computes whatever this one does not handle.
 * @returns The kernel's registration, for `tf.registerKernel`.
 *
 * @example
 * ```ts
 * import { getKernel } from "@tensorflow/tfjs-core";
 * import "@tensorflow/tfjs-backend-webgpu";
 * import { createWebGpuConv2DBackpropFilter } from "./webgpu_conv2d_backprop_filter.ts";
 * const config = createWebGpuConv2DBackpropFilter(getKernel("Conv2DBackpropFilter", "webgpu"));
 * if (config.backendName !== "webgpu") throw new Error("wrong backend");
 * ```
 */
export function createWebGpuConv2DBackpropFilter(stock: KernelConfig | undefined): KernelConfig {
  const kernelFunc = (args: BackpropFilterArgs): TensorInfo => {
    if (handlesOnWebGpu(args)) return im2colConv2DBackpropFilter(args);
    if (!stock) {
      throw new Error(
        `Conv2DBackpropFilter (webgpu): expected NHWC float32 operands whose im2col matrix fits ` +
          `a storage buffer on a hardware adapter, found ${args.attrs.dataFormat} ` +
          `${args.inputs.x.dtype} x [${args.inputs.x.shape}], and no stock kernel to fall back on`,
      );
    }
    return stock.kernelFunc(args as unknown as Parameters<KernelFunc>[0]) as TensorInfo;
  };
  return {
    kernelName: Conv2DBackpropFilter,
    backendName: "webgpu",
    kernelFunc: kernelFunc as unknown as KernelFunc,
  };
}
