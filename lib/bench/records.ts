/**
 * Benchmark records: what `deno task bench` writes to `reports/bench/bench.json`, the PyTorch
 * peer's figure beside each, the printed table and the data a chart needs.
 *
 * @module
 */

/** The workloads measured, named as the PyTorch peer (`lib/bench/torch_peer.py`) names them. */
export const WORKLOADS = [
  "mlp-train",
  "mlp-infer",
  "lenet5-train",
  "lenet5-infer",
  "matmul",
] as const;

/** A workload name. */
export type Workload = typeof WORKLOADS[number];

/** One measurement. */
export interface BenchRecord {
  workload: Workload;
  /**
   * `webgpu`, `wasm`, `wasm+openblas` (wasm with its native-BLAS kernels), `cpu`, or `pytorch` in
   * the peer's own list.
   */
  backend: string;
  /** What ran it: the GPU adapter (saying whether it is hardware or a software renderer) or CPU. */
  device: string;
  /** Examples per step; absent for matmul. */
  batch?: number;
  /** Matrix side for matmul; absent otherwise. */
  size?: number;
  value: number;
  /** `img/s` or `GFLOP/s`. */
  unit: string;
  /** PyTorch's value for the same workload and batch (or size) on this machine. */
  peer?: number;
  /** value / peer: above 1 means faster than PyTorch. */
  ratioToPeer?: number;
}

/**
 * Identifies a workload at one batch or size, across backends and the peer.
 *
 * @param record The workload and its batch or matrix size.
 * @returns E.g. `lenet5-train@64` or `matmul@1024²`.
 *
 * @example
 * ```ts
 * import { recordKey } from "./records.ts";
 * if (recordKey({ workload: "matmul", size: 1024 }) !== "matmul@1024²") throw new Error();
 * ```
 */
export function recordKey(record: Pick<BenchRecord, "workload" | "batch" | "size">): string {
  return `${record.workload}@${record.batch ?? `${record.size}²`}`;
}

/**
 * Adds the peer's value and the ratio ours / peer to each record that the peer also measured.
 *
 * @param records Our measurements.
 * @param peerRecords The peer's, with the same workload names and batch or size.
 * @returns New records; those without a peer figure are returned unchanged.
 *
 * @example
 * ```ts
 * import { attachPeer } from "./records.ts";
 * const [row] = attachPeer(
 *   [{ workload: "mlp-train", backend: "wasm", device: "cpu", batch: 64, value: 3000, unit: "img/s" }],
 *   [{ workload: "mlp-train", backend: "pytorch", device: "cpu", batch: 64, value: 6000, unit: "img/s" }],
 * );
 * if (row.ratioToPeer !== 0.5) throw new Error(`${row.ratioToPeer}`);
 * ```
 */
export function attachPeer(
  records: readonly BenchRecord[],
  peerRecords: readonly BenchRecord[],
): BenchRecord[] {
  const peers = new Map(peerRecords.map((record) => [recordKey(record), record.value]));
  return records.map((record) => {
    const peer = peers.get(recordKey(record));
    if (peer === undefined || !(peer > 0)) return record;
    return { ...record, peer, ratioToPeer: record.value / peer };
  });
}

/**
 * Formats a measurement with about 3 significant digits and thousands separators.
 *
 * @param value The number.
 * @returns E.g. `5,429`, `31.4`, `0.98`.
 *
 * @example
 * ```ts
 * import { formatBenchValue } from "./records.ts";
 * if (formatBenchValue(31.43) !== "31.4") throw new Error(formatBenchValue(31.43));
 * ```
 */
export function formatBenchValue(value: number): string {
  const digits = value >= 100 ? 0 : value >= 10 ? 1 : 2;
  return value.toLocaleString("en-US", {
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  });
}

/**
 * The cells of each record's row, as the terminal table and the bench page show them: workload,
 * backend, batch (or matmul size), value, unit, PyTorch's value, ours/PyTorch, device.
 *
 * @param records The measurements.
 * @param missing What an absent peer value shows.
 * @returns One row of eight strings per record.
 *
 * @example
 * ```ts
 * import { benchTableRows } from "./records.ts";
 * const [row] = benchTableRows([{
 *   workload: "matmul", backend: "wasm", device: "cpu", size: 1024, value: 25, unit: "GFLOP/s",
 * }], "-");
 * if (row[2] !== "1024²" || row[5] !== "-") throw new Error(row.join());
 * ```
 */
export function benchTableRows(records: readonly BenchRecord[], missing: string): string[][] {
  return records.map((record) => [
    record.workload,
    record.backend,
    record.batch !== undefined ? String(record.batch) : `${record.size}²`,
    formatBenchValue(record.value),
    record.unit,
    record.peer !== undefined ? formatBenchValue(record.peer) : missing,
    record.ratioToPeer !== undefined ? record.ratioToPeer.toFixed(2) : missing,
    record.device,
  ]);
}

/**
 * Renders records as a plain-text table, one row per measurement.
 *
 * @param records The measurements.
 * @returns The table, with a header line.
 *
 * @example
 * ```ts
 * import { formatBenchTable } from "./records.ts";
 * const table = formatBenchTable([{
 *   workload: "matmul", backend: "wasm", device: "cpu", size: 1024, value: 24.8,
 *   unit: "GFLOP/s", peer: 62, ratioToPeer: 0.4,
 * }]);
 * if (!table.includes("1024²") || !table.includes("0.40")) throw new Error(table);
 * ```
 */
export function formatBenchTable(records: readonly BenchRecord[]): string {
  const header = ["workload", "backend", "batch", "value", "unit", "torch", "ours/torch", "device"];
  const rows = benchTableRows(records, "-");
  const widths = header.map((title, i) =>
    Math.max(title.length, ...rows.map((row) => row[i].length))
  );
  const numeric = new Set([2, 3, 5, 6]);
  const line = (cells: string[]) =>
    cells.map((cell, i) =>
      i === cells.length - 1
        ? cell
        : numeric.has(i)
        ? cell.padStart(widths[i])
        : cell.padEnd(widths[i])
    ).join("  ");
  return [line(header), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)].join("\n");
}

/**
 * One line on the wasm backend's native BLAS, for the printed summary and the page.
 *
 * @param nativeBlas The bench header's record of it, or why there was none.
 * @returns E.g. `wasm+openblas: OpenBLAS 0.3.21 ... Haswell, up to 2 threads (libopenblas.so.0)`.
 *
 * @example
 * ```ts
 * import { describeBenchBlas } from "./records.ts";
 * const line = describeBenchBlas({ skipped: "turned off with DNN_BLAS=off" });
 * if (line !== "no wasm+BLAS rows: turned off with DNN_BLAS=off") throw new Error(line);
 * ```
 */
export function describeBenchBlas(
  nativeBlas: { name: string; library: string; version: string; threads: number } | {
    skipped: string;
  },
): string {
  if ("skipped" in nativeBlas) return `no wasm+BLAS rows: ${nativeBlas.skipped}`;
  const { name, library, version, threads } = nativeBlas;
  const threadNote = threads > 0 ? `, up to ${threads} thread${threads === 1 ? "" : "s"}` : "";
  return `wasm+${name}: ${version}${threadNote} (${library}), for matmuls and filter gradients`;
}

/** One chart: a bar per backend and PyTorch's value as a reference line. */
export interface BenchChart {
  /** E.g. "lenet5-train@64". */
  key: string;
  title: string;
  unit: string;
  bars: { label: string; value: number }[];
  /** PyTorch's figure, when the peer ran. */
  reference?: { label: string; value: number };
}

/**
 * Groups records into one chart per workload and batch (or size): a bar per backend, PyTorch as
 * the reference. The input a bar chart with reference lines needs (`lib/report/`).
 *
 * @param records The measurements, with peer values attached.
 * @returns The charts, in the order their workloads first appear.
 *
 * @example
 * ```ts
 * import { benchChartData } from "./records.ts";
 * const charts = benchChartData([
 *   { workload: "mlp-train", backend: "wasm", device: "cpu", batch: 64, value: 3000, unit: "img/s", peer: 6000, ratioToPeer: 0.5 },
 *   { workload: "mlp-train", backend: "cpu", device: "cpu", batch: 64, value: 200, unit: "img/s", peer: 6000, ratioToPeer: 0.03 },
 * ]);
 * if (charts.length !== 1 || charts[0].bars.length !== 2 || charts[0].reference?.value !== 6000) {
 *   throw new Error(JSON.stringify(charts));
 * }
 * ```
 */
export function benchChartData(records: readonly BenchRecord[]): BenchChart[] {
  const charts = new Map<string, BenchChart>();
  for (const record of records) {
    const key = recordKey(record);
    let chart = charts.get(key);
    if (!chart) {
      const at = record.batch !== undefined ? `batch ${record.batch}` : `${record.size}²`;
      chart = { key, title: `${record.workload}, ${at}`, unit: record.unit, bars: [] };
      charts.set(key, chart);
    }
    chart.bars.push({ label: record.backend, value: record.value });
    if (record.peer !== undefined) chart.reference = { label: "PyTorch", value: record.peer };
  }
  return [...charts.values()];
}
