/**
 * GPU price against performance: euros per peak FP32 TFLOP/s, for the GPUs of `data/gpus.yaml`
 * that have a price (the course's table and its Quadro GP100 slide).
 *
 * @module
 */

import type { GpuRow } from "./tables.ts";

/** One GPU's price per unit of peak single-precision throughput. */
export interface GpuPricePerformance {
  /** The GPU, as `data/gpus.yaml` names it. */
  name: string;
  /** Year of release. */
  year: number;
  /** The price the course quotes, euros. */
  priceEur: number;
  /** Peak FP32 TFLOP/s without tensor cores. */
  fp32Tflops: number;
  /** `priceEur / fp32Tflops`. */
  eurosPerTflop: number;
  /** One of the three GPUs of the course's table. */
  inCourseTable: boolean;
  /** The row's price or throughput is marked unverified in the table. */
  unverified: boolean;
}

/**
 * Euros per peak TFLOP/s.
 *
 * @param priceEur The price in euros.
 * @param fp32Tflops Peak FP32 throughput in TFLOP/s.
 * @returns `priceEur / fp32Tflops`.
 * @throws {RangeError} When either is not a positive finite number.
 *
 * @example
 * ```ts
 * import { eurosPerTflop } from "./price_performance.ts";
 * // GTX 1080 in the course's table: 600 EUR, 8.23 TFLOP/s.
 * if (Math.abs(eurosPerTflop(600, 8.23) - 72.9) > 0.01) throw new Error("wrong price");
 * ```
 */
export function eurosPerTflop(priceEur: number, fp32Tflops: number): number {
  for (const [label, value] of [["priceEur", priceEur], ["fp32Tflops", fp32Tflops]] as const) {
    if (!(Number.isFinite(value) && value > 0)) {
      throw new RangeError(`${label}: expected a positive number, found ${value}`);
    }
  }
  return priceEur / fp32Tflops;
}

/**
 * Euros per peak FP32 TFLOP/s of every GPU that has a price, in table order.
 *
 * @param rows The rows of `data/gpus.yaml`.
 * @returns One entry per row with `priceEur`.
 *
 * @example
 * ```ts
 * import { gpuPricePerformance } from "./price_performance.ts";
 * const [entry] = gpuPricePerformance([
 *   { name: "Titan X (Pascal)", year: 2016, fp32Tflops: 10.16, priceEur: 1300, source: "heise" },
 *   { name: "GTX 580", year: 2010, fp32Tflops: 1.58, source: "NVIDIA" },
 * ]);
 * if (entry.name !== "Titan X (Pascal)" || Math.round(entry.eurosPerTflop) !== 128) {
 *   throw new Error("wrong entry");
 * }
 * ```
 */
export function gpuPricePerformance(rows: readonly GpuRow[]): GpuPricePerformance[] {
  return rows.flatMap((row) =>
    row.priceEur === undefined ? [] : [{
      name: row.name,
      year: row.year,
      priceEur: row.priceEur,
      fp32Tflops: row.fp32Tflops,
      eurosPerTflop: eurosPerTflop(row.priceEur, row.fp32Tflops),
      inCourseTable: row.inCourseTable ?? false,
      unverified: row.unverified ?? false,
    }]
  );
}
