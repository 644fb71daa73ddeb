/**
 * The `--workers` option: a pool of trial worker processes per command, killed if the command is
 * interrupted.
 *
 * @module
 */

import { TrialPool } from "../run/trial_pool.ts";

/** The pools of worker processes started by this command, killed if it is interrupted. */
export const activePools: TrialPool[] = [];

/**
 * A pool of trial workers, or none for one worker (trials run in this process, with progress bars).
 *
 * @param workers How many; default one per core.
 * @param quiet Whether the workers print their progress.
 * @returns The pool, or undefined.
 */
export function createPool(workers: number | undefined, quiet: boolean): TrialPool | undefined {
  const size = workers ?? Math.min(navigator.hardwareConcurrency, 8);
  if (size <= 1) return undefined;
  const pool = new TrialPool(size, quiet ? "quiet" : "lines");
  activePools.push(pool);
  return pool;
}
