import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { deadUnits } from "../lib/probes/dead_units.ts";
import { BOOK_SOLUTION, xorNetwork } from "./_xor_network.ts";

const probe = deadUnits.schema.parse({ kind: "deadUnits", layer: "hidden" });

Deno.test("deadUnits finds no dead unit in the book's XOR solution", async () => {
  // Hidden units x1 + x2 and x1 + x2 − 1: the first is positive on three points, the second on one.
  const { context, dispose } = await xorNetwork();
  try {
    const before = tf.memory().numTensors;
    assert.deepEqual((await deadUnits.run(probe, context)).final, { deadUnits: 0 });
    assert.equal(tf.memory().numTensors, before);
  } finally {
    dispose();
  }
});

Deno.test("deadUnits counts hidden units that are zero on all four points", async () => {
  // Biases −3 and −1: x1 + x2 − 3 ≤ 0 everywhere (dead); x1 + x2 − 1 > 0 at (1, 1).
  const one = await xorNetwork({ ...BOOK_SOLUTION, hiddenBias: [-3, -1] });
  try {
    assert.deepEqual((await deadUnits.run(probe, one.context)).final, { deadUnits: 1 });
  } finally {
    one.dispose();
  }
  const both = await xorNetwork({ ...BOOK_SOLUTION, hiddenBias: [-3, -2] });
  try {
    assert.deepEqual((await deadUnits.run(probe, both.context)).final, { deadUnits: 2 });
  } finally {
    both.dispose();
  }
});

Deno.test("deadUnits checks that its layer exists", () => {
  const problems = deadUnits.check(
    { kind: "deadUnits", layer: "hiden", examples: 10 },
    { input: [2], target: { kind: "values", shape: [1] } },
    [{ kind: "dense", name: "hidden", units: 2, activation: "relu", bias: true }],
  );
  assert.equal(problems.length, 1);
  assert.match(
    problems[0],
    /deadUnits.layer: expected the name of a layer of the model \(hidden\), found "hiden"/,
  );
});
