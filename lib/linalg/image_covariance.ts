/**
 * The mean and the pixel covariance of 8-bit images, exactly: products of grey levels are summed
 * as integers (exact in float64 far beyond MNIST's 60,000 images) and only the zero pixels'
 * products are skipped, which on MNIST's mostly blank digits saves four fifths of the work.
 *
 * @module
 */

import { type Matrix, matrix } from "./matrix.ts";

/** The sample mean and covariance of a set of images. */
export interface ImageCovariance {
  /** Images used. */
  count: number;
  /** Mean of each pixel, scaled. */
  mean: Float64Array;
  /** pixels × pixels sample covariance (divided by count − 1), scaled. */
  covariance: Matrix;
}

/**
 * The pixel mean and sample covariance of the first `count` images.
 *
 * @param images Images of `pixels` bytes each, one after the other.
 * @param count How many images to use, at least 2.
 * @param pixels Pixels per image.
 * @param scale Multiplies every grey level first (default 1/255: pixels in [0, 1]).
 * @returns The mean and the covariance with divisor count − 1.
 * @throws {RangeError} For fewer than two images or fewer bytes than `count × pixels`.
 *
 * @example
 * ```ts
 * import { imageCovariance } from "./image_covariance.ts";
 * // Two one-pixel images, 0 and 2: mean 1, sample variance 2.
 * const { mean, covariance } = imageCovariance(Uint8Array.of(0, 2), 2, 1, 1);
 * if (mean[0] !== 1 || covariance.data[0] !== 2) throw new Error(String(covariance.data));
 * ```
 */
export function imageCovariance(
  images: Uint8Array,
  count: number,
  pixels: number,
  scale = 1 / 255,
): ImageCovariance {
  if (!(Number.isInteger(count) && count >= 2)) {
    throw new RangeError(`Expected count to be an integer of at least 2 but found ${count}`);
  }
  if (images.length < count * pixels) {
    throw new RangeError(
      `Expected at least ${
        count * pixels
      } bytes (${count} images of ${pixels} pixels) but found ${images.length}`,
    );
  }
  const sums = new Float64Array(pixels);
  const products = new Float64Array(pixels * pixels);
  const indices = new Int32Array(pixels);
  const values = new Float64Array(pixels);
  for (let image = 0; image < count; image++) {
    const offset = image * pixels;
    let nonzero = 0;
    for (let p = 0; p < pixels; p++) {
      const value = images[offset + p];
      if (value === 0) continue;
      indices[nonzero] = p;
      values[nonzero++] = value;
      sums[p] += value;
    }
    // Upper triangle only: the indices ascend, so indices[b] ≥ indices[a].
    for (let a = 0; a < nonzero; a++) {
      const row = indices[a] * pixels;
      const va = values[a];
      for (let b = a; b < nonzero; b++) products[row + indices[b]] += va * values[b];
    }
  }
  const covariance = matrix(pixels, pixels);
  const factor = (scale * scale) / (count - 1);
  for (let a = 0; a < pixels; a++) {
    for (let b = a; b < pixels; b++) {
      const centred = products[a * pixels + b] - (sums[a] * sums[b]) / count;
      covariance.data[a * pixels + b] = covariance.data[b * pixels + a] = centred * factor;
    }
  }
  return { count, mean: sums.map((sum) => (sum * scale) / count), covariance };
}
