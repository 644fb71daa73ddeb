/**
 * A worker process for parallel trials: it reads trial requests as JSON lines on stdin, runs each
 * (resolving its experiment exactly as the parent did, on the backend the parent chose, on one
 * wasm thread), stores the result in the run store under the trial's hash, and answers with one
 * JSON line on stdout. Trials are deterministic, so a worker's results are the bytes the parent
 * would have computed itself.
 *
 * @module
 */

import { importExperiment } from "../cli/load_experiment.ts";
import { type ResolvedExperiment, resolveExperiment } from "../experiment/resolve.ts";
import { type BackendName, selectBackend } from "../backend/select_backend.ts";
import { createProgress, type Progress } from "../train/progress.ts";
import { executeTrial } from "./run_experiment.ts";
import type { TrialRequest } from "./trial_pool.ts";
import { writeCachedTrial } from "../store/trial_cache.ts";
import { TextLineStream } from "./_text_lines.ts";

/** `progress`, calling `check` after every step and epoch. */
function watchedProgress(progress: Progress, check: () => void): Progress {
  return {
    trialStarted: (start) => progress.trialStarted(start),
    stepDone: (epoch, step, loss) => {
      check();
      progress.stepDone(epoch, step, loss);
    },
    epochDone: (epoch, metrics) => {
      check();
      progress.epochDone(epoch, metrics);
    },
    trialDone: (summary) => progress.trialDone(summary),
    log: (message) => progress.log(message),
  };
}

const resolvedCache = new Map<string, ResolvedExperiment>();
let active: string | undefined;

async function resolve(request: TrialRequest): Promise<ResolvedExperiment> {
  const key = JSON.stringify([request.file, request.index, request.options]);
  let resolved = resolvedCache.get(key);
  if (!resolved) {
    const loaded = await importExperiment(request.file);
    resolved = resolveExperiment(
      loaded.definitions[request.index],
      request.file,
      loaded.tasks,
      { ...request.options, checkProfiles: false },
    );
    resolvedCache.set(key, resolved);
  }
  return resolved;
}

if (import.meta.main) {
  // A killed parent cannot stop its workers: leave as soon as this process is orphaned, so that
  // no trial goes on writing to the store unseen (its last checkpoint stays for the resume).
  // Training rarely yields to the event loop, so the check also runs after every step and
  // before a result is stored.
  const parent = Deno.ppid;
  const leaveIfOrphaned = () => {
    if (Deno.ppid !== parent) Deno.exit(1);
  };
  const watchdog = setInterval(leaveIfOrphaned, 500);
  Deno.unrefTimer(watchdog);
  const progress = watchedProgress(
    createProgress(Deno.env.get("DNN_WORKER_PROGRESS") === "lines" ? "lines" : "quiet"),
    leaveIfOrphaned,
  );
  const lines = Deno.stdin.readable.pipeThrough(new TextDecoderStream()).pipeThrough(
    new TextLineStream(),
  );
  const write = (value: unknown) =>
    Deno.stdout.write(new TextEncoder().encode(JSON.stringify(value) + "\n"));
  for await (const line of lines) {
    if (line.trim() === "") continue;
    const request = JSON.parse(line) as TrialRequest;
    try {
      const resolved = await resolve(request);
      if (active !== request.backend) {
        await selectBackend(request.backend as BackendName, [], 1);
        active = request.backend;
      }
      const variant = resolved.variants.find((v) => v.name === request.variant);
      if (!variant) throw new Error(`variant ${request.variant} is not in ${request.file}`);
      const defects: string[] = [];
      await resolved.task.prepare?.([variant.settings]);
      const entry = await executeTrial(
        resolved,
        { key: request.key, variant, seed: request.seed, hash: request.hash },
        request.store,
        request.backend,
        progress,
        defects,
        request.checkpointSeconds,
      );
      leaveIfOrphaned();
      await writeCachedTrial(request.store, entry);
      await write({ hash: request.hash, ok: true, defects });
    } catch (error) {
      await write({
        hash: request.hash,
        ok: false,
        error: (error as Error).message ?? String(error),
      });
    }
  }
}
