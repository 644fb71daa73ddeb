/**
 * BatchMatMul for the wasm backend without its slow transposed paths. tfjs-backend-wasm 4.22
 * sends a matmul to XNNPACK only when neither operand is transposed; with `transposeA` or
 * `transposeB` it runs plain C++ loops, 10 to 15 times slower. Every dense layer's backward pass
 * asks for those (dx = dy·Wᵀ, dW = xᵀ·dy): on a 2-core machine the two gradients of a 784x800
 * layer at batch 64 took 42 and 36 ms against 3 ms untransposed.
 *
 * The untransposed path has its own cost: XNNPACK packs the right operand on every call unless it
 * is the tensor it packed last time, so the forward x·W of a layer whose weights change every
 * step (training) repacks W: 9.5 ms for 784x800, against 3.8 ms for (Wᵀ·xᵀ)ᵀ.
 *
 * This kernel materialises the transposes with the backend's Transpose and runs the plain
 * matmul, choosing between C = op(A)·op(B) and C = (op(B)ᵀ·op(A)ᵀ)ᵀ by how many elements each
 * copies and XNNPACK packs. Batched matmuls (more than one matrix per operand), other dtypes and
 * calls where the stock kernel is cheapest go to the stock kernel.
 *
 * @module
 */

import {
  BatchMatMul,
  type BatchMatMulAttrs,
  type KernelBackend,
  type KernelConfig,
  type KernelFunc,
  type TensorInfo,
} from "@tensorflow/tfjs-core";
import { composeKernels, type KernelCalls } from "./_kernel_calls.ts";

/** A BatchMatMul kernel's arguments, as tfjs passes them. */
export interface BatchMatMulArgs {
  inputs: { a: TensorInfo; b: TensorInfo };
  backend: KernelBackend;
  attrs: BatchMatMulAttrs;
}

/**
 * How to compute a transposed matmul with untransposed ones: `direct` computes op(A)·op(B);
 * `swapped` computes op(B)ᵀ·op(A)ᵀ and transposes the result.
 */
export type MatMulOrder = "direct" | "swapped";

const product = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);

/**
 * What XNNPACK's packing of a matmul's right operand costs, relative to transposing an element.
 * Measured on a 2-core machine: a fresh 784x800 right operand took 9.5 ms (packing, then 2.5 ms
 * of arithmetic), transposing it 0.74 ms.
 */
export const PACKING_COST = 8;

/**
 * What one extra kernel call (a Transpose) costs regardless of size, in transposed elements:
 * about 20 µs, so that small matmuls stay one call.
 */
export const KERNEL_CALL_COST = 16_384;

/**
 * Chooses how to compute `op(A)·op(B)` on wasm, or that the stock kernel should: when the plain
 * product is cheapest anyway, or either operand holds more than one matrix. The cost counted is
 * elements transposed, {@linkcode KERNEL_CALL_COST} per transpose, and
 * {@linkcode PACKING_COST} per element of the right operand, which
 * XNNPACK packs on every call unless it is the same tensor as before (tfjs caches the packing by
 * tensor): an operand listed in `reused` is taken to be packed once and reused, and costs nothing.
 *
 * @param aShape A's shape.
 * @param bShape B's shape.
 * @param transposeA Whether A is used transposed.
 * @param transposeB Whether B is used transposed.
 * @param reused Which operands have been seen before (weights at inference), so packing them
 *   once pays off.
 * @returns The order, or `undefined` for the stock kernel.
 *
 * @example
 * ```ts
 * import { planWasmMatMul } from "./wasm_batch_mat_mul.ts";
 * // dW = xᵀ·dy for a 784x800 layer at batch 64: transpose x (50k elements), pack dy.
 * if (planWasmMatMul([64, 784], [64, 800], true, false) !== "direct") throw new Error();
 * // dx = dy·Wᵀ: transposing and packing W (627k) costs more than W·dyᵀ transposed back.
 * if (planWasmMatMul([64, 800], [784, 800], false, true) !== "swapped") throw new Error();
 * // The forward x·W with new weights (training): packing W costs more than transposing it.
 * if (planWasmMatMul([64, 784], [784, 800], false, false) !== "swapped") throw new Error();
 * // ...but weights used again (inference) are packed once: the stock kernel.
 * const reused = { a: false, b: true };
 * if (planWasmMatMul([64, 784], [784, 800], false, false, reused) !== undefined) throw new Error();
 * ```
 */
export function planWasmMatMul(
  aShape: readonly number[],
  bShape: readonly number[],
  transposeA: boolean,
  transposeB: boolean,
  reused: { a: boolean; b: boolean } = { a: false, b: false },
): MatMulOrder | undefined {
  if (product(aShape.slice(0, -2)) !== 1 || product(bShape.slice(0, -2)) !== 1) return undefined;
  const aSize = product(aShape);
  const bSize = product(bShape);
  const rows = transposeA ? aShape[aShape.length - 1] : aShape[aShape.length - 2];
  const columns = transposeB ? bShape[bShape.length - 2] : bShape[bShape.length - 1];
  const transpose = (size: number) => size + KERNEL_CALL_COST;
  // direct: op(A)·op(B), packing op(B): B itself unless transposed.
  const direct = (transposeA ? transpose(aSize) : 0) + (transposeB ? transpose(bSize) : 0) +
    (transposeB || !reused.b ? PACKING_COST * bSize : 0);
  // swapped: (op(B)ᵀ·op(A)ᵀ)ᵀ, packing op(A)ᵀ: A itself when A is used transposed.
  const swapped = (transposeB ? 0 : transpose(bSize)) + (transposeA ? 0 : transpose(aSize)) +
    (!transposeA || !reused.a ? PACKING_COST * aSize : 0) + transpose(rows * columns);
  // Against the stock kernel, swap only for a clear win: at batch 512 the estimate (4.7M against
  // 5.0M for a 784x800 layer) favoured swapping, but it measured slower (89 against 75 ms a step).
  if (!transposeA && !transposeB) return 2 * swapped < direct ? "swapped" : undefined;
  return swapped < direct ? "swapped" : "direct";
}

/** Tensors (by data) a matmul has seen: a second use suggests weights, worth packing once. */
const seenOperands = new WeakSet<object>();

/** Whether `x` has been an operand before; remembers it for next time. */
function seenBefore(x: TensorInfo): boolean {
  const seen = seenOperands.has(x.dataId);
  seenOperands.add(x.dataId);
  return seen;
}

/** Multiplies two matrices, neither transposed, with the wasm backend's kernel. */
function plainMatMul(calls: KernelCalls, a: TensorInfo, b: TensorInfo): TensorInfo {
  // The registry holds this kernel: send the call straight on to the stock one.
  callingStock = true;
  try {
    return calls.run("BatchMatMul", { a, b }, { transposeA: false, transposeB: false });
  } finally {
    callingStock = false;
  }
}

/** Set while this kernel calls the stock kernel through the registry. */
let callingStock = false;

/**
 * Makes the kernel's registration for 'wasm'. Calls it does not improve go to `stock`.
 *
 * @param stock The kernel registered before.
 * @returns The registration, for `tf.registerKernel`.
 * @throws {Error} When `stock` is missing: the untransposed matmul is the stock kernel's.
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
 * const a = tf.tensor2d([[1, 2], [3, 4]]);
 * const product = tf.matMul(a, a, true, false); // aᵀ·a
 * if (product.dataSync().join() !== "10,14,14,20") throw new Error(`${product.dataSync()}`);
 * ```
 */
export function createWasmBatchMatMul(stock: KernelConfig | undefined): KernelConfig {
  if (!stock) {
    throw new Error(
      "wasm BatchMatMul: expected the stock wasm kernel to be registered, found none",
    );
  }
  const kernelFunc = (args: BatchMatMulArgs): TensorInfo => {
    const { inputs: { a, b }, backend, attrs: { transposeA, transposeB } } = args;
    if (callingStock) {
      return stock.kernelFunc(args as unknown as Parameters<KernelFunc>[0]) as TensorInfo;
    }
    const reused = { a: seenBefore(a), b: seenBefore(b) };
    const order = a.dtype === "float32" && b.dtype === "float32"
      ? planWasmMatMul(a.shape, b.shape, transposeA, transposeB, reused)
      : undefined;
    if (!order) return stock.kernelFunc(args as unknown as Parameters<KernelFunc>[0]) as TensorInfo;
    const matrix = (x: TensorInfo) => x.shape.slice(-2);
    const [aRows, aColumns] = matrix(a);
    const [bRows, bColumns] = matrix(b);
    const rows = transposeA ? aColumns : aRows;
    const columns = transposeB ? bRows : bColumns;
    const outerOnes = new Array(Math.max(a.shape.length, b.shape.length) - 2).fill(1);
    return composeKernels(backend, "wasm", (calls) => {
      const a2 = calls.reshape(a, matrix(a));
      const b2 = calls.reshape(b, matrix(b));
      const swap = (x: TensorInfo) => calls.transpose(x, [1, 0]);
      const result = order === "direct"
        ? plainMatMul(calls, transposeA ? swap(a2) : a2, transposeB ? swap(b2) : b2)
        : swap(plainMatMul(calls, transposeB ? b2 : swap(b2), transposeA ? a2 : swap(a2)));
      return calls.reshape(result, [...outerOnes, rows, columns]);
    });
  };
  return {
    kernelName: BatchMatMul,
    backendName: "wasm",
    kernelFunc: kernelFunc as unknown as KernelFunc,
    setupFunc: stock.setupFunc,
  };
}
