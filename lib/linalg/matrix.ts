/**
 * A dense float64 matrix stored row by row, and the few operations the chapter 2 analyses need
 * on it: float64 references for what tfjs computes in float32, and the building blocks of the
 * eigen and singular value solvers next to this file.
 *
 * @module
 */

/** A dense matrix: `data[i * columns + j]` is the entry in row i, column j. */
export interface Matrix {
  /** Number of rows. */
  rows: number;
  /** Number of columns. */
  columns: number;
  /** The entries, row by row (`rows * columns` of them). */
  data: Float64Array;
}

/**
 * A matrix of the given shape, zero or holding `data`.
 *
 * @param rows Number of rows, a positive integer.
 * @param columns Number of columns, a positive integer.
 * @param data Its entries row by row (`rows * columns` of them); zeros when left out.
 * @returns The matrix (sharing `data`, not copying it).
 * @throws {RangeError} For a shape that is not positive integers or data of another length.
 *
 * @example
 * ```ts
 * import { matrix } from "./matrix.ts";
 * const a = matrix(2, 3, Float64Array.of(1, 2, 3, 4, 5, 6));
 * if (a.data[1 * 3 + 2] !== 6) throw new Error("row 1, column 2");
 * ```
 */
export function matrix(rows: number, columns: number, data?: Float64Array): Matrix {
  for (const [name, value] of [["rows", rows], ["columns", columns]] as const) {
    if (!Number.isInteger(value) || value < 1) {
      throw new RangeError(`Expected ${name} to be a positive integer but found ${value}`);
    }
  }
  if (data !== undefined && data.length !== rows * columns) {
    throw new RangeError(
      `Expected ${rows * columns} entries for a ${rows}×${columns} matrix but found ${data.length}`,
    );
  }
  return { rows, columns, data: data ?? new Float64Array(rows * columns) };
}

/**
 * The product `a · b` in float64.
 *
 * @param a An m×k matrix.
 * @param b A k×n matrix.
 * @returns The m×n product.
 * @throws {RangeError} When the inner dimensions differ.
 *
 * @example
 * ```ts
 * import { matrix, multiply } from "./matrix.ts";
 * const c = multiply(matrix(1, 2, Float64Array.of(1, 2)), matrix(2, 1, Float64Array.of(3, 4)));
 * if (c.data[0] !== 11) throw new Error(String(c.data[0]));
 * ```
 */
export function multiply(a: Matrix, b: Matrix): Matrix {
  if (a.columns !== b.rows) {
    throw new RangeError(
      `Expected b to have ${a.columns} rows (a's columns) but found ${b.rows}`,
    );
  }
  const product = matrix(a.rows, b.columns);
  const n = b.columns;
  for (let i = 0; i < a.rows; i++) {
    const out = i * n;
    for (let k = 0; k < a.columns; k++) {
      const aik = a.data[i * a.columns + k];
      if (aik === 0) continue;
      const row = k * n;
      for (let j = 0; j < n; j++) product.data[out + j] += aik * b.data[row + j];
    }
  }
  return product;
}

/**
 * The transpose.
 *
 * @param a Any matrix.
 * @returns Its transpose, a new matrix.
 *
 * @example
 * ```ts
 * import { matrix, transpose } from "./matrix.ts";
 * const t = transpose(matrix(1, 2, Float64Array.of(1, 2)));
 * if (t.rows !== 2 || t.data[1] !== 2) throw new Error("transpose");
 * ```
 */
export function transpose(a: Matrix): Matrix {
  const result = matrix(a.columns, a.rows);
  for (let i = 0; i < a.rows; i++) {
    for (let j = 0; j < a.columns; j++) result.data[j * a.rows + i] = a.data[i * a.columns + j];
  }
  return result;
}

/**
 * The Frobenius norm, the root of the sum of squared entries, summed with scaling so that
 * entries near the float64 limits neither overflow nor underflow.
 *
 * @param a Any matrix, or its entries.
 * @returns ‖a‖_F.
 *
 * @example
 * ```ts
 * import { frobeniusNorm, matrix } from "./matrix.ts";
 * if (frobeniusNorm(matrix(1, 2, Float64Array.of(3, 4))) !== 5) throw new Error("3-4-5");
 * ```
 */
export function frobeniusNorm(a: Matrix | Float64Array): number {
  const data = a instanceof Float64Array ? a : a.data;
  let scale = 0;
  for (const value of data) scale = Math.max(scale, Math.abs(value));
  if (scale === 0) return 0;
  let sum = 0;
  for (const value of data) sum += (value / scale) ** 2;
  return scale * Math.sqrt(sum);
}

/**
 * Makes the rows of a matrix orthonormal in place, in order, by modified Gram–Schmidt applied
 * twice ("twice is enough": the second pass restores orthogonality lost to rounding). A row that
 * depends on the rows before it is replaced by zeros.
 *
 * @param a The matrix; its rows are overwritten.
 * @returns The same matrix.
 *
 * @example
 * ```ts
 * import { matrix, orthonormalizeRows } from "./matrix.ts";
 * const q = orthonormalizeRows(matrix(2, 2, Float64Array.of(3, 4, 1, 0)));
 * const dot = q.data[0] * q.data[2] + q.data[1] * q.data[3];
 * if (Math.abs(dot) > 1e-15 || Math.abs(q.data[0] - 0.6) > 1e-15) throw new Error(String(q.data));
 * ```
 */
export function orthonormalizeRows(a: Matrix): Matrix {
  const { rows, columns: n, data } = a;
  for (let i = 0; i < rows; i++) {
    const row = i * n;
    const before = frobeniusNorm(data.subarray(row, row + n));
    for (let pass = 0; pass < 2; pass++) {
      for (let k = 0; k < i; k++) {
        const other = k * n;
        let dot = 0;
        for (let j = 0; j < n; j++) dot += data[row + j] * data[other + j];
        for (let j = 0; j < n; j++) data[row + j] -= dot * data[other + j];
      }
    }
    const norm = frobeniusNorm(data.subarray(row, row + n));
    // What is left of a dependent row is rounding noise: drop it rather than amplify it.
    const keep = norm > 1e-12 * before;
    for (let j = 0; j < n; j++) data[row + j] = keep ? data[row + j] / norm : 0;
  }
  return a;
}
