/**
 * Matrix multiplication throughput on the active tfjs backend.
 *
 * @module
 */

import * as tf from "@tensorflow/tfjs";

/** A matmul measurement. */
export interface MatMulThroughput {
  /** 2n³ floating-point operations per matmul, per second, in billions. */
  gigaflopsPerSecond: number;
  /** Matmuls timed. */
  count: number;
  /** Seconds the timed matmuls took, up to the last read-back. */
  seconds: number;
}

/**
 * Measures square fp32 matmul throughput: one warm-up matmul (shader compilation, allocation),
 * then chunks of matmuls queued back to back with one read-back per chunk, doubling the chunk
 * until `minSeconds` have passed or `maxCount` matmuls have run.
 *
 * @param size The matrices' side n.
 * @param minSeconds Time at least this long...
 * @param maxCount ...but stop after this many matmuls.
 * @returns GFLOP/s, counting 2n³ operations per matmul.
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import { measureMatMul } from "./matmul_throughput.ts";
 * await tf.setBackend("cpu");
 * const { gigaflopsPerSecond, count } = await measureMatMul(32, 0.01);
 * if (!(gigaflopsPerSecond > 0) || count < 1) throw new Error("no measurement");
 * ```
 */
export async function measureMatMul(
  size: number,
  minSeconds: number,
  maxCount = 1000,
): Promise<MatMulThroughput> {
  const a = tf.randomUniform([size, size], -1, 1, "float32", 1);
  const b = tf.randomUniform([size, size], -1, 1, "float32", 2);
  // Reads back one element so that the read-back costs nothing next to the matmuls.
  const run = async (count: number) => {
    let last: tf.Tensor | undefined;
    for (let i = 0; i < count; i++) {
      last?.dispose();
      last = tf.matMul(a, b);
    }
    const corner = tf.slice(last!, [0, 0], [1, 1]);
    await corner.data();
    tf.dispose([last!, corner]);
  };
  try {
    await run(1);
    let count = 0;
    let chunk = 1;
    const started = performance.now();
    for (;;) {
      await run(chunk);
      count += chunk;
      const seconds = (performance.now() - started) / 1000;
      if (seconds >= minSeconds || count >= maxCount) {
        return { gigaflopsPerSecond: (count * 2 * size ** 3) / seconds / 1e9, count, seconds };
      }
      chunk = Math.min(chunk * 2, maxCount - count);
    }
  } finally {
    tf.dispose([a, b]);
  }
}
