/**
 * The shapes and paddings a Conv2DBackpropFilter kernel works with, shared by the replacement
 * kernels.
 *
 * @module
 */

import {
  backend_util,
  type Conv2DBackpropFilterAttrs,
  type KernelBackend,
  type TensorInfo,
} from "@tensorflow/tfjs-core";

/** A Conv2DBackpropFilter kernel's arguments, as tfjs passes them. */
export interface BackpropFilterArgs {
  /** The forward input and the gradient of the forward output. */
  inputs: { x: TensorInfo; dy: TensorInfo };
  /** The backend the kernel runs on. */
  backend: KernelBackend;
  /** Strides, padding, data format and filter shape of the forward convolution. */
  attrs: Conv2DBackpropFilterAttrs;
}

/** What a Conv2DBackpropFilter kernel needs to know about its operands. */
export interface BackpropFilterGeometry {
  /** tfjs's description of the forward convolution. */
  info: backend_util.Conv2DInfo;
  /** Rows of zeros to add below the input: only as many as the last window reaches. */
  padBottom: number;
  /** Columns of zeros to add right of the input: likewise. */
  padRight: number;
  /** Rows of the padded input the windows cover: (outHeight - 1) * strideHeight + filterHeight. */
  coveredHeight: number;
  /** Columns of the padded input the windows cover. */
  coveredWidth: number;
}

/**
 * Describes the convolution whose filter gradient is asked for, and checks that `dy` has the
 * forward output's shape.
 *
 * @param x The forward input.
 * @param dy The gradient of the forward output.
 * @param attrs The kernel's attributes.
 * @param kernelLabel Names the kernel in error messages.
 * @returns The geometry.
 * @throws {Error} When `x` or `dy` is not float32 or `dy` has the wrong shape.
 */
export function backpropFilterGeometry(
  x: TensorInfo,
  dy: TensorInfo,
  attrs: Conv2DBackpropFilterAttrs,
  kernelLabel: string,
): BackpropFilterGeometry {
  for (const [name, tensor] of [["x", x], ["dy", dy]] as const) {
    if (tensor.dtype !== "float32") {
      throw new Error(`${kernelLabel}: expected ${name} to be float32, found ${tensor.dtype}`);
    }
  }
  const info = backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number],
    attrs.filterShape,
    attrs.strides,
    1, // tfjs computes conv2d gradients for dilation 1 only; the kernel has no dilations attribute
    attrs.pad,
    attrs.dimRoundingMode,
    false,
    backend_util.convertConv2DDataFormat(attrs.dataFormat),
  );
  if (dy.shape.join() !== info.outShape.join()) {
    throw new Error(
      `${kernelLabel}: expected dy of shape [${info.outShape}] for x of shape [${x.shape}] and ` +
        `filter [${attrs.filterShape}], found [${dy.shape}]`,
    );
  }
  const coveredHeight = (info.outHeight - 1) * info.strideHeight + info.filterHeight;
  const coveredWidth = (info.outWidth - 1) * info.strideWidth + info.filterWidth;
  return {
    info,
    padBottom: Math.max(0, coveredHeight - info.padInfo.top - info.inHeight),
    padRight: Math.max(0, coveredWidth - info.padInfo.left - info.inWidth),
    coveredHeight,
    coveredWidth,
  };
}
