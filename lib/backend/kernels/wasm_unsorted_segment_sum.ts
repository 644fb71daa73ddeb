/**
 * UnsortedSegmentSum for the wasm backend, which tfjs-backend-wasm 4.22 lacks: the gradient of
 * `tf.gather`, so of every embedding layer, needs it. It runs in JavaScript directly on the wasm
 * heap (no copies), one pass over the input, summing in float64 before rounding once to the
 * output's type, as tfjs's cpu kernel does through its float64 Sum.
 *
 * @module
 */

import {
  type KernelBackend,
  type KernelConfig,
  type KernelFunc,
  type TensorInfo,
  UnsortedSegmentSum,
  type UnsortedSegmentSumAttrs,
} from "@tensorflow/tfjs-core";

/** An UnsortedSegmentSum kernel's arguments, as tfjs passes them. */
export interface UnsortedSegmentSumArgs {
  /** The values and, for each row of them (along the first axis), the segment it belongs to. */
  inputs: { x: TensorInfo; segmentIds: TensorInfo };
  backend: KernelBackend;
  attrs: UnsortedSegmentSumAttrs;
}

/** The part of tfjs-backend-wasm's BackendWasm this kernel uses. */
interface WasmHeapBackend {
  makeOutput(shape: number[], dtype: "float32" | "int32"): TensorInfo;
  typedArrayFromHeap(info: TensorInfo): Float32Array | Int32Array;
}

/**
 * Sums the rows of `x` into segments: `out[segmentIds[i]] += x[i]`, where a row is the
 * `x.length / segmentIds.length` values that share a segment id. Ids outside [0, segments) are
 * dropped, as in tfjs's cpu kernel and TensorFlow.
 *
 * @param x The values, row-major.
 * @param segmentIds One id per row.
 * @param out Receives the sums, `segments × rowLength` values; overwritten.
 *
 * @example
 * ```ts
 * import { sumSegments } from "./wasm_unsorted_segment_sum.ts";
 * const out = new Float32Array(3 * 2);
 * sumSegments(new Float32Array([1, 2, 3, 4, 5, 6]), new Int32Array([2, 0, 2]), out);
 * if (out.join() !== "3,4,0,0,6,8") throw new Error(`segment sums: ${out}`);
 * ```
 */
export function sumSegments(
  x: Float32Array | Int32Array,
  segmentIds: Int32Array,
  out: Float32Array | Int32Array,
): void {
  const rows = segmentIds.length;
  const rowLength = rows === 0 ? 0 : x.length / rows;
  const segments = rowLength === 0 ? 0 : out.length / rowLength;
  const sums = new Float64Array(out.length);
  for (let row = 0; row < rows; row++) {
    const segment = segmentIds[row];
    if (segment < 0 || segment >= segments) continue;
    const from = row * rowLength;
    const to = segment * rowLength;
    for (let k = 0; k < rowLength; k++) sums[to + k] += x[from + k];
  }
  out.set(sums);
}

/**
 * Computes an unsorted segment sum on the wasm backend.
 *
 * @param args The kernel's arguments.
 * @returns `[numSegments, ...x.shape.slice(1)]`, of `x`'s dtype.
 * @throws {Error} When a dtype is unsupported or there is not one segment id per row of `x`.
 */
export function wasmUnsortedSegmentSum(args: UnsortedSegmentSumArgs): TensorInfo {
  const { inputs: { x, segmentIds }, attrs: { numSegments } } = args;
  const backend = args.backend as unknown as WasmHeapBackend;
  if (x.dtype !== "float32" && x.dtype !== "int32") {
    throw new Error(
      `UnsortedSegmentSum (wasm): expected x to be float32 or int32, found ${x.dtype}`,
    );
  }
  if (segmentIds.dtype !== "int32") {
    throw new Error(
      `UnsortedSegmentSum (wasm): expected segmentIds to be int32, found ${segmentIds.dtype}`,
    );
  }
  // tf.unsortedSegmentSum takes rank-1 ids (tf.gather's gradient flattens its indices first),
  // and tfjs's cpu kernel gives other shapes for more.
  if (segmentIds.shape.length !== 1 || x.shape.length < 1 || x.shape[0] !== segmentIds.shape[0]) {
    throw new Error(
      `UnsortedSegmentSum (wasm): expected segmentIds of shape [${
        x.shape[0] ?? 1
      }], one id per row of x [${x.shape}], found [${segmentIds.shape}]`,
    );
  }
  // Allocate first: growing the wasm memory detaches views made before.
  const outInfo = backend.makeOutput([numSegments, ...x.shape.slice(1)], x.dtype);
  sumSegments(
    backend.typedArrayFromHeap(x),
    backend.typedArrayFromHeap(segmentIds) as Int32Array,
    backend.typedArrayFromHeap(outInfo),
  );
  return outInfo;
}

/**
 * The kernel's registration for 'wasm', for `tf.registerKernel`.
 *
 * @example
 * ```ts
 * import { WASM_UNSORTED_SEGMENT_SUM } from "./wasm_unsorted_segment_sum.ts";
 * if (WASM_UNSORTED_SEGMENT_SUM.kernelName !== "UnsortedSegmentSum") throw new Error("wrong");
 * ```
 */
export const WASM_UNSORTED_SEGMENT_SUM: KernelConfig = {
  kernelName: UnsortedSegmentSum,
  backendName: "wasm",
  kernelFunc: wasmUnsortedSegmentSum as unknown as KernelFunc,
};
