/**
 * Every analysis a `compute` experiment can name in `analysis.kind`. Add an analysis by writing
 * its module (see `analysis.ts`) and listing it here.
 *
 * @module
 */

import { z } from "zod";
import type { Analysis } from "./analysis.ts";
import { history } from "./history.ts";
import { pca } from "./pca.ts";
import { eckartYoung } from "./eckart_young.ts";
import { matmulScaling } from "./matmul_scaling.ts";
import { information } from "./information.ts";
import { centralLimit } from "./central_limit.ts";
import { monteCarlo } from "./monte_carlo.ts";
import { softmaxStability } from "./softmax_stability.ts";
import { modelZoo } from "./model_zoo.ts";
import { ridgeRegression } from "./ridge_regression.ts";
import { nearestNeighbors } from "./nearest_neighbors.ts";
import { backpropCheck } from "./backprop_check.ts";
import { gradientsThroughTime } from "./gradients_through_time.ts";

/** Analyses by kind. */
export const ANALYSES = {
  history,
  pca,
  eckartYoung,
  matmulScaling,
  information,
  centralLimit,
  monteCarlo,
  softmaxStability,
  modelZoo,
  ridgeRegression,
  nearestNeighbors,
  backpropCheck,
  gradientsThroughTime,
} as const;

/** An analysis's kind. */
export type AnalysisKind = keyof typeof ANALYSES;

/** An analysis's settings: `{ kind: "pca", ... }`. */
export const analysisSchema = z.discriminatedUnion(
  "kind",
  Object.values(ANALYSES).map((analysis) => analysis.schema) as unknown as [
    z.ZodObject<{ kind: z.ZodLiteral<string> }>,
    ...z.ZodObject<{ kind: z.ZodLiteral<string> }>[],
  ],
);

/** An analysis's settings, parsed. */
export type AnalysisSettings = { kind: AnalysisKind } & Record<string, unknown>;

/**
 * The analysis of a kind.
 *
 * @param kind Its kind.
 * @returns The analysis.
 *
 * @example
 * ```ts
 * import { analysisOf } from "./analyses.ts";
 * if (!analysisOf("history").module.endsWith("history.ts")) throw new Error();
 * ```
 */
export function analysisOf(kind: string): Analysis<{ kind: string }> {
  return ANALYSES[kind as AnalysisKind] as unknown as Analysis<{ kind: string }>;
}
