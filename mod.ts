/**
 * Scripted, reproducible deep-learning experiments on TensorFlow.js.
 *
 * An experiment file declares what is compared, on which data, with which seeds and which
 * published result it must reproduce; {@linkcode runExperiment} validates it, trains every variant
 * for every seed with the framework's seeded training loop and writes deterministic metrics.
 *
 * @example
 * ```ts
 * import { defineExperiment } from "./mod.ts";
 * export default defineExperiment({
 *   id: "mlp-width",
 *   chapter: 6,
 *   title: "Wider hidden layers on MNIST",
 *   reproduces: { claim: "wider MLPs err less", source: "LeCun et al. 1998, Table C.1" },
 *   kind: "classify",
 *   seeds: [1, 2],
 *   data: { dataset: "mnist", trainSize: 60000, testSize: 10000 },
 *   train: { epochs: 5, batchSize: 64, optimizer: { kind: "adam", learningRate: 0.001 } },
 *   variants: [
 *     { name: "h300", settings: { model: { kind: "mlp", hidden: [300] } } },
 *     { name: "h1000", settings: { model: { kind: "mlp", hidden: [1000] } } },
 *   ],
 *   profiles: { ci: { "data.trainSize": 5000, "train.epochs": 1 } },
 * });
 * ```
 *
 * @module
 */

export { defineExperiment } from "./lib/tasks/define_experiment.ts";
export type {
  DeepPartial,
  ExperimentDefinition,
  ExperimentHeaderInput,
  SettingsInput,
} from "./lib/tasks/define_experiment.ts";
export { findTask, TASK_KINDS, TASKS } from "./lib/tasks/registry.ts";
export type { TaskKind } from "./lib/tasks/registry.ts";
export { classifySettingsSchema, classifyTask } from "./lib/tasks/classify.ts";
export type { ClassifySettings, ClassifySettingsInput } from "./lib/tasks/classify.ts";

export { runExperiment } from "./lib/run/run_experiment.ts";
export type { RunOptions, RunOutcome } from "./lib/run/run_experiment.ts";
export { FULL_PROFILE, mergeSettings, resolveExperiment } from "./lib/experiment/resolve.ts";
export type {
  ResolvedExperiment,
  ResolvedVariant,
  ResolveOptions,
} from "./lib/experiment/resolve.ts";
export { ConfigError } from "./lib/experiment/config_error.ts";
export { applyOverride, overridesFromYaml, parseSetArgument } from "./lib/experiment/overrides.ts";
export type { Override } from "./lib/experiment/overrides.ts";
export { checkExpectations, summarize, summarizeTrials } from "./lib/experiment/summarize.ts";
export type { RunResults, Task, TrialContext, TrialOutput } from "./lib/experiment/task.ts";
export type * from "./lib/experiment/records.ts";
export { describeBackend, formatThreads } from "./lib/experiment/records.ts";

export { createRng, deriveSeed, normal, permutation } from "./lib/random/seed.ts";

export { encodeIdx, IdxFormatError, parseIdx } from "./lib/data/idx.ts";
export type { IdxArray, IdxDataType } from "./lib/data/idx.ts";
export { DEFAULT_MNIST_DIRECTORY, loadMnist, MNIST_FILES, MnistError } from "./lib/data/mnist.ts";
export type { LoadMnistOptions, MnistData, MnistSplit } from "./lib/data/mnist.ts";
export { seededPermutation, takeSubset, toClassificationSplit } from "./lib/data/dataset.ts";
export type { ClassificationSplit, RegressionSplit, Standardization } from "./lib/data/dataset.ts";
export { addingProblem, gaussianBlobs, spirals, twoMoons, xor } from "./lib/data/synthetic.ts";
export type {
  BlobsSplit,
  GaussianBlobsOptions,
  SpiralsOptions,
  TwoMoonsOptions,
  XorOptions,
} from "./lib/data/synthetic.ts";

export {
  classifierModelSchema,
  createClassifierModel,
  lenet5Schema,
  mlpSchema,
  requiredKernels,
} from "./lib/models/classifier_model.ts";
export type { ClassifierModelSpec, ClassifierShape } from "./lib/models/classifier_model.ts";
export { SeededDropout } from "./lib/models/seeded_dropout.ts";
export { ARCHITECTURES, countArchitecture } from "./lib/models/architectures.ts";
export type { Architecture, PublishedCounts } from "./lib/models/architectures.ts";
export { countModel } from "./lib/models/count_model.ts";
export type {
  BatchNormSpec,
  ConcatSpec,
  ConvSpec,
  DenseSpec,
  DepthwiseConvSpec,
  FlattenSpec,
  GlobalPoolSpec,
  LayerSpec,
  ModelCount,
  Padding,
  PoolSpec,
  ResidualSpec,
  TensorShape,
} from "./lib/models/count_model.ts";

export { HistoryTableError, loadHistoryTable, loadHistoryTables } from "./lib/history/tables.ts";
export type { HistoryTableName, HistoryTables } from "./lib/history/tables.ts";
export { fitDoublingTime } from "./lib/history/doubling.ts";
export type { DoublingFit } from "./lib/history/doubling.ts";
export { historySettingsSchema, historyTask } from "./lib/tasks/history.ts";
export type { HistorySettings } from "./lib/tasks/history.ts";

export {
  barsWithReferences,
  fitDoublingTrend,
  heatmap,
  learningCurves,
  logTimeSeries,
  scatter,
} from "./lib/report/charts.ts";
export type {
  BarDatum,
  BarsWithReferencesInput,
  ChartText,
  CurveSeries,
  DoublingTrend,
  HeatmapInput,
  HeatmapScheme,
  ImageGridInput,
  LearningCurvesInput,
  LogTimeSeriesInput,
  MatrixHeatmapInput,
  ReferenceLine,
  ScatterInput,
  ScatterPoint,
  TimePoint,
} from "./lib/report/charts.ts";
export { renderSvg } from "./lib/report/render_svg.ts";
export type { RenderedSvg } from "./lib/report/render_svg.ts";
export {
  loadResults,
  ReportInputError,
  writeExperimentReport,
  writeIndex,
} from "./lib/report/write_report.ts";
export type { ReportSection } from "./lib/report/write_report.ts";
export type { LoadedResults } from "./lib/report/load_results.ts";
export { measureMatMul } from "./lib/bench/matmul_throughput.ts";
export type { MatMulThroughput } from "./lib/bench/matmul_throughput.ts";

export { evaluateClassifier, trainClassifier, trainStep } from "./lib/train/train_loop.ts";
export type { DeviceSplit, TrainLoopOptions, TrainLoopResult } from "./lib/train/train_loop.ts";
export { createOptimizer, optimizerSchema, setLearningRate } from "./lib/train/optimizer.ts";
export type { OptimizerSpec } from "./lib/train/optimizer.ts";
export { createProgress, progressMode } from "./lib/train/progress.ts";
export type { Progress, ProgressMode, TrialStart } from "./lib/train/progress.ts";
export { measureInference, measureTraining } from "./lib/train/throughput.ts";
export type { Throughput, ThroughputOptions } from "./lib/train/throughput.ts";

export {
  activateBackend,
  BACKENDS,
  chooseBackend,
  isHardwareGpu,
  probeWebGpu,
  selectBackend,
} from "./lib/backend/select_backend.ts";
export type { AdapterRecord, BackendName, BackendRequest } from "./lib/backend/select_backend.ts";
export { registerFastKernels } from "./lib/backend/kernels/register_kernels.ts";
export {
  checkWasmThreads,
  defaultWasmThreads,
  MAX_WASM_THREADS,
  requestWasmThreads,
  runningWasmThreads,
} from "./lib/backend/wasm_threads.ts";

export { toCanonicalJson } from "./lib/io/canonical_json.ts";
export { writeFileAtomic, writeTextFileAtomic } from "./lib/io/atomic_write.ts";
export { findProjectRoot, projectPath, projectRoot } from "./lib/io/project_paths.ts";
