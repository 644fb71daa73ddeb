/**
 * BatchMatMul and _FusedMatMul on a native BLAS, for the wasm backend: one `cblas_sgemm` per
 * matrix of the batch, reading the operands where they lie on the wasm heap and writing the
 * result there. Transposed operands cost nothing extra (sgemm reads them transposed), and
 * nothing is packed per tensor, so training's fresh weights cost no more than inference's.
 *
 * _FusedMatMul (a dense layer's forward pass) starts C as the bias in every row and lets sgemm
 * add the product (beta = 1); linear, ReLU, ReLU6 and leaky ReLU are applied in place, other
 * activations by the backend's own kernels.
 *
 * @module
 */

import {
  backend_util,
  type BatchMatMulAttrs,
  getKernel,
  type KernelBackend,
  type TensorInfo,
} from "@tensorflow/tfjs-core";
import type { NativeBlas } from "../native_blas.ts";
import { type NativeKernelArgs, wasmHeap } from "./_native_blas_kernel.ts";

/** BatchMatMul's inputs. */
export interface MatMulInputs {
  a: TensorInfo;
  b: TensorInfo;
}

/** _FusedMatMul's inputs: BatchMatMul's, a bias and PReLU's weights. */
export interface FusedMatMulInputs extends MatMulInputs {
  bias?: TensorInfo;
  preluActivationWeights?: TensorInfo;
}

/** _FusedMatMul's attributes. */
export interface FusedMatMulAttrs extends BatchMatMulAttrs {
  activation: string;
  leakyreluAlpha?: number;
}

const product = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);

/** The geometry of op(A)·op(B) over broadcast batch dimensions. */
export interface MatMulGeometry {
  /** Rows of each result matrix. */
  m: number;
  /** Columns of each result matrix. */
  n: number;
  /** The summed dimension. */
  k: number;
  /** The result's shape: the broadcast batch dimensions, then m and n. */
  outShape: number[];
  /** For each result matrix, which matrix of A and of B it multiplies. */
  pairs: [number, number][];
}

/**
 * Works out the shapes of a batched matmul, broadcasting the batch dimensions as tfjs does.
 *
 * @param aShape A's shape, rank 2 or more.
 * @param bShape B's shape.
 * @param transposeA Whether A's last two axes are used transposed.
 * @param transposeB Likewise for B.
 * @returns The geometry.
 * @throws {Error} When the inner dimensions differ or the batch dimensions do not broadcast.
 *
 * @example
 * ```ts
 * import { matMulGeometry } from "./blas_mat_mul.ts";
 * const g = matMulGeometry([2, 1, 3, 4], [5, 4, 6], false, false);
 * if (g.outShape.join() !== "2,5,3,6" || g.pairs.length !== 10) throw new Error(g.outShape.join());
 * if (g.pairs[6].join() !== "1,1") throw new Error("batch 6 is A's second, B's second matrix");
 * ```
 */
export function matMulGeometry(
  aShape: readonly number[],
  bShape: readonly number[],
  transposeA: boolean,
  transposeB: boolean,
): MatMulGeometry {
  const [aRows, aColumns] = aShape.slice(-2);
  const [bRows, bColumns] = bShape.slice(-2);
  const m = transposeA ? aColumns : aRows;
  const k = transposeA ? aRows : aColumns;
  const kB = transposeB ? bColumns : bRows;
  const n = transposeB ? bRows : bColumns;
  if (k !== kB) {
    throw new Error(
      `BatchMatMul (wasm, BLAS): expected the inner dimensions to match, found ${k} in a ` +
        `[${aShape}]${transposeA ? "ᵀ" : ""} and ${kB} in b [${bShape}]${transposeB ? "ᵀ" : ""}`,
    );
  }
  const outerA = aShape.slice(0, -2);
  const outerB = bShape.slice(0, -2);
  const outer = backend_util.assertAndGetBroadcastShape(outerA, outerB);
  const count = product(outer);
  const pairs: [number, number][] = [];
  for (let i = 0; i < count; i++) {
    pairs.push([broadcastIndex(i, outer, outerA), broadcastIndex(i, outer, outerB)]);
  }
  return { m, n, k, outShape: [...outer, m, n], pairs };
}

/** The flat index into `inShape` that broadcasting maps flat index `i` of `outShape` from. */
function broadcastIndex(i: number, outShape: number[], inShape: readonly number[]): number {
  let index = 0;
  let stride = 1;
  let rest = i;
  for (let axis = outShape.length - 1; axis >= 0; axis--) {
    const coordinate = rest % outShape[axis];
    rest = Math.floor(rest / outShape[axis]);
    const inAxis = axis - (outShape.length - inShape.length);
    if (inAxis < 0) continue;
    const size = inShape[inAxis];
    if (size !== 1) index += coordinate * stride;
    stride *= size;
  }
  return index;
}

/** Computes every matrix of the batch into `out`, whose rows already hold C's start if beta=1. */
function multiplyInto(
  blas: NativeBlas,
  backend: KernelBackend,
  a: TensorInfo,
  b: TensorInfo,
  out: TensorInfo,
  transposeA: boolean,
  transposeB: boolean,
  geometry: MatMulGeometry,
  beta: number,
): void {
  const heap = wasmHeap(backend);
  const aData = heap.typedArrayFromHeap(a);
  const bData = heap.typedArrayFromHeap(b);
  const outData = heap.typedArrayFromHeap(out);
  const { m, n, k, pairs } = geometry;
  const lda = transposeA ? m : k;
  const ldb = transposeB ? k : n;
  const single = pairs.length === 1 && pairs[0][0] === 0 && pairs[0][1] === 0;
  for (const [i, [aIndex, bIndex]] of pairs.entries()) {
    blas.sgemm(
      transposeA,
      transposeB,
      m,
      n,
      k,
      1,
      single ? aData : aData.subarray(aIndex * m * k, (aIndex + 1) * m * k),
      lda,
      single ? bData : bData.subarray(bIndex * k * n, (bIndex + 1) * k * n),
      ldb,
      beta,
      single ? outData : outData.subarray(i * m * n, (i + 1) * m * n),
      n,
    );
  }
}

/**
 * BatchMatMul on the BLAS: float32 operands of any shape tfjs accepts.
 *
 * @param args The kernel's inputs, backend and attributes.
 * @param blas The library.
 * @returns The product, or `undefined` for other dtypes (left to the wasm kernel).
 */
export function blasBatchMatMul(
  args: NativeKernelArgs<MatMulInputs, BatchMatMulAttrs>,
  blas: NativeBlas,
): TensorInfo | undefined {
  const { inputs: { a, b }, backend, attrs: { transposeA, transposeB } } = args;
  if (a.dtype !== "float32" || b.dtype !== "float32") return undefined;
  const geometry = matMulGeometry(a.shape, b.shape, transposeA, transposeB);
  const out = wasmHeap(backend).makeOutput(geometry.outShape, "float32");
  multiplyInto(blas, backend, a, b, out, transposeA, transposeB, geometry, 0);
  return out;
}

/** Activations applied in place, as tfjs's kernels define them (NaN stays NaN). */
const IN_PLACE: Record<string, (values: Float32Array, alpha: number) => void> = {
  linear: () => {},
  relu: (values) => {
    for (let i = 0; i < values.length; i++) if (values[i] < 0) values[i] = 0;
  },
  relu6: (values) => {
    for (let i = 0; i < values.length; i++) {
      const v = values[i];
      if (v < 0) values[i] = 0;
      else if (v > 6) values[i] = 6;
    }
  },
  leakyrelu: (values, alpha) => {
    for (let i = 0; i < values.length; i++) if (values[i] < 0) values[i] *= alpha;
  },
};

/** The backend kernels that apply the other activations tfjs fuses. */
const BY_KERNEL: Record<string, string> = { sigmoid: "Sigmoid", elu: "Elu", prelu: "Prelu" };

/**
 * _FusedMatMul on the BLAS: op(A)·op(B) + bias, then the activation.
 *
 * @param args The kernel's inputs, backend and attributes.
 * @param blas The library.
 * @returns The result, or `undefined` for what it leaves to the wasm kernel: other dtypes, a
 *   bias of more than one axis, activations tfjs-wasm has no kernel for.
 */
export function blasFusedMatMul(
  args: NativeKernelArgs<FusedMatMulInputs, FusedMatMulAttrs>,
  blas: NativeBlas,
): TensorInfo | undefined {
  const { inputs: { a, b, bias, preluActivationWeights }, backend, attrs } = args;
  const { transposeA, transposeB, activation, leakyreluAlpha } = attrs;
  if (a.dtype !== "float32" || b.dtype !== "float32") return undefined;
  if (!(activation in IN_PLACE) && !(activation in BY_KERNEL)) return undefined;
  const geometry = matMulGeometry(a.shape, b.shape, transposeA, transposeB);
  const biasSize = bias ? product(bias.shape) : 0;
  if (
    bias && (bias.dtype !== "float32" || bias.shape.length > 1 ||
      (biasSize !== geometry.n && biasSize !== 1))
  ) {
    return undefined;
  }
  const heap = wasmHeap(backend);
  const out = heap.makeOutput(geometry.outShape, "float32");
  const values = heap.typedArrayFromHeap(out);
  if (bias) {
    const biasValues = heap.typedArrayFromHeap(bias);
    // Loops, not fill() and set(): on the threaded build's SharedArrayBuffer those copy one
    // relaxed element at a time.
    const { n } = geometry;
    for (let row = 0; row < values.length; row += n) {
      for (let j = 0; j < n; j++) values[row + j] = biasValues[biasSize === 1 ? 0 : j];
    }
  }
  multiplyInto(blas, backend, a, b, out, transposeA, transposeB, geometry, bias ? 1 : 0);
  const inPlace = IN_PLACE[activation];
  if (inPlace) {
    inPlace(values, leakyreluAlpha ?? 0.2);
    return out;
  }
  const kernelName = BY_KERNEL[activation];
  const inputs: Record<string, TensorInfo> = kernelName === "Prelu"
    ? { x: out, alpha: preluActivationWeights! }
    : { x: out };
  try {
    return runKernel(backend, kernelName, inputs);
  } finally {
    heap.disposeData(out.dataId);
  }
}

/** Runs one registered wasm kernel directly, as tfjs's composite kernels do. */
function runKernel(
  backend: KernelBackend,
  kernelName: string,
  inputs: Record<string, TensorInfo>,
): TensorInfo {
  const kernel = getKernel(kernelName, "wasm");
  if (!kernel) {
    throw new Error(`_FusedMatMul (wasm, BLAS): expected a wasm ${kernelName} kernel, found none`);
  }
  return kernel.kernelFunc({ inputs, attrs: {}, backend }) as TensorInfo;
}
