/**
 * Files of the project found from its root, whether the code runs from `lib/` or from a
 * `deno bundle` of it (e.g. `.gpu/main.js` from `../shared/tools/gpu-pack`), where every module's
 * `import.meta.url` is the bundle's own.
 *
 * @module
 */

import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

let root: string | undefined;

/**
 * The nearest folder at or above `directory` that holds a `deno.json`.
 *
 * @param directory Where to start, e.g. the folder of a module or of a bundle.
 * @returns The folder, or `undefined` when no ancestor has a `deno.json`.
 *
 * @example
 * ```ts
 * import { findProjectRoot } from "./project_paths.ts";
 * const root = await Deno.makeTempDir();
 * await Deno.writeTextFile(`${root}/deno.json`, "{}");
 * await Deno.mkdir(`${root}/.gpu`);
 * if (findProjectRoot(`${root}/.gpu`) !== root) throw new Error("not found from a bundle's folder");
 * ```
 */
export function findProjectRoot(directory: string): string | undefined {
  for (let current = directory;; current = dirname(current)) {
    if (existsSync(join(current, "deno.json"))) return current;
    if (dirname(current) === current) return undefined;
  }
}

/**
 * The project's root: the nearest folder above this module (or above the bundle that holds it)
 * with a `deno.json`, else the working directory.
 *
 * @returns An absolute path, without a trailing slash.
 *
 * @example
 * ```ts
 * import { existsSync } from "node:fs";
 * import { projectRoot } from "./project_paths.ts";
 * if (!existsSync(`${projectRoot()}/deno.json`)) throw new Error(projectRoot());
 * ```
 */
export function projectRoot(): string {
  root ??= findProjectRoot(dirname(fileURLToPath(import.meta.url))) ?? Deno.cwd();
  return root;
}

/**
 * A path inside the project.
 *
 * @param relative E.g. `lib/bench/torch_peer.py`; a trailing slash is kept (`join` keeps it).
 * @returns The absolute path.
 *
 * @example
 * ```ts
 * import { projectPath } from "./project_paths.ts";
 * if (!projectPath("data/").endsWith("/data/")) throw new Error(projectPath("data/"));
 * ```
 */
export function projectPath(relative: string): string {
  return join(projectRoot(), relative);
}
