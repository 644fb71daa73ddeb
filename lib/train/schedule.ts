/**
 * Learning-rate schedules as data: the rate at every step, from the optimizer's initial rate.
 *
 * @module
 */

import { z } from "zod";

/** A schedule. Epochs count from 1; steps from 0. */
export const scheduleSchema = z.discriminatedUnion("kind", [
  /** The initial rate throughout. */
  z.strictObject({ kind: z.literal("constant") }),
  /** Multiplied by `factor` after every epoch: epoch e uses rate · factor^(e−1). */
  z.strictObject({ kind: z.literal("exponential"), factor: z.number().gt(0).max(1) }),
  /** Multiplied by `factor` every `every` epochs (a step decay). */
  z.strictObject({
    kind: z.literal("step"),
    factor: z.number().gt(0).max(1),
    every: z.number().int().min(1),
  }),
  /** From the rate down to rate · `final` along half a cosine over all the steps. */
  z.strictObject({ kind: z.literal("cosine"), final: z.number().min(0).max(1).default(0) }),
  /**
   * Multiplied by the same factor at every step, from the rate at the first step to rate ·
   * `factor` at the last: the learning-rate range test (Smith 2017).
   */
  z.strictObject({ kind: z.literal("exponentialRamp"), factor: z.number().gt(1) }),
]);

/** A schedule, parsed. */
export type Schedule = z.output<typeof scheduleSchema>;

/** Where training is. */
export interface SchedulePosition {
  /** Steps taken before this one. */
  step: number;
  /** The current epoch, from 1. */
  epoch: number;
  /** All the steps training will take. */
  totalSteps: number;
}

/**
 * The learning rate of a step.
 *
 * @param initial The optimizer's learning rate.
 * @param schedule The schedule.
 * @param position Step, epoch and total steps.
 * @param warmupSteps Steps over which the rate rises linearly from initial/warmupSteps (0: none).
 * @returns The rate.
 *
 * @example
 * ```ts
 * import { learningRateAt } from "./schedule.ts";
 * const at = (step: number) =>
 *   learningRateAt(1, { kind: "cosine", final: 0 }, { step, epoch: 1, totalSteps: 100 }, 10);
 * // Warm-up: a tenth of the rate at the first step; then half a cosine down to 0.
 * if (at(0) !== 0.1 || at(50) !== 0.5 || Math.abs(at(100)) > 1e-12) throw new Error();
 * // A range test: from 1e-4 at the first of 101 steps to 1e-4 · 1e4 = 1 at the last.
 * const ramp = (step: number) =>
 *   learningRateAt(1e-4, { kind: "exponentialRamp", factor: 1e4 }, { step, epoch: 1, totalSteps: 101 });
 * if (Math.abs(ramp(50) - 1e-2) > 1e-15 || Math.abs(ramp(100) - 1) > 1e-12) throw new Error();
 * ```
 */
export function learningRateAt(
  initial: number,
  schedule: Schedule,
  position: SchedulePosition,
  warmupSteps = 0,
): number {
  const warmup = warmupSteps > 0 && position.step < warmupSteps
    ? (position.step + 1) / warmupSteps
    : 1;
  return scheduled(initial, schedule, position) * warmup;
}

function scheduled(initial: number, schedule: Schedule, position: SchedulePosition): number {
  switch (schedule.kind) {
    case "constant":
      return initial;
    case "exponential":
      return initial * schedule.factor ** (position.epoch - 1);
    case "step":
      return initial * schedule.factor ** Math.floor((position.epoch - 1) / schedule.every);
    case "exponentialRamp":
      return initial *
        schedule.factor ** Math.min(1, position.step / Math.max(1, position.totalSteps - 1));
    case "cosine": {
      const progress = Math.min(1, position.step / Math.max(1, position.totalSteps));
      return initial *
        (schedule.final + (1 - schedule.final) * (1 + Math.cos(Math.PI * progress)) / 2);
    }
  }
}
