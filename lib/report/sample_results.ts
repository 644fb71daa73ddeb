/**
 * A realistic sample run (LeNet-5 and an MLP on MNIST, two seeds, five epochs), a sample
 * task-specific section using every other chart builder, and sample artifacts of every kind, for
 * tests, docs examples and trying the report's design without training anything. The numbers are
 * made up but shaped like real ones.
 *
 * @module
 */

import type {
  CurvePoint,
  MetricsRecord,
  ResolvedConfigRecord,
  RunRecord,
} from "../experiment/records.ts";
import type { Artifact } from "./artifacts.ts";
import { fitDoublingTrend } from "./charts/fit_doubling_trend.ts";
import { heatmap } from "./charts/heatmap.ts";
import { logTimeSeries } from "./charts/log_time_series.ts";
import { scatter } from "./charts/scatter.ts";
import type { ReportSection } from "./experiment_page.ts";
import type { LoadedResults } from "./load_results.ts";
import { type ArtifactEntry, renderArtifacts } from "./render_artifacts.ts";

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
 * Task-specific sections: first one that uses the chart builders the shared sections do not
 * (log time series with a trend and reference lines, scatter, matrix heatmap, image grid), plus a
 * table and a note, as a task's `reportSections` would add them; then the sections of
 * {@linkcode sampleArtifactEntries}, one per artifact.
 *
 * @returns The sections; the first has four charts.
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
  }, ...renderArtifacts(sampleArtifactEntries())];
}

/** A deterministic stand-in for noise: a hash of `k` in [-1, 1]. */
function wobble(k: number): number {
  const x = Math.sin(k * 12.9898) * 43758.5453;
  return 2 * (x - Math.floor(x)) - 1;
}

const normal = (x: number, mean = 0, sd = 1) =>
  Math.exp(-(((x - mean) / sd) ** 2) / 2) / (sd * Math.sqrt(2 * Math.PI));

function rosenbrockPath(rate: number, momentum: number): { x: number; y: number }[] {
  const points = [{ x: -1.5, y: 2.5 }];
  let [vx, vy] = [0, 0];
  for (let step = 0; step < 400; step++) {
    const { x, y } = points[points.length - 1];
    const gx = -2 * (1 - x) - 400 * x * (y - x * x);
    const gy = 200 * (y - x * x);
    [vx, vy] = [momentum * vx - rate * gx, momentum * vy - rate * gy];
    points.push({ x: x + vx, y: y + vy });
  }
  return points.filter((_, step) => step % 8 === 0 || step === 400);
}

/** `f` on a `count` × `count` grid over `[xMin, xMax]` × `[yMin, yMax]`. */
function grid(
  count: number,
  f: (x: number, y: number) => number,
  [xMin, xMax] = [-2, 2],
  [yMin, yMax] = [-2, 2],
) {
  const at = (min: number, max: number, i: number) => min + (max - min) * i / (count - 1);
  return {
    x: { min: xMin, max: xMax, count },
    y: { min: yMin, max: yMax, count },
    values: Array.from(
      { length: count },
      (_, j) => Array.from({ length: count }, (_, i) => f(at(xMin, xMax, i), at(yMin, yMax, j))),
    ),
  };
}

/** One artifact of every kind for a variant: the other variant differs a little. */
function artifactsOf(variant: "lenet5" | "mlp"): Record<string, Artifact> {
  const scale = variant === "lenet5" ? 1 : 1.6;
  const widths = [16, 32, 64, 128, 256, 512];
  const sizes = [10, 30, 100, 300, 1000, 3000];
  return {
    errorByWidth: {
      kind: "lines",
      title: "Test error against width",
      description: "Test error falls as the hidden layer widens; bands span the seeds.",
      xTitle: "hidden units",
      yTitle: "test error (%)",
      logX: true,
      series: [{
        name: "test",
        points: widths.map((x, k) => {
          const y = scale * (1 + 24 / Math.sqrt(x)) + 0.05 * wobble(k);
          return { x, y, low: y - 0.15, high: y + 0.2 };
        }),
      }],
      references: [{ label: "published 1.6", value: 1.6 }],
    },
    landscape: {
      kind: "contour",
      title: "Paths on Rosenbrock's function",
      description:
        "Both optimizers start at (-1.5, 2.5) and creep along the valley towards (1, 1).",
      ...grid(41, (x, y) => (1 - x) ** 2 + 100 * (y - x * x) ** 2, [-2, 2], [-1, 3]),
      logValues: true,
      paths: [{
        name: "gradient descent",
        points: variant === "lenet5" ? rosenbrockPath(0.001, 0) : rosenbrockPath(0.0005, 0.9),
      }],
      markers: [{ x: 1, y: 1, label: "minimum" }],
    },
    means: {
      kind: "density",
      title: "Means of 30 uniform samples",
      description: "The standardized sample means follow the standard normal density.",
      xTitle: "standardized mean",
      bins: Array.from({ length: 24 }, (_, k) => {
        const x0 = -3 + k * 0.25;
        return {
          x0,
          x1: x0 + 0.25,
          density: Math.max(0, normal(x0 + 0.125) * (1 + 0.15 * wobble(k))),
        };
      }),
      curves: [{
        name: "normal density",
        points: Array.from(
          { length: 61 },
          (_, k) => ({ x: -3 + k * 0.1, y: normal(-3 + k * 0.1, 0, scale === 1 ? 1 : 1.1) }),
        ),
      }],
    },
    monteCarlo: {
      kind: "logLogFit",
      title: "Monte Carlo error against samples",
      description: "The error falls as one over the square root of the number of samples.",
      xTitle: "samples",
      yTitle: "absolute error",
      points: sizes.map((x, k) => ({ x, y: scale * (1 + 0.25 * wobble(k)) / Math.sqrt(x) })),
      fit: { slope: -0.49, intercept: Math.log10(scale) },
      expectedSlope: -0.5,
    },
    throughput: {
      kind: "bars",
      title: "Training throughput",
      description: "Images per second on each backend.",
      yTitle: "images/s",
      logY: true,
      bars: [{ label: "cpu", value: 16.8 }, { label: "wasm", value: 1830 }, {
        label: "webgpu",
        value: 410,
      }],
      references: [{ label: "PyTorch", value: 6006 }],
    },
    regions: {
      kind: "decisionRegions",
      title: "Decision regions",
      description: "The network separates the inner disc from the ring around it.",
      ...grid(41, (x, y) => 1 / (1 + Math.exp(-6 * (x * x + y * y - 1.2)))),
      points: Array.from({ length: 80 }, (_, k) => {
        const x = 1.9 * wobble(2 * k);
        const y = 1.9 * wobble(2 * k + 1);
        return { x, y, label: x * x + y * y > 1.2 ? 1 : 0 };
      }),
    },
    sizes: {
      kind: "timeSeries",
      title: "Network sizes",
      description: "Neurons of artificial networks by year.",
      yTitle: "neurons",
      points: NEURONS,
      trend: fitDoublingTrend(NEURONS.filter((point) => point.group === "historical")),
    },
    parameters: {
      kind: "scatter",
      title: "Parameters against error",
      description: "LeNet-5 has fewer parameters and errs less.",
      xTitle: "parameters",
      yTitle: "test error (%)",
      logX: true,
      points: [{ x: 61706, y: 1.47, label: "LeNet-5" }, { x: 266610, y: 2.3, label: "MLP 300" }],
    },
    digits: {
      kind: "imageGrid",
      title: "Misclassified digits",
      description: "Four test digits the network got wrong, with its guess.",
      images: [3, 5, 8, 9].map((digit, k) => ({
        label: `guessed ${digit}`,
        pixels: Array.from(
          { length: 12 },
          (_, i) =>
            Array.from(
              { length: 12 },
              (_, j) => Math.max(0, 1 - Math.abs(Math.hypot(i - 6, j - 6) - 3 - k / 2) / 1.5),
            ),
        ),
      })),
    },
    confusion: {
      kind: "heatmap",
      title: "Confusion matrix",
      description: "Most test digits are classified correctly.",
      matrix: [[97, 1, 2], [3, 95 - Math.round(scale), 2], [1, 4, 95]],
      rowLabels: ["0", "1", "2"],
      columnLabels: ["0", "1", "2"],
      xTitle: "predicted",
      yTitle: "true",
      showValues: true,
    },
    layers: {
      kind: "table",
      title: "Layers",
      description: "The layers and their parameters.",
      columns: ["layer", "parameters", "note"],
      rows: variant === "lenet5"
        ? [["conv 5×5", 156, null], ["dense", 1010, "output"]]
        : [["dense 300", 235500, null], ["dense", 3010, "output"]],
    },
    libraries: {
      kind: "timeline",
      title: "Deep-learning libraries",
      description: "First releases from Theano (2009) to PyTorch (2017), in two lanes.",
      events: [
        { year: 2009, label: "Theano", group: "Python" },
        { year: 2011, label: "Torch7", group: "Lua" },
        { year: 2015, label: "TensorFlow", group: "Python" },
        {
          year: 2019,
          label: "TensorFlow 2.0",
          group: "Python",
          alternative: { year: 2017, label: "the slide's year" },
        },
        { year: 2017, label: "PyTorch", group: "Python", detail: "public beta, January 2017" },
      ],
      phases: [{ from: 2012, to: 2020, label: "Third wave", details: ["deep networks"] }],
    },
    names: {
      kind: "text",
      title: "Names sampled from a character model",
      description: "Five names, one per line.",
      lines: ["emma", "olivander", "ada", "jonas", "mireille"],
    },
  };
}

/**
 * Sample artifacts of every kind, as two variants' trials would give them: overlaid kinds
 * (lines, contour, density, log–log fit) and the heatmap and table from both variants, the
 * others from LeNet-5 only; a second seed that the report leaves out; the bars measured.
 *
 * @returns Entries for {@linkcode renderArtifacts}.
 *
 * @example
 * ```ts
 * import { sampleArtifactEntries } from "./sample_results.ts";
 * const kinds = new Set(sampleArtifactEntries().map((entry) => entry.artifact.kind));
 * if (kinds.size !== 13) throw new Error(`${kinds.size} kinds`);
 * ```
 */
export function sampleArtifactEntries(): ArtifactEntry[] {
  const both = new Set(["errorByWidth", "landscape", "means", "monteCarlo", "confusion", "layers"]);
  const labels = { lenet5: "LeNet-5", mlp: "MLP 300" } as const;
  return (["lenet5", "mlp"] as const).flatMap((variant) =>
    [1, 2].flatMap((seed) =>
      Object.entries(artifactsOf(variant))
        .filter(([key]) => variant === "lenet5" || both.has(key))
        .map(([key, artifact]) => ({
          key,
          variant,
          variantLabel: labels[variant],
          seed,
          artifact,
          ...(key === "throughput" ? { measured: true } : {}),
        }))
    )
  );
}
