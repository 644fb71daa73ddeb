/**
 * Add for the wasm backend when one operand repeats along the other's last axes with few
 * elements: a convolution's bias (x [N, H, W, 6] + b [6]). tfjs-backend-wasm 4.22 sends it to
 * XNNPACK's broadcasting add, which handles short rows slowly: 4.3 ms for [512, 28, 28, 6] + [6]
 * against 0.75 ms for two tensors of that shape (CPU time, 1 thread). A JavaScript loop over the
 * wasm heap takes about a third of that. Each sum is one float32 addition either way, so the
 * results are the same bytes. Other adds go to the stock kernel.
 *
 * @module
 */

import {
  Add,
  type KernelBackend,
  type KernelConfig,
  type KernelFunc,
  type TensorInfo,
} from "@tensorflow/tfjs-core";
import { wasmHeap } from "./_native_blas_kernel.ts";

/** Rows longer than this stay with XNNPACK, which is fast there (a dense layer's 800 biases). */
export const SHORT_ROW = 64;

/**
 * Whether `small` repeats along the trailing axes of `large`: its shape, without leading ones,
 * is the end of `large`'s, and it has from 2 to {@linkcode SHORT_ROW} elements.
 *
 * @param large The full operand's shape.
 * @param small The repeated operand's shape.
 * @returns The row length (`small`'s size), or `undefined`.
 *
 * @example
 * ```ts
 * import { shortRowBroadcast } from "./wasm_bias_add.ts";
 * if (shortRowBroadcast([512, 28, 28, 6], [6]) !== 6) throw new Error("a conv bias");
 * if (shortRowBroadcast([512, 28, 28, 6], [1, 28, 6]) !== undefined) throw new Error("168 > 64");
 * if (shortRowBroadcast([4, 6], [4, 1]) !== undefined) throw new Error("a column broadcast");
 * ```
 */
export function shortRowBroadcast(
  large: readonly number[],
  small: readonly number[],
): number | undefined {
  const trimmed = small.slice(small.findIndex((size) => size !== 1));
  if (small.every((size) => size === 1) || trimmed.length > large.length) return undefined;
  const tail = large.slice(large.length - trimmed.length);
  if (tail.join() !== trimmed.join()) return undefined;
  const row = trimmed.reduce((a, b) => a * b, 1);
  const size = large.reduce((a, b) => a * b, 1);
  return row >= 2 && row <= SHORT_ROW && row < size ? row : undefined;
}

/**
 * Makes the kernel's registration for 'wasm'. Adds other than a float32 tensor plus a short
 * repeated row go to `stock`.
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
 * const sum = tf.add(tf.tensor2d([[1, 2], [3, 4]]), tf.tensor1d([10, 20]));
 * if (sum.dataSync().join() !== "11,22,13,24") throw new Error(`${sum.dataSync()}`);
 * ```
 */
export function createWasmBiasAdd(stock: KernelConfig | undefined): KernelConfig {
  if (!stock) {
    throw new Error("wasm Add: expected the stock wasm kernel to be registered, found none");
  }
  const kernelFunc = (
    args: { inputs: { a: TensorInfo; b: TensorInfo }; backend: KernelBackend },
  ): TensorInfo => {
    const { inputs: { a, b }, backend } = args;
    if (a.dtype === "float32" && b.dtype === "float32") {
      const bRow = shortRowBroadcast(a.shape, b.shape);
      const aRow = bRow === undefined ? shortRowBroadcast(b.shape, a.shape) : undefined;
      const [large, small, row] = bRow !== undefined ? [a, b, bRow] : [b, a, aRow];
      if (row !== undefined) {
        const heap = wasmHeap(backend);
        const out = heap.makeOutput([...large.shape], "float32");
        const sums = heap.typedArrayFromHeap(out);
        const values = heap.typedArrayFromHeap(large);
        const repeated = heap.typedArrayFromHeap(small);
        for (let start = 0; start < sums.length; start += row) {
          for (let j = 0; j < row; j++) sums[start + j] = values[start + j] + repeated[j];
        }
        return out;
      }
    }
    return stock.kernelFunc(args as unknown as Parameters<KernelFunc>[0]) as TensorInfo;
  };
  return {
    kernelName: Add,
    backendName: "wasm",
    kernelFunc: kernelFunc as unknown as KernelFunc,
    setupFunc: stock.setupFunc,
  };
}
