/**
 * A realistic sample run (LeNet-5 and an MLP on MNIST, two seeds, three epochs) for tests, docs
 * examples and trying the report's design without training anything. The numbers are made up
 * but shaped like real ones.
 *
 * @module
 */

import type {
  CurvePoint,
  MetricsRecord,
  ResolvedConfigRecord,
  RunRecord,
} from "../experiment/records.ts";
import type { LoadedResults } from "./load_results.ts";

const EPOCHS = 3;
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
        point.testErrorPercent = Number((scale * (0.9 + 2.4 / epoch) + 0.05 * seed).toFixed(2));
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
      bounds: { full: { atMost: 2.0 }, ci: { atMost: 2.5 } },
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
    overrides: [{ path: "train.epochs", value: 3, from: "profile ci" }],
    seeds,
    variants: {
      lenet5: { model: "lenet5", train: { epochs: 3, batchSize: 64, learningRate: 0.01 } },
      mlp: { model: "mlp", hidden: [300], train: { epochs: 3, batchSize: 64, learningRate: 0.01 } },
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
