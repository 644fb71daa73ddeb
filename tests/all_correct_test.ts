import assert from "node:assert/strict";
import { allCorrect } from "../lib/probes/all_correct.ts";
import { BOOK_SOLUTION, xorNetwork } from "./_xor_network.ts";

const probe = allCorrect.schema.parse({ kind: "allCorrect" });

Deno.test("allCorrect is 1 for the book's exact XOR solution", async () => {
  const { context, dispose } = await xorNetwork();
  try {
    assert.deepEqual((await allCorrect.run(probe, context)).final, { allCorrect: 1 });
  } finally {
    dispose();
  }
});

Deno.test("allCorrect is 0 when a single point of XOR is wrong", async () => {
  // w = [1, −1]: (1, 1) gives h = [2, 1] and the output 1 instead of 0; the rest stay right.
  const { context, dispose } = await xorNetwork({ ...BOOK_SOLUTION, outputWeights: [1, -1] });
  try {
    assert.deepEqual((await allCorrect.run(probe, context)).final, { allCorrect: 0 });
  } finally {
    dispose();
  }
});

Deno.test("allCorrect names a split that is not evaluated, and rejects multi-value targets", async () => {
  const { context, dispose } = await xorNetwork();
  try {
    await assert.rejects(
      () =>
        allCorrect.run(allCorrect.schema.parse({ kind: "allCorrect", split: "train" }), context),
      /the train split is not evaluated \(evaluated: test\); add it to evaluate.splits/,
    );
  } finally {
    dispose();
  }
  const problems = allCorrect.check(
    { kind: "allCorrect", split: "test" },
    { input: [784], target: { kind: "values", shape: [784] } },
    [],
  );
  assert.match(problems[0], /needs class targets or one 0\/1 value per example/);
});
