/**
 * Multithreaded wasm under Deno.
 *
 * tfjs-backend-wasm ships a threaded SIMD build (XNNPACK on a pthread pool), but never uses it
 * under Deno: Deno defines `process`, so tfjs takes it for Node, where it turns threads off; and
 * the emscripten glue, in its Node mode, starts each pthread from a blob URL, which Deno's
 * `node:worker_threads` refuses. This module turns the threads on and starts each pthread from
 * `_wasm_pthread_worker.ts` instead. Once the pool is up its workers are unreferenced, so they
 * never keep the process alive.
 *
 * Thread count does not change results: XNNPACK splits an operator's output among the threads
 * and each output element is still summed in one order (tested byte for byte on `metrics.json`).
 *
 * @module
 */

import * as tf from "@tensorflow/tfjs";
import { getThreadsCount, setThreadsCount } from "@tensorflow/tfjs-backend-wasm";
import os from "node:os";
import { Worker as NodeWorker } from "node:worker_threads";
import { projectPath } from "../io/project_paths.ts";

/** tfjs's threaded build preallocates this many pthread workers and never uses more threads. */
export const MAX_WASM_THREADS = 8;

const WORKER_FILE = projectPath("lib/backend/_wasm_pthread_worker.ts");

let requested: number | undefined;

/**
 * One thread per core the runtime reports, at most {@linkcode MAX_WASM_THREADS}.
 *
 * @returns The default number of wasm threads on this machine.
 *
 * @example
 * ```ts
 * import { defaultWasmThreads, MAX_WASM_THREADS } from "./wasm_threads.ts";
 * const threads = defaultWasmThreads();
 * if (threads < 1 || threads > MAX_WASM_THREADS) throw new Error(String(threads));
 * ```
 */
export function defaultWasmThreads(): number {
  return Math.max(1, Math.min(navigator.hardwareConcurrency || 1, MAX_WASM_THREADS));
}

/**
 * Checks a requested thread count.
 *
 * @param threads The count, e.g. from `--threads`.
 * @returns The same count.
 * @throws {RangeError} When it is not an integer from 1 to {@linkcode MAX_WASM_THREADS}.
 *
 * @example
 * ```ts
 * import { checkWasmThreads } from "./wasm_threads.ts";
 * checkWasmThreads(2);
 * let threw = false;
 * try { checkWasmThreads(0); } catch { threw = true; }
 * if (!threw) throw new Error("0 threads was accepted");
 * ```
 */
export function checkWasmThreads(threads: number): number {
  if (!Number.isInteger(threads) || threads < 1 || threads > MAX_WASM_THREADS) {
    throw new RangeError(
      `Expected the wasm thread count to be an integer from 1 to ${MAX_WASM_THREADS} but found ${threads}`,
    );
  }
  return threads;
}

/**
 * Sets how many threads the wasm backend will use. Takes effect when the backend initialises,
 * which happens once per process.
 *
 * @param threads From 1 to {@linkcode MAX_WASM_THREADS}; 1 uses the single-threaded SIMD build.
 * @throws {RangeError} For a count out of range.
 * @throws {Error} When the backend already runs with another count.
 *
 * @example
 * ```ts
 * import { requestWasmThreads } from "./wasm_threads.ts";
 * requestWasmThreads(1);
 * ```
 */
export function requestWasmThreads(threads: number): void {
  checkWasmThreads(threads);
  const running = runningWasmThreads();
  if (running !== undefined && running !== threads) {
    throw new Error(
      `Expected to run wasm on ${threads} threads, but it already runs on ${running} in this process; the count is fixed when the backend starts`,
    );
  }
  requested = threads;
}

/**
 * The wasm backend's thread count, once it has initialised.
 *
 * @returns The count, or `undefined` before the backend has started.
 */
export function runningWasmThreads(): number | undefined {
  try {
    return getThreadsCount();
  } catch {
    // tfjs throws "WASM backend not initialized" until the backend has started.
    return undefined;
  }
}

/**
 * Initialises the wasm backend on the requested number of threads (default
 * {@linkcode defaultWasmThreads}). The caller has set the wasm paths.
 *
 * @returns Whether tfjs reported success, as `tf.setBackend` does.
 * @throws {Error} When the pool came up with another number of threads than requested.
 */
export async function startWasmBackend(): Promise<boolean> {
  const threads = requested ?? defaultWasmThreads();
  if (threads === 1) {
    tf.env().set("WASM_HAS_MULTITHREAD_SUPPORT", false);
    return await tf.setBackend("wasm");
  }
  tf.env().set("WASM_HAS_MULTITHREAD_SUPPORT", true);
  setThreadsCount(threads);
  const ok = await withPthreadWorkers(threads, () => tf.setBackend("wasm"));
  const running = runningWasmThreads();
  if (ok && running !== threads) {
    throw new Error(
      `Expected the wasm backend to start ${threads} threads but it started ${running}`,
    );
  }
  return ok;
}

/** Pool workers started so far, and whether the pool is up (then none may keep the process alive). */
const poolWorkers: PthreadWorker[] = [];
let poolStarted = false;

/**
 * A pthread worker that ignores the blob URL it is given. Until the pool is up, its messages are
 * what startup waits for, so it keeps the process alive; after that, never: every thread the pool
 * runs only works while the main thread waits for it.
 */
class PthreadWorker extends NodeWorker {
  constructor(_blobUrl: string) {
    super(WORKER_FILE);
    poolWorkers.push(this);
    if (poolStarted) super.unref();
  }
  override ref(): void {
    if (!poolStarted) super.ref();
  }
}

/**
 * Runs `start` with the two things the glue reads during startup replaced: the `Worker`
 * constructor (it assigns `globalThis.Worker` itself, so the replacement ignores assignments) and
 * `os.cpus()` (tfjs caps its pool at half the logical cores, assuming two hyperthreads per core,
 * so it sees twice the requested count). Both are restored afterwards.
 */
async function withPthreadWorkers<T>(threads: number, start: () => Promise<T>): Promise<T> {
  const workerDescriptor = Object.getOwnPropertyDescriptor(globalThis, "Worker");
  const cpus = os.cpus;
  Object.defineProperty(globalThis, "Worker", {
    configurable: true,
    get: () => PthreadWorker,
    set: () => {},
  });
  const cpu = cpus()[0];
  os.cpus = () => Array.from({ length: 2 * threads }, () => cpu);
  try {
    const result = await start();
    poolStarted = true;
    for (const worker of poolWorkers) worker.unref();
    return result;
  } finally {
    os.cpus = cpus;
    if (workerDescriptor) Object.defineProperty(globalThis, "Worker", workerDescriptor);
    else delete (globalThis as { Worker?: unknown }).Worker;
  }
}
