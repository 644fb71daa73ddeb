/**
 * A realistic sample run (LeNet-5 and an MLP on MNIST, two seeds, five epochs) and a sample
 * task-specific section using every other chart builder, for tests, docs examples and trying the
 * report's design without training anything. The numbers are made up but shaped like real ones.
 *
 * @module
 */

import type {
  CurvePoint,
  MetricsRecord,
  ResolvedConfigRecord,
  RunRecord,
} from "../experiment/records.ts";
import { fitDoublingTrend } from "./charts/fit_doubling_trend.ts";
import { heatmap } from "./charts/heatmap.ts";
import { logTimeSeries } from "./charts/log_time_series.ts";
import { scatter } from "./charts/scatter.ts";
import type { ReportSection } from "./experiment_page.ts";
import type { LoadedResults } from "./load_results.ts";

const EPOCHS = 5;
const STEPS_PER_EPOCH = 938;
const POINTS_PER_EPOCH = 8;

function curveOf(variant: string, seed: number): CurvePoint[] {
  const scale = variant === "lenet5" ? 1 : 1.6;
  const wobble = (step: number) => 1 + 0.06 * Math.sin(step * 0.013 + seed);
  const points: CurvePoint[] = [{ step: 0, epoch: 0, trainLoss: 2.3026 }];
  for (let epoch = 1; epoch <= EPOCHS; epoch++) {
    for (let k = 1; k <= POINTS_PER_EPOCH; k++) {
      const step = (epoch - 1) * STEPS_PER_EPOCH +
        Math.round((k * STEPS_PER_EPOCH) / POINTS_PER_EPOCH);
      const fraction = step / STEPS_PER_EPOCH;
      const trainLoss = Number(
        (scale * 0.04 + 2.2 * Math.exp(-3 * fraction) * wobble(step)).toFixed(6),
      );
      const point: CurvePoint = { step, epoch: Number(fraction.toFixed(6)), trainLoss };
      if (k === POINTS_PER_EPOCH) {
        point.epochTrainLoss = Number((trainLoss * 1.4).toFixed(6));
        point.testLoss = Number((trainLoss * 1.1 + 0.01 * seed).toFixed(6));
        point.testErrorPercent = Number((scale * (0.9 + 2.4 / epoch) + 0.06 * seed).toFixed(2));
      }
      points.push(point);
    }
  }
  return points;
}

/**
 * Builds the sample run's three records.
 *
 * @returns `{ metrics, run, config }`, as {@linkcode loadResults} would return them.
 *
 * @example
 * ```ts
 * import { sampleResults } from "./sample_results.ts";
 * const { metrics } = sampleResults();
 * if (metrics.trials.length !== 4) throw new Error("expected 2 variants x 2 seeds");
 * ```
 */
export function sampleResults(): LoadedResults {
  const variants = ["lenet5", "mlp"];
  const seeds = [1, 2];
  const parameters: Record<string, number> = { lenet5: 61706, mlp: 266610 };
  const trials: MetricsRecord["trials"] = variants.flatMap((variant) =>
    seeds.map((seed) => {
      const curve = curveOf(variant, seed);
      const last = curve[curve.length - 1];
      return {
        variant,
        seed,
        final: {
          parameters: parameters[variant],
          steps: EPOCHS * STEPS_PER_EPOCH,
          testErrorPercent: last.testErrorPercent,
          testLoss: last.testLoss,
          trainLoss: last.epochTrainLoss,
        },
        curve,
        artifacts: {},
      };
    })
  );
  const summary: MetricsRecord["summary"] = {};
  for (const variant of variants) {
    summary[variant] = {};
    for (const metric of Object.keys(trials[0].final)) {
      const values = trials.filter((trial) => trial.variant === variant).map((trial) =>
        trial.final[metric]
      );
      const mean = values.reduce((sum, value) => sum + value, 0) / values.length;
      const std = Math.sqrt(
        values.reduce((sum, value) => sum + (value - mean) ** 2, 0) / (values.length - 1),
      );
      summary[variant][metric] = {
        mean: Number(mean.toFixed(6)),
        std: Number(std.toFixed(6)),
        min: Math.min(...values),
        max: Math.max(...values),
        n: values.length,
      };
    }
  }
  const expect = [
    {
      variant: "lenet5",
      metric: "testErrorPercent",
      published: 0.95,
      source: "LeCun et al. 1998, Gradient-based learning applied to document recognition, Table 1",
      bounds: { full: { atMost: 1.2 }, ci: { atMost: 2.0 } },
    },
    {
      variant: "mlp",
      metric: "testErrorPercent",
      published: 1.6,
      source: "LeCun et al. 1998, Table 1 (2-layer NN, 300 hidden units)",
      bounds: { full: { atMost: 2.0 }, ci: { atMost: 2.2 } },
    },
  ];
  const checks = expect.map((expectation) => {
    const value = summary[expectation.variant][expectation.metric].mean;
    const bound = expectation.bounds.ci;
    return {
      variant: expectation.variant,
      metric: expectation.metric,
      value,
      published: expectation.published,
      bound,
      source: expectation.source,
      pass: value <= bound.atMost,
    };
  });
  const metrics: MetricsRecord = {
    experiment: "cnn",
    profile: "ci",
    backend: "wasm",
    trials,
    summary,
    checks,
    reproduced: checks.every((check) => check.pass),
  };
  const run: RunRecord = {
    experiment: "cnn",
    profile: "ci",
    startedAt: "2025-01-15T09:30:00.000Z",
    finishedAt: "2025-01-15T09:41:12.500Z",
    wallSeconds: 672.5,
    command: ["deno", "task", "run", "experiments/cnn.ts", "--profile", "ci"],
    backend: {
      name: "wasm",
      reason: "WebGPU adapter is a software renderer (lavapipe); wasm with SIMD is faster here",
      hardwareGpu: false,
      threads: 2,
      adapter: {
        vendor: "mesa",
        architecture: "",
        device: "",
        description: "llvmpipe (LLVM 15.0.6, 256 bits)",
        isFallbackAdapter: true,
      },
    },
    versions: { deno: "2.9.6", v8: "13.0.245.12", typescript: "5.6.2", tfjs: "4.22.0" },
    machine: { cpuModel: "AMD EPYC 7B13", cpuCores: 2, os: "linux x86_64", memoryGiB: 7.8 },
    git: { commit: "3f9c2e1a7b5d4c6e8f0a1b2c3d4e5f6a7b8c9d0e", dirty: false },
    trials: trials.map((trial, i) => ({
      variant: trial.variant,
      seed: trial.seed,
      wallSeconds: 150 + 20 * i,
      trainExamplesPerSecond: trial.variant === "lenet5" ? 1830.4 : 5120.9,
      evalExamplesPerSecond: trial.variant === "lenet5" ? 6400.2 : 21000.7,
    })),
    measurements: {},
  };
  const config: ResolvedConfigRecord = {
    experiment: "cnn",
    profile: "ci",
    header: {
      id: "cnn",
      chapter: 6,
      title: "LeNet-5 against a fully connected network on MNIST",
      reproduces: {
        claim:
          "A small convolutional network errs less on MNIST than a larger fully connected one.",
        source: "LeCun, Bottou, Bengio & Haffner (1998), Proc. IEEE 86(11)",
        url: "http://yann.lecun.com/exdb/publis/pdf/lecun-98.pdf",
      },
      kind: "classify",
      variantLabels: { lenet5: "LeNet-5", mlp: "MLP 300" },
      expect,
    },
    overrides: [{ path: "train.epochs", value: EPOCHS, from: "profile ci" }],
    seeds,
    variants: {
      lenet5: { model: "lenet5", train: { epochs: EPOCHS, batchSize: 64, learningRate: 0.01 } },
      mlp: {
        model: "mlp",
        hidden: [300],
        train: { epochs: EPOCHS, batchSize: 64, learningRate: 0.01 },
      },
    },
  };
  return { metrics, run, config };
}

/**
 * Writes the sample run's records as `metrics.json`, `run.json` and `config.json` into a
 * directory, as a run would.
 *
 * @param directory E.g. a temporary `reports/cnn`.
 *
 * @example
 * ```ts
 * import { writeSampleResults } from "./sample_results.ts";
 * const dir = await Deno.makeTempDir();
 * await writeSampleResults(`${dir}/cnn`);
 * await Deno.stat(`${dir}/cnn/metrics.json`);
 * ```
 */
export async function writeSampleResults(directory: string): Promise<void> {
  const { metrics, run, config } = sampleResults();
  await Deno.mkdir(directory, { recursive: true });
  for (const [name, record] of [["metrics", metrics], ["run", run], ["config", config]] as const) {
    await Deno.writeTextFile(`${directory}/${name}.json`, JSON.stringify(record, null, 2) + "\n");
  }
}

const NEURONS = [
  { year: 1958, value: 1e3, label: "Perceptron", group: "historical" },
  { year: 1989, value: 1e4, label: "LeNet-1", group: "historical" },
  { year: 1998, value: 3.4e5, label: "LeNet-5", group: "historical" },
  { year: 2012, value: 6.5e5, label: "AlexNet", group: "historical" },
  { year: 2025, value: 2.7e5, label: "this run", group: "this machine" },
];

/**
 * A task-specific section that uses every chart builder the shared sections do not (log time
 * series with a trend and reference lines, scatter, matrix heatmap, image grid), plus a table and
 * a note, as a task's `reportSections` would add them.
 *
 * @returns One section with four charts.
 *
 * @example
 * ```ts
 * import { sampleSections } from "./sample_results.ts";
 * if (sampleSections()[0].charts.length !== 4) throw new Error("expected four charts");
 * ```
 */
export function sampleSections(): ReportSection[] {
  return [{
    title: "More charts",
    intro: "Every shared chart builder, on made-up data.",
    charts: [
      {
        spec: logTimeSeries({
          title: "Neurons in artificial networks",
          description: "Network sizes grow exponentially; a human brain has 8.6e10 neurons.",
          yTitle: "neurons",
          points: NEURONS,
          trend: fitDoublingTrend(NEURONS.filter((point) => point.group === "historical")),
          references: [{ label: "human", value: 8.6e10 }, { label: "honey bee", value: 9.6e5 }],
        }),
      },
      {
        spec: scatter({
          title: "Parameters against test error",
          description: "LeNet-5 has fewer parameters and errs less than the MLP.",
          xTitle: "parameters",
          yTitle: "test error (%)",
          logX: true,
          points: [
            { x: 61706, y: 1.47, label: "LeNet-5", group: "convolutional" },
            { x: 266610, y: 2.3, label: "MLP 300", group: "fully connected" },
            { x: 1.2e6, y: 1.9, label: "MLP 1000", group: "fully connected" },
          ],
        }),
      },
      {
        spec: heatmap({
          title: "Confusion matrix",
          description: "Most digits are classified correctly.",
          matrix: [[97, 1, 2], [3, 95, 2], [1, 4, 95]],
          rowLabels: ["0", "1", "2"],
          columnLabels: ["0", "1", "2"],
          xTitle: "predicted",
          yTitle: "true",
          showValues: true,
        }),
      },
      {
        spec: heatmap({
          title: "First-layer filters",
          description: "Six 5×5 filters; blue negative, orange positive.",
          scheme: "diverging",
          cellSize: 8,
          images: Array.from({ length: 6 }, (_, k) => ({
            label: `filter ${k + 1}`,
            pixels: Array.from(
              { length: 5 },
              (_, i) => Array.from({ length: 5 }, (_, j) => Math.sin(k + i * 0.9 - j * 0.7 * k)),
            ),
          })),
        }),
      },
    ],
    tables: [{ caption: "Milestones", columns: ["network", "year"], rows: [["AlexNet", 2012]] }],
    notes: ["The numbers in this section are made up."],
  }];
}
