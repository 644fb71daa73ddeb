/**
 * The `size` probe: the model's multiply–adds per example and its neurons, counted from its
 * layer specs (parameters are always reported).
 *
 * @module
 */

import { z } from "zod";
import { countModel } from "../models/count_model.ts";
import type { ProbeDefinition } from "./_probe_definition.ts";

const schema = z.strictObject({ kind: z.literal("size") });

/** The probe's settings. */
export type SizeProbe = z.output<typeof schema>;

/** The `size` probe. */
export const size: ProbeDefinition<SizeProbe> = {
  schema,
  when: "before",
  metrics: () => ["multiplyAdds", "neurons"],
  check: () => [],
  run(_probe, { layers, shape }) {
    const count = countModel(shape.input, [...layers]);
    return Promise.resolve({
      final: { multiplyAdds: count.multiplyAdds, neurons: count.neurons },
      artifacts: {},
    });
  },
};
