/**
 * Atomic file writes: the new content goes to a temporary file beside the target, which is then
 * renamed over it. A crash leaves either the old file or the new one, never half of one.
 *
 * @module
 */

/**
 * Writes text to `path` atomically, creating its directory if needed.
 *
 * @param path The file to write.
 * @param text The full new content.
 *
 * @example
 * ```ts
 * import { writeTextFileAtomic } from "./atomic_write.ts";
 * const dir = await Deno.makeTempDir();
 * await writeTextFileAtomic(`${dir}/a/b.txt`, "hello");
 * if (await Deno.readTextFile(`${dir}/a/b.txt`) !== "hello") throw new Error("not written");
 * ```
 */
export async function writeTextFileAtomic(path: string, text: string): Promise<void> {
  await writeFileAtomic(path, new TextEncoder().encode(text));
}

/**
 * Writes bytes to `path` atomically, creating its directory if needed.
 *
 * @param path The file to write.
 * @param bytes The full new content.
 *
 * @example
 * ```ts
 * import { writeFileAtomic } from "./atomic_write.ts";
 * const dir = await Deno.makeTempDir();
 * await writeFileAtomic(`${dir}/x.bin`, new Uint8Array([1, 2]));
 * ```
 */
export async function writeFileAtomic(path: string, bytes: Uint8Array): Promise<void> {
  const slash = path.lastIndexOf("/");
  const directory = slash >= 0 ? path.slice(0, slash) || "/" : ".";
  await Deno.mkdir(directory, { recursive: true });
  const temporary = `${path}.tmp-${Deno.pid}-${crypto.randomUUID().slice(0, 8)}`;
  try {
    await Deno.writeFile(temporary, bytes);
    await Deno.rename(temporary, path);
  } catch (error) {
    await Deno.remove(temporary).catch(() => {});
    throw error;
  }
}
