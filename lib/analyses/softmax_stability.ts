/**
 * The `softmaxStability` analysis (chapter 3): softmax(x)_i = exp(x_i) / Σ_j exp(x_j) computed
 * naively overflows in float32 once a logit passes ln(FLT_MAX) ≈ 88.72 (inf / inf = NaN); the
 * stable form softmax(x − max x), identical in exact arithmetic, never does (Goodfellow et al.
 * 2016, §4.1). Random logit vectors at growing scales go through both forms and tfjs's own
 * `tf.softmax` on the backend, each compared with a float64 reference, and the overflow
 * threshold is found by bisection.
 *
 * @module
 */

import * as tf from "@tensorflow/tfjs";
import { z } from "zod";
import type { Analysis, AnalysisOutput } from "./analysis.ts";
import { formatSignificant } from "../report/format.ts";
import { createRng, deriveSeed, normal } from "../random/seed.ts";

const schema = z.strictObject({
  kind: z.literal("softmaxStability"),
  /** Logits per vector. */
  classes: z.number().int().min(2).max(1000).default(10),
  /** Vectors per scale. */
  rows: z.number().int().min(1).default(200),
  /** Logits are a standard normal vector times each scale. */
  scales: z.array(z.number().positive()).min(1).default([1, 10, 30, 60, 100, 300, 1000]),
});

/** The `softmaxStability` analysis's settings. */
export type SoftmaxStabilitySettings = z.output<typeof schema>;

/** The largest finite float32, (2 − 2⁻²³) · 2¹²⁷. */
export const FLOAT32_MAX = 3.4028234663852886e38;

/** Softmax written straight from its definition: exp overflows for logits above ~88.72. */
function naiveSoftmax(logits: tf.Tensor2D): tf.Tensor2D {
  return tf.tidy(() => {
    const exps = tf.exp(logits);
    return tf.div(exps, tf.sum(exps, 1, true));
  });
}

/** Softmax of the logits less their maximum: every exponent is ≤ 0, the largest term is 1. */
function stableSoftmax(logits: tf.Tensor2D): tf.Tensor2D {
  return tf.tidy(() => {
    const exps = tf.exp(tf.sub(logits, tf.max(logits, 1, true)));
    return tf.div(exps, tf.sum(exps, 1, true));
  });
}

/**
 * The softmax of each row in float64, shifted by the row's maximum.
 *
 * @param logits Rows of `classes` logits, one after the other.
 * @param classes Logits per row.
 * @returns The probabilities, in the same layout.
 *
 * @example
 * ```ts
 * import { referenceSoftmax } from "./softmax_stability.ts";
 * // Shifting the logits changes nothing: softmax(1000, 1001) = softmax(0, 1).
 * const [a, b] = referenceSoftmax(Float32Array.of(1000, 1001), 2);
 * if (Math.abs(a - 1 / (1 + Math.E)) > 1e-16 || Math.abs(a + b - 1) > 1e-16) throw new Error();
 * ```
 */
export function referenceSoftmax(logits: Float32Array, classes: number): Float64Array {
  const result = new Float64Array(logits.length);
  for (let row = 0; row < logits.length; row += classes) {
    let largest = -Infinity;
    for (let i = 0; i < classes; i++) largest = Math.max(largest, logits[row + i]);
    let sum = 0;
    for (let i = 0; i < classes; i++) sum += result[row + i] = Math.exp(logits[row + i] - largest);
    for (let i = 0; i < classes; i++) result[row + i] /= sum;
  }
  return result;
}

/**
 * The smallest float32 logit x at which the naive softmax of (x, 0) on the active backend is no
 * longer finite, by bisection: where exp(x) overflows, ln(FLT_MAX) ≈ 88.7228 in IEEE float32.
 *
 * @returns The threshold, to float32 resolution.
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import { naiveOverflowLogit } from "./softmax_stability.ts";
 * await tf.setBackend("cpu");
 * const x = await naiveOverflowLogit();
 * if (Math.abs(x - Math.log(3.4028234663852886e38)) > 1e-4) throw new Error(String(x));
 * ```
 */
export async function naiveOverflowLogit(): Promise<number> {
  const fails = async (x: number) => {
    const output = tf.tidy(() => naiveSoftmax(tf.tensor2d([x, 0], [1, 2])));
    const values = await output.data();
    output.dispose();
    return !values.every(Number.isFinite);
  };
  let low = 0;
  let high = 1000;
  if (await fails(low) || !(await fails(high))) return Number.NaN;
  for (;;) {
    const middle = Math.fround((low + high) / 2);
    if (middle === low || middle === high) return high;
    if (await fails(middle)) high = middle;
    else low = middle;
  }
}

/** One scale's results. */
interface ScaleResult {
  scale: number;
  largestLogit: number;
  naiveFailures: number;
  naiveError: number | null;
  stableError: number;
  builtinError: number;
}

/** The `softmaxStability` analysis. */
export const softmaxStability: Analysis<SoftmaxStabilitySettings> = {
  schema,
  description: "naive softmax overflows on large logits; the max-shifted form stays exact",
  module: import.meta.url,
  metrics: () => [
    "naiveFailuresAtLargestScale",
    "naiveErrorAtSmallestScale",
    "stableMaxError",
    "builtinMaxError",
    "overflowLogit",
  ],
  async run(settings, { seed, backend }): Promise<AnalysisOutput> {
    const { classes, rows } = settings;
    const scales = [...settings.scales].sort((a, b) => a - b);
    const results: ScaleResult[] = [];
    for (const scale of scales) {
      const rng = createRng(deriveSeed(seed, "softmax", scale));
      const logits = Float32Array.from({ length: rows * classes }, () => scale * normal(rng));
      const reference = referenceSoftmax(logits, classes);
      const input = tf.tensor2d(logits, [rows, classes]);
      const outputs = [naiveSoftmax(input), stableSoftmax(input), tf.softmax(input) as tf.Tensor2D];
      const [naive, stable, builtin] = await Promise.all(outputs.map((output) => output.data()));
      tf.dispose([input, ...outputs]);
      const errors = rowErrors(naive, reference, classes);
      const finite = errors.filter((error) => Number.isFinite(error));
      results.push({
        scale,
        largestLogit: logits.reduce((a, b) => Math.max(a, b), -Infinity),
        naiveFailures: (errors.length - finite.length) / errors.length,
        naiveError: finite.length > 0 ? Math.max(...finite) : null,
        stableError: Math.max(...rowErrors(stable, reference, classes)),
        builtinError: Math.max(...rowErrors(builtin, reference, classes)),
      });
    }
    const overflowLogit = await naiveOverflowLogit();
    const smallest = results[0];
    const largest = results[results.length - 1];
    return {
      final: {
        naiveFailuresAtLargestScale: largest.naiveFailures,
        naiveErrorAtSmallestScale: smallest.naiveError ?? Number.NaN,
        stableMaxError: Math.max(...results.map((r) => r.stableError)),
        builtinMaxError: Math.max(...results.map((r) => r.builtinError)),
        overflowLogit,
      },
      artifacts: {
        failures: {
          kind: "lines",
          title: `Softmax vectors that come out NaN or infinite (${backend})`,
          description: `Share of ${rows} random vectors of ${classes} float32 logits (standard ` +
            "normal × scale) whose softmax has a non-finite entry, for the naive form " +
            "exp(x)/Σ exp(x), the max-shifted form and tf.softmax: the naive form fails once " +
            `the largest logit passes ln(FLT_MAX) = ${Math.log(FLOAT32_MAX).toFixed(4)} ` +
            `(bisection on this backend: ${overflowLogit.toFixed(4)}).`,
          xTitle: "logit scale",
          yTitle: "vectors with non-finite output (%)",
          logX: true,
          series: [
            {
              name: "naive",
              points: results.map((r) => ({ x: r.scale, y: 100 * r.naiveFailures })),
            },
            { name: "max-shifted", points: results.map((r) => ({ x: r.scale, y: 0 })) },
          ],
        },
        errors: {
          kind: "table",
          title: "Largest error against float64",
          description: "Per scale: the largest logit drawn, the share of vectors the naive form " +
            "turns into NaN or infinity, and each form's largest absolute error in a probability " +
            "against the float64 softmax of the same logits (the naive form's over its finite " +
            "vectors only).",
          columns: [
            "scale",
            "largest logit",
            "naive: non-finite",
            "naive: error",
            "max-shifted: error",
            "tf.softmax: error",
          ],
          rows: results.map((r) => [
            r.scale,
            formatSignificant(r.largestLogit, 5),
            `${formatSignificant(100 * r.naiveFailures, 3)} %`,
            r.naiveError === null ? null : formatSignificant(r.naiveError, 3),
            formatSignificant(r.stableError, 3),
            formatSignificant(r.builtinError, 3),
          ]),
        },
      },
    };
  },
};

/** Per row: the largest absolute difference from the reference; NaN where an entry is not finite. */
function rowErrors(values: ArrayLike<number>, reference: Float64Array, classes: number): number[] {
  const errors: number[] = [];
  for (let row = 0; row < reference.length; row += classes) {
    let error = 0;
    for (let i = 0; i < classes; i++) {
      const value = values[row + i];
      if (!Number.isFinite(value)) {
        error = Number.NaN;
        break;
      }
      error = Math.max(error, Math.abs(value - reference[row + i]));
    }
    errors.push(error);
  }
  return errors;
}
