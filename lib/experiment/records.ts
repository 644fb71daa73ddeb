/**
 * The three files a run writes under `reports/<id>/`, as types.
 *
 * - `metrics.json` ({@linkcode MetricsRecord}): deterministic. Sorted keys, fixed float formatting,
 *   no timestamps, no timings. Same seed + same backend gives the same bytes.
 * - `run.json` ({@linkcode RunRecord}): everything that varies between runs — times, throughput,
 *   hardware, versions, the git commit.
 * - `config.json` ({@linkcode ResolvedConfigRecord}): the experiment after profile and overrides.
 *
 * @module
 */

/** Any value that survives a JSON round trip. */
export type JsonValue =
  | null
  | boolean
  | number
  | string
  | JsonValue[]
  | { [key: string]: JsonValue };

/** One point of a learning curve: `step` and `epoch` plus any named metrics at that point. */
export interface CurvePoint {
  /** Optimizer steps taken so far (0 before training). */
  step: number;
  /** Epochs completed so far; fractional between epoch ends. */
  epoch: number;
  /** Named metrics, e.g. `trainLoss`, `testLoss`, `testErrorPercent`. */
  [metric: string]: number;
}

/** What one trial (one variant, one seed) produced. */
export interface TrialMetrics {
  /** The variant's name, as in the experiment definition. */
  variant: string;
  /** The trial's root seed: every random draw of the trial derives from it. */
  seed: number;
  /** Final scalar metrics, e.g. `{ testErrorPercent: 0.93, testLoss: 0.031, parameters: 61706 }`. */
  final: Record<string, number>;
  /** The learning curve, in step order; empty for experiments that train nothing. */
  curve: CurvePoint[];
  /** Task-specific deterministic results (tables, paths, matrices) for the report. */
  artifacts: Record<string, JsonValue>;
}

/** Across-seed summary of one final metric of one variant. */
export interface MetricSummary {
  /** Mean across seeds. */
  mean: number;
  /** Sample standard deviation (n - 1); 0 for a single seed. */
  std: number;
  /** Smallest value across seeds. */
  min: number;
  /** Largest value across seeds. */
  max: number;
  /** Number of seeds summarised. */
  n: number;
}

/** The verdict on one expected result. */
export interface CheckResult {
  /** The variant whose across-seed mean was checked. */
  variant: string;
  /** The final metric checked, e.g. `testErrorPercent`. */
  metric: string;
  /** The across-seed mean that was checked. */
  value: number;
  /** The published figure. */
  published: number;
  /** The bound the value had to meet, already adjusted for the profile. */
  bound: { atMost?: number; atLeast?: number };
  /** Where the published figure comes from. */
  source: string;
  /** True when the value met the bound. */
  pass: boolean;
}

/** The contents of `metrics.json`. */
export interface MetricsRecord {
  /** The experiment's id. */
  experiment: string;
  /** The profile the run used, e.g. `full` or `ci`. */
  profile: string;
  /** The backend the numbers were computed on: determinism holds per backend. */
  backend: string;
  /** One entry per variant and seed. */
  trials: TrialMetrics[];
  /** variant -> metric -> summary across seeds. */
  summary: Record<string, Record<string, MetricSummary>>;
  /** One verdict per expected result of the definition. */
  checks: CheckResult[];
  /** True when every check passed (and there was at least one trial). */
  reproduced: boolean;
}

/** Timing and throughput of one trial; lives in `run.json`, never in `metrics.json`. */
export interface TrialTiming {
  /** The variant's name. */
  variant: string;
  /** The trial's root seed. */
  seed: number;
  /** Wall-clock duration of the whole trial, in seconds. */
  wallSeconds: number;
  /** Training examples per second over the whole trial, readbacks included. */
  trainExamplesPerSecond?: number;
  /** Evaluation examples per second. */
  evalExamplesPerSecond?: number;
}

/** The backend the run used and why it was chosen. */
export interface BackendRecord {
  /** `webgpu`, `wasm` or `cpu`. */
  name: string;
  /** One sentence: why this backend. */
  reason: string;
  /** True when the device is a hardware GPU (lavapipe/llvmpipe/SwiftShader are not). */
  hardwareGpu: boolean;
  /** The WebGPU adapter, when WebGPU was probed. */
  adapter?: {
    vendor: string;
    architecture: string;
    device: string;
    description: string;
    isFallbackAdapter: boolean;
  };
  /** Threads the wasm backend runs on; absent for the other backends. */
  threads?: number;
}

/**
 * Names a backend record for people: the backend, and for wasm its threads.
 *
 * @param backend The record from `selectBackend`.
 * @returns E.g. `wasm on 2 threads`, `webgpu`.
 *
 * @example
 * ```ts
 * import { describeBackend } from "./records.ts";
 * const text = describeBackend({ name: "wasm", reason: "", hardwareGpu: false, threads: 1 });
 * if (text !== "wasm on 1 thread") throw new Error(text);
 * ```
 */
export function describeBackend(backend: BackendRecord): string {
  if (backend.threads === undefined) return backend.name;
  return `${backend.name} on ${formatThreads(backend.threads)}`;
}

/**
 * A thread count in words.
 *
 * @param threads The count.
 * @returns E.g. `1 thread`, `2 threads`.
 *
 * @example
 * ```ts
 * import { formatThreads } from "./records.ts";
 * if (formatThreads(1) !== "1 thread" || formatThreads(2) !== "2 threads") throw new Error();
 * ```
 */
export function formatThreads(threads: number): string {
  return `${threads} thread${threads === 1 ? "" : "s"}`;
}

/** The contents of `run.json`. */
export interface RunRecord {
  /** The experiment's id. */
  experiment: string;
  /** The profile the run used, e.g. `full` or `ci`. */
  profile: string;
  /** ISO time the run started: the only time a report may show. */
  startedAt: string;
  /** ISO time the run finished. */
  finishedAt: string;
  /** Wall-clock duration of the whole run, in seconds. */
  wallSeconds: number;
  /** The command line that started the run; empty when run from code. */
  command: string[];
  /** The backend the run used and why. */
  backend: BackendRecord;
  /** Versions of the runtime and of tfjs, to explain differences between runs. */
  versions: { deno: string; v8: string; typescript: string; tfjs: string };
  /** The machine the run used. */
  machine: { cpuModel: string; cpuCores: number; os: string; memoryGiB: number };
  /** The checked-out commit and whether the work tree had uncommitted changes; `unknown` outside git. */
  git: { commit: string; dirty: boolean };
  /** Per-trial timing and throughput. */
  trials: TrialTiming[];
  /** Task-specific measurements (e.g. matmul GFLOP/s), keyed by name. */
  measurements: Record<string, JsonValue>;
}

/** A published result an experiment must reproduce, as declared in its definition. */
export interface Expectation {
  /** The variant whose across-seed mean is checked. */
  variant: string;
  /** A key of the trial's `final` metrics, e.g. `testErrorPercent`. */
  metric: string;
  /** The figure the source reports. */
  published: number;
  /** Where the figure comes from, precise enough to look it up (paper, table, page). */
  source: string;
  /** Bounds per profile; a profile without an entry uses `full`'s. */
  bounds: Record<string, { atMost?: number; atLeast?: number }>;
}

/** What an experiment is, independent of any run: the descriptive part of its definition. */
export interface ExperimentHeader {
  /** Lower-case id; results go to `reports/<id>/`. */
  id: string;
  /** Course chapter, 1 to 12. */
  chapter: number;
  /** Short human title, shown as the report's heading. */
  title: string;
  /** The claim it reproduces and where it was published. */
  reproduces: { claim: string; source: string; url?: string };
  /** The task kind that runs it, e.g. `classify` or `history`. */
  kind: string;
  /** variant name -> human label, in definition order. */
  variantLabels: Record<string, string>;
  /** The published results the run is checked against. */
  expect: Expectation[];
}

/** The contents of `config.json`: what actually ran. */
export interface ResolvedConfigRecord {
  /** The experiment's id. */
  experiment: string;
  /** The profile that was applied, e.g. `full` or `ci`. */
  profile: string;
  /** The descriptive part of the definition, after overrides of seeds and variants. */
  header: ExperimentHeader;
  /** The overrides applied, in order: profile, then `--config`, then `--set`. */
  overrides: { path: string; value: JsonValue; from: string }[];
  /** The seeds each variant ran with. */
  seeds: number[];
  /** variant name -> fully resolved, validated settings. */
  variants: Record<string, JsonValue>;
}
