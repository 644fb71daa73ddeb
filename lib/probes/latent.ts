/**
 * The `latent` probe: a 2-unit layer's activations for test examples, as a scatter coloured by
 * class (an autoencoder's code, a bottleneck).
 *
 * @module
 */

import * as tf from "@tensorflow/tfjs";
import { z } from "zod";
import { checkLayerName, type ProbeDefinition } from "./_probe_definition.ts";
import { layerActivations } from "./_model_layers.ts";

const schema = z.strictObject({
  kind: z.literal("latent"),
  /** A layer with 2 outputs per example. */
  layer: z.string().min(1),
  /** Test examples drawn. */
  examples: z.number().int().min(10).max(10_000).default(2000),
});

/** The probe's settings. */
export type LatentProbe = z.output<typeof schema>;

/** The `latent` probe. */
export const latent: ProbeDefinition<LatentProbe> = {
  schema,
  when: "after",
  metrics: () => [],
  check(probe, _shape, layers) {
    return checkLayerName(layers, probe.layer, "probes: latent.layer");
  },
  async run(probe, { model, data, shape }) {
    const width = shape.input.reduce((a, b) => a * b, 1);
    const count = Math.min(probe.examples, data.test.count);
    const labels = data.test.labels ??
      (shape.target.kind === "classes" ? data.test.targets : undefined);
    const codes = tf.tidy(() =>
      layerActivations(
        model,
        probe.layer,
        tf.tensor(data.test.features.subarray(0, count * width), [count, ...shape.input]),
      )
    );
    if (codes.shape.length !== 2 || codes.shape[1] !== 2) {
      const found = codes.shape.slice(1).join(", ");
      codes.dispose();
      throw new Error(
        `latent probe: layer ${probe.layer} outputs [${found}] per example, expected [2]`,
      );
    }
    const values = await codes.data();
    codes.dispose();
    const round = (value: number) => Number(value.toPrecision(4));
    return ({
      final: {},
      artifacts: {
        [`latent_${probe.layer}`]: {
          kind: "scatter",
          title: `The 2-D code of ${probe.layer}`,
          description:
            `${count} test examples placed by the two activations of layer ${probe.layer}, coloured by class.`,
          xTitle: `${probe.layer} unit 1`,
          yTitle: `${probe.layer} unit 2`,
          points: Array.from({ length: count }, (_, n) => ({
            x: round(values[2 * n]),
            y: round(values[2 * n + 1]),
            ...(labels ? { group: String(labels[n]) } : {}),
          })),
          ...(labels
            ? {
              groupOrder: [...new Set(Array.from(labels.subarray(0, count)))].sort((a, b) => a - b)
                .map(String),
            }
            : {}),
        },
      },
    });
  },
};
