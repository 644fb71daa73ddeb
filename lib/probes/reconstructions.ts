/**
 * The `reconstructions` probe: an autoencoder's outputs next to its test inputs, as images.
 *
 * @module
 */

import * as tf from "@tensorflow/tfjs";
import { z } from "zod";
import type { ProbeDefinition } from "./_probe_definition.ts";
import { toRows } from "./_model_layers.ts";

const schema = z.strictObject({
  kind: z.literal("reconstructions"),
  /** Test images to show. */
  examples: z.number().int().min(1).max(32).default(8),
});

/** The probe's settings. */
export type ReconstructionsProbe = z.output<typeof schema>;

/** The `reconstructions` probe. */
export const reconstructions: ProbeDefinition<ReconstructionsProbe> = {
  schema,
  when: "after",
  metrics: () => [],
  check(_probe, shape) {
    const size = (dims: readonly number[]) => dims.reduce((a, b) => a * b, 1);
    return shape.input.length === 3 && shape.target.kind === "values" &&
        size(shape.target.shape) === size(shape.input)
      ? []
      : [`probes: reconstructions needs an image input with the image as target (an autoencoder)`];
  },
  async run(probe, { model, data, shape, loss }) {
    const [height, width] = shape.input;
    const pixels = shape.input.reduce((a, b) => a * b, 1);
    const count = Math.min(probe.examples, data.test.count);
    const output = tf.tidy(() => {
      const raw = model.predict(
        tf.tensor(data.test.features.subarray(0, count * pixels), [count, ...shape.input]),
      ) as tf.Tensor;
      return loss === "binaryCrossEntropy" ? tf.sigmoid(raw) : raw;
    });
    const values = await output.data();
    output.dispose();
    const images = [];
    for (let n = 0; n < count; n++) {
      images.push({
        label: `input ${n + 1}`,
        pixels: toRows(data.test.features, height, width, (r, c) => n * pixels + r * width + c),
      });
    }
    for (let n = 0; n < count; n++) {
      images.push({
        label: `output ${n + 1}`,
        pixels: toRows(values, height, width, (r, c) => n * pixels + r * width + c),
      });
    }
    return ({
      final: {},
      artifacts: {
        reconstructions: {
          kind: "imageGrid",
          title: "Reconstructions",
          description:
            `${count} test images (first row) and the model's reconstructions of them (second row).`,
          images,
          columns: count,
          scheme: "greys",
        },
      },
    });
  },
};
