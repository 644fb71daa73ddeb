/**
 * Seeded random matrices for the linear-algebra tests.
 *
 * @module
 */

import { type Matrix, matrix, multiply, transpose } from "../lib/linalg/matrix.ts";
import { createRng, normal } from "../lib/random/seed.ts";

/** A rows × columns matrix of standard normal entries drawn from `seed`. */
export function gaussianMatrix(rows: number, columns: number, seed: number): Matrix {
  const rng = createRng(seed);
  return matrix(rows, columns, Float64Array.from({ length: rows * columns }, () => normal(rng)));
}

/** A symmetric positive semi-definite n × n matrix, X Xᵀ for a Gaussian X with `rank` columns. */
export function gramMatrix(n: number, rank: number, seed: number): Matrix {
  const x = gaussianMatrix(n, rank, seed);
  return multiply(x, transpose(x));
}

/** The largest |a_ij − b_ij|. */
export function maxDifference(a: Matrix, b: Matrix): number {
  let largest = 0;
  for (let i = 0; i < a.data.length; i++) {
    largest = Math.max(largest, Math.abs(a.data[i] - b.data[i]));
  }
  return largest;
}

/** The identity. */
export function identity(n: number): Matrix {
  const result = matrix(n, n);
  for (let i = 0; i < n; i++) result.data[i * n + i] = 1;
  return result;
}
