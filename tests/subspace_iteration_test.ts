import assert from "node:assert/strict";
import {
  type Matrix,
  matrix,
  multiply,
  orthonormalizeRows,
  transpose,
} from "../lib/linalg/matrix.ts";
import { subspaceIteration } from "../lib/linalg/subspace_iteration.ts";
import { gaussianMatrix } from "./_random_matrix.ts";

/** A = Qᵀ diag(values) Q for a random orthogonal Q: a known spectrum and known eigenvectors. */
function knownOperator(values: number[], seed: number) {
  const n = values.length;
  const q = orthonormalizeRows(gaussianMatrix(n, n, seed));
  const scaled = matrix(n, n, q.data.map((value, k) => value * values[Math.floor(k / n)]));
  const a = multiply(transpose(q), scaled);
  return { q, apply: (block: Matrix) => transpose(multiply(a, transpose(block))) };
}

Deno.test("subspaceIteration finds the three largest eigenpairs of a known spectrum", async () => {
  const spectrum = [10, 7, 5, 2, 1, 0.5, 0.25, 0.1, 0.05, 0];
  const { q, apply } = knownOperator(spectrum, 3);
  const { values, vectors } = await subspaceIteration(apply, 10, {
    count: 3,
    blockSize: 5,
    iterations: 60,
    seed: 9,
  });
  for (let j = 0; j < 3; j++) {
    assert.ok(Math.abs(values[j] - spectrum[j]) < 1e-12, `${values[j]}`);
    let cos = 0;
    for (let k = 0; k < 10; k++) cos += vectors.data[j * 10 + k] * q.data[j * 10 + k];
    assert.ok(Math.abs(Math.abs(cos) - 1) < 1e-12, `${cos}`);
  }
});

Deno.test("subspaceIteration is deterministic for a seed", async () => {
  const { apply } = knownOperator([4, 3, 2, 1], 1);
  const run = () => subspaceIteration(apply, 4, { count: 2, blockSize: 3, iterations: 5, seed: 2 });
  assert.deepEqual([...(await run()).values], [...(await run()).values]);
});

Deno.test("subspaceIteration rejects a block smaller than count or larger than the dimension", async () => {
  const { apply } = knownOperator([2, 1], 1);
  await assert.rejects(
    () => subspaceIteration(apply, 2, { count: 2, blockSize: 1, iterations: 1, seed: 1 }),
    {
      name: "RangeError",
      message: "Expected count to be an integer from 1 to blockSize (1) but found 2",
    },
  );
  await assert.rejects(
    () => subspaceIteration(apply, 2, { count: 1, blockSize: 3, iterations: 1, seed: 1 }),
    {
      name: "RangeError",
      message: "Expected blockSize to be an integer of at most dimension (2) but found 3",
    },
  );
});
