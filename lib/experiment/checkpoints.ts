/**
 * What a long trial saves after each epoch so that an interrupted run can resume it, and get the
 * same bytes as an uninterrupted one: the loop's state as JSON, and the tensors (weights, optimizer
 * moments) as raw typed arrays.
 *
 * @module
 */

import type { JsonValue } from "./records.ts";

/** One saved tensor. */
export interface SavedTensor {
  /** Its shape. */
  shape: number[];
  /** Its dtype. */
  dtype: "float32" | "int32";
  /** Its values, row-major. */
  values: Float32Array | Int32Array;
}

/** A trial's state after an epoch. */
export interface Checkpoint {
  /** The epoch that had just finished (from 1). */
  epoch: number;
  /** The loop's own state (step, curve so far, counters), as JSON. */
  state: JsonValue;
  /** The tensors by name. */
  tensors: Record<string, SavedTensor>;
}

/** Where one trial keeps its checkpoint; the run store provides it. */
export interface TrialCheckpoints {
  /** Whether a checkpoint is due now (saving costs a readback of every weight). */
  due(): boolean;
  /** The last checkpoint saved for this trial, if any and if intact. */
  load(): Promise<Checkpoint | undefined>;
  /** Saves a checkpoint atomically, replacing the previous one. */
  save(checkpoint: Checkpoint): Promise<void>;
}
