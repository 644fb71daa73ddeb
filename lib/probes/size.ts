/**
 * The `size` probe: the model's multiply–adds per example and its neurons, counted from its
 * layer specs (parameters are always reported); optionally the same per named layer, and a table
 * of every layer's counts, which shows where a network keeps its weights and where it spends its
 * arithmetic (a convolution reuses each weight at every position of its output).
 *
 * @module
 */

import { z } from "zod";
import { countModel } from "../models/count_model.ts";
import type { Artifact } from "../report/artifacts.ts";
import { checkLayerName, type ProbeDefinition } from "./_probe_definition.ts";

const schema = z.strictObject({
  kind: z.literal("size"),
  /** Layers (top-level names) whose own counts become metrics: `c1Parameters`, `c1MultiplyAdds`. */
  layers: z.array(z.string().min(1)).default([]),
  /** Add a table of every layer's output shape, parameters and multiply–adds. */
  table: z.boolean().default(false),
});

/** The probe's settings. */
export type SizeProbe = z.output<typeof schema>;

/** The `size` probe. */
export const size: ProbeDefinition<SizeProbe> = {
  schema,
  when: "before",
  metrics: (probe) => [
    "multiplyAdds",
    "neurons",
    ...probe.layers.flatMap((layer) => [`${layer}Parameters`, `${layer}MultiplyAdds`]),
  ],
  check: (probe, _shape, layers) =>
    probe.layers.flatMap((layer) => checkLayerName(layers, layer, "probes: size.layers")),
  run(probe, { layers, shape }) {
    const count = countModel(shape.input, [...layers]);
    const final: Record<string, number> = {
      multiplyAdds: count.multiplyAdds,
      neurons: count.neurons,
    };
    for (const name of probe.layers) {
      const layer = count.layers.find((entry) => entry.name === name)!;
      final[`${name}Parameters`] = layer.parameters;
      final[`${name}MultiplyAdds`] = layer.multiplyAdds;
    }
    const number = (value: number) => value.toLocaleString("en-US");
    const artifacts: Record<string, Artifact> = {};
    if (probe.table) {
      artifacts.sizeTable = {
        kind: "table",
        title: "Parameters and multiply–adds per layer",
        description:
          `Counted from the layer specs, per example: ${number(count.parameters)} parameters, ${
            number(count.multiplyAdds)
          } multiply–adds in all. ` +
          "Multiply–adds per parameter is how often each weight is used for one input.",
        columns: ["layer", "kind", "output", "parameters", "multiply–adds", "per parameter"],
        rows: count.layers.map((layer) => [
          layer.name,
          layer.kind,
          layer.output.join("×"),
          number(layer.parameters),
          number(layer.multiplyAdds),
          layer.parameters > 0 ? (layer.multiplyAdds / layer.parameters).toFixed(1) : "",
        ]),
      };
    }
    return Promise.resolve({ final, artifacts });
  },
};
