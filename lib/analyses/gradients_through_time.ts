/**
 * The `gradientsThroughTime` analysis (chapter 10): how much of the loss's gradient reaches the
 * hidden state k steps back. A recurrent cell is unrolled with explicit tfjs ops over sequences
 * of the adding problem, the loss is read out at the last step, and the norm of ∂L/∂h_{T−k} is
 * measured for every k in one backward pass.
 *
 * In a tanh RNN the gradient is multiplied at every step back by the Jacobian diag(1 − h²)·Uᵀ,
 * so it shrinks exponentially once the state leaves tanh's linear part (Bengio, Simard &
 * Frasconi 1994; Pascanu, Mikolov & Bengio 2013). The LSTM's cell state adds instead of
 * multiplying: without a forget gate (Hochreiter & Schmidhuber 1997) ∂c_t/∂c_{t−1} = 1, the
 * "constant error carousel"; with one (Gers, Schmidhuber & Cummins 2000) it is the forget gate's
 * value f, about σ(b_f): ½ for a zero bias, which is why Jozefowicz, Zaremba & Sutskever 2015
 * start b_f at 1 and why training must learn to open the gate.
 *
 * Weights come from the framework's own recurrent layer (`buildModel`'s seeded Glorot input
 * kernel, orthogonal recurrent kernel, zero bias), so the cell measured is the one `rnn` layers
 * train; the unrolled forward pass is checked against that layer in the tests.
 *
 * @module
 */

import * as tf from "@tensorflow/tfjs";
import { z } from "zod";
import type { Analysis, AnalysisOutput } from "./analysis.ts";
import { addingProblemUnit } from "../data/synthetic.ts";
import { buildModel } from "../models/build_model.ts";
import { deriveSeed } from "../random/seed.ts";
import { leastSquaresSlope } from "../experiment/expectations.ts";

const schema = z.strictObject({
  kind: z.literal("gradientsThroughTime"),
  /** `simple`: the tanh (Elman) RNN; `lstm`: the long short-term memory; `gru`. */
  cell: z.enum(["simple", "lstm", "gru"]),
  /** Units of the recurrent layer. */
  units: z.number().int().min(1).default(32),
  /** Steps per sequence (T). */
  length: z.number().int().min(3).default(100),
  /** Adding-problem sequences the loss averages over. */
  sequences: z.number().int().min(1).default(64),
  /** Independent initialisations; the chart's band spans them, the metrics use their mean. */
  networks: z.number().int().min(1).default(5),
  /** LSTM only: added to the forget gate's bias (0: the layer's zero initialisation). */
  forgetBias: z.number().optional(),
  /** LSTM only: `false` for Hochreiter & Schmidhuber's 1997 cell, c_t = c_{t−1} + i ⊙ g. */
  forgetGate: z.boolean().optional(),
  /** The ratio metric compares k = ratioAt with k = 1. */
  ratioAt: z.number().int().min(2).default(50),
  /** The decay per step is fitted over k = fitFrom … T − 1. */
  fitFrom: z.number().int().min(1).default(10),
}).superRefine((settings, context) => {
  if (settings.cell !== "lstm") {
    for (const key of ["forgetBias", "forgetGate"] as const) {
      if (settings[key] !== undefined) {
        context.addIssue({
          code: "custom",
          path: [key],
          message:
            `expected no ${key} for cell ${settings.cell} (only an LSTM has a forget gate), found ${
              settings[key]
            }; remove it or set cell to lstm`,
        });
      }
    }
  }
  for (const key of ["ratioAt", "fitFrom"] as const) {
    if (settings[key] > settings.length - 2) {
      context.addIssue({
        code: "custom",
        path: [key],
        message: `expected ${key} at most length − 2 = ${
          settings.length - 2
        } (k counts steps back from the last state), found ${settings[key]}`,
      });
    }
  }
});

/** The `gradientsThroughTime` analysis's settings. */
export type GradientsThroughTimeSettings = z.output<typeof schema>;

/** A recurrent cell's weights in tfjs's (and Keras's) layout. */
export interface CellWeights {
  /** `simple` (tanh RNN), `lstm` or `gru`. */
  cell: "simple" | "lstm" | "gru";
  /**
   * Input kernel `[features, gates · units]`, gates side by side: LSTM i, f, c, o; GRU z (update),
   * r (reset), h (candidate).
   */
  kernel: tf.Tensor2D;
  /** Recurrent kernel `[units, gates · units]`. */
  recurrent: tf.Tensor2D;
  /** Bias `[gates · units]`. */
  bias: tf.Tensor1D;
  /** LSTM only: `false` drops the forget gate (c_t = c_{t−1} + i ⊙ g). Default true. */
  forgetGate?: boolean;
}

/**
 * Runs a cell over `[batch, steps, features]` inputs from a zero state, adding `offsets[t]` to
 * the state h_t after step t (zeros leave the result unchanged; their gradients are ∂/∂h_t).
 *
 * @param weights The cell.
 * @param inputs `[batch, steps, features]`.
 * @param offsets One `[batch, units]` tensor per step, or none.
 * @returns The last state h_T, `[batch, units]`.
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import { unrollCell } from "./gradients_through_time.ts";
 * await tf.setBackend("cpu");
 * // One unit, weights 1 and 0.5: h1 = tanh(1), h2 = tanh(1 + 0.5 tanh(1)).
 * const h = unrollCell({
 *   cell: "simple",
 *   kernel: tf.tensor2d([[1]]), recurrent: tf.tensor2d([[0.5]]), bias: tf.tensor1d([0]),
 * }, tf.ones([1, 2, 1]));
 * if (Math.abs((await h.data())[0] - Math.tanh(1 + 0.5 * Math.tanh(1))) > 1e-6) throw new Error();
 * ```
 */
export function unrollCell(
  weights: CellWeights,
  inputs: tf.Tensor,
  offsets?: readonly tf.Tensor[],
): tf.Tensor2D {
  return tf.tidy(() => runCell(weights, inputs, offsets));
}

/** What a step exposes to {@linkcode runCell}'s observer. */
interface StepValues {
  /** The new state h_t. */
  state: tf.Tensor;
  /** The gate that carries the state over: the LSTM's forget gate f_t, the GRU's update gate z_t. */
  carry?: tf.Tensor;
}

/** The cell's equations, step by step; `observe` sees every step's values (inside a tidy). */
function runCell(
  weights: CellWeights,
  inputs: tf.Tensor,
  offsets?: readonly tf.Tensor[],
  observe?: (values: StepValues) => void,
): tf.Tensor2D {
  const [batch, steps] = inputs.shape;
  const units = weights.recurrent.shape[0];
  const xs = tf.unstack(inputs, 1);
  let h: tf.Tensor = tf.zeros([batch, units]);
  let c: tf.Tensor = tf.zeros([batch, units]);
  for (let t = 0; t < steps; t++) {
    const z = () =>
      tf.add(
        tf.add(tf.matMul(xs[t], weights.kernel), tf.matMul(h, weights.recurrent)),
        weights.bias,
      );
    let carry: tf.Tensor | undefined;
    if (weights.cell === "simple") {
      h = tf.tanh(z());
    } else if (weights.cell === "lstm") {
      const [i, f, g, o] = tf.split(z(), 4, 1);
      const written = tf.mul(tf.sigmoid(i), tf.tanh(g));
      if (weights.forgetGate === false) {
        c = tf.add(c, written);
      } else {
        carry = tf.sigmoid(f);
        c = tf.add(tf.mul(carry, c), written);
      }
      h = tf.mul(tf.sigmoid(o), tf.tanh(c));
    } else {
      // GRU with the reset applied before the recurrent product (Cho et al. 2014; tfjs's form):
      // h' = z ⊙ h + (1 − z) ⊙ tanh(x·W_h + b_h + (r ⊙ h)·U_h).
      const [inputZ, inputR, inputH] = tf.split(
        tf.add(tf.matMul(xs[t], weights.kernel), weights.bias),
        3,
        1,
      );
      const [recurrentZ, recurrentR, recurrentH] = tf.split(weights.recurrent, 3, 1);
      carry = tf.sigmoid(tf.add(inputZ, tf.matMul(h, recurrentZ)));
      const reset = tf.sigmoid(tf.add(inputR, tf.matMul(h, recurrentR)));
      const candidate = tf.tanh(tf.add(inputH, tf.matMul(tf.mul(reset, h), recurrentH)));
      h = tf.add(tf.mul(carry, h), tf.mul(tf.sub(1, carry), candidate));
    }
    observe?.({ state: h, carry });
    if (offsets) h = tf.add(h, offsets[t]);
  }
  return h as tf.Tensor2D;
}

/**
 * The factor by which the gradient shrinks per step back, as the cell's equations predict it:
 * for a tanh RNN with an orthogonal recurrent kernel, ∂h_t/∂h_{t−1} = diag(1 − h_t²)·Uᵀ scales a
 * vector by about the root mean square of 1 − h_t² (Pascanu et al. 2013, §2.1); for an LSTM, the
 * cell state's path multiplies it by the forget gate f_t (Gers et al. 2000), and by exactly 1
 * without one (Hochreiter & Schmidhuber 1997); for a GRU, the direct path h_{t−1} → h_t by the
 * update gate z_t. The mean gate (or RMS) per step, then the geometric mean over the steps.
 *
 * @param weights The cell.
 * @param inputs `[batch, steps, features]`.
 * @returns The factor (1 for an LSTM without forget gate).
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import { stepFactor } from "./gradients_through_time.ts";
 * await tf.setBackend("cpu");
 * // Zero weights: h stays 0, so tanh' = 1 at every step.
 * const factor = await stepFactor({
 *   cell: "simple",
 *   kernel: tf.zeros([1, 1]), recurrent: tf.zeros([1, 1]), bias: tf.zeros([1]),
 * } as never, tf.ones([2, 3, 1]));
 * if (factor !== 1) throw new Error(String(factor));
 * ```
 */
export async function stepFactor(weights: CellWeights, inputs: tf.Tensor): Promise<number> {
  if (weights.cell === "lstm" && weights.forgetGate === false) return 1;
  const logs = tf.tidy(() => {
    const perStep: tf.Tensor[] = [];
    runCell(weights, inputs, undefined, ({ state, carry }) => {
      perStep.push(
        carry
          ? tf.log(tf.mean(carry))
          : tf.mul(0.5, tf.log(tf.mean(tf.square(tf.sub(1, tf.square(state)))))),
      );
    });
    return tf.stack(perStep);
  });
  const values = await logs.data();
  logs.dispose();
  return Math.exp(Array.from(values).reduce((sum, value) => sum + value, 0) / values.length);
}

/**
 * The norm of the gradient of a loss of the last state with respect to each hidden state: entry k
 * is ‖∂L/∂h_{T−k}‖ (Frobenius norm over the batch), for k = 0 … T − 1.
 *
 * @param weights The cell.
 * @param inputs `[batch, steps, features]`.
 * @param lossOf The loss as a function of the last state h_T (`[batch, units]`), e.g. a readout
 * and the squared error against the targets.
 * @returns The norms, indexed by k (steps back from the last state); read back asynchronously, as
 * WebGPU requires.
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import { hiddenStateGradientNorms } from "./gradients_through_time.ts";
 * await tf.setBackend("cpu");
 * // A tanh RNN of one unit and L = h_2²: ∂L/∂h_2 = 2 h_2, ∂L/∂h_1 = 2 h_2 · (1 − h_2²) · u.
 * const u = 0.5;
 * const norms = await hiddenStateGradientNorms(
 *   { cell: "simple", kernel: tf.tensor2d([[1]]), recurrent: tf.tensor2d([[u]]), bias: tf.tensor1d([0]) },
 *   tf.ones([1, 2, 1]),
 *   (h) => tf.sum(tf.square(h)),
 * );
 * const h2 = Math.tanh(1 + u * Math.tanh(1));
 * if (Math.abs(norms[0] - 2 * h2) > 1e-6) throw new Error(String(norms[0]));
 * if (Math.abs(norms[1] - 2 * h2 * (1 - h2 ** 2) * u) > 1e-6) throw new Error(String(norms[1]));
 * ```
 */
export async function hiddenStateGradientNorms(
  weights: CellWeights,
  inputs: tf.Tensor,
  lossOf: (lastState: tf.Tensor2D) => tf.Scalar,
): Promise<Float64Array> {
  const [batch, steps] = inputs.shape;
  const units = weights.recurrent.shape[0];
  const parts = tf.tidy(() => {
    const offsets = Array.from({ length: steps }, () => tf.zeros([batch, units]));
    const loss = (...perturbed: tf.Tensor[]) => lossOf(unrollCell(weights, inputs, perturbed));
    const gradients = tf.grads(loss)(offsets);
    // ‖g‖ = m · ‖g / m‖ with m = max |g|: squaring a gradient of 1e-20 would underflow float32.
    const largest = gradients.map((g) => tf.max(tf.abs(g)));
    const scaled = gradients.map((g, t) => tf.sqrt(tf.sum(tf.square(tf.divNoNan(g, largest[t])))));
    return tf.stack([tf.stack(largest), tf.stack(scaled)]);
  });
  const values = await parts.data();
  parts.dispose();
  // Entry t is h_{t+1}'s; k steps back from h_T is entry T − 1 − k.
  return Float64Array.from(
    { length: steps },
    (_, k) => values[steps - 1 - k] * values[2 * steps - 1 - k],
  );
}

/** What {@linkcode summarizeNorms} finds in the norms of several networks. */
export interface NormSummary {
  /** Per k: the geometric mean over the networks and their range (k where every norm is > 0). */
  points: { x: number; y: number; low: number; high: number }[];
  /** The (geometric-mean) norm at k = ratioAt over the one at k = 1. */
  normRatio: number;
  /** 10 to the least-squares slope of log10 norm against k over k ≥ fitFrom: the factor per step. */
  decayPerStep: number;
  /** The (geometric-mean) norm at k = 0. */
  lastStateNorm: number;
}

/**
 * Sums up gradient norms through time over several networks (or batches): geometric means per k,
 * since the norms span orders of magnitude.
 *
 * @param all One array of norms per network, indexed by k.
 * @param ratioAt The ratio compares k = ratioAt with k = 1.
 * @param fitFrom The decay per step is fitted from k = fitFrom on.
 * @returns The chart's points and the metrics.
 *
 * @example
 * ```ts
 * import { summarizeNorms } from "./gradients_through_time.ts";
 * const norms = Float64Array.from({ length: 20 }, (_, k) => 0.5 ** k);
 * const summary = summarizeNorms([norms], 10, 2);
 * if (Math.abs(summary.decayPerStep - 0.5) > 1e-12) throw new Error(String(summary.decayPerStep));
 * if (Math.abs(summary.normRatio - 0.5 ** 9) > 1e-15) throw new Error(String(summary.normRatio));
 * ```
 */
export function summarizeNorms(
  all: readonly Float64Array[],
  ratioAt: number,
  fitFrom: number,
): NormSummary {
  const steps = all[0].length;
  const logMean = (k: number) =>
    all.reduce((sum, norms) => sum + Math.log10(norms[k]), 0) / all.length;
  // A gradient below float32's smallest number is 0 (log −∞): the chart and the fit skip it.
  const ks = Array.from({ length: steps }, (_, k) => k).filter((k) => Number.isFinite(logMean(k)));
  const fitted = ks.filter((k) => k >= fitFrom);
  const slope = fitted.length >= 2 ? leastSquaresSlope(fitted, fitted.map(logMean)) : Number.NaN;
  return {
    points: ks.map((k) => ({
      x: k,
      y: 10 ** logMean(k),
      low: Math.min(...all.map((norms) => norms[k])),
      high: Math.max(...all.map((norms) => norms[k])),
    })),
    normRatio: 10 ** (logMean(ratioAt) - logMean(1)),
    decayPerStep: 10 ** slope,
    lastStateNorm: 10 ** logMean(0),
  };
}

/** One initialisation's norms and its predicted factor per step. */
async function measureNetwork(
  settings: GradientsThroughTimeSettings,
  seed: number,
): Promise<{ norms: Float64Array; factor: number }> {
  const { cell, units, length, sequences } = settings;
  const model = buildModel([length, 2], [
    { kind: "rnn", name: "recurrent", cell, units },
    { kind: "dense", name: "output", units: 1 },
  ], deriveSeed(seed, "network"));
  const data = addingProblemUnit(sequences, length, deriveSeed(seed, "data"));
  const inputs = tf.tensor3d(data.features, [sequences, length, 2]);
  const targets = tf.tensor2d(data.targets, [sequences, 1]);
  const [kernel, recurrent, layerBias] = model.getLayer("recurrent").getWeights();
  const [readoutKernel, readoutBias] = model.getLayer("output").getWeights();
  // The forget gate's bias is the second quarter of the LSTM's bias (gates i, f, c, o).
  const bias = cell === "lstm" && settings.forgetBias
    ? tf.tidy(() =>
      tf.add(
        layerBias,
        tf.concat([
          tf.zeros([units]),
          tf.fill([units], settings.forgetBias!),
          tf.zeros([2 * units]),
        ]),
      )
    )
    : layerBias;
  const weights: CellWeights = {
    cell,
    kernel: kernel as tf.Tensor2D,
    recurrent: recurrent as tf.Tensor2D,
    bias: bias as tf.Tensor1D,
    forgetGate: settings.forgetGate,
  };
  try {
    // The squared error of the linear readout of h_T, as the adding problem trains it.
    const norms = await hiddenStateGradientNorms(
      weights,
      inputs,
      (h) => tf.mean(tf.square(tf.sub(tf.add(tf.matMul(h, readoutKernel), readoutBias), targets))),
    );
    return { norms, factor: await stepFactor(weights, inputs) };
  } finally {
    if (bias !== layerBias) bias.dispose();
    tf.dispose([inputs, targets]);
    model.dispose();
  }
}

/** The `gradientsThroughTime` analysis. */
export const gradientsThroughTime: Analysis<GradientsThroughTimeSettings> = {
  schema,
  description: "the norm of the loss's gradient with respect to the hidden state k steps back",
  module: import.meta.url,
  metrics: () => ["normRatio", "decayPerStep", "lastStateNorm", "stepFactor"],
  requiredKernels: (settings) => [
    "BatchMatMul",
    "Add",
    "Tanh",
    "Unpack",
    "Pack",
    "Sum",
    "Square",
    "Max",
    "Abs",
    "Sqrt",
    "RealDiv",
    "Log",
    "Mean",
    ...(settings.cell === "simple" ? [] : ["Sigmoid", "Multiply", "SplitV", "Sub"]),
  ],
  async run(settings, { seed }): Promise<AnalysisOutput> {
    const all: Float64Array[] = [];
    const factors: number[] = [];
    for (let network = 0; network < settings.networks; network++) {
      const measured = await measureNetwork(
        settings,
        deriveSeed(seed, "gradientsThroughTime", network),
      );
      all.push(measured.norms);
      factors.push(measured.factor);
    }
    const steps = settings.length;
    const summary = summarizeNorms(all, settings.ratioAt, settings.fitFrom);
    const label = settings.cell === "simple"
      ? "tanh RNN"
      : settings.cell === "gru"
      ? "GRU"
      : settings.forgetGate === false
      ? "LSTM without forget gate"
      : `LSTM, forget bias ${settings.forgetBias ?? 0}`;
    return {
      final: {
        normRatio: summary.normRatio,
        decayPerStep: summary.decayPerStep,
        lastStateNorm: summary.lastStateNorm,
        // Geometric mean over the initialisations, like the norms.
        stepFactor: Math.exp(factors.reduce((sum, f) => sum + Math.log(f), 0) / factors.length),
      },
      artifacts: {
        gradientNorms: {
          kind: "lines",
          title: "Gradient norm k steps back",
          description:
            `‖∂L/∂h_(T−k)‖ against k for T = ${steps}: the loss at the last step of adding-problem ` +
            `sequences (${settings.sequences} per batch), ${settings.units} units; geometric mean ` +
            `over ${settings.networks} initialisations, the band spanning them (log scale).`,
          xTitle: "k (steps back from the last state)",
          yTitle: "‖∂L/∂h_(T−k)‖",
          logY: true,
          series: [{ name: label, points: summary.points }],
        },
      },
    };
  },
};
