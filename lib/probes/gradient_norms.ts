/**
 * The `gradientNorms` probe: at initialisation, the norm of the loss's gradient with respect to
 * each layer's kernel, from the input side to the output side. In deep sigmoid stacks the norms
 * shrink towards the input (vanishing gradients); with ReLU they stay of one order.
 *
 * @module
 */

import * as tf from "@tensorflow/tfjs";
import { z } from "zod";
import { batchLoss } from "../train/losses.ts";
import { sliceRows } from "../train/evaluate.ts";
import type { ProbeDefinition } from "./_probe_definition.ts";

const schema = z.strictObject({
  kind: z.literal("gradientNorms"),
  /** Training examples the gradient is averaged over. */
  examples: z.number().int().min(1).default(500),
});

/** The probe's settings. */
export type GradientNormsProbe = z.output<typeof schema>;

/** The `gradientNorms` probe. */
export const gradientNorms: ProbeDefinition<GradientNormsProbe> = {
  schema,
  when: "before",
  metrics: () => ["gradientNormFirst", "gradientNormLast", "gradientNormRatio"],
  check: () => [],
  async run(probe, { model, train, loss, shape }) {
    const kernels = model.trainableWeights.filter((weight) =>
      weight.originalName.endsWith("/kernel")
    )
      .map((weight) => weight.read() as tf.Variable);
    const count = Math.min(probe.examples, train.features.shape[0]);
    const norms = tf.tidy(() => {
      const x = sliceRows(train.features, 0, count);
      const y = sliceRows(train.targets, 0, count);
      const { grads } = tf.variableGrads(
        () => batchLoss(loss, model.apply(x, { training: true }) as tf.Tensor, y, shape.target),
        kernels,
      );
      return tf.stack(kernels.map((kernel) => tf.norm(grads[kernel.name])));
    });
    const values = Array.from(await norms.data());
    norms.dispose();
    const first = values[0];
    const last = values[values.length - 1];
    return ({
      final: { gradientNormFirst: first, gradientNormLast: last, gradientNormRatio: first / last },
      artifacts: {
        gradientNorms: {
          kind: "lines",
          title: "Gradient norm per layer at initialisation",
          description:
            `The norm of the loss's gradient with respect to each of the ${values.length} layers' weights before training, from the input (layer 1) to the output; the first layer's is ${
              (first / last).toPrecision(3)
            } times the last's.`,
          xTitle: "layer (from the input)",
          yTitle: "gradient norm",
          logY: true,
          series: [{
            name: "gradient norm",
            points: values.map((y, i) => ({ x: i + 1, y })),
          }],
        },
      },
    });
  },
};
