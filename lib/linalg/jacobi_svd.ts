/**
 * The singular value decomposition by one-sided Jacobi rotations (Hestenes 1958): rotate pairs
 * of rows until all rows are orthogonal; their norms are then the singular values. It never forms
 * AᵀA, so small singular values keep their relative accuracy, and it shares no code with the
 * eigensolver in `symmetric_eigen.ts`, which makes the two a check on each other.
 *
 * @module
 */

import { type Matrix, matrix, transpose } from "./matrix.ts";

/** `A = Σ_i σ_i u_i v_iᵀ`, with r = min(rows, columns) terms. */
export interface SingularValueDecomposition {
  /** σ_1 ≥ σ_2 ≥ … ≥ σ_r ≥ 0. */
  values: Float64Array;
  /** Row i is the left singular vector u_i (length `rows` of A). */
  left: Matrix;
  /** Row i is the right singular vector v_i (length `columns` of A); zero where σ_i is 0. */
  right: Matrix;
  /** Sweeps over all pairs of rows until none needed a rotation. */
  sweeps: number;
}

/** Sweeps allowed before giving up (quadratic convergence needs about 6–12). */
const MAX_SWEEPS = 60;

/**
 * Rows whose cosine is below this many float64 epsilons times their length are orthogonal
 * enough: a dot product of n terms carries rounding of about that size, so a smaller threshold
 * could rotate forever by angles made of rounding.
 */
const TOLERANCE_PER_COLUMN = 2 ** -52;

/**
 * The SVD of a real matrix by one-sided Jacobi rotations.
 *
 * @param a Any finite matrix.
 * @returns Singular values (largest first) and singular vectors as rows.
 * @throws {RangeError} For entries that are not finite, or when the sweeps do not converge.
 *
 * @example
 * ```ts
 * import { jacobiSvd } from "./jacobi_svd.ts";
 * import { matrix } from "./matrix.ts";
 * // AᵀA = [[25, 20], [20, 25]] has eigenvalues 45 and 5.
 * const { values } = jacobiSvd(matrix(2, 2, Float64Array.of(3, 0, 4, 5)));
 * if (Math.abs(values[0] - Math.sqrt(45)) > 1e-14 || Math.abs(values[1] - Math.sqrt(5)) > 1e-14) {
 *   throw new Error(String(values));
 * }
 * ```
 */
export function jacobiSvd(a: Matrix): SingularValueDecomposition {
  if (!a.data.every(Number.isFinite)) {
    throw new RangeError("Expected a matrix of finite entries but found NaN or infinity");
  }
  if (a.rows > a.columns) {
    // Rotating rows needs at most as many rows as columns: decompose Aᵀ and swap the sides.
    const { values, left, right, sweeps } = jacobiSvd(transpose(a));
    return { values, left: right, right: left, sweeps };
  }
  const m = a.rows;
  const n = a.columns;
  const w = a.data.slice();
  const j = new Float64Array(m * m);
  for (let i = 0; i < m; i++) j[i * m + i] = 1;
  const tolerance = TOLERANCE_PER_COLUMN * n;
  let sweeps = 0;
  for (let rotated = true; rotated; sweeps++) {
    if (sweeps === MAX_SWEEPS) {
      throw new RangeError(`One-sided Jacobi did not converge in ${MAX_SWEEPS} sweeps`);
    }
    rotated = false;
    for (let p = 0; p < m - 1; p++) {
      for (let q = p + 1; q < m; q++) {
        const [alpha, beta, gamma] = dots(w, p * n, q * n, n);
        if (alpha === 0 || beta === 0) continue;
        if (Math.abs(gamma) <= tolerance * Math.sqrt(alpha * beta)) continue;
        // The rotation that diagonalises [[α, γ], [γ, β]]; the smaller angle, for stability.
        const zeta = (beta - alpha) / (2 * gamma);
        const t = (zeta >= 0 ? 1 : -1) / (Math.abs(zeta) + Math.sqrt(1 + zeta * zeta));
        const c = 1 / Math.sqrt(1 + t * t);
        const s = c * t;
        rotate(w, p * n, q * n, n, c, s);
        rotate(j, p * m, q * m, m, c, s);
        rotated = true;
      }
    }
  }
  // Now W = J A has orthogonal rows: A = Jᵀ W = Σ_i J_i ‖W_i‖ (W_i / ‖W_i‖).
  const norms = Array.from({ length: m }, (_, i) => Math.sqrt(dots(w, i * n, i * n, n)[0]));
  const order = norms.map((_, i) => i).sort((x, y) => norms[y] - norms[x]);
  const values = Float64Array.from(order, (i) => norms[i]);
  const left = matrix(m, m);
  const right = matrix(m, n);
  order.forEach((from, to) => {
    left.data.set(j.subarray(from * m, from * m + m), to * m);
    const sigma = norms[from];
    if (sigma === 0) return;
    for (let k = 0; k < n; k++) right.data[to * n + k] = w[from * n + k] / sigma;
  });
  return { values, left, right, sweeps };
}

/** ‖x‖², ‖y‖² and x·y for the rows of `data` starting at `x` and `y`. */
function dots(data: Float64Array, x: number, y: number, n: number): [number, number, number] {
  let xx = 0;
  let yy = 0;
  let xy = 0;
  for (let k = 0; k < n; k++) {
    const a = data[x + k];
    const b = data[y + k];
    xx += a * a;
    yy += b * b;
    xy += a * b;
  }
  return [xx, yy, xy];
}

/** Rows x, y ← (c x − s y, s x + c y). */
function rotate(data: Float64Array, x: number, y: number, n: number, c: number, s: number): void {
  for (let k = 0; k < n; k++) {
    const a = data[x + k];
    const b = data[y + k];
    data[x + k] = c * a - s * b;
    data[y + k] = s * a + c * b;
  }
}
