/**
 * The `history` task (chapter 1): the field's growth as sourced data — brains, data sets, network
 * sizes, ILSVRC error, GPUs, MNIST results — with the doubling trends fitted, the classic
 * architectures' sizes computed from their layers, and this machine's own throughput measured on
 * every backend and placed beside the historical GPUs. Nothing is trained.
 *
 * Tables, counts and fits are deterministic and go to `metrics.json`; the measured throughput is
 * a timing and goes to `run.json`.
 *
 * @module
 */

import * as tf from "@tensorflow/tfjs";
import { z } from "zod";
import { formatThreads, type JsonValue } from "../experiment/records.ts";
import type { RunResults, Task, TrialOutput } from "../experiment/task.ts";
import type { ReportSection } from "../report/experiment_page.ts";
import { type HistoryTables, loadHistoryTables } from "../history/tables.ts";
import { ARCHITECTURES, countArchitecture } from "../models/architectures.ts";
import { type DoublingFit, fitDoublingTime } from "../history/doubling.ts";
import {
  barsWithReferences,
  fitDoublingTrend,
  logTimeSeries,
  scatter,
  type TimePoint,
} from "../report/charts.ts";
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

/** The settings of a `history` experiment. */
export const historySettingsSchema = z.strictObject({
  /** Where the YAML tables are. */
  tables: z.strictObject({ directory: z.string().min(1).default("data") }).default({
    directory: "data",
  }),
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

/** Settings of a `history` experiment, after defaults. */
export type HistorySettings = z.output<typeof historySettingsSchema>;

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

/** A metric name for an architecture's computed parameter count, e.g. `vgg16Parameters`. */
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

/** The `history` task. */
export const historyTask: Task<HistorySettings> = {
  kind: "history",
  description: "redraw the field's historical comparisons from sourced data, with this machine",
  settingsSchema: historySettingsSchema,
  metricNames: [
    "networkSizeDoublingYears",
    "gpuFp32DoublingYears",
    "ilsvrcErrorFactor",
    ...ARCHITECTURES.map((architecture) => parameterMetric(architecture.name)),
  ],
  requiredKernels: () => [],
  async prepare(variants) {
    for (const settings of variants) await loadHistoryTables(settings.tables.directory);
  },
  async runTrial({ settings }): Promise<TrialOutput> {
    const tables = await loadHistoryTables(settings.tables.directory);
    const architectures = ARCHITECTURES.map((architecture) => {
      const counted = countArchitecture(architecture);
      return {
        name: architecture.name,
        year: architecture.year,
        implementation: architecture.implementation,
        parameters: counted.parameters,
        multiplyAdds: counted.multiplyAdds,
        publishedParameters: architecture.published.parameters,
        parametersSource: architecture.published.parametersSource,
        publishedMultiplyAdds: architecture.published.multiplyAdds ?? null,
        multiplyAddsSource: architecture.published.multiplyAddsSource ?? null,
        top5ErrorPercent: architecture.top5ErrorPercent ?? null,
      };
    });
    const networkTrend = fitDoublingTime(networkSizePoints(tables));
    const gpuTrend = fitDoublingTime(
      tables.gpus.rows.map((row) => ({ year: row.year, value: row.fp32Tflops })),
    );
    const ilsvrc = [...tables.ilsvrc.rows].sort((a, b) => a.year - b.year);
    const throughput = await measureAllBackends(settings.throughput);
    return {
      final: {
        networkSizeDoublingYears: networkTrend.doublingYears,
        gpuFp32DoublingYears: gpuTrend.doublingYears,
        ilsvrcErrorFactor: ilsvrc[0].top5ErrorPercent / ilsvrc[ilsvrc.length - 1].top5ErrorPercent,
        ...Object.fromEntries(
          architectures.map((architecture) => [
            parameterMetric(architecture.name),
            architecture.parameters,
          ]),
        ),
      },
      curve: [],
      artifacts: {
        tables: tables as unknown as JsonValue,
        architectures,
        trends: {
          networkSize: trendRecord(networkTrend, tables.network_sizes.rows.length),
          gpuFp32: trendRecord(gpuTrend, tables.gpus.rows.length),
        },
      },
      timing: {},
      measurements: { throughput: throughput as unknown as JsonValue },
    };
  },
  reportSections: historySections,
};

function trendRecord(fit: DoublingFit, points: number): JsonValue {
  return {
    doublingYears: fit.doublingYears,
    slope: fit.slope,
    intercept: fit.intercept,
    r2: fit.r2,
    points,
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

/** The history report's own sections: the book's figures, redrawn, with this machine. */
export function historySections(results: RunResults): ReportSection[] {
  const trial = results.metrics.trials[0];
  if (!trial) return [];
  const tables = trial.artifacts.tables as unknown as HistoryTables;
  const architectures = trial.artifacts.architectures as unknown as {
    name: string;
    year: number;
    implementation: string;
    parameters: number;
    multiplyAdds: number;
    publishedParameters: number;
    parametersSource: string;
    publishedMultiplyAdds: number | null;
    multiplyAddsSource: string | null;
    top5ErrorPercent: number | null;
  }[];
  const throughput = (results.run.measurements.throughput ?? []) as unknown as BackendThroughput[];
  const runYear = Number(results.run.startedAt.slice(0, 4));
  const networks = tables.network_sizes;
  const networkTrend = fitDoublingTrend(networkSizePoints(tables));
  const allNetworksTrend = fitDoublingTrend(
    networks.rows.map((row) => ({ year: row.year, value: row.neurons })),
  );
  const gpuPoints: TimePoint[] = tables.gpus.rows.map((row) => ({
    year: row.year,
    value: row.fp32Tflops,
    label: row.name,
    group: "published FP32 peak",
  }));
  const machinePoints: TimePoint[] = throughput.map((entry) => {
    const best = Math.max(...entry.matmul.map((m) => m.gigaflopsPerSecond));
    return {
      year: runYear,
      value: best / 1000,
      label: `this machine: ${entry.backend}`,
      group: "this machine, measured matmul",
    };
  });
  const percent = (value: number) => `${value.toFixed(2)} %`;
  const count = (value: number) => value.toLocaleString("en-US");
  const difference = (computed: number, published: number) =>
    computed === published
      ? "exact"
      : `${computed > published ? "+" : ""}${
        (100 * (computed - published) / published).toFixed(2)
      } %`;

  return [
    {
      title: "Network size over time (Goodfellow et al. 2016, Fig. 1.11)",
      intro: `Neurons per network, log scale, with the animals the book draws for reference. ` +
        `The book states that "since the introduction of hidden units" networks have doubled in ` +
        `size about every 2.4 years. A least-squares fit of log2(neurons) over the networks from ` +
        `${HIDDEN_UNITS_YEAR} on gives ${networkTrend.doublingYears.toFixed(2)} years ` +
        `(all ${networks.rows.length} networks: ${allNetworksTrend.doublingYears.toFixed(2)}). ` +
        `Most sizes are rough estimates, not read precisely off the book's plot (each is marked in ` +
        `data/network_sizes.yaml); primary-source counts are used where they exist, so the fitted ` +
        `figure is indicative only.`,
      charts: [{
        spec: logTimeSeries({
          title: "Increasing neural network size over time",
          description:
            `Neurons of ${networks.rows.length} networks from 1958 to 2014 on a log scale, rising ` +
            `exponentially and doubling about every ${
              networkTrend.doublingYears.toFixed(1)
            } years, ` +
            `still far below the human brain's 86 billion neurons.`,
          points: networks.rows.map((row) => ({
            year: row.year,
            value: row.neurons,
            label: `${row.name}`,
            group: row.estimate ? "estimate read off the plot" : "primary-source count",
          })),
          yTitle: "Neurons (log scale)",
          trend: networkTrend,
          references: networks.referenceLines
            .filter((line) => line.neurons > 0)
            .map((line) => ({ label: line.name, value: line.neurons })),
        }),
      }],
    },
    {
      title: "Data set sizes (Goodfellow et al. 2016, Fig. 1.8)",
      charts: [{
        spec: logTimeSeries({
          title: "Increasing data set size over time",
          description: "Examples per data set from Iris (1936) to WMT 2014, log scale.",
          points: tables.dataset_sizes.rows.filter((row) => row.examples !== null).map((row) => ({
            year: row.year,
            value: row.examples!,
            label: row.name,
            group: row.unit,
          })),
          yTitle: "Examples (log scale)",
        }),
      }],
      notes: tables.dataset_sizes.rows.filter((row) => row.examples === null).map((row) =>
        `${row.name} (${row.year}) is not plotted: ${row.note ?? "its size is unknown"}.`
      ),
    },
    {
      title: "ILSVRC top-5 error (Goodfellow et al. 2016, Fig. 1.12)",
      charts: [{
        spec: barsWithReferences({
          title: "Decreasing error rate over time",
          description: `ILSVRC winners' top-5 error fell from ${
            percent(tables.ilsvrc.rows[0].top5ErrorPercent)
          } to ${percent(tables.ilsvrc.rows.at(-1)!.top5ErrorPercent)}.`,
          bars: tables.ilsvrc.rows.map((row) => ({
            label: `${row.year} ${row.team}`,
            value: row.top5ErrorPercent,
          })),
          yTitle: "Top-5 error (%)",
          format: ".1f",
        }),
      }],
    },
    {
      title: "GPUs over time, and this machine",
      intro: "Published FP32 peaks of the GPUs around the course's table, and this machine's " +
        "best measured fp32 matmul on each backend (tfjs on Deno), placed at the year of the run.",
      charts: [{
        spec: logTimeSeries({
          title: "FP32 throughput: historical GPUs and this machine",
          description:
            `Peak FP32 TFLOP/s of ${gpuPoints.length} GPUs from ${
              Math.min(...gpuPoints.map((p) => p.year))
            } to ${
              Math.max(...gpuPoints.map((p) => p.year))
            }, and this machine's measured matmul ` +
            `throughput on ${throughput.map((t) => t.backend).join(", ") || "no backend"}.`,
          points: [...gpuPoints, ...machinePoints],
          yTitle: "TFLOP/s (log scale)",
          trend: fitDoublingTrend(gpuPoints),
          groupOrder: ["published FP32 peak", "this machine, measured matmul"],
        }),
      }],
      tables: [
        {
          caption: "The course's GPU table and its neighbours (data/gpus.yaml)",
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
        {
          caption: "This machine, measured with the framework (timings, from run.json)",
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
      ],
    },
    {
      title: "Classic architectures: sizes computed from their layers",
      intro: "Parameters and multiply–adds counted from each architecture's layers (no weights " +
        "downloaded), beside the published counts.",
      charts: [{
        spec: scatter({
          title: "Model size against ImageNet top-5 error",
          description: "Computed parameters (log scale) against published ILSVRC top-5 error.",
          points: architectures.filter((a) => a.top5ErrorPercent !== null).map((a) => ({
            x: a.parameters,
            y: a.top5ErrorPercent!,
            label: `${a.name} (${a.year})`,
          })),
          xTitle: "Parameters (log scale)",
          yTitle: "Top-5 error (%)",
          logX: true,
        }),
      }],
      tables: [{
        caption: "Computed against published counts",
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
        rows: architectures.map((a) => [
          a.name,
          a.year,
          count(a.parameters),
          count(a.publishedParameters),
          difference(a.parameters, a.publishedParameters),
          count(a.multiplyAdds),
          a.publishedMultiplyAdds === null ? "" : count(a.publishedMultiplyAdds),
          a.publishedMultiplyAdds === null
            ? ""
            : difference(a.multiplyAdds, a.publishedMultiplyAdds),
          `${a.implementation}; ${a.parametersSource}${
            a.multiplyAddsSource ? `; ${a.multiplyAddsSource}` : ""
          }`,
        ]),
      }],
    },
    {
      title: "Brains (the course's tables)",
      charts: [
        {
          spec: barsWithReferences({
            title: "Neurons in the brain",
            description: "Neurons per animal from C. elegans (302) to the African elephant.",
            bars: tables.brains.rows.filter((row) => row.neurons !== null).map((row) => ({
              label: row.name,
              value: row.neurons!,
            })),
            yTitle: "Neurons (log scale)",
            logY: true,
          }),
        },
        {
          spec: barsWithReferences({
            title: "Neurons in the cerebral cortex",
            description: "Cortical neurons from the mouse to the long-finned pilot whale.",
            bars: tables.cortex_neurons.rows.map((row) => ({
              label: row.name,
              value: row.neurons,
            })),
            yTitle: "Neurons (log scale)",
            logY: true,
          }),
        },
      ],
    },
    {
      title: "MNIST test error over the years",
      charts: [{
        spec: barsWithReferences({
          title: "MNIST test error by method",
          description: "Test error of the methods in LeCun et al. 1998 and later results.",
          bars: tables.mnist_results.rows.map((row) => ({
            label: `${row.method} (${row.year})`,
            value: row.testErrorPercent,
          })),
          yTitle: "Test error (%)",
          format: ".2f",
        }),
      }],
    },
  ];
}
