/**
 * What the running experiments have finished so far, for the message an interrupted run prints
 * (Ctrl-C): which trials are kept in the store and how to resume. Several experiments may run at
 * once (a reproduction in parallel workers).
 *
 * @module
 */

interface Status {
  experiment: string;
  store: string;
  total: number;
  finished: string[];
}

const running: Status[] = [];

/** The running experiments' progress, updated by the runner. */
export const runStatus = {
  /** An experiment's trials start (the previous run's statuses are dropped once all ended). */
  begin(start: { experiment: string; store: string; total: number }): Status {
    const status = { ...start, finished: [] };
    running.push(status);
    return status;
  },
  /** A trial finished (computed or taken from the store). */
  finished(trial: string, status: Status = running[running.length - 1]): void {
    status?.finished.push(trial);
  },
  /** Forgets every status (a new command starts). */
  clear(): void {
    running.length = 0;
  },
  /**
   * What to tell a user who interrupted the run.
   *
   * @param command The command to run again.
   * @returns One or more lines.
   *
   * @example
   * ```ts
   * import { runStatus } from "./run_status.ts";
   * runStatus.clear();
   * const status = runStatus.begin({ experiment: "cnn", store: ".runs", total: 2 });
   * runStatus.finished("lenet5 seed 1", status);
   * if (!runStatus.interruptedMessage("deno task run x").includes("1 of 2")) throw new Error();
   * ```
   */
  interruptedMessage(command: string): string {
    if (running.length === 0) return `interrupted; nothing was running. Rerun with: ${command}`;
    const lines = running.map((status) =>
      `${status.experiment}: kept ${status.finished.length} of ${status.total} finished trials in ${status.store}/trials${
        status.finished.length > 0 ? ` (${status.finished.join(", ")})` : ""
      }`
    );
    return [
      `interrupted: ${
        lines.join("; ")
      }; a trial in progress resumes from its last finished epoch (${
        running[0].store
      }/checkpoints).`,
      `Resume with the same command: ${command}`,
    ].join("\n");
  },
};
