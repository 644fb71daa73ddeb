/**
 * Puts a native-BLAS kernel in front of a wasm kernel: while a BLAS is in use
 * (`activeNativeBlas()`), calls go to the BLAS kernel, and to the wasm kernel otherwise or when
 * the BLAS kernel declines a case.
 *
 * @module
 */

import type { KernelBackend, KernelConfig, KernelFunc, TensorInfo } from "@tensorflow/tfjs-core";
import { activeNativeBlas, type NativeBlas } from "../native_blas.ts";

/** The part of tfjs-backend-wasm's BackendWasm the BLAS kernels use. */
export interface WasmHeapBackend {
  /** Allocates a tensor on the wasm heap (uninitialised unless `values` is given). */
  makeOutput(shape: number[], dtype: "float32"): TensorInfo;
  /** A view of a tensor's data on the wasm heap. */
  typedArrayFromHeap(info: TensorInfo): Float32Array;
  /** Frees a tensor's data. */
  disposeData(dataId: object): boolean;
}

/** A kernel's arguments, as tfjs passes them. */
export interface NativeKernelArgs<Inputs, Attrs> {
  inputs: Inputs;
  backend: KernelBackend;
  attrs: Attrs;
}

/**
 * A BLAS kernel: computes the result, or returns `undefined` for a case it leaves to the wasm
 * kernel.
 */
export type NativeBlasKernel<Inputs, Attrs> = (
  args: NativeKernelArgs<Inputs, Attrs>,
  blas: NativeBlas,
) => TensorInfo | undefined;

/**
 * Makes the registration: the BLAS kernel first, `fallback` for the rest.
 *
 * @param native The BLAS kernel.
 * @param fallback The wasm kernel (the framework's or the stock one).
 * @returns The registration, with `fallback`'s name, backend and setup.
 */
export function preferNativeBlas<Inputs, Attrs>(
  native: NativeBlasKernel<Inputs, Attrs>,
  fallback: KernelConfig,
): KernelConfig {
  const kernelFunc = (args: NativeKernelArgs<Inputs, Attrs>): TensorInfo | TensorInfo[] => {
    const blas = activeNativeBlas();
    const result = blas ? native(args, blas) : undefined;
    return result ?? fallback.kernelFunc(args as unknown as Parameters<KernelFunc>[0]);
  };
  return {
    kernelName: fallback.kernelName,
    backendName: fallback.backendName,
    kernelFunc: kernelFunc as unknown as KernelFunc,
    // The wasm backend runs each registered kernel's setup when it initialises.
    setupFunc: fallback.setupFunc,
  };
}

/**
 * The wasm backend a kernel was called with, as the BLAS kernels use it.
 *
 * @param backend The kernel's backend.
 * @returns The same object, typed.
 */
export function wasmHeap(backend: KernelBackend): WasmHeapBackend {
  return backend as unknown as WasmHeapBackend;
}
