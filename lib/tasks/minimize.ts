/**
 * The `minimize` task: an optimizer's path on a 2-D function (Rosenbrock, Beale, a saddle, a KL
 * divergence over a Gaussian's parameters), drawn over the function's contours. The same
 * optimizers as the networks' (`lib/train/optimizer.ts`), on one 2-vector.
 *
 * @module
 */

import * as tf from "@tensorflow/tfjs";
import { z } from "zod";
import { defineTask, type TrialOutput } from "../experiment/task.ts";
import { optimizerSchema, TrainingOptimizer } from "../train/optimizer.ts";
import { learningRateAt, scheduleSchema } from "../train/schedule.ts";
import { createObjective, objectiveSchema } from "../objectives/objectives.ts";
import type { CurvePoint } from "../experiment/records.ts";

/** The settings of a `minimize` experiment. */
export const minimizeSettingsSchema = z.strictObject({
  /** The function. */
  objective: objectiveSchema,
  /** Where to start; default the objective's usual start. */
  start: z.tuple([z.number(), z.number()]).optional(),
  optimizer: optimizerSchema,
  schedule: scheduleSchema.default({ kind: "constant" }),
  /** Optimizer steps. */
  steps: z.number().int().min(1),
  /** Record a path point every this many steps. */
  recordEvery: z.number().int().min(1).default(1),
  /** Grid points per axis of the contour chart. */
  resolution: z.number().int().min(10).max(200).default(80),
});

/** Settings of a `minimize` experiment, after defaults. */
export type MinimizeSettings = z.output<typeof minimizeSettingsSchema>;

/** The `minimize` task. */
export const minimizeTask = defineTask<MinimizeSettings>({
  kind: "minimize",
  description: "follow an optimizer's path on a 2-D function",
  settingsSchema: minimizeSettingsSchema,
  metricNames: () => ["finalValue", "distanceToMinimum", "finalX", "finalY", "steps"],
  requiredKernels: () => [],
  modules: () => [import.meta.url],
  async runTrial({ settings, variant, progress }): Promise<TrialOutput> {
    const objective = createObjective(settings.objective);
    const start = settings.start ?? objective.start;
    const optimizer = new TrainingOptimizer(settings.optimizer);
    const point = tf.tidy(() => tf.variable(tf.tensor1d(start), true));
    const path: { x: number; y: number }[] = [{ x: start[0], y: start[1] }];
    const curve: CurvePoint[] = [{ step: 0, epoch: 0, value: objective.valueAt(...start) }];
    progress.trialStarted({ label: variant, epochs: 1, stepsPerEpoch: settings.steps });
    let diverged: TrialOutput["diverged"];
    try {
      for (let step = 0; step < settings.steps; step++) {
        optimizer.setLearningRate(
          learningRateAt(settings.optimizer.learningRate, settings.schedule, {
            step,
            epoch: 1,
            totalSteps: settings.steps,
          }),
        );
        tf.tidy(() => {
          const { grads } = tf.variableGrads(() => objective.value(point), [point]);
          optimizer.applyGradients(grads);
        });
        const [x, y] = await point.data();
        if (!Number.isFinite(x) || !Number.isFinite(y)) {
          diverged = { step: step + 1, epoch: 1 };
          break;
        }
        if ((step + 1) % settings.recordEvery === 0 || step + 1 === settings.steps) {
          path.push({ x, y });
          curve.push({
            step: step + 1,
            epoch: (step + 1) / settings.steps,
            value: objective.valueAt(x, y),
          });
        }
        progress.stepDone(1, step + 1);
      }
      const end = path[path.length - 1];
      const value = objective.valueAt(end.x, end.y);
      const distance = objective.minima.length === 0
        ? undefined
        : Math.min(...objective.minima.map(([mx, my]) => Math.hypot(end.x - mx, end.y - my)));
      progress.trialDone(
        `value ${value.toPrecision(4)} at (${end.x.toPrecision(4)}, ${end.y.toPrecision(4)})`,
      );
      const axis = (range: [number, number]) => ({
        min: range[0],
        max: range[1],
        count: settings.resolution,
      });
      const x = axis(objective.range.x);
      const y = axis(objective.range.y);
      const at = (a: { min: number; max: number; count: number }, i: number) =>
        a.min + (a.max - a.min) * i / (a.count - 1);
      const values = Array.from(
        { length: y.count },
        (_, j) =>
          Array.from(
            { length: x.count },
            (_, i) => Number(objective.valueAt(at(x, i), at(y, j)).toPrecision(5)),
          ),
      );
      return ({
        final: {
          finalValue: value,
          ...(distance === undefined ? {} : { distanceToMinimum: distance }),
          finalX: end.x,
          finalY: end.y,
          steps: curve[curve.length - 1].step,
        },
        curve,
        artifacts: {
          [`contour-${objective.name}`]: {
            kind: "contour",
            title: `Optimizer paths on ${objective.name}`,
            description: `Contours of the ${objective.name} function${
              objective.logValues ? " (log scale)" : ""
            } with the optimizer's path from (${start.join(", ")}); it ends at (${
              end.x.toPrecision(3)
            }, ${end.y.toPrecision(3)}) with value ${value.toPrecision(3)}.`,
            x,
            y,
            values,
            logValues: objective.logValues,
            xTitle: objective.axes[0],
            yTitle: objective.axes[1],
            paths: [{
              name: variant,
              points: path.map((p) => ({
                x: Number(p.x.toPrecision(6)),
                y: Number(p.y.toPrecision(6)),
              })),
            }],
            markers: objective.minima.map(([mx, my]) => ({ x: mx, y: my, label: "minimum" })),
          },
          ...(objective.artifacts?.([end.x, end.y]) ?? {}),
        },
        timing: {},
        ...(diverged ? { diverged } : {}),
      });
    } finally {
      optimizer.dispose();
      point.dispose();
    }
  },
});
