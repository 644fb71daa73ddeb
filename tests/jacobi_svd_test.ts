import assert from "node:assert/strict";
import { type Matrix, matrix, multiply, transpose } from "../lib/linalg/matrix.ts";
import { jacobiSvd } from "../lib/linalg/jacobi_svd.ts";
import { symmetricEigen } from "../lib/linalg/symmetric_eigen.ts";
import { gaussianMatrix, identity, maxDifference } from "./_random_matrix.ts";

/** U Σ Vᵀ from the decomposition's rows. */
function reconstruct(svd: ReturnType<typeof jacobiSvd>): Matrix {
  const r = svd.values.length;
  const m = svd.left.columns;
  const scaled = matrix(
    r,
    m,
    svd.left.data.map((value, k) => value * svd.values[Math.floor(k / m)]),
  );
  return multiply(transpose(scaled), svd.right);
}

Deno.test("jacobiSvd finds √45 and √5 for [[3, 0], [4, 5]]", () => {
  const { values } = jacobiSvd(matrix(2, 2, Float64Array.of(3, 0, 4, 5)));
  assert.ok(Math.abs(values[0] - Math.sqrt(45)) < 1e-14);
  assert.ok(Math.abs(values[1] - Math.sqrt(5)) < 1e-14);
});

for (const [rows, columns] of [[6, 15], [15, 6], [40, 40]]) {
  Deno.test(`jacobiSvd reconstructs a ${rows}×${columns} matrix with orthonormal singular vectors`, () => {
    const a = gaussianMatrix(rows, columns, rows * 100 + columns);
    const svd = jacobiSvd(a);
    const r = Math.min(rows, columns);
    assert.equal(svd.values.length, r);
    assert.ok(maxDifference(reconstruct(svd), a) < 1e-12);
    assert.ok(maxDifference(multiply(svd.left, transpose(svd.left)), identity(r)) < 1e-12);
    assert.ok(maxDifference(multiply(svd.right, transpose(svd.right)), identity(r)) < 1e-12);
    for (let i = 1; i < r; i++) assert.ok(svd.values[i - 1] >= svd.values[i]);
  });
}

Deno.test("jacobiSvd's σ² are the eigenvalues of AᵀA from the independent QL solver", () => {
  const a = gaussianMatrix(20, 8, 5);
  const svd = jacobiSvd(a);
  const eigen = symmetricEigen(multiply(transpose(a), a));
  for (let i = 0; i < 8; i++) {
    assert.ok(Math.abs(svd.values[i] ** 2 - eigen.values[i]) < 1e-12 * eigen.values[0]);
  }
});

Deno.test("jacobiSvd gives zero singular values for a rank-deficient matrix", () => {
  // Two equal rows: rank 1, σ = (√2 · ‖row‖, 0).
  const { values } = jacobiSvd(matrix(2, 3, Float64Array.of(1, 2, 2, 1, 2, 2)));
  assert.ok(Math.abs(values[0] - 3 * Math.SQRT2) < 1e-14);
  assert.ok(values[1] < 1e-14);
});

Deno.test("jacobiSvd rejects non-finite entries", () => {
  assert.throws(() => jacobiSvd(matrix(1, 2, Float64Array.of(1, Infinity))), {
    name: "RangeError",
    message: "Expected a matrix of finite entries but found NaN or infinity",
  });
});
