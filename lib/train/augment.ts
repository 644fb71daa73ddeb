/**
 * Data augmentation: training batches assembled on the host from the epoch's permutation, each
 * image shifted by a few pixels in a seeded random direction (a new draw at every step), then
 * uploaded. Test and validation data are never augmented.
 *
 * @module
 */

import * as tf from "@tensorflow/tfjs";
import { z } from "zod";
import { createRng, deriveSeed } from "../random/seed.ts";
import type { DataSplit } from "../data/sources.ts";

/** An augmentation. */
export const augmentSchema = z.discriminatedUnion("kind", [
  /** Shift each image by up to `pixels` in x and y, filling with 0 (background). */
  z.strictObject({ kind: z.literal("shift"), pixels: z.number().int().min(1).max(8) }),
]);

/** An augmentation, parsed. */
export type Augment = z.output<typeof augmentSchema>;

/** Builds training batches on the host. */
export interface HostBatches {
  /**
   * The batch of the given examples.
   *
   * @param indices Example indices.
   * @param at The epoch and the step (augmentation draws derive from the step).
   * @returns Features and targets on the device.
   */
  batch(indices: Int32Array, at: { epoch: number; step: number }): { x: tf.Tensor; y: tf.Tensor };
}

/**
 * Batches of shifted images: each example is moved by (dx, dy), both uniform integers in
 * [-pixels, pixels], drawn from `deriveSeed(seed, "augment", step)`.
 *
 * @param split The training split (images `[height, width, channels]` per example).
 * @param input The per-example shape.
 * @param targetShape The per-example target shape.
 * @param augment The augmentation.
 * @param seed The trial seed.
 * @returns The batch builder.
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import { shiftedBatches } from "./augment.ts";
 * await tf.setBackend("cpu");
 * const split = { features: new Float32Array(9).fill(1), targets: Int32Array.of(3), count: 1 };
 * const batches = shiftedBatches(split, [3, 3, 1], [], { kind: "shift", pixels: 1 }, 7);
 * const { x, y } = batches.batch(Int32Array.of(0), { epoch: 1, step: 0 });
 * const ones = x.sum().dataSync()[0];
 * if (![4, 6, 9].includes(ones)) throw new Error(`a shift keeps 4, 6 or 9 pixels, found ${ones}`);
 * tf.dispose([x, y]);
 * ```
 */
export function shiftedBatches(
  split: DataSplit,
  input: readonly number[],
  targetShape: readonly number[],
  augment: Augment,
  seed: number,
): HostBatches {
  const [height, width, channels] = input;
  const pixels = height * width * channels;
  const targetSize = targetShape.reduce((a, b) => a * b, 1);
  return {
    batch(indices, { step }) {
      const rng = createRng(deriveSeed(seed, "augment", step));
      const size = indices.length;
      const features = new Float32Array(size * pixels);
      const targets = split.targets instanceof Int32Array
        ? new Int32Array(size * targetSize)
        : new Float32Array(size * targetSize);
      for (let n = 0; n < size; n++) {
        const example = indices[n];
        const dx = Math.floor(rng() * (2 * augment.pixels + 1)) - augment.pixels;
        const dy = Math.floor(rng() * (2 * augment.pixels + 1)) - augment.pixels;
        shiftImage(
          split.features,
          example * pixels,
          features,
          n * pixels,
          height,
          width,
          channels,
          dx,
          dy,
        );
        targets.set(
          split.targets.subarray(example * targetSize, (example + 1) * targetSize),
          n * targetSize,
        );
      }
      return {
        x: tf.tensor(features, [size, ...input], "float32"),
        y: tf.tensor(
          targets,
          [size, ...targetShape],
          targets instanceof Int32Array ? "int32" : "float32",
        ),
      };
    },
  };
}

/**
 * Copies an image moved by (dx, dy) pixels (right and down positive), filling the uncovered
 * border with 0.
 *
 * @param source Images, channels last.
 * @param from Offset of the image in `source`.
 * @param target Where to write.
 * @param to Offset in `target`.
 * @param height Image height.
 * @param width Image width.
 * @param channels Channels.
 * @param dx Columns to move right (negative: left).
 * @param dy Rows to move down (negative: up).
 */
export function shiftImage(
  source: Float32Array,
  from: number,
  target: Float32Array,
  to: number,
  height: number,
  width: number,
  channels: number,
  dx: number,
  dy: number,
): void {
  for (let row = 0; row < height; row++) {
    const sourceRow = row - dy;
    if (sourceRow < 0 || sourceRow >= height) continue;
    for (let column = 0; column < width; column++) {
      const sourceColumn = column - dx;
      if (sourceColumn < 0 || sourceColumn >= width) continue;
      for (let c = 0; c < channels; c++) {
        target[to + (row * width + column) * channels + c] =
          source[from + (sourceRow * width + sourceColumn) * channels + c];
      }
    }
  }
}
