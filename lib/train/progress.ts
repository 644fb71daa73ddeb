/**
 * Progress of a run: a bar per trial on a terminal (epoch, batch, loss, ETA), plain log lines when
 * the output is not a terminal (CI logs), nothing with `--quiet`. Everything goes to stderr, so
 * stdout stays free for what a user may pipe.
 *
 * @module
 */

// @ts-types="npm:@types/cli-progress@3.11.6"
import cliProgress from "cli-progress";
import process from "node:process";

/** The start of a trial. */
export interface TrialStart {
  /** E.g. `lenet5 seed 1 (1/6)`. */
  label: string;
  /** Epochs the trial will train. */
  epochs: number;
  /** Batches per epoch, the bar's length. */
  stepsPerEpoch: number;
}

/** Where the training loop and the runner report progress. */
export interface Progress {
  /** Before a trial's first step. */
  trialStarted(start: TrialStart): void;
  /** After every step; `loss` only when it was read back (it is not read every step). */
  stepDone(epoch: number, stepInEpoch: number, loss?: number): void;
  /** After each epoch's evaluation. */
  epochDone(epoch: number, metrics: Record<string, number>): void;
  /** After a trial; `summary` is one line of its results, e.g. its test error. */
  trialDone(summary: string): void;
  /** A message between trials (backend choice, data loading). */
  log(message: string): void;
}

/** How to report. */
export type ProgressMode = "bar" | "lines" | "quiet";

/**
 * Picks the mode: `quiet` when asked, a bar when stderr is a terminal, lines otherwise.
 *
 * @param quiet Whether `--quiet` was given.
 * @returns The mode.
 *
 * @example
 * ```ts
 * import { progressMode } from "./progress.ts";
 * if (progressMode(true) !== "quiet") throw new Error("quiet ignored");
 * ```
 */
export function progressMode(quiet: boolean): ProgressMode {
  if (quiet) return "quiet";
  return Deno.stderr.isTerminal() ? "bar" : "lines";
}

/**
 * Creates a progress reporter.
 *
 * @param mode From {@linkcode progressMode}.
 * @param write Where lines go (stderr by default; tests pass their own).
 * @returns The reporter.
 *
 * @example
 * ```ts
 * import { createProgress } from "./progress.ts";
 * const lines: string[] = [];
 * const progress = createProgress("lines", (line) => lines.push(line));
 * progress.trialStarted({ label: "mlp seed 1", epochs: 1, stepsPerEpoch: 10 });
 * progress.epochDone(1, { testErrorPercent: 3.2 });
 * if (!lines[1].includes("testErrorPercent 3.2")) throw new Error(lines.join("\n"));
 * ```
 */
export function createProgress(
  mode: ProgressMode,
  write: (line: string) => void = (line) => console.error(line),
): Progress {
  if (mode === "quiet") {
    return { trialStarted() {}, stepDone() {}, epochDone() {}, trialDone() {}, log() {} };
  }
  if (mode === "lines") return linesProgress(write);
  return barProgress(write);
}

function formatMetrics(metrics: Record<string, number>): string {
  return Object.entries(metrics).map(([name, value]) => `${name} ${Number(value.toPrecision(4))}`)
    .join(", ");
}

function linesProgress(write: (line: string) => void): Progress {
  let trial: TrialStart | undefined;
  let started = 0;
  return {
    trialStarted(start) {
      trial = start;
      started = performance.now();
      write(`${start.label}: ${start.epochs} epochs of ${start.stepsPerEpoch} batches`);
    },
    stepDone() {},
    epochDone(epoch, metrics) {
      const seconds = ((performance.now() - started) / 1000).toFixed(1);
      write(
        `${trial?.label}: epoch ${epoch}/${trial?.epochs} ${formatMetrics(metrics)} (${seconds} s)`,
      );
    },
    trialDone(summary) {
      write(`${trial?.label}: done, ${summary}`);
    },
    log: write,
  };
}

function barProgress(write: (line: string) => void): Progress {
  let bar: cliProgress.SingleBar | undefined;
  let trial: TrialStart | undefined;
  let lastLoss = Number.NaN;
  const stop = () => {
    bar?.stop();
    bar = undefined;
  };
  return {
    trialStarted(start) {
      stop();
      trial = start;
      bar = new cliProgress.SingleBar({
        format:
          `${start.label} |{bar}| epoch {epoch}/${start.epochs} batch {batch}/${start.stepsPerEpoch} loss {loss} ETA {eta_formatted}`,
        stream: process.stderr,
        hideCursor: true,
        etaBuffer: 200,
        fps: 5,
      }, cliProgress.Presets.shades_classic);
      bar.start(start.epochs * start.stepsPerEpoch, 0, { epoch: 1, batch: 0, loss: "-" });
    },
    stepDone(epoch, stepInEpoch, loss) {
      if (loss !== undefined) lastLoss = loss;
      bar?.increment(1, {
        epoch,
        batch: stepInEpoch,
        loss: Number.isNaN(lastLoss) ? "-" : lastLoss.toFixed(4),
      });
    },
    epochDone(epoch, metrics) {
      bar?.update({ epoch });
      // A line per epoch above the bar keeps the learning curve visible on the terminal.
      const active = bar;
      if (active) {
        process.stderr.write("\r\x1b[2K");
        write(`${trial?.label}: epoch ${epoch}/${trial?.epochs} ${formatMetrics(metrics)}`);
        active.render();
      }
    },
    trialDone(summary) {
      stop();
      write(`${trial?.label}: done, ${summary}`);
    },
    log(message) {
      if (bar) process.stderr.write("\r\x1b[2K");
      write(message);
      bar?.render();
    },
  };
}
