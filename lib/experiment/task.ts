/**
 * What a task kind provides to the framework. An experiment definition names its `kind`; the task
 * of that kind validates the settings, says which kernels it needs, loads its data once, and runs
 * one trial at a time. Experiments that train nothing (PCA, closed-form checks, history charts)
 * are tasks too: their trials simply have an empty learning curve.
 *
 * @module
 */

import type { z } from "zod";
import type { JsonValue, MetricsRecord, ResolvedConfigRecord, RunRecord } from "./records.ts";
import type { Progress } from "../train/progress.ts";
import type { ReportSection } from "../report/experiment_page.ts";

/** Everything one trial gets. */
export interface TrialContext<Settings> {
  /** The variant's resolved, validated settings. */
  settings: Settings;
  /** The variant's name. */
  variant: string;
  /** The trial's root seed: derive every random draw from it with `deriveSeed`. */
  seed: number;
  /** The tfjs backend in use (`webgpu`, `wasm`, `cpu`). */
  backend: string;
  /** Where to report progress. */
  progress: Progress;
}

/** What one trial returns. */
export interface TrialOutput {
  /** Deterministic results: go to `metrics.json`. */
  final: Record<string, number>;
  /** One point per evaluation, in step order; empty for a trial that trains nothing. */
  curve: { step: number; epoch: number; [metric: string]: number }[];
  /** Task-specific deterministic results (tables, matrices) for the report: go to `metrics.json`. */
  artifacts: Record<string, JsonValue>;
  /** Timings and throughput: go to `run.json`. */
  timing: { trainExamplesPerSecond?: number; evalExamplesPerSecond?: number };
  /** Other non-deterministic measurements (e.g. GFLOP/s), keyed by name: go to `run.json`. */
  measurements?: Record<string, JsonValue>;
}

/** The results of a run, as the report sees them. */
export interface RunResults {
  /** The deterministic results, as read from `metrics.json`. */
  metrics: MetricsRecord;
  /** Timings, hardware and versions, as read from `run.json`. */
  run: RunRecord;
  /** The experiment as it ran, as read from `config.json`. */
  config: ResolvedConfigRecord;
}

/** One task kind. */
export interface Task<Settings = unknown> {
  /** The `kind` an experiment definition names. */
  kind: string;
  /** One line: what this kind of experiment does. */
  description: string;
  /** The schema of a variant's settings (the definition's keys other than the header's). */
  settingsSchema: z.ZodType<Settings>;
  /** The final metrics a trial reports, so that expectations can be checked for typos. */
  metricNames: readonly string[];
  /** The tfjs kernels the settings need; backend choice skips backends that lack one. */
  requiredKernels(settings: Settings): string[];
  /** Loads and checks data for all variants before any trial runs (errors surface early). */
  prepare?(variants: readonly Settings[]): Promise<void>;
  /** Runs one trial. */
  runTrial(context: TrialContext<Settings>): Promise<TrialOutput>;
  /** Charts and tables of its own for the report, after the shared ones. */
  reportSections?(results: RunResults): ReportSection[];
}
