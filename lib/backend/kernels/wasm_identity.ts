/**
 * Identity for the wasm backend without a copy. tfjs-backend-wasm 4.22 copies the tensor (a
 * relaxed element-by-element copy, since the threaded build's heap is a SharedArrayBuffer):
 * 37 calls and 3.6 ms of CPU a LeNet-5 training step at batch 512. Tensors never change once
 * written, so the output can share the input's data, as tfjs's cpu and webgpu kernels do.
 *
 * @module
 */

import {
  Identity,
  type KernelBackend,
  type KernelConfig,
  type KernelFunc,
  type TensorInfo,
} from "@tensorflow/tfjs-core";

/**
 * Returns `x` itself as a new tensor over the same data (one more reference to it).
 *
 * @param args The kernel's input and backend.
 * @returns A tensor sharing `x`'s data.
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
 * const x = tf.tensor1d([1, 2, 3]);
 * const copy = tf.clone(x);
 * x.dispose();
 * if (copy.dataSync().join() !== "1,2,3") throw new Error("the data outlives x");
 * ```
 */
export function wasmIdentity(
  args: { inputs: { x: TensorInfo }; backend: KernelBackend },
): TensorInfo {
  const { inputs: { x }, backend } = args;
  backend.incRef(x.dataId);
  return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
}

/**
 * The kernel's registration for 'wasm', for `tf.registerKernel`.
 *
 * @example
 * ```ts
 * import { WASM_IDENTITY } from "./wasm_identity.ts";
 * if (WASM_IDENTITY.kernelName !== "Identity") throw new Error("wrong kernel");
 * ```
 */
export const WASM_IDENTITY: KernelConfig = {
  kernelName: Identity,
  backendName: "wasm",
  kernelFunc: wasmIdentity as unknown as KernelFunc,
};
