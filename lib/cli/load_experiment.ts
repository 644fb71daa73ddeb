/**
 * Loading experiment files: importing one does no I/O and trains nothing, so the CLI and the
 * report index can import them freely. A file default-exports one definition or an array of them,
 * and may export `tasks`: kinds of its own. A broken file is reported on its own and never stops
 * the others from loading.
 *
 * @module
 */

import { ConfigError } from "../experiment/config_error.ts";
import { resolveExperiment, type TaskLookup } from "../experiment/resolve.ts";
import type { ExperimentHeader } from "../experiment/records.ts";
import { taskLookup } from "../tasks/registry.ts";

/** An experiment file's exports. */
export interface ExperimentFile {
  /** The path, as given. */
  file: string;
  /** Its definitions (one, or the array it exports). */
  definitions: unknown[];
  /** The built-in task kinds plus the file's own. */
  tasks: TaskLookup;
}

/**
 * Imports an experiment file.
 *
 * @param file A path to a `.ts` file, relative to the working directory or absolute.
 * @returns Its definitions and task kinds, unvalidated.
 * @throws {ConfigError} When the file does not exist, fails to load, or exports no definition.
 */
export async function importExperiment(file: string): Promise<ExperimentFile> {
  const absolute = file.startsWith("/") ? file : `${Deno.cwd()}/${file}`;
  try {
    const stat = await Deno.stat(absolute);
    if (!stat.isFile) {
      throw new ConfigError([`${file}: expected an experiment file, found a directory`]);
    }
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    throw new ConfigError([
      `${file}: expected an experiment file (e.g. experiments/cnn.ts), found nothing at that path`,
    ]);
  }
  let module: { default?: unknown; tasks?: unknown };
  try {
    module = await import(new URL(`file://${absolute}`).href);
  } catch (error) {
    throw new ConfigError([
      `${file}: failed to load: ${(error as Error).message.split("\n")[0]}`,
    ]);
  }
  if (module.tasks !== undefined && !Array.isArray(module.tasks)) {
    throw new ConfigError([
      `${file}: tasks: expected an array of tasks made with defineTask, found ${typeof module
        .tasks}`,
    ]);
  }
  const definitions = Array.isArray(module.default) ? module.default : [module.default];
  if (definitions.length === 0) {
    throw new ConfigError([
      `${file}: expected at least one experiment in the default export, found an empty array`,
    ]);
  }
  return { file, definitions, tasks: taskLookup((module.tasks ?? []) as unknown[], file) };
}

/**
 * The experiment files under a directory, sorted. Files starting with `_` are helpers, not
 * experiments.
 *
 * @param directory Usually `experiments`.
 * @returns Paths like `experiments/cnn.ts`.
 */
export async function listExperimentFiles(directory = "experiments"): Promise<string[]> {
  const files: string[] = [];
  for await (const entry of Deno.readDir(directory)) {
    if (entry.isFile && entry.name.endsWith(".ts") && !entry.name.startsWith("_")) {
      files.push(`${directory}/${entry.name}`);
    }
  }
  return files.sort();
}

/** One experiment of the catalog, or why it could not be read. */
export type CatalogEntry =
  | {
    file: string;
    index: number;
    header: ExperimentHeader;
    definition: unknown;
    tasks: TaskLookup;
  }
  | { file: string; index?: number; error: string };

/**
 * Every experiment of every file under a directory, validated at the full profile. A file that
 * fails to load or an experiment that fails to validate becomes an entry with its error; the
 * others are unaffected.
 *
 * @param directory Usually `experiments`.
 * @returns The entries, in file order, then definition order.
 *
 * @example
 * ```ts
 * import { loadCatalog } from "./load_experiment.ts";
 * const catalog = await loadCatalog("experiments");
 * const cnn = catalog.find((entry) => "header" in entry && entry.header.id === "cnn");
 * if (!cnn || !("header" in cnn) || cnn.header.chapter !== 9) throw new Error("no cnn");
 * ```
 */
export async function loadCatalog(directory = "experiments"): Promise<CatalogEntry[]> {
  const entries: CatalogEntry[] = [];
  for (const file of await listExperimentFiles(directory)) {
    let loaded: ExperimentFile;
    try {
      loaded = await importExperiment(file);
    } catch (error) {
      entries.push({ file, error: messageOf(error) });
      continue;
    }
    loaded.definitions.forEach((definition, index) => {
      try {
        const resolved = resolveExperiment(definition, file, loaded.tasks);
        entries.push({ file, index, header: resolved.header, definition, tasks: loaded.tasks });
      } catch (error) {
        entries.push({ file, index, error: messageOf(error) });
      }
    });
  }
  return entries;
}

function messageOf(error: unknown): string {
  if (error instanceof ConfigError) return error.message;
  return (error as Error).message ?? String(error);
}
