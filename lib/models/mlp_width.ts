/**
 * Widths of multilayer perceptrons at a fixed parameter budget: for width-against-depth studies
 * (Goodfellow, Bengio & Courville 2016, §6.4.1), where each depth gets the width that gives it as
 * many parameters as the others, so that depth is the only difference.
 *
 * @module
 */

/**
 * The parameters of a dense network with biases: `inputs → hidden[0] → … → outputs`.
 *
 * @param inputs Input features (784 for MNIST).
 * @param hidden Units per hidden layer.
 * @param outputs Output units.
 * @returns Σ (fan-in + 1) × units over the hidden layers and the output layer.
 * @throws {RangeError} When a size is not a positive integer.
 *
 * @example
 * ```ts
 * import { mlpParameters } from "./mlp_width.ts";
 * // LeCun et al. 1998's 784-300-10: 785 × 300 + 301 × 10.
 * if (mlpParameters(784, [300], 10) !== 238_510) throw new Error("wrong count");
 * ```
 */
export function mlpParameters(inputs: number, hidden: readonly number[], outputs: number): number {
  const sizes = [inputs, ...hidden, outputs];
  sizes.forEach((size, i) => {
    if (!Number.isInteger(size) || size < 1) {
      const what = i === 0 ? "inputs" : i === sizes.length - 1 ? "outputs" : `hidden[${i - 1}]`;
      throw new RangeError(
        `mlpParameters: expected ${what} to be a positive integer, found ${size}`,
      );
    }
  });
  let total = 0;
  for (let i = 1; i < sizes.length; i++) total += (sizes[i - 1] + 1) * sizes[i];
  return total;
}

/**
 * The width `w` of `depth` equal hidden layers whose network `inputs → w × depth → outputs` has
 * the parameter count nearest `parameters` (the smaller width on a tie). The count
 * `(depth − 1) w² + (inputs + outputs + depth) w + outputs` grows with `w`, so the nearest width
 * is one of the two integers around the quadratic's positive root.
 *
 * @param inputs Input features.
 * @param outputs Output units.
 * @param depth Hidden layers, at least 1.
 * @param parameters The budget.
 * @returns The width, at least 1.
 * @throws {RangeError} When an argument is not a positive integer.
 *
 * @example
 * ```ts
 * import { mlpParameters, mlpWidthForParameters } from "./mlp_width.ts";
 * const width = mlpWidthForParameters(784, 10, 2, 100_000);
 * const count = mlpParameters(784, [width, width], 10);
 * if (width !== 110 || Math.abs(count - 100_000) > 1_000) throw new Error(`${width}: ${count}`);
 * ```
 */
export function mlpWidthForParameters(
  inputs: number,
  outputs: number,
  depth: number,
  parameters: number,
): number {
  for (const [name, value] of Object.entries({ inputs, outputs, depth, parameters })) {
    if (!Number.isInteger(value) || value < 1) {
      throw new RangeError(
        `mlpWidthForParameters: expected ${name} to be a positive integer, found ${value}`,
      );
    }
  }
  const a = depth - 1;
  const b = inputs + outputs + depth;
  const c = outputs - parameters;
  const root = a === 0 ? -c / b : (-b + Math.sqrt(b * b - 4 * a * c)) / (2 * a);
  const count = (width: number) => mlpParameters(inputs, Array(depth).fill(width), outputs);
  const low = Math.max(1, Math.floor(root));
  const high = Math.max(1, Math.ceil(root));
  return Math.abs(count(high) - parameters) < Math.abs(count(low) - parameters) ? high : low;
}
