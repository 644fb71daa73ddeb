/**
 * Whether a published result still belongs to its experiment: produced by the same definition
 * (resolved settings and seeds) and the same code (the modules its task runs, and `deno.lock`).
 * A changed definition makes the result wrong; changed code only makes it older.
 *
 * @module
 */

import { resolveExperiment, type TaskLookup } from "../experiment/resolve.ts";
import { FULL_PROFILE } from "../experiment/profiles.ts";
import type { Provenance } from "../experiment/records.ts";
import { combineCodeHashes, hashSettings, variantCodeHashes } from "../run/run_experiment.ts";
import { lockHash } from "./code_hash.ts";

/** An experiment as its file defines it now. */
export interface DefinedExperiment {
  /** Its file. */
  file: string;
  /** Its id (the published results are under `<root>/<id>/`). */
  header: { id: string };
  /** Its definition. */
  definition: unknown;
  /** The task kinds it can name. */
  tasks: TaskLookup;
}

/** A published result's state. */
export interface Staleness {
  /** The experiment. */
  experiment: string;
  /** `current`, `older code` (same definition), `definition changed`, or `no result`. */
  state: "current" | "older code" | "definition changed" | "no result";
  /** The commit that produced it, and what changed. */
  detail: string;
  /** The commit the result was produced at, when known. */
  commit?: string;
}

/**
 * Compares a published result's recorded hashes with the experiment as it is now.
 *
 * @param entry The experiment.
 * @param publishedRoot Where published results are (`reports`).
 * @returns Its state.
 */
export async function staleness(
  entry: DefinedExperiment,
  publishedRoot: string,
): Promise<Staleness> {
  const id = entry.header.id;
  let run: { provenance?: Provenance; git?: { commit: string } };
  let config: { seeds: number[]; variants: Record<string, unknown> };
  try {
    run = JSON.parse(await Deno.readTextFile(`${publishedRoot}/${id}/run.json`));
    config = JSON.parse(await Deno.readTextFile(`${publishedRoot}/${id}/config.json`));
  } catch {
    return { experiment: id, state: "no result", detail: `nothing under ${publishedRoot}/${id}` };
  }
  const commit = run.git?.commit ?? "unknown";
  const resolved = resolveExperiment(entry.definition, entry.file, entry.tasks, {
    profile: FULL_PROFILE,
  });
  const settingsNow = await hashSettings({
    seeds: resolved.seeds,
    variants: Object.fromEntries(resolved.variants.map((v) => [v.name, v.settings as never])),
  });
  if (settingsNow !== await hashSettings(config as never)) {
    return {
      experiment: id,
      state: "definition changed",
      detail: `its settings or seeds differ from ${entry.file}'s now; rerun it`,
      commit,
    };
  }
  const provenance = run.provenance;
  const code = await combineCodeHashes(await variantCodeHashes(resolved));
  const lock = await lockHash();
  if (!provenance || provenance.codeHash !== code.codeHash || provenance.lockHash !== lock) {
    const what = !provenance
      ? "it records no code hash"
      : provenance.lockHash !== lock
      ? "deno.lock changed since"
      : "the framework code below it changed since";
    return {
      experiment: id,
      state: "older code",
      detail: `produced at commit ${commit.slice(0, 12)}; ${what}`,
      commit,
    };
  }
  return {
    experiment: id,
    state: "current",
    detail: `produced at commit ${commit.slice(0, 12)}`,
    commit,
  };
}
