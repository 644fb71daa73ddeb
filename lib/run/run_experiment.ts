/**
 * Running an experiment: resolve and validate it, load its data, choose a backend, run every
 * variant for every seed, and write `config.json`, `metrics.json` and `run.json` atomically.
 *
 * @module
 */

import * as tf from "@tensorflow/tfjs";
import {
  describeBackend,
  type JsonValue,
  type MetricsRecord,
  type ResolvedConfigRecord,
  type RunRecord,
  type TrialMetrics,
  type TrialTiming,
} from "../experiment/records.ts";
import type { RunResults } from "../experiment/task.ts";
import { resolveExperiment, type ResolveOptions } from "../experiment/resolve.ts";
import { checkExpectations, summarizeTrials } from "../experiment/summarize.ts";
import { findTask, TASK_KINDS } from "../tasks/registry.ts";
import { type BackendRequest, selectBackend } from "../backend/select_backend.ts";
import { createProgress, type Progress } from "../train/progress.ts";
import { toCanonicalJson } from "../io/canonical_json.ts";
import { writeTextFileAtomic } from "../io/atomic_write.ts";
import { describeEnvironment } from "./environment.ts";

/** How to run. */
export interface RunOptions extends ResolveOptions {
  /** The definition file's path, as the user gave it: named in every message. */
  file: string;
  /** The file's default export. */
  definition: unknown;
  /** `auto` unless given. */
  backend?: BackendRequest;
  /** Threads for the wasm backend (default: one per core). */
  wasmThreads?: number;
  /** Where results go; `reports/<id>` unless given. */
  outDirectory?: string;
  /** Progress reporting; quiet unless given. */
  progress?: Progress;
  /** The command line, for `run.json`. */
  command?: string[];
}

/** What a run produced and where it wrote it. */
export interface RunOutcome extends RunResults {
  /** The directory the records were written to. */
  directory: string;
}

/**
 * Runs an experiment and writes its records.
 *
 * @param options The definition, its file name, profile, overrides and backend.
 * @returns The records and the directory they were written to.
 * @throws {ConfigError} Before anything trains, when the definition or an override is invalid.
 *
 * @example
 * ```ts ignore
 * import { runExperiment } from "./run_experiment.ts";
 * import experiment from "../../experiments/cnn.ts";
 * const { metrics } = await runExperiment({
 *   file: "experiments/cnn.ts", definition: experiment, profile: "smoke",
 * });
 * console.log(metrics.reproduced);
 * ```
 */
export async function runExperiment(options: RunOptions): Promise<RunOutcome> {
  const progress = options.progress ?? createProgress("quiet");
  const resolved = resolveExperiment(
    options.definition,
    options.file,
    findTask,
    TASK_KINDS,
    options,
  );
  const { task, header } = resolved;
  const directory = options.outDirectory ?? `reports/${header.id}`;

  await task.prepare?.(resolved.variants.map((variant) => variant.settings));
  const kernels = [...new Set(resolved.variants.flatMap((v) => task.requiredKernels(v.settings)))];
  const backend = await selectBackend(options.backend ?? "auto", kernels, options.wasmThreads);
  progress.log(`backend: ${describeBackend(backend)} (${backend.reason})`);

  // The commit and machine as the run starts: the code that ran, even if HEAD moves meanwhile.
  const environment = await describeEnvironment();
  const startedAt = new Date();
  const started = performance.now();
  const trials: TrialMetrics[] = [];
  const timings: TrialTiming[] = [];
  const measurements: Record<string, JsonValue> = {};
  for (const variant of resolved.variants) {
    for (const seed of resolved.seeds) {
      const tensorsBefore = tf.memory().numTensors;
      const trialStarted = performance.now();
      const output = await task.runTrial({
        settings: variant.settings,
        variant: variant.name,
        seed,
        backend: backend.name,
        progress,
      });
      const leaked = tf.memory().numTensors - tensorsBefore;
      if (leaked !== 0) {
        throw new Error(
          `${options.file}: variant ${variant.name} seed ${seed} left ${leaked} tensors undisposed (a bug in the ${task.kind} task)`,
        );
      }
      trials.push({
        variant: variant.name,
        seed,
        final: output.final,
        curve: output.curve,
        artifacts: output.artifacts,
      });
      timings.push({
        variant: variant.name,
        seed,
        wallSeconds: (performance.now() - trialStarted) / 1000,
        ...output.timing,
      });
      Object.assign(measurements, output.measurements ?? {});
    }
  }

  const summary = summarizeTrials(trials);
  const checks = checkExpectations(header.expect, summary, resolved.profile);
  const metrics: MetricsRecord = {
    experiment: header.id,
    profile: resolved.profile,
    backend: backend.name,
    trials,
    summary,
    checks,
    reproduced: trials.length > 0 && checks.every((check) => check.pass),
  };
  const config: ResolvedConfigRecord = {
    experiment: header.id,
    profile: resolved.profile,
    header,
    overrides: resolved.overrides,
    seeds: resolved.seeds,
    variants: Object.fromEntries(
      resolved.variants.map((variant) => [variant.name, variant.settings as JsonValue]),
    ),
  };
  const run: RunRecord = {
    experiment: header.id,
    profile: resolved.profile,
    startedAt: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    wallSeconds: (performance.now() - started) / 1000,
    command: options.command ?? [],
    backend,
    ...environment,
    trials: timings,
    measurements,
  };
  // Serialise everything before writing anything, so a failure leaves the old files whole.
  const files = [
    ["config.json", toCanonicalJson(config)],
    ["metrics.json", toCanonicalJson(metrics)],
    ["run.json", toCanonicalJson(run)],
  ] as const;
  for (const [name, text] of files) await writeTextFileAtomic(`${directory}/${name}`, text);
  return { metrics, run, config, directory };
}
