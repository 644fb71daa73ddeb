/**
 * The `pcaBaseline` probe: what principal component analysis does with as many dimensions as an
 * autoencoder's code — the baseline Hinton & Salakhutdinov 2006 (Fig. 3) compare deep
 * autoencoders with. The components come from the exact float64 covariance of the training
 * images and its eigendecomposition; the probe reports the test images' reconstruction error
 * (the mean squared error per pixel, as the `mse` loss) and draws the reconstructions and, for
 * two components, the 2-D codes coloured by class.
 *
 * @module
 */

import { z } from "zod";
import type { DataSplit } from "../data/sources.ts";
import { imageCovariance } from "../linalg/image_covariance.ts";
import { symmetricEigen } from "../linalg/symmetric_eigen.ts";
import type { Artifact } from "../report/artifacts.ts";
import type { ProbeDefinition } from "./_probe_definition.ts";
import { toRows } from "./_model_layers.ts";

const schema = z.strictObject({
  kind: z.literal("pcaBaseline"),
  /** Principal components kept: the autoencoder's code size. */
  components: z.number().int().min(1).max(100).default(2),
  /** Test images whose reconstructions are drawn. */
  examples: z.number().int().min(1).max(32).default(8),
  /** Test images placed in the scatter of 2-D codes (two components only). */
  scatterExamples: z.number().int().min(10).max(10_000).default(2000),
});

/** The probe's settings. */
export type PcaBaselineProbe = z.output<typeof schema>;

/** A fitted principal subspace: the mean and the leading unit eigenvectors as rows. */
export interface PrincipalSubspace {
  /** The training images' mean, per pixel. */
  mean: Float64Array;
  /** `components × pixels`, row j the j-th principal direction. */
  directions: Float64Array;
  /** The covariance's eigenvalues, largest first (all of them). */
  eigenvalues: Float64Array;
}

/**
 * The principal subspace of images whose grey levels are `byte / 255` (MNIST as loaded).
 *
 * @param split The training images.
 * @param pixels Pixels per image.
 * @param components How many directions to keep.
 * @returns The mean, the directions and every eigenvalue of the sample covariance.
 * @throws {RangeError} When a value is not a grey level `byte / 255`.
 *
 * @example
 * ```ts
 * import { principalSubspace } from "./pca_baseline.ts";
 * // Two-pixel images on the line y = x: one direction, (1, 1) / √2.
 * const features = Float32Array.from([0, 0, 1, 1, 2, 2].map((v) => v / 255));
 * const { directions, eigenvalues } = principalSubspace({ features, targets: features, count: 3 }, 2, 1);
 * if (Math.abs(Math.abs(directions[0]) - Math.SQRT1_2) > 1e-12) throw new Error();
 * if (Math.abs(eigenvalues[1]) > 1e-12) throw new Error("the second direction has no variance");
 * ```
 */
export function principalSubspace(
  split: DataSplit,
  pixels: number,
  components: number,
): PrincipalSubspace {
  // imageCovariance sums products of grey levels exactly: recover the bytes (exact for x / 255).
  const bytes = new Uint8Array(split.count * pixels);
  for (let i = 0; i < bytes.length; i++) {
    const level = Math.round(split.features[i] * 255);
    if (!(level >= 0 && level <= 255 && Math.fround(level / 255) === split.features[i])) {
      throw new RangeError(
        `Expected grey levels byte / 255 but found ${split.features[i]} at index ${i}`,
      );
    }
    bytes[i] = level;
  }
  const { mean, covariance } = imageCovariance(bytes, split.count, pixels);
  const { values, vectors } = symmetricEigen(covariance);
  return { mean, directions: vectors.data.slice(0, components * pixels), eigenvalues: values };
}

/**
 * Projects images onto a principal subspace: their codes and their reconstructions.
 *
 * @param subspace The mean and directions.
 * @param features Images, one after the other.
 * @param count How many images.
 * @returns `codes` (`count × components`) and `reconstructions` (`count × pixels`).
 *
 * @example
 * ```ts
 * import { project } from "./pca_baseline.ts";
 * // Mean (1, 1), one direction (1, 0): (3, 5) has code 2 and reconstruction (3, 1).
 * const subspace = {
 *   mean: Float64Array.of(1, 1),
 *   directions: Float64Array.of(1, 0),
 *   eigenvalues: Float64Array.of(1, 0),
 * };
 * const { codes, reconstructions } = project(subspace, Float32Array.of(3, 5), 1);
 * if (codes[0] !== 2 || reconstructions.join() !== "3,1") throw new Error(`${reconstructions}`);
 * ```
 */
export function project(
  subspace: PrincipalSubspace,
  features: Float32Array,
  count: number,
): { codes: Float64Array; reconstructions: Float64Array } {
  const pixels = subspace.mean.length;
  const components = subspace.directions.length / pixels;
  const codes = new Float64Array(count * components);
  const reconstructions = new Float64Array(count * pixels);
  const centred = new Float64Array(pixels);
  for (let n = 0; n < count; n++) {
    for (let p = 0; p < pixels; p++) centred[p] = features[n * pixels + p] - subspace.mean[p];
    const out = reconstructions.subarray(n * pixels, (n + 1) * pixels);
    out.set(subspace.mean);
    for (let j = 0; j < components; j++) {
      const direction = subspace.directions.subarray(j * pixels, (j + 1) * pixels);
      let code = 0;
      for (let p = 0; p < pixels; p++) code += direction[p] * centred[p];
      codes[n * components + j] = code;
      for (let p = 0; p < pixels; p++) out[p] += code * direction[p];
    }
  }
  return { codes, reconstructions };
}

/** The `pcaBaseline` probe. */
export const pcaBaseline: ProbeDefinition<PcaBaselineProbe> = {
  schema,
  when: "before",
  metrics: () => ["pcaTestMse", "pcaTrainMse"],
  check(_probe, shape) {
    const size = (dims: readonly number[]) => dims.reduce((a, b) => a * b, 1);
    return shape.input.length === 3 && shape.target.kind === "values" &&
        size(shape.target.shape) === size(shape.input)
      ? []
      : [`probes: pcaBaseline needs an image input with the image as target (an autoencoder)`];
  },
  run(probe, { data, shape }) {
    const [height, width] = shape.input;
    const pixels = shape.input.reduce((a, b) => a * b, 1);
    const subspace = principalSubspace(data.train, pixels, probe.components);
    const meanSquaredError = (split: DataSplit) => {
      const { reconstructions } = project(subspace, split.features, split.count);
      let total = 0;
      for (let i = 0; i < reconstructions.length; i++) {
        total += (reconstructions[i] - split.features[i]) ** 2;
      }
      return total / reconstructions.length;
    };
    const shown = Math.min(probe.examples, data.test.count);
    const { codes, reconstructions } = project(subspace, data.test.features, data.test.count);
    const images = [];
    for (let n = 0; n < shown; n++) {
      images.push({
        label: `input ${n + 1}`,
        pixels: toRows(data.test.features, height, width, (r, c) => n * pixels + r * width + c),
      });
    }
    for (let n = 0; n < shown; n++) {
      images.push({
        label: `PCA ${n + 1}`,
        pixels: toRows(reconstructions, height, width, (r, c) => n * pixels + r * width + c),
      });
    }
    const artifacts: Record<string, Artifact> = {
      pcaReconstructions: {
        kind: "imageGrid",
        title: `PCA reconstructions with ${probe.components} components`,
        description:
          `${shown} test images (first row) and their projections onto the ${probe.components} leading principal components of the training images (second row).`,
        images,
        columns: shown,
        scheme: "greys",
      },
    };
    const labels = data.test.labels;
    if (probe.components === 2) {
      const count = Math.min(probe.scatterExamples, data.test.count);
      const round = (value: number) => Number(value.toPrecision(4));
      artifacts.pcaCodes = {
        kind: "scatter",
        title: "The 2-D codes of PCA",
        description:
          `${count} test images placed by their coordinates on the two leading principal components, coloured by class: the baseline for an autoencoder's 2-D code (Hinton & Salakhutdinov 2006, Fig. 3A).`,
        xTitle: "principal component 1",
        yTitle: "principal component 2",
        points: Array.from({ length: count }, (_, n) => ({
          x: round(codes[2 * n]),
          y: round(codes[2 * n + 1]),
          ...(labels ? { group: String(labels[n]) } : {}),
        })),
        ...(labels
          ? {
            groupOrder: [...new Set(Array.from(labels.subarray(0, count)))].sort((a, b) => a - b)
              .map(String),
          }
          : {}),
      };
    }
    return Promise.resolve({
      final: { pcaTestMse: meanSquaredError(data.test), pcaTrainMse: meanSquaredError(data.train) },
      artifacts,
    });
  },
};
