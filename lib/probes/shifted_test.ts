/**
 * The `shiftedTest` probe: test error on images moved by 0, 1, 2, … pixels, averaged over the
 * four directions (right, left, down, up): how robust a model is to translation.
 *
 * @module
 */

import { z } from "zod";
import { shiftImage } from "../train/augment.ts";
import { evaluateModel } from "../train/evaluate.ts";
import type { ProbeDefinition } from "./_probe_definition.ts";
import * as tf from "@tensorflow/tfjs";

const schema = z.strictObject({
  kind: z.literal("shiftedTest"),
  /** Shifts in pixels; 0 is the unshifted test set. */
  pixels: z.array(z.number().int().min(0).max(10)).min(1).default([0, 1, 2, 3, 4]),
});

/** The probe's settings. */
export type ShiftedTestProbe = z.output<typeof schema>;

const metric = (pixels: number) => `shiftedTestErrorPercent${pixels}`;

/** The `shiftedTest` probe. */
export const shiftedTest: ProbeDefinition<ShiftedTestProbe> = {
  schema,
  when: "after",
  metrics: (probe) => probe.pixels.map(metric),
  check(_probe, shape) {
    return shape.input.length === 3 && shape.target.kind === "classes" ? [] : [
      `probes: shiftedTest needs images [height, width, channels] and class labels, found inputs [${shape.input}]`,
    ];
  },
  async run(probe, { model, data, shape, loss }) {
    const [height, width, channels] = shape.input;
    const pixels = height * width * channels;
    const test = data.test;
    const final: Record<string, number> = {};
    const points: { x: number; y: number }[] = [];
    const targets = tf.tensor(test.targets, [test.count], "int32");
    try {
      for (const shift of probe.pixels) {
        const directions = shift === 0
          ? [[0, 0]]
          : [[shift, 0], [-shift, 0], [0, shift], [0, -shift]];
        let total = 0;
        for (const [dx, dy] of directions) {
          const moved = new Float32Array(test.count * pixels);
          for (let n = 0; n < test.count; n++) {
            shiftImage(
              test.features,
              n * pixels,
              moved,
              n * pixels,
              height,
              width,
              channels,
              dx,
              dy,
            );
          }
          const features = tf.tensor(moved, [test.count, ...shape.input], "float32");
          const values = await evaluateModel(
            model,
            { features, targets },
            loss,
            ["errorPercent"],
            shape.target,
            1000,
          );
          features.dispose();
          total += values.errorPercent;
        }
        final[metric(shift)] = total / directions.length;
        points.push({ x: shift, y: final[metric(shift)] });
      }
    } finally {
      targets.dispose();
    }
    return {
      final,
      artifacts: {
        translation: {
          kind: "lines",
          title: "Test error on shifted digits",
          description: `Test error when every test image is moved by ${
            probe.pixels.join(", ")
          } pixels (mean over right, left, down and up): ${
            points.map((p) => `${p.x} px ${p.y.toFixed(2)} %`).join(", ")
          }.`,
          xTitle: "shift (pixels)",
          yTitle: "test error (%)",
          series: [{ name: "test error", points }],
        },
      },
    };
  },
};
