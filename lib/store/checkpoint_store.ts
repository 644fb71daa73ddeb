/**
 * Checkpoints on disk: a trial's state after each epoch, so that an interrupted trial resumes
 * where it stopped. The tensors go to one binary file and the state to a JSON file that names the
 * binary's checksum; both are written atomically, the binary first, so a crash at any point
 * leaves either the previous checkpoint or the new one, and a damaged one is ignored.
 *
 * @module
 */

import type { Checkpoint, SavedTensor, TrialCheckpoints } from "../experiment/checkpoints.ts";
import type { JsonValue } from "../experiment/records.ts";
import { writeFileAtomic, writeTextFileAtomic } from "../io/atomic_write.ts";
import { sha256Hex } from "./code_hash.ts";

interface Manifest {
  epoch: number;
  state: JsonValue;
  binary: string;
  sha256: string;
  tensors: {
    name: string;
    shape: number[];
    dtype: "float32" | "int32";
    offset: number;
    length: number;
  }[];
}

/**
 * The checkpoints of one trial, under `<store>/checkpoints/<hash>/`.
 *
 * @param store The store's directory.
 * @param hash The trial's content hash.
 * @param everySeconds The least time between checkpoints (0: after every epoch).
 * @returns Load and save.
 *
 * @example
 * ```ts
 * import { diskCheckpoints } from "./checkpoint_store.ts";
 * const checkpoints = diskCheckpoints(await Deno.makeTempDir(), "abc");
 * await checkpoints.save({
 *   epoch: 2, state: { step: 10 },
 *   tensors: { w: { shape: [2], dtype: "float32", values: Float32Array.of(0.5, -1) } },
 * });
 * const loaded = await checkpoints.load();
 * if (loaded?.epoch !== 2 || loaded.tensors.w.values[1] !== -1) throw new Error("lost");
 * ```
 */
export function diskCheckpoints(store: string, hash: string, everySeconds = 0): TrialCheckpoints & {
  /** Deletes the trial's checkpoints (after it finished). */
  clear(): Promise<void>;
} {
  const directory = `${store}/checkpoints/${hash}`;
  let last = performance.now();
  return {
    due() {
      return performance.now() - last >= everySeconds * 1000;
    },
    async load() {
      let manifest: Manifest;
      try {
        manifest = JSON.parse(await Deno.readTextFile(`${directory}/checkpoint.json`));
      } catch {
        return undefined;
      }
      let bytes: Uint8Array;
      try {
        bytes = await Deno.readFile(`${directory}/${manifest.binary}`);
      } catch {
        return undefined;
      }
      if (await sha256Hex(bytes) !== manifest.sha256) return undefined;
      const tensors: Record<string, SavedTensor> = {};
      for (const entry of manifest.tensors) {
        const slice = bytes.slice(entry.offset, entry.offset + entry.length * 4).buffer;
        tensors[entry.name] = {
          shape: entry.shape,
          dtype: entry.dtype,
          values: entry.dtype === "int32" ? new Int32Array(slice) : new Float32Array(slice),
        };
      }
      return { epoch: manifest.epoch, state: manifest.state, tensors } satisfies Checkpoint;
    },
    async save(checkpoint) {
      last = performance.now();
      const entries = Object.entries(checkpoint.tensors);
      const total = entries.reduce((sum, [, tensor]) => sum + tensor.values.length * 4, 0);
      const bytes = new Uint8Array(total);
      const tensors: Manifest["tensors"] = [];
      let offset = 0;
      for (const [name, tensor] of entries) {
        bytes.set(
          new Uint8Array(tensor.values.buffer, tensor.values.byteOffset, tensor.values.byteLength),
          offset,
        );
        tensors.push({
          name,
          shape: tensor.shape,
          dtype: tensor.dtype,
          offset,
          length: tensor.values.length,
        });
        offset += tensor.values.byteLength;
      }
      const binary = `epoch-${checkpoint.epoch}.bin`;
      await writeFileAtomic(`${directory}/${binary}`, bytes);
      const manifest: Manifest = {
        epoch: checkpoint.epoch,
        state: checkpoint.state,
        binary,
        sha256: await sha256Hex(bytes),
        tensors,
      };
      await writeTextFileAtomic(`${directory}/checkpoint.json`, JSON.stringify(manifest) + "\n");
      // Earlier epochs' binaries are no longer referenced.
      for await (const entry of Deno.readDir(directory)) {
        if (entry.name.endsWith(".bin") && entry.name !== binary) {
          await Deno.remove(`${directory}/${entry.name}`).catch(() => {});
        }
      }
    },
    async clear() {
      await Deno.remove(directory, { recursive: true }).catch(() => {});
    },
  };
}
