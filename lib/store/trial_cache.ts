/**
 * The store's trial cache: every finished trial, kept under its content hash, so that a rerun
 * skips it and an interrupted run resumes after the last finished one. An entry carries a
 * checksum of its payload; a corrupt or truncated entry is reported and computed again.
 *
 * @module
 */

import type { TrialMetrics, TrialTiming } from "../experiment/records.ts";
import { writeTextFileAtomic } from "../io/atomic_write.ts";
import { sha256Hex } from "./code_hash.ts";

/** One cached trial: its deterministic results and its run record. */
export interface CachedTrial {
  /** The trial's content hash. */
  hash: string;
  /** What goes into `metrics.json`. */
  trial: TrialMetrics;
  /** What goes into `run.json`. */
  run: TrialTiming;
}

/** What {@linkcode readCachedTrial} found. */
export type CacheLookup =
  | { status: "hit"; entry: CachedTrial }
  | { status: "miss" }
  | { status: "corrupt"; reason: string };

/**
 * The cache file of a trial.
 *
 * @param store The store's directory.
 * @param hash The trial's hash.
 * @returns Its path.
 */
export function cachePath(store: string, hash: string): string {
  return `${store}/trials/${hash.slice(0, 2)}/${hash}.json`;
}

/**
 * Stores a finished trial atomically.
 *
 * @param store The store's directory.
 * @param entry The trial.
 *
 * @example
 * ```ts
 * import { readCachedTrial, writeCachedTrial } from "./trial_cache.ts";
 * const store = await Deno.makeTempDir();
 * const trial = { variant: "a", seed: 1, final: { x: 1 }, curve: [], artifacts: {} };
 * await writeCachedTrial(store, { hash: "ab12", trial, run: { variant: "a", seed: 1, wallSeconds: 1 } });
 * const found = await readCachedTrial(store, "ab12");
 * if (found.status !== "hit" || found.entry.trial.final.x !== 1) throw new Error(found.status);
 * ```
 */
export async function writeCachedTrial(store: string, entry: CachedTrial): Promise<void> {
  // Full precision (not canonical JSON's 7 digits): summaries computed from cached trials must
  // equal those computed from fresh ones, bit for bit.
  const payload = { trial: entry.trial, run: entry.run };
  const text = JSON.stringify({
    hash: entry.hash,
    sha256: await sha256Hex(JSON.stringify(payload)),
    payload,
  });
  await writeTextFileAtomic(cachePath(store, entry.hash), text + "\n");
}

/**
 * Reads a cached trial, checking its checksum.
 *
 * @param store The store's directory.
 * @param hash The trial's hash.
 * @returns A hit, a miss, or why the entry is unusable.
 */
export async function readCachedTrial(store: string, hash: string): Promise<CacheLookup> {
  let text: string;
  try {
    text = await Deno.readTextFile(cachePath(store, hash));
  } catch {
    return { status: "miss" };
  }
  try {
    const parsed = JSON.parse(text) as {
      hash?: string;
      sha256?: string;
      payload?: { trial: TrialMetrics; run: TrialTiming };
    };
    if (parsed.hash !== hash || !parsed.payload) {
      return { status: "corrupt", reason: "its hash or payload is missing" };
    }
    const actual = await sha256Hex(JSON.stringify(parsed.payload));
    if (actual !== parsed.sha256) {
      return { status: "corrupt", reason: `checksum ${parsed.sha256} does not match ${actual}` };
    }
    return { status: "hit", entry: { hash, trial: parsed.payload.trial, run: parsed.payload.run } };
  } catch (error) {
    return { status: "corrupt", reason: `not JSON (${(error as Error).message.split("\n")[0]})` };
  }
}
