/**
 * The `gradientsThroughTime` probe: after training, the norm of the loss's gradient with respect
 * to the recurrent layer's hidden state k steps before the last, on held-out sequences — the
 * `gradientsThroughTime` analysis (lib/analyses/gradients_through_time.ts) applied to a trained
 * model instead of a fresh one. A trained LSTM or GRU that has learned a long dependency keeps
 * its forget (update) gates near 1, so the gradient reaches far back; a tanh RNN's still decays.
 *
 * The model must start with the recurrent layer, returning its last state; the layers after it
 * are applied to that state as the model applies them, and the loss is the trial's.
 *
 * @module
 */

import * as tf from "@tensorflow/tfjs";
import { z } from "zod";
import {
  type CellWeights,
  hiddenStateGradientNorms,
  stepFactor,
  summarizeNorms,
} from "../analyses/gradients_through_time.ts";
import type { RnnSpec } from "../models/layer_spec.ts";
import { batchLoss } from "../train/losses.ts";
import { sliceRows } from "../train/evaluate.ts";
import type { ProbeDefinition } from "./_probe_definition.ts";

const schema = z.strictObject({
  kind: z.literal("gradientsThroughTime"),
  /** The recurrent layer's name: the model's first layer. */
  layer: z.string().min(1),
  /** Held-out sequences the loss averages over (the test split's first ones). */
  examples: z.number().int().min(1).default(64),
  /** The ratio metric compares k = ratioAt with k = 1 (reported when the sequences are longer). */
  ratioAt: z.number().int().min(2).default(50),
  /** The decay per step is fitted over k = fitFrom … T − 1 (reported when T − fitFrom ≥ 2). */
  fitFrom: z.number().int().min(1).default(10),
});

/** The probe's settings. */
export type GradientsThroughTimeProbe = z.output<typeof schema>;

/** The metrics defined for sequences of `steps` steps. */
function metricsFor(probe: GradientsThroughTimeProbe, steps: number): string[] {
  return [
    "throughTimeStepFactor",
    ...(steps - 2 >= probe.ratioAt ? ["throughTimeNormRatio"] : []),
    ...(steps - probe.fitFrom >= 2 ? ["throughTimeDecayPerStep"] : []),
  ];
}

/** The `gradientsThroughTime` probe. */
export const gradientsThroughTime: ProbeDefinition<GradientsThroughTimeProbe> = {
  schema,
  when: "after",
  metrics: (probe, shape) => metricsFor(probe, shape.input[0]),
  check(probe, shape, layers) {
    const first = layers[0];
    if (first?.kind !== "rnn" || first.name !== probe.layer || first.returnSequences) {
      return [
        `probes: gradientsThroughTime: expected the model's first layer to be the rnn layer "${probe.layer}" returning its last state, found ${
          first ? `a ${first.kind} layer named "${first.name}"` : "no layer"
        }`,
      ];
    }
    return shape.input.length === 2 ? [] : [
      `probes: gradientsThroughTime: expected sequences [steps, features], found [${shape.input}]`,
    ];
  },
  async run(probe, { model, layers, shape, loss, splits, train }) {
    const spec = layers[0] as RnnSpec;
    const [kernel, recurrent, bias] = model.getLayer(probe.layer).getWeights();
    const weights: CellWeights = {
      cell: spec.cell,
      kernel: kernel as tf.Tensor2D,
      recurrent: recurrent as tf.Tensor2D,
      bias: bias as tf.Tensor1D,
    };
    const split = splits.test ?? train;
    const count = Math.min(probe.examples, split.features.shape[0]);
    const inputs = sliceRows(split.features, 0, count);
    const targets = sliceRows(split.targets, 0, count);
    // The model's layers after the recurrent one, applied to its last state.
    const after = model.layers.slice(model.layers.indexOf(model.getLayer(probe.layer)) + 1);
    const lossOf = (state: tf.Tensor2D) =>
      batchLoss(
        loss,
        after.reduce((x, layer) => layer.apply(x) as tf.Tensor, state as tf.Tensor),
        targets,
        shape.target,
      );
    try {
      const norms = await hiddenStateGradientNorms(weights, inputs, lossOf);
      const factor = await stepFactor(weights, inputs);
      const steps = norms.length;
      const summary = summarizeNorms([norms], Math.min(probe.ratioAt, steps - 1), probe.fitFrom);
      const defined = metricsFor(probe, steps);
      const values: Record<string, number> = {
        throughTimeStepFactor: factor,
        throughTimeNormRatio: summary.normRatio,
        throughTimeDecayPerStep: summary.decayPerStep,
      };
      return {
        final: Object.fromEntries(defined.map((name) => [name, values[name]])),
        artifacts: {
          gradientsThroughTime: {
            kind: "lines",
            title: "Gradient norm k steps back, after training",
            description:
              `‖∂L/∂h_(T−k)‖ of the trained ${spec.cell} layer against k on ${count} held-out sequences of ${steps} steps (log scale); the carry gate's mean (or tanh's RMS slope) per step is ${
                factor.toPrecision(3)
              }.`,
            xTitle: "k (steps back from the last state)",
            yTitle: "‖∂L/∂h_(T−k)‖",
            logY: true,
            series: [{
              name: `${spec.cell}, T = ${steps}`,
              points: summary.points.map(({ x, y }) => ({ x, y })),
            }],
          },
        },
      };
    } finally {
      tf.dispose([inputs, targets]);
    }
  },
};
