import assert from "node:assert/strict";
import {
  meanSquaredError,
  solveLeastSquares,
  solveNormalEquations,
} from "../lib/math/least_squares.ts";
import { createRng, normal } from "../lib/random/seed.ts";

/** A random `rows × columns` problem with a constant first column. */
function randomProblem(rows: number, columns: number, seed: number) {
  const rng = createRng(seed);
  const design = Float64Array.from(
    { length: rows * columns },
    (_, i) => i % columns === 0 ? 1 : normal(rng),
  );
  const targets = Float64Array.from({ length: rows }, () => normal(rng));
  return { design, rows, columns, targets };
}

/** The objective's gradient (2/n) Xᵀ(Xw − y) + 2λ D w: zero at the minimiser. */
function objectiveGradient(
  problem: ReturnType<typeof randomProblem>,
  w: Float64Array,
  lambda: number,
  unpenalized: number[],
): number[] {
  const { design, rows, columns, targets } = problem;
  const gradient = new Array<number>(columns).fill(0);
  for (let i = 0; i < rows; i++) {
    let residual = -targets[i];
    for (let j = 0; j < columns; j++) residual += design[i * columns + j] * w[j];
    for (let j = 0; j < columns; j++) gradient[j] += 2 * design[i * columns + j] * residual / rows;
  }
  for (let j = 0; j < columns; j++) if (!unpenalized.includes(j)) gradient[j] += 2 * lambda * w[j];
  return gradient;
}

Deno.test("solveLeastSquares and solveNormalEquations agree and zero the objective's gradient", () => {
  for (const [rows, columns, lambda, seed] of [[30, 4, 0, 1], [12, 6, 0.3, 2], [5, 8, 0.01, 3]]) {
    const problem = randomProblem(rows, columns, seed);
    const options = { ...problem, weightDecay: lambda, unpenalized: [0] };
    const qr = solveLeastSquares(options);
    const normal = solveNormalEquations(options);
    for (let j = 0; j < columns; j++) {
      assert.ok(Math.abs(qr[j] - normal[j]) < 1e-10, `${rows}x${columns} λ=${lambda}: w${j}`);
    }
    const gradient = objectiveGradient(problem, qr, lambda, [0]);
    assert.ok(Math.max(...gradient.map(Math.abs)) < 1e-12, `gradient ${gradient}`);
  }
});

Deno.test("solveLeastSquares recovers exact weights and shrinks an orthogonal design by 1 + λ", () => {
  // y = 2 − 3x on five points: ordinary least squares is exact.
  const xs = [-2, -1, 0, 1, 2];
  const design = Float64Array.from(xs.flatMap((x) => [1, x]));
  const exact = solveLeastSquares({
    design,
    rows: 5,
    columns: 2,
    targets: xs.map((x) => 2 - 3 * x),
  });
  assert.ok(Math.abs(exact[0] - 2) < 1e-14 && Math.abs(exact[1] + 3) < 1e-14, String(exact));
  // With XᵀX / n = I (orthonormal columns scaled by √n), ridge gives w = Xᵀy / n / (1 + λ).
  const orthogonal = Float64Array.from([1, 1, 1, -1, -1, 1, -1, -1]);
  const targets = [3, 1, -1, 5];
  const lambda = 0.5;
  const ridge = solveLeastSquares({
    design: orthogonal,
    rows: 4,
    columns: 2,
    targets,
    weightDecay: lambda,
  });
  // Columns [1, 1, −1, −1] and [1, −1, 1, −1].
  const xty = [(3 + 1 + 1 - 5) / 4, (3 - 1 - 1 - 5) / 4];
  for (let j = 0; j < 2; j++) {
    assert.ok(Math.abs(ridge[j] - xty[j] / (1 + lambda)) < 1e-14, `w${j} = ${ridge[j]}`);
  }
});

Deno.test("solveLeastSquares keeps the unpenalised intercept: a huge λ leaves the mean", () => {
  const problem = randomProblem(20, 5, 7);
  const w = solveLeastSquares({ ...problem, weightDecay: 1e12, unpenalized: [0] });
  const mean = problem.targets.reduce((a, b) => a + b, 0) / problem.rows;
  assert.ok(Math.abs(w[0] - mean) < 1e-9, `${w[0]} against ${mean}`);
  assert.ok(Math.max(...w.subarray(1).map(Math.abs)) < 1e-9);
});

Deno.test("solveLeastSquares is accurate where the normal equations lose digits", () => {
  // Monomials 1, x, …, x^9 on [0, 1]: cond(X) ≈ 1e7, cond(XᵀX) ≈ 1e14.
  const xs = Array.from({ length: 40 }, (_, i) => i / 39);
  const columns = 10;
  const truth = Array.from({ length: columns }, (_, j) => (j % 3) - 1);
  const design = Float64Array.from(xs.flatMap((x) => truth.map((_, j) => x ** j)));
  const targets = xs.map((_, i) =>
    truth.reduce((sum, w, j) => sum + w * design[i * columns + j], 0)
  );
  const qr = solveLeastSquares({ design, rows: xs.length, columns, targets });
  const qrError = Math.max(...truth.map((w, j) => Math.abs(qr[j] - w)));
  assert.ok(qrError < 1e-6, `QR error ${qrError}`);
  let normalError = Infinity;
  try {
    const normal = solveNormalEquations({ design, rows: xs.length, columns, targets });
    normalError = Math.max(...truth.map((w, j) => Math.abs(normal[j] - w)));
  } catch {
    // Cholesky may even fail: the Gram matrix is numerically singular.
  }
  assert.ok(normalError > 100 * qrError, `normal equations ${normalError} vs QR ${qrError}`);
});

Deno.test("solveLeastSquares and solveNormalEquations reject bad input with what they found", () => {
  const design = Float64Array.from([1, 2, 3, 4]);
  assert.throws(
    () => solveLeastSquares({ design, rows: 2, columns: 2, targets: [1] }),
    { name: "RangeError", message: "solveLeastSquares: expected 2 targets (one per row), found 1" },
  );
  assert.throws(
    () => solveNormalEquations({ design, rows: 3, columns: 2, targets: [1, 2, 3] }),
    /expected a design of 3 × 2 = 6 values, found 4/,
  );
  assert.throws(
    () => solveLeastSquares({ design, rows: 2, columns: 2, targets: [1, 2], weightDecay: -1 }),
    /expected weightDecay >= 0, found -1/,
  );
  // Three weights from two examples: undetermined without weight decay.
  const wide = Float64Array.from([1, 0, 0, 1, 1, 1]);
  assert.throws(
    () => solveLeastSquares({ design: wide, rows: 2, columns: 3, targets: [1, 2] }),
    /rank-deficient: 3 weights cannot all be determined from 2 examples/,
  );
  assert.throws(
    () => solveNormalEquations({ design: wide, rows: 2, columns: 3, targets: [1, 2] }),
    /rank-deficient/,
  );
  // Weight decay on every weight makes it well posed.
  const w = solveLeastSquares({
    design: wide,
    rows: 2,
    columns: 3,
    targets: [1, 2],
    weightDecay: 1,
  });
  assert.equal(w.length, 3);
});

Deno.test("meanSquaredError averages the squared residuals", () => {
  const design = Float64Array.from([1, 0, 1, 1, 1, 2]);
  // Predictions 1, 2, 3 against 1, 2, 6: residuals 0, 0, −3.
  assert.equal(meanSquaredError(design, [1, 1], [1, 2, 6]), 3);
});
