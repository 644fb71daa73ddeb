/**
 * The `--threads` option shared by `deno task run` and `deno task bench`.
 *
 * @module
 */

import { InvalidArgumentError } from "@commander-js/extra-typings";
import { checkWasmThreads, MAX_WASM_THREADS } from "../backend/wasm_threads.ts";

/** The option's help text. */
export const THREADS_HELP =
  `threads for the wasm backend, 1 to ${MAX_WASM_THREADS} (default: one per core)`;

/**
 * Parses `--threads`.
 *
 * @param value The argument as typed.
 * @returns The thread count.
 * @throws {InvalidArgumentError} For anything but an integer from 1 to 8.
 *
 * @example
 * ```ts
 * import { parseThreads } from "./thread_option.ts";
 * if (parseThreads("2") !== 2) throw new Error();
 * ```
 */
export function parseThreads(value: string): number {
  try {
    return checkWasmThreads(/^\d+$/.test(value) ? Number(value) : NaN);
  } catch {
    throw new InvalidArgumentError(
      `expected an integer from 1 to ${MAX_WASM_THREADS}, found ${JSON.stringify(value)}`,
    );
  }
}

/** The `--workers` option's help text. */
export const WORKERS_HELP =
  "trials run in parallel in this many worker processes, one wasm thread each (default: one per core; 1 runs them here, with progress bars)";

/**
 * Parses `--workers`: an integer from 1 to 32.
 *
 * @param value The text after `--workers`.
 * @returns The number.
 * @throws {InvalidArgumentError} For anything else.
 *
 * @example
 * ```ts
 * import { parseWorkers } from "./thread_option.ts";
 * if (parseWorkers("2") !== 2) throw new Error();
 * ```
 */
export function parseWorkers(value: string): number {
  const workers = Number(value);
  if (!/^\d+$/.test(value) || workers < 1 || workers > 32) {
    throw new InvalidArgumentError(
      `expected an integer from 1 to 32, found ${JSON.stringify(value)}`,
    );
  }
  return workers;
}
