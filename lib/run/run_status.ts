/**
 * What the running experiment has finished so far, for the message an interrupted run prints
 * (Ctrl-C): which trials are kept in the store and how to resume.
 *
 * @module
 */

interface Status {
  done?: boolean;
  experiment: string;
  store: string;
  total: number;
  finished: string[];
}

let current: Status | undefined;

/** The running experiment's progress, updated by the runner. */
export const runStatus = {
  /** A run starts. */
  begin(start: { experiment: string; store: string; total: number }): void {
    current = { ...start, finished: [] };
  },
  /** A trial finished (computed or taken from the store). */
  finished(trial: string): void {
    current?.finished.push(trial);
  },
  /** The run is over (its status stays readable until the next run begins). */
  end(): void {
    if (current) current.done = true;
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
   * runStatus.begin({ experiment: "cnn", store: ".runs", total: 2 });
   * runStatus.finished("lenet5 seed 1");
   * if (!runStatus.interruptedMessage("deno task run x").includes("1 of 2")) throw new Error();
   * runStatus.end();
   * ```
   */
  interruptedMessage(command: string): string {
    if (!current) return `interrupted; nothing was running. Rerun with: ${command}`;
    return [
      `interrupted: ${current.experiment}: kept ${current.finished.length} of ${current.total} finished trials in ${current.store}/trials${
        current.finished.length > 0 ? ` (${current.finished.join(", ")})` : ""
      }; a trial in progress resumes from its last finished epoch (${current.store}/checkpoints).`,
      `Resume with the same command: ${command}`,
    ].join("\n");
  },
};
