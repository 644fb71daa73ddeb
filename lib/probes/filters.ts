/**
 * The `filters` probe: a convolution layer's learned kernels as images (one per output channel,
 * for its first input channel).
 *
 * @module
 */

import { z } from "zod";
import { checkLayerName, type ProbeDefinition } from "./_probe_definition.ts";
import { toRows } from "./_model_layers.ts";

const schema = z.strictObject({
  kind: z.literal("filters"),
  /** A convolution layer's name, e.g. `c1`. */
  layer: z.string().min(1),
});

/** The probe's settings. */
export type FiltersProbe = z.output<typeof schema>;

/** The `filters` probe. */
export const filters: ProbeDefinition<FiltersProbe> = {
  schema,
  when: "after",
  metrics: () => [],
  check(probe, _shape, layers) {
    const problems = checkLayerName(layers, probe.layer, "probes: filters.layer");
    const layer = layers.find((l) => l.name === probe.layer);
    if (layer && layer.kind !== "conv") {
      problems.push(
        `probes: filters.layer: expected a conv layer, found ${layer.kind} "${probe.layer}"`,
      );
    }
    return problems;
  },
  async run(probe, { model }) {
    const kernel = model.getLayer(probe.layer).getWeights()[0];
    const [height, width, inputs, outputs] = kernel.shape;
    const values = await kernel.data();
    const images = Array.from({ length: outputs }, (_, f) => ({
      label: `filter ${f + 1}`,
      pixels: toRows(values, height, width, (r, c) => ((r * width + c) * inputs) * outputs + f),
    }));
    return ({
      final: {},
      artifacts: {
        [`filters_${probe.layer}`]: {
          kind: "imageGrid",
          title: `Learned filters of ${probe.layer}`,
          description:
            `The ${outputs} ${height}×${width} kernels of layer ${probe.layer} after training (first input channel), red positive and blue negative.`,
          images,
          scheme: "diverging",
        },
      },
    });
  },
};
