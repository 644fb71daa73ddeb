/**
 * Scripted, reproducible deep-learning experiments on TensorFlow.js.
 *
 * An experiment file declares what is compared, on which data, with which seeds and which
 * published result it must reproduce; {@linkcode runExperiment} validates it, trains every variant
 * for every seed with the framework's seeded training loop and writes deterministic metrics.
 *
 * For experiment authors: {@linkcode defineExperiment}, and {@linkcode defineTask} for a kind of
 * your own. For tool builders: running ({@linkcode runExperiment}, {@linkcode loadCatalog}),
 * reading results ({@linkcode loadResults}, {@linkcode compareTrees}) and rendering them
 * ({@linkcode renderResultsPage}), and the model-spec language ({@linkcode countModel},
 * {@linkcode buildModel}).
 *
 * @example
 * ```ts
 * import { defineExperiment } from "./mod.ts";
 * export default defineExperiment({
 *   id: "mlp-width",
 *   chapter: 6,
 *   title: "Wider hidden layers on MNIST",
 *   reproduces: { claim: "wider MLPs err less", source: "LeCun et al. 1998, Table C.1" },
 *   kind: "fit",
 *   seeds: [1, 2],
 *   data: { kind: "mnist", trainSize: 60000, testSize: 10000 },
 *   train: { epochs: 5, batchSize: 64, optimizer: { kind: "adam", learningRate: 0.001 } },
 *   variants: [
 *     { name: "h300", settings: { model: { kind: "mlp", hidden: [300] } } },
 *     { name: "h1000", settings: { model: { kind: "mlp", hidden: [1000] } } },
 *   ],
 *   profiles: { ci: { "data.trainSize": 5000, "train.epochs": 1 } },
 *   expect: [{
 *     kind: "beats", metric: "testErrorPercent", better: "h1000", worse: "h300",
 *     source: "LeCun et al. 1998, Table C.1 (4.5 % against 4.7 %)",
 *   }],
 * });
 * ```
 *
 * @module
 */

// Writing experiments.
export { defineExperiment } from "./lib/tasks/define_experiment.ts";
export type {
  BuiltInDefinition,
  CustomDefinition,
  ExperimentDefinition,
} from "./lib/tasks/define_experiment.ts";
export { defineTask } from "./lib/experiment/task.ts";
export type { Task, TrialContext, TrialOutput } from "./lib/experiment/task.ts";
export type { Artifact } from "./lib/report/artifacts.ts";
export { createRng, deriveSeed } from "./lib/random/seed.ts";

// Running them.
export { runExperiment } from "./lib/run/run_experiment.ts";
export type { RunOptions, RunOutcome } from "./lib/run/run_experiment.ts";
export { loadCatalog } from "./lib/cli/load_experiment.ts";
export type { CatalogEntry } from "./lib/cli/load_experiment.ts";
export { ConfigError } from "./lib/experiment/config_error.ts";

// Reading and rendering results.
export { loadResults, ReportInputError } from "./lib/report/load_results.ts";
export type { LoadedResults } from "./lib/report/load_results.ts";
export type {
  CheckResult,
  MetricsRecord,
  ResolvedConfigRecord,
  RunRecord,
} from "./lib/experiment/records.ts";
export { compareTrees } from "./lib/cli/compare.ts";
export { renderResultsPage, writeAllReports } from "./lib/cli/reports.ts";

// The model-spec language.
export { countModel } from "./lib/models/count_model.ts";
export { buildModel } from "./lib/models/build_model.ts";
export type { LayerSpec } from "./lib/models/layer_spec.ts";
export { ARCHITECTURES } from "./lib/models/architectures.ts";
