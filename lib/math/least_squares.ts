/**
 * Regularised least squares in float64, by two independent methods: Householder QR on the
 * augmented system (stable: its error grows with the design's condition number) and the normal
 * equations by Cholesky (the textbook closed form: its error grows with the square of it). Both
 * minimise the same objective, Goodfellow et al. 2016's linear regression with weight decay
 * (§5.2.2, eq. 5.18):
 *
 *     J(w) = (1/n) ‖X w − y‖² + λ Σ_{j penalised} w_j²
 *
 * so on a well-conditioned problem they agree to rounding, which is how each checks the other.
 *
 * @module
 */

/** A least-squares problem: a row-major design matrix, targets and the weight decay. */
export interface LeastSquaresProblem {
  /** `rows × columns` values, row after row. */
  design: Float64Array;
  /** Number of examples n. */
  rows: number;
  /** Number of weights. */
  columns: number;
  /** `rows` target values. */
  targets: ArrayLike<number>;
  /** λ ≥ 0; 0 gives ordinary least squares. */
  weightDecay?: number;
  /** Columns whose weight is not penalised (an intercept), e.g. `[0]`. */
  unpenalized?: readonly number[];
}

/**
 * Minimises `(1/n) ‖X w − y‖² + λ Σ w_j²` by Householder QR of the augmented system
 * `[X / √n; √λ D] w ≈ [y / √n; 0]`, where `D` selects the penalised columns: it never forms
 * `XᵀX`, so it keeps the accuracy the normal equations lose on ill-conditioned designs.
 *
 * @param problem The design, targets and weight decay.
 * @returns The `columns` weights.
 * @throws {RangeError} For inconsistent sizes, a negative weight decay, or a rank-deficient
 * system (more unpenalised weights than the examples can determine).
 *
 * @example
 * ```ts
 * import { solveLeastSquares } from "./least_squares.ts";
 * // y = 1 + 2x through three exact points: the intercept and slope are recovered.
 * const design = Float64Array.from([1, 0, 1, 1, 1, 2]);
 * const w = solveLeastSquares({ design, rows: 3, columns: 2, targets: [1, 3, 5] });
 * if (Math.abs(w[0] - 1) > 1e-12 || Math.abs(w[1] - 2) > 1e-12) throw new Error(String(w));
 * ```
 */
export function solveLeastSquares(problem: LeastSquaresProblem): Float64Array {
  const { rows, columns } = checkProblem(problem, "solveLeastSquares");
  const lambda = problem.weightDecay ?? 0;
  const free = new Set(problem.unpenalized ?? []);
  const penalised = lambda > 0
    ? Array.from({ length: columns }, (_, j) => j).filter((j) => !free.has(j))
    : [];
  const height = rows + penalised.length;
  if (height < columns) throw rankDeficient("solveLeastSquares", rows, columns);
  // The augmented matrix, column-major for the Householder sweeps, and its right-hand side.
  const a = new Float64Array(height * columns);
  const b = new Float64Array(height);
  const scale = 1 / Math.sqrt(rows);
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < columns; j++) a[j * height + i] = problem.design[i * columns + j] * scale;
    b[i] = problem.targets[i] * scale;
  }
  penalised.forEach((j, r) => a[j * height + rows + r] = Math.sqrt(lambda));

  const diagonal = new Float64Array(columns);
  for (let k = 0; k < columns; k++) {
    const column = k * height;
    let norm = 0;
    for (let i = k; i < height; i++) norm += a[column + i] ** 2;
    norm = Math.sqrt(norm);
    if (norm === 0) throw rankDeficient("solveLeastSquares", rows, columns);
    const alpha = a[column + k] > 0 ? -norm : norm;
    // v = x − α e₁, stored in place; H = I − 2 v vᵀ / (vᵀv).
    a[column + k] -= alpha;
    let vv = 0;
    for (let i = k; i < height; i++) vv += a[column + i] ** 2;
    const reflect = (target: Float64Array, offset: number) => {
      let dot = 0;
      for (let i = k; i < height; i++) dot += a[column + i] * target[offset + i];
      const factor = 2 * dot / vv;
      for (let i = k; i < height; i++) target[offset + i] -= factor * a[column + i];
    };
    for (let j = k + 1; j < columns; j++) reflect(a, j * height);
    reflect(b, 0);
    diagonal[k] = alpha;
  }
  const largest = Math.max(...diagonal.map(Math.abs));
  if (diagonal.some((r) => Math.abs(r) <= largest * 1e-13)) {
    throw rankDeficient("solveLeastSquares", rows, columns);
  }
  // Back substitution with R: its diagonal in `diagonal`, above it in `a`.
  const w = new Float64Array(columns);
  for (let k = columns - 1; k >= 0; k--) {
    let sum = b[k];
    for (let j = k + 1; j < columns; j++) sum -= a[j * height + k] * w[j];
    w[k] = sum / diagonal[k];
  }
  return w;
}

/**
 * Minimises the same objective as {@linkcode solveLeastSquares} through the normal equations
 * `(XᵀX / n + λ D) w = Xᵀy / n`, solved by Cholesky: the closed form of Goodfellow et al. 2016,
 * eq. 5.12 (and its weight-decay form). A second, independent method to check the first.
 *
 * @param problem The design, targets and weight decay.
 * @returns The `columns` weights.
 * @throws {RangeError} For inconsistent sizes, a negative weight decay, or a system that is not
 * positive definite (rank-deficient, or too ill-conditioned for this method).
 *
 * @example
 * ```ts
 * import { solveNormalEquations } from "./least_squares.ts";
 * // A mean: one constant column; with weight decay λ the weight shrinks to mean / (1 + λ).
 * const design = Float64Array.from([1, 1, 1, 1]);
 * const w = solveNormalEquations({ design, rows: 4, columns: 1, targets: [1, 2, 3, 6], weightDecay: 1 });
 * if (Math.abs(w[0] - 1.5) > 1e-12) throw new Error(String(w));
 * ```
 */
export function solveNormalEquations(problem: LeastSquaresProblem): Float64Array {
  const { rows, columns } = checkProblem(problem, "solveNormalEquations");
  const lambda = problem.weightDecay ?? 0;
  const free = new Set(problem.unpenalized ?? []);
  const gram = new Float64Array(columns * columns);
  const right = new Float64Array(columns);
  for (let i = 0; i < rows; i++) {
    const row = i * columns;
    for (let j = 0; j < columns; j++) {
      const xj = problem.design[row + j];
      right[j] += xj * problem.targets[i] / rows;
      for (let l = 0; l <= j; l++) gram[j * columns + l] += xj * problem.design[row + l] / rows;
    }
  }
  for (let j = 0; j < columns; j++) if (!free.has(j)) gram[j * columns + j] += lambda;
  // Cholesky: gram = L Lᵀ, L in the lower triangle.
  for (let j = 0; j < columns; j++) {
    for (let l = 0; l <= j; l++) {
      let sum = gram[j * columns + l];
      for (let m = 0; m < l; m++) sum -= gram[j * columns + m] * gram[l * columns + m];
      if (l === j) {
        if (!(sum > 0)) throw rankDeficient("solveNormalEquations", rows, columns);
        gram[j * columns + j] = Math.sqrt(sum);
      } else {
        gram[j * columns + l] = sum / gram[l * columns + l];
      }
    }
  }
  const z = new Float64Array(columns);
  for (let j = 0; j < columns; j++) {
    let sum = right[j];
    for (let m = 0; m < j; m++) sum -= gram[j * columns + m] * z[m];
    z[j] = sum / gram[j * columns + j];
  }
  const w = new Float64Array(columns);
  for (let j = columns - 1; j >= 0; j--) {
    let sum = z[j];
    for (let m = j + 1; m < columns; m++) sum -= gram[m * columns + j] * w[m];
    w[j] = sum / gram[j * columns + j];
  }
  return w;
}

/**
 * The mean squared error `(1/n) ‖X w − y‖²` of weights on a design.
 *
 * @param design `rows × weights.length` values, row after row.
 * @param weights The weights.
 * @param targets `rows` targets.
 * @returns The mean squared error.
 *
 * @example
 * ```ts
 * import { meanSquaredError } from "./least_squares.ts";
 * const mse = meanSquaredError(Float64Array.from([1, 2]), [3], [3, 4]);
 * if (mse !== 2) throw new Error(String(mse)); // errors 0 and 2
 * ```
 */
export function meanSquaredError(
  design: Float64Array,
  weights: ArrayLike<number>,
  targets: ArrayLike<number>,
): number {
  const columns = weights.length;
  const rows = targets.length;
  if (design.length !== rows * columns) {
    throw new RangeError(
      `meanSquaredError: expected a design of ${rows} × ${columns} = ${
        rows * columns
      } values, found ${design.length}`,
    );
  }
  let total = 0;
  for (let i = 0; i < rows; i++) {
    let prediction = 0;
    for (let j = 0; j < columns; j++) prediction += design[i * columns + j] * weights[j];
    total += (prediction - targets[i]) ** 2;
  }
  return total / rows;
}

function checkProblem(problem: LeastSquaresProblem, what: string) {
  const { rows, columns, design, targets } = problem;
  if (!Number.isInteger(rows) || rows < 1 || !Number.isInteger(columns) || columns < 1) {
    throw new RangeError(
      `${what}: expected positive integer rows and columns, found ${rows} and ${columns}`,
    );
  }
  if (design.length !== rows * columns) {
    throw new RangeError(
      `${what}: expected a design of ${rows} × ${columns} = ${
        rows * columns
      } values, found ${design.length}`,
    );
  }
  if (targets.length !== rows) {
    throw new RangeError(
      `${what}: expected ${rows} targets (one per row), found ${targets.length}`,
    );
  }
  const lambda = problem.weightDecay ?? 0;
  if (!(lambda >= 0)) {
    throw new RangeError(`${what}: expected weightDecay >= 0, found ${lambda}`);
  }
  for (const j of problem.unpenalized ?? []) {
    if (!Number.isInteger(j) || j < 0 || j >= columns) {
      throw new RangeError(
        `${what}: expected unpenalized columns in 0..${columns - 1}, found ${j}`,
      );
    }
  }
  return { rows, columns };
}

function rankDeficient(what: string, rows: number, columns: number): RangeError {
  return new RangeError(
    `${what}: the system is rank-deficient: ${columns} weights cannot all be determined from ${rows} examples with this weight decay; use fewer features, more examples or a positive weightDecay`,
  );
}
