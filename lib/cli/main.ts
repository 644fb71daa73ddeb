/**
 * The command line: `run` an experiment, re-render `report`s, `list` experiments.
 *
 *     deno task run experiments/cnn.ts --profile ci --set train.epochs=3 --seed 7
 *
 * @module
 */

import { parseThreads, THREADS_HELP } from "./thread_option.ts";
import { Command, InvalidArgumentError, Option } from "@commander-js/extra-typings";
import { ConfigError } from "../experiment/config_error.ts";
import { type Override, overridesFromYaml, parseSetArgument } from "../experiment/overrides.ts";
import { type BackendRequest, BACKENDS } from "../backend/select_backend.ts";
import { createProgress, progressMode } from "../train/progress.ts";
import { runExperiment } from "../run/run_experiment.ts";
import { importExperiment, listExperimentFiles } from "./load_experiment.ts";
import { writeAllReports, writeIndexOf, writeReportFor } from "./reports.ts";

function parseSeed(value: string, previous: number[] = []): number[] {
  const seed = Number(value);
  if (!/^\d+$/.test(value) || seed > 0xffff_ffff) {
    throw new InvalidArgumentError(`expected an integer in [0, 2^32), found "${value}"`);
  }
  return [...previous, seed];
}

function formatValue(value: number): string {
  return Number.isInteger(value)
    ? value.toLocaleString("en-US")
    : String(Number(value.toPrecision(4)));
}

function formatBound(bound: { atMost?: number; atLeast?: number }): string {
  const { atMost, atLeast } = bound;
  if (atMost !== undefined && atMost === atLeast) return `must equal ${formatValue(atMost)}`;
  return [
    atLeast === undefined ? "" : `>= ${formatValue(atLeast)}`,
    atMost === undefined ? "" : `<= ${formatValue(atMost)}`,
  ].filter(Boolean).join(" and ");
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
    .option("--variant <name>", "run only this variant (repeatable)", collect)
    .addOption(
      new Option("-b, --backend <name>", "tfjs backend").choices(["auto", ...BACKENDS] as const)
        .default("auto" as const),
    )
    .option(
      "--threads <n>",
      THREADS_HELP,
      parseThreads,
    )
    .option("-o, --out <directory>", "where results go (default reports/<id>)")
    .option("-q, --quiet", "print nothing but errors and the final line")
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
      const definition = await importExperiment(file);
      const progress = createProgress(progressMode(options.quiet ?? false));
      const outcome = await runExperiment({
        file,
        definition,
        profile: options.profile,
        overrides,
        seeds: options.seed,
        variants: options.variant,
        backend: options.backend as BackendRequest,
        wasmThreads: options.threads,
        outDirectory: options.out,
        progress,
        command: ["run", ...Deno.args.slice(1)],
      });
      if (options.report) {
        await writeReportFor(outcome.directory);
        // Results in the usual place also update the index of all experiments.
        if (options.out === undefined) await writeIndexOf("reports");
      }
      const { metrics } = outcome;
      for (const check of metrics.checks) {
        console.log(
          `${check.pass ? "PASS" : "FAIL"} ${check.variant} ${check.metric} ${
            formatValue(check.value)
          } (${formatBound(check.bound)}, published ${
            formatValue(check.published)
          }; ${check.source})`,
        );
      }
      // Expectations of variants left out with --variant were not checked: say so.
      const unchecked = outcome.config.header.expect.filter((expectation) =>
        !metrics.checks.some((check) =>
          check.variant === expectation.variant && check.metric === expectation.metric
        )
      );
      for (const expectation of unchecked) {
        console.log(
          `NOT CHECKED ${expectation.variant} ${expectation.metric} (variant not run; published ${
            formatValue(expectation.published)
          })`,
        );
      }
      const partial = unchecked.length > 0
        ? ` (${metrics.checks.length} of ${outcome.config.header.expect.length} expectations checked)`
        : "";
      console.log(
        `${metrics.experiment} [${metrics.profile}, ${metrics.backend}]: ${
          metrics.reproduced ? "reproduced" : "NOT reproduced"
        }${partial} -> ${outcome.directory}/`,
      );
      if (!metrics.reproduced) Deno.exitCode = 3;
    });

  program.command("report")
    .description("render the HTML report of every experiment that has results, and the index")
    .option("-r, --reports <directory>", "where results are", "reports")
    .action(async (options) => {
      const written = await writeAllReports(options.reports);
      console.log(`wrote ${written.length} experiment reports and ${options.reports}/index.html`);
    });

  program.command("list")
    .description("list the experiments")
    .action(async () => {
      for (const file of await listExperimentFiles()) {
        const definition = await importExperiment(file) as {
          id?: string;
          chapter?: number;
          title?: string;
        };
        console.log(
          `${file}\tchapter ${definition.chapter}\t${definition.id}\t${definition.title}`,
        );
      }
    });
  return program;
}

if (import.meta.main) {
  try {
    await createProgram().parseAsync(Deno.args, { from: "user" });
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === "commander.helpDisplayed" || code === "commander.version") Deno.exit(0);
    if (code?.startsWith("commander.")) Deno.exit(2);
    if (error instanceof ConfigError) {
      console.error(`error: ${error.message.split("\n").join("\nerror: ")}`);
      Deno.exit(2);
    }
    throw error;
  }
}
