/**
 * Loading experiment files: importing one does no I/O and trains nothing, so the CLI and the
 * report index can import them freely.
 *
 * @module
 */

import { ConfigError } from "../experiment/config_error.ts";

/**
 * Imports an experiment file and returns its default export, unvalidated.
 *
 * @param file A path to a `.ts` file, relative to the working directory or absolute.
 * @returns The default export.
 * @throws {ConfigError} When the file does not exist or fails to load.
 */
export async function importExperiment(file: string): Promise<unknown> {
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
  try {
    const module = await import(new URL(`file://${absolute}`).href);
    return module.default;
  } catch (error) {
    throw new ConfigError([`${file}: failed to load: ${(error as Error).message}`]);
  }
}

/**
 * The experiment files under a directory, sorted.
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
