/**
 * Rendering reports from the records on disk: one experiment after its run, or every experiment
 * that has results plus the index (`deno task report`).
 *
 * @module
 */

import type { ExperimentHeader } from "../experiment/records.ts";
import { resolveExperiment } from "../experiment/resolve.ts";
import { findTask, TASK_KINDS } from "../tasks/registry.ts";
import { loadResults, writeExperimentReport, writeIndex } from "../report/write_report.ts";
import { importExperiment, listExperimentFiles } from "./load_experiment.ts";

/**
 * Renders one experiment's report, with its task's own sections.
 *
 * @param directory Where its records are, e.g. `reports/cnn`.
 */
export async function writeReportFor(directory: string): Promise<void> {
  const results = await loadResults(directory);
  const task = findTask(results.config.header.kind);
  const extraSections = task?.reportSections?.(results) ?? [];
  await writeExperimentReport(directory, { extraSections });
}

/**
 * Renders the report of every experiment that has results under `reportsDirectory`, then the
 * index of all experiments (those without results are listed as not run).
 *
 * @param reportsDirectory Usually `reports`.
 * @param experimentsDirectory Usually `experiments`.
 * @returns The directories whose reports were written.
 */
export async function writeAllReports(
  reportsDirectory = "reports",
  experimentsDirectory = "experiments",
): Promise<string[]> {
  const written: string[] = [];
  for await (const entry of Deno.readDir(reportsDirectory)) {
    const directory = `${reportsDirectory}/${entry.name}`;
    if (!entry.isDirectory) continue;
    const hasMetrics = await Deno.stat(`${directory}/metrics.json`).then(() => true, () => false);
    if (!hasMetrics) continue;
    await writeReportFor(directory);
    written.push(directory);
  }
  await writeIndexOf(reportsDirectory, experimentsDirectory);
  return written.sort();
}

/**
 * Renders `reports/index.html`: every experiment file's header, with the results found on disk.
 *
 * @param reportsDirectory Usually `reports`.
 * @param experimentsDirectory Usually `experiments`.
 */
export async function writeIndexOf(
  reportsDirectory = "reports",
  experimentsDirectory = "experiments",
): Promise<void> {
  const headers: ExperimentHeader[] = [];
  for (const file of await listExperimentFiles(experimentsDirectory)) {
    headers.push(
      resolveExperiment(await importExperiment(file), file, findTask, TASK_KINDS).header,
    );
  }
  await writeIndex(reportsDirectory, headers);
}
