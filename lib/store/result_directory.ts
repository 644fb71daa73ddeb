/**
 * Writing a result directory (`config.json`, `metrics.json`, `run.json`, the page) as one unit:
 * everything goes to a temporary directory beside it, the previous result moves to the store's
 * archive, and the new one takes its place. A crash leaves the old result or the new one, whole;
 * a result replaced by a newer run is never lost.
 *
 * @module
 */

import { dirname } from "node:path";

/** The output cannot be written: a read-only or missing place, a full disk, another experiment's results. */
export class OutputError extends Error {
  /**
   * Creates the error.
   *
   * @param message Which path, what went wrong, what to do.
   */
  constructor(message: string) {
    super(message);
    this.name = "OutputError";
  }
}

/**
 * Checks, before anything trains, that results can be written at `directory`: its parent can be
 * created and written to, and it does not hold another experiment's results.
 *
 * @param directory Where the results will go.
 * @param experiment The experiment's id.
 * @throws {OutputError} Naming the path and the reason.
 *
 * @example
 * ```ts
 * import { checkWritable, OutputError } from "./result_directory.ts";
 * const file = await Deno.makeTempFile();
 * try {
 *   await checkWritable(`${file}/results`, "cnn");
 *   throw new Error("should fail");
 * } catch (error) {
 *   if (!(error instanceof OutputError)) throw error;
 * }
 * ```
 */
export async function checkWritable(directory: string, experiment: string): Promise<void> {
  const parent = dirname(directory);
  try {
    await Deno.mkdir(parent, { recursive: true });
    const probe = `${parent}/.write-check-${Deno.pid}-${crypto.randomUUID().slice(0, 8)}`;
    await Deno.writeTextFile(probe, "");
    await Deno.remove(probe);
  } catch (error) {
    throw new OutputError(
      `${directory}: expected a folder the results can be written to, but ${parent} is not writable (${
        describe(error)
      }); choose another place with --out`,
    );
  }
  try {
    const config = JSON.parse(await Deno.readTextFile(`${directory}/config.json`));
    if (config.experiment !== undefined && config.experiment !== experiment) {
      throw new OutputError(
        `${directory}: expected this experiment's (${experiment}) results or an empty folder, found the results of "${config.experiment}"; choose another --out`,
      );
    }
  } catch (error) {
    if (error instanceof OutputError) throw error;
    // No config.json, or an unreadable one: nothing of another experiment's to protect.
  }
  try {
    const stat = await Deno.stat(directory);
    if (!stat.isDirectory) {
      throw new OutputError(`${directory}: expected a folder for the results, found a file`);
    }
  } catch (error) {
    if (error instanceof OutputError) throw error;
  }
}

/**
 * Writes a result directory as one unit, archiving the previous one.
 *
 * @param directory Where the results go.
 * @param files File name -> content.
 * @param archive Where the previous result goes (a path that does not exist yet).
 * @throws {OutputError} When writing fails (nothing already there is lost).
 *
 * @example
 * ```ts
 * import { writeResultDirectory } from "./result_directory.ts";
 * const root = await Deno.makeTempDir();
 * await writeResultDirectory(`${root}/cnn`, { "a.json": "1" }, `${root}/archive/1`);
 * await writeResultDirectory(`${root}/cnn`, { "a.json": "2" }, `${root}/archive/2`);
 * if (await Deno.readTextFile(`${root}/archive/2/a.json`) !== "1") throw new Error("lost");
 * if (await Deno.readTextFile(`${root}/cnn/a.json`) !== "2") throw new Error("not written");
 * ```
 */
export async function writeResultDirectory(
  directory: string,
  files: Record<string, string>,
  archive: string,
): Promise<void> {
  const trimmed = directory.replace(/\/+$/, "");
  await recoverResultDirectory(trimmed);
  const temporary = `${trimmed}.tmp-${Deno.pid}-${crypto.randomUUID().slice(0, 8)}`;
  try {
    await Deno.mkdir(temporary, { recursive: true });
    for (const [name, text] of Object.entries(files)) {
      await Deno.writeTextFile(`${temporary}/${name}`, text);
    }
    await Deno.writeTextFile(`${temporary}/.complete`, "");
  } catch (error) {
    await Deno.remove(temporary, { recursive: true }).catch(() => {});
    throw new OutputError(
      `${trimmed}: could not write the results (${
        describe(error)
      }); the previous results are untouched`,
    );
  }
  try {
    if (await exists(trimmed)) {
      await Deno.mkdir(dirname(archive), { recursive: true });
      await Deno.rename(trimmed, archive);
    }
    await Deno.rename(temporary, trimmed);
    await Deno.remove(`${trimmed}/.complete`).catch(() => {});
  } catch (error) {
    throw new OutputError(
      `${trimmed}: could not move the new results into place (${
        describe(error)
      }); they are complete in ${temporary}, and the previous ones in ${archive} if they were moved`,
    );
  }
}

/**
 * Finishes a swap a crash interrupted: when the result directory is missing but a complete
 * temporary one is beside it, that one takes its place.
 *
 * @param directory The result directory.
 */
export async function recoverResultDirectory(directory: string): Promise<void> {
  if (await exists(directory)) return;
  const parent = dirname(directory);
  const base = directory.slice(parent.length + 1);
  try {
    for await (const entry of Deno.readDir(parent)) {
      if (!entry.isDirectory || !entry.name.startsWith(`${base}.tmp-`)) continue;
      const candidate = `${parent}/${entry.name}`;
      if (await exists(`${candidate}/.complete`)) {
        await Deno.rename(candidate, directory);
        await Deno.remove(`${directory}/.complete`).catch(() => {});
        return;
      }
    }
  } catch {
    // No parent yet: nothing to recover.
  }
}

async function exists(path: string): Promise<boolean> {
  return await Deno.stat(path).then(() => true, () => false);
}

function describe(error: unknown): string {
  if (error instanceof Deno.errors.PermissionDenied) return "permission denied";
  if (error instanceof Deno.errors.NotFound) return "a folder on the way does not exist";
  const message = (error as Error).message ?? String(error);
  if (/No space left|ENOSPC|os error 28/i.test(message)) return "the disk is full";
  if (/Read-only|EROFS|os error 30/i.test(message)) return "the file system is read-only";
  if (/Not a directory|os error 20/i.test(message)) return "a file is in the way";
  return message.split("\n")[0];
}
