/**
 * Rendering reports: one experiment's page from its records, every page of a results tree, and
 * the tree's index of all experiments. A bad record set is reported and skipped; the others are
 * still rendered.
 *
 * @module
 */

import type { ExperimentHeader } from "../experiment/records.ts";
import type { RunResults } from "../experiment/task.ts";
import { renderExperimentPage } from "../report/experiment_page.ts";
import { artifactEntries, renderArtifacts } from "../report/render_artifacts.ts";
import { loadResults, ReportInputError, writeIndex } from "../report/write_report.ts";
import { writeTextFileAtomic } from "../io/atomic_write.ts";
import { writeAssets } from "../report/assets.ts";
import { loadCatalog } from "./load_experiment.ts";
import { staleness } from "../store/staleness.ts";
import { FULL_PROFILE } from "../experiment/profiles.ts";

/**
 * Renders one experiment's page from its records, with its artifacts drawn by the shared
 * renderers (measured ones from `run.json` included).
 *
 * @param results The run's records.
 * @param staleness Why the results may be out of date, shown at the top of the page.
 * @returns The page's HTML.
 *
 * @example
 * ```ts
 * import { renderResultsPage } from "./reports.ts";
 * import { loadResults } from "../report/load_results.ts";
 * const html = await renderResultsPage(await loadResults("reports/cnn"));
 * if (!html.includes("<h1>LeNet-5 against a multilayer perceptron on MNIST</h1>")) throw new Error();
 * ```
 */
export async function renderResultsPage(
  results: RunResults,
  staleness?: string,
): Promise<string> {
  const labels = results.config.header.variantLabels;
  const entries = [
    ...artifactEntries(results.metrics.trials, labels),
    ...artifactEntries(
      results.run.trials.map((trial) => ({
        variant: trial.variant,
        seed: trial.seed,
        artifacts: trial.measuredArtifacts,
      })),
      labels,
      true,
    ),
  ];
  return await renderExperimentPage(results, {
    extraSections: renderArtifacts(entries),
    ...(staleness ? { staleness } : {}),
  });
}

/**
 * Renders the page of one result directory from the records on disk, and the shared assets.
 *
 * @param directory E.g. `reports/cnn`.
 * @param staleness Why the results may be out of date, shown at the top of the page.
 * @throws {ReportInputError} When a record is missing or malformed; the old page is kept.
 */
export async function writeReportFor(directory: string, staleness?: string): Promise<void> {
  const base = directory.replace(/\/+$/, "");
  const html = await renderResultsPage(await loadResults(base), staleness);
  await writeAssets(base.replace(/\/[^/]+$/, "") || ".");
  await writeTextFileAtomic(`${base}/index.html`, html);
}

/**
 * Renders every experiment page of a results tree, then its index. A bad record set is reported
 * in `problems` and the rest are still rendered.
 *
 * @param reportsDirectory A results tree, e.g. `reports` or `.runs/ci`.
 * @param experimentsDirectory Usually `experiments`.
 * @returns The directories written, and one message per one that could not be.
 * @throws {ReportInputError} When the results tree itself does not exist.
 *
 * @example
 * ```ts
 * import { writeAllReports } from "./reports.ts";
 * const tree = await Deno.makeTempDir();
 * await Deno.mkdir(`${tree}/broken`);
 * await Deno.writeTextFile(`${tree}/broken/metrics.json`, "not json");
 * const { written, problems } = await writeAllReports(tree);
 * if (written.length !== 0 || !problems[0].includes("metrics.json")) throw new Error(problems.join());
 * ```
 */
export async function writeAllReports(
  reportsDirectory = "reports",
  experimentsDirectory = "experiments",
): Promise<{ written: string[]; problems: string[] }> {
  const written: string[] = [];
  const problems: string[] = [];
  let entries: Deno.DirEntry[];
  try {
    entries = await Array.fromAsync(Deno.readDir(reportsDirectory));
  } catch {
    throw new ReportInputError(
      reportsDirectory,
      "expected a folder of results (one folder per experiment with metrics.json), found nothing there; run an experiment first",
    );
  }
  const notes = await stalenessNotes(reportsDirectory, experimentsDirectory);
  for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    const directory = `${reportsDirectory}/${entry.name}`;
    if (!entry.isDirectory) continue;
    const hasMetrics = await Deno.stat(`${directory}/metrics.json`).then(() => true, () => false);
    if (!hasMetrics) continue;
    try {
      await writeReportFor(directory, notes.get(entry.name));
      written.push(directory);
    } catch (error) {
      if (!(error instanceof ReportInputError)) throw error;
      problems.push(error.message);
    }
  }
  await writeIndexOf(reportsDirectory, experimentsDirectory);
  return { written, problems };
}

/**
 * Renders a results tree's index: every experiment of every file (broken ones listed with their
 * error), with the results found in the tree.
 *
 * @param reportsDirectory A results tree.
 * @param experimentsDirectory Usually `experiments`.
 */
export async function writeIndexOf(
  reportsDirectory = "reports",
  experimentsDirectory = "experiments",
): Promise<void> {
  const headers: ExperimentHeader[] = [];
  const broken: { file: string; error: string }[] = [];
  for (const entry of await loadCatalog(experimentsDirectory)) {
    if ("error" in entry) broken.push({ file: entry.file, error: entry.error });
    else headers.push(entry.header);
  }
  await writeIndex(
    reportsDirectory,
    headers,
    broken,
    await stalenessNotes(reportsDirectory, experimentsDirectory),
  );
}

/**
 * For each published result of a results tree that older code or another definition produced,
 * a sentence saying so (results of reduced profiles are not compared).
 *
 * @param reportsDirectory A results tree.
 * @param experimentsDirectory Usually `experiments`.
 * @returns Experiment id -> the sentence.
 */
export async function stalenessNotes(
  reportsDirectory: string,
  experimentsDirectory = "experiments",
): Promise<Map<string, string>> {
  const notes = new Map<string, string>();
  for (const entry of await loadCatalog(experimentsDirectory)) {
    if ("error" in entry) continue;
    const metrics = await Deno.readTextFile(`${reportsDirectory}/${entry.header.id}/metrics.json`)
      .then((text) => JSON.parse(text) as { profile?: string }, () => undefined);
    if (metrics?.profile !== FULL_PROFILE) continue;
    const state = await staleness(entry, reportsDirectory);
    if (state.state === "older code") {
      notes.set(
        entry.header.id,
        `Produced by an older commit (${state.detail}); \`deno task reproduce --status\` lists such results, and rerunning the experiment refreshes it.`,
      );
    } else if (state.state === "definition changed") {
      notes.set(
        entry.header.id,
        `Out of date: the experiment's definition changed since these results were produced (${state.detail}).`,
      );
    }
  }
  return notes;
}
