import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { buildModel } from "../lib/models/build_model.ts";
import { createRng } from "../lib/random/seed.ts";
import { ALL_BACKENDS, backendTestOptions, useBackend } from "./_backends.ts";

// Each cell is checked against its equations written out in float64, with tfjs's (and Keras's)
// weight layout: kernel [features, gates·units], recurrent kernel [units, gates·units], bias
// [gates·units], gates side by side in the order below; the state starts at zero.

const FEATURES = 2;
const UNITS = 3;
const STEPS = 3;
const BATCH = 2;

const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

/** Small fixed values, rounded to float32 so that the float64 reference sees the same. */
function fixedValues(count: number, seed: number): number[] {
  const rng = createRng(seed);
  return Array.from({ length: count }, () => Math.fround(2 * rng() - 1));
}

/** Columns [from, from + units) of x·W for a row x and W row-major [x.length, columns]. */
function product(x: number[], w: number[], columns: number, from: number): number[] {
  return Array.from(
    { length: UNITS },
    (_, j) => x.reduce((sum, xi, i) => sum + xi * w[i * columns + from + j], 0),
  );
}

const add = (...vectors: number[][]) =>
  vectors[0].map((_, j) => vectors.reduce((s, v) => s + v[j], 0));
const slice = (v: number[], gate: number) => v.slice(gate * UNITS, (gate + 1) * UNITS);

interface Weights {
  kernel: number[];
  recurrent: number[];
  bias: number[];
}

/** One step of a cell: the new state(s) from the input and the previous state(s). */
type Step = (x: number[], state: number[][], w: Weights) => number[][];

/** Elman: h = tanh(x·W + h·U + b). */
const simpleStep: Step = (x, [h], { kernel, recurrent, bias }) => [
  add(product(x, kernel, UNITS, 0), product(h, recurrent, UNITS, 0), bias).map(Math.tanh),
];

/** LSTM, gates i, f, c, o: c = f·c + i·tanh(z_c), h = o·tanh(c). */
const lstmStep: Step = (x, [h, c], { kernel, recurrent, bias }) => {
  const z = (gate: number) =>
    add(
      product(x, kernel, 4 * UNITS, gate * UNITS),
      product(h, recurrent, 4 * UNITS, gate * UNITS),
      slice(bias, gate),
    );
  const i = z(0).map(sigmoid);
  const f = z(1).map(sigmoid);
  const candidate = z(2).map(Math.tanh);
  const o = z(3).map(sigmoid);
  const cell = c.map((cj, j) => f[j] * cj + i[j] * candidate[j]);
  return [cell.map((cj, j) => o[j] * Math.tanh(cj)), cell];
};

/**
 * GRU, gates z (update), r (reset), h (candidate), the reset applied before the recurrent product
 * (Cho et al. 2014; Keras's reset_after=false, the only form tfjs 4.22 has):
 * h' = z·h + (1 − z)·tanh(x·W_h + b_h + (r·h)·U_h).
 */
const gruStep: Step = (x, [h], { kernel, recurrent, bias }) => {
  const input = (gate: number) =>
    add(product(x, kernel, 3 * UNITS, gate * UNITS), slice(bias, gate));
  const hidden = (state: number[], gate: number) =>
    product(state, recurrent, 3 * UNITS, gate * UNITS);
  const z = add(input(0), hidden(h, 0)).map(sigmoid);
  const r = add(input(1), hidden(h, 1)).map(sigmoid);
  const candidate = add(input(2), hidden(h.map((hj, j) => r[j] * hj), 2)).map(Math.tanh);
  return [h.map((hj, j) => z[j] * hj + (1 - z[j]) * candidate[j])];
};

const CELLS = [
  { cell: "simple", gates: 1, states: 1, step: simpleStep },
  { cell: "lstm", gates: 4, states: 2, step: lstmStep },
  { cell: "gru", gates: 3, states: 1, step: gruStep },
] as const;

function close(found: ArrayLike<number>, expected: number[], what: string) {
  assert.equal(found.length, expected.length, `${what}: length`);
  let scale = 0;
  let error = 0;
  for (let i = 0; i < expected.length; i++) {
    scale = Math.max(scale, Math.abs(expected[i]));
    error = Math.max(error, Math.abs(found[i] - expected[i]));
  }
  assert.ok(error / scale < 1e-4, `${what}: relative error ${error / scale}`);
}

for (const backend of ALL_BACKENDS) {
  for (const { cell, gates, states, step } of CELLS) {
    Deno.test(
      `buildModel's ${cell} layer follows its equations step by step on ${backend}`,
      backendTestOptions(backend),
      async () => {
        await useBackend(backend);
        const weights: Weights = {
          kernel: fixedValues(FEATURES * gates * UNITS, 1),
          recurrent: fixedValues(UNITS * gates * UNITS, 2),
          bias: fixedValues(gates * UNITS, 3),
        };
        const inputs = fixedValues(BATCH * STEPS * FEATURES, 4).map((v) => 2 * v);
        const expected: number[] = [];
        for (let b = 0; b < BATCH; b++) {
          let state = Array.from({ length: states }, () => new Array(UNITS).fill(0));
          for (let t = 0; t < STEPS; t++) {
            const at = (b * STEPS + t) * FEATURES;
            state = step(inputs.slice(at, at + FEATURES), state, weights);
            expected.push(...state[0]);
          }
        }
        const x = tf.tensor3d(inputs, [BATCH, STEPS, FEATURES]);
        for (const returnSequences of [true, false]) {
          const model = buildModel(
            [STEPS, FEATURES],
            [{ kind: "rnn", name: "cell", cell, units: UNITS, returnSequences }],
            1,
          );
          const layer = model.getLayer("cell");
          const tensors = [weights.kernel, weights.recurrent, weights.bias].map((values, i) =>
            tf.tensor(values, layer.getWeights()[i].shape)
          );
          layer.setWeights(tensors);
          const y = model.predict(x) as tf.Tensor;
          // Every step's state, or the last one only.
          const wanted = returnSequences
            ? expected
            : expected.filter((_, i) => Math.floor(i / UNITS) % STEPS === STEPS - 1);
          assert.deepEqual(y.shape, returnSequences ? [BATCH, STEPS, UNITS] : [BATCH, UNITS]);
          close(await y.data(), wanted, `returnSequences ${returnSequences}`);
          tf.dispose([y, ...tensors]);
          model.dispose();
        }
        x.dispose();
      },
    );
  }
}
