/**
 * The `deadUnits` probe: how many units of a layer output at most 0 on every training example
 * after training — for ReLU, exactly 0: such a unit passes no gradient and never recovers
 * (Goodfellow et al. 2016, §6.3.1). In a 2-2-1 network learning XOR, one dead hidden unit leaves
 * a linear model, which cannot fit XOR.
 *
 * @module
 */

import * as tf from "@tensorflow/tfjs";
import { z } from "zod";
import { sliceRows } from "../train/evaluate.ts";
import { checkLayerName, type ProbeDefinition } from "./_probe_definition.ts";
import { layerActivations } from "./_model_layers.ts";

const schema = z.strictObject({
  kind: z.literal("deadUnits"),
  /** The layer whose units are counted (its output, after its activation). */
  layer: z.string().min(1),
  /** The first this many training examples are checked. */
  examples: z.number().int().min(1).default(1000),
});

/** The probe's settings. */
export type DeadUnitsProbe = z.output<typeof schema>;

/** The `deadUnits` probe. */
export const deadUnits: ProbeDefinition<DeadUnitsProbe> = {
  schema,
  when: "after",
  metrics: () => ["deadUnits"],
  check: (probe, _shape, layers) => checkLayerName(layers, probe.layer, "probes: deadUnits.layer"),
  async run(probe, { model, train }) {
    const count = Math.min(probe.examples, train.features.shape[0]);
    const largest = tf.tidy(() => {
      const outputs = layerActivations(model, probe.layer, sliceRows(train.features, 0, count));
      return tf.max(outputs.reshape([count, -1]), 0);
    });
    const values = await largest.data();
    largest.dispose();
    return { final: { deadUnits: values.filter((value) => value <= 0).length }, artifacts: {} };
  },
};
