/**
 * Every probe a `fit` experiment can name in `probes`, and running them.
 *
 * @module
 */

import { z } from "zod";
import type { DataShape } from "../data/sources.ts";
import type { LayerSpec } from "../models/layer_spec.ts";
import type { ProbeDefinition } from "./_probe_definition.ts";
import type { ProbeContext, ProbeOutput } from "./probe.ts";
import { decisionRegions } from "./decision_regions.ts";
import { shiftedTest } from "./shifted_test.ts";
import { filters } from "./filters.ts";
import { featureMaps } from "./feature_maps.ts";
import { reconstructions } from "./reconstructions.ts";
import { latent } from "./latent.ts";
import { samples } from "./samples.ts";
import { bigram } from "./bigram.ts";
import { meanBaseline } from "./mean_baseline.ts";
import { gradientNorms } from "./gradient_norms.ts";
import { size } from "./size.ts";
import { pcaBaseline } from "./pca_baseline.ts";
import { allCorrect } from "./all_correct.ts";
import { deadUnits } from "./dead_units.ts";
import { functionFit } from "./function_fit.ts";
import { learningRateRange } from "./learning_rate_range.ts";
import { gradientsThroughTime } from "./gradients_through_time.ts";

/** Probes by kind. */
const PROBES = {
  decisionRegions,
  shiftedTest,
  filters,
  featureMaps,
  reconstructions,
  latent,
  samples,
  bigram,
  meanBaseline,
  gradientNorms,
  size,
  pcaBaseline,
  allCorrect,
  deadUnits,
  functionFit,
  learningRateRange,
  gradientsThroughTime,
} as const;

/** A probe's settings: `{ kind: "filters", layer: "c1" }`, … */
export const probeSchema = z.discriminatedUnion(
  "kind",
  Object.values(PROBES).map((probe) => probe.schema) as unknown as [
    z.ZodObject<{ kind: z.ZodLiteral<string> }>,
    ...z.ZodObject<{ kind: z.ZodLiteral<string> }>[],
  ],
);

/** A probe's settings, parsed. */
export type Probe = { kind: keyof typeof PROBES } & Record<string, unknown>;

function definitionOf(probe: { kind: string }): ProbeDefinition<unknown> {
  return PROBES[probe.kind as keyof typeof PROBES] as unknown as ProbeDefinition<unknown>;
}

/**
 * The final metrics a probe adds.
 *
 * @param probe The probe's settings.
 * @param shape The data's shapes.
 * @returns Metric names.
 */
export function probeMetrics(probe: { kind: string }, shape: DataShape): string[] {
  return definitionOf(probe).metrics(probe, shape);
}

/**
 * Problems with probes' settings for a model and its data.
 *
 * @param probes The probes.
 * @param shape The data's shapes.
 * @param layers The model's layers.
 * @returns One line per problem.
 */
export function checkProbes(
  probes: readonly { kind: string }[],
  shape: DataShape,
  layers: readonly LayerSpec[],
): string[] {
  return probes.flatMap((probe) => definitionOf(probe).check(probe, shape, layers));
}

/**
 * Runs the probes that run at this point, in order, and merges what they add.
 *
 * @param probes The probes.
 * @param when `before` training or `after` it.
 * @param context The model and data.
 * @returns Their metrics and artifacts.
 */
export async function runProbes(
  probes: readonly { kind: string }[],
  when: "before" | "after",
  context: ProbeContext,
): Promise<ProbeOutput> {
  const output: ProbeOutput = { final: {}, artifacts: {} };
  for (const probe of probes) {
    const definition = definitionOf(probe);
    if (definition.when !== when) continue;
    // A probe that only draws charts is skipped where the report will not show them.
    if (!context.charts && definition.metrics(probe, context.shape).length === 0) continue;
    const result = await definition.run(probe, context);
    Object.assign(output.final, result.final);
    Object.assign(output.artifacts, result.artifacts);
  }
  return output;
}
