import assert from "node:assert/strict";
import { matrix, multiply, transpose } from "../lib/linalg/matrix.ts";
import { symmetricEigen } from "../lib/linalg/symmetric_eigen.ts";
import { jacobiSvd } from "../lib/linalg/jacobi_svd.ts";
import { gaussianMatrix, gramMatrix, identity, maxDifference } from "./_random_matrix.ts";

Deno.test("symmetricEigen solves [[2, 1], [1, 2]]: 3 and 1 along the diagonals", () => {
  const { values, vectors } = symmetricEigen(matrix(2, 2, Float64Array.of(2, 1, 1, 2)));
  assert.ok(Math.abs(values[0] - 3) < 1e-15 && Math.abs(values[1] - 1) < 1e-15);
  const [a, b, c, d] = vectors.data;
  assert.ok(Math.abs(Math.abs(a) - Math.SQRT1_2) < 1e-15 && Math.abs(a - b) < 1e-15);
  assert.ok(Math.abs(c + d) < 1e-15);
});

Deno.test("symmetricEigen returns a diagonal matrix's entries sorted, with unit vectors", () => {
  const { values, vectors } = symmetricEigen(
    matrix(3, 3, Float64Array.of(1, 0, 0, 0, 5, 0, 0, 0, -2)),
  );
  assert.deepEqual([...values], [5, 1, -2]);
  assert.deepEqual([...vectors.data].map(Math.abs), [0, 1, 0, 1, 0, 0, 0, 0, 1]);
});

for (const n of [1, 2, 3, 10, 60]) {
  Deno.test(`symmetricEigen reconstructs a random ${n}×${n} symmetric matrix with orthonormal vectors`, () => {
    const x = gaussianMatrix(n, n, n);
    const a = matrix(
      n,
      n,
      x.data.map((value, k) => value + x.data[(k % n) * n + Math.floor(k / n)]),
    );
    const { values, vectors } = symmetricEigen(a);
    // A = Vᵀ diag(λ) V with the eigenvectors as the rows of V.
    const scaled = matrix(n, n, vectors.data.map((value, k) => value * values[Math.floor(k / n)]));
    assert.ok(maxDifference(multiply(transpose(vectors), scaled), a) < 1e-12 * n);
    assert.ok(maxDifference(multiply(vectors, transpose(vectors)), identity(n)) < 1e-13 * n);
    for (let i = 1; i < n; i++) assert.ok(values[i - 1] >= values[i]);
  });
}

Deno.test("symmetricEigen agrees with one-sided Jacobi on a positive semi-definite matrix", () => {
  // For A = XXᵀ the eigenvalues are the singular values of A itself; rank 12 leaves 18 zeros.
  const a = gramMatrix(30, 12, 7);
  const eigen = symmetricEigen(a);
  const svd = jacobiSvd(a);
  for (let i = 0; i < 30; i++) {
    assert.ok(Math.abs(eigen.values[i] - svd.values[i]) < 1e-12 * svd.values[0]);
  }
});

Deno.test("symmetricEigen rejects non-square, non-symmetric and non-finite matrices", () => {
  assert.throws(() => symmetricEigen(matrix(2, 3)), {
    name: "RangeError",
    message: "Expected a square matrix but found 2×3",
  });
  assert.throws(() => symmetricEigen(matrix(2, 2, Float64Array.of(1, 2, 3, 4))), {
    name: "RangeError",
    message: "Expected a symmetric matrix but found a[1][0] = 3 and a[0][1] = 2",
  });
  assert.throws(() => symmetricEigen(matrix(1, 1, Float64Array.of(NaN))), {
    name: "RangeError",
    message: "Expected a matrix of finite entries but found NaN or infinity",
  });
});
