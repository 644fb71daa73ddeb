/**
 * Content hashes of what a result depends on: the experiment file and the framework modules its
 * task runs (followed through their static imports), and `deno.lock`. Editing any of them changes
 * the hash, which invalidates stored trials and marks published results as produced by older code.
 *
 * @module
 */

import { dirname, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { projectRoot } from "../io/project_paths.ts";

/**
 * SHA-256 of bytes or text, in hex.
 *
 * @param data The content.
 * @returns 64 hex digits.
 *
 * @example
 * ```ts
 * import { sha256Hex } from "./code_hash.ts";
 * const hash = await sha256Hex("abc");
 * if (!hash.startsWith("ba7816bf")) throw new Error(hash);
 * ```
 */
export async function sha256Hex(data: string | Uint8Array): Promise<string> {
  const bytes = typeof data === "string" ? new TextEncoder().encode(data) : data;
  const digest = await crypto.subtle.digest("SHA-256", bytes as Uint8Array<ArrayBuffer>);
  return [...new Uint8Array(digest)].map((byte) => byte.toString(16).padStart(2, "0")).join("");
}

/**
 * The relative modules a source file imports at run time: `import … from "./x.ts"`,
 * `export … from "./x.ts"`, `import "./x.ts"`. Type-only imports are left out (they run nothing).
 *
 * @param source The file's text.
 * @returns The specifiers, in order of appearance.
 *
 * @example
 * ```ts
 * import { relativeImports } from "./code_hash.ts";
 * const found = relativeImports(
 *   'import type { A } from "./a.ts";\nimport { b, type C } from "../b.ts";\nimport "./c.ts";',
 * );
 * if (found.join() !== "../b.ts,./c.ts") throw new Error(found.join());
 * ```
 */
export function relativeImports(source: string): string[] {
  const found: string[] = [];
  const statement =
    /(?:^|\n)\s*(import|export)\s+(type\s+)?([^;]*?)\s*from\s*["'](\.{1,2}\/[^"']+)["']/g;
  for (const match of source.matchAll(statement)) {
    if (match[2] === undefined) found.push(match[4]);
  }
  const bare = /(?:^|\n)\s*import\s*["'](\.{1,2}\/[^"']+)["']/g;
  for (const match of source.matchAll(bare)) found.push(match[1]);
  return found.filter((specifier, i) => found.indexOf(specifier) === i);
}

/**
 * Every project file a set of modules runs, following relative static imports.
 *
 * @param entries Module URLs (`import.meta.url`) or absolute paths.
 * @returns Absolute paths, sorted.
 */
export async function moduleClosure(entries: readonly string[]): Promise<string[]> {
  const seen = new Set<string>();
  const pending = entries.map((entry) => entry.startsWith("file:") ? fileURLToPath(entry) : entry);
  while (pending.length > 0) {
    const path = pending.pop()!;
    if (seen.has(path)) continue;
    seen.add(path);
    let source: string;
    try {
      source = await Deno.readTextFile(path);
    } catch {
      continue; // a module inside a bundle, or a generated one: nothing to follow
    }
    for (const specifier of relativeImports(source)) {
      pending.push(resolve(dirname(path), specifier));
    }
  }
  return [...seen].sort();
}

/** What a code hash covers. */
export interface CodeHash {
  /** SHA-256 over the files' paths and contents. */
  hash: string;
  /** The files, relative to the project root. */
  files: string[];
}

/**
 * Hashes a set of modules and everything they import.
 *
 * @param entries Module URLs or absolute paths.
 * @returns The hash and the files it covers.
 */
export async function codeHash(entries: readonly string[]): Promise<CodeHash> {
  const root = projectRoot();
  const files = await moduleClosure(entries);
  const parts: string[] = [];
  for (const file of files) {
    const text = await Deno.readTextFile(file).catch(() => "");
    parts.push(`${relative(root, file)}\u0000${await sha256Hex(text)}`);
  }
  return {
    hash: await sha256Hex(parts.join("\n")),
    files: files.map((file) => relative(root, file)),
  };
}

/**
 * The hash of `deno.lock` (the exact versions of every dependency).
 *
 * @returns Its SHA-256, or `none` when the project has no lock file.
 */
export async function lockHash(): Promise<string> {
  try {
    return await sha256Hex(await Deno.readFile(`${projectRoot()}/deno.lock`));
  } catch {
    return "none";
  }
}
