/**
 * What an analysis gives the `compute` task: an experiment that trains nothing — a PCA, a
 * closed form checked against a computation, a k-NN classifier, the history tables — with typed
 * settings, the metrics it reports and typed artifacts for the report.
 *
 * @module
 */

import type { z } from "zod";
import type { CurvePoint, JsonValue } from "../experiment/records.ts";
import type { Artifact } from "../report/artifacts.ts";
import type { Progress } from "../train/progress.ts";

/** What a run of an analysis gets. */
export interface AnalysisContext {
  /** The trial's root seed: derive every random draw from it. */
  seed: number;
  /** The tfjs backend in use. */
  backend: string;
  /** Where to report progress. */
  progress: Progress;
}

/** What an analysis returns. */
export interface AnalysisOutput {
  /** Deterministic scalar results. */
  final: Record<string, number>;
  /** Deterministic charts and tables, by name. */
  artifacts: Record<string, Artifact>;
  /** A curve, if the analysis has one (e.g. an estimate against samples). */
  curve?: CurvePoint[];
  /** Timings and other measurements that vary between runs (they go to `run.json`). */
  measurements?: Record<string, JsonValue>;
  /** Charts of measurements (they go to `run.json`). */
  measuredArtifacts?: Record<string, Artifact>;
}

/** One analysis. */
export interface Analysis<Settings extends { kind: string }> {
  /** Its schema, with a `kind` literal. */
  schema: z.ZodType<Settings>;
  /** One line: what it computes. */
  description: string;
  /** The final metrics it reports for these settings. */
  metrics(settings: Settings): string[];
  /** The tfjs kernels it needs. */
  requiredKernels?(settings: Settings): string[];
  /** Loads and checks its inputs before anything runs. */
  prepare?(settings: Settings): Promise<void>;
  /** Runs it. */
  run(settings: Settings, context: AnalysisContext): Promise<AnalysisOutput>;
  /** Its module's `import.meta.url`, hashed into the trial's content hash. */
  module: string;
}
