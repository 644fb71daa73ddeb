import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { SeededDropout } from "../lib/models/seeded_dropout.ts";
import { buildModel } from "../lib/models/build_model.ts";
import { deriveSeed } from "../lib/random/seed.ts";

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

/** A model with two dropout layers, built as training builds it, from the layer specs. */
function dropoutModel(seed: number): tf.LayersModel {
  return buildModel([64], [
    { kind: "dropout", name: "dropout_input", rate: 0.5 },
    { kind: "dropout", name: "dropout_1", rate: 0.5 },
  ], seed);
}

/** The kept units (1) and dropped ones (0) of each training call of a model built from `seed`. */
async function modelMasks(seed: number, steps: number): Promise<number[][]> {
  await tf.setBackend("cpu");
  const model = dropoutModel(seed);
  const input = tf.ones([2, 64]);
  const out: number[][] = [];
  for (let i = 0; i < steps; i++) {
    const y = model.apply(input, { training: true }) as tf.Tensor;
    out.push([...await y.data()].map((value) => (value === 0 ? 0 : 1)));
    y.dispose();
  }
  input.dispose();
  model.dispose();
  return out;
}

Deno.test("buildModel's dropout layers draw a fresh mask at every step, the same sequence for the same trial seed", async () => {
  const first = await modelMasks(11, 4);
  for (let step = 1; step < first.length; step++) {
    assert.notDeepEqual(
      first[step],
      first[step - 1],
      `step ${step} reuses the mask of step ${step - 1}`,
    );
  }
  // The two examples of a batch get different masks too.
  assert.notDeepEqual(first[0].slice(0, 64), first[0].slice(64));
  assert.deepEqual(
    await modelMasks(11, 4),
    first,
    "a rebuilt model with the same seed repeats them",
  );
  assert.notDeepEqual(await modelMasks(12, 4), first, "another trial seed draws others");
});

Deno.test("SeededDropout's masks derive from the trial seed, the layer's name and the step", async () => {
  await tf.setBackend("cpu");
  const input = tf.ones([1, 64]);
  const mask = (layer: SeededDropout) => {
    const y = layer.apply(input, { training: true }) as tf.Tensor;
    const kept = [...y.dataSync()].map((value) => (value === 0 ? 0 : 1));
    y.dispose();
    return kept;
  };
  // The mask of step t is the one seeded by deriveSeed(seed, "dropout", name, t).
  const layer = new SeededDropout({ rate: 0.5, seed: 5, name: "dropout_1" });
  mask(layer);
  mask(layer);
  const third = mask(layer);
  const expected = tf.tidy(() =>
    tf.cast(
      tf.greaterEqual(
        tf.randomUniform([1, 64], 0, 1, "float32", deriveSeed(5, "dropout", "dropout_1", 2)),
        0.5,
      ),
      "float32",
    )
  );
  assert.deepEqual(third, [...expected.dataSync()]);
  // Another layer name in the same trial draws another sequence.
  assert.notDeepEqual(
    mask(new SeededDropout({ rate: 0.5, seed: 5, name: "dropout_2" })),
    mask(new SeededDropout({ rate: 0.5, seed: 5, name: "dropout_1" })),
  );
  tf.dispose([input, expected]);
});
