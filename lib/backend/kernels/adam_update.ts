/**
 * One kernel per variable for Adam's update, instead of tfjs's fourteen (two multiplies, an add,
 * a square, ... for each variable, each a kernel call with its own tensors and, for every number,
 * a new scalar tensor). On the CPU backends the dispatch costs more than the arithmetic for small
 * models: LeNet-5 has 10 variables, so 140 kernel calls a step.
 *
 * The kernel repeats tfjs 4.22's `AdamOptimizer.applyGradients` operation by operation, each
 * result rounded to float32 as tfjs's kernels round it, so parameters, moments and therefore
 * metrics are the same bytes as with tfjs's optimizer (tested on wasm and cpu). It is a
 * JavaScript loop, without SIMD: 12 ns an element (two divisions and a square root in double
 * precision), against 6.6 for tfjs's fourteen wasm kernels plus about 0.2 ms to call them. So
 * variables of up to {@linkcode FUSED_MAX_ELEMENTS} take the kernel, larger ones (an MLP's 784x800
 * weights) tfjs's kernels; the results are the same either way. Backends without the kernel
 * (webgpu) run tfjs's update for every variable.
 *
 * @module
 */

import * as tf from "@tensorflow/tfjs";
import {
  type KernelBackend,
  type KernelConfig,
  type KernelFunc,
  registerKernel,
  type TensorInfo,
} from "@tensorflow/tfjs-core";

/** The kernel's name: the framework's own, not one of tfjs's. */
export const ADAM_UPDATE = "DnnAdamUpdate";

/** Variables of up to this many elements take the one-kernel update. */
export const FUSED_MAX_ELEMENTS = 1 << 15;

/** The numbers of one update, as tfjs's optimizer turns them into float32 scalars. */
export interface AdamConstants {
  /** β₁. */
  beta1: number;
  /** β₂. */
  beta2: number;
  /** ε. */
  epsilon: number;
  /** The learning rate. */
  learningRate: number;
  /** 1 − β₁ᵗ, as the float32 scalar tfjs computes it. */
  oneMinusAccBeta1: number;
  /** 1 − β₂ᵗ, likewise. */
  oneMinusAccBeta2: number;
}

const f = Math.fround;

/**
 * Adam's update of one variable, element by element, rounding as tfjs's kernels round:
 * m ← β₁m + (1−β₁)g; v ← β₂v + (1−β₂)g²; w ← w − η (m/(1−β₁ᵗ)) / (√(v/(1−β₂ᵗ)) + ε).
 *
 * @param value The variable's values.
 * @param m The first moments.
 * @param v The second moments.
 * @param gradient The gradient.
 * @param out Receive the new values, first and second moments (may not alias the inputs).
 * @param constants The update's numbers.
 *
 * @example
 * ```ts
 * import { adamUpdateValues } from "./adam_update.ts";
 * const out = { value: new Float32Array(1), m: new Float32Array(1), v: new Float32Array(1) };
 * adamUpdateValues(Float32Array.of(1), Float32Array.of(0), Float32Array.of(0), Float32Array.of(2), out, {
 *   beta1: 0.9, beta2: 0.999, epsilon: 1e-7, learningRate: 0.1,
 *   oneMinusAccBeta1: Math.fround(0.1), oneMinusAccBeta2: Math.fround(1 - Math.fround(0.999)),
 * });
 * // The first step moves by about the learning rate, against the gradient's sign.
 * if (Math.abs(out.value[0] - 0.9) > 1e-5) throw new Error(String(out.value[0]));
 * ```
 */
export function adamUpdateValues(
  value: Float32Array,
  m: Float32Array,
  v: Float32Array,
  gradient: Float32Array,
  out: { value: Float32Array; m: Float32Array; v: Float32Array },
  constants: AdamConstants,
): void {
  // tfjs makes a float32 scalar of each number: beta1, 1 - beta1 (computed in double), ...
  const beta1 = f(constants.beta1);
  const keep1 = f(1 - constants.beta1);
  const beta2 = f(constants.beta2);
  const keep2 = f(1 - constants.beta2);
  const epsilon = f(constants.epsilon);
  const step = f(-constants.learningRate);
  const correction1 = f(constants.oneMinusAccBeta1);
  const correction2 = f(constants.oneMinusAccBeta2);
  const { value: newValue, m: newM, v: newV } = out;
  for (let i = 0; i < value.length; i++) {
    const g = gradient[i];
    const mi = f(f(m[i] * beta1) + f(g * keep1));
    const vi = f(f(v[i] * beta2) + f(f(g * g) * keep2));
    newM[i] = mi;
    newV[i] = vi;
    const corrected1 = f(mi / correction1);
    const corrected2 = f(vi / correction2);
    const ratio = f(corrected1 / f(f(Math.sqrt(corrected2)) + epsilon));
    newValue[i] = f(f(ratio * step) + value[i]);
  }
}

/** The kernel's attributes. */
type AdamAttrs = Omit<AdamConstants, "oneMinusAccBeta1" | "oneMinusAccBeta2">;

/** How a backend lets a kernel make outputs and see its tensors' values. */
interface Storage {
  make(backend: KernelBackend, shape: number[]): TensorInfo;
  read(backend: KernelBackend, info: TensorInfo): Float32Array;
}

type WasmHeap = {
  makeOutput(shape: number[], dtype: "float32"): TensorInfo;
  typedArrayFromHeap(info: TensorInfo): Float32Array;
};
type CpuData = {
  makeTensorInfo(shape: number[], dtype: "float32", values: Float32Array): TensorInfo;
  data: { get(id: object): { values: Float32Array } };
};

const STORAGE: Record<string, Storage> = {
  wasm: {
    make: (backend, shape) => (backend as unknown as WasmHeap).makeOutput(shape, "float32"),
    read: (backend, info) => (backend as unknown as WasmHeap).typedArrayFromHeap(info),
  },
  cpu: {
    make: (backend, shape) =>
      (backend as unknown as CpuData).makeTensorInfo(
        shape,
        "float32",
        new Float32Array(shape.reduce((a, b) => a * b, 1)),
      ),
    read: (backend, info) => (backend as unknown as CpuData).data.get(info.dataId).values,
  },
};

function adamKernel(backendName: string, storage: Storage): KernelConfig {
  const kernelFunc = (args: {
    inputs: Record<"value" | "m" | "v" | "gradient" | "corrections", TensorInfo>;
    backend: KernelBackend;
    attrs: AdamAttrs;
  }): TensorInfo[] => {
    const { inputs, backend, attrs } = args;
    for (const [name, info] of Object.entries(inputs)) {
      if (info.dtype !== "float32") {
        throw new Error(`${ADAM_UPDATE}: expected ${name} to be float32, found ${info.dtype}`);
      }
    }
    // Every output first: making one may grow the wasm memory, which detaches views made before.
    const outputs = [0, 1, 2].map(() => storage.make(backend, [...inputs.value.shape]));
    const read = (info: TensorInfo) => storage.read(backend, info);
    const [oneMinusAccBeta1, oneMinusAccBeta2] = read(inputs.corrections);
    const [value, m, v] = outputs.map(read);
    adamUpdateValues(
      read(inputs.value),
      read(inputs.m),
      read(inputs.v),
      read(inputs.gradient),
      { value, m, v },
      { ...attrs, oneMinusAccBeta1, oneMinusAccBeta2 },
    );
    return outputs;
  };
  return { kernelName: ADAM_UPDATE, backendName, kernelFunc: kernelFunc as unknown as KernelFunc };
}

let registered = false;

/**
 * Registers the kernel for wasm and cpu (once).
 *
 * @example
 * ```ts
 * import { getKernel } from "@tensorflow/tfjs-core";
 * import { ADAM_UPDATE, registerAdamUpdate } from "./adam_update.ts";
 * registerAdamUpdate();
 * if (!getKernel(ADAM_UPDATE, "wasm") || getKernel(ADAM_UPDATE, "webgpu")) throw new Error();
 * ```
 */
export function registerAdamUpdate(): void {
  if (registered) return;
  registered = true;
  for (const [backendName, storage] of Object.entries(STORAGE)) {
    registerKernel(adamKernel(backendName, storage));
  }
}

type Moment = { originalName: string; variable: tf.Variable };
/** The fields of tfjs's AdamOptimizer this class uses, typed (tfjs declares them protected). */
type AdamFields = {
  learningRate: number;
  beta1: number;
  beta2: number;
  epsilon: number;
  accBeta1: tf.Variable;
  accBeta2: tf.Variable;
  accumulatedFirstMoment: Moment[];
  accumulatedSecondMoment: Moment[];
  incrementIterations(): void;
};

/**
 * tfjs's Adam with one kernel call per variable of up to {@linkcode FUSED_MAX_ELEMENTS} where the
 * backend has {@linkcode ADAM_UPDATE} (wasm, cpu), and tfjs's own update for the rest. Same state
 * fields, same results, bit for bit.
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import { FusedAdamOptimizer } from "./adam_update.ts";
 * await tf.setBackend("cpu");
 * const w = tf.variable(tf.tensor1d([1, -2]));
 * const optimizer = new FusedAdamOptimizer(0.1, 0.9, 0.999);
 * tf.tidy(() => optimizer.applyGradients({ [w.name]: tf.tensor1d([2, -3]) }));
 * // The first step moves each weight by about the learning rate, against its gradient's sign.
 * if (w.dataSync().map((x) => Math.round(x * 10)).join() !== "9,-19") throw new Error();
 * optimizer.dispose();
 * w.dispose();
 * ```
 */
export class FusedAdamOptimizer extends tf.AdamOptimizer {
  /**
   * @param learningRate η.
   * @param beta1 β₁.
   * @param beta2 β₂.
   * @param epsilon ε; default the backend's.
   */
  constructor(learningRate: number, beta1: number, beta2: number, epsilon?: number) {
    super(learningRate, beta1, beta2, epsilon);
    registerAdamUpdate();
  }

  /**
   * One update, as tfjs's `AdamOptimizer.applyGradients`.
   *
   * @param variableGradients Variable name -> gradient, or a list of named gradients.
   */
  override applyGradients(
    variableGradients: tf.NamedTensorMap | { name: string; tensor: tf.Tensor }[],
  ): void {
    const fused = tf.getKernel(ADAM_UPDATE, tf.getBackend()) !== undefined;
    const self = this as unknown as AdamFields;
    const names = Array.isArray(variableGradients)
      ? variableGradients.map((entry) => entry.name)
      : Object.keys(variableGradients);
    const { beta1, beta2, epsilon, learningRate } = self;
    tf.tidy(() => {
      // The same scalars as tfjs's update: 1 - β₁ᵗ and 1 - β₂ᵗ in float32.
      const oneMinusAccBeta1 = tf.sub(1, self.accBeta1);
      const oneMinusAccBeta2 = tf.sub(1, self.accBeta2);
      let corrections: tf.Tensor | undefined;
      names.forEach((name, i) => {
        const value = tf.engine().registeredVariables[name];
        if (self.accumulatedFirstMoment[i] == null) {
          self.accumulatedFirstMoment[i] = {
            originalName: `${name}/m`,
            variable: tf.tidy(() => tf.zerosLike(value).variable(false)),
          };
        }
        if (self.accumulatedSecondMoment[i] == null) {
          self.accumulatedSecondMoment[i] = {
            originalName: `${name}/v`,
            variable: tf.tidy(() => tf.zerosLike(value).variable(false)),
          };
        }
        const gradient = Array.isArray(variableGradients)
          ? variableGradients[i].tensor
          : variableGradients[name];
        if (gradient == null) return;
        const m = self.accumulatedFirstMoment[i].variable;
        const v = self.accumulatedSecondMoment[i].variable;
        if (fused && value.size <= FUSED_MAX_ELEMENTS) {
          corrections ??= tf.stack([oneMinusAccBeta1, oneMinusAccBeta2]);
          const [newValue, newM, newV] = tf.engine().runKernel(
            ADAM_UPDATE,
            { value, m, v, gradient, corrections },
            { beta1, beta2, epsilon, learningRate },
          ) as tf.Tensor[];
          m.assign(newM);
          v.assign(newV);
          value.assign(newValue);
          return;
        }
        // tfjs's own update, op for op.
        const newM = tf.add(tf.mul(m, beta1), tf.mul(gradient, 1 - beta1));
        const newV = tf.add(tf.mul(v, beta2), tf.mul(tf.square(gradient), 1 - beta2));
        const corrected1 = tf.div(newM, oneMinusAccBeta1);
        const corrected2 = tf.div(newV, oneMinusAccBeta2);
        m.assign(newM);
        v.assign(newV);
        value.assign(tf.add(
          tf.mul(tf.div(corrected1, tf.add(tf.sqrt(corrected2), epsilon)), -learningRate),
          value,
        ));
      });
      self.accBeta1.assign(tf.mul(self.accBeta1, beta1));
      self.accBeta2.assign(tf.mul(self.accBeta2, beta2));
    });
    self.incrementIterations();
  }
}
