import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import {
  type CellWeights,
  gradientsThroughTime,
  hiddenStateGradientNorms,
  stepFactor,
  unrollCell,
} from "../lib/analyses/gradients_through_time.ts";
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

interface Case {
  cell: "simple" | "lstm";
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

function makeCase(cell: "simple" | "lstm", forgetGate = true): Case {
  const units = 2;
  const features = 2;
  const gates = cell === "lstm" ? 4 : 1;
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
  observe?: (t: number, state: number[], forget?: number[]) => void,
): number {
  const gates = c.cell === "lstm" ? 4 : 1;
  const columns = gates * c.units;
  let total = 0;
  for (let b = 0; b < c.batch; b++) {
    let h = new Array(c.units).fill(0);
    let state = new Array(c.units).fill(0);
    for (let t = 0; t < c.steps; t++) {
      const x = c.inputs.slice((b * c.steps + t) * c.features, (b * c.steps + t + 1) * c.features);
      const z = Array.from({ length: columns }, (_, col) =>
        c.bias[col] +
        x.reduce((s, xi, i) => s + xi * c.kernel[i * columns + col], 0) +
        h.reduce((s, hi, i) => s + hi * c.recurrent[i * columns + col], 0));
      if (c.cell === "simple") {
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

function tensorsOf(
  c: Case,
): { weights: CellWeights; readout: { kernel: tf.Tensor2D; bias: tf.Tensor1D } } {
  const gates = c.cell === "lstm" ? 4 : 1;
  return {
    weights: {
      cell: c.cell,
      kernel: tf.tensor2d(c.kernel, [c.features, gates * c.units]),
      recurrent: tf.tensor2d(c.recurrent, [c.units, gates * c.units]),
      bias: tf.tensor1d(c.bias),
      forgetGate: c.forgetGate,
    },
    readout: { kernel: tf.tensor2d(c.readout, [c.units, 1]), bias: tf.tensor1d([c.readoutBias]) },
  };
}

function disposeCase(tensors: ReturnType<typeof tensorsOf>): void {
  const { weights, readout } = tensors;
  tf.dispose([weights.kernel, weights.recurrent, weights.bias, readout.kernel, readout.bias]);
}

for (const backend of ALL_BACKENDS) {
  for (const [cell, forgetGate] of [["simple", true], ["lstm", true], ["lstm", false]] as const) {
    const name = cell === "simple"
      ? "a tanh RNN"
      : `an LSTM ${forgetGate ? "with" : "without"} forget gate`;
    Deno.test(
      `hiddenStateGradientNorms matches float64 finite differences for ${name} on ${backend}`,
      backendTestOptions(backend),
      async () => {
        await useBackend(backend);
        const c = makeCase(cell, forgetGate);
        const tensors = tensorsOf(c);
        const inputs = tf.tensor3d(c.inputs, [c.batch, c.steps, c.features]);
        const targets = tf.tensor2d(c.targets, [c.batch, 1]);
        const before = tf.memory().numTensors;
        const norms = await hiddenStateGradientNorms(
          tensors.weights,
          tensors.readout,
          inputs,
          targets,
        );
        assert.equal(tf.memory().numTensors, before, "no tensor leaked");
        const expected = finiteDifferenceNorms(c);
        for (let k = 0; k < c.steps; k++) {
          const error = Math.abs(norms[k] - expected[k]) / expected[k];
          assert.ok(error < 1e-4, `k = ${k}: ${norms[k]} against ${expected[k]}`);
        }
        tf.dispose([inputs, targets]);
        disposeCase(tensors);
      },
    );
  }
}

for (const cell of ["simple", "lstm"] as const) {
  Deno.test(`stepFactor is the geometric mean of the ${cell} cell's per-step factor`, async () => {
    await useBackend("cpu");
    const c = makeCase(cell);
    // Per step, over the batch and the units: the mean forget gate, or the RMS of 1 − h².
    const sums = new Array(c.steps).fill(0);
    referenceLoss(c, () => 0, (t, state, forget) => {
      sums[t] += forget
        ? forget.reduce((a, f) => a + f, 0)
        : state.reduce((a, h) => a + (1 - h * h) ** 2, 0);
    });
    const perStep = sums.map((sum) => sum / (c.batch * c.units));
    const logs = perStep.map((v) => (cell === "lstm" ? Math.log(v) : 0.5 * Math.log(v)));
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
    disposeCase(tensors);
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
      { kernel: tf.tensor2d([[v]]), bias: tf.tensor1d([0]) },
      tf.tensor3d(xs, [1, 3, 1]),
      tf.tensor2d([[y]]),
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
  for (const cell of ["simple", "lstm"] as const) {
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
  const far = gradientsThroughTime.schema.safeParse({
    kind: "gradientsThroughTime",
    cell: "lstm",
    length: 20,
    ratioAt: 50,
  });
  assert.equal(far.success, false);
  assert.match(far.error!.issues[0].message, /expected ratioAt at most length − 2 = 18/);
});
