/**
 * The `decisionRegions` probe: a 2-D classifier's output on a grid over its data, with the data
 * points, as a chart.
 *
 * @module
 */

import * as tf from "@tensorflow/tfjs";
import { z } from "zod";
import type { ProbeDefinition } from "./_probe_definition.ts";

const schema = z.strictObject({
  kind: z.literal("decisionRegions"),
  /** Grid points per axis. */
  resolution: z.number().int().min(5).max(200).default(50),
  /** Extra room around the data, as a fraction of its range. */
  margin: z.number().min(0).max(2).default(0.25),
  /** Training points drawn over the regions (at most). */
  points: z.number().int().min(0).default(400),
});

/** The probe's settings. */
export type DecisionRegionsProbe = z.output<typeof schema>;

/** The `decisionRegions` probe. */
export const decisionRegions: ProbeDefinition<DecisionRegionsProbe> = {
  schema,
  when: "after",
  metrics: () => [],
  check(_probe, shape) {
    const twoClasses = shape.target.kind === "values" ||
      (shape.target.kind === "classes" && shape.target.classes === 2);
    return shape.input.join() === "2" && twoClasses ? [] : [
      `probes: decisionRegions needs 2-D inputs and two classes (or a 0/1 value), found inputs [${shape.input}]`,
    ];
  },
  async run(probe, { model, data, loss }) {
    const features = data.train.features;
    const xs = features.filter((_, i) => i % 2 === 0);
    const ys = features.filter((_, i) => i % 2 === 1);
    const axis = (values: Float32Array) => {
      const low = Math.min(...values);
      const high = Math.max(...values);
      const pad = (high - low || 1) * probe.margin;
      return { min: low - pad, max: high + pad, count: probe.resolution };
    };
    const x = axis(xs);
    const y = axis(ys);
    const at = (a: { min: number; max: number; count: number }, i: number) =>
      a.min + (a.max - a.min) * i / (a.count - 1);
    const grid: number[] = [];
    for (let j = 0; j < y.count; j++) {
      for (let i = 0; i < x.count; i++) grid.push(at(x, i), at(y, j));
    }
    const probabilities = tf.tidy(() => {
      const outputs = model.apply(tf.tensor2d(grid, [grid.length / 2, 2]), {
        training: false,
      }) as tf.Tensor;
      if (loss === "crossEntropy") return tf.softmax(outputs).slice([0, 1], [-1, 1]);
      if (loss === "binaryCrossEntropy") return tf.sigmoid(outputs);
      return tf.clipByValue(outputs, 0, 1);
    });
    const values = await probabilities.data();
    probabilities.dispose();
    const rows = Array.from(
      { length: y.count },
      (_, j) => Array.from(values.subarray(j * x.count, (j + 1) * x.count)),
    );
    const count = Math.min(probe.points, data.train.count);
    return ({
      final: {},
      artifacts: {
        decisionRegions: {
          kind: "decisionRegions",
          title: "Decision regions",
          description:
            `The trained model's probability of class 1 over the input plane, with the boundary at 0.5 and ${count} training points coloured by their class.`,
          x,
          y,
          values: rows,
          points: Array.from({ length: count }, (_, n) => ({
            x: xs[n],
            y: ys[n],
            label: Math.round(data.train.targets[n]),
          })),
        },
      },
    });
  },
};
