/**
 * The `functionFit` probe: a 1-D regression model's output across its test inputs, as a curve,
 * and its largest error there. Universal approximation theorems (Cybenko 1989, Hornik 1991) are
 * about the uniform (sup-norm) distance between a network and its target, which the largest
 * absolute error on many test points estimates; the mean squared error (the `mse` metric) is the
 * L2 distance Barron (1993) bounds.
 *
 * @module
 */

import * as tf from "@tensorflow/tfjs";
import { z } from "zod";
import type { ProbeDefinition } from "./_probe_definition.ts";

const schema = z.strictObject({
  kind: z.literal("functionFit"),
  /** Points of the drawn curve (evenly spaced among the sorted test inputs). */
  points: z.number().int().min(2).max(2000).default(200),
});

/** The probe's settings. */
export type FunctionFitProbe = z.output<typeof schema>;

/** The `functionFit` probe. */
export const functionFit: ProbeDefinition<FunctionFitProbe> = {
  schema,
  when: "after",
  metrics: () => ["testMaxAbsoluteError"],
  check(_probe, shape) {
    return shape.input.join() === "1" && shape.target.kind === "values" &&
        shape.target.shape.join() === "1"
      ? []
      : [
        `probes: functionFit needs one input and one value target (y = f(x)), found inputs [${shape.input}] and ${
          shape.target.kind === "values" ? `value targets [${shape.target.shape}]` : "classes"
        }`,
      ];
  },
  async run(probe, { model, data }) {
    const { features, targets, count } = data.test;
    const outputs = tf.tidy(() =>
      model.apply(tf.tensor2d(features, [count, 1]), { training: false }) as tf.Tensor
    );
    const predicted = await outputs.data();
    outputs.dispose();
    const { maxAbsoluteError, curve } = fitSummary(features, targets, predicted, probe.points);
    return {
      final: { testMaxAbsoluteError: maxAbsoluteError },
      artifacts: {
        functionFit: {
          kind: "lines",
          title: "The fitted function",
          description: `The trained network's output at ${curve.length} of the ${count} test ` +
            `inputs, sorted by x; the largest absolute error on the test points is ${
              Number(maxAbsoluteError.toPrecision(3))
            }.`,
          xTitle: "x",
          yTitle: "network output",
          series: [{ name: "network", points: curve }],
        },
      },
    };
  },
};

/**
 * The largest absolute error of `predicted` against `targets`, and the predictions at `points`
 * evenly spaced ranks of the inputs sorted by x (both ends included).
 *
 * @param inputs One input per example.
 * @param targets One target per example.
 * @param predicted One prediction per example.
 * @param points Points of the curve (at most the number of examples are used).
 * @returns The sup-norm error on the examples and the curve.
 *
 * @example
 * ```ts
 * import { fitSummary } from "./function_fit.ts";
 * const { maxAbsoluteError, curve } = fitSummary([0.5, -1, 1], [0, 1, 2], [0.25, 1, 1], 3);
 * if (maxAbsoluteError !== 1) throw new Error("|1 − 2| is the largest error");
 * if (curve.map((p) => p.x).join() !== "-1,0.5,1") throw new Error("sorted by x");
 * ```
 */
export function fitSummary(
  inputs: ArrayLike<number>,
  targets: ArrayLike<number>,
  predicted: ArrayLike<number>,
  points: number,
): { maxAbsoluteError: number; curve: { x: number; y: number }[] } {
  const count = inputs.length;
  if (targets.length !== count || predicted.length !== count || count === 0) {
    throw new RangeError(
      `fitSummary: expected as many targets and predictions as inputs (at least 1), found ${count} inputs, ${targets.length} targets and ${predicted.length} predictions`,
    );
  }
  let maxAbsoluteError = 0;
  for (let i = 0; i < count; i++) {
    maxAbsoluteError = Math.max(maxAbsoluteError, Math.abs(predicted[i] - targets[i]));
  }
  const order = Array.from({ length: count }, (_, i) => i).sort((a, b) =>
    inputs[a] - inputs[b] || a - b
  );
  const shown = Math.min(points, count);
  const curve = Array.from({ length: shown }, (_, k) => {
    const i = order[shown === 1 ? 0 : Math.round(k * (count - 1) / (shown - 1))];
    return { x: inputs[i], y: predicted[i] };
  });
  return { maxAbsoluteError, curve };
}
