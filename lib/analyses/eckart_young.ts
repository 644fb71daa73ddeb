/**
 * The `eckartYoung` analysis (chapter 2): the Eckart–Young theorem on MNIST digits. The rank-k
 * truncation A_k = Σ_{i≤k} σ_i u_i v_iᵀ of a matrix's SVD is its best rank-k approximation in the
 * Frobenius norm, with error ‖A − A_k‖_F = √(Σ_{i>k} σ_i²) (Eckart & Young 1936; Goodfellow et al.
 * 2016, §2.12).
 *
 * The SVD comes from one-sided Jacobi rotations (`lib/linalg/jacobi_svd.ts`) and its singular
 * values are checked against the eigenvalues of AAᵀ from the independent Householder–QL solver.
 * For several k the error of the truncation is computed from the reconstruction itself and
 * compared with the root of the discarded squared singular values, and with three other rank-k
 * approximations — k random directions, the span of k of the digits, the k most active pixels —
 * which the theorem says cannot do better.
 *
 * @module
 */

import { z } from "zod";
import type { Analysis, AnalysisOutput } from "./analysis.ts";
import { formatSignificant } from "../report/format.ts";
import type { Artifact } from "../report/artifacts.ts";
import { loadMnist } from "../data/mnist.ts";
import { jacobiSvd, type SingularValueDecomposition } from "../linalg/jacobi_svd.ts";
import { symmetricEigen } from "../linalg/symmetric_eigen.ts";
import {
  frobeniusNorm,
  type Matrix,
  matrix,
  multiply,
  orthonormalizeRows,
  transpose,
} from "../linalg/matrix.ts";
import { createRng, deriveSeed, normal } from "../random/seed.ts";

const PIXELS = 784;

const schema = z.strictObject({
  kind: z.literal("eckartYoung"),
  /** The first this many MNIST test digits are the rows of A (pixels scaled to [0, 1]). */
  images: z.number().int().min(2).max(10_000).default(200),
  /** Ranks k at which the truncation's error is computed and compared. */
  ranks: z.array(z.number().int().min(1)).min(1).default([1, 2, 5, 10, 20, 50, 100]),
  /** Leading singular values checked against the eigenvalues of AAᵀ. */
  components: z.number().int().min(1).default(10),
}).superRefine((settings, context) => {
  const largest = Math.min(settings.images, PIXELS);
  settings.ranks.forEach((rank, i) => {
    if (rank >= largest) {
      context.addIssue({
        code: "custom",
        path: ["ranks", i],
        message: `expected a rank below min(images, 784) = ${largest} (at full rank there is ` +
          `nothing left to discard), found ${rank}`,
      });
    }
  });
  if (settings.components > largest) {
    context.addIssue({
      code: "custom",
      path: ["components"],
      message: `expected at most min(images, 784) = ${largest}, found ${settings.components}`,
    });
  }
});

/** The `eckartYoung` analysis's settings. */
export type EckartYoungSettings = z.output<typeof schema>;

/** Errors of rank-k approximations of one matrix. */
export interface RankErrors {
  /** The rank. */
  rank: number;
  /** ‖A − A_k‖_F of the SVD truncation, computed from A_k itself. */
  truncation: number;
  /** √(Σ_{i>k} σ_i²), the theorem's value. */
  discarded: number;
}

/**
 * ‖A − A_k‖_F of the rank-k SVD truncation, computed from the reconstruction, beside
 * √(Σ_{i>k} σ_i²).
 *
 * @param a The matrix.
 * @param svd Its SVD.
 * @param rank k, from 1 to the number of singular values.
 * @returns Both errors.
 *
 * @example
 * ```ts
 * import { truncationErrors } from "./eckart_young.ts";
 * import { jacobiSvd } from "../linalg/jacobi_svd.ts";
 * import { matrix } from "../linalg/matrix.ts";
 * const a = matrix(2, 2, Float64Array.of(3, 0, 4, 5)); // σ = √45, √5
 * const { truncation, discarded } = truncationErrors(a, jacobiSvd(a), 1);
 * if (Math.abs(truncation - Math.sqrt(5)) > 1e-14 || Math.abs(discarded - Math.sqrt(5)) > 1e-14) {
 *   throw new Error(`${truncation} ${discarded}`);
 * }
 * ```
 */
export function truncationErrors(
  a: Matrix,
  svd: SingularValueDecomposition,
  rank: number,
): RankErrors {
  const residual = a.data.slice();
  const { rows, columns } = a;
  for (let i = 0; i < rank; i++) {
    const sigma = svd.values[i];
    for (let r = 0; r < rows; r++) {
      const weight = sigma * svd.left.data[i * rows + r];
      if (weight === 0) continue;
      for (let c = 0; c < columns; c++) {
        residual[r * columns + c] -= weight * svd.right.data[i * columns + c];
      }
    }
  }
  // Summed from the smallest value up, so the small tail terms are not lost to rounding.
  let squares = 0;
  for (let i = svd.values.length - 1; i >= rank; i--) squares += svd.values[i] ** 2;
  return { rank, truncation: frobeniusNorm(residual), discarded: Math.sqrt(squares) };
}

/**
 * ‖A − A Pᵀ P‖_F: the error of projecting A's rows onto the span of P's rows, the best
 * approximation of A whose rows lie in that span.
 *
 * @param a The matrix (rows are the data).
 * @param basis Rows spanning the subspace (orthonormalised here; dependent rows are dropped).
 * @returns The Frobenius norm of what the projection leaves out.
 *
 * @example
 * ```ts
 * import { projectionError } from "./eckart_young.ts";
 * import { matrix } from "../linalg/matrix.ts";
 * const a = matrix(1, 2, Float64Array.of(3, 4));
 * const error = projectionError(a, matrix(1, 2, Float64Array.of(1, 0)));
 * if (Math.abs(error - 4) > 1e-15) throw new Error(String(error));
 * ```
 */
export function projectionError(a: Matrix, basis: Matrix): number {
  const q = orthonormalizeRows(matrix(basis.rows, basis.columns, basis.data.slice()));
  const coefficients = multiply(a, transpose(q));
  const projected = multiply(coefficients, q);
  return frobeniusNorm(a.data.map((value, i) => value - projected.data[i]));
}

/** The `eckartYoung` analysis. */
export const eckartYoung: Analysis<EckartYoungSettings> = {
  schema,
  description: "the SVD truncation is the best rank-k approximation, with the theorem's error",
  module: import.meta.url,
  metrics: () => [
    "maxRelativeDifference",
    "randomDirectionsRatio",
    "sampleDigitsRatio",
    "activePixelsRatio",
    "singularValueDifference",
    "reconstructionError",
  ],
  async prepare() {
    await loadMnist();
  },
  async run(settings, { seed, progress }): Promise<AnalysisOutput> {
    const mnist = await loadMnist();
    const m = settings.images;
    const a = matrix(
      m,
      PIXELS,
      Float64Array.from(mnist.test.images.subarray(0, m * PIXELS), (value) => value / 255),
    );
    progress.log(`eckartYoung: SVD of ${m} digits × ${PIXELS} pixels by one-sided Jacobi`);
    const svd = jacobiSvd(a);
    const full = truncationErrors(a, svd, svd.values.length);
    const rows = settings.ranks.map((rank) => {
      const errors = truncationErrors(a, svd, rank);
      return {
        ...errors,
        random: projectionError(a, randomDirections(rank, deriveSeed(seed, "eckart-young", rank))),
        digits: projectionError(a, matrix(rank, PIXELS, a.data.slice(0, rank * PIXELS))),
        pixels: activePixelsError(a, rank),
      };
    });
    const ratio = (pick: (row: typeof rows[number]) => number) =>
      Math.min(...rows.map((row) => pick(row) / row.truncation));
    const gram = symmetricEigen(multiply(a, transpose(a)));
    const singularValueDifference = Math.max(
      ...Array.from(
        { length: settings.components },
        (_, i) => Math.abs(Math.sqrt(gram.values[i]) - svd.values[i]) / svd.values[i],
      ),
    );
    return {
      final: {
        maxRelativeDifference: Math.max(
          ...rows.map((row) => Math.abs(row.truncation - row.discarded) / row.discarded),
        ),
        randomDirectionsRatio: ratio((row) => row.random),
        sampleDigitsRatio: ratio((row) => row.digits),
        activePixelsRatio: ratio((row) => row.pixels),
        singularValueDifference,
        reconstructionError: full.truncation / frobeniusNorm(a),
      },
      artifacts: {
        errors: errorChart(rows, svd, m),
        "error-table": errorTable(rows),
        "singular-values": {
          kind: "lines",
          title: "Singular values of the digit matrix",
          description: `The ${svd.values.length} singular values of the ${m} × ${PIXELS} matrix ` +
            `of MNIST test digits, largest first (one-sided Jacobi, ${svd.sweeps} sweeps).`,
          xTitle: "index i",
          yTitle: "singular value σ_i",
          logY: true,
          series: [{
            name: "σ_i",
            points: Array.from(svd.values, (y, i) => ({ x: i + 1, y })).filter((p) => p.y > 0),
          }],
        },
      },
    };
  },
};

/** `count` directions drawn uniformly on the sphere (Gaussian rows), from a seed. */
function randomDirections(count: number, seed: number): Matrix {
  const rng = createRng(seed);
  return matrix(count, PIXELS, Float64Array.from({ length: count * PIXELS }, () => normal(rng)));
}

/** The error of keeping only the k pixels of largest energy Σ_r a_rc² (a rank-≤k approximation). */
function activePixelsError(a: Matrix, rank: number): number {
  const energy = Array.from({ length: a.columns }, (_, c) => {
    let sum = 0;
    for (let r = 0; r < a.rows; r++) sum += a.data[r * a.columns + c] ** 2;
    return sum;
  });
  const order = energy.map((_, c) => c).sort((x, y) => energy[y] - energy[x] || x - y);
  return Math.sqrt(order.slice(rank).reduce((sum, c) => sum + energy[c], 0));
}

interface RankRow extends RankErrors {
  random: number;
  digits: number;
  pixels: number;
}

function errorChart(rows: RankRow[], svd: SingularValueDecomposition, m: number): Artifact {
  const largest = Math.max(...rows.map((row) => row.rank));
  let tail = 0;
  const discarded = new Float64Array(svd.values.length + 1);
  for (let i = svd.values.length - 1; i >= 0; i--) {
    tail += svd.values[i] ** 2;
    discarded[i] = Math.sqrt(tail);
  }
  const at = (pick: (row: RankRow) => number) => rows.map((row) => ({ x: row.rank, y: pick(row) }));
  return {
    kind: "lines",
    title: "Frobenius error of rank-k approximations",
    description: `‖A − A_k‖_F for the ${m} × ${PIXELS} matrix of MNIST test digits: the SVD ` +
      "truncation's error computed from its reconstruction lies on the curve √(Σ_{i>k} σ_i²), and " +
      "every other rank-k approximation — projection on k random directions, on the span of k " +
      "of the digits, or keeping the k most active pixels — errs more.",
    xTitle: "rank k",
    yTitle: "‖A − approximation‖_F",
    series: [
      {
        name: "√(Σ_{i>k} σ_i²)",
        points: Array.from({ length: largest + 1 }, (_, k) => ({ x: k, y: discarded[k] })),
      },
      { name: "SVD truncation (computed)", points: at((row) => row.truncation) },
      { name: "k random directions", points: at((row) => row.random) },
      { name: "span of k digits", points: at((row) => row.digits) },
      { name: "k most active pixels", points: at((row) => row.pixels) },
    ],
  };
}

function errorTable(rows: RankRow[]): Artifact {
  return {
    kind: "table",
    title: "Rank-k errors",
    description: "For each k, the SVD truncation's Frobenius error computed from the " +
      "reconstruction, the theorem's √(Σ_{i>k} σ_i²), their relative difference, and the errors " +
      "of the three other rank-k approximations.",
    columns: [
      "k",
      "‖A − A_k‖_F",
      "√(Σ_{i>k} σ_i²)",
      "relative difference",
      "random directions",
      "span of k digits",
      "most active pixels",
    ],
    rows: rows.map((row) => [
      row.rank,
      formatSignificant(row.truncation, 10),
      formatSignificant(row.discarded, 10),
      formatSignificant(Math.abs(row.truncation - row.discarded) / row.discarded, 3),
      formatSignificant(row.random, 5),
      formatSignificant(row.digits, 5),
      formatSignificant(row.pixels, 5),
    ]),
  };
}
