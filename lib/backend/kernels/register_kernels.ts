/**
 * Registers the framework's own kernels: the ones a backend lacks, and faster replacements.
 *
 * @module
 */

// The backends' stock kernels must be registered before ours replace or join them.
import "@tensorflow/tfjs-backend-wasm";
import "@tensorflow/tfjs-backend-webgpu";
import {
  getKernel,
  type KernelConfig,
  registerKernel,
  unregisterKernel,
} from "@tensorflow/tfjs-core";
import { preferNativeBlas } from "./_native_blas_kernel.ts";
import { blasBatchMatMul, blasFusedMatMul } from "./blas_mat_mul.ts";
import { blasConv2DBackpropFilter } from "./blas_conv2d_backprop_filter.ts";
import { createWasmBatchMatMul } from "./wasm_batch_mat_mul.ts";
import { WASM_MAX_POOL_GRAD } from "./wasm_max_pool_grad.ts";
import { createWasmConv2DBackpropInput } from "./wasm_conv2d_backprop_input.ts";
import { WASM_CONV2D_BACKPROP_FILTER } from "./wasm_conv2d_backprop_filter.ts";
import { WASM_UNSORTED_SEGMENT_SUM } from "./wasm_unsorted_segment_sum.ts";
import { WASM_IDENTITY } from "./wasm_identity.ts";
import { createWasmSum } from "./wasm_sum.ts";
import { createWasmBiasAdd } from "./wasm_bias_add.ts";
import { createWebGpuConv2DBackpropFilter } from "./webgpu_conv2d_backprop_filter.ts";

/** Makes a kernel's registration from the stock kernel it replaces, if there is one. */
type KernelFactory = {
  kernelName: string;
  create: (stock: KernelConfig | undefined) => KernelConfig;
};

/** The framework's kernels per backend. */
const FAST_KERNELS: Record<string, readonly KernelFactory[]> = {
  // tfjs-backend-wasm 4.22 has no Conv2DBackpropFilter at all (tfjs issue 8474).
  wasm: [
    // With a native BLAS in use (native_blas.ts), filter gradients and matmuls go to its sgemm.
    {
      kernelName: "Conv2DBackpropFilter",
      create: () => preferNativeBlas(blasConv2DBackpropFilter, WASM_CONV2D_BACKPROP_FILTER),
    },
    // tfjs-wasm's runs plain C++ loops; a convolution of dy with the flipped filter uses XNNPACK.
    { kernelName: "Conv2DBackpropInput", create: createWasmConv2DBackpropInput },
    // tfjs-wasm's transposed matmuls (every dense layer's gradients) run plain C++ loops.
    {
      kernelName: "BatchMatMul",
      create: (stock) => preferNativeBlas(blasBatchMatMul, createWasmBatchMatMul(stock)),
    },
    {
      kernelName: "_FusedMatMul",
      create: (stock) => preferNativeBlas(blasFusedMatMul, requireStock(stock)),
    },
    // tfjs-wasm's C++ loop took 7.6 ms a LeNet-5 step at batch 64; a JavaScript loop, 2 to 3 ms.
    { kernelName: "MaxPoolGrad", create: () => WASM_MAX_POOL_GRAD },
    // tfjs-backend-wasm 4.22 has none; tf.gather's gradient (every embedding layer's) needs it.
    { kernelName: "UnsortedSegmentSum", create: () => WASM_UNSORTED_SEGMENT_SUM },
    // tfjs-wasm's copies the tensor; sharing its data is enough (tensors never change).
    { kernelName: "Identity", create: () => WASM_IDENTITY },
    // tfjs-wasm's transposes first for a sum over leading axes (every bias gradient).
    { kernelName: "Sum", create: createWasmSum },
    // tfjs-wasm's broadcasting add is slow for short repeated rows (a convolution's bias).
    { kernelName: "Add", create: createWasmBiasAdd },
  ],
  // tfjs-webgpu's runs one thread per filter element; im2col + batched matmul is faster on GPUs.
  webgpu: [{ kernelName: "Conv2DBackpropFilter", create: createWebGpuConv2DBackpropFilter }],
};

/** The stock kernel a BLAS kernel falls back on; tfjs-backend-wasm 4.22 registers each. */
function requireStock(stock: KernelConfig | undefined): KernelConfig {
  if (!stock) {
    throw new Error("Expected tfjs-backend-wasm to register its own kernel first, found none");
  }
  return stock;
}

/** Our registrations, by "backend/kernel", so that a second call changes nothing. */
const registered = new Map<string, KernelConfig>();

/**
 * Registers the framework's kernels for one backend, replacing the stock ones they improve on.
 * Idempotent: a second call registers nothing new. Call it before or after the backend is
 * initialised; none of these kernels needs a setup step.
 *
 * @param backendName "wasm", "webgpu", "cpu", ...
 * @returns The names of the framework's kernels now in place for that backend (none for cpu).
 *
 * @example
 * ```ts
 * import { getKernel } from "@tensorflow/tfjs-core";
 * import { registerFastKernels } from "./register_kernels.ts";
 * const names = registerFastKernels("wasm");
 * const expected = "Conv2DBackpropFilter,Conv2DBackpropInput,BatchMatMul,_FusedMatMul," +
 *   "MaxPoolGrad,UnsortedSegmentSum,Identity,Sum,Add";
 * if (names.join() !== expected) throw new Error(names.join());
 * if (!getKernel("Conv2DBackpropFilter", "wasm")) throw new Error("not registered");
 * if (registerFastKernels("wasm").join() !== names.join()) throw new Error("not idempotent");
 * if (registerFastKernels("cpu").length !== 0) throw new Error("cpu needs none");
 * ```
 */
export function registerFastKernels(backendName: string): string[] {
  const names: string[] = [];
  for (const { kernelName, create } of FAST_KERNELS[backendName] ?? []) {
    const key = `${backendName}/${kernelName}`;
    const current = getKernel(kernelName, backendName);
    const ours = registered.get(key);
    if (ours === undefined || current !== ours) {
      const config = create(current);
      // Unregister first: registerKernel would replace it anyway, but warns on the console.
      if (current) unregisterKernel(kernelName, backendName);
      registerKernel(config);
      registered.set(key, config);
    }
    names.push(kernelName);
  }
  return names;
}
