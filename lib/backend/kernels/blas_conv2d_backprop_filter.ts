/**
 * Conv2DBackpropFilter on a native BLAS, for the wasm backend: one matrix product per chunk of
 * the batch. The wasm kernel computes the filter gradient as an XNNPACK convolution whose
 * "filter" is the whole output gradient, packed anew on every call; this one is 1.3 to 1.4 times
 * cheaper on LeNet-5's layers (CPU time, 1 thread).
 *
 * dW[kh, kw, c, f] = Σ over n, oh, ow of x_padded[n, oh·s + kh·d, ow·s + kw·d, c]·dy[n, oh, ow, f].
 * The input is laid on a zero grid (padded as the forward convolution pads it). Output positions
 * are numbered q along the grid, `strideWidth` grid columns apart, so that every filter tap
 * (kh, kw) reads the grid at a fixed offset from strideWidth·q: the tap's values for all q are one
 * strided matrix, copied transposed into row block t of `columns` (K = KH·KW·C rows, one column
 * per q) by `cblas_somatcopy`. dy is laid on the same numbering, zeros where the grid is wider than
 * the output; then dW (K x F, which is [KH, KW, C, F] as it lies) = columns·dy, summed over the
 * chunks of the batch.
 *
 * Tried and left to XNNPACK: the forward convolution and the input gradient computed the same way
 * (out = columnsᵀ·filter). The grid's unused positions (up to half of them for a 'valid' 5x5 on
 * 14x14) and sgemm's poor speed with 6 output channels made them 1.4 to 1.8 times dearer than
 * XNNPACK's convolution.
 *
 * NHWC float32 only; NCHW goes to the wasm kernel.
 *
 * @module
 */

import {
  backend_util,
  type Conv2DBackpropFilterAttrs,
  type TensorInfo,
} from "@tensorflow/tfjs-core";
import type { NativeBlas } from "../native_blas.ts";
import { type NativeKernelArgs, wasmHeap } from "./_native_blas_kernel.ts";

/** A convolution over a zero grid that holds the padded input. */
export interface GridPlan {
  batch: number;
  /** The input's height, width and channels, NHWC. */
  inHeight: number;
  inWidth: number;
  inChannels: number;
  /** Grid row and column of the input's first row and column. */
  placeTop: number;
  placeLeft: number;
  gridHeight: number;
  /** A multiple of `strideWidth`. */
  gridWidth: number;
  filterHeight: number;
  filterWidth: number;
  strideHeight: number;
  strideWidth: number;
  dilationHeight: number;
  dilationWidth: number;
  outHeight: number;
  outWidth: number;
  outChannels: number;
}

/**
 * Rows of the columns matrix per chunk times positions: 1 MiB of float32, which stays in cache
 * for the product (LeNet-5 at batch 512: 11 ms against 13 ms with 4 MiB).
 */
const CHUNK_ELEMENTS = 1 << 18;

const roundUp = (value: number, multiple: number) => Math.ceil(value / multiple) * multiple;

/**
 * Plans a forward convolution on the grid: the input padded as tfjs pads it.
 *
 * @param info tfjs's description of the convolution.
 * @returns The plan, or `undefined` for NCHW.
 *
 * @example
 * ```ts
 * import { backend_util } from "@tensorflow/tfjs-core";
 * import { planForwardGrid } from "./blas_conv2d_backprop_filter.ts";
 * const info = backend_util.computeConv2DInfo([2, 28, 28, 1], [5, 5, 1, 6], 1, 1, "same");
 * const plan = planForwardGrid(info)!;
 * // 'same' pads 2 on each side: a 32x32 grid, 28x28 outputs.
 * if (plan.gridHeight !== 32 || plan.gridWidth !== 32 || plan.placeTop !== 2) throw new Error();
 * ```
 */
export function planForwardGrid(info: backend_util.Conv2DInfo): GridPlan | undefined {
  if (info.dataFormat !== "channelsLast") return undefined;
  const gridHeight = (info.outHeight - 1) * info.strideHeight +
    (info.filterHeight - 1) * info.dilationHeight + 1;
  const gridWidth = roundUp(
    (info.outWidth - 1) * info.strideWidth + (info.filterWidth - 1) * info.dilationWidth + 1,
    info.strideWidth,
  );
  return {
    batch: info.batchSize,
    inHeight: info.inHeight,
    inWidth: info.inWidth,
    inChannels: info.inChannels,
    placeTop: info.padInfo.top,
    placeLeft: info.padInfo.left,
    gridHeight,
    gridWidth,
    filterHeight: info.filterHeight,
    filterWidth: info.filterWidth,
    strideHeight: info.strideHeight,
    strideWidth: info.strideWidth,
    dilationHeight: info.dilationHeight,
    dilationWidth: info.dilationWidth,
    outHeight: info.outHeight,
    outWidth: info.outWidth,
    outChannels: info.outChannels,
  };
}

/** Scratch memory outside the wasm heap, reused from call to call (filled fast: not shared). */
let scratch = new Float32Array(0);

/** Views of scratch memory of the given sizes, each starting on a 64-byte boundary. */
function scratchArrays(sizes: number[]): Float32Array[] {
  const padded = sizes.map((size) => roundUp(size, 16));
  const total = padded.reduce((a, b) => a + b, 0);
  if (scratch.length < total) scratch = new Float32Array(roundUp(total, 1 << 16));
  let offset = 0;
  return padded.map((size, i) => {
    const view = scratch.subarray(offset, offset + sizes[i]);
    offset += size;
    return view;
  });
}

/** Derived sizes of a plan. */
interface GridLayout {
  /** Output positions q per sample: gridHeight·gridWidth / strideWidth. */
  positionsPerSample: number;
  /** q between consecutive output rows. */
  positionsPerRow: number;
  /** Rows of the columns matrix: KH·KW·C. */
  depth: number;
  /** Samples per chunk. */
  samplesPerChunk: number;
  /** Grid elements per sample. */
  gridPerSample: number;
  /** Zeros after the last sample, so that the dropped positions read inside the grid. */
  slack: number;
}

function gridLayout(plan: GridPlan): GridLayout {
  const gridPerSample = plan.gridHeight * plan.gridWidth * plan.inChannels;
  const positionsPerSample = plan.gridHeight * plan.gridWidth / plan.strideWidth;
  const depth = plan.filterHeight * plan.filterWidth * plan.inChannels;
  const samplesPerChunk = Math.max(
    1,
    Math.min(plan.batch, Math.floor(CHUNK_ELEMENTS / (depth * positionsPerSample))),
  );
  const lastTap = (plan.filterHeight - 1) * plan.dilationHeight * plan.gridWidth +
    (plan.filterWidth - 1) * plan.dilationWidth;
  return {
    positionsPerSample,
    positionsPerRow: plan.strideHeight * plan.gridWidth / plan.strideWidth,
    depth,
    samplesPerChunk,
    gridPerSample,
    slack: (lastTap + plan.strideWidth) * plan.inChannels,
  };
}

/**
 * Lays samples [first, first + count) of `input` on the zero grid and copies every tap's values
 * into `columns` (depth x positions).
 */
function fillColumns(
  blas: NativeBlas,
  plan: GridPlan,
  layout: GridLayout,
  input: Float32Array,
  first: number,
  count: number,
  grid: Float32Array,
  columns: Float32Array,
): number {
  const { inHeight, inWidth, inChannels: channels, gridHeight, gridWidth } = plan;
  const { placeTop, placeLeft } = plan;
  grid.fill(0);
  const rowLength = inWidth * channels;
  // Input columns that land inside the grid (the last ones may lie past what any window reads).
  const keptColumns = Math.min(inWidth, gridWidth - placeLeft);
  for (let n = 0; n < count; n++) {
    const sampleIn = (first + n) * inHeight * rowLength;
    const sampleGrid = n * layout.gridPerSample;
    for (let h = 0; h < inHeight; h++) {
      const row = placeTop + h;
      if (row >= gridHeight) break;
      let from = sampleIn + h * rowLength;
      let to = sampleGrid + (row * gridWidth + placeLeft) * channels;
      const end = from + keptColumns * channels;
      while (from < end) grid[to++] = input[from++];
    }
  }
  const positions = count * layout.positionsPerSample;
  let block = 0;
  for (let kh = 0; kh < plan.filterHeight; kh++) {
    for (let kw = 0; kw < plan.filterWidth; kw++) {
      const offset = (kh * plan.dilationHeight * gridWidth + kw * plan.dilationWidth) * channels;
      blas.transposeCopy(
        positions,
        channels,
        grid.subarray(offset),
        plan.strideWidth * channels,
        columns.subarray(block * positions),
        positions,
      );
      block += channels;
    }
  }
  return positions;
}

/**
 * The filter gradient of a planned forward convolution: dW = Σ over the batch of the grid's
 * taps times dy.
 *
 * @param blas The library.
 * @param plan The forward convolution's plan.
 * @param input The forward input, NHWC.
 * @param dy The output gradient, NHWC.
 * @param out Receives dW as a depth x outChannels matrix ([KH, KW, C, F]).
 */
export function gridFilterGradient(
  blas: NativeBlas,
  plan: GridPlan,
  input: Float32Array,
  dy: Float32Array,
  out: Float32Array,
): void {
  const layout = gridLayout(plan);
  const { samplesPerChunk, depth, positionsPerSample, positionsPerRow } = layout;
  const { outHeight, outWidth, outChannels } = plan;
  const [grid, columns, spread] = scratchArrays([
    samplesPerChunk * layout.gridPerSample + layout.slack,
    depth * samplesPerChunk * positionsPerSample,
    samplesPerChunk * positionsPerSample * outChannels,
  ]);
  const dyRow = outWidth * outChannels;
  for (let first = 0; first < plan.batch; first += samplesPerChunk) {
    const count = Math.min(samplesPerChunk, plan.batch - first);
    const positions = fillColumns(blas, plan, layout, input, first, count, grid, columns);
    const spreadChunk = spread.subarray(0, positions * outChannels);
    spreadChunk.fill(0);
    for (let n = 0; n < count; n++) {
      for (let oh = 0; oh < outHeight; oh++) {
        let to = (n * positionsPerSample + oh * positionsPerRow) * outChannels;
        let from = ((first + n) * outHeight + oh) * dyRow;
        const end = from + dyRow;
        while (from < end) spreadChunk[to++] = dy[from++];
      }
    }
    blas.sgemm(
      false,
      false,
      depth,
      outChannels,
      positions,
      1,
      columns,
      positions,
      spreadChunk,
      outChannels,
      first === 0 ? 0 : 1,
      out,
      outChannels,
    );
  }
}

/**
 * Conv2DBackpropFilter on the BLAS.
 *
 * @param args The kernel's inputs (`x`, `dy`), backend and attributes.
 * @param blas The library.
 * @returns dW, or `undefined` for what it leaves to the wasm kernel.
 */
export function blasConv2DBackpropFilter(
  args: NativeKernelArgs<{ x: TensorInfo; dy: TensorInfo }, Conv2DBackpropFilterAttrs>,
  blas: NativeBlas,
): TensorInfo | undefined {
  const { inputs: { x, dy }, backend, attrs } = args;
  if (x.dtype !== "float32" || dy.dtype !== "float32") return undefined;
  const info = backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number],
    attrs.filterShape,
    attrs.strides,
    1,
    attrs.pad,
    attrs.dimRoundingMode,
    false,
    backend_util.convertConv2DDataFormat(attrs.dataFormat),
  );
  if (dy.shape.join() !== info.outShape.join()) {
    throw new Error(
      `Conv2DBackpropFilter (wasm, BLAS): expected dy of shape [${info.outShape}] for x of ` +
        `shape [${x.shape}] and filter [${attrs.filterShape}], found [${dy.shape}]`,
    );
  }
  const plan = planForwardGrid(info);
  if (!plan) return undefined;
  const heap = wasmHeap(backend);
  const out = heap.makeOutput([...attrs.filterShape], "float32");
  const dW = heap.typedArrayFromHeap(out);
  if (info.batchSize * info.outHeight * info.outWidth === 0) {
    for (let i = 0; i < dW.length; i++) dW[i] = 0;
    return out;
  }
  gridFilterGradient(blas, plan, heap.typedArrayFromHeap(x), heap.typedArrayFromHeap(dy), dW);
  return out;
}
