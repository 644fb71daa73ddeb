/**
 * The leading eigenpairs of a symmetric positive semi-definite operator by subspace iteration
 * (block power iteration) with a final Rayleigh–Ritz step (Golub & Van Loan, Matrix Computations,
 * 4th ed., §8.3.7). It only needs the operator's action on a block of vectors, so the operator
 * can be a product never formed, such as XᵀX for a data matrix X multiplied on a tfjs backend.
 *
 * @module
 */

import { type Matrix, matrix, orthonormalizeRows } from "./matrix.ts";
import { type Eigendecomposition, symmetricEigen } from "./symmetric_eigen.ts";
import { createRng, normal } from "../random/seed.ts";

/** The action of a symmetric operator A on a block: rows in, A applied to each row out. */
export type BlockOperator = (block: Matrix) => Matrix | Promise<Matrix>;

/** Options of {@linkcode subspaceIteration}. */
export interface SubspaceIterationOptions {
  /** How many leading eigenpairs to return. */
  count: number;
  /**
   * Vectors iterated together, at least `count`. Eigenvector j converges like
   * (λ_{block+1} / λ_j)^iterations, so a few extra vectors speed up the last ones wanted.
   */
  blockSize: number;
  /** Applications of the operator before the Rayleigh–Ritz step. */
  iterations: number;
  /** Seed of the random starting block. */
  seed: number;
}

/**
 * The `count` largest eigenvalues of a symmetric positive semi-definite operator and their
 * eigenvectors.
 *
 * @param apply The operator's action on a block of row vectors.
 * @param dimension The length of the vectors.
 * @param options How many pairs, the block size, the iterations and the seed.
 * @returns The eigenvalues (largest first) and unit eigenvectors as rows.
 * @throws {RangeError} For a block smaller than `count` or larger than `dimension`.
 *
 * @example
 * ```ts
 * import { subspaceIteration } from "./subspace_iteration.ts";
 * import { matrix } from "./matrix.ts";
 * // A = diag(4, 2, 1): scale each vector's entries.
 * const apply = (block: { rows: number; columns: number; data: Float64Array }) =>
 *   matrix(block.rows, 3, block.data.map((value, i) => value * [4, 2, 1][i % 3]));
 * const { values } = await subspaceIteration(apply, 3, {
 *   count: 1, blockSize: 2, iterations: 60, seed: 1,
 * });
 * if (Math.abs(values[0] - 4) > 1e-12) throw new Error(String(values[0]));
 * ```
 */
export async function subspaceIteration(
  apply: BlockOperator,
  dimension: number,
  options: SubspaceIterationOptions,
): Promise<Eigendecomposition> {
  const { count, blockSize, iterations, seed } = options;
  if (!(Number.isInteger(count) && count >= 1 && count <= blockSize)) {
    throw new RangeError(
      `Expected count to be an integer from 1 to blockSize (${blockSize}) but found ${count}`,
    );
  }
  if (!(Number.isInteger(blockSize) && blockSize <= dimension)) {
    throw new RangeError(
      `Expected blockSize to be an integer of at most dimension (${dimension}) but found ${blockSize}`,
    );
  }
  const rng = createRng(seed);
  let q = orthonormalizeRows(
    matrix(
      blockSize,
      dimension,
      Float64Array.from({ length: blockSize * dimension }, () => normal(rng)),
    ),
  );
  for (let i = 0; i < iterations; i++) {
    q = orthonormalizeRows(copy(await apply(q)));
  }
  // Rayleigh–Ritz: the best approximations from span(Q) are the eigenpairs of H = Q A Qᵀ.
  const aq = await apply(q);
  const h = matrix(blockSize, blockSize);
  for (let i = 0; i < blockSize; i++) {
    for (let j = 0; j <= i; j++) {
      // Q A Qᵀ is symmetric; the average of its two triangles cancels some rounding.
      let sum = 0;
      for (let k = 0; k < dimension; k++) {
        sum += q.data[i * dimension + k] * aq.data[j * dimension + k] +
          q.data[j * dimension + k] * aq.data[i * dimension + k];
      }
      h.data[i * blockSize + j] = h.data[j * blockSize + i] = sum / 2;
    }
  }
  const ritz = symmetricEigen(h);
  const vectors = matrix(count, dimension);
  for (let j = 0; j < count; j++) {
    for (let i = 0; i < blockSize; i++) {
      const weight = ritz.vectors.data[j * blockSize + i];
      for (let k = 0; k < dimension; k++) {
        vectors.data[j * dimension + k] += weight * q.data[i * dimension + k];
      }
    }
  }
  return { values: ritz.values.slice(0, count), vectors: orthonormalizeRows(vectors) };
}

function copy(a: Matrix): Matrix {
  return matrix(a.rows, a.columns, a.data.slice());
}
