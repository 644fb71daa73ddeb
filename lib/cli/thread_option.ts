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
