/**
 * The `fit` task: a data source × a model spec × a loss × an optimizer with its schedule ×
 * regularization × metrics, trained with the framework's loop and evaluated on held-out data;
 * probes then look inside the trained model (decision regions, filters, reconstructions, samples,
 * baselines). Classification and regression, XOR, polynomial fits, autoencoders, residual nets
 * and recurrent nets on sequences are all `fit` experiments that differ only in their data.
 *
 * @module
 */

import * as tf from "@tensorflow/tfjs";
import { z } from "zod";
import { defineTask, type TrialOutput } from "../experiment/task.ts";
import {
  type DataShape,
  dataShape,
  type DataSource,
  dataSourceSchema,
  type DataSplit,
  loadData,
  splitNames,
} from "../data/sources.ts";
import { expandModel, type ModelSpec, modelSpecSchema } from "../models/presets.ts";
import { buildModel } from "../models/build_model.ts";
import { countModel } from "../models/count_model.ts";
import { modelKernels } from "../models/model_kernels.ts";
import type { LayerSpec } from "../models/layer_spec.ts";
import {
  checkLossAndMetrics,
  defaultLoss,
  type LossName,
  lossSchema,
  type MetricName,
  metricSchema,
  splitMetricName,
} from "../train/losses.ts";
import { optimizerSchema, TrainingOptimizer } from "../train/optimizer.ts";
import { scheduleSchema } from "../train/schedule.ts";
import { augmentSchema, shiftedBatches } from "../train/augment.ts";
import { fit } from "../train/train_loop.ts";
import type { DeviceSplit } from "../train/evaluate.ts";
import { evaluateModel } from "../train/evaluate.ts";
import { checkProbes, probeMetrics, probeSchema, runProbes } from "../probes/probes.ts";

const SPLITS = ["train", "validation", "test"] as const;

const fitObjectSchema = z.strictObject({
  /** What to train and evaluate on. */
  data: dataSourceSchema,
  /** The model: a preset (`mlp`, `lenet5`, `linear`) or `{ kind: "layers", layers: [...] }`. */
  model: modelSpecSchema,
  /** Default: crossEntropy for classes, mse for values. */
  loss: lossSchema.optional(),
  train: z.strictObject({
    epochs: z.number().int().min(1),
    batchSize: z.number().int().min(1),
    optimizer: optimizerSchema,
    /** How the learning rate changes; constant by default. */
    schedule: scheduleSchema.default({ kind: "constant" }),
    /** Steps of linear warm-up at the start. */
    warmupSteps: z.number().int().min(0).default(0),
    /** L2 penalty λ on the kernels: the loss gains λ · Σ w². */
    weightDecay: z.number().min(0).default(0),
    /** Clip the gradients' global norm to this; 0 turns clipping off. */
    clipNorm: z.number().min(0).default(0),
    /** Random shifts of the training images, new at every step. */
    augment: augmentSchema.optional(),
    /** Stop when the validation metric has not improved for `patience` epochs. */
    earlyStopping: z.strictObject({
      metric: metricSchema.default("loss"),
      patience: z.number().int().min(1),
    }).optional(),
    /** Steps between loss readbacks; each costs a device sync. */
    readbackEvery: z.number().int().min(1).default(100),
    /** Examples per forward pass during evaluation. */
    evalBatchSize: z.number().int().min(1).default(1000),
  }),
  evaluate: z.strictObject({
    /** Splits evaluated after every epoch. */
    splits: z.array(z.enum(SPLITS)).min(1).default(["test"]),
    /** Default: loss and errorPercent for classes, loss for values. */
    metrics: z.array(metricSchema).min(1).optional(),
    /** Also evaluate every this many steps (0: at epoch ends only). */
    everySteps: z.number().int().min(0).default(0),
    /** Evaluate every this many epochs and after the last (for tiny epochs, e.g. XOR's 4 points). */
    everyEpochs: z.number().int().min(1).default(1),
    /** Also evaluate before the first step (`initial…` metrics). */
    atStart: z.boolean().default(false),
    /** Evaluate the training split on its first examples only (default: all of them). */
    trainSubset: z.number().int().min(1).optional(),
  }).default({ splits: ["test"], everySteps: 0, everyEpochs: 1, atStart: false }),
  /** Looks inside the trained model; each adds metrics or charts. */
  probes: z.array(probeSchema).default([]),
});

/** The settings of a `fit` experiment (defaults filled in, loss and metrics made explicit). */
export const fitSettingsSchema = fitObjectSchema.transform((settings) => {
  const target = dataShape(settings.data).target;
  return {
    ...settings,
    loss: settings.loss ?? defaultLoss(target),
    evaluate: {
      ...settings.evaluate,
      metrics: settings.evaluate.metrics ??
        (target.kind === "classes"
          ? ["loss", "errorPercent"] as MetricName[]
          : ["loss"] as MetricName[]),
    },
  };
});

/** Settings of a `fit` experiment, after defaults. */
export type FitSettings = z.output<typeof fitSettingsSchema>;
/** Settings of a `fit` experiment, as written. */
export type FitSettingsInput = z.input<typeof fitSettingsSchema>;

/** The model's full layer list for its data. */
export function layersFor(model: ModelSpec, shape: DataShape): LayerSpec[] {
  const outputs = shape.target.kind === "classes"
    ? shape.target.classes
    : shape.target.shape.reduce((a, b) => a * b, 1);
  return expandModel(model, { input: shape.input, outputs });
}

/** The output shape a model must produce for its data (per example). */
function expectedOutput(shape: DataShape): number[] {
  return shape.target.kind === "classes"
    ? [...shape.target.shape, shape.target.classes]
    : shape.target.shape;
}

/** The `fit` task. */
export const fitTask = defineTask<FitSettings>({
  kind: "fit",
  description: "train a model on a data source and evaluate it on held-out data",
  settingsSchema: fitSettingsSchema as unknown as z.ZodType<FitSettings>,
  metricNames(settings) {
    const evaluated = settings.evaluate.splits.flatMap((split) =>
      settings.evaluate.metrics.map((metric) => splitMetricName(split, metric))
    );
    return [
      "trainLoss",
      "steps",
      "parameters",
      ...evaluated,
      ...(settings.evaluate.atStart ? evaluated.map(initialName) : []),
      ...(settings.train.earlyStopping ? ["bestEpoch"] : []),
      ...settings.probes.flatMap((probe) => probeMetrics(probe, dataShape(settings.data))),
    ];
  },
  requiredKernels(settings) {
    const shape = dataShape(settings.data);
    const classes = shape.target.kind === "classes" ? ["OneHot", "ArgMax"] : [];
    return [...modelKernels(layersFor(settings.model, shape)), ...classes];
  },
  validate(settings) {
    const shape = dataShape(settings.data);
    const problems = checkLossAndMetrics(settings.loss, settings.evaluate.metrics, shape.target);
    const splits = splitNames(settings.data);
    for (const split of settings.evaluate.splits) {
      if (!splits.includes(split)) {
        problems.push(
          `evaluate.splits: this data source has no ${split} split (it has ${splits.join(", ")})${
            split === "validation" && settings.data.kind === "mnist"
              ? "; set data.validationSize"
              : ""
          }`,
        );
      }
    }
    if (settings.train.earlyStopping && !splits.includes("validation")) {
      problems.push(
        `train.earlyStopping: needs a validation split, which this data source lacks${
          settings.data.kind === "mnist" ? "; set data.validationSize" : ""
        } (the test set is never used to stop)`,
      );
    }
    if (settings.train.augment && shape.input.length !== 3) {
      problems.push(
        `train.augment: shifts need image inputs [height, width, channels], found [${shape.input}]`,
      );
    }
    try {
      const layers = layersFor(settings.model, shape);
      problems.push(...checkProbes(settings.probes, shape, layers));
      const count = countModel(shape.input, layers);
      const expected = expectedOutput(shape);
      const size = (dims: readonly number[]) => dims.reduce((a, b) => a * b, 1);
      const matches = count.output.join() === expected.join() ||
        (shape.target.kind === "values" && size(count.output) === size(expected));
      if (!matches) {
        problems.push(
          `model: expected the model to output [${expected}] per example for this data, found [${count.output}]`,
        );
      }
    } catch (error) {
      problems.push(`model: ${(error as Error).message}`);
    }
    return problems;
  },
  async prepare(variants) {
    for (const settings of variants) {
      if (!("dataSeed" in settings.data) || settings.data.kind === "names") {
        await loadData(settings.data, 1);
      }
    }
  },
  modules: () => [import.meta.url],
  async runTrial(
    { settings, seed, progress, variant, checkpoints, charts },
  ): Promise<TrialOutput> {
    const data = await loadData(settings.data as DataSource, seed);
    const { shape } = data;
    const layers = layersFor(settings.model, shape);
    const toDevice = (split: DataSplit): DeviceSplit => ({
      features: tf.tensor(split.features, [split.count, ...shape.input], "float32"),
      targets: tf.tensor(
        split.targets,
        [split.count, ...shape.target.shape],
        split.targets instanceof Int32Array ? "int32" : "float32",
      ),
    });
    const train = toDevice(data.train);
    const splits: Record<string, DeviceSplit> = {};
    const owned: DeviceSplit[] = [train];
    for (const name of settings.evaluate.splits) {
      if (name === "train") {
        const subset = settings.evaluate.trainSubset;
        splits.train = subset && subset < data.train.count
          ? toDevice(firstExamples(data.train, subset, shape))
          : train;
        if (splits.train !== train) owned.push(splits.train);
      } else {
        const split = name === "test" ? data.test : data.validation!;
        splits[name] = toDevice(split);
        owned.push(splits[name]);
      }
    }
    if (settings.train.earlyStopping && !splits.validation) {
      splits.validation = toDevice(data.validation!);
      owned.push(splits.validation);
    }
    const model = buildModel(shape.input, layers, seed);
    const optimizer = new TrainingOptimizer(settings.train.optimizer);
    const probeContext = {
      model,
      data,
      layers,
      shape,
      loss: settings.loss as LossName,
      seed,
      splits,
      train,
      charts: charts ?? true,
    };
    try {
      const before = await runProbes(settings.probes, "before", probeContext);
      const initial: Record<string, number> = {};
      if (settings.evaluate.atStart) {
        for (const [name, split] of Object.entries(splits)) {
          const values = await evaluateModel(
            model,
            split,
            settings.loss as LossName,
            settings.evaluate.metrics,
            shape.target,
            settings.train.evalBatchSize,
          );
          for (const metric of settings.evaluate.metrics) {
            initial[initialName(splitMetricName(name, metric))] = values[metric];
          }
        }
      }
      progress.trialStarted({
        label: `${variant} seed ${seed}`,
        epochs: settings.train.epochs,
        stepsPerEpoch: Math.ceil(data.train.count / settings.train.batchSize),
      });
      const result = await fit({
        model,
        optimizer,
        loss: settings.loss as LossName,
        target: shape.target,
        train,
        evaluate: Object.fromEntries(
          settings.evaluate.splits.map((name) => [name, splits[name]]),
        ),
        metrics: settings.evaluate.metrics,
        epochs: settings.train.epochs,
        batchSize: settings.train.batchSize,
        schedule: settings.train.schedule,
        warmupSteps: settings.train.warmupSteps,
        l2: settings.train.weightDecay,
        clipNorm: settings.train.clipNorm,
        hostBatches: settings.train.augment
          ? shiftedBatches(
            data.train,
            shape.input,
            shape.target.shape,
            settings.train.augment,
            seed,
          )
          : undefined,
        readbackEvery: settings.train.readbackEvery,
        evaluateEverySteps: settings.evaluate.everySteps,
        evaluateEveryEpochs: settings.evaluate.everyEpochs,
        evalBatchSize: settings.train.evalBatchSize,
        earlyStopping: settings.train.earlyStopping,
        seed,
        progress,
        checkpoints,
      });
      const after = result.diverged
        ? { final: {}, artifacts: {} }
        : await runProbes(settings.probes, "after", probeContext);
      const headline = Object.entries(result.final).find(([name]) => name.startsWith("test"));
      progress.trialDone(
        result.diverged
          ? `diverged at step ${result.diverged.step}`
          : `${headline ? `${headline[0]} ${Number(headline[1].toPrecision(4))}, ` : ""}${
            Math.round(result.trainExamples / Math.max(result.trainSeconds, 1e-9))
          } train examples/s`,
      );
      return {
        final: {
          ...result.final,
          ...initial,
          parameters: model.countParams(),
          ...before.final,
          ...after.final,
        },
        curve: settings.evaluate.atStart && Object.keys(initial).length > 0
          ? [{ step: 0, epoch: 0, ...renameInitial(initial) }, ...result.curve]
          : result.curve,
        artifacts: { ...before.artifacts, ...after.artifacts },
        timing: {
          trainExamplesPerSecond: result.trainExamples / Math.max(result.trainSeconds, 1e-9),
          ...(result.evalExamples > 0
            ? { evalExamplesPerSecond: result.evalExamples / Math.max(result.evalSeconds, 1e-9) }
            : {}),
        },
        ...(result.diverged ? { diverged: result.diverged } : {}),
        ...(result.resumedAfterEpoch === undefined
          ? {}
          : { resumedAfterEpoch: result.resumedAfterEpoch }),
      };
    } finally {
      optimizer.dispose();
      model.dispose();
      for (const split of owned) tf.dispose([split.features, split.targets]);
    }
  },
});

/** `testLoss` -> `initialTestLoss`. */
function initialName(name: string): string {
  return `initial${name[0].toUpperCase()}${name.slice(1)}`;
}

/** The initial evaluation as a curve point at step 0, under the curve's own metric names. */
function renameInitial(initial: Record<string, number>): Record<string, number> {
  return Object.fromEntries(
    Object.entries(initial).map((
      [name, value],
    ) => [name[7].toLowerCase() + name.slice(8), value]),
  );
}

function firstExamples(split: DataSplit, count: number, shape: DataShape): DataSplit {
  const width = shape.input.reduce((a, b) => a * b, 1);
  const targetWidth = shape.target.shape.reduce((a, b) => a * b, 1);
  return {
    features: split.features.subarray(0, count * width),
    targets: split.targets.subarray(0, count * targetWidth),
    count,
  };
}
