/**
 * `deno task merge DIR…`: merges the stores that `reproduce --shard i/n` wrote into one store,
 * then assembles every experiment's results from the merged trials (computing nothing) into one
 * results tree with its index and summary.
 *
 * @module
 */

import type { Command } from "@commander-js/extra-typings";
import { ConfigError } from "../experiment/config_error.ts";
import { readCachedTrial, writeCachedTrial } from "../store/trial_cache.ts";
import { assembleResults, executePlan, planExperiment } from "../run/run_experiment.ts";
import { createProgress, progressMode } from "../train/progress.ts";
import { loadCatalog } from "./load_experiment.ts";
import { renderResultsPage, writeIndexOf } from "./reports.ts";
import { formatCheck } from "./verdicts.ts";
import { toCanonicalJson } from "../io/canonical_json.ts";
import { writeTextFileAtomic } from "../io/atomic_write.ts";

/** What a shard wrote about itself. */
interface ShardManifest {
  profile: string;
  shard: string;
  trials: string[];
}

/**
 * Copies every intact trial of the given stores into one store.
 *
 * @param sources Shard stores.
 * @param target The merged store.
 * @returns How many trials were copied, and the shards' manifests.
 * @throws {ConfigError} When a source is not a store, or the shards ran different profiles.
 */
export async function mergeStores(
  sources: readonly string[],
  target: string,
): Promise<{ copied: number; manifests: ShardManifest[]; corrupt: string[] }> {
  let copied = 0;
  const manifests: ShardManifest[] = [];
  const corrupt: string[] = [];
  for (const source of sources) {
    const trials = `${source}/trials`;
    const exists = await Deno.stat(trials).then((s) => s.isDirectory, () => false);
    if (!exists) {
      throw new ConfigError([
        `${source}: expected a run store written by reproduce --shard (with a trials/ folder), found none`,
      ]);
    }
    for await (const prefix of Deno.readDir(trials)) {
      if (!prefix.isDirectory) continue;
      for await (const file of Deno.readDir(`${trials}/${prefix.name}`)) {
        if (!file.name.endsWith(".json")) continue;
        const hash = file.name.slice(0, -".json".length);
        const found = await readCachedTrial(source, hash);
        if (found.status === "hit") {
          await writeCachedTrial(target, found.entry);
          copied++;
        } else if (found.status === "corrupt") {
          corrupt.push(`${source}: trial ${hash}: ${found.reason}`);
        }
      }
    }
    try {
      for await (const file of Deno.readDir(`${source}/shards`)) {
        if (file.name.endsWith(".json")) {
          manifests.push(JSON.parse(await Deno.readTextFile(`${source}/shards/${file.name}`)));
        }
      }
    } catch {
      // A store without shard manifests (a plain run's): its trials are merged all the same.
    }
  }
  const profiles = [...new Set(manifests.map((m) => m.profile))];
  if (profiles.length > 1) {
    throw new ConfigError([
      `merge: expected shards of one profile, found ${profiles.join(", ")}`,
    ]);
  }
  return { copied, manifests, corrupt };
}

/**
 * Adds the `merge` command.
 *
 * @param program The command-line program.
 */
export function mergeCommand(program: Command) {
  program.command("merge")
    .description("merge shard stores into one results tree and index (computes nothing)")
    .argument("<stores...>", "the stores reproduce --shard wrote")
    .option("--store <directory>", "the merged store", ".runs")
    .option("-p, --profile <name>", "the profile the shards ran (default: from their manifests)")
    .option("-q, --quiet", "print only the verdicts")
    .action(async (stores, options) => {
      const { copied, manifests, corrupt } = await mergeStores(stores, options.store);
      for (const problem of corrupt) console.error(`warning: ${problem} (left out)`);
      const profile = options.profile ?? manifests[0]?.profile;
      if (!profile) {
        throw new ConfigError([
          `merge: found no shard manifest in ${stores.join(", ")}; name the profile with --profile`,
        ]);
      }
      console.log(`merged ${copied} trials from ${stores.length} stores into ${options.store}`);
      const progress = createProgress(progressMode(options.quiet ?? true));
      let failed = false;
      const rows: { experiment: string; reproduced: boolean; directory: string }[] = [];
      const startedAt = new Date();
      for (const entry of await loadCatalog()) {
        if ("error" in entry) {
          console.error(`error: ${entry.file}: ${entry.error}`);
          failed = true;
          continue;
        }
        const plan = await planExperiment({
          file: entry.file,
          definition: entry.definition,
          tasks: entry.tasks,
          profile,
          store: options.store,
          progress,
          command: ["merge", ...stores],
          renderPage: renderResultsPage,
        });
        const { results, defects } = await executePlan(plan, { cacheOnly: true });
        const outcome = await assembleResults(plan, results, defects, startedAt);
        for (const check of outcome.metrics.checks) {
          if (!check.pass) console.log(`${entry.header.id}: ${formatCheck(check)}`);
        }
        rows.push({
          experiment: entry.header.id,
          reproduced: outcome.metrics.reproduced,
          directory: outcome.directory,
        });
        failed ||= !outcome.metrics.reproduced;
        console.log(
          `${entry.header.id} [${profile}]: ${
            outcome.metrics.reproduced ? "reproduced" : "NOT reproduced"
          } -> ${outcome.directory}/`,
        );
      }
      const root = profile === "full" ? "reports" : `${options.store}/${profile}`;
      await writeIndexOf(root);
      await writeTextFileAtomic(
        `${options.store}/summary/${profile}-merged.json`,
        toCanonicalJson({
          profile,
          shards: manifests.map((m) => m.shard).sort(),
          rows,
          ok: !failed,
        }),
      );
      if (failed) Deno.exitCode = 3;
    });
}
