/**
 * The `compute` task: an analysis that trains nothing (a PCA, closed forms checked against a
 * computation, k-NN, the history tables), chosen by `analysis.kind`. Variants may run different
 * analyses, so one experiment can hold a chapter's several checks.
 *
 * @module
 */

import { z } from "zod";
import { defineTask, type TrialOutput } from "../experiment/task.ts";
import { analysisOf, analysisSchema, type AnalysisSettings } from "../analyses/analyses.ts";

/** The settings of a `compute` experiment. */
export const computeSettingsSchema = z.strictObject({
  /** The analysis and its settings. */
  analysis: analysisSchema,
});

/** Settings of a `compute` experiment, after defaults. */
export type ComputeSettings = { analysis: AnalysisSettings };

/** The `compute` task. */
export const computeTask = defineTask<ComputeSettings>({
  kind: "compute",
  description: "run an analysis that trains nothing",
  settingsSchema: computeSettingsSchema as unknown as z.ZodType<ComputeSettings>,
  metricNames: (settings) => analysisOf(settings.analysis.kind).metrics(settings.analysis),
  requiredKernels: (settings) =>
    analysisOf(settings.analysis.kind).requiredKernels?.(settings.analysis) ?? [],
  async prepare(variants) {
    for (const settings of variants) {
      await analysisOf(settings.analysis.kind).prepare?.(settings.analysis);
    }
  },
  modules: (settings) => [import.meta.url, analysisOf(settings.analysis.kind).module],
  async runTrial({ settings, seed, backend, progress, variant }): Promise<TrialOutput> {
    const analysis = analysisOf(settings.analysis.kind);
    progress.trialStarted({ label: `${variant} seed ${seed}`, epochs: 1, stepsPerEpoch: 1 });
    const output = await analysis.run(settings.analysis, { seed, backend, progress });
    progress.trialDone(`${settings.analysis.kind} done`);
    return {
      final: output.final,
      curve: output.curve ?? [],
      artifacts: output.artifacts,
      timing: {},
      ...(output.measurements ? { measurements: output.measurements } : {}),
      ...(output.measuredArtifacts ? { measuredArtifacts: output.measuredArtifacts } : {}),
    };
  },
});
