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
  /** Task-specific deterministic results (charts and tables), by name, for the report. */
  artifacts: Record<string, JsonValue>;
  /** Present when the loss became NaN or infinite: the trial stopped there. */
  diverged?: { step: number; epoch: number };
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

/** A bound on a checked value. */
export interface Bound {
  /** The value must be at most this. */
  atMost?: number;
  /** The value must be at least this. */
  atLeast?: number;
}

/** The verdict on a published value: a variant's mean over seeds against a bound. */
export interface ValueCheck {
  /** The variant whose across-seed mean was checked. */
  variant: string;
  /** The final metric checked, e.g. `testErrorPercent`. */
  metric: string;
  /** The across-seed mean that was checked. */
  value: number;
  /** The published figure. */
  published: number;
  /** The bound the value had to meet, already adjusted for the profile. */
  bound: Bound;
  /** Where the published figure comes from. */
  source: string;
  /** True when the value met the bound. */
  pass: boolean;
}

/** One side of a comparison, with its measured mean. */
export interface ComparedValue {
  /** The variant; for a search's best point, a label such as `best of sweeps random-1, random-2`. */
  variant: string;
  /** Its final metric. */
  metric: string;
  /** The mean over seeds (for a search: the mean over its sweeps of each one's best point). */
  value: number;
  /** For a search's best point: its sweeps, the reduction and how many points each counted. */
  search?: { sweeps: string[]; reduce: "min" | "max"; first?: number };
}

/** A side of a comparison as declared: a variant's metric, or the best point of sweeps. */
export type MetricSide =
  | { variant: string; metric: string }
  | { sweeps: string[]; metric: string; reduce: "min" | "max"; first?: number };

/** The verdict on a comparison: one side beats the other by at least a margin. */
export interface BeatsCheck {
  /** Discriminates the check. */
  kind: "beats";
  /** The side that should win. */
  better: ComparedValue;
  /** The side that should lose. */
  worse: ComparedValue;
  /** Whether lower or higher wins. */
  direction: "lower" | "higher";
  /** The required margin, for the profile. */
  margin: number;
  /** How far the winner is ahead (positive when `better` wins). */
  value: number;
  /** What the source reports, in words. */
  published?: string;
  /** Where the comparison comes from. */
  source: string;
  /** True when `value >= margin`. */
  pass: boolean;
}

/** The verdict on a derived quantity (a slope, a ratio, a crossover) against a bound. */
export interface DerivedCheck {
  /** Discriminates the check. */
  kind: "derived";
  /** The quantity's identifier, e.g. `monteCarloSlope`. */
  name: string;
  /** What was computed, in words. */
  description: string;
  /** The computed value; null when it does not exist (e.g. no crossover). */
  value: number | null;
  /** The figure the source reports, if any. */
  published?: number;
  /** The bound, for the profile. */
  bound: Bound;
  /** Where the expectation comes from. */
  source: string;
  /** True when the value exists and meets the bound. */
  pass: boolean;
}

/** The verdict on one expected result. */
export type CheckResult = ValueCheck | BeatsCheck | DerivedCheck;

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
  /** The trial's content hash: settings, seed, profile, backend, code and lock file. */
  hash?: string;
  /** True when the result was taken from the run store instead of being computed again. */
  cached?: boolean;
  /** The epoch a resumed trial continued after (its checkpoint). */
  resumedAfterEpoch?: number;
  /** The trial's measurements (merged into the run's `measurements` in `run.json`). */
  measurements?: Record<string, JsonValue>;
  /** Charts of the trial's measurements, by name (they vary between runs). */
  measuredArtifacts?: Record<string, JsonValue>;
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
  /**
   * The native BLAS under wasm's matmuls and filter gradients (lib/backend/native_blas.ts); absent
   * when the plain wasm kernels ran. Results may differ from plain wasm's in the last bits.
   */
  nativeBlas?: { name: string; library: string; version: string; threads: number };
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
  /** What the results depend on, hashed: the run store compares these to find stale results. */
  provenance?: Provenance;
  /** Problems with the task found while running (e.g. leaked tensors); the results are kept. */
  defects?: string[];
}

/** Content hashes of what produced a run (SHA-256, hex). */
export interface Provenance {
  /** The experiment file and the framework modules its task depends on. */
  codeHash: string;
  /** The files hashed into `codeHash`, relative to the project root. */
  codeFiles: string[];
  /** `deno.lock`. */
  lockHash: string;
  /** The resolved settings and seeds of every variant (what `config.json` holds). */
  settingsHash: string;
}

/** A profile's bound on a value, or `skip` where that profile trains too little to check it. */
export type ProfileBound = Bound & { skip?: true };

/** A published value an experiment must reproduce, as declared in its definition. */
export interface ValueExpectation {
  /** The variant whose across-seed mean is checked. */
  variant: string;
  /** A key of the trial's `final` metrics, e.g. `testErrorPercent`. */
  metric: string;
  /** The figure the source reports. */
  published: number;
  /** Where the figure comes from, precise enough to look it up (paper, table, page). */
  source: string;
  /** Bounds per profile; a profile without an entry uses `full`'s. */
  bounds: Record<string, ProfileBound>;
}

/** A comparison an experiment must show, as declared. */
export interface BeatsExpectation {
  /** Discriminates the expectation. */
  kind: "beats";
  /** The side that should win. */
  better: MetricSide;
  /** The side that should lose. */
  worse: MetricSide;
  /** Whether lower or higher wins. */
  direction: "lower" | "higher";
  /** Margin per profile (`full` always present); `skip` where a profile does not check it. */
  margins: Record<string, number | "skip">;
  /** What the source reports, in words. */
  published?: string;
  /** Where the comparison comes from. */
  source: string;
}

/** A derived quantity an experiment must produce within a range, as declared. */
export interface DerivedExpectation {
  /** Discriminates the expectation. */
  kind: "derived";
  /** The quantity's identifier. */
  name: string;
  /** What is computed, as declared (see `quantitySchema`). */
  quantity: { kind: string; [field: string]: JsonValue };
  /** The figure the source reports, if any. */
  published?: number;
  /** Where the expectation comes from. */
  source: string;
  /** Bounds per profile; a profile without an entry uses `full`'s. */
  bounds: Record<string, ProfileBound>;
}

/** Any expectation, as declared. */
export type Expectation = ValueExpectation | BeatsExpectation | DerivedExpectation;

/** A sweep as the report needs it: which variants it made and what it varied. */
export interface SweepRecord {
  /** The sweep's name. */
  name: string;
  /** How reports name it. */
  label: string;
  /** The swept setting paths, in order. */
  keys: string[];
  /** The template variants each point starts from; empty when it sweeps the base settings. */
  templates: string[];
  /** The variants it made, in order. */
  variants: string[];
}

/** Where a swept variant sits in its sweep. */
export interface SweepPoint {
  /** The sweep's name. */
  sweep: string;
  /** The template variant, if the sweep has templates. */
  template?: string;
  /** The point's index in the sweep, from 0 (per template). */
  index: number;
  /** Setting path -> value at this point. */
  values: Record<string, JsonValue>;
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
  /** The sweeps, in definition order; empty when there are none. */
  sweeps?: SweepRecord[];
  /** Swept variant -> its place in its sweep. */
  sweepPoints?: Record<string, SweepPoint>;
  /** Remarks for the report (e.g. where the paper trained longer). */
  notes?: string[];
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
