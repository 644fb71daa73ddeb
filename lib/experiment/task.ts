/**
 * What a task kind provides to the framework. An experiment definition names its `kind`; the task
 * of that kind validates the settings, names the metrics and kernels they imply, loads its data
 * once, and runs one trial at a time. The framework owns everything around a trial: seeds, the
 * backend, the run store, summaries, expectations and the report, which draws the trial's typed
 * artifacts with the shared renderers.
 *
 * The built-in kinds are `fit` (train a model), `minimize` (optimizer paths on a function) and
 * `compute` (analyses that train nothing); an experiment file can bring its own with
 * {@linkcode defineTask}.
 *
 * @module
 */

import type { z } from "zod";
import type {
  CurvePoint,
  JsonValue,
  MetricsRecord,
  ResolvedConfigRecord,
  RunRecord,
} from "./records.ts";
import type { Progress } from "../train/progress.ts";
import type { Artifact } from "../report/artifacts.ts";
import type { TrialCheckpoints } from "./checkpoints.ts";

/** Everything one trial gets. */
export interface TrialContext<Settings> {
  /** The variant's resolved, validated settings. */
  settings: Settings;
  /** The variant's name. */
  variant: string;
  /** The trial's root seed: derive every random draw from it with `deriveSeed`. */
  seed: number;
  /**
   * Whether to draw the report's charts: true for the variant's first seed, whose charts the report
   * shows (the others' artifacts are dropped; a task may skip computing them).
   */
  charts?: boolean;
  /** The tfjs backend in use (`webgpu`, `wasm`, `cpu`). */
  backend: string;
  /** Where to report progress. */
  progress: Progress;
  /** Where a long trial saves its state after each epoch, and finds it again when resumed. */
  checkpoints?: TrialCheckpoints;
}

/** What one trial returns. */
export interface TrialOutput {
  /** Deterministic scalar results: go to `metrics.json`. */
  final: Record<string, number>;
  /** One point per evaluation, in step order; empty for a trial that trains nothing. */
  curve: CurvePoint[];
  /** Deterministic charts and tables for the report, by name: go to `metrics.json`. */
  artifacts: Record<string, Artifact>;
  /** Timings and throughput: go to `run.json`. */
  timing: { trainExamplesPerSecond?: number; evalExamplesPerSecond?: number };
  /** Other non-deterministic measurements (e.g. GFLOP/s), keyed by name: go to `run.json`. */
  measurements?: Record<string, JsonValue>;
  /** Charts of measurements, by name: go to `run.json` (they vary between runs). */
  measuredArtifacts?: Record<string, Artifact>;
  /** Set when the loss became NaN or infinite; the trial stopped at that step. */
  diverged?: { step: number; epoch: number };
  /** The checkpoint epoch the trial resumed after, when it did. */
  resumedAfterEpoch?: number;
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
  /** The `kind` an experiment definition names: lower-case, e.g. `fit`. */
  kind: string;
  /** One line: what this kind of experiment does. */
  description: string;
  /** The schema of a variant's settings (the definition's keys other than the header's). */
  settingsSchema: z.ZodType<Settings>;
  /** The final metrics a trial with these settings reports, so expectations can be checked. */
  metricNames(settings: Settings): string[];
  /** The tfjs kernels the settings need; backend choice skips backends that lack one. */
  requiredKernels(settings: Settings): string[];
  /**
   * Checks what can only be checked with the settings parsed (e.g. that a model fits its data)
   * and returns one message per problem; runs before anything is loaded or trained.
   */
  validate?(settings: Settings): string[];
  /** Loads and checks data for all variants before any trial runs (errors surface early). */
  prepare?(variants: readonly Settings[]): Promise<void>;
  /** Runs one trial. */
  runTrial(context: TrialContext<Settings>): Promise<TrialOutput>;
  /**
   * The modules a trial with these settings runs (`import.meta.url`s): hashed, with everything
   * they import, into each trial's content hash, so that editing them invalidates stored results.
   */
  modules(settings: Settings): string[];
}

/**
 * Declares a task kind. Returns the task unchanged, typed; an experiment file makes its own kind
 * available by exporting it in `tasks`, next to its default export.
 *
 * @param task The task.
 * @returns The same task.
 *
 * @example
 * ```ts
 * import { z } from "zod";
 * import { defineTask } from "./task.ts";
 * const coinFlips = defineTask({
 *   kind: "coin-flips",
 *   description: "count heads in seeded coin flips",
 *   settingsSchema: z.strictObject({ flips: z.number().int().min(1) }),
 *   metricNames: () => ["heads"],
 *   requiredKernels: () => [],
 *   modules: () => [import.meta.url],
 *   runTrial: ({ settings, seed }) =>
 *     Promise.resolve({
 *       final: { heads: (seed % 2) * settings.flips },
 *       curve: [],
 *       artifacts: {},
 *       timing: {},
 *     }),
 * });
 * if (coinFlips.kind !== "coin-flips") throw new Error("changed");
 * ```
 */
export function defineTask<Settings>(task: Task<Settings>): Task<Settings> {
  if (!/^[a-z][a-z0-9-]*$/.test(task.kind)) {
    throw new TypeError(
      `Expected a task kind of lower-case letters, digits and '-', found "${task.kind}"`,
    );
  }
  return task;
}
