/**
 * The `featureMaps` probe: what a convolution layer computes for a few test images, each map as
 * an image next to its input.
 *
 * @module
 */

import * as tf from "@tensorflow/tfjs";
import { z } from "zod";
import { checkLayerName, type ProbeDefinition } from "./_probe_definition.ts";
import { layerActivations, toRows } from "./_model_layers.ts";

const schema = z.strictObject({
  kind: z.literal("featureMaps"),
  /** A layer whose output is an image stack, e.g. `c1`. */
  layer: z.string().min(1),
  /** Test images to show. */
  examples: z.number().int().min(1).max(8).default(2),
  /** Maps per image, at most. */
  maps: z.number().int().min(1).max(32).default(8),
});

/** The probe's settings. */
export type FeatureMapsProbe = z.output<typeof schema>;

/** The `featureMaps` probe. */
export const featureMaps: ProbeDefinition<FeatureMapsProbe> = {
  schema,
  when: "after",
  metrics: () => [],
  check(probe, shape, layers) {
    const problems = checkLayerName(layers, probe.layer, "probes: featureMaps.layer");
    if (shape.input.length !== 3) {
      problems.push(`probes: featureMaps needs image inputs, found [${shape.input}]`);
    }
    return problems;
  },
  async run(probe, { model, data, shape }) {
    const [height, width, channels] = shape.input;
    const count = Math.min(probe.examples, data.test.count);
    const inputs = tf.tensor(data.test.features.subarray(0, count * height * width * channels), [
      count,
      ...shape.input,
    ]);
    const maps = layerActivations(model, probe.layer, inputs);
    const [, mapHeight, mapWidth, mapCount] = maps.shape;
    const values = await maps.data();
    const input = await inputs.data();
    tf.dispose([inputs, maps]);
    const shown = Math.min(probe.maps, mapCount);
    const images = [];
    for (let n = 0; n < count; n++) {
      images.push({
        label: `input ${n + 1}`,
        pixels: toRows(input, height, width, (r, c) => ((n * height + r) * width + c) * channels),
      });
      for (let k = 0; k < shown; k++) {
        images.push({
          label: `map ${k + 1}`,
          pixels: toRows(
            values,
            mapHeight,
            mapWidth,
            (r, c) => ((n * mapHeight + r) * mapWidth + c) * mapCount + k,
          ),
        });
      }
    }
    return ({
      final: {},
      artifacts: {
        [`featureMaps_${probe.layer}`]: {
          kind: "imageGrid",
          title: `Feature maps of ${probe.layer}`,
          description:
            `${count} test images, each followed by the first ${shown} of the ${mapCount} ${mapHeight}×${mapWidth} maps layer ${probe.layer} computes for it.`,
          images,
          columns: shown + 1,
          scheme: "greys",
        },
      },
    });
  },
};
