/**
 * Connections per neuron (Goodfellow et al. 2016, Fig. 1.10), computed from a network's layers
 * where its architecture is known: the weight uses of one forward pass (multiply–adds, biases not
 * counted) divided by the output units of the layers with weights, i.e. the average fan-in. Both
 * come from {@linkcode countModel}, so a convolution's shared weights count once per position,
 * as the connections of a biological neuron would.
 *
 * @module
 */

import { ARCHITECTURES } from "../models/architectures.ts";
import { countModel } from "../models/count_model.ts";
import type { LayerSpecInput } from "../models/layer_spec.ts";
import type { ConnectionsPerNeuronRow, ConnectionsPerNeuronTable } from "./tables.ts";

/** A network's connections and neurons for one example. */
export interface ConnectionCount {
  /** Weight uses per forward pass: multiply–adds, biases not counted. */
  connections: number;
  /** Output units of the layers with weights. */
  neurons: number;
}

/**
 * The average number of connections into a neuron.
 *
 * @param count Connections and neurons, e.g. from {@linkcode countConnections}.
 * @returns `connections / neurons`.
 * @throws {RangeError} When `neurons` is not a positive number.
 *
 * @example
 * ```ts
 * import { connectionsPerNeuron } from "./connections_per_neuron.ts";
 * // Ciresan et al. 2010's 784-2500-2000-1500-1000-500-10 MLP: 11,965,000 weights, 7,510 units.
 * const value = connectionsPerNeuron({ connections: 11_965_000, neurons: 7_510 });
 * if (Math.round(value) !== 1593) throw new Error(String(value));
 * ```
 */
export function connectionsPerNeuron(count: ConnectionCount): number {
  if (!(count.neurons > 0)) {
    throw new RangeError(`neurons: expected a positive number, found ${count.neurons}`);
  }
  return count.connections / count.neurons;
}

/**
 * Counts the connections and neurons of layers applied to an input, with the framework's
 * {@linkcode countModel}.
 *
 * @param input The input shape per example, e.g. `[28, 28, 1]` or `[784]`.
 * @param layers The layers in order.
 * @returns Multiply–adds as connections, and neurons.
 * @throws {ConfigError} When a layer does not fit the shape it gets (from `countModel`).
 *
 * @example
 * ```ts
 * import { countConnections } from "./connections_per_neuron.ts";
 * const count = countConnections([4], [{ kind: "dense", units: 3 }, { kind: "dense", units: 2 }]);
 * // 4·3 + 3·2 = 18 weights into 3 + 2 = 5 units
 * if (count.connections !== 18 || count.neurons !== 5) throw new Error(JSON.stringify(count));
 * ```
 */
export function countConnections(
  input: readonly number[],
  layers: readonly LayerSpecInput[],
): ConnectionCount {
  const { multiplyAdds, neurons } = countModel(input, layers);
  return { connections: multiplyAdds, neurons };
}

/**
 * Counts a fully connected network given by its layer sizes, input first.
 *
 * @param layerSizes E.g. `[784, 2500, 2000, 1500, 1000, 500, 10]`.
 * @returns Its connections and neurons (the input units are not neurons).
 * @throws {RangeError} When there are fewer than two sizes.
 *
 * @example
 * ```ts
 * import { countDenseConnections } from "./connections_per_neuron.ts";
 * const adaline = countDenseConnections([16, 1]);
 * if (adaline.connections !== 16 || adaline.neurons !== 1) throw new Error("wrong count");
 * ```
 */
export function countDenseConnections(layerSizes: readonly number[]): ConnectionCount {
  if (layerSizes.length < 2) {
    throw new RangeError(
      `layerSizes: expected at least two sizes (input and output), found ${layerSizes.length}`,
    );
  }
  const [inputs, ...units] = layerSizes;
  return countConnections([inputs], units.map((size) => ({ kind: "dense", units: size })));
}

/**
 * Counts one of the framework's architectures (`lib/models/architectures.ts`) by name.
 *
 * @param name E.g. `AlexNet` or `GoogLeNet (Inception v1)`.
 * @returns Its connections and neurons for one image.
 * @throws {RangeError} When no architecture has that name.
 *
 * @example
 * ```ts
 * import { countArchitectureConnections } from "./connections_per_neuron.ts";
 * const { neurons } = countArchitectureConnections("GoogLeNet (Inception v1)");
 * // Szegedy et al. 2015, Table 1: the outputs of its 57 convolutions and 1 dense layer.
 * if (neurons !== 3_227_160) throw new Error(String(neurons));
 * ```
 */
export function countArchitectureConnections(name: string): ConnectionCount {
  const architecture = ARCHITECTURES.find((candidate) => candidate.name === name);
  if (architecture === undefined) {
    throw new RangeError(
      `architecture: expected one of ${
        ARCHITECTURES.map((candidate) => candidate.name).join(", ")
      }, found ${JSON.stringify(name)}`,
    );
  }
  return countConnections(architecture.input, architecture.layers);
}

/** One network of Fig. 1.10, ready to plot. */
export interface ConnectionsPerNeuronPoint {
  /** The network's number in the figure. */
  number: number;
  /** The network, as the table names it. */
  name: string;
  /** Year of publication. */
  year: number;
  /** Average connections into a neuron. */
  connectionsPerNeuron: number;
  /** Where the value comes from: counted from an architecture or layer sizes, or the table's. */
  origin: "architecture" | "denseLayers" | "table";
  /** The counts behind a computed value; absent for a value taken from the table. */
  count?: ConnectionCount;
  /** The table marks the row as an estimate. */
  estimate: boolean;
  /** The table marks the row as unverified. */
  unverified: boolean;
  /** The row's source. */
  source: string;
}

/**
 * Resolves one row of `connections_per_neuron.yaml` to its value, counting it where the row
 * names an architecture or gives layer sizes.
 *
 * @param row A validated row.
 * @returns The point to plot.
 *
 * @example
 * ```ts
 * import { connectionsPerNeuronPoint } from "./connections_per_neuron.ts";
 * const point = connectionsPerNeuronPoint({
 *   number: 6,
 *   name: "GPU-accelerated multilayer perceptron",
 *   year: 2010,
 *   denseLayers: [784, 2500, 2000, 1500, 1000, 500, 10],
 *   source: "Ciresan et al. 2010",
 * });
 * if (point.origin !== "denseLayers" || Math.round(point.connectionsPerNeuron) !== 1593) {
 *   throw new Error(JSON.stringify(point));
 * }
 * ```
 */
export function connectionsPerNeuronPoint(row: ConnectionsPerNeuronRow): ConnectionsPerNeuronPoint {
  const marks = {
    estimate: row.estimate ?? false,
    unverified: row.unverified ?? false,
    source: row.source,
  };
  const base = { number: row.number, name: row.name, year: row.year };
  if (row.connectionsPerNeuron !== undefined) {
    return { ...base, connectionsPerNeuron: row.connectionsPerNeuron, origin: "table", ...marks };
  }
  const [origin, count] = row.architecture !== undefined
    ? ["architecture" as const, countArchitectureConnections(row.architecture)]
    : ["denseLayers" as const, countDenseConnections(row.denseLayers ?? [])];
  return { ...base, connectionsPerNeuron: connectionsPerNeuron(count), origin, count, ...marks };
}

/**
 * Resolves every network of `connections_per_neuron.yaml`, in table order.
 *
 * @param table The validated table.
 * @returns One point per row.
 *
 * @example
 * ```ts
 * import { connectionsPerNeuronPoints } from "./connections_per_neuron.ts";
 * import { loadHistoryTable } from "./tables.ts";
 * const table = await loadHistoryTable(
 *   "connections_per_neuron",
 *   new URL("../../data", import.meta.url).pathname,
 * );
 * const points = connectionsPerNeuronPoints(table);
 * if (!points.some((point) => point.origin === "architecture")) throw new Error("none counted");
 * ```
 */
export function connectionsPerNeuronPoints(
  table: ConnectionsPerNeuronTable,
): ConnectionsPerNeuronPoint[] {
  return table.rows.map(connectionsPerNeuronPoint);
}
