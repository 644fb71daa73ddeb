/**
 * The `meanBaseline` probe: the error of always predicting the training targets' mean, the
 * trivial baseline a regression model must beat (for the adding problem, an MSE of about 0.167).
 *
 * @module
 */

import { z } from "zod";
import type { DataSplit } from "../data/sources.ts";
import type { ProbeDefinition } from "./_probe_definition.ts";

const schema = z.strictObject({ kind: z.literal("meanBaseline") });

/** The probe's settings. */
export type MeanBaselineProbe = z.output<typeof schema>;

/** The `meanBaseline` probe. */
export const meanBaseline: ProbeDefinition<MeanBaselineProbe> = {
  schema,
  when: "before",
  metrics: () => ["baselineTestMse"],
  check(_probe, shape) {
    return shape.target.kind === "values" ? [] : [`probes: meanBaseline needs value targets`];
  },
  run(_probe, { data, shape }) {
    const width = shape.target.shape.reduce((a, b) => a * b, 1);
    const mean = new Float64Array(width);
    for (let i = 0; i < data.train.targets.length; i++) mean[i % width] += data.train.targets[i];
    for (let k = 0; k < width; k++) mean[k] /= data.train.count;
    const mse = (split: DataSplit) => {
      let total = 0;
      for (let i = 0; i < split.targets.length; i++) {
        total += (split.targets[i] - mean[i % width]) ** 2;
      }
      return total / split.targets.length;
    };
    return Promise.resolve({ final: { baselineTestMse: mse(data.test) }, artifacts: {} });
  },
};
