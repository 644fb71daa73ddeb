/**
 * Lets a composite kernel call other kernels of its backend directly, the way tfjs's own
 * composite kernels do, and frees every intermediate it made. Going through the backend rather
 * than through `tf` ops keeps the intermediates off the engine's books and out of `tf.profile`.
 *
 * @module
 */

import {
  getKernel,
  type KernelBackend,
  type NamedAttrMap,
  type TensorInfo,
} from "@tensorflow/tfjs-core";

/** The inputs of a kernel: named tensors, or a list for kernels such as Concat. */
export type KernelInputs = Record<string, TensorInfo> | TensorInfo[];

/** Calls kernels of one backend and remembers each output so that it can be freed. */
export class KernelCalls {
  readonly #backend: KernelBackend;
  readonly #backendName: string;
  readonly #outputs: TensorInfo[] = [];

  /**
   * @param backend The backend the composite kernel was called with.
   * @param backendName Its registered name, used to look kernels up.
   */
  constructor(backend: KernelBackend, backendName: string) {
    this.#backend = backend;
    this.#backendName = backendName;
  }

  /**
   * Runs one registered kernel.
   *
   * @param kernelName The kernel, e.g. "Conv2D".
   * @param inputs Its inputs.
   * @param attrs Its attributes.
   * @returns Its single output, freed by {@linkcode KernelCalls.disposeAllExcept}.
   * @throws {Error} When the backend has no such kernel.
   */
  run(kernelName: string, inputs: KernelInputs, attrs: NamedAttrMap = {}): TensorInfo {
    const kernel = getKernel(kernelName, this.#backendName);
    if (!kernel) {
      throw new Error(
        `Expected kernel ${kernelName} to be registered for backend ${this.#backendName}, found none`,
      );
    }
    const output = kernel.kernelFunc({
      inputs: inputs as unknown as Record<string, TensorInfo>,
      attrs,
      backend: this.#backend,
    });
    if (Array.isArray(output)) {
      for (const info of output) this.#outputs.push(info);
      throw new Error(`Expected kernel ${kernelName} to return one tensor, found ${output.length}`);
    }
    this.#outputs.push(output);
    return output;
  }

  /**
   * Gives `x` a new shape without copying it.
   *
   * @param x The tensor.
   * @param shape The new shape, with as many elements.
   * @returns The reshaped tensor, sharing `x`'s data.
   */
  reshape(x: TensorInfo, shape: number[]): TensorInfo {
    return this.run("Reshape", { x }, { shape });
  }

  /**
   * Permutes the axes of `x`; a reshape, with no copy, when only axes of size 1 move.
   *
   * @param x The tensor.
   * @param perm Output axis i is input axis perm[i].
   * @returns The transposed tensor.
   */
  transpose(x: TensorInfo, perm: number[]): TensorInfo {
    const shape = perm.map((axis) => x.shape[axis]);
    const movedAxes = perm.filter((axis) => x.shape[axis] !== 1);
    const keepsOrder = movedAxes.every((axis, i) => i === 0 || movedAxes[i - 1] < axis);
    return keepsOrder ? this.reshape(x, shape) : this.run("Transpose", { x }, { perm });
  }

  /**
   * Frees every output made through this object except `keep`. Outputs that share data (a
   * reshape and its source) are reference-counted by the backend, so `keep` stays valid.
   *
   * @param keep The output the composite kernel returns, if any.
   */
  disposeAllExcept(keep?: TensorInfo): void {
    for (const info of this.#outputs.splice(0)) {
      if (info !== keep) this.#backend.disposeData(info.dataId);
    }
  }
}

/**
 * Runs `body` with a {@linkcode KernelCalls} and frees every intermediate it made, also when it
 * throws; only the returned tensor is kept.
 *
 * @param backend The backend the composite kernel was called with.
 * @param backendName Its registered name.
 * @param body Builds the result from kernel calls.
 * @returns What `body` returned.
 */
export function composeKernels(
  backend: KernelBackend,
  backendName: string,
  body: (calls: KernelCalls) => TensorInfo,
): TensorInfo {
  const calls = new KernelCalls(backend, backendName);
  let result: TensorInfo | undefined;
  try {
    result = body(calls);
    return result;
  } finally {
    calls.disposeAllExcept(result);
  }
}
