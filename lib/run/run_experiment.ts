/**
 * Running an experiment: resolve and validate it, check that its results can be written, load
 * its data, choose a backend, run every variant for every seed — taking finished trials from the
 * run store and resuming interrupted ones from their checkpoints — then write `config.json`,
 * `metrics.json`, `run.json` and the page as one unit.
 *
 * Where results go: the full profile's complete runs are the published results, under
 * `reports/<id>/`; other profiles' under `<store>/<profile>/<id>/`; runs with overrides, other
 * seeds or a subset of variants under `<store>/custom/<id>-<hash>/`. A result a newer run
 * replaces moves to `<store>/archive/`.
 *
 * @module
 */

import * as tf from "@tensorflow/tfjs";
import {
  describeBackend,
  type JsonValue,
  type MetricsRecord,
  type Provenance,
  type ResolvedConfigRecord,
  type RunRecord,
  type TrialMetrics,
  type TrialTiming,
} from "../experiment/records.ts";
import type { RunResults } from "../experiment/task.ts";
import {
  FULL_PROFILE,
  type ResolvedExperiment,
  resolveExperiment,
  type ResolveOptions,
  type TaskLookup,
} from "../experiment/resolve.ts";
import { summarizeTrials } from "../experiment/summarize.ts";
import { checkExpectations } from "../experiment/expectations.ts";
import { taskLookup } from "../tasks/registry.ts";
import {
  type BackendRequest,
  deviceLossAfterError,
  selectBackend,
  webGpuDeviceLost,
} from "../backend/select_backend.ts";
import { backendLabel } from "../backend/native_blas.ts";
import { createProgress, type Progress } from "../train/progress.ts";
import { toCanonicalJson } from "../io/canonical_json.ts";
import { describeEnvironment } from "./environment.ts";
import { type CodeHash, codeHash, lockHash, sha256Hex } from "../store/code_hash.ts";
import { type CachedTrial, readCachedTrial, writeCachedTrial } from "../store/trial_cache.ts";
import { diskCheckpoints } from "../store/checkpoint_store.ts";
import { checkWritable, writeResultDirectory } from "../store/result_directory.ts";
import { runStatus } from "./run_status.ts";
import type { TrialPool } from "./trial_pool.ts";

/** The modules every trial runs besides its task's: backend choice and the framework's kernels. */
const BACKEND_MODULES = [new URL("../backend/select_backend.ts", import.meta.url).href];

/** How to run. */
export interface RunOptions extends ResolveOptions {
  /** The definition file's path, as the user gave it: named in every message. */
  file: string;
  /** One experiment definition from the file. */
  definition: unknown;
  /** Its position in the file's default export (an array), so worker processes can find it. */
  definitionIndex?: number;
  /** Run trials in parallel in these worker processes (in this process without one). */
  pool?: TrialPool;
  /** The task kinds (built-in plus the file's own); the built-in ones unless given. */
  tasks?: TaskLookup;
  /** `auto` unless given. */
  backend?: BackendRequest;
  /** Threads for the wasm backend (default: one per core). */
  wasmThreads?: number;
  /** Where results go; by default decided by the profile and overrides (see the module doc). */
  outDirectory?: string;
  /** The run store (trial cache, checkpoints, other profiles' results); `.runs` unless given. */
  store?: string;
  /** Where published (full-profile) results go; `reports` unless given. */
  publishedRoot?: string;
  /** Take finished trials from the store (default true). */
  useCache?: boolean;
  /** The least seconds between a long trial's checkpoints (default 30; 0: after every epoch). */
  checkpointSeconds?: number;
  /** Progress reporting; quiet unless given. */
  progress?: Progress;
  /** The command line, for `run.json`. */
  command?: string[];
  /** Renders the page from the records, written with them; no page unless given. */
  renderPage?: (results: RunResults) => Promise<string>;
}

/** What a run produced and where it wrote it. */
export interface RunOutcome extends RunResults {
  /** The directory the records were written to. */
  directory: string;
  /** Published results, another profile's, a custom run's, or an explicit `--out`. */
  location: "published" | "profile" | "custom" | "out";
  /** Trials taken from the store instead of computed. */
  cachedTrials: number;
  /** Problems with the task found while running (e.g. leaked tensors); the results are kept. */
  defects: string[];
  /** The resolved experiment. */
  resolved: ResolvedExperiment;
}

/** A trial that failed: the run stops, its finished trials stay in the store. */
export class TrialError extends Error {
  /**
   * Creates the error.
   *
   * @param message What failed and what was kept.
   * @param cause The original error.
   */
  constructor(message: string, cause: unknown) {
    super(message, { cause });
    this.name = "TrialError";
  }
}

/**
 * Where an experiment's results go.
 *
 * @param resolved The resolved experiment.
 * @param options Out directory, store and published root.
 * @param settingsHash The hash of its resolved settings (names custom runs).
 * @returns The directory and what kind of location it is.
 *
 * @example
 * ```ts ignore
 * const { directory } = resultLocation(resolved, {}, hash); // reports/cnn for a full run
 * ```
 */
export function resultLocation(
  resolved: ResolvedExperiment,
  options: Pick<RunOptions, "outDirectory" | "store" | "publishedRoot">,
  settingsHash: string,
): { directory: string; location: RunOutcome["location"] } {
  const id = resolved.header.id;
  const store = options.store ?? ".runs";
  if (options.outDirectory !== undefined) {
    return { directory: options.outDirectory.replace(/\/+$/, ""), location: "out" };
  }
  if (!resolved.complete) {
    return { directory: `${store}/custom/${id}-${settingsHash.slice(0, 10)}`, location: "custom" };
  }
  if (resolved.profile === FULL_PROFILE) {
    return { directory: `${options.publishedRoot ?? "reports"}/${id}`, location: "published" };
  }
  return { directory: `${store}/${resolved.profile}/${id}`, location: "profile" };
}

/** A trial to run: its place in the experiment and its content hash. */
export interface PlannedTrial {
  /** `<experiment>/<variant>/<seed>`: how shards and reports name it. */
  key: string;
  /** The variant. */
  variant: ResolvedExperiment["variants"][number];
  /** The seed. */
  seed: number;
  /** Its content hash (settings, seed, profile, backend, code, lock file). */
  hash: string;
}

/** An experiment resolved, checked and ready to run: everything decided before training. */
export interface ExperimentPlan {
  /** The resolved experiment. */
  resolved: ResolvedExperiment;
  /** What goes into `config.json`. */
  config: ResolvedConfigRecord;
  /** Where the results go. */
  directory: string;
  /** What kind of place that is. */
  location: RunOutcome["location"];
  /** The backend chosen and initialised. */
  backend: RunRecord["backend"];
  /** Every trial, in order: variants, then seeds. */
  trials: PlannedTrial[];
  /** The hashes `run.json` records. */
  provenance: Provenance;
  /** The run store. */
  store: string;
  /** The options it was planned with. */
  options: RunOptions;
}

/**
 * Resolves an experiment, checks that its results can be written, loads its data, chooses the
 * backend and hashes every trial. Nothing trains.
 *
 * @param options The definition, its file name, profile, overrides, backend and store.
 * @returns The plan.
 * @throws {ConfigError} When the definition or an override is invalid.
 * @throws {OutputError} When the results could not be written.
 */
export async function planExperiment(options: RunOptions): Promise<ExperimentPlan> {
  const progress = options.progress ?? createProgress("quiet");
  const store = options.store ?? ".runs";
  const resolved = resolveExperiment(
    options.definition,
    options.file,
    options.tasks ?? taskLookup(),
    options,
  );
  const { task, header } = resolved;
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
  const settingsHash = await hashSettings(config);
  const { directory, location } = resultLocation(resolved, options, settingsHash);
  await checkWritable(directory, header.id);

  await task.prepare?.(resolved.variants.map((variant) => variant.settings));
  const kernels = [...new Set(resolved.variants.flatMap((v) => task.requiredKernels(v.settings)))];
  const backend = await selectBackend(options.backend ?? "auto", kernels, options.wasmThreads);
  progress.log(`backend: ${describeBackend(backend)} (${backend.reason})`);
  const backendKey = [
    backend.name,
    backend.adapter?.description ?? "",
    // A native BLAS changes results in the last bits: its version, kernels and threads key them.
    ...(backend.nativeBlas
      ? [`${backend.nativeBlas.version}, ${backend.nativeBlas.threads} threads`]
      : []),
  ].join("|");
  const lock = await lockHash();
  const codes = await variantCodeHashes(resolved);
  const trials: PlannedTrial[] = [];
  for (const variant of resolved.variants) {
    const code = codes.get(variant.name)!;
    for (const seed of resolved.seeds) {
      const hash = await sha256Hex(toCanonicalJson({
        experiment: header.id,
        variant: variant.name,
        settings: variant.settings as JsonValue,
        seed,
        // Charts are drawn for the first seed only (the report shows that one).
        charts: seed === resolved.seeds[0],
        profile: resolved.profile,
        backend: backendKey,
        code: code.hash,
        lock,
      }));
      trials.push({ key: `${header.id}/${variant.name}/${seed}`, variant, seed, hash });
    }
  }
  const provenance: Provenance = {
    ...(await combineCodeHashes(codes)),
    lockHash: lock,
    settingsHash,
  };
  return { resolved, config, directory, location, backend, trials, provenance, store, options };
}

/**
 * The code each variant's trials run: the experiment file, the backend modules and the task's
 * modules for its settings, with everything they import, hashed.
 *
 * @param resolved The resolved experiment.
 * @returns Variant name -> its code hash.
 */
export async function variantCodeHashes(
  resolved: ResolvedExperiment,
): Promise<Map<string, CodeHash>> {
  const experimentFile = new URL(resolved.file, `file://${Deno.cwd()}/`).href;
  const byModules = new Map<string, CodeHash>();
  const result = new Map<string, CodeHash>();
  for (const variant of resolved.variants) {
    const modules = resolved.task.modules(variant.settings);
    const key = modules.join("\n");
    if (!byModules.has(key)) {
      byModules.set(key, await codeHash([experimentFile, ...BACKEND_MODULES, ...modules]));
    }
    result.set(variant.name, byModules.get(key)!);
  }
  return result;
}

/**
 * One hash for an experiment's code, from its variants' code hashes.
 *
 * @param codes Variant -> code hash.
 * @returns The combined hash and every file it covers.
 */
export async function combineCodeHashes(
  codes: ReadonlyMap<string, CodeHash>,
): Promise<{ codeHash: string; codeFiles: string[] }> {
  const hashes = [...new Set([...codes.values()].map((code) => code.hash))].sort();
  return {
    codeHash: await sha256Hex(hashes.join("\n")),
    codeFiles: [...new Set([...codes.values()].flatMap((code) => code.files))].sort(),
  };
}

/**
 * Runs a stored trial again, ignoring the store, and tells whether it gives the same bytes.
 *
 * @param plan The trial's experiment plan.
 * @param key The trial's key.
 * @returns True when the new results equal the stored ones exactly.
 */
export async function reverifyTrial(plan: ExperimentPlan, key: string): Promise<boolean> {
  const planned = plan.trials.find((trial) => trial.key === key);
  if (!planned) throw new RangeError(`Expected a trial of the plan, found "${key}"`);
  const stored = await readCachedTrial(plan.store, planned.hash);
  if (stored.status !== "hit") return false;
  const progress = plan.options.progress ?? createProgress("quiet");
  const fresh = await executeTrial(
    plan.resolved,
    planned,
    `${plan.store}/verify`,
    plan.backend.name,
    progress,
    [],
  );
  return toCanonicalJson(fresh.trial) === toCanonicalJson(stored.entry.trial);
}

/**
 * The hash of an experiment's resolved seeds and settings: what `config.json` records and what a
 * changed definition changes.
 *
 * @param config The resolved config record.
 * @returns SHA-256, hex.
 */
export async function hashSettings(
  config: Pick<ResolvedConfigRecord, "seeds" | "variants">,
): Promise<string> {
  return await sha256Hex(toCanonicalJson({ seeds: config.seeds, variants: config.variants }));
}

/** A trial's results, computed now or taken from the store. */
export type TrialResult = CachedTrial & { cached: boolean };

/** How to execute a plan. */
export interface ExecuteOptions {
  /** Compute only the trials whose keys are listed (a shard); the others are left out. */
  only?: ReadonlySet<string>;
  /** Compute nothing: every trial must be in the store (merging shards). */
  cacheOnly?: boolean;
  /** Run the trials in these worker processes, in parallel (needs the definition's file and index). */
  pool?: TrialPool;
}

/**
 * Runs a plan's trials, taking finished ones from the store, resuming interrupted ones from
 * their checkpoints, and storing each as it finishes.
 *
 * @param plan The plan.
 * @param execute A shard's trials, or cache only.
 * @returns The trials' results by key, in plan order; a problem list of defects.
 * @throws {TrialError} When a trial fails, or (cache only) is missing from the store.
 */
export async function executePlan(
  plan: ExperimentPlan,
  execute: ExecuteOptions = {},
): Promise<{ results: Map<string, TrialResult>; defects: string[] }> {
  const { options, resolved, store } = plan;
  const progress = options.progress ?? createProgress("quiet");
  const results = new Map<string, TrialResult>();
  const defects: string[] = [];
  const wanted = plan.trials.filter((trial) => !execute.only || execute.only.has(trial.key));
  const status = runStatus.begin({ experiment: resolved.header.id, store, total: wanted.length });
  const parallel = execute.pool && options.definitionIndex !== undefined && !execute.cacheOnly
    ? execute.pool
    : undefined;
  const pending: PlannedTrial[] = [];
  for (const planned of wanted) {
    const label = `${planned.variant.name} seed ${planned.seed}`;
    const cached = options.useCache === false && !execute.cacheOnly
      ? { status: "miss" as const }
      : await readCachedTrial(store, planned.hash);
    if (cached.status === "corrupt") {
      progress.log(
        `store: the stored result of ${label} is unusable (${cached.reason}); computing it again`,
      );
    }
    if (cached.status === "hit") {
      results.set(planned.key, { ...cached.entry, cached: true });
      progress.log(`store: ${label} taken from the store (${planned.hash.slice(0, 12)})`);
      runStatus.finished(label, status);
    } else if (execute.cacheOnly) {
      throw new TrialError(
        `${options.file}: ${label} is not in the store ${store} (hash ${
          planned.hash.slice(0, 12)
        }); the shard that runs it is missing, or ran other code`,
        undefined,
      );
    } else if (parallel) {
      pending.push(planned);
    } else {
      const entry = await executeTrial(
        resolved,
        planned,
        store,
        plan.backend.name,
        progress,
        defects,
      );
      await writeCachedTrial(store, entry);
      results.set(planned.key, { ...entry, cached: false });
      runStatus.finished(label, status);
    }
  }
  if (parallel && pending.length > 0) {
    await runInPool(plan, pending, parallel, results, defects, progress, status);
  }
  return { results, defects };
}

/** Runs trials in the pool's workers and reads their results back from the store. */
async function runInPool(
  plan: ExperimentPlan,
  pending: readonly PlannedTrial[],
  pool: TrialPool,
  results: Map<string, TrialResult>,
  defects: string[],
  progress: Progress,
  status: ReturnType<typeof runStatus.begin>,
): Promise<void> {
  const { options, store } = plan;
  const failures: string[] = [];
  progress.log(
    `running ${pending.length} trials in ${Math.min(pool.size, pending.length)} worker processes`,
  );
  await Promise.all(pending.map(async (planned) => {
    const label = `${planned.variant.name} seed ${planned.seed}`;
    const reply = await pool.run({
      file: options.file,
      index: options.definitionIndex!,
      options: {
        profile: options.profile,
        overrides: options.overrides,
        seeds: options.seeds,
        variants: options.variants,
      },
      key: planned.key,
      variant: planned.variant.name,
      seed: planned.seed,
      hash: planned.hash,
      store,
      backend: plan.backend.name,
      checkpointSeconds: options.checkpointSeconds,
    });
    if (!reply.ok) {
      failures.push(`${options.file}: variant ${label} failed: ${reply.error}`);
      return;
    }
    defects.push(...(reply.defects ?? []));
    const stored = await readCachedTrial(store, planned.hash);
    if (stored.status !== "hit") {
      failures.push(
        `${options.file}: variant ${label}: its worker reported success but the store has no result`,
      );
      return;
    }
    results.set(planned.key, { ...stored.entry, cached: false });
    runStatus.finished(label, status);
    progress.log(`${label}: done (${results.size} of ${plan.trials.length})`);
  }));
  if (failures.length > 0) throw new TrialError(failures.join("\n"), undefined);
}

/**
 * Summarises the trials, checks the expectations and writes the records (and the page) as one
 * unit.
 *
 * @param plan The plan.
 * @param results Every trial's results.
 * @param defects Problems found while running.
 * @param startedAt When the run started.
 * @returns The outcome.
 */
export async function assembleResults(
  plan: ExperimentPlan,
  results: Map<string, TrialResult>,
  defects: string[],
  startedAt: Date,
): Promise<RunOutcome> {
  const { resolved, config, backend, options, store } = plan;
  const { header } = resolved;
  const environment = await describeEnvironment();
  const ordered = plan.trials.map((planned) => results.get(planned.key)!);
  const trials = ordered.map((entry) => entry.trial);
  const summary = summarizeTrials(trials);
  const checks = checkExpectations(header.expect, {
    summary,
    trials,
    sweeps: header.sweeps ?? [],
    points: header.sweepPoints ?? {},
  }, resolved.profile);
  const metrics: MetricsRecord = {
    experiment: header.id,
    profile: resolved.profile,
    // `wasm+openblas` where a native BLAS ran: its results may differ from plain wasm's.
    backend: backendLabel(backend),
    trials,
    summary,
    checks,
    reproduced: trials.length > 0 && checks.every((check) => check.pass),
  };
  const measurements: Record<string, JsonValue> = {};
  for (const entry of ordered) Object.assign(measurements, entry.run.measurements ?? {});
  const run: RunRecord = {
    experiment: header.id,
    profile: resolved.profile,
    startedAt: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    wallSeconds: (Date.now() - startedAt.getTime()) / 1000,
    command: options.command ?? [],
    backend,
    ...environment,
    trials: ordered.map(({ run: { measurements: _m, ...timing }, cached }) => ({
      ...timing,
      ...(cached ? { cached: true } : {}),
    })),
    measurements,
    provenance: plan.provenance,
    ...(defects.length > 0 ? { defects } : {}),
  };
  const files: Record<string, string> = {
    "config.json": toCanonicalJson(config),
    "metrics.json": toCanonicalJson(metrics),
    "run.json": toCanonicalJson(run),
  };
  if (options.renderPage) files["index.html"] = await options.renderPage({ metrics, run, config });
  const archive = `${store}/archive/${header.id}/${resolved.profile}-${
    startedAt.toISOString().replace(/[:.]/g, "-")
  }`;
  await writeResultDirectory(plan.directory, files, archive);
  return {
    metrics,
    run,
    config,
    directory: plan.directory,
    location: plan.location,
    cachedTrials: ordered.filter((entry) => entry.cached).length,
    defects,
    resolved,
  };
}

/**
 * Runs an experiment and writes its records: {@linkcode planExperiment}, then
 * {@linkcode executePlan}, then {@linkcode assembleResults}.
 *
 * @param options The definition, its file name, profile, overrides, backend and store.
 * @returns The records and where they were written.
 * @throws {ConfigError} Before anything trains, when the definition or an override is invalid.
 * @throws {OutputError} Before anything trains, when the results could not be written.
 * @throws {TrialError} When a trial fails; the finished trials stay in the store.
 *
 * @example
 * ```ts
 * import { runExperiment } from "./run_experiment.ts";
 * import { defineExperiment } from "../tasks/define_experiment.ts";
 * const { metrics, directory } = await runExperiment({
 *   file: "xor.ts",
 *   definition: defineExperiment({
 *     id: "xor", chapter: 5, title: "XOR", kind: "fit", seeds: [1],
 *     reproduces: { claim: "a hidden layer solves XOR", source: "Goodfellow et al. 2016, §6.1" },
 *     data: { kind: "xorTable", target: "labels" },
 *     model: { kind: "layers", layers: [
 *       { kind: "dense", units: 8, activation: "tanh" }, { kind: "dense", units: 2 },
 *     ] },
 *     train: { epochs: 150, batchSize: 4, optimizer: { kind: "adam", learningRate: 0.05 } },
 *     variants: [{ name: "mlp" }],
 *     expect: [{ variant: "mlp", metric: "testErrorPercent", published: 0, atMost: 0, source: "the truth table" }],
 *   }),
 *   backend: "cpu",
 *   outDirectory: await Deno.makeTempDir(),
 *   store: await Deno.makeTempDir(),
 * });
 * if (!metrics.reproduced) throw new Error(`not solved: ${JSON.stringify(metrics.checks)}`);
 * if (!(await Deno.stat(`${directory}/metrics.json`)).isFile) throw new Error("not written");
 * ```
 */
export async function runExperiment(options: RunOptions): Promise<RunOutcome> {
  const startedAt = new Date();
  const plan = await planExperiment(options);
  const { results, defects } = await executePlan(plan, { pool: options.pool });
  return await assembleResults(plan, results, defects, startedAt);
}

/**
 * Runs one trial: the task's `runTrial` with checkpoints in the store, then the checks that a
 * trial left no tensors behind and that the WebGPU device is still there.
 *
 * @param resolved The experiment.
 * @param planned The trial.
 * @param store The run store (checkpoints).
 * @param backend The backend's name.
 * @param progress Progress reporting.
 * @param defects Where problems with the task go (leaked tensors).
 * @param checkpointSeconds The least seconds between checkpoints.
 * @returns The trial's results.
 * @throws {TrialError} When the trial fails or the WebGPU device was lost.
 */
export async function executeTrial(
  resolved: ResolvedExperiment,
  planned: PlannedTrial,
  store: string,
  backend: string,
  progress: Progress,
  defects: string[],
  checkpointSeconds = 30,
): Promise<CachedTrial> {
  const { variant, seed, hash } = planned;
  const charts = seed === resolved.seeds[0];
  const checkpoints = diskCheckpoints(store, hash, checkpointSeconds);
  const tensorsBefore = tf.memory().numTensors;
  const trialStarted = performance.now();
  let output;
  try {
    output = await resolved.task.runTrial({
      settings: variant.settings,
      variant: variant.name,
      seed,
      charts,
      backend,
      progress,
      checkpoints,
    });
  } catch (error) {
    const message = (error as Error).message ?? String(error);
    const lost = backend === "webgpu" ? await deviceLossAfterError() : undefined;
    throw new TrialError(
      `${resolved.file}: variant ${variant.name} seed ${seed} failed${
        lost ? ` because the WebGPU device was lost (${lost})` : ""
      }: ${message.split("\n")[0]}`,
      error,
    );
  }
  const lost = webGpuDeviceLost();
  if (lost) {
    throw new TrialError(
      `${resolved.file}: variant ${variant.name} seed ${seed}: the WebGPU device was lost (${lost}) during the trial, so its results are not kept; restart the run (a new process gets a new device), or use --backend wasm`,
      undefined,
    );
  }
  await checkpoints.clear();
  const leaked = tf.memory().numTensors - tensorsBefore;
  if (leaked !== 0) {
    const defect =
      `variant ${variant.name} seed ${seed} left ${leaked} tensors undisposed: a defect of the ${resolved.task.kind} task (its results are kept)`;
    defects.push(defect);
    progress.log(`warning: ${defect}`);
  }
  if (output.diverged) {
    progress.log(
      `variant ${variant.name} seed ${seed} diverged at step ${output.diverged.step} (the loss became NaN or infinite)`,
    );
  }
  const trial: TrialMetrics = {
    variant: variant.name,
    seed,
    final: output.final,
    curve: output.curve,
    artifacts: charts ? output.artifacts as Record<string, JsonValue> : {},
    ...(output.diverged ? { diverged: output.diverged } : {}),
  };
  const run: TrialTiming = {
    variant: variant.name,
    seed,
    wallSeconds: (performance.now() - trialStarted) / 1000,
    ...output.timing,
    hash,
    ...(output.resumedAfterEpoch === undefined
      ? {}
      : { resumedAfterEpoch: output.resumedAfterEpoch }),
    ...(output.measurements ? { measurements: output.measurements } : {}),
    ...(output.measuredArtifacts && charts
      ? { measuredArtifacts: output.measuredArtifacts as Record<string, JsonValue> }
      : {}),
  };
  return { hash, trial, run };
}
