/**
 * The `history` analysis (chapter 1): the field's growth as sourced data — brains, data sets,
 * network sizes, ILSVRC error, GPUs, MNIST results — with the doubling trends fitted, the classic
 * architectures' sizes computed from their layers, and this machine's own throughput measured on
 * every backend and placed beside the historical GPUs. Nothing is trained.
 *
 * Tables, counts and fits are deterministic artifacts (`metrics.json`); the measured throughput
 * and the charts that include it are measurements (`run.json`). Every artifact has an `order`
 * ({@linkcode REPORT_ORDER}), so the report follows the chapter: brains, the waves, hardware,
 * data, networks, accuracy, then the software libraries.
 *
 * @module
 */

import * as tf from "@tensorflow/tfjs";
import { z } from "zod";
import { formatThreads, type JsonValue } from "../experiment/records.ts";
import type { Analysis, AnalysisOutput } from "./analysis.ts";
import {
  type HistoryTables,
  loadHistoryTables,
  type WavePhase,
  type WaveWorkRow,
} from "../history/tables.ts";
import {
  connectionsPerNeuronPoints,
  countArchitectureConnections,
} from "../history/connections_per_neuron.ts";
import { gpuPricePerformance } from "../history/price_performance.ts";
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
  return `${architectureSlug(name)}Parameters`;
}

/**
 * A metric name for an architecture's computed connections per neuron (multiply–adds over the
 * units of its layers with weights), e.g. `alexnetConnectionsPerNeuron`.
 *
 * @param name The architecture's display name.
 * @returns The metric's name.
 *
 * @example
 * ```ts
 * import { connectionsMetric } from "./history.ts";
 * if (connectionsMetric("GoogLeNet (Inception v1)") !== "googlenetConnectionsPerNeuron") {
 *   throw new Error();
 * }
 * ```
 */
export function connectionsMetric(name: string): string {
  return `${architectureSlug(name)}ConnectionsPerNeuron`;
}

/** `VGG-16` -> `vgg16`; a parenthesised variant is dropped (`GoogLeNet (Inception v1)`). */
function architectureSlug(name: string): string {
  return name.toLowerCase().replace(/\(.*?\)/g, "").replace(/[^a-z0-9]+/g, "");
}

/**
 * The GPUs of the course's table (heise.de, 2017-03-01), in the slide's column order: they get
 * a price-per-TFLOP/s metric each. The analysis checks that `data/gpus.yaml` marks exactly these
 * as `inCourseTable`.
 */
export const COURSE_TABLE_GPUS = ["GTX 1080 Ti", "Titan X (Pascal)", "GTX 1080"] as const;

const COURSE_NAMES: ReadonlySet<string> = new Set(COURSE_TABLE_GPUS);

/**
 * A metric name for a GPU's price per peak FP32 TFLOP/s, e.g. `gtx1080tiEurosPerTflop`.
 *
 * @param name The GPU, as `data/gpus.yaml` names it.
 * @returns The metric's name.
 *
 * @example
 * ```ts
 * import { priceMetric } from "./history.ts";
 * if (priceMetric("Titan X (Pascal)") !== "titanxpascalEurosPerTflop") throw new Error();
 * ```
 */
export function priceMetric(name: string): string {
  return `${name.toLowerCase().replace(/[^a-z0-9]+/g, "")}EurosPerTflop`;
}

/**
 * Where each artifact's section goes in the report, following the chapter's slides: brains,
 * the waves of neural networks, hardware, data sets, connections and network sizes, accuracy,
 * the framework's architectures, then the software libraries.
 */
export const REPORT_ORDER = {
  brains: 10,
  cortex: 20,
  waves: 30,
  wavePhases: 31,
  gpuTable: 40,
  gpuPricePerformance: 50,
  gpus: 60,
  machine: 70,
  datasetSizes: 80,
  connectionsPerNeuron: 90,
  connectionsPerNeuronTable: 91,
  networkSize: 100,
  networkSizeTable: 101,
  ilsvrc: 110,
  architectures: 120,
  sizeAgainstError: 130,
  mnistResults: 140,
  softwareLibraries: 150,
  softwareLibrariesTable: 151,
} as const;

/** The name of one of the analysis's artifacts. */
type ArtifactName = keyof typeof REPORT_ORDER;

/** Some of the analysis's artifacts, by name. */
type Artifacts = Partial<Record<ArtifactName, Artifact>>;

/** The artifacts with their `order` set from {@linkcode REPORT_ORDER}. */
function ordered(artifacts: Artifacts): Record<string, Artifact> {
  return Object.fromEntries(
    Object.entries(artifacts).map(([name, artifact]) => [
      name,
      { ...artifact!, order: REPORT_ORDER[name as ArtifactName] },
    ]),
  );
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
    ...ARCHITECTURES.map((architecture) => connectionsMetric(architecture.name)),
    ...COURSE_TABLE_GPUS.map(priceMetric),
  ],
  async prepare(settings) {
    await loadHistoryTables(settings.tables);
  },
  async run(settings, { progress }): Promise<AnalysisOutput> {
    const tables = await loadHistoryTables(settings.tables);
    const architectures = ARCHITECTURES.map((architecture) => {
      const connections = countArchitectureConnections(architecture.name);
      return {
        architecture,
        counted: countArchitecture(architecture),
        connectionsPerNeuron: connections.connections / connections.neurons,
      };
    });
    const prices = coursePrices(tables);
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
        ...Object.fromEntries(
          architectures.map(({ architecture, connectionsPerNeuron }) => [
            connectionsMetric(architecture.name),
            connectionsPerNeuron,
          ]),
        ),
        ...Object.fromEntries(
          prices.map((entry) => [priceMetric(entry.name), entry.eurosPerTflop]),
        ),
      },
      artifacts: ordered({
        ...networkArtifacts(tables, networkTrend),
        ...datasetArtifacts(tables),
        ...ilsvrcArtifacts(tables),
        ...gpuArtifacts(tables, prices),
        ...architectureArtifacts(architectures),
        ...brainArtifacts(tables),
        ...mnistArtifacts(tables),
        ...connectionsArtifacts(tables),
        ...waveArtifacts(tables),
        ...libraryArtifacts(tables),
      }),
      measurements: { throughput: throughput as unknown as JsonValue },
      measuredArtifacts: ordered(machineArtifacts(tables, throughput)),
    };
  },
};

function networkArtifacts(tables: HistoryTables, trend: DoublingFit): Artifacts {
  const networks = tables.network_sizes;
  const estimates = networks.rows.filter((row) => row.estimate);
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
        `${allTrend.doublingYears.toFixed(2)}). Points are numbered as in the book (the table ` +
        `below names them). ${estimates.length} of the ${networks.rows.length} sizes are ` +
        `order-of-magnitude estimates, not published counts (no unit count of the paper could ` +
        `be checked), so the fitted figure is indicative only.`,
      yTitle: "Neurons (log scale)",
      points: networks.rows.map((row) => ({
        year: row.year,
        value: row.neurons,
        label: String(row.number),
        group: row.estimate ? ESTIMATE : COUNTED,
      })),
      groupOrder: [COUNTED, ESTIMATE],
      trend: fitDoublingTrend(networkSizePoints(tables)),
      references: networks.referenceLines
        .filter((line) => line.neurons > 0)
        .map((line) => ({ label: line.name, value: line.neurons })),
    },
    networkSizeTable: {
      kind: "table",
      title: "The networks of Fig. 1.11 and where their sizes come from",
      description: `Counts are the units of the layers with weights, inputs not counted. ` +
        `"paper" is the paper's own count, "derived" is summed from the layer sizes the paper ` +
        `states, "estimate" is an order of magnitude where no count could be checked.`,
      columns: ["#", "network", "year", "neurons", "how", "source and note"],
      rows: networks.rows.map((row) => [
        row.number,
        row.name,
        row.year,
        formatCount(row.neurons),
        row.estimate ? "estimate" : row.derived ? "derived" : "paper",
        withNote(row.source, row.note),
      ]),
    },
  };
}

/**
 * How the Fig. 1.10 and 1.11 charts group their points. Legend labels stay under 16 characters:
 * the static SVG's text width estimate cuts longer ones.
 */
const COUNTED = "paper's count";
const ESTIMATE = "estimate";

/** `1234567` -> `1,234,567`. */
function formatCount(value: number): string {
  return value.toLocaleString("en-US", { maximumFractionDigits: 0 });
}

/** A source followed by its note in parentheses, if any. */
function withNote(source: string, note: string | undefined): string {
  return note === undefined ? source : `${source} (${note})`;
}

function connectionsArtifacts(tables: HistoryTables): Artifacts {
  const table = tables.connections_per_neuron;
  const points = connectionsPerNeuronPoints(table);
  const group = (origin: (typeof points)[number]["origin"]) =>
    origin === "architecture"
      ? "counted: model"
      : origin === "denseLayers"
      ? "counted: layers"
      : ESTIMATE;
  const computed = points.filter((point) => point.origin !== "table");
  // Reference lines at the same value (cat and human, both 10^4) share one line and label.
  const references = new Map<number, string[]>();
  for (const line of table.referenceLines) {
    references.set(line.connectionsPerNeuron, [
      ...(references.get(line.connectionsPerNeuron) ?? []),
      line.name,
    ]);
  }
  const round = (value: number) => formatCount(Math.round(value));
  return {
    connectionsPerNeuron: {
      kind: "timeSeries",
      title: "Connections per neuron over time (Goodfellow et al. 2016, Fig. 1.10)",
      description: `The ${points.length} networks of the book's figure, numbered as there (the ` +
        `table below names them), with its reference lines for ${
          table.referenceLines.map((line) => line.name.toLowerCase()).join(", ")
        } (orders of magnitude; the book cites no numbers). ${computed.length} values are ` +
        `computed here as multiply–adds per unit of the layers with weights (the average ` +
        `fan-in), "counted: model" from the architecture as the framework builds it, "counted: ` +
        `layers" from the layer sizes the paper states: ${
          computed.map((point) =>
            `${point.number} ${point.name} ${round(point.connectionsPerNeuron)}`
          ).join(", ")
        }; the others are order-of-magnitude estimates where the paper's layer sizes could not ` +
        `be checked.`,
      yTitle: "Connections per neuron (log scale)",
      points: points.map((point) => ({
        year: point.year,
        value: point.connectionsPerNeuron,
        label: String(point.number),
        group: group(point.origin),
      })),
      groupOrder: [group("architecture"), group("denseLayers"), ESTIMATE],
      references: [...references].map(([value, names]) => ({ label: names.join(", "), value })),
    },
    connectionsPerNeuronTable: {
      kind: "table",
      title: "The networks of Fig. 1.10 and how their connections per neuron are obtained",
      description: "Computed values count the weight uses of one forward pass (multiply–adds, " +
        "biases not counted) over the units of the layers with weights, with the framework's " +
        "layer counts (lib/models/count_model.ts); a convolution's shared weights count once " +
        "per position.",
      columns: [
        "#",
        "network",
        "year",
        "connections per neuron",
        "how",
        "connections / neurons",
        "source and note",
      ],
      rows: points.map((point, i) => [
        point.number,
        point.name,
        point.year,
        round(point.connectionsPerNeuron),
        `${group(point.origin)}${point.unverified ? " (unverified)" : ""}`,
        point.count === undefined
          ? null
          : `${formatCount(point.count.connections)} / ${formatCount(point.count.neurons)}`,
        withNote(point.source, table.rows[i].note),
      ]),
    },
  };
}

function datasetArtifacts(tables: HistoryTables): Artifacts {
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

function ilsvrcArtifacts(tables: HistoryTables): Artifacts {
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

/**
 * Euros per FP32 TFLOP/s of the course's GPUs, in {@linkcode COURSE_TABLE_GPUS} order.
 *
 * @throws {Error} When `data/gpus.yaml` does not mark exactly those GPUs as `inCourseTable`.
 */
function coursePrices(tables: HistoryTables) {
  const priced = gpuPricePerformance(tables.gpus.rows);
  const marked = priced.filter((entry) => entry.inCourseTable).map((entry) => entry.name);
  if ([...marked].sort().join() !== [...COURSE_TABLE_GPUS].sort().join()) {
    throw new Error(
      `data/gpus.yaml: expected inCourseTable on exactly ${
        COURSE_TABLE_GPUS.join(", ")
      } (COURSE_TABLE_GPUS in lib/analyses/history.ts), found it on ${marked.join(", ") || "none"}`,
    );
  }
  return COURSE_TABLE_GPUS.map((name) => priced.find((entry) => entry.name === name)!);
}

function gpuArtifacts(
  tables: HistoryTables,
  course: ReturnType<typeof coursePrices>,
): Artifacts {
  const priced = gpuPricePerformance(tables.gpus.rows);
  const rows = new Map(tables.gpus.rows.map((row) => [row.name, row]));
  const price = (name: string) => {
    const row = rows.get(name)!;
    return `${row.priceApproximate ? "ca. " : ""}${formatCount(row.priceEur!)} €`;
  };
  const unverified = priced.filter((entry) => entry.unverified);
  const shown = priced.filter((entry) => !entry.unverified);
  return {
    gpuPricePerformance: {
      kind: "bars",
      title: "GPU price against performance: euros per FP32 TFLOP/s",
      description: `Price over peak FP32 throughput of the GPUs the course prices (heise.de, ` +
        `2017-03-01): ${
          course.map((entry) =>
            `${entry.name} ${price(entry.name)} / ${entry.fp32Tflops} TFLOP/s = ${
              entry.eurosPerTflop.toFixed(1)
            } €`
          ).join("; ")
        }.${
          unverified.map((entry) =>
            ` Left out: the ${entry.name} (${price(entry.name)}, ${
              rows.get(entry.name)!.priceDate
            }), whose FP32 figure of ${entry.fp32Tflops} TFLOP/s is not yet verified against ` +
            `NVIDIA's specification; with it, it would cost ${
              entry.eurosPerTflop.toFixed(0)
            } € per TFLOP/s.`
          ).join("")
        }`,
      yTitle: "€ per FP32 TFLOP/s",
      format: ".1f",
      // The course's GPUs in the slide's order, then any other verified priced GPU.
      bars: [...course, ...shown.filter((entry) => !COURSE_NAMES.has(entry.name))]
        .filter((entry) => !entry.unverified)
        .map((entry) => ({ label: entry.name, value: entry.eurosPerTflop })),
    },
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
): Artifacts {
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
    connectionsPerNeuron: number;
  }[],
): Artifacts {
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
        "Parameters and multiply–adds counted from each architecture's layers, beside the " +
        "published counts, and the connections per neuron they give (multiply–adds over the " +
        "units of the layers with weights, as in Fig. 1.10).",
      columns: [
        "architecture",
        "year",
        "parameters (computed)",
        "published",
        "difference",
        "multiply–adds (computed)",
        "published",
        "difference",
        "connections per neuron",
        "sources",
      ],
      rows: architectures.map(({ architecture: a, counted, connectionsPerNeuron }) => [
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
        count(Math.round(connectionsPerNeuron)),
        `${a.implementation}; ${a.published.parametersSource}${
          a.published.multiplyAddsSource ? `; ${a.published.multiplyAddsSource}` : ""
        }`,
      ]),
    },
  };
}

function brainArtifacts(tables: HistoryTables): Artifacts {
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

function mnistArtifacts(tables: HistoryTables): Artifacts {
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

/** The lane of each wave, as the slides title their tables. */
const WAVE_LANES: Record<WaveWorkRow["wave"], string> = {
  first: "First wave",
  between: "Between the first and second wave",
  second: "Second wave",
  third: "Third wave",
};

/** `Warren S. McCulloch, Walter Pitts` -> `McCulloch & Pitts`; three or more: `Rumelhart et al.` */
function shortAuthors(authors: string): string {
  const editors = / \(editors\)$/.test(authors);
  const names = authors.replace(/ \(editors\)$/, "").split(", ")
    .map((name) => name.split(" ").at(-1)!);
  const short = names.length === 1
    ? names[0]
    : names.length === 2
    ? `${names[0]} & ${names[1]}`
    : `${names[0]} et al.`;
  return editors ? `${short} (eds.)` : short;
}

/**
 * The timeline's label of a paper: authors, year and topic, or its title where another paper
 * of the same authors and year has the same topic.
 */
function workLabel(row: WaveWorkRow, rows: readonly WaveWorkRow[]): string {
  const twin = rows.some((other) =>
    other !== row && other.authors === row.authors && other.year === row.year &&
    other.topic === row.topic
  );
  return `${shortAuthors(row.authors)} ${row.year}: ${
    twin || row.topic === undefined ? row.title : row.topic
  }`;
}

/**
 * The phase's last year: `toYear`, or the year `toText` starts with (`2020+ ?` -> 2020), or
 * `latest` where `toText` starts with none.
 */
function phaseEnd(phase: WavePhase, latest: number): number {
  const year = phase.toYear ?? Number.parseInt(phase.toText ?? "", 10);
  return Number.isFinite(year) ? year : latest;
}

/** The phase's depth in a few words: `single-layer`, `mostly 2–3 layers`, `deep networks`. */
function phaseLayers(phase: WavePhase): string {
  const { layersMin: low, layersMax: high } = phase;
  if (low === undefined || high === undefined) return phase.layers.split(/ \(|;|,/)[0];
  if (low !== high) return `mostly ${low}–${high} layers`;
  return low === 1 ? "single-layer" : `${low} layers`;
}

/** The phase's number of training patterns in a few words: `100–10,000`, or `millions`. */
function phasePatterns(phase: WavePhase): string {
  const { trainingPatternsMin: fewest, trainingPatternsMax: most } = phase;
  if (fewest !== undefined && most !== undefined) {
    return `${formatCount(fewest)}–${formatCount(most)} training patterns`;
  }
  if (fewest !== undefined && fewest >= 1e6) return "millions of training patterns";
  return phase.trainingPatterns;
}

/** The phase's characteristics as three short lines: layers, training patterns, industry. */
function phaseDetails(phase: WavePhase): string[] {
  return [phaseLayers(phase), phasePatterns(phase), phase.industrialInterest.split(/ \(|,/)[0]];
}

function waveArtifacts(tables: HistoryTables): Artifacts {
  const waves = tables.neural_network_waves;
  const lanes = new Map<string, number[]>();
  for (const row of waves.rows) {
    lanes.set(row.wave, [...(lanes.get(row.wave) ?? []), row.year]);
  }
  const lane = (wave: WaveWorkRow["wave"]) => {
    const years = lanes.get(wave)!;
    return `${WAVE_LANES[wave]}, ${Math.min(...years)}–${Math.max(...years)}`;
  };
  const differs = waves.rows.filter((row) => row.slideYear !== undefined);
  const unverified = waves.phases.filter((phase) => phase.unverified);
  return {
    waves: {
      kind: "timeline",
      title: "The three waves of neural networks: the course's papers, 1943 to 2017",
      description: `The ${waves.rows.length} papers and books of the course's tables, by wave, ` +
        `each at its publication year${
          differs.length > 0
            ? ` (a ring marks the slide's year where it differs: ${
              differs.map((row) =>
                `${shortAuthors(row.authors)} ${row.year}, slide ${row.slideYear}`
              ).join("; ")
            })`
            : ""
        }. Shaded: the three phases of the slides "History of Neural Networks", with their ` +
        `depth, number of training patterns and industrial interest.${
          unverified.length === 0
            ? ""
            : ` ${
              unverified.map((phase) => phase.name).join(" and ")
            }: partly from sources other than the slide (see the notes in the table below).`
        }`,
      events: waves.rows.map((row) => ({
        year: row.year,
        label: workLabel(row, waves.rows),
        group: lane(row.wave),
        detail: [row.title, row.source, row.note].filter((part) => part !== undefined).join(
          " — ",
        ),
        ...(row.slideYear === undefined
          ? {}
          : { alternative: { year: row.slideYear, label: "the slide's year" } }),
      })),
      phases: waves.phases.map((phase) => ({
        from: phase.fromYear,
        to: phaseEnd(phase, Math.max(...waves.rows.map((row) => row.year))),
        label: `${phase.name}, ${phase.fromYear}–${phase.toYear ?? phase.toText}`,
        details: phaseDetails(phase),
      })),
      groupOrder: (["first", "between", "second", "third"] as const)
        .filter((wave) => lanes.has(wave)).map(lane),
    },
    wavePhases: {
      kind: "table",
      title: "The three phases of neural networks (the course's slides)",
      description: "The slides' characteristics of each phase, in their words.",
      columns: [
        "phase",
        "years",
        "layers",
        "training patterns",
        "industrial interest",
        "key ideas",
        "note",
      ],
      rows: waves.phases.map((phase) => [
        phase.name,
        `${phase.fromYear}–${phase.toYear ?? phase.toText}`,
        phase.layers,
        phase.trainingPatterns + (phase.unverified ? " (not on the slide)" : ""),
        phase.industrialInterest,
        phase.keyIdeas.join("; "),
        phase.note ?? null,
      ]),
    },
  };
}

function libraryArtifacts(tables: HistoryTables): Artifacts {
  const libraries = tables.software_libraries.rows;
  const differs = libraries.filter((row) => row.slideYearDiffers);
  const years = libraries.map((row) => row.releaseYear);
  return {
    softwareLibraries: {
      kind: "timeline",
      title: "Deep-learning software libraries: first public releases",
      description: `The course's ${libraries.length} libraries at the year of their first ` +
        `public release (${Math.min(...years)} to ${Math.max(...years)}), from the projects' ` +
        `own records. A ring marks the slide's year where it differs: ${
          differs.map((row) => `${row.name} ${row.releaseYear} (slide ${row.slideYear})`).join(
            ", ",
          )
        }. Rows marked "unverified" have a release date from secondary accounts only.`,
      events: libraries.map((row) => ({
        year: row.releaseYear,
        label: `${row.name} ${row.releaseYear}${
          row.slideYearDiffers ? ` (slide: ${row.slideYear})` : ""
        }${row.unverified ? ", unverified" : ""}`,
        detail: `${row.firstRelease ?? row.releaseYear}. ${withNote(row.source, row.note)}`,
        ...(row.slideYearDiffers
          ? { alternative: { year: row.slideYear, label: "the slide's year" } }
          : {}),
      })),
    },
    softwareLibrariesTable: {
      kind: "table",
      title: "Deep-learning software libraries: the slide's year and the first release",
      description: "The slide's name, year and citation beside the first public release and " +
        "its source.",
      columns: ["library", "slide", "first public release", "year", "source and note"],
      rows: libraries.map((row) => [
        row.name,
        `${row.slideName ?? row.name}, ${row.slideYear} (${row.slideCitation})`,
        row.firstRelease ?? null,
        `${row.releaseYear}${row.slideYearDiffers ? ` (slide: ${row.slideYear})` : ""}${
          row.unverified ? ", unverified" : ""
        }`,
        withNote(row.source, row.note),
      ]),
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
