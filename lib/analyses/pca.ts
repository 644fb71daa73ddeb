/**
 * The `pca` analysis (chapter 2): principal component analysis of MNIST's training images by
 * eigendecomposition of their pixel covariance. The covariance is summed exactly and decomposed
 * in float64 (Householder and QL, all 784 pairs); the leading pairs are then recomputed by a
 * second, independent route — subspace iteration on the centred data matrix itself, multiplied
 * on the tfjs backend in float32, never forming the covariance — and the two are compared.
 *
 * Reports the explained-variance ratio of every component and its cumulative curve, the number
 * of components for 90 % and 95 % of the variance, a 2-D projection of test digits, the leading
 * components as images and reconstructions of test digits at several ranks.
 *
 * @module
 */

import * as tf from "@tensorflow/tfjs";
import { z } from "zod";
import type { Analysis, AnalysisOutput } from "./analysis.ts";
import { formatSignificant } from "../report/format.ts";
import type { Artifact } from "../report/artifacts.ts";
import { loadMnist, type MnistData } from "../data/mnist.ts";
import { imageCovariance } from "../linalg/image_covariance.ts";
import { type Eigendecomposition, symmetricEigen } from "../linalg/symmetric_eigen.ts";
import { subspaceIteration } from "../linalg/subspace_iteration.ts";
import { type Matrix, matrix } from "../linalg/matrix.ts";
import { deriveSeed } from "../random/seed.ts";

const PIXELS = 784;
const SIDE = 28;

const schema = z.strictObject({
  kind: z.literal("pca"),
  /** The first this many training images are analysed. */
  trainSize: z.number().int().min(2).max(60_000).default(60_000),
  /** Variance fractions whose component counts are reported. */
  thresholds: z.array(z.number().gt(0).lt(1)).min(1).default([0.9, 0.95]),
  /** The independent check of the leading eigenpairs. */
  check: z.strictObject({
    /** Leading eigenpairs compared. */
    components: z.number().int().min(1).max(100).default(10),
    /** Vectors iterated together (more than `components` speeds up the last ones). */
    blockSize: z.number().int().min(1).max(200).default(20),
    /** Multiplications by the data matrix and its transpose. */
    iterations: z.number().int().min(1).default(30),
  }).refine((check) => check.blockSize >= check.components, {
    message: "expected blockSize of at least components",
  }).default({ components: 10, blockSize: 20, iterations: 30 }),
  /** The first this many test digits are projected onto the first two components. */
  projectionSize: z.number().int().min(1).max(10_000).default(2000),
  /** The first this many test digits are reconstructed. */
  reconstructionDigits: z.number().int().min(1).max(20).default(5),
  /** Ranks of the reconstructions. */
  ranks: z.array(z.number().int().min(1).max(PIXELS)).min(1).default([1, 5, 20, 50, 150]),
  /** Components drawn as images. */
  componentImages: z.number().int().min(1).max(50).default(8),
});

/** The `pca` analysis's settings. */
export type PcaSettings = z.output<typeof schema>;

/**
 * The metric that holds the number of components for a variance fraction, e.g. `components90`
 * (not `…Percent`, which the report would print as a percentage).
 *
 * @param threshold A fraction of the variance.
 * @returns The metric's name.
 *
 * @example
 * ```ts
 * import { componentsMetric } from "./pca.ts";
 * if (componentsMetric(0.95) !== "components95") throw new Error();
 * if (componentsMetric(0.999) !== "components99_9") throw new Error();
 * ```
 */
export function componentsMetric(threshold: number): string {
  return `components${String(Number((threshold * 100).toFixed(4))).replace(".", "_")}`;
}

/** Explained variance of every component, largest first. */
export interface ExplainedVariance {
  /** Each eigenvalue's share of the total variance. */
  ratios: Float64Array;
  /** Running sums of `ratios`. */
  cumulative: Float64Array;
}

/**
 * Each eigenvalue's share of their sum, and the running sums. Eigenvalues that rounding made
 * slightly negative (of constant pixels) count as zero.
 *
 * @param values Eigenvalues of a covariance, largest first.
 * @returns The ratios and their cumulative sums.
 *
 * @example
 * ```ts
 * import { explainedVariance } from "./pca.ts";
 * const { ratios, cumulative } = explainedVariance(Float64Array.of(3, 1, -1e-17));
 * if (ratios[0] !== 0.75 || cumulative[2] !== 1) throw new Error(String(cumulative));
 * ```
 */
export function explainedVariance(values: Float64Array): ExplainedVariance {
  const clipped = values.map((value) => Math.max(value, 0));
  const total = clipped.reduce((sum, value) => sum + value, 0);
  const ratios = clipped.map((value) => value / total);
  let running = 0;
  const cumulative = ratios.map((ratio) => (running += ratio));
  return { ratios, cumulative };
}

/**
 * The fewest leading components whose explained variance reaches a fraction.
 *
 * @param cumulative Cumulative explained-variance ratios.
 * @param threshold The fraction, in (0, 1).
 * @returns A count from 1 to the number of components.
 *
 * @example
 * ```ts
 * import { componentsFor } from "./pca.ts";
 * if (componentsFor(Float64Array.of(0.5, 0.9, 1), 0.9) !== 2) throw new Error();
 * ```
 */
export function componentsFor(cumulative: Float64Array, threshold: number): number {
  // A small slack so that a sum landing exactly on the threshold is not lost to rounding.
  const index = cumulative.findIndex((value) => value >= threshold - 1e-12);
  return index === -1 ? cumulative.length : index + 1;
}

/** How closely a second computation reproduces the leading eigenpairs. */
export interface EigenpairAgreement {
  /** Per pair: |λ − μ| / λ. */
  valueDifferences: number[];
  /** Per pair: the angle between the eigenvectors in radians, from 0 to π/2 (they have no sign). */
  vectorAngles: number[];
}

/**
 * Compares leading eigenpairs from two computations: relative eigenvalue differences and the
 * angles between eigenvectors, taken as lines (an eigenvector's sign is arbitrary). The angle
 * is computed from the sine (the part of one vector orthogonal to the other), which stays
 * accurate for tiny angles where 1 − cos θ would round to 0.
 *
 * @param reference The first computation.
 * @param other The second; its pairs are compared with the reference's first ones.
 * @returns Per-pair differences.
 *
 * @example
 * ```ts
 * import { compareEigenpairs } from "./pca.ts";
 * import { matrix } from "../linalg/matrix.ts";
 * const a = { values: Float64Array.of(2), vectors: matrix(1, 2, Float64Array.of(1, 0)) };
 * const b = { values: Float64Array.of(2.002), vectors: matrix(1, 2, Float64Array.of(-1, 1e-9)) };
 * const { valueDifferences, vectorAngles } = compareEigenpairs(a, b);
 * if (Math.abs(valueDifferences[0] - 0.001) > 1e-12) throw new Error(String(valueDifferences));
 * if (Math.abs(vectorAngles[0] - 1e-9) > 1e-18) throw new Error(String(vectorAngles));
 * ```
 */
export function compareEigenpairs(
  reference: Eigendecomposition,
  other: Eigendecomposition,
): EigenpairAgreement {
  const n = reference.vectors.columns;
  const valueDifferences: number[] = [];
  const vectorAngles: number[] = [];
  for (let j = 0; j < other.values.length; j++) {
    valueDifferences.push(Math.abs(reference.values[j] - other.values[j]) / reference.values[j]);
    const a = unit(reference.vectors.data.subarray(j * n, j * n + n));
    const b = unit(other.vectors.data.subarray(j * n, j * n + n));
    let cos = 0;
    for (let k = 0; k < n; k++) cos += a[k] * b[k];
    let sinSquared = 0;
    for (let k = 0; k < n; k++) sinSquared += (b[k] - cos * a[k]) ** 2;
    vectorAngles.push(Math.atan2(Math.sqrt(sinSquared), Math.abs(cos)));
  }
  return { valueDifferences, vectorAngles };
}

function unit(vector: Float64Array): Float64Array {
  const norm = Math.sqrt(vector.reduce((sum, value) => sum + value * value, 0));
  return vector.map((value) => value / norm);
}

/** The `pca` analysis. */
export const pca: Analysis<PcaSettings> = {
  schema,
  description: "PCA of MNIST by eigendecomposition of the pixel covariance, checked a second way",
  module: import.meta.url,
  metrics: (settings) => [
    ...settings.thresholds.map(componentsMetric),
    "firstComponentRatio",
    "secondComponentRatio",
    "constantPixels",
    "eigenResidual",
    "checkEigenvalueDifference",
    "checkEigenvectorAngle",
  ],
  async prepare() {
    await loadMnist();
  },
  async run(settings, { seed, progress }): Promise<AnalysisOutput> {
    const mnist = await loadMnist();
    const count = settings.trainSize;
    progress.log(`pca: covariance of ${count} training images`);
    const { mean, covariance } = imageCovariance(mnist.train.images, count, PIXELS);
    progress.log("pca: eigendecomposition of the 784 × 784 covariance (float64)");
    const eigen = withFixedSigns(symmetricEigen(covariance));
    const { ratios, cumulative } = explainedVariance(eigen.values);
    const constantPixels = Array.from({ length: PIXELS }, (_, i) => covariance.data[i * PIXELS + i])
      .filter((variance) => variance === 0).length;
    const { components, blockSize, iterations } = settings.check;
    progress.log(
      `pca: ${components} leading pairs again by subspace iteration on the centred data (tfjs)`,
    );
    const data = centredData(mnist, count, mean);
    let check: Eigendecomposition;
    try {
      check = await subspaceIteration(
        (block) => covarianceTimes(data, block),
        PIXELS,
        { count: components, blockSize, iterations, seed: deriveSeed(seed, "pca", "check") },
      );
    } finally {
      data.dispose();
    }
    const agreement = compareEigenpairs(eigen, check);
    const residuals = eigenResiduals(covariance, eigen, components);
    return {
      final: {
        ...Object.fromEntries(
          settings.thresholds.map((t) => [componentsMetric(t), componentsFor(cumulative, t)]),
        ),
        firstComponentRatio: ratios[0],
        secondComponentRatio: ratios[1],
        constantPixels,
        eigenResidual: Math.max(...residuals),
        checkEigenvalueDifference: Math.max(...agreement.valueDifferences),
        checkEigenvectorAngle: Math.max(...agreement.vectorAngles),
      },
      artifacts: {
        ...varianceArtifacts(settings, { ratios, cumulative }, count, constantPixels),
        "eigenpair-check": checkTable(eigen, check, agreement, residuals, settings),
        projection: projection(mnist, mean, eigen, settings.projectionSize),
        components: componentImages(eigen, settings.componentImages),
        reconstructions: reconstructions(mnist, mean, eigen, settings),
      },
    };
  },
};

/**
 * Flips each eigenvector so that its largest entry is positive: eigenvectors have no sign of
 * their own, and a fixed one keeps the charts from mirroring between versions of the solver.
 */
function withFixedSigns(eigen: Eigendecomposition): Eigendecomposition {
  const n = eigen.vectors.columns;
  for (let j = 0; j < eigen.vectors.rows; j++) {
    const row = eigen.vectors.data.subarray(j * n, j * n + n);
    let largest = 0;
    for (const value of row) if (Math.abs(value) > Math.abs(largest)) largest = value;
    if (largest < 0) row.forEach((value, k) => (row[k] = -value));
  }
  return eigen;
}

/** The centred training images as a float32 tensor on the active backend. */
function centredData(mnist: MnistData, count: number, mean: Float64Array): tf.Tensor2D {
  const centred = new Float32Array(count * PIXELS);
  for (let i = 0; i < count * PIXELS; i++) {
    centred[i] = mnist.train.images[i] / 255 - mean[i % PIXELS];
  }
  return tf.tensor2d(centred, [count, PIXELS]);
}

/**
 * The covariance times each row of `block`, as Xcᵀ (Xc vᵀ) / (n − 1) with two float32 matmuls of
 * the centred data Xc on the tfjs backend: the covariance's action without the covariance.
 */
async function covarianceTimes(data: tf.Tensor2D, block: Matrix): Promise<Matrix> {
  // Transposed operands are passed already transposed: tfjs-wasm's matMul runs several times
  // slower with its transpose flags than on a transposed copy of the small operand.
  const columns = new Float32Array(PIXELS * block.rows);
  for (let j = 0; j < block.rows; j++) {
    for (let k = 0; k < PIXELS; k++) columns[k * block.rows + j] = block.data[j * PIXELS + k];
  }
  const product = tf.tidy(() => {
    const scores = tf.matMul(data, tf.tensor2d(columns, [PIXELS, block.rows])); // images × block
    return tf.div(tf.matMul(tf.transpose(scores), data), data.shape[0] - 1); // block × pixels
  });
  try {
    return matrix(block.rows, PIXELS, Float64Array.from(await product.data()));
  } finally {
    product.dispose();
  }
}

/** ‖C v − λ v‖ / λ for the leading pairs, in float64: how exactly each pair solves C v = λ v. */
function eigenResiduals(covariance: Matrix, eigen: Eigendecomposition, count: number): number[] {
  const n = covariance.columns;
  return Array.from({ length: count }, (_, j) => {
    const v = eigen.vectors.data.subarray(j * n, j * n + n);
    let squared = 0;
    for (let i = 0; i < n; i++) {
      let sum = 0;
      for (let k = 0; k < n; k++) sum += covariance.data[i * n + k] * v[k];
      squared += (sum - eigen.values[j] * v[i]) ** 2;
    }
    return Math.sqrt(squared) / eigen.values[j];
  });
}

function percent(threshold: number): string {
  return `${Number((threshold * 100).toFixed(2))} %`;
}

function varianceArtifacts(
  settings: PcaSettings,
  { ratios, cumulative }: ExplainedVariance,
  count: number,
  constantPixels: number,
): Record<string, Artifact> {
  const counts = settings.thresholds.map((t) =>
    `${componentsFor(cumulative, t)} for ${percent(t)}`
  );
  const positive = Array.from(ratios, (y, i) => ({ x: i + 1, y })).filter((p) => p.y > 1e-12);
  return {
    "explained-variance": {
      kind: "lines",
      title: "Explained variance ratio of each component",
      description: `The share of the pixel variance of ${count} MNIST training images along each ` +
        `principal component, largest first, on a log scale: the first explains ${
          (ratios[0] * 100).toFixed(1)
        } %. The ${ratios.length - positive.length} components of (numerically) zero variance ` +
        `are left out: ${constantPixels} pixels never change in these images.`,
      xTitle: "component",
      yTitle: "explained variance ratio",
      logY: true,
      series: [{ name: "per component", points: positive }],
    },
    "cumulative-variance": {
      kind: "lines",
      title: "Cumulative explained variance",
      description: `The variance explained by the first k components together; ${
        counts.join(" and ")
      } of the variance.`,
      xTitle: "components k",
      yTitle: "cumulative explained variance",
      series: [{
        name: "cumulative",
        points: Array.from(cumulative, (y, i) => ({ x: i + 1, y })),
      }],
      references: settings.thresholds.map((t) => ({ label: percent(t), value: t })),
    },
  };
}

function checkTable(
  eigen: Eigendecomposition,
  check: Eigendecomposition,
  agreement: EigenpairAgreement,
  residuals: number[],
  settings: PcaSettings,
): Artifact {
  return {
    kind: "table",
    title: "The leading eigenpairs, computed two ways",
    description: "Eigenvalues of the pixel covariance from the float64 eigendecomposition " +
      "(Householder + QL) and from subspace iteration on the centred data on the tfjs backend " +
      `(float32, block of ${settings.check.blockSize}, ${settings.check.iterations} iterations, ` +
      "Rayleigh–Ritz), their relative difference, the angle between the eigenvectors, and the " +
      "float64 residual ‖Cv − λv‖ / λ.",
    columns: [
      "component",
      "λ (float64)",
      "λ (tfjs)",
      "relative difference",
      "angle (rad)",
      "residual",
    ],
    rows: agreement.valueDifferences.map((difference, j) => [
      j + 1,
      formatSignificant(eigen.values[j], 9),
      formatSignificant(check.values[j], 9),
      formatSignificant(difference, 3),
      formatSignificant(agreement.vectorAngles[j], 3),
      formatSignificant(residuals[j], 3),
    ]),
  };
}

/** Digit labels as groups, in order. */
const DIGITS = Array.from({ length: 10 }, (_, d) => String(d));

function projection(
  mnist: MnistData,
  mean: Float64Array,
  eigen: Eigendecomposition,
  size: number,
): Artifact {
  const count = Math.min(size, mnist.test.count);
  const v = eigen.vectors.data;
  const points = Array.from({ length: count }, (_, i) => {
    let x = 0;
    let y = 0;
    for (let k = 0; k < PIXELS; k++) {
      const centred = mnist.test.images[i * PIXELS + k] / 255 - mean[k];
      x += centred * v[k];
      y += centred * v[PIXELS + k];
    }
    return { x: round(x, 3), y: round(y, 3), group: String(mnist.test.labels[i]) };
  });
  // Which digits sit furthest out along the first component, on average: said, not assumed.
  const means = DIGITS.map((digit) => {
    const xs = points.filter((point) => point.group === digit).map((point) => point.x);
    return { digit, mean: xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length) };
  }).sort((a, b) => a.mean - b.mean);
  const [lowest, highest] = [means[0], means[means.length - 1]];
  return {
    kind: "scatter",
    title: "Test digits projected onto the first two components",
    description: `The first ${count} MNIST test digits, centred with the training mean and ` +
      "projected onto the two leading principal components, coloured by label. Along the " +
      `first component the ${highest.digit}s lie furthest out on one side (mean ${
        highest.mean.toFixed(1)
      }) and the ${lowest.digit}s on the other (${lowest.mean.toFixed(1)}); most other digits ` +
      "overlap in between.",
    xTitle: "component 1",
    yTitle: "component 2",
    points,
    groupOrder: DIGITS,
  };
}

function componentImages(eigen: Eigendecomposition, count: number): Artifact {
  return {
    kind: "imageGrid",
    title: "The leading principal components as images",
    description: `The first ${count} eigenvectors of the pixel covariance drawn as 28 × 28 ` +
      "images, positive and negative weights in opposite colours: the directions in pixel " +
      "space along which the training digits vary most.",
    images: Array.from({ length: count }, (_, j) => ({
      label: `component ${j + 1}`,
      pixels: toImage(eigen.vectors.data.subarray(j * PIXELS, (j + 1) * PIXELS), 4),
    })),
    columns: Math.min(count, 8),
    scheme: "diverging",
  };
}

function reconstructions(
  mnist: MnistData,
  mean: Float64Array,
  eigen: Eigendecomposition,
  settings: PcaSettings,
): Artifact {
  const ranks = settings.ranks;
  const v = eigen.vectors.data;
  const images: { label: string; pixels: number[][] }[] = [];
  for (let i = 0; i < settings.reconstructionDigits; i++) {
    const original = Float64Array.from(
      mnist.test.images.subarray(i * PIXELS, (i + 1) * PIXELS),
      (value) => value / 255,
    );
    images.push({ label: `digit ${mnist.test.labels[i]}`, pixels: toImage(original, 3) });
    const scores = Array.from({ length: Math.max(...ranks) }, (_, j) => {
      let sum = 0;
      for (let k = 0; k < PIXELS; k++) sum += (original[k] - mean[k]) * v[j * PIXELS + k];
      return sum;
    });
    for (const rank of ranks) {
      const image = mean.slice();
      for (let j = 0; j < rank; j++) {
        for (let k = 0; k < PIXELS; k++) image[k] += scores[j] * v[j * PIXELS + k];
      }
      images.push({
        label: `k = ${rank}`,
        pixels: toImage(image.map((value) => Math.min(1, Math.max(0, value))), 3),
      });
    }
  }
  return {
    kind: "imageGrid",
    title: "Test digits reconstructed from k components",
    description: `Each row: a test digit, then its reconstruction from the training mean and ` +
      `its first k principal components, for k = ${ranks.join(", ")} (pixels clipped to [0, 1]).`,
    images,
    columns: ranks.length + 1,
    scheme: "greys",
  };
}

function toImage(values: ArrayLike<number>, digits: number): number[][] {
  return Array.from(
    { length: SIDE },
    (_, r) => Array.from({ length: SIDE }, (_, c) => round(values[r * SIDE + c], digits)),
  );
}

function round(value: number, digits: number): number {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale + 0; // + 0 turns −0 into 0
}
