import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import {
  type CellWeights,
  gradientsThroughTime,
  hiddenStateGradientNorms,
  stepFactor,
  unrollCell,
} from "../lib/analyses/gradients_through_time.ts";
import { gradientsThroughTime as gradientsThroughTimeProbe } from "../lib/probes/gradients_through_time.ts";
import { buildModel } from "../lib/models/build_model.ts";
import { createRng } from "../lib/random/seed.ts";
import { createProgress } from "../lib/train/progress.ts";
import { ALL_BACKENDS, backendTestOptions, OPEN_RESOURCES, useBackend } from "./_backends.ts";

const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

/** Small float32 values, so that tfjs and the float64 reference start from the same numbers. */
function fixedValues(count: number, seed: number, scale = 1): number[] {
  const rng = createRng(seed);
  return Array.from({ length: count }, () => Math.fround(scale * (2 * rng() - 1)));
}

type Cell = "simple" | "lstm" | "gru";
const GATES: Record<Cell, number> = { simple: 1, lstm: 4, gru: 3 };

interface Case {
  cell: Cell;
  forgetGate: boolean;
  units: number;
  features: number;
  steps: number;
  batch: number;
  kernel: number[];
  recurrent: number[];
  bias: number[];
  readout: number[];
  readoutBias: number;
  inputs: number[];
  targets: number[];
}

function makeCase(cell: Cell, forgetGate = true): Case {
  const units = 2;
  const features = 2;
  const gates = GATES[cell];
  return {
    cell,
    forgetGate,
    units,
    features,
    steps: 4,
    batch: 2,
    kernel: fixedValues(features * gates * units, 1),
    recurrent: fixedValues(units * gates * units, 2),
    bias: fixedValues(gates * units, 3, 0.5),
    readout: fixedValues(units, 4),
    readoutBias: Math.fround(0.25),
    inputs: fixedValues(2 * 4 * features, 5),
    targets: fixedValues(2, 6),
  };
}

/**
 * The loss in float64, written out from the cell's equations, with `offset(b, t, j)` added to
 * h_t's unit j of sequence b after step t.
 */
function referenceLoss(
  c: Case,
  offset: (b: number, t: number, j: number) => number,
  observe?: (t: number, state: number[], carry?: number[]) => void,
): number {
  const columns = GATES[c.cell] * c.units;
  let total = 0;
  for (let b = 0; b < c.batch; b++) {
    let h = new Array(c.units).fill(0);
    let state = new Array(c.units).fill(0);
    for (let t = 0; t < c.steps; t++) {
      const x = c.inputs.slice((b * c.steps + t) * c.features, (b * c.steps + t + 1) * c.features);
      const fromInput = (col: number) =>
        c.bias[col] + x.reduce((s, xi, i) => s + xi * c.kernel[i * columns + col], 0);
      const fromState = (state: number[], col: number) =>
        state.reduce((s, hi, i) => s + hi * c.recurrent[i * columns + col], 0);
      const z = Array.from({ length: columns }, (_, col) => fromInput(col) + fromState(h, col));
      if (c.cell === "gru") {
        // Update gate u, reset gate r, candidate with the reset applied before U_h.
        const u = h.map((_, j) => sigmoid(z[j]));
        const r = h.map((_, j) => sigmoid(z[c.units + j]));
        const reset = h.map((hj, j) => r[j] * hj);
        const candidate = h.map((_, j) =>
          Math.tanh(fromInput(2 * c.units + j) + fromState(reset, 2 * c.units + j))
        );
        h = h.map((hj, j) => u[j] * hj + (1 - u[j]) * candidate[j]);
        observe?.(t, h, u);
      } else if (c.cell === "simple") {
        h = z.map(Math.tanh);
        observe?.(t, h);
      } else {
        const gate = (g: number, j: number) => z[g * c.units + j];
        const forget = state.map((_, j) => sigmoid(gate(1, j)));
        state = state.map((cj, j) =>
          (c.forgetGate ? forget[j] * cj : cj) + sigmoid(gate(0, j)) * Math.tanh(gate(2, j))
        );
        h = state.map((cj, j) => sigmoid(gate(3, j)) * Math.tanh(cj));
        observe?.(t, h, forget);
      }
      h = h.map((hj, j) => hj + offset(b, t, j));
    }
    const output = c.readoutBias + h.reduce((s, hj, j) => s + hj * c.readout[j], 0);
    total += (output - c.targets[b]) ** 2;
  }
  return total / c.batch;
}

/** ‖∂L/∂h_{T−k}‖ by central differences of the float64 loss. */
function finiteDifferenceNorms(c: Case): number[] {
  const step = 1e-6;
  return Array.from({ length: c.steps }, (_, k) => {
    const t = c.steps - 1 - k;
    let squares = 0;
    for (let b = 0; b < c.batch; b++) {
      for (let j = 0; j < c.units; j++) {
        const at = (delta: number) =>
          referenceLoss(c, (bb, tt, jj) => (bb === b && tt === t && jj === j ? delta : 0));
        squares += ((at(step) - at(-step)) / (2 * step)) ** 2;
      }
    }
    return Math.sqrt(squares);
  });
}

function tensorsOf(c: Case) {
  const gates = GATES[c.cell];
  const weights: CellWeights = {
    cell: c.cell,
    kernel: tf.tensor2d(c.kernel, [c.features, gates * c.units]),
    recurrent: tf.tensor2d(c.recurrent, [c.units, gates * c.units]),
    bias: tf.tensor1d(c.bias),
    forgetGate: c.forgetGate,
  };
  const readout = tf.tensor2d(c.readout, [c.units, 1]);
  const targets = tf.tensor2d(c.targets, [c.batch, 1]);
  // The reference's loss: the mean over the batch of the squared error of the readout.
  const lossOf = (h: tf.Tensor2D) =>
    tf.mean(tf.square(tf.sub(tf.add(tf.matMul(h, readout), c.readoutBias), targets))) as tf.Scalar;
  const dispose = () =>
    tf.dispose([weights.kernel, weights.recurrent, weights.bias, readout, targets]);
  return { weights, lossOf, dispose };
}

const CASES = [["simple", true], ["lstm", true], ["lstm", false], ["gru", true]] as const;

for (const backend of ALL_BACKENDS) {
  for (const [cell, forgetGate] of CASES) {
    const name = cell === "simple"
      ? "a tanh RNN"
      : cell === "gru"
      ? "a GRU"
      : `an LSTM ${forgetGate ? "with" : "without"} forget gate`;
    Deno.test(
      `hiddenStateGradientNorms matches float64 finite differences for ${name} on ${backend}`,
      backendTestOptions(backend),
      async () => {
        await useBackend(backend);
        const c = makeCase(cell, forgetGate);
        const tensors = tensorsOf(c);
        const inputs = tf.tensor3d(c.inputs, [c.batch, c.steps, c.features]);
        const before = tf.memory().numTensors;
        const norms = await hiddenStateGradientNorms(tensors.weights, inputs, tensors.lossOf);
        assert.equal(tf.memory().numTensors, before, "no tensor leaked");
        const expected = finiteDifferenceNorms(c);
        for (let k = 0; k < c.steps; k++) {
          const error = Math.abs(norms[k] - expected[k]) / expected[k];
          assert.ok(error < 1e-4, `k = ${k}: ${norms[k]} against ${expected[k]}`);
        }
        inputs.dispose();
        tensors.dispose();
      },
    );
  }
}

for (const cell of ["simple", "lstm", "gru"] as const) {
  Deno.test(`stepFactor is the geometric mean of the ${cell} cell's per-step factor`, async () => {
    await useBackend("cpu");
    const c = makeCase(cell);
    // Per step, over the batch and the units: the mean forget (or update) gate, or the RMS of
    // 1 − h² for the tanh RNN.
    const sums = new Array(c.steps).fill(0);
    referenceLoss(c, () => 0, (t, state, carry) => {
      sums[t] += carry
        ? carry.reduce((a, f) => a + f, 0)
        : state.reduce((a, h) => a + (1 - h * h) ** 2, 0);
    });
    const perStep = sums.map((sum) => sum / (c.batch * c.units));
    const logs = perStep.map((v) => (cell === "simple" ? 0.5 * Math.log(v) : Math.log(v)));
    const expected = Math.exp(logs.reduce((a, b) => a + b, 0) / c.steps);
    const tensors = tensorsOf(c);
    const inputs = tf.tensor3d(c.inputs, [c.batch, c.steps, c.features]);
    const found = await stepFactor(tensors.weights, inputs);
    assert.ok(Math.abs(found - expected) < 1e-5, `${found} against ${expected}`);
    assert.equal(
      await stepFactor({ ...tensors.weights, cell: "lstm", forgetGate: false }, inputs),
      1,
    );
    inputs.dispose();
    tensors.dispose();
  });
}

Deno.test(
  "hiddenStateGradientNorms follows the chain rule by hand for one tanh unit",
  OPEN_RESOURCES,
  async () => {
    await useBackend("cpu");
    // h_t = tanh(w x_t + u h_{t−1}), L = (v h_3 − y)²; ∂L/∂h_{t−1} = ∂L/∂h_t · (1 − h_t²) · u.
    const [w, u, v, y] = [0.5, 0.9, 1.5, 0.25];
    const xs = [1, -0.5, 0.75];
    const h: number[] = [];
    let previous = 0;
    for (const x of xs) h.push(previous = Math.tanh(w * x + u * previous));
    const d3 = 2 * (v * h[2] - y) * v;
    const d2 = d3 * (1 - h[2] ** 2) * u;
    const d1 = d2 * (1 - h[1] ** 2) * u;
    const norms = await hiddenStateGradientNorms(
      {
        cell: "simple",
        kernel: tf.tensor2d([[w]]),
        recurrent: tf.tensor2d([[u]]),
        bias: tf.tensor1d([0]),
      },
      tf.tensor3d(xs, [1, 3, 1]),
      (last) => tf.sum(tf.square(tf.sub(tf.mul(last, v), y))),
    );
    [d3, d2, d1].forEach((expected, k) =>
      assert.ok(
        Math.abs(norms[k] - Math.abs(expected)) < 1e-6,
        `k = ${k}: ${norms[k]} against ${expected}`,
      )
    );
  },
);

for (const backend of ALL_BACKENDS) {
  for (const cell of ["simple", "lstm", "gru"] as const) {
    Deno.test(
      `unrollCell gives the last state of buildModel's ${cell} layer on ${backend}`,
      backendTestOptions(backend),
      async () => {
        await useBackend(backend);
        const model = buildModel([5, 2], [{ kind: "rnn", name: "recurrent", cell, units: 3 }], 7);
        const inputs = tf.tensor3d(fixedValues(2 * 5 * 2, 8), [2, 5, 2]);
        const [kernel, recurrent, bias] = model.getLayer("recurrent").getWeights();
        const expected = model.predict(inputs) as tf.Tensor;
        const found = unrollCell(
          {
            cell,
            kernel: kernel as tf.Tensor2D,
            recurrent: recurrent as tf.Tensor2D,
            bias: bias as tf.Tensor1D,
          },
          inputs,
        );
        const [a, b] = [await found.data(), await expected.data()];
        for (let i = 0; i < a.length; i++) {
          assert.ok(Math.abs(a[i] - b[i]) < 1e-5, `${a[i]} against ${b[i]}`);
        }
        tf.dispose([inputs, expected, found]);
        model.dispose();
      },
    );
  }
}

Deno.test(
  "gradientsThroughTime: the tanh RNN's gradient decays, the 1997 LSTM's does not",
  OPEN_RESOURCES,
  async () => {
    await useBackend("cpu");
    const run = async (settings: Record<string, unknown>) => {
      const parsed = gradientsThroughTime.schema.parse({
        kind: "gradientsThroughTime",
        units: 16,
        length: 40,
        sequences: 16,
        networks: 2,
        ratioAt: 30,
        ...settings,
      });
      const before = tf.memory().numTensors;
      const output = await gradientsThroughTime.run(parsed, {
        seed: 1,
        backend: "cpu",
        progress: createProgress("quiet"),
      });
      assert.equal(tf.memory().numTensors, before, "no tensor leaked");
      return output;
    };
    const tanh = await run({ cell: "simple" });
    const carousel = await run({ cell: "lstm", forgetGate: false });
    assert.deepEqual(
      Object.keys(tanh.final).sort(),
      gradientsThroughTime.metrics(
        gradientsThroughTime.schema.parse({ kind: "gradientsThroughTime", cell: "simple" }),
      ).sort(),
    );
    // Per step back, the tanh RNN's gradient shrinks by a factor below one; the carousel's does not.
    assert.ok(tanh.final.decayPerStep < 0.95, `tanh decay per step ${tanh.final.decayPerStep}`);
    assert.ok(carousel.final.decayPerStep > 0.97, `carousel decay ${carousel.final.decayPerStep}`);
    assert.ok(carousel.final.normRatio > 10 * tanh.final.normRatio);
    const chart = tanh.artifacts.gradientNorms;
    assert.equal(chart.kind, "lines");
    if (chart.kind === "lines") {
      assert.equal(chart.series[0].points.length, 40);
      for (const point of chart.series[0].points) {
        assert.ok(
          point.low! <= point.y && point.y <= point.high!,
        );
      }
    }
  },
);

Deno.test("gradientsThroughTime's settings refuse gate options on a tanh RNN", () => {
  const result = gradientsThroughTime.schema.safeParse({
    kind: "gradientsThroughTime",
    cell: "simple",
    forgetBias: 1,
  });
  assert.equal(result.success, false);
  assert.match(result.error!.issues[0].message, /expected no forgetBias for cell simple/);
  const gru = gradientsThroughTime.schema.safeParse({
    kind: "gradientsThroughTime",
    cell: "gru",
    forgetGate: false,
  });
  assert.match(gru.error!.issues[0].message, /expected no forgetGate for cell gru/);
  const far = gradientsThroughTime.schema.safeParse({
    kind: "gradientsThroughTime",
    cell: "lstm",
    length: 20,
    ratioAt: 50,
  });
  assert.equal(far.success, false);
  assert.match(far.error!.issues[0].message, /expected ratioAt at most length − 2 = 18/);
});

Deno.test(
  "the gradientsThroughTime probe measures a trained model's layer like the analysis does",
  OPEN_RESOURCES,
  async () => {
    await useBackend("cpu");
    const layers = [
      { kind: "rnn" as const, name: "recurrent", cell: "lstm" as const, units: 3 },
      { kind: "dense" as const, name: "output", units: 1 },
    ];
    const model = buildModel([12, 2], layers, 3);
    const features = tf.tensor3d(fixedValues(8 * 12 * 2, 9), [8, 12, 2]);
    const targets = tf.tensor2d(fixedValues(8, 10), [8, 1]);
    const shape = { input: [12, 2], target: { kind: "values" as const, shape: [1] } };
    const probe = gradientsThroughTimeProbe.schema.parse({
      kind: "gradientsThroughTime",
      layer: "recurrent",
      examples: 6,
      ratioAt: 5,
      fitFrom: 3,
    });
    const parsedLayers = layers.map((layer) => ({ ...layer, returnSequences: false }));
    assert.deepEqual(gradientsThroughTimeProbe.check(probe, shape, parsedLayers as never), []);
    const context = {
      model,
      data: {} as never,
      layers: parsedLayers as never,
      shape,
      loss: "mse" as const,
      seed: 1,
      splits: { test: { features, targets } },
      train: { features, targets },
      charts: true,
    };
    const before = tf.memory().numTensors;
    const { final, artifacts } = await gradientsThroughTimeProbe.run(probe, context);
    assert.equal(tf.memory().numTensors, before, "no tensor leaked");
    // The same measurement written out: the first six sequences, the dense readout, the MSE.
    const [kernel, recurrent, bias] = model.getLayer("recurrent").getWeights();
    const [readout, readoutBias] = model.getLayer("output").getWeights();
    const inputs = features.slice([0, 0, 0], [6, 12, 2]);
    const wanted = targets.slice([0, 0], [6, 1]);
    const weights = {
      cell: "lstm" as const,
      kernel: kernel as tf.Tensor2D,
      recurrent: recurrent as tf.Tensor2D,
      bias: bias as tf.Tensor1D,
    };
    const norms = await hiddenStateGradientNorms(
      weights,
      inputs,
      (h) => tf.mean(tf.square(tf.sub(tf.add(tf.matMul(h, readout), readoutBias), wanted))),
    );
    const chart = artifacts.gradientsThroughTime;
    assert.equal(chart.kind, "lines");
    if (chart.kind === "lines") {
      chart.series[0].points.forEach(({ x, y }) =>
        assert.ok(Math.abs(y - norms[x]) <= 1e-6 * norms[x], `k = ${x}: ${y} against ${norms[x]}`)
      );
    }
    assert.ok(Math.abs(final.throughTimeNormRatio - norms[5] / norms[1]) < 1e-9);
    assert.equal(final.throughTimeStepFactor, await stepFactor(weights, inputs));
    assert.deepEqual(
      gradientsThroughTimeProbe.metrics({ ...probe, ratioAt: 50 }, shape),
      ["throughTimeStepFactor", "throughTimeDecayPerStep"],
    );
    tf.dispose([features, targets, inputs, wanted]);
    model.dispose();
  },
);

Deno.test("the gradientsThroughTime probe needs the rnn layer first, returning its last state", () => {
  const probe = gradientsThroughTimeProbe.schema.parse({
    kind: "gradientsThroughTime",
    layer: "recurrent",
  });
  const shape = { input: [12, 2], target: { kind: "values" as const, shape: [1] } };
  const [problem] = gradientsThroughTimeProbe.check(
    probe,
    shape,
    [{ kind: "dense", name: "first", units: 1 }] as never,
  );
  assert.match(
    problem,
    /expected the model's first layer to be the rnn layer "recurrent" returning its last state, found a dense layer named "first"/,
  );
});
