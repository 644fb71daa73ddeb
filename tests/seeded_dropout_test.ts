import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { SeededDropout } from "../lib/models/seeded_dropout.ts";

async function masks(seed: number, steps: number): Promise<number[][]> {
  await tf.setBackend("cpu");
  const layer = new SeededDropout({ rate: 0.5, seed, name: "drop" });
  const input = tf.ones([1, 64]);
  const out: number[][] = [];
  for (let i = 0; i < steps; i++) {
    const y = layer.apply(input, { training: true }) as tf.Tensor;
    out.push([...await y.data()]);
    y.dispose();
  }
  input.dispose();
  return out;
}

Deno.test("SeededDropout draws a new mask at every step, the same sequence for the same seed", async () => {
  const first = await masks(7, 3);
  assert.notDeepEqual(first[0], first[1], "a new mask each step (tf.layers.dropout repeats one)");
  assert.deepEqual(first, await masks(7, 3), "same seed, same masks");
  assert.notDeepEqual(first, await masks(8, 3), "another seed, other masks");
});

Deno.test("SeededDropout scales kept units by 1/(1-rate) and drops about `rate` of them", async () => {
  await tf.setBackend("cpu");
  const layer = new SeededDropout({ rate: 0.25, seed: 3, name: "drop" });
  const input = tf.ones([1, 20_000]);
  const y = layer.apply(input, { training: true }) as tf.Tensor;
  const values = await y.data();
  const kept = values.filter((v) => v !== 0);
  assert.ok(kept.every((v) => Math.abs(v - 1 / 0.75) < 1e-6));
  assert.ok(Math.abs(1 - kept.length / values.length - 0.25) < 0.02);
  const inference = layer.apply(input, { training: false }) as tf.Tensor;
  assert.deepEqual([...await inference.data()], [...await input.data()]);
  tf.dispose([input, y, inference]);
});

Deno.test("SeededDropout rejects a rate outside [0, 1)", () => {
  assert.throws(() => new SeededDropout({ rate: 1, seed: 1, name: "d" }), {
    name: "RangeError",
    message: "Expected dropout rate in [0, 1) but found 1",
  });
});
