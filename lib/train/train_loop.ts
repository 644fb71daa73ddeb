/**
 * The framework's one training loop. It replaces `model.fit`, which shuffles with `Math.random`
 * and reads the loss back after every batch.
 *
 * - Shuffling draws from the trial seed: epoch `e` uses `deriveSeed(seed, "shuffle", e)`.
 * - Data stays on the device; each epoch uploads one permutation, each batch is a gather (with
 *   augmentation, batches are assembled and shifted on the host from the same permutation).
 * - The step: the loss (plus an L2 penalty on the weights), gradients, optional clipping by global
 *   norm, the optimizer's update at the scheduled learning rate.
 * - Losses accumulate on the device and are read back every `readbackEvery` steps and at the end
 *   of each epoch (on Deno's WebGPU each readback drains the queue and costs about 10 ms).
 * - Evaluation after every epoch (and every `evaluateEverySteps` steps if set) on the named splits.
 * - Early stopping reads only the validation split's metrics, and restores the best weights.
 * - A NaN or infinite loss stops the trial and marks it diverged, with its step.
 * - After each epoch the state can be checkpointed; a resumed trial gives the same bytes.
 * - Every tensor it makes is disposed; `tf.memory().numTensors` is unchanged after a trial.
 *
 * @module
 */

import * as tf from "@tensorflow/tfjs";
import type { CurvePoint, JsonValue } from "../experiment/records.ts";
import type { Checkpoint, SavedTensor, TrialCheckpoints } from "../experiment/checkpoints.ts";
import type { TargetShape } from "../data/sources.ts";
import { deriveSeed, permutation } from "../random/seed.ts";
import type { Progress } from "./progress.ts";
import { batchLoss, type LossName, type MetricName, splitMetricName } from "./losses.ts";
import { type DeviceSplit, evaluateModel } from "./evaluate.ts";
import { loadTensor, saveTensor, type TrainingOptimizer } from "./optimizer.ts";
import { learningRateAt, type Schedule } from "./schedule.ts";
import type { HostBatches } from "./augment.ts";

/** Early stopping: stop when the validation metric has not improved for `patience` epochs. */
export interface EarlyStopping {
  /** A validation metric, e.g. `loss` or `errorPercent`. */
  metric: MetricName;
  /** Epochs without improvement before stopping. */
  patience: number;
}

/** What the loop needs. */
export interface FitOptions {
  /** The model to train. */
  model: tf.LayersModel;
  /** Updates the weights. */
  optimizer: TrainingOptimizer;
  /** The loss the steps minimise. */
  loss: LossName;
  /** The data's target shape. */
  target: TargetShape;
  /** Training data, shuffled afresh each epoch from the seed. */
  train: DeviceSplit;
  /** Splits evaluated after every epoch, by name (`test`, `validation`, `train`). */
  evaluate: Record<string, DeviceSplit>;
  /** Metrics computed on each evaluated split. */
  metrics: readonly MetricName[];
  /** Passes over the training data. */
  epochs: number;
  /** Examples per step; the last batch of an epoch may be smaller. */
  batchSize: number;
  /** Learning rate schedule (from the optimizer's rate). */
  schedule: Schedule;
  /** Steps of linear warm-up at the start (0: none). */
  warmupSteps: number;
  /** L2 penalty: λ · Σ w² over every kernel (not biases or batch-norm parameters). */
  l2: number;
  /** Clip the gradients' global norm to this (0: no clipping). */
  clipNorm: number;
  /** Host-side batches for augmentation; the device gather otherwise. */
  hostBatches?: HostBatches;
  /** Steps between loss readbacks (each epoch's end also reads back). */
  readbackEvery: number;
  /** Also evaluate every this many steps (0: only at epoch ends). */
  evaluateEverySteps: number;
  /** Evaluate (and record a curve point) every this many epochs, and after the last (default 1). */
  evaluateEveryEpochs?: number;
  /** Examples per forward pass when evaluating. */
  evalBatchSize: number;
  /** Stop early on the validation split. */
  earlyStopping?: EarlyStopping;
  /** The trial's root seed. */
  seed: number;
  /** Receives each step, epoch and readback. */
  progress: Progress;
  /** Where to save and find the state after each epoch. */
  checkpoints?: TrialCheckpoints;
}

/** What the loop returns. */
export interface FitResult {
  /** Training loss at each readback and every metric at each evaluation, in step order. */
  curve: CurvePoint[];
  /** The final (or, with early stopping, best) evaluation, the last epoch's mean loss, the steps. */
  final: Record<string, number>;
  /** Set when the loss became NaN or infinite. */
  diverged?: { step: number; epoch: number };
  /** Seconds spent in training steps (readbacks included, evaluation excluded). */
  trainSeconds: number;
  /** Seconds spent evaluating. */
  evalSeconds: number;
  /** Training examples processed. */
  trainExamples: number;
  /** Examples evaluated. */
  evalExamples: number;
  /** The checkpoint epoch training resumed after, if it did. */
  resumedAfterEpoch?: number;
}

/** The loop's state between epochs: what a checkpoint holds besides the tensors. */
interface LoopState {
  step: number;
  curve: CurvePoint[];
  lastTrainLoss: number;
  evaluation: Record<string, number>;
  best?: { epoch: number; value: number; evaluation: Record<string, number> };
  stopped: boolean;
  dropoutCalls: Record<string, number>;
}

/**
 * Trains a model and evaluates it.
 *
 * @param options Model, optimizer, data, schedule and the rest.
 * @returns The learning curve, final metrics and timings.
 */
export async function fit(options: FitOptions): Promise<FitResult> {
  const { model, optimizer, train, batchSize, progress } = options;
  const count = train.features.shape[0];
  const stepsPerEpoch = Math.ceil(count / batchSize);
  const totalSteps = stepsPerEpoch * options.epochs;
  const variables = model.trainableWeights.map((weight) => weight.read() as tf.Variable);
  const lossSum = tf.tidy(() => tf.variable(tf.scalar(0), false));
  let bestWeights: tf.Tensor[] | undefined;
  let stepsSinceReadback = 0;
  let trainSeconds = 0;
  let evalSeconds = 0;
  let evalExamples = 0;
  let trainExamples = 0;
  let epochLossTotal = 0;
  let diverged: FitResult["diverged"];
  let state: LoopState = {
    step: 0,
    curve: [],
    lastTrainLoss: Number.NaN,
    evaluation: {},
    stopped: false,
    dropoutCalls: {},
  };
  let firstEpoch = 1;
  let resumedAfterEpoch: number | undefined;

  const saved = await options.checkpoints?.load();
  if (saved) {
    state = saved.state as unknown as LoopState;
    restoreWeights(model, saved.tensors);
    optimizer.restoreState(
      prefixed(saved.tensors, "optimizer/"),
      variables.map((variable) => variable.name),
    );
    setDropoutCalls(model, state.dropoutCalls);
    const best = prefixed(saved.tensors, "best/");
    if (Object.keys(best).length > 0) {
      bestWeights = model.getWeights().map((_, i) => loadTensor(best[String(i)]));
    }
    firstEpoch = saved.epoch + 1;
    resumedAfterEpoch = saved.epoch;
  }

  const readLoss = async (): Promise<number> => {
    const sum = (await lossSum.data())[0];
    tf.tidy(() => lossSum.assign(tf.zerosLike(lossSum)));
    const mean = sum / stepsSinceReadback;
    epochLossTotal += sum;
    stepsSinceReadback = 0;
    return mean;
  };

  const evaluateAll = async (): Promise<Record<string, number>> => {
    const started = performance.now();
    const results: Record<string, number> = {};
    for (const [split, data] of Object.entries(options.evaluate)) {
      const values = await evaluateModel(
        model,
        data,
        options.loss,
        options.metrics,
        options.target,
        options.evalBatchSize,
      );
      for (const metric of options.metrics) {
        results[splitMetricName(split, metric)] = values[metric];
      }
      evalExamples += data.features.shape[0];
    }
    evalSeconds += (performance.now() - started) / 1000;
    return results;
  };

  const stepContext: StepContext = {
    model,
    optimizer,
    loss: options.loss,
    target: options.target,
    variables,
    l2: options.l2,
    clipNorm: options.clipNorm,
  };
  const step = (x: tf.Tensor, y: tf.Tensor) => {
    optimizer.setLearningRate(
      learningRateAt(optimizer.spec.learningRate, options.schedule, {
        step: state.step,
        epoch: Math.floor(state.step / stepsPerEpoch) + 1,
        totalSteps,
      }, options.warmupSteps),
    );
    trainStep(stepContext, x, y, lossSum);
  };

  // A checkpoint costs a readback of every weight: the store says when one is due.
  const saveCheckpoint = async (epoch: number) => {
    if (!options.checkpoints?.due() || epoch >= options.epochs || state.stopped) return;
    state.dropoutCalls = dropoutCalls(model);
    await options.checkpoints.save(await checkpointOf(epoch, state, model, optimizer, bestWeights));
  };

  try {
    for (let epoch = firstEpoch; epoch <= options.epochs && !state.stopped; epoch++) {
      const started = performance.now();
      const evalSecondsBefore = evalSeconds;
      const order = permutation(count, deriveSeed(options.seed, "shuffle", epoch));
      const orderOnDevice = options.hostBatches ? undefined : tf.tensor1d(order, "int32");
      epochLossTotal = 0;
      for (let batch = 0; batch < stepsPerEpoch; batch++) {
        const start = batch * batchSize;
        const size = Math.min(batchSize, count - start);
        tf.tidy(() => {
          if (options.hostBatches) {
            const { x, y } = options.hostBatches.batch(order.subarray(start, start + size), {
              epoch,
              step: state.step,
            });
            step(x, y);
          } else {
            const indices = orderOnDevice!.slice([start], [size]);
            step(tf.gather(train.features, indices), tf.gather(train.targets, indices));
          }
        });
        state.step++;
        trainExamples += size;
        stepsSinceReadback++;
        const atEpochEnd = batch === stepsPerEpoch - 1;
        let loss: number | undefined;
        if (stepsSinceReadback >= options.readbackEvery || atEpochEnd) {
          loss = await readLoss();
          if (!Number.isFinite(loss)) {
            diverged = { step: state.step, epoch };
            break;
          }
          state.lastTrainLoss = loss;
          if (!atEpochEnd) {
            state.curve.push({
              step: state.step,
              epoch: epoch - 1 + (batch + 1) / stepsPerEpoch,
              trainLoss: loss,
            });
          }
        }
        if (
          options.evaluateEverySteps > 0 && !atEpochEnd &&
          state.step % options.evaluateEverySteps === 0
        ) {
          state.curve.push(finitePoint({
            step: state.step,
            epoch: epoch - 1 + (batch + 1) / stepsPerEpoch,
            ...(await evaluateAll()),
          }));
        }
        progress.stepDone(epoch, batch + 1, loss);
      }
      orderOnDevice?.dispose();
      // Evaluations between steps are evaluation time, not training time.
      trainSeconds += (performance.now() - started) / 1000 - (evalSeconds - evalSecondsBefore);
      if (diverged) break;
      const every = options.evaluateEveryEpochs ?? 1;
      if (epoch % every !== 0 && epoch !== options.epochs) {
        progress.epochDone(epoch, { trainLoss: epochLossTotal / stepsPerEpoch });
        await saveCheckpoint(epoch);
        continue;
      }

      state.evaluation = await evaluateAll();
      const epochTrainLoss = epochLossTotal / stepsPerEpoch;
      state.curve.push(finitePoint({
        step: state.step,
        epoch,
        trainLoss: state.lastTrainLoss,
        epochTrainLoss,
        ...state.evaluation,
      }));
      if (Object.values(state.evaluation).some((value) => !Number.isFinite(value))) {
        // The training loss was still finite, but the model's outputs no longer are.
        diverged = { step: state.step, epoch };
        break;
      }
      progress.epochDone(epoch, { trainLoss: epochTrainLoss, ...state.evaluation });
      if (options.earlyStopping) {
        const name = splitMetricName("validation", options.earlyStopping.metric);
        const value = state.evaluation[name];
        const higherIsBetter = options.earlyStopping.metric === "accuracyPercent";
        const improved = state.best === undefined ||
          (higherIsBetter ? value > state.best.value : value < state.best.value);
        if (improved) {
          state.best = { epoch, value, evaluation: { ...state.evaluation, epochTrainLoss } };
          tf.dispose(bestWeights);
          bestWeights = model.getWeights().map((weight) => tf.clone(weight));
        } else if (epoch - state.best!.epoch >= options.earlyStopping.patience) {
          state.stopped = true;
        }
      }
      await saveCheckpoint(epoch);
    }
    if (bestWeights && state.best) model.setWeights(bestWeights);
  } finally {
    lossSum.dispose();
    tf.dispose(bestWeights);
  }

  const last = [...state.curve].reverse().find((point) => point.epochTrainLoss !== undefined);
  const chosen = state.best?.evaluation ?? state.evaluation;
  const final: Record<string, number> = {
    ...(last ? { trainLoss: state.best?.evaluation.epochTrainLoss ?? last.epochTrainLoss } : {}),
    ...withoutKey(chosen, "epochTrainLoss"),
    steps: state.step,
    ...(options.earlyStopping && state.best ? { bestEpoch: state.best.epoch } : {}),
  };
  return {
    curve: state.curve,
    final: Object.fromEntries(Object.entries(final).filter(([, v]) => Number.isFinite(v))),
    ...(diverged ? { diverged } : {}),
    trainSeconds,
    evalSeconds,
    trainExamples,
    evalExamples,
    ...(resumedAfterEpoch === undefined ? {} : { resumedAfterEpoch }),
  };
}

/** A curve point without the values that are not finite (they cannot be recorded). */
function finitePoint(point: CurvePoint): CurvePoint {
  return Object.fromEntries(
    Object.entries(point).filter(([, value]) => Number.isFinite(value)),
  ) as CurvePoint;
}

function withoutKey(record: Record<string, number>, key: string): Record<string, number> {
  return Object.fromEntries(Object.entries(record).filter(([name]) => name !== key));
}

/** What a training step needs besides the batch. */
export interface StepContext {
  /** The model. */
  model: tf.LayersModel;
  /** The optimizer, at the step's learning rate. */
  optimizer: TrainingOptimizer;
  /** The loss. */
  loss: LossName;
  /** The data's target shape. */
  target: TargetShape;
  /** The model's trainable variables, in the order their gradients are applied. */
  variables: tf.Variable[];
  /** L2 penalty λ on the kernels (0: none). */
  l2: number;
  /** Clip the gradients' global norm to this (0: no clipping). */
  clipNorm: number;
}

/**
 * One optimizer step on one batch: the loss (plus the L2 penalty), the gradients, optional
 * clipping, the update, and the batch's data loss added to `lossSum` on the device (nothing is
 * read back). Disposes everything it makes.
 *
 * @param context Model, optimizer, loss, regularisation.
 * @param x The batch's inputs.
 * @param y The batch's targets.
 * @param lossSum A device scalar the batch's mean loss is added to.
 */
export function trainStep(
  context: StepContext,
  x: tf.Tensor,
  y: tf.Tensor,
  lossSum: tf.Variable,
): void {
  const penalized = context.l2 > 0
    ? context.variables.filter((variable) => /kernel|embeddings/.test(variable.name))
    : [];
  tf.tidy(() => {
    let dataLoss: tf.Scalar | undefined;
    const { value, grads } = tf.variableGrads(() => {
      const outputs = context.model.apply(x, { training: true }) as tf.Tensor;
      const loss = batchLoss(context.loss, outputs, y, context.target);
      if (penalized.length === 0) return loss;
      dataLoss = tf.keep(loss);
      const penalty = tf.addN(penalized.map((w) => tf.sum(tf.square(w))));
      return tf.add(loss, tf.mul(penalty, context.l2)) as tf.Scalar;
    }, context.variables);
    const clipped = context.clipNorm > 0 ? clipByGlobalNorm(grads, context.clipNorm) : grads;
    context.optimizer.applyGradients(clipped);
    lossSum.assign(tf.add(lossSum, dataLoss ?? value));
    dataLoss?.dispose();
  });
}

/**
 * Scales gradients so that their global L2 norm is at most `maxNorm` (Pascanu et al. 2013).
 *
 * @param grads Variable name -> gradient.
 * @param maxNorm The largest allowed norm.
 * @returns The clipped gradients, in the same order.
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import { clipByGlobalNorm } from "./train_loop.ts";
 * await tf.setBackend("cpu");
 * const clipped = clipByGlobalNorm({ a: tf.tensor1d([3]), b: tf.tensor1d([4]) }, 1);
 * if (Math.abs(clipped.a.dataSync()[0] - 0.6) > 1e-6) throw new Error("norm 5 scaled to 1");
 * ```
 */
export function clipByGlobalNorm(grads: tf.NamedTensorMap, maxNorm: number): tf.NamedTensorMap {
  return tf.tidy(() => {
    const norm = tf.sqrt(tf.addN(Object.values(grads).map((g) => tf.sum(tf.square(g)))));
    const scale = tf.div(maxNorm, tf.maximum(norm, maxNorm));
    return Object.fromEntries(
      Object.entries(grads).map(([name, g]) => [name, tf.mul(g, scale)]),
    );
  });
}

function prefixed(tensors: Record<string, SavedTensor>, prefix: string) {
  return Object.fromEntries(
    Object.entries(tensors).filter(([name]) => name.startsWith(prefix)).map((
      [name, tensor],
    ) => [name.slice(prefix.length), tensor]),
  );
}

async function checkpointOf(
  epoch: number,
  state: LoopState,
  model: tf.LayersModel,
  optimizer: TrainingOptimizer,
  bestWeights: tf.Tensor[] | undefined,
): Promise<Checkpoint> {
  const tensors: Record<string, SavedTensor> = {};
  for (const [i, weight] of model.getWeights().entries()) {
    tensors[`model/${i}`] = await saveTensor(weight);
  }
  for (const [name, tensor] of Object.entries(await optimizer.saveState())) {
    tensors[`optimizer/${name}`] = tensor;
  }
  for (const [i, weight] of (bestWeights ?? []).entries()) {
    tensors[`best/${i}`] = await saveTensor(weight);
  }
  return { epoch, state: structuredClone(state) as unknown as JsonValue, tensors };
}

function restoreWeights(model: tf.LayersModel, tensors: Record<string, SavedTensor>): void {
  const saved = prefixed(tensors, "model/");
  const weights = model.getWeights().map((_, i) => loadTensor(saved[String(i)]));
  model.setWeights(weights);
  tf.dispose(weights);
}

/** Layers that count their training calls (seeded dropout): the counters a resume restores. */
function dropoutCalls(model: tf.LayersModel): Record<string, number> {
  const calls: Record<string, number> = {};
  for (const layer of model.layers) {
    const counted = layer as unknown as { calls?: unknown };
    if (typeof counted.calls === "number") calls[layer.name] = counted.calls;
  }
  return calls;
}

function setDropoutCalls(model: tf.LayersModel, calls: Record<string, number>): void {
  for (const layer of model.layers) {
    if (Object.hasOwn(calls, layer.name)) {
      (layer as unknown as { calls: number }).calls = calls[layer.name];
    }
  }
}
