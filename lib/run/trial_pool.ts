/**
 * A pool of worker processes that run trials in parallel, one per core by default, each on one
 * wasm thread: trial-level parallelism for whole reproductions, where a single trial's kernels
 * cannot keep every core busy. Results go through the run store, so they are the same bytes as
 * sequential runs.
 *
 * @module
 */

import type { ResolveOptions } from "../experiment/resolve.ts";
import { TextLineStream } from "./_text_lines.ts";

/** What a worker process needs to run one trial of a plan. */
export interface TrialRequest {
  /** The experiment file. */
  file: string;
  /** The definition's position in the file's export. */
  index: number;
  /** How the parent resolved it. */
  options: Pick<ResolveOptions, "profile" | "overrides" | "seeds" | "variants">;
  /** The trial's key, variant and seed. */
  key: string;
  /** The variant. */
  variant: string;
  /** The seed. */
  seed: number;
  /** Its content hash: the worker stores the result under it. */
  hash: string;
  /** The run store. */
  store: string;
  /** The backend the parent chose. */
  backend: string;
  /** The least seconds between checkpoints. */
  checkpointSeconds?: number;
}

/** A worker's answer. */
export interface TrialReply {
  /** The trial's hash. */
  hash: string;
  /** True when the trial finished and is in the store. */
  ok: boolean;
  /** The error, when it did not. */
  error?: string;
  /** Problems found while running it (leaked tensors). */
  defects?: string[];
}

interface Worker {
  process: Deno.ChildProcess;
  writer: WritableStreamDefaultWriter<Uint8Array>;
  replies: AsyncIterator<string>;
  busy: boolean;
}

/** Runs trials in worker processes. */
export class TrialPool {
  readonly size: number;
  #workers: Worker[] = [];
  #waiting: (() => void)[] = [];

  readonly #progress: "lines" | "quiet";

  /**
   * Creates a pool; workers start when the first trials come.
   *
   * @param size How many workers, at least 1.
   * @param progress Whether the workers print a line per epoch, or nothing.
   */
  constructor(size: number, progress: "lines" | "quiet" = "quiet") {
    this.#progress = progress;
    if (!Number.isInteger(size) || size < 1) {
      throw new RangeError(`Expected a pool of at least one worker, found ${size}`);
    }
    this.size = size;
  }

  /**
   * Runs one trial in a free worker (waiting for one).
   *
   * @param request The trial.
   * @returns The worker's answer.
   */
  async run(request: TrialRequest): Promise<TrialReply> {
    const worker = await this.#acquire();
    try {
      await worker.writer.write(new TextEncoder().encode(JSON.stringify(request) + "\n"));
      const line = await worker.replies.next();
      if (line.done) {
        worker.busy = false;
        this.#workers = this.#workers.filter((w) => w !== worker);
        return { hash: request.hash, ok: false, error: "the worker process ended unexpectedly" };
      }
      return JSON.parse(line.value) as TrialReply;
    } finally {
      worker.busy = false;
      this.#waiting.shift()?.();
    }
  }

  /** Stops every worker. */
  async close(): Promise<void> {
    for (const worker of this.#workers) {
      await worker.writer.close().catch(() => {});
      await worker.process.status;
    }
    this.#workers = [];
  }

  /** Kills every worker at once (an interrupted run). */
  kill(): void {
    for (const worker of this.#workers) {
      try {
        worker.process.kill("SIGKILL");
      } catch {
        // Already gone.
      }
    }
    this.#workers = [];
  }

  async #acquire(): Promise<Worker> {
    for (;;) {
      const free = this.#workers.find((worker) => !worker.busy);
      if (free) {
        free.busy = true;
        return free;
      }
      if (this.#workers.length < this.size) {
        const worker = this.#start();
        worker.busy = true;
        this.#workers.push(worker);
        return worker;
      }
      await new Promise<void>((resolve) => this.#waiting.push(resolve));
    }
  }

  #start(): Worker {
    const process = new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", new URL("./trial_worker.ts", import.meta.url).pathname],
      stdin: "piped",
      stdout: "piped",
      stderr: "inherit",
      env: { DNN_WORKER_PROGRESS: this.#progress },
    }).spawn();
    const replies = process.stdout.pipeThrough(new TextDecoderStream()).pipeThrough(
      new TextLineStream(),
    )[Symbol.asyncIterator]();
    return { process, writer: process.stdin.getWriter(), replies, busy: false };
  }
}
