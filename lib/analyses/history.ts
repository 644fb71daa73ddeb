/**
 * The `history` analysis (chapter 1): the field's growth as sourced data — brains, data sets,
 * network sizes, ILSVRC error, GPUs, MNIST results — with the doubling trends fitted, the classic
 * architectures' sizes computed from their layers, and this machine's own throughput measured on
 * every backend and placed beside the historical GPUs. Nothing is trained.
 *
 * Tables, counts and fits are deterministic artifacts (`metrics.json`); the measured throughput
 * and the charts that include it are measurements (`run.json`).
 *
 * @module
 */

import * as tf from "@tensorflow/tfjs";
import { z } from "zod";
import { formatThreads, type JsonValue } from "../experiment/records.ts";
import type { Analysis, AnalysisOutput } from "./analysis.ts";
import { type HistoryTables, loadHistoryTables } from "../history/tables.ts";
import { ARCHITECTURES, countArchitecture } from "../models/architectures.ts";
import { type DoublingFit, fitDoublingTime } from "../history/doubling.ts";
import { fitDoublingTrend } from "../report/charts/fit_doubling_trend.ts";
import type { TimePoint } from "../report/charts/log_time_series.ts";
import type { Artifact } from "../report/artifacts.ts";
import {
  activateBackend,
  type BackendName,
  BACKENDS,
  isHardwareGpu,
  probeWebGpu,
} from "../backend/select_backend.ts";
import { measureMatMul } from "../bench/matmul_throughput.ts";
import { measureInference, measureTraining } from "../train/throughput.ts";
import { cpuModel } from "../run/environment.ts";
import { runningWasmThreads } from "../backend/wasm_threads.ts";

const schema = z.strictObject({
  kind: z.literal("history"),
  /** Where the YAML tables are. */
  tables: z.string().min(1).default("data"),
  throughput: z.strictObject({
    /** Backends to measure; those this machine lacks are skipped. */
    backends: z.array(z.enum(BACKENDS)).default([...BACKENDS]),
    /** Square matmul sizes, n for n x n. */
    matmulSizes: z.array(z.number().int().min(2)).min(1).default([256, 512, 1024]),
    /** LeNet-5 batch size for training and inference. */
    batchSize: z.number().int().min(1).default(64),
    /** Seconds per measurement (at least). */
    seconds: z.number().positive().default(1),
  }).default({ backends: [...BACKENDS], matmulSizes: [256, 512, 1024], batchSize: 64, seconds: 1 }),
});

/** The `history` analysis's settings. */
export type HistorySettings = z.output<typeof schema>;

/**
 * The book's claim is about networks "since the introduction of hidden units" (Goodfellow et al.
 * 2016, p. 23): the fit starts at the first back-propagation network, 1986.
 */
export const HIDDEN_UNITS_YEAR = 1986;

/** The networks the doubling claim covers, as points for the fit. */
function networkSizePoints(tables: HistoryTables): { year: number; value: number }[] {
  return tables.network_sizes.rows.filter((row) => row.year >= HIDDEN_UNITS_YEAR).map((row) => ({
    year: row.year,
    value: row.neurons,
  }));
}

/**
 * A metric name for an architecture's computed parameter count, e.g. `vgg16Parameters`.
 *
 * @param name The architecture's display name.
 * @returns The metric's name.
 *
 * @example
 * ```ts
 * import { parameterMetric } from "./history.ts";
 * if (parameterMetric("MobileNet v1 (1.0, 224)") !== "mobilenetv1Parameters") throw new Error();
 * ```
 */
export function parameterMetric(name: string): string {
  const slug = name.toLowerCase().replace(/\(.*?\)/g, "").replace(/[^a-z0-9]+/g, "");
  return `${slug}Parameters`;
}

/** One measured backend: what `run.json` keeps under `measurements.throughput`. */
interface BackendThroughput {
  backend: BackendName;
  device: string;
  hardwareGpu: boolean;
  matmul: { size: number; gigaflopsPerSecond: number }[];
  lenet5TrainImagesPerSecond: number;
  lenet5InferImagesPerSecond: number;
}

/** The `history` analysis. */
export const history: Analysis<HistorySettings> = {
  schema,
  description: "redraw the field's historical comparisons from sourced data, with this machine",
  module: import.meta.url,
  metrics: () => [
    "networkSizeDoublingYears",
    "gpuFp32DoublingYears",
    "ilsvrcErrorFactor",
    ...ARCHITECTURES.map((architecture) => parameterMetric(architecture.name)),
  ],
  async prepare(settings) {
    await loadHistoryTables(settings.tables);
  },
  async run(settings, { progress }): Promise<AnalysisOutput> {
    const tables = await loadHistoryTables(settings.tables);
    const architectures = ARCHITECTURES.map((architecture) => ({
      architecture,
      counted: countArchitecture(architecture),
    }));
    const networkTrend = fitDoublingTime(networkSizePoints(tables));
    const gpuTrend = fitDoublingTime(
      tables.gpus.rows.map((row) => ({ year: row.year, value: row.fp32Tflops })),
    );
    const ilsvrc = [...tables.ilsvrc.rows].sort((a, b) => a.year - b.year);
    progress.log("history: measuring this machine's throughput on each backend");
    const throughput = await measureAllBackends(settings.throughput);
    return {
      final: {
        networkSizeDoublingYears: networkTrend.doublingYears,
        gpuFp32DoublingYears: gpuTrend.doublingYears,
        ilsvrcErrorFactor: ilsvrc[0].top5ErrorPercent / ilsvrc[ilsvrc.length - 1].top5ErrorPercent,
        ...Object.fromEntries(
          architectures.map(({ architecture, counted }) => [
            parameterMetric(architecture.name),
            counted.parameters,
          ]),
        ),
      },
      artifacts: {
        ...networkArtifacts(tables, networkTrend),
        ...datasetArtifacts(tables),
        ...ilsvrcArtifacts(tables),
        ...gpuArtifacts(tables, gpuTrend),
        ...architectureArtifacts(architectures),
        ...brainArtifacts(tables),
        ...mnistArtifacts(tables),
      },
      measurements: { throughput: throughput as unknown as JsonValue },
      measuredArtifacts: machineArtifacts(tables, throughput),
    };
  },
};

function networkArtifacts(tables: HistoryTables, trend: DoublingFit): Record<string, Artifact> {
  const networks = tables.network_sizes;
  const allTrend = fitDoublingTime(
    networks.rows.map((row) => ({ year: row.year, value: row.neurons })),
  );
  return {
    networkSize: {
      kind: "timeSeries",
      title: "Network size over time (Goodfellow et al. 2016, Fig. 1.11)",
      description:
        `Neurons of ${networks.rows.length} networks from 1958 to 2014 on a log scale, ` +
        `with the animals the book draws for reference. The book states that "since the ` +
        `introduction of hidden units" networks have doubled in size about every 2.4 years; a ` +
        `least-squares fit of log2(neurons) over the networks from ${HIDDEN_UNITS_YEAR} on gives ` +
        `${trend.doublingYears.toFixed(2)} years (all ${networks.rows.length} networks: ` +
        `${allTrend.doublingYears.toFixed(2)}). Sizes marked as estimates are not published ` +
        `counts (see data/network_sizes.yaml), so the fitted figure is indicative only.`,
      yTitle: "Neurons (log scale)",
      points: networks.rows.map((row) => ({
        year: row.year,
        value: row.neurons,
        label: row.name,
        group: row.estimate ? "estimate read off the plot" : "primary-source count",
      })),
      trend: fitDoublingTrend(networkSizePoints(tables)),
      references: networks.referenceLines
        .filter((line) => line.neurons > 0)
        .map((line) => ({ label: line.name, value: line.neurons })),
    },
  };
}

function datasetArtifacts(tables: HistoryTables): Record<string, Artifact> {
  const missing = tables.dataset_sizes.rows.filter((row) => row.examples === null);
  return {
    datasetSizes: {
      kind: "timeSeries",
      title: "Data set sizes (Goodfellow et al. 2016, Fig. 1.8)",
      description: `Examples per data set from Iris (1936) to WMT 2014, log scale.${
        missing.map((row) =>
          ` ${row.name} (${row.year}) is not plotted: ${row.note ?? "its size is unknown"}.`
        ).join("")
      }`,
      yTitle: "Examples (log scale)",
      points: tables.dataset_sizes.rows.filter((row) => row.examples !== null).map((row) => ({
        year: row.year,
        value: row.examples!,
        label: row.name,
        group: row.unit,
      })),
    },
  };
}

function ilsvrcArtifacts(tables: HistoryTables): Record<string, Artifact> {
  const rows = tables.ilsvrc.rows;
  return {
    ilsvrc: {
      kind: "bars",
      title: "ILSVRC top-5 error (Goodfellow et al. 2016, Fig. 1.12)",
      description: `ILSVRC winners' top-5 error fell from ${
        rows[0].top5ErrorPercent.toFixed(2)
      } % to ${rows.at(-1)!.top5ErrorPercent.toFixed(2)} %.`,
      yTitle: "Top-5 error (%)",
      format: ".1f",
      bars: rows.map((row) => ({ label: `${row.year} ${row.team}`, value: row.top5ErrorPercent })),
    },
  };
}

function gpuArtifacts(tables: HistoryTables, _trend: DoublingFit): Record<string, Artifact> {
  return {
    gpuTable: {
      kind: "table",
      title: "The course's GPU table and its neighbours (data/gpus.yaml)",
      description: "Published FP32 peak, bandwidth, memory, power and price of each GPU.",
      columns: [
        "GPU",
        "year",
        "FP32 TFLOP/s",
        "bandwidth GB/s",
        "memory GB",
        "TDP W",
        "price €",
        "source",
      ],
      rows: tables.gpus.rows.map((row) => [
        row.name,
        row.year,
        row.fp32Tflops,
        row.bandwidthGbs ?? "",
        row.memoryGb ?? "",
        row.tdpWatts ?? "",
        row.priceEur ?? "",
        row.source + (row.note ? ` (${row.note})` : ""),
      ]),
    },
  };
}

function machineArtifacts(
  tables: HistoryTables,
  throughput: readonly BackendThroughput[],
): Record<string, Artifact> {
  const runYear = new Date().getUTCFullYear();
  const gpuPoints: TimePoint[] = tables.gpus.rows.map((row) => ({
    year: row.year,
    value: row.fp32Tflops,
    label: row.name,
    group: "published FP32 peak",
  }));
  const machinePoints: TimePoint[] = throughput.map((entry) => ({
    year: runYear,
    value: Math.max(...entry.matmul.map((m) => m.gigaflopsPerSecond)) / 1000,
    label: `this machine: ${entry.backend}`,
    group: "this machine, measured matmul",
  }));
  const years = gpuPoints.map((point) => point.year);
  return {
    gpus: {
      kind: "timeSeries",
      title: "GPUs over time, and this machine",
      description: `Peak FP32 TFLOP/s of ${gpuPoints.length} GPUs from ${Math.min(...years)} to ${
        Math.max(...years)
      }, and this machine's best measured fp32 matmul on each backend (tfjs on Deno: ${
        throughput.map((t) => t.backend).join(", ") || "none"
      }), placed at the year of the run.`,
      yTitle: "TFLOP/s (log scale)",
      points: [...gpuPoints, ...machinePoints],
      trend: fitDoublingTrend(gpuPoints),
      groupOrder: ["published FP32 peak", "this machine, measured matmul"],
    },
    machine: {
      kind: "table",
      title: "This machine, measured with the framework",
      description: "Matmul throughput and LeNet-5 training and inference speed on each backend.",
      columns: [
        "backend",
        "device",
        "matmul GFLOP/s",
        "LeNet-5 train img/s",
        "LeNet-5 infer img/s",
      ],
      rows: throughput.map((entry) => [
        entry.backend,
        entry.device,
        entry.matmul.map((m) => `${m.size}²: ${m.gigaflopsPerSecond.toFixed(1)}`).join(", "),
        Math.round(entry.lenet5TrainImagesPerSecond),
        Math.round(entry.lenet5InferImagesPerSecond),
      ]),
    },
  };
}

function architectureArtifacts(
  architectures: {
    architecture: (typeof ARCHITECTURES)[number];
    counted: { parameters: number; multiplyAdds: number };
  }[],
): Record<string, Artifact> {
  const count = (value: number) => value.toLocaleString("en-US");
  const difference = (computed: number, published: number) =>
    computed === published
      ? "exact"
      : `${computed > published ? "+" : ""}${
        (100 * (computed - published) / published).toFixed(2)
      } %`;
  return {
    sizeAgainstError: {
      kind: "scatter",
      title: "Classic architectures: model size against ImageNet top-5 error",
      description:
        "Parameters counted from each architecture's layers (no weights downloaded, log scale) against published ILSVRC top-5 error.",
      xTitle: "Parameters (log scale)",
      yTitle: "Top-5 error (%)",
      logX: true,
      points: architectures.filter(({ architecture }) =>
        architecture.top5ErrorPercent !== undefined
      )
        .map(({ architecture, counted }) => ({
          x: counted.parameters,
          y: architecture.top5ErrorPercent!,
          label: `${architecture.name} (${architecture.year})`,
        })),
    },
    architectures: {
      kind: "table",
      title: "Classic architectures: computed against published counts",
      description:
        "Parameters and multiply–adds counted from each architecture's layers, beside the published counts.",
      columns: [
        "architecture",
        "year",
        "parameters (computed)",
        "published",
        "difference",
        "multiply–adds (computed)",
        "published",
        "difference",
        "sources",
      ],
      rows: architectures.map(({ architecture: a, counted }) => [
        a.name,
        a.year,
        count(counted.parameters),
        count(a.published.parameters),
        difference(counted.parameters, a.published.parameters),
        count(counted.multiplyAdds),
        a.published.multiplyAdds === undefined ? "" : count(a.published.multiplyAdds),
        a.published.multiplyAdds === undefined
          ? ""
          : difference(counted.multiplyAdds, a.published.multiplyAdds),
        `${a.implementation}; ${a.published.parametersSource}${
          a.published.multiplyAddsSource ? `; ${a.published.multiplyAddsSource}` : ""
        }`,
      ]),
    },
  };
}

function brainArtifacts(tables: HistoryTables): Record<string, Artifact> {
  return {
    brains: {
      kind: "bars",
      title: "Neurons in the brain (the course's table)",
      description: "Neurons per animal from C. elegans (302) to the African elephant, log scale.",
      yTitle: "Neurons (log scale)",
      logY: true,
      bars: tables.brains.rows.filter((row) => row.neurons !== null).map((row) => ({
        label: row.name,
        value: row.neurons!,
      })),
    },
    cortex: {
      kind: "bars",
      title: "Neurons in the cerebral cortex (the course's table)",
      description: "Cortical neurons from the mouse to the long-finned pilot whale, log scale.",
      yTitle: "Neurons (log scale)",
      logY: true,
      bars: tables.cortex_neurons.rows.map((row) => ({ label: row.name, value: row.neurons })),
    },
  };
}

function mnistArtifacts(tables: HistoryTables): Record<string, Artifact> {
  return {
    mnistResults: {
      kind: "bars",
      title: "MNIST test error over the years",
      description: "Test error of the methods in LeCun et al. 1998 and later results.",
      yTitle: "Test error (%)",
      format: ".2f",
      bars: tables.mnist_results.rows.map((row) => ({
        label: `${row.method} (${row.year})`,
        value: row.testErrorPercent,
      })),
    },
  };
}

async function measureAllBackends(
  options: HistorySettings["throughput"],
): Promise<BackendThroughput[]> {
  const adapter = await probeWebGpu();
  const original = tf.getBackend() as BackendName;
  const cpu = await cpuModel();
  const results: BackendThroughput[] = [];
  const lenet5 = { kind: "lenet5", activation: "relu", pooling: "max", dropout: 0 } as const;
  try {
    for (const backend of options.backends) {
      if (backend === "webgpu" && !adapter) continue;
      await activateBackend(backend);
      // The pure-JavaScript cpu backend takes seconds per LeNet-5 step: a few steps suffice.
      const slow = backend === "cpu";
      const matmul = [];
      for (const size of options.matmulSizes) {
        const measured = await measureMatMul(size, options.seconds, slow ? 3 : 1000);
        matmul.push({ size, gigaflopsPerSecond: measured.gigaflopsPerSecond });
      }
      const limits = {
        model: lenet5,
        batchSize: options.batchSize,
        minSeconds: options.seconds,
        warmupSteps: slow ? 1 : 3,
        maxSteps: slow ? 2 : 10_000,
      };
      const train = await measureTraining(limits);
      const infer = await measureInference(limits);
      const gpu = backend === "webgpu" && adapter !== undefined;
      results.push({
        backend,
        device: gpu
          ? `${adapter.description}${isHardwareGpu(adapter) ? "" : " (software, on the CPU)"}`
          : backend === "wasm"
          ? `${cpu} (${formatThreads(runningWasmThreads() ?? 1)})`
          : cpu,
        hardwareGpu: gpu && isHardwareGpu(adapter),
        matmul,
        lenet5TrainImagesPerSecond: train.examplesPerSecond,
        lenet5InferImagesPerSecond: infer.examplesPerSecond,
      });
    }
  } finally {
    await activateBackend(original);
  }
  return results;
}
