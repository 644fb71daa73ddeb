/**
 * Writing reports to disk: one experiment's page, or the index of all experiments. Everything is
 * rendered before anything is written, and writes are atomic, so an error leaves the previous
 * page as it was.
 *
 * @module
 */

import type { ExperimentHeader } from "../experiment/records.ts";
import { writeTextFileAtomic } from "../io/atomic_write.ts";
import { writeAssets } from "./assets.ts";
import { renderExperimentPage, type ReportSection } from "./experiment_page.ts";
import { type IndexEntry, renderIndexPage } from "./index_page.ts";
import { loadResults, ReportInputError } from "./load_results.ts";

export { loadResults, ReportInputError };
export type { ReportSection };

function parentOf(directory: string): string {
  const trimmed = directory.replace(/\/+$/, "");
  const slash = trimmed.lastIndexOf("/");
  if (slash < 0) return ".";
  return slash === 0 ? "/" : trimmed.slice(0, slash);
}

/**
 * Renders `<directory>/index.html` from the run's `metrics.json`, `run.json` and `config.json`,
 * and refreshes the shared assets in the parent directory (`reports/assets/`).
 *
 * @param directory The run's directory, e.g. `reports/cnn`.
 * @param options Task-specific sections to add after the shared ones.
 * @throws {ReportInputError} When a record is missing or malformed; the old page is kept.
 *
 * @example
 * ```ts ignore
 * import { writeExperimentReport } from "./write_report.ts";
 * await writeExperimentReport("reports/cnn");
 * ```
 */
export async function writeExperimentReport(
  directory: string,
  options: { extraSections?: ReportSection[] } = {},
): Promise<void> {
  const base = directory.replace(/\/+$/, "");
  const results = await loadResults(base);
  const html = await renderExperimentPage(results, { extraSections: options.extraSections });
  await writeAssets(parentOf(base));
  await writeTextFileAtomic(`${base}/index.html`, html);
}

async function exists(path: string): Promise<boolean> {
  return await Deno.stat(path).then(() => true, () => false);
}

/**
 * Renders `<reportsDirectory>/index.html`: every known experiment by chapter, with its status
 * from the results on disk. Results on disk for experiments not in `headers` are listed too,
 * from their `config.json`.
 *
 * @param reportsDirectory Usually `reports`.
 * @param headers The headers of every defined experiment.
 * @param broken Experiment files or definitions that could not be read, with why.
 * @param staleness Experiment id -> why its results may be out of date.
 *
 * @example
 * ```ts
 * import { writeIndex } from "./write_report.ts";
 * const dir = await Deno.makeTempDir();
 * await writeIndex(dir, []);
 * if (!(await Deno.readTextFile(`${dir}/index.html`)).includes("<h1>Experiment reports</h1>")) {
 *   throw new Error("no index");
 * }
 * ```
 */
export async function writeIndex(
  reportsDirectory: string,
  headers: ExperimentHeader[],
  broken: readonly { file: string; error: string }[] = [],
  staleness: ReadonlyMap<string, string> = new Map(),
): Promise<void> {
  const root = reportsDirectory.replace(/\/+$/, "");
  const known = new Map(headers.map((header) => [header.id, header]));
  const ids = new Set(known.keys());
  if (await exists(root)) {
    for await (const entry of Deno.readDir(root)) {
      if (entry.isDirectory && await exists(`${root}/${entry.name}/metrics.json`)) {
        ids.add(entry.name);
      }
    }
  }
  const entries: IndexEntry[] = [];
  for (const id of [...ids].sort()) {
    const directory = `${root}/${id}`;
    const hasPage = await exists(`${directory}/index.html`);
    let header = known.get(id);
    if (!(await exists(`${directory}/metrics.json`))) {
      if (header) entries.push({ header, hasPage });
      continue;
    }
    try {
      const { metrics, run, config } = await loadResults(directory);
      header ??= config.header;
      entries.push({
        header,
        results: { metrics, run },
        hasPage,
        ...(staleness.has(id) ? { staleness: staleness.get(id) } : {}),
      });
    } catch (error) {
      if (!(error instanceof ReportInputError)) throw error;
      header ??= {
        id,
        chapter: 0,
        title: id,
        reproduces: { claim: "", source: "" },
        kind: "",
        variantLabels: {},
        expect: [],
      };
      entries.push({ header, error: error.message, hasPage });
    }
  }
  const html = renderIndexPage(entries, "assets/", broken);
  await writeAssets(root);
  await writeTextFileAtomic(`${root}/index.html`, html);
}
