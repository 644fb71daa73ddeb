/**
 * The `allCorrect` probe: 1 when the trained model classifies every example of a split correctly,
 * 0 otherwise. Its mean over seeds is the fraction of training runs that solved the task, e.g. how
 * often a 2-2-1 network learns XOR from a random start.
 *
 * @module
 */

import { z } from "zod";
import { evaluateModel } from "../train/evaluate.ts";
import type { ProbeDefinition } from "./_probe_definition.ts";

const schema = z.strictObject({
  kind: z.literal("allCorrect"),
  /** The split that must be classified without an error; it must be one the task evaluates. */
  split: z.enum(["train", "validation", "test"]).default("test"),
});

/** The probe's settings. */
export type AllCorrectProbe = z.output<typeof schema>;

/** The `allCorrect` probe. */
export const allCorrect: ProbeDefinition<AllCorrectProbe> = {
  schema,
  when: "after",
  metrics: () => ["allCorrect"],
  check(_probe, shape) {
    const binaryValue = shape.target.kind === "values" && shape.target.shape.join() === "1";
    return shape.target.kind === "classes" || binaryValue ? [] : [
      `probes: allCorrect needs class targets or one 0/1 value per example, found values of shape [${shape.target.shape}]`,
    ];
  },
  async run(probe, { model, splits, loss, shape }) {
    const split = splits[probe.split];
    if (!split) {
      throw new Error(
        `probes: allCorrect: the ${probe.split} split is not evaluated (evaluated: ${
          Object.keys(splits).join(", ")
        }); add it to evaluate.splits`,
      );
    }
    const { errorPercent } = await evaluateModel(
      model,
      split,
      loss,
      ["errorPercent"],
      shape.target,
      split.features.shape[0],
    );
    return { final: { allCorrect: errorPercent === 0 ? 1 : 0 }, artifacts: {} };
  },
};
