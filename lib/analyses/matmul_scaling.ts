/**
 * The `matmulScaling` analysis (chapter 2): square float32 matrix products on the chosen tfjs
 * backend, n = 64 … 2048. The operation count 2n³ and the memory the operands occupy are
 * deterministic and go to the metrics' table; the measured throughput, which varies between
 * runs, goes to `run.json`. Each product up to `checkUpTo` is also checked against a float64
 * product of the same inputs, so the throughput is that of a correct multiplication.
 *
 * @module
 */

import * as tf from "@tensorflow/tfjs";
import { z } from "zod";
import type { JsonValue } from "../experiment/records.ts";
import type { Analysis, AnalysisOutput } from "./analysis.ts";
import { formatSignificant } from "../report/format.ts";
import { measureMatMul } from "../bench/matmul_throughput.ts";
import { frobeniusNorm, matrix, multiply } from "../linalg/matrix.ts";
import { createRng, deriveSeed } from "../random/seed.ts";

const schema = z.strictObject({
  kind: z.literal("matmulScaling"),
  /** Matrix sides n, for n × n times n × n. */
  sizes: z.array(z.number().int().min(2).max(8192)).min(1).default([
    64,
    128,
    256,
    512,
    1024,
    2048,
  ]),
  /** Seconds to time each size for (at least). */
  seconds: z.number().positive().default(1),
  /** Sizes up to this are checked against a float64 product (n³ work in plain TypeScript). */
  checkUpTo: z.number().int().min(2).default(512),
}).refine((settings) => settings.sizes.some((n) => n <= settings.checkUpTo), {
  message: "expected at least one size of at most checkUpTo, so that some product is checked",
  path: ["checkUpTo"],
});

/** The `matmulScaling` analysis's settings. */
export type MatmulScalingSettings = z.output<typeof schema>;

/**
 * Floating-point operations of an n × n by n × n product: n² dot products of n multiplies and
 * n − 1 adds, counted as 2n³ by convention.
 *
 * @param n The side.
 * @returns 2n³.
 *
 * @example
 * ```ts
 * import { matmulFlops } from "./matmul_scaling.ts";
 * if (matmulFlops(1024) !== 2 * 1024 ** 3) throw new Error();
 * ```
 */
export function matmulFlops(n: number): number {
  return 2 * n ** 3;
}

/**
 * ‖C − C₆₄‖_F / ‖C₆₄‖_F for the product of two seeded n × n matrices of uniform entries in
 * [−1, 1): the active backend's float32 product against a float64 product of the same
 * (float32-rounded) inputs.
 *
 * @param n The side.
 * @param seed Seed of the inputs.
 * @returns The relative error.
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import { matmulRelativeError } from "./matmul_scaling.ts";
 * await tf.setBackend("cpu");
 * const error = await matmulRelativeError(32, 1);
 * if (!(error > 0 && error < 1e-6)) throw new Error(String(error));
 * ```
 */
export async function matmulRelativeError(n: number, seed: number): Promise<number> {
  const draw = (label: string) => {
    const rng = createRng(deriveSeed(seed, "matmul", n, label));
    return Float32Array.from({ length: n * n }, () => 2 * rng() - 1);
  };
  const a = draw("a");
  const b = draw("b");
  const product = tf.tidy(() => tf.matMul(tf.tensor2d(a, [n, n]), tf.tensor2d(b, [n, n])));
  const computed = await product.data();
  product.dispose();
  const reference = multiply(
    matrix(n, n, Float64Array.from(a)),
    matrix(n, n, Float64Array.from(b)),
  );
  const difference = reference.data.map((value, i) => computed[i] - value);
  return frobeniusNorm(difference) / frobeniusNorm(reference);
}

/** The `matmulScaling` analysis. */
export const matmulScaling: Analysis<MatmulScalingSettings> = {
  schema,
  description: "square float32 matmul throughput against size on the chosen backend",
  module: import.meta.url,
  metrics: () => ["maxRelativeError"],
  async run(settings, { seed, backend, progress }): Promise<AnalysisOutput> {
    const sizes = [...settings.sizes].sort((a, b) => a - b);
    const checked = sizes.filter((n) => n <= settings.checkUpTo);
    const errors: number[] = [];
    for (const n of checked) errors.push(await matmulRelativeError(n, seed));
    const measured: { size: number; gigaflopsPerSecond: number; count: number; seconds: number }[] =
      [];
    for (const n of sizes) {
      progress.log(`matmulScaling: timing ${n} × ${n} products on ${backend}`);
      measured.push({ size: n, ...(await measureMatMul(n, settings.seconds)) });
    }
    return {
      final: {
        maxRelativeError: Math.max(...errors),
      },
      artifacts: {
        flops: {
          kind: "table",
          title: "What one product costs",
          description: "For each side n: the 2n³ floating-point operations of an n × n by n × n " +
            "product, the 12n² bytes its three float32 matrices occupy, their ratio (n / 6 " +
            "operations per byte: large products reuse each number more, which is why they run " +
            "faster per operation), and the float32 product's relative error against float64.",
          columns: ["n", "FLOPs (2n³)", "bytes (12n²)", "FLOPs per byte", "relative error"],
          rows: sizes.map((n) => {
            const error = errors[checked.indexOf(n)];
            return [
              n,
              matmulFlops(n),
              12 * n * n,
              formatSignificant(matmulFlops(n) / (12 * n * n), 4),
              error === undefined ? null : formatSignificant(error, 3),
            ];
          }),
        },
      },
      measurements: { matmul: measured as unknown as JsonValue },
      measuredArtifacts: {
        throughput: {
          kind: "lines",
          title: `Matrix multiplication throughput on ${backend}`,
          description: `GFLOP/s (2n³ operations per product, over at least ${settings.seconds} s ` +
            `per size) of square float32 products on the ${backend} backend, against the side n.`,
          xTitle: "n",
          yTitle: "GFLOP/s",
          logX: true,
          series: [{
            name: backend,
            points: measured.map((m) => ({ x: m.size, y: m.gigaflopsPerSecond })),
          }],
        },
        "throughput-table": {
          kind: "table",
          title: `Measured products on ${backend}`,
          description: "Products timed per size, the seconds they took and the throughput.",
          columns: ["n", "products", "seconds", "GFLOP/s", "ms per product"],
          rows: measured.map((m) => [
            m.size,
            m.count,
            Number(m.seconds.toFixed(3)),
            Number(m.gigaflopsPerSecond.toFixed(2)),
            Number(((m.seconds / m.count) * 1000).toPrecision(4)),
          ]),
        },
      },
    };
  },
};
