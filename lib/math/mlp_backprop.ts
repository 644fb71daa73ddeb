/**
 * Back-propagation written out by hand, in float64, for a multilayer perceptron with a softmax
 * cross-entropy loss and weight decay: the forward pass and Algorithm 6.4's backward pass of
 * Goodfellow, Bengio & Courville 2016 (§6.5.4), and central finite differences to check them. No
 * automatic differentiation: every derivative below is one line of the chapter's equations.
 *
 * @module
 */

/** An activation function of a hidden layer. */
export type Activation = "linear" | "relu" | "tanh" | "sigmoid";

/** One dense layer: `a = h W + b`, then `h' = f(a)`. */
export interface DenseLayer {
  /** `inputs × units` weights, row-major (row i: the weights out of input i). */
  weights: Float64Array;
  /** `units` biases. */
  biases: Float64Array;
  /** Inputs per example. */
  inputs: number;
  /** Outputs per example. */
  units: number;
  /** f; the last layer's is applied to the logits too (make it `linear`). */
  activation: Activation;
}

/** A batch of examples with class labels. */
export interface LabelledBatch {
  /** `count × inputs` values, example after example. */
  inputs: Float64Array;
  /** `count` class indices. */
  labels: Int32Array;
  /** Number of examples. */
  count: number;
}

/** The gradient of the loss with respect to each layer's weights and biases. */
export interface MlpGradients {
  /** The loss at these weights. */
  loss: number;
  /** ∂J/∂W per layer, shaped like the weights. */
  weights: Float64Array[];
  /** ∂J/∂b per layer. */
  biases: Float64Array[];
}

/**
 * The loss `J = (1/m) Σ −log softmax(a_L)[y] + λ Σ_k ‖W_k‖²`: mean softmax cross-entropy of the
 * last layer's outputs (the logits) plus weight decay on the weights (not the biases).
 *
 * @param layers The network, input side first.
 * @param batch The examples.
 * @param weightDecay λ.
 * @returns J.
 *
 * @example
 * ```ts
 * import { mlpLoss } from "./mlp_backprop.ts";
 * // Zero weights: uniform softmax over 4 classes, so the loss is log 4.
 * const layer = { weights: new Float64Array(8), biases: new Float64Array(4), inputs: 2, units: 4, activation: "linear" as const };
 * const loss = mlpLoss([layer], { inputs: Float64Array.from([1, 2]), labels: Int32Array.from([3]), count: 1 }, 0);
 * if (Math.abs(loss - Math.log(4)) > 1e-15) throw new Error(String(loss));
 * ```
 */
export function mlpLoss(
  layers: readonly DenseLayer[],
  batch: LabelledBatch,
  weightDecay: number,
): number {
  return forward(layers, batch).loss + decayOf(layers, weightDecay);
}

/**
 * The gradient of {@linkcode mlpLoss} by back-propagation (Goodfellow et al. 2016, Algorithm 6.4):
 * after the forward pass, `g ← ∇_{a_L} J = (softmax(a_L) − onehot(y)) / m`; then for each layer k
 * from the output down, `g ← g ⊙ f'(a_k)`, `∇b_k = Σ_examples g`, `∇W_k = h_{k−1}ᵀ g + 2λ W_k`,
 * and `g ← g W_kᵀ` for the layer below.
 *
 * @param layers The network, input side first.
 * @param batch The examples.
 * @param weightDecay λ.
 * @returns The loss and its gradient with respect to every weight and bias.
 *
 * @example
 * ```ts
 * import { mlpGradients } from "./mlp_backprop.ts";
 * // One linear layer, zero weights, 2 classes: ∂J/∂b = softmax − onehot = [0.5, −0.5].
 * const layer = { weights: new Float64Array(2), biases: new Float64Array(2), inputs: 1, units: 2, activation: "linear" as const };
 * const { biases } = mlpGradients([layer], { inputs: Float64Array.from([3]), labels: Int32Array.from([1]), count: 1 }, 0);
 * if ([...biases[0]].join() !== "0.5,-0.5") throw new Error([...biases[0]].join());
 * ```
 */
export function mlpGradients(
  layers: readonly DenseLayer[],
  batch: LabelledBatch,
  weightDecay: number,
): MlpGradients {
  const pass = forward(layers, batch);
  const m = batch.count;
  const last = layers[layers.length - 1];
  // ∇_{output} J for the softmax cross-entropy, averaged over the batch.
  let g = new Float64Array(m * last.units);
  for (let n = 0; n < m; n++) {
    const probabilities = softmax(pass.outputs[layers.length].subarray(
      n * last.units,
      (n + 1) * last.units,
    ));
    for (let j = 0; j < last.units; j++) {
      g[n * last.units + j] = (probabilities[j] - (j === batch.labels[n] ? 1 : 0)) / m;
    }
  }
  const weights: Float64Array[] = [];
  const biases: Float64Array[] = [];
  for (let k = layers.length - 1; k >= 0; k--) {
    const layer = layers[k];
    const preActivation = pass.preActivations[k];
    // g ← g ⊙ f'(a_k): now the gradient with respect to the pre-activation.
    for (let i = 0; i < g.length; i++) g[i] *= derivative(layer.activation, preActivation[i]);
    const below = pass.outputs[k];
    const gradWeights = new Float64Array(layer.inputs * layer.units);
    const gradBiases = new Float64Array(layer.units);
    for (let n = 0; n < m; n++) {
      for (let j = 0; j < layer.units; j++) {
        const gj = g[n * layer.units + j];
        gradBiases[j] += gj;
        for (let i = 0; i < layer.inputs; i++) {
          gradWeights[i * layer.units + j] += below[n * layer.inputs + i] * gj;
        }
      }
    }
    for (let i = 0; i < gradWeights.length; i++) {
      gradWeights[i] += 2 * weightDecay * layer.weights[i];
    }
    weights[k] = gradWeights;
    biases[k] = gradBiases;
    if (k > 0) {
      // g ← g W_kᵀ: the gradient with respect to the layer's input, the output of the one below.
      const next = new Float64Array(m * layer.inputs);
      for (let n = 0; n < m; n++) {
        for (let i = 0; i < layer.inputs; i++) {
          let sum = 0;
          for (let j = 0; j < layer.units; j++) {
            sum += g[n * layer.units + j] * layer.weights[i * layer.units + j];
          }
          next[n * layer.inputs + i] = sum;
        }
      }
      g = next;
    }
  }
  return { loss: pass.loss + decayOf(layers, weightDecay), weights, biases };
}

/**
 * The gradient of {@linkcode mlpLoss} by central finite differences,
 * `∂J/∂θ ≈ (J(θ + h) − J(θ − h)) / 2h`, one parameter at a time: slow, but independent of any
 * derivative formula. Its error is O(h²) plus rounding of order ε J / h.
 *
 * @param layers The network (its arrays are changed and restored).
 * @param batch The examples.
 * @param weightDecay λ.
 * @param step h.
 * @returns The estimated gradient, shaped as {@linkcode mlpGradients}'s.
 *
 * @example
 * ```ts
 * import { finiteDifferenceGradients, mlpGradients } from "./mlp_backprop.ts";
 * const layer = { weights: Float64Array.from([0.3, -0.2]), biases: Float64Array.from([0.1, 0]), inputs: 1, units: 2, activation: "linear" as const };
 * const batch = { inputs: Float64Array.from([2]), labels: Int32Array.from([0]), count: 1 };
 * const exact = mlpGradients([layer], batch, 0.1).weights[0];
 * const estimate = finiteDifferenceGradients([layer], batch, 0.1, 1e-6).weights[0];
 * if (Math.abs(exact[0] - estimate[0]) > 1e-8) throw new Error(`${exact} ${estimate}`);
 * ```
 */
export function finiteDifferenceGradients(
  layers: DenseLayer[],
  batch: LabelledBatch,
  weightDecay: number,
  step: number,
): Omit<MlpGradients, "loss"> {
  const estimate = (values: Float64Array) => {
    const gradient = new Float64Array(values.length);
    for (let i = 0; i < values.length; i++) {
      const saved = values[i];
      values[i] = saved + step;
      const up = mlpLoss(layers, batch, weightDecay);
      values[i] = saved - step;
      const down = mlpLoss(layers, batch, weightDecay);
      values[i] = saved;
      gradient[i] = (up - down) / (2 * step);
    }
    return gradient;
  };
  return {
    weights: layers.map((layer) => estimate(layer.weights)),
    biases: layers.map((layer) => estimate(layer.biases)),
  };
}

/** The forward pass: every layer's pre-activation and output (outputs[0] is the input). */
function forward(layers: readonly DenseLayer[], batch: LabelledBatch) {
  const m = batch.count;
  const outputs: Float64Array[] = [batch.inputs];
  const preActivations: Float64Array[] = [];
  layers.forEach((layer, k) => {
    const input = outputs[k];
    if (input.length !== m * layer.inputs) {
      throw new RangeError(
        `mlp: expected layer ${
          k + 1
        }'s input to have ${m} × ${layer.inputs} values, found ${input.length}`,
      );
    }
    const a = new Float64Array(m * layer.units);
    for (let n = 0; n < m; n++) {
      for (let j = 0; j < layer.units; j++) {
        let sum = layer.biases[j];
        for (let i = 0; i < layer.inputs; i++) {
          sum += input[n * layer.inputs + i] * layer.weights[i * layer.units + j];
        }
        a[n * layer.units + j] = sum;
      }
    }
    preActivations.push(a);
    outputs.push(a.map((value) => activate(layer.activation, value)));
  });
  const logits = outputs[layers.length];
  const classes = layers[layers.length - 1].units;
  let loss = 0;
  for (let n = 0; n < m; n++) {
    const row = logits.subarray(n * classes, (n + 1) * classes);
    const largest = Math.max(...row);
    let total = 0;
    for (const value of row) total += Math.exp(value - largest);
    loss += largest + Math.log(total) - row[batch.labels[n]];
  }
  return { outputs, preActivations, loss: loss / m };
}

function decayOf(layers: readonly DenseLayer[], weightDecay: number): number {
  let sum = 0;
  for (const layer of layers) for (const w of layer.weights) sum += w * w;
  return weightDecay * sum;
}

function softmax(values: Float64Array): Float64Array {
  const largest = Math.max(...values);
  const exps = values.map((value) => Math.exp(value - largest));
  const total = exps.reduce((a, b) => a + b, 0);
  return exps.map((value) => value / total);
}

function activate(activation: Activation, a: number): number {
  switch (activation) {
    case "linear":
      return a;
    case "relu":
      return a > 0 ? a : 0;
    case "tanh":
      return Math.tanh(a);
    case "sigmoid":
      return 1 / (1 + Math.exp(-a));
  }
}

/** f'(a), from the pre-activation; ReLU's at 0 is taken as 0, as tfjs does. */
function derivative(activation: Activation, a: number): number {
  switch (activation) {
    case "linear":
      return 1;
    case "relu":
      return a > 0 ? 1 : 0;
    case "tanh":
      return 1 - Math.tanh(a) ** 2;
    case "sigmoid": {
      const s = 1 / (1 + Math.exp(-a));
      return s * (1 - s);
    }
  }
}
