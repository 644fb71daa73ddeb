/**
 * The benchmark itself: training and inference throughput of the framework's own training step
 * (`measureTraining`, `measureInference`) and matmul throughput, on each backend asked for, with
 * the PyTorch peer's figure beside each when PyTorch is installed.
 *
 * @module
 */

import * as tf from "@tensorflow/tfjs";
import { registerFastKernels } from "../backend/kernels/register_kernels.ts";
import {
  activateBackend,
  type BackendName,
  isHardwareGpu,
  probeWebGpu,
} from "../backend/select_backend.ts";
import type { ModelSpecInput } from "../models/presets.ts";
import { describeEnvironment } from "../run/environment.ts";
import { measureInference, measureTraining } from "../train/throughput.ts";
import { requestWasmThreads, runningWasmThreads } from "../backend/wasm_threads.ts";
import {
  activeNativeBlas,
  backendLabel,
  findNativeBlas,
  type NativeBlasRecord,
  useNativeBlas,
} from "../backend/native_blas.ts";
import { formatThreads } from "../experiment/records.ts";
import { measureMatMul } from "./matmul_throughput.ts";
import { attachPeer, type BenchRecord, type Workload } from "./records.ts";
import { findTorchPython, runTorchPeer } from "./torch_peer.ts";

/** What to measure. */
export interface BenchOptions {
  backends: readonly BackendName[];
  workloads: readonly Workload[];
  /** Batch sizes for the model workloads. */
  batches: readonly number[];
  /** Matrix sides for matmul. */
  matmulSizes: readonly number[];
  /** Timed seconds per measurement (slow backends get less; see {@linkcode SLOW_LIMITS}). */
  seconds: number;
  /** Whether to run the PyTorch peer. */
  peer: boolean;
  /** Threads for the wasm backend (default: one per core). */
  wasmThreads?: number;
  /** Progress lines go here. */
  log?: (line: string) => void;
}

/** What `reports/bench/bench.json` holds. */
export interface BenchReport {
  header: {
    versions: { deno: string; v8: string; typescript: string; tfjs: string };
    machine: { cpuModel: string; cpuCores: number; os: string; memoryGiB: number };
    date: string;
    seconds: number;
    /** The PyTorch peer's version and device, or why it did not run. */
    peer: { torch: string; device: string; threads: number } | { skipped: string };
    /** Backends asked for but not measured, with the reason. */
    skippedBackends: Record<string, string>;
    /** Measurements left out on slow backends, with the reason. */
    skippedMeasurements: string[];
    /**
     * The native BLAS under wasm's matmuls and filter gradients (the `wasm+openblas` records), or
     * why there is none; absent when wasm was not measured.
     */
    nativeBlas?: NativeBlasRecord | { skipped: string };
    /**
     * The machine's load averages over 1, 5 and 15 minutes when the run started and ended: other
     * work on the cores slows both sides, PyTorch's threads more than ours.
     */
    load?: { started: number[]; finished: number[] };
  };
  records: BenchRecord[];
}

/** The measured models, as the PyTorch peer builds them. */
export const BENCH_MODELS: Record<"mlp" | "lenet5", ModelSpecInput> = {
  mlp: { kind: "mlp", hidden: [800], activation: "relu", dropout: 0 },
  lenet5: { kind: "lenet5", activation: "relu", pooling: "max", dropout: 0 },
};

/**
 * Limits for backends that take seconds per step (tfjs's JavaScript cpu backend, WebGPU on a
 * software renderer): LeNet-5 at batch 512 takes about 9 s a step on the cpu backend.
 */
export const SLOW_LIMITS = { warmupSteps: 1, maxSteps: 3, maxSeconds: 1, maxMatMulSeconds: 5 };

/** A tfjs backend ready to measure, and what runs it. */
interface BenchBackend {
  name: BackendName;
  device: string;
  slow: boolean;
  /** For wasm: whether its kernels use the native BLAS. */
  nativeBlas?: boolean;
}

/**
 * Runs the benchmark.
 *
 * @param options Backends, workloads, sizes and duration.
 * @returns The header and one record per backend, workload and batch (or size).
 */
export async function runBench(options: BenchOptions): Promise<BenchReport> {
  const log = options.log ?? (() => {});
  const loadStarted = Deno.loadavg();
  tf.env().set("PROD", true);
  if (options.wasmThreads !== undefined) requestWasmThreads(options.wasmThreads);
  const environment = await describeEnvironment();
  const cpu = `cpu: ${environment.machine.cpuModel}`;
  const adapter = options.backends.includes("webgpu") ? await probeWebGpu() : undefined;
  const skippedBackends: Record<string, string> = {};
  const backends: BenchBackend[] = [];
  for (const name of options.backends) {
    if (name === "webgpu") {
      if (!adapter) {
        skippedBackends.webgpu = "no WebGPU adapter";
        continue;
      }
      const hardware = isHardwareGpu(adapter);
      const kind = hardware ? "hardware GPU" : "software renderer on the CPU";
      const label = adapter.description || `${adapter.vendor} ${adapter.device}`;
      backends.push({ name, device: `${label} (${kind})`, slow: !hardware });
    } else {
      backends.push({
        name,
        device: `${cpu} (${name === "wasm" ? "wasm SIMD" : "JavaScript"})`,
        slow: name === "cpu",
      });
    }
  }

  const records: BenchRecord[] = [];
  const skippedMeasurements: string[] = [];
  let nativeBlas: BenchReport["header"]["nativeBlas"];
  for (const backend of backends) {
    registerFastKernels(backend.name);
    await activateBackend(backend.name);
    if (backend.name === "wasm") {
      const wasm = `${cpu} (wasm SIMD, ${formatThreads(runningWasmThreads() ?? 1)}`;
      backend.device = `${wasm})`;
      const search = findNativeBlas();
      const blas = activeNativeBlas();
      nativeBlas = blas?.record ?? { skipped: search.reason ?? "turned off" };
      if (blas) {
        // The same run measures wasm with its BLAS kernels, then without.
        const { version, threads } = blas.record;
        const device = `${wasm}; ${version}, up to ${formatThreads(threads)})`;
        records.push(
          ...await measureBackend({ ...backend, nativeBlas: true, device }, options, {
            skippedMeasurements,
            log,
          }),
        );
        backend.nativeBlas = false;
      }
    }
    records.push(...await measureBackend(backend, options, { skippedMeasurements, log }));
  }

  let peer: BenchReport["header"]["peer"] = { skipped: "--no-peer" };
  let withPeer = records;
  if (options.peer) {
    const python = await findTorchPython();
    if (!python) {
      peer = { skipped: "no python3 that can import torch (apt-get install python3-torch)" };
    } else {
      log(`PyTorch peer (${python}) ...`);
      try {
        const result = await runTorchPeer(python, {
          workloads: options.workloads,
          batches: options.batches,
          seconds: options.seconds,
        });
        peer = { torch: result.torch, device: result.device, threads: result.threads };
        withPeer = attachPeer(records, result.records);
      } catch (error) {
        peer = { skipped: (error as Error).message };
      }
    }
  }
  return {
    header: {
      versions: environment.versions,
      machine: environment.machine,
      date: new Date().toISOString(),
      seconds: options.seconds,
      peer,
      skippedBackends,
      skippedMeasurements,
      ...(nativeBlas ? { nativeBlas } : {}),
      load: { started: loadStarted, finished: Deno.loadavg() },
    },
    records: withPeer,
  };
}

/** Measures every workload on one backend (for wasm, with or without its BLAS kernels). */
async function measureBackend(
  backend: BenchBackend,
  options: BenchOptions,
  report: { skippedMeasurements: string[]; log: (line: string) => void },
): Promise<BenchRecord[]> {
  if (backend.nativeBlas !== undefined) useNativeBlas(backend.nativeBlas);
  const records: BenchRecord[] = [];
  try {
    for (const workload of options.workloads) {
      const measured = await measureWorkload(backend, workload, options);
      report.skippedMeasurements.push(...measured.skipped);
      for (const record of measured.records) {
        report.log(
          `${record.backend} ${record.workload} ${record.batch ?? `${record.size}²`}: ${
            record.value.toFixed(1)
          } ${record.unit}`,
        );
        records.push(record);
      }
    }
  } finally {
    if (backend.nativeBlas !== undefined) useNativeBlas(true);
  }
  return records;
}

/** Measures one workload at every batch (or size) on the active backend. */
async function measureWorkload(
  backend: BenchBackend,
  workload: Workload,
  options: BenchOptions,
): Promise<{ records: BenchRecord[]; skipped: string[] }> {
  const label = backendLabel({
    name: backend.name,
    nativeBlas: backend.nativeBlas ? activeNativeBlas()?.record : undefined,
  });
  const base = { workload, backend: label, device: backend.device };
  const seconds = backend.slow
    ? Math.min(options.seconds, SLOW_LIMITS.maxSeconds)
    : options.seconds;
  if (workload === "matmul") {
    const records: BenchRecord[] = [];
    const skipped: string[] = [];
    let secondsPerFlop = 0;
    for (const size of [...options.matmulSizes].sort((a, b) => a - b)) {
      // Skip a size whose single matmul would take too long, judged by the last size measured.
      const estimate = secondsPerFlop * 2 * size ** 3;
      if (backend.slow && estimate > SLOW_LIMITS.maxMatMulSeconds) {
        skipped.push(
          `${backend.name} matmul ${size}²: about ${estimate.toFixed(0)} s per matmul, over ` +
            `${SLOW_LIMITS.maxMatMulSeconds} s`,
        );
        continue;
      }
      const { gigaflopsPerSecond } = await measureMatMul(size, seconds);
      secondsPerFlop = 1 / (gigaflopsPerSecond * 1e9);
      records.push({ ...base, size, value: gigaflopsPerSecond, unit: "GFLOP/s" });
    }
    return { records, skipped };
  }
  const [modelName, mode] = workload.split("-") as ["mlp" | "lenet5", "train" | "infer"];
  const measure = mode === "train" ? measureTraining : measureInference;
  const records: BenchRecord[] = [];
  for (const batch of options.batches) {
    const { examplesPerSecond } = await measure({
      model: BENCH_MODELS[modelName],
      batchSize: batch,
      minSeconds: seconds,
      ...(backend.slow
        ? { warmupSteps: SLOW_LIMITS.warmupSteps, maxSteps: SLOW_LIMITS.maxSteps }
        : {}),
    });
    records.push({ ...base, batch, value: examplesPerSecond, unit: "img/s" });
  }
  return { records, skipped: [] };
}
