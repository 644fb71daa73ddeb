/**
 * What a probe gets and gives. A probe looks inside a `fit` trial's model, before training or
 * after it, and adds final metrics and typed artifacts (charts) to the trial's results.
 *
 * @module
 */

import type * as tf from "@tensorflow/tfjs";
import type { DataShape, LoadedData } from "../data/sources.ts";
import type { LayerSpec } from "../models/layer_spec.ts";
import type { LossName } from "../train/losses.ts";
import type { DeviceSplit } from "../train/evaluate.ts";
import type { Artifact } from "../report/artifacts.ts";

/** Everything a probe may look at. */
export interface ProbeContext {
  /** The model (trained, for probes that run after training). */
  model: tf.LayersModel;
  /** The data, on the host. */
  data: LoadedData;
  /** The model's layers, as built. */
  layers: readonly LayerSpec[];
  /** The data's shapes. */
  shape: DataShape;
  /** The loss the model trains with. */
  loss: LossName;
  /** The trial's root seed. */
  seed: number;
  /** The splits on the device, by name (the evaluated ones). */
  splits: Readonly<Record<string, DeviceSplit>>;
  /** The training split on the device. */
  train: DeviceSplit;
  /** Whether the report will show this trial's charts (its first seed); otherwise they are dropped. */
  charts: boolean;
}

/** What a probe adds. */
export interface ProbeOutput {
  /** Final metrics. */
  final: Record<string, number>;
  /** Charts and tables, by name. */
  artifacts: Record<string, Artifact>;
}
