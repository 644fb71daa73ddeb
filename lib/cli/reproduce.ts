/**
 * `deno task reproduce`: run every experiment's profile (or the chosen ones, or one shard of
 * their trials), check every expectation, skip trials the store already has (re-running a sample
 * to verify them), catch published results whose definition changed, and print and write a
 * summary. `--status` lists published results that older code produced.
 *
 * @module
 */

import { type Command, InvalidArgumentError } from "@commander-js/extra-typings";
import { ConfigError } from "../experiment/config_error.ts";
import { resolveExperiment } from "../experiment/resolve.ts";
import { FULL_PROFILE } from "../experiment/profiles.ts";
import { type BackendRequest, BACKENDS } from "../backend/select_backend.ts";
import { createProgress, progressMode } from "../train/progress.ts";
import {
  assembleResults,
  executePlan,
  type ExperimentPlan,
  hashSettings,
  planExperiment,
  reverifyTrial,
  type RunOutcome,
  TrialError,
  type TrialResult,
} from "../run/run_experiment.ts";
import { toCanonicalJson } from "../io/canonical_json.ts";
import { writeTextFileAtomic } from "../io/atomic_write.ts";
import { type CatalogEntry, loadCatalog } from "./load_experiment.ts";
import { renderResultsPage, writeIndexOf } from "./reports.ts";
import { formatCheck } from "./verdicts.ts";
import { parseThreads, parseWorkers, THREADS_HELP, WORKERS_HELP } from "./thread_option.ts";
import { createPool } from "./workers.ts";
import { Option } from "@commander-js/extra-typings";
import { type Staleness, staleness } from "../store/staleness.ts";

/** One experiment's line of the summary. */
export interface ReproduceRow {
  /** The experiment. */
  experiment: string;
  /** Its file. */
  file: string;
  /** The profile that ran. */
  profile: string;
  /** Trials computed in this run. */
  computed: number;
  /** Trials taken from the store. */
  cached: number;
  /** Checks that passed, and all checks. */
  passed: number;
  /** All checks. */
  checks: number;
  /** The verdict. */
  status: "reproduced" | "not reproduced" | "failed" | "broken" | "stale definition" | "shard";
  /** Why, for anything but reproduced: failing checks, errors. */
  problems: string[];
  /** Where the results are. */
  directory?: string;
}

/** The summary `reproduce` writes. */
export interface ReproduceSummary {
  /** The profile. */
  profile: string;
  /** `i/n` when one shard ran. */
  shard?: string;
  /** One row per experiment. */
  rows: ReproduceRow[];
  /** Cached trials re-run, and whether each gave the same bytes. */
  verified: { trial: string; identical: boolean }[];
  /** True when everything was reproduced and verified. */
  ok: boolean;
}

function parseShard(value: string): { index: number; count: number } {
  const match = /^(\d+)\/(\d+)$/.exec(value);
  const index = Number(match?.[1]);
  const count = Number(match?.[2]);
  if (!match || count < 1 || index < 1 || index > count) {
    throw new InvalidArgumentError(`expected i/n with 1 <= i <= n (e.g. 2/4), found "${value}"`);
  }
  return { index, count };
}

function parseCount(value: string): number {
  if (!/^\d+$/.test(value)) {
    throw new InvalidArgumentError(`expected a whole number, found "${value}"`);
  }
  return Number(value);
}

/**
 * Adds the `reproduce` command.
 *
 * @param program The command-line program.
 */
export function reproduceCommand(program: Command) {
  program.command("reproduce")
    .description("run every experiment's profile, check every expectation, write a summary")
    .option("-p, --profile <name>", "profile to run (ci, full, ...)", "ci")
    .option("--only <ids>", "only these experiments, comma-separated", (v: string) => v.split(","))
    .option(
      "--shard <i/n>",
      "run only shard i of n of all the trials (merge them with merge)",
      parseShard,
    )
    .option("--store <directory>", "the run store", ".runs")
    .option(
      "--verify <n>",
      "re-run n stored trials and check they give the same bytes",
      parseCount,
      1,
    )
    .option("--status", "list published results older code produced; run nothing")
    .addOption(
      new Option("-b, --backend <name>", "tfjs backend").choices(["auto", ...BACKENDS] as const)
        .default("auto" as const),
    )
    .option("--threads <n>", THREADS_HELP, parseThreads)
    .option("--workers <n>", WORKERS_HELP, parseWorkers)
    .option("-q, --quiet", "print only the summary")
    .option("--no-report", "write the records but not the HTML reports")
    .action(async (options) => {
      const catalog = await loadCatalog();
      const selected = selectEntries(catalog, options.only);
      if (options.status) {
        const rows = await statusRows(selected);
        printStatus(rows);
        return;
      }
      const summary = await reproduce(selected, {
        profile: options.profile,
        shard: options.shard,
        store: options.store,
        verify: options.verify,
        backend: options.backend as BackendRequest,
        threads: options.threads,
        quiet: options.quiet ?? false,
        report: options.report,
        workers: options.workers,
      });
      printSummary(summary);
      if (!summary.ok) Deno.exitCode = 3;
    });
}

/** The catalog entries `--only` selects (all without it), checked by id. */
function selectEntries(catalog: CatalogEntry[], only: string[] | undefined): CatalogEntry[] {
  if (!only || only.length === 0) return catalog;
  const ids = catalog.flatMap((entry) => "header" in entry ? [entry.header.id] : []);
  const unknown = only.filter((id) => !ids.includes(id));
  if (unknown.length > 0) {
    throw new ConfigError(
      unknown.map((id) =>
        `--only ${id}: no experiment has that id; experiments: ${ids.join(", ")}`
      ),
    );
  }
  return catalog.filter((entry) => "header" in entry && only.includes(entry.header.id));
}

/** How to reproduce. */
export interface ReproduceOptions {
  /** The profile. */
  profile: string;
  /** Run one shard of the trials. */
  shard?: { index: number; count: number };
  /** The run store. */
  store: string;
  /** Stored trials to re-run and compare. */
  verify: number;
  /** The backend. */
  backend: BackendRequest;
  /** wasm threads. */
  threads?: number;
  /** Print only the summary. */
  quiet: boolean;
  /** Render pages. */
  report: boolean;
  /** Where published results are (default `reports`). */
  publishedRoot?: string;
  /** Trial worker processes (default one per core). */
  workers?: number;
}

/**
 * Reproduces the given experiments.
 *
 * @param entries Catalog entries (broken ones are reported as such).
 * @param options Profile, shard, store, verification.
 * @returns The summary (also written to the store).
 */
export async function reproduce(
  entries: readonly CatalogEntry[],
  options: ReproduceOptions,
): Promise<ReproduceSummary> {
  const progress = createProgress(progressMode(options.quiet));
  const rows: ReproduceRow[] = [];
  const plans: { entry: Extract<CatalogEntry, { header: unknown }>; plan: ExperimentPlan }[] = [];
  const startedAt = new Date();
  for (const entry of entries) {
    if ("error" in entry) {
      rows.push(brokenRow(entry.file, options.profile, entry.error));
      continue;
    }
    const stale = await definitionChanged(entry, options.publishedRoot ?? "reports");
    if (stale) {
      rows.push({
        ...emptyRow(entry, options.profile),
        status: "stale definition",
        problems: [stale],
      });
    }
    try {
      const plan = await planExperiment({
        file: entry.file,
        definition: entry.definition,
        definitionIndex: entry.index,
        tasks: entry.tasks,
        profile: options.profile,
        backend: options.backend,
        wasmThreads: options.threads,
        store: options.store,
        publishedRoot: options.publishedRoot,
        progress,
        command: ["reproduce", ...Deno.args.slice(1)],
        renderPage: options.report ? renderResultsPage : undefined,
      });
      plans.push({ entry, plan });
    } catch (error) {
      rows.push({
        ...emptyRow(entry, options.profile),
        status: "failed",
        problems: [messageOf(error)],
      });
    }
  }
  const keys = plans.flatMap(({ plan }) => plan.trials.map((trial) => trial.key));
  const mine = options.shard
    ? new Set(keys.filter((_, i) => i % options.shard!.count === options.shard!.index - 1))
    : undefined;
  const verified: ReproduceSummary["verified"] = [];
  const cachedPool: { plan: ExperimentPlan; key: string; hash: string }[] = [];
  const written = new Set<string>();
  // Every experiment's trials at once: the pool keeps each core busy across experiments. Without
  // a pool (one worker) the trials run in this process, one experiment after the other: trials
  // interleaved in one process would share its tensor count, which finds leaks.
  const pool = createPool(options.workers, true);
  const execute = async ({ entry, plan }: (typeof plans)[number]) => {
    try {
      return {
        entry,
        plan,
        ...(await executePlan(plan, { ...(mine ? { only: mine } : {}), pool })),
      };
    } catch (error) {
      if (!(error instanceof TrialError)) throw error;
      return { entry, plan, error };
    }
  };
  const executed: Awaited<ReturnType<typeof execute>>[] = [];
  if (pool) executed.push(...await Promise.all(plans.map(execute)));
  else for (const planned of plans) executed.push(await execute(planned));
  await pool?.close();
  for (const execution of executed) {
    const { entry, plan } = execution;
    if (rows.some((row) => row.experiment === entry.header.id && row.status === "failed")) continue;
    if (execution.error) {
      rows.push({
        ...emptyRow(entry, options.profile),
        status: "failed",
        problems: [execution.error.message],
      });
      continue;
    }
    const { results, defects } = execution as {
      results: Map<string, TrialResult>;
      defects: string[];
    };
    const cached = [...results.values()].filter((r) => r.cached).length;
    for (const [key, result] of results) {
      if (result.cached) cachedPool.push({ plan, key, hash: result.hash });
    }
    if (mine) {
      rows.push({
        ...emptyRow(entry, options.profile),
        status: "shard",
        computed: results.size - cached,
        cached,
        problems: defects,
      });
      continue;
    }
    const outcome = await assembleResults(plan, results, defects, startedAt);
    written.add(outcome.directory.replace(/\/[^/]+$/, ""));
    const existing = rows.find((row) => row.experiment === entry.header.id);
    const row = outcomeRow(entry, outcome);
    if (existing) {
      existing.problems.push(...row.problems.filter((p) => !existing.problems.includes(p)));
      Object.assign(existing, { ...row, status: existing.status, problems: existing.problems });
    } else {
      rows.push(row);
    }
  }
  // Re-run a sample of the stored trials: the store is trusted only as far as it reproduces.
  const sample = [...cachedPool].sort((a, b) => a.hash.localeCompare(b.hash)).slice(
    0,
    options.verify,
  );
  for (const { plan, key } of sample) {
    progress.log(`verify: re-running ${key} to compare with the store`);
    verified.push({ trial: key, identical: await reverifyTrial(plan, key) });
  }
  if (options.report) {
    for (const root of written) await writeIndexOf(root);
  }
  const ok = rows.every((row) => row.status === "reproduced" || row.status === "shard") &&
    verified.every((v) => v.identical);
  const summary: ReproduceSummary = {
    profile: options.profile,
    ...(options.shard ? { shard: `${options.shard.index}/${options.shard.count}` } : {}),
    rows,
    verified,
    ok,
  };
  const name = options.shard
    ? `${options.profile}-shard-${options.shard.index}-of-${options.shard.count}`
    : options.profile;
  await writeTextFileAtomic(`${options.store}/summary/${name}.json`, toCanonicalJson(summary));
  if (mine) {
    await writeTextFileAtomic(
      `${options.store}/shards/${name}.json`,
      toCanonicalJson({ profile: options.profile, shard: summary.shard!, trials: [...mine] }),
    );
  }
  return summary;
}

function emptyRow(
  entry: Extract<CatalogEntry, { header: unknown }>,
  profile: string,
): ReproduceRow {
  return {
    experiment: entry.header.id,
    file: entry.file,
    profile,
    computed: 0,
    cached: 0,
    passed: 0,
    checks: 0,
    status: "failed",
    problems: [],
  };
}

function brokenRow(file: string, profile: string, error: string): ReproduceRow {
  return {
    experiment: file,
    file,
    profile,
    computed: 0,
    cached: 0,
    passed: 0,
    checks: 0,
    status: "broken",
    problems: [error],
  };
}

function outcomeRow(
  entry: Extract<CatalogEntry, { header: unknown }>,
  outcome: RunOutcome,
): ReproduceRow {
  const { metrics } = outcome;
  const failing = metrics.checks.filter((check) => !check.pass).map((check) =>
    `${metrics.experiment}: ${formatCheck(check)}`
  );
  return {
    experiment: entry.header.id,
    file: entry.file,
    profile: metrics.profile,
    computed: metrics.trials.length - outcome.cachedTrials,
    cached: outcome.cachedTrials,
    passed: metrics.checks.filter((check) => check.pass).length,
    checks: metrics.checks.length,
    status: metrics.reproduced && outcome.defects.length === 0 ? "reproduced" : "not reproduced",
    problems: [...failing, ...outcome.defects.map((d) => `${metrics.experiment}: defect: ${d}`)],
    directory: outcome.directory,
  };
}

/**
 * Whether a published result's definition changed: its recorded settings differ from what the
 * experiment resolves to now at the full profile.
 *
 * @param entry The experiment.
 * @param publishedRoot Where published results are.
 * @returns A message when they differ; undefined when they match or there is no result.
 */
export async function definitionChanged(
  entry: Extract<CatalogEntry, { header: unknown }>,
  publishedRoot: string,
): Promise<string | undefined> {
  let recorded: { seeds: number[]; variants: Record<string, unknown> };
  try {
    recorded = JSON.parse(
      await Deno.readTextFile(`${publishedRoot}/${entry.header.id}/config.json`),
    );
  } catch {
    return undefined;
  }
  const resolved = resolveExperiment(entry.definition, entry.file, entry.tasks, {
    profile: FULL_PROFILE,
  });
  const now = await hashSettings({
    seeds: resolved.seeds,
    variants: Object.fromEntries(resolved.variants.map((v) => [v.name, v.settings as never])),
  });
  const then = await hashSettings(recorded as never);
  if (now === then) return undefined;
  return `${publishedRoot}/${entry.header.id} was produced by a different definition than ${entry.file} now holds (its resolved settings or seeds changed); rerun it: deno task run ${entry.file} --only ${entry.header.id}`;
}

async function statusRows(entries: readonly CatalogEntry[]): Promise<Staleness[]> {
  const rows: Staleness[] = [];
  for (const entry of entries) {
    if ("error" in entry) continue;
    rows.push(await staleness(entry, "reports"));
  }
  return rows;
}

function printStatus(rows: readonly Staleness[]): void {
  for (const row of rows) console.log(`${row.experiment}\t${row.state}\t${row.detail}`);
  const older = rows.filter((row) => row.state !== "current" && row.state !== "no result");
  console.log(
    `${rows.length} experiments: ${older.length} published result${
      older.length === 1 ? "" : "s"
    } produced by older code or another definition`,
  );
}

function printSummary(summary: ReproduceSummary): void {
  console.log(
    `\nreproduce [${summary.profile}${summary.shard ? `, shard ${summary.shard}` : ""}]`,
  );
  const header = ["experiment", "status", "checks", "computed", "stored", "results"];
  const lines = summary.rows.map((row) => [
    row.experiment,
    row.status,
    row.checks > 0 ? `${row.passed}/${row.checks}` : "-",
    String(row.computed),
    String(row.cached),
    row.directory ?? "-",
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((line) => line[i].length)));
  for (const line of [header, ...lines]) {
    console.log(line.map((cell, i) => cell.padEnd(widths[i])).join("  "));
  }
  for (const row of summary.rows) for (const problem of row.problems) console.log(`  ${problem}`);
  for (const v of summary.verified) {
    console.log(
      `verify ${v.trial}: ${v.identical ? "identical to the store" : "DIFFERS from the store"}`,
    );
  }
  console.log(summary.ok ? "all reproduced" : "NOT all reproduced");
}

function messageOf(error: unknown): string {
  return (error as Error).message ?? String(error);
}
