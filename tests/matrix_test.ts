import assert from "node:assert/strict";
import {
  frobeniusNorm,
  matrix,
  multiply,
  orthonormalizeRows,
  transpose,
} from "../lib/linalg/matrix.ts";
import { gaussianMatrix, identity, maxDifference } from "./_random_matrix.ts";

Deno.test("matrix rejects a bad shape or data of the wrong length", () => {
  assert.throws(() => matrix(0, 2), {
    name: "RangeError",
    message: "Expected rows to be a positive integer but found 0",
  });
  assert.throws(() => matrix(2, 2, new Float64Array(3)), {
    name: "RangeError",
    message: "Expected 4 entries for a 2×2 matrix but found 3",
  });
});

Deno.test("multiply matches a hand-computed product and rejects mismatched shapes", () => {
  const a = matrix(2, 3, Float64Array.of(1, 2, 3, 4, 5, 6));
  const b = matrix(3, 2, Float64Array.of(7, 8, 9, 10, 11, 12));
  assert.deepEqual([...multiply(a, b).data], [58, 64, 139, 154]);
  assert.throws(() => multiply(a, a), {
    name: "RangeError",
    message: "Expected b to have 3 rows (a's columns) but found 2",
  });
});

Deno.test("transpose swaps rows and columns; (AB)ᵀ = BᵀAᵀ", () => {
  const a = gaussianMatrix(3, 5, 1);
  const b = gaussianMatrix(5, 4, 2);
  assert.ok(maxDifference(transpose(multiply(a, b)), multiply(transpose(b), transpose(a))) < 1e-14);
  assert.equal(transpose(a).data[2 * 3 + 1], a.data[1 * 5 + 2]);
});

Deno.test("frobeniusNorm is the root of the summed squares, also for huge entries", () => {
  assert.equal(frobeniusNorm(Float64Array.of(1, 2, 2)), 3);
  assert.equal(frobeniusNorm(Float64Array.of(3e300, 4e300)), 5e300);
  assert.equal(frobeniusNorm(new Float64Array(4)), 0);
});

Deno.test("orthonormalizeRows gives Q Qᵀ = I spanning the same rows, and zeros a dependent row", () => {
  const a = gaussianMatrix(4, 9, 3);
  const q = orthonormalizeRows(matrix(4, 9, a.data.slice()));
  assert.ok(maxDifference(multiply(q, transpose(q)), identity(4)) < 1e-14);
  // Each original row is reproduced by its projection onto the rows of Q.
  const projected = multiply(multiply(a, transpose(q)), q);
  assert.ok(maxDifference(projected, a) < 1e-12);
  const dependent = matrix(2, 2, Float64Array.of(1, 2, 2, 4));
  assert.deepEqual([...orthonormalizeRows(dependent).data.slice(2)], [0, 0]);
});
