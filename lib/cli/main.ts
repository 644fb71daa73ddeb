/**
 * The command line: `run` an experiment, `reproduce` them all, re-render `report`s, `list`
 * experiments, `merge` shard stores, `compare` two result trees.
 *
 *     deno task run experiments/cnn.ts --profile ci --set train.epochs=3 --seed 7
 *
 * Exit codes: 0 reproduced; 2 bad input (reported before anything trains); 3 a result not
 * reproduced; 4 a trial failed (its finished trials are kept) or the task has a defect; 5 the
 * results could not be written; 130 interrupted.
 *
 * @module
 */

import { parseThreads, THREADS_HELP } from "./thread_option.ts";
import { Command, InvalidArgumentError, Option } from "@commander-js/extra-typings";
import { ConfigError } from "../experiment/config_error.ts";
import { type Override, overridesFromYaml, parseSetArgument } from "../experiment/overrides.ts";
import { type BackendRequest, BACKENDS } from "../backend/select_backend.ts";
import { createProgress, progressMode } from "../train/progress.ts";
import { runExperiment, type RunOutcome, TrialError } from "../run/run_experiment.ts";
import { runStatus } from "../run/run_status.ts";
import { parseWorkers, WORKERS_HELP } from "./thread_option.ts";
import { activePools, createPool } from "./workers.ts";
import { importExperiment, loadCatalog } from "./load_experiment.ts";
import { renderResultsPage, writeAllReports, writeIndexOf } from "./reports.ts";
import { formatCheck, uncheckedExpectations } from "./verdicts.ts";
import { MnistError } from "../data/mnist.ts";
import { NamesError } from "../data/names.ts";
import { ReportInputError } from "../report/load_results.ts";
import { HistoryTableError } from "../history/tables.ts";
import { OutputError } from "../store/result_directory.ts";
import { reproduceCommand } from "./reproduce.ts";
import { compareCommand } from "./compare.ts";
import { mergeCommand } from "./merge.ts";

function parseSeed(value: string, previous: number[] = []): number[] {
  const seed = Number(value);
  if (!/^\d+$/.test(value) || seed > 0xffff_ffff) {
    throw new InvalidArgumentError(`expected an integer in [0, 2^32), found "${value}"`);
  }
  return [...previous, seed];
}

function parseSeconds(value: string): number {
  const seconds = Number(value);
  if (value.trim() === "" || !Number.isFinite(seconds) || seconds < 0) {
    throw new InvalidArgumentError(`expected a number of seconds >= 0, found "${value}"`);
  }
  return seconds;
}

function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

/**
 * Builds the command-line program.
 *
 * @returns The commander program (call `.parseAsync(args, { from: "user" })`).
 */
export function createProgram() {
  const program = new Command("deno task")
    .description("Scripted, reproducible deep-learning experiments")
    .showHelpAfterError()
    .exitOverride();

  program.command("run")
    .description("train every variant of an experiment for each of its seeds and write its report")
    .argument("<file>", "experiment file, e.g. experiments/cnn.ts")
    .option("--only <id>", "run only this experiment of the file (repeatable)", collect)
    .option(
      "-p, --profile <name>",
      "reduced profile: full, ci, smoke, … as the file defines",
      "full",
    )
    .option(
      "-s, --set <key=value>",
      "override a setting (repeatable), e.g. train.epochs=3",
      collect,
    )
    .option("-c, --config <file.yaml>", "YAML file of overrides, applied before --set")
    .option("--seed <n>", "run this seed instead of the file's (repeatable)", parseSeed)
    .option("--variant <name>", "run only this variant or sweep (repeatable)", collect)
    .addOption(
      new Option("-b, --backend <name>", "tfjs backend").choices(["auto", ...BACKENDS] as const)
        .default("auto" as const),
    )
    .option("--threads <n>", THREADS_HELP, parseThreads)
    .option("--workers <n>", WORKERS_HELP, parseWorkers)
    .option("-o, --out <directory>", "where results go (default: decided by profile, see README)")
    .option(
      "--store <directory>",
      "the run store: trial cache, checkpoints, other profiles",
      ".runs",
    )
    .option("--no-cache", "compute every trial, even those the store has")
    .option(
      "--checkpoint-every <seconds>",
      "least seconds between a long trial's checkpoints (0: every epoch)",
      parseSeconds,
      30,
    )
    .option("-q, --quiet", "print nothing but errors and the verdicts")
    .option("--no-report", "write the records but not the HTML report")
    .action(async (file, options) => {
      const overrides: Override[] = [];
      if (options.config) {
        const text = await Deno.readTextFile(options.config).catch(() => {
          throw new ConfigError([
            `--config ${options.config}: expected a YAML file, found nothing at that path`,
          ]);
        });
        overrides.push(...overridesFromYaml(text, options.config));
      }
      overrides.push(...(options.set ?? []).map(parseSetArgument));
      const loaded = await importExperiment(file);
      const selected = selectDefinitions(loaded.definitions, options.only, file);
      if (options.out !== undefined && selected.length > 1) {
        throw new ConfigError([
          `--out ${options.out}: ${file} holds ${selected.length} experiments; pick one with --only <id> to give it an output folder`,
        ]);
      }
      const progress = createProgress(progressMode(options.quiet ?? false));
      const pool = createPool(options.workers, options.quiet ?? false);
      let failed = false;
      for (const definition of selected) {
        const outcome = await runExperiment({
          file,
          definition,
          definitionIndex: loaded.definitions.indexOf(definition),
          pool,
          tasks: loaded.tasks,
          profile: options.profile,
          overrides,
          seeds: options.seed,
          variants: options.variant,
          backend: options.backend as BackendRequest,
          wasmThreads: options.threads,
          outDirectory: options.out,
          store: options.store,
          useCache: options.cache,
          checkpointSeconds: options.checkpointEvery,
          progress,
          command: ["run", ...Deno.args.slice(1)],
          renderPage: options.report ? renderResultsPage : undefined,
        });
        if (
          options.report && (outcome.location === "published" || outcome.location === "profile")
        ) {
          await writeIndexOf(outcome.directory.replace(/\/[^/]+$/, ""));
        }
        failed = printVerdict(outcome) || failed;
      }
      await pool?.close();
      if (failed) Deno.exitCode = Deno.exitCode === 4 ? 4 : 3;
    });

  program.command("report")
    .description("render the HTML report of every experiment that has results, and the index")
    .option("-r, --reports <directory>", "a results tree", "reports")
    .action(async (options) => {
      const { written, problems } = await writeAllReports(options.reports);
      for (const problem of problems) console.error(`error: ${problem}`);
      console.log(
        `wrote ${written.length} experiment reports and ${options.reports}/index.html${
          problems.length > 0 ? `; ${problems.length} could not be rendered (above)` : ""
        }`,
      );
      if (problems.length > 0) Deno.exitCode = 2;
    });

  program.command("list")
    .description("list the experiments")
    .action(async () => {
      let broken = 0;
      for (const entry of await loadCatalog()) {
        if ("error" in entry) {
          broken++;
          console.log(`${entry.file}\tBROKEN\t${entry.error.split("\n").join("; ")}`);
        } else {
          console.log(
            `${entry.file}\tchapter ${entry.header.chapter}\t${entry.header.id}\t${entry.header.title}`,
          );
        }
      }
      if (broken > 0) Deno.exitCode = 2;
    });

  reproduceCommand(program);
  mergeCommand(program);
  compareCommand(program);
  return program;
}

/** The file's definitions `--only` selects (all without it), checked by id. */
function selectDefinitions(definitions: unknown[], only: string[] | undefined, file: string) {
  if (!only || only.length === 0) return definitions;
  const ids = definitions.map((definition) => (definition as { id?: unknown })?.id);
  const unknown = only.filter((id) => !ids.includes(id));
  if (unknown.length > 0) {
    throw new ConfigError(
      unknown.map((id) =>
        `--only ${id}: ${file} has no experiment with that id; its experiments: ${ids.join(", ")}`
      ),
    );
  }
  return definitions.filter((_, i) => only.includes(ids[i] as string));
}

/** Prints the checks and the verdict; returns true when not reproduced. */
function printVerdict(outcome: RunOutcome): boolean {
  const { metrics, config } = outcome;
  for (const check of metrics.checks) console.log(formatCheck(check));
  const unchecked = uncheckedExpectations(config.header, metrics, metrics.profile);
  for (const line of unchecked) console.log(line);
  for (const defect of outcome.defects) console.log(`DEFECT ${defect}`);
  const diverged = metrics.trials.filter((trial) => trial.diverged);
  for (const trial of diverged) {
    console.log(`DIVERGED ${trial.variant} seed ${trial.seed} at step ${trial.diverged!.step}`);
  }
  const partial = unchecked.length > 0
    ? ` (${metrics.checks.length} of ${
      metrics.checks.length + unchecked.length
    } expectations checked)`
    : "";
  const cached = outcome.cachedTrials > 0
    ? `; ${outcome.cachedTrials} of ${metrics.trials.length} trials from the store`
    : "";
  console.log(
    `${metrics.experiment} [${metrics.profile}, ${metrics.backend}]: ${
      metrics.reproduced ? "reproduced" : "NOT reproduced"
    }${partial}${cached} -> ${outcome.directory}/`,
  );
  if (outcome.defects.length > 0) Deno.exitCode = 4;
  return !metrics.reproduced;
}

/**
 * Runs the program and maps errors to messages and exit codes.
 *
 * @param args The command-line arguments.
 */
export async function main(args: string[]): Promise<void> {
  const command = `deno task ${args.join(" ")}`;
  const onInterrupt = () => {
    activePools.forEach((pool) => pool.kill());
    console.error(`\n${runStatus.interruptedMessage(command)}`);
    Deno.exit(130);
  };
  Deno.addSignalListener("SIGINT", onInterrupt);
  try {
    await createProgram().parseAsync(args, { from: "user" });
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === "commander.helpDisplayed" || code === "commander.version") Deno.exit(0);
    if (code?.startsWith("commander.")) Deno.exit(2);
    const inputErrors = [ConfigError, MnistError, NamesError, ReportInputError, HistoryTableError];
    if (inputErrors.some((kind) => error instanceof kind)) {
      console.error(`error: ${(error as Error).message.split("\n").join("\nerror: ")}`);
      Deno.exit(2);
    }
    if (error instanceof OutputError) {
      console.error(`error: ${error.message}`);
      Deno.exit(5);
    }
    activePools.forEach((pool) => pool.kill());
    if (error instanceof TrialError) {
      console.error(`error: ${error.message}`);
      console.error(runStatus.interruptedMessage(command).replace(/^interrupted: /, "kept: "));
      Deno.exit(4);
    }
    throw error;
  } finally {
    Deno.removeSignalListener("SIGINT", onInterrupt);
  }
}

if (import.meta.main) await main(Deno.args);
