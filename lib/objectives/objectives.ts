/**
 * Every objective a `minimize` experiment can name.
 *
 * @module
 */

import { z } from "zod";
import type { Objective } from "./objective.ts";
import { beale, rosenbrock, saddle } from "./test_functions.ts";
import { klFit } from "./kl_fit.ts";

const mixtureSchema = z.strictObject({
  weights: z.array(z.number().positive()).min(1),
  means: z.array(z.number()).min(1),
  stds: z.array(z.number().positive()).min(1),
}).refine((m) => m.weights.length === m.means.length && m.means.length === m.stds.length, {
  message: "expected weights, means and stds of the same length",
}).refine((m) => Math.abs(m.weights.reduce((a, b) => a + b, 0) - 1) < 1e-9, {
  message: "expected weights that sum to 1",
});

/** An objective's description. */
export const objectiveSchema = z.discriminatedUnion("kind", [
  z.strictObject({ kind: z.literal("rosenbrock") }),
  z.strictObject({ kind: z.literal("beale") }),
  z.strictObject({ kind: z.literal("saddle") }),
  z.strictObject({
    kind: z.literal("klFit"),
    /** `forward`: KL(p‖q), mean-seeking; `reverse`: KL(q‖p), mode-seeking. */
    direction: z.enum(["forward", "reverse"]),
    mixture: mixtureSchema,
  }),
]);

/** An objective's description, parsed. */
export type ObjectiveSpec = z.output<typeof objectiveSchema>;

/**
 * The objective a description names.
 *
 * @param spec The description.
 * @returns The objective.
 *
 * @example
 * ```ts
 * import { createObjective } from "./objectives.ts";
 * if (createObjective({ kind: "rosenbrock" }).valueAt(1, 1) !== 0) throw new Error();
 * ```
 */
export function createObjective(spec: ObjectiveSpec): Objective {
  switch (spec.kind) {
    case "rosenbrock":
      return rosenbrock;
    case "beale":
      return beale;
    case "saddle":
      return saddle;
    case "klFit":
      return klFit(spec.direction, spec.mixture);
  }
}
