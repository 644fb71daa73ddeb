/**
 * `defineExperiment`: the typed entry point of an experiment file.
 *
 * @module
 */

import type { z } from "zod";
import type { ExpectationInput } from "../experiment/schema.ts";
import type { TaskKind, TASKS } from "./registry.ts";

/** Every property optional, recursively: what a variant or profile may change. */
export type DeepPartial<T> = T extends readonly unknown[] ? T
  : T extends object ? { [K in keyof T]?: DeepPartial<T[K]> }
  : T;

/** The settings an experiment of kind `K` writes. */
export type SettingsInput<K extends TaskKind> = z.input<(typeof TASKS)[K]["settingsSchema"]>;

/** The header every experiment has. */
export interface ExperimentHeaderInput<K extends TaskKind> {
  /** Lower-case id; results go to `reports/<id>/`. */
  id: string;
  /** Course chapter, 1 to 12. */
  chapter: number;
  /** Short human title, shown as the report's heading. */
  title: string;
  /** The claim it reproduces and its source. */
  reproduces: { claim: string; source: string; url?: string };
  /** The task kind that runs it. */
  kind: K;
  /** One trial per variant per seed. */
  seeds: number[];
  /** What is compared; each changes some settings. */
  variants: { name: string; label?: string; settings?: DeepPartial<SettingsInput<K>> }[];
  /** Reduced profiles: `--set`-style overrides, e.g. `{ "train.epochs": 1 }`. */
  profiles?: Record<string, Record<string, unknown>>;
  /** Published results to reproduce, with bounds per profile. */
  expect?: ExpectationInput[];
}

/** An experiment definition of kind `K`: header plus settings (variants may supply some). */
export type ExperimentDefinition<K extends TaskKind = TaskKind> = K extends TaskKind
  ? ExperimentHeaderInput<K> & DeepPartial<SettingsInput<K>>
  : never;

/**
 * Declares an experiment. Returns the definition unchanged: it is plain data, validated with the
 * file's name when the experiment is loaded, before anything trains. Importing an experiment file
 * does no I/O.
 *
 * @param definition The experiment.
 * @returns The same object, typed.
 *
 * @example
 * ```ts
 * import { defineExperiment } from "./define_experiment.ts";
 * const experiment = defineExperiment({
 *   id: "tiny", chapter: 6, title: "A tiny MLP",
 *   reproduces: { claim: "an MLP learns MNIST", source: "LeCun et al. 1998" },
 *   kind: "classify",
 *   seeds: [1],
 *   data: { dataset: "mnist", trainSize: 1000, testSize: 500 },
 *   model: { kind: "mlp", hidden: [32] },
 *   train: { epochs: 1, batchSize: 64, optimizer: { kind: "adam", learningRate: 0.001 } },
 *   variants: [{ name: "mlp" }],
 * });
 * if (experiment.id !== "tiny") throw new Error("changed");
 * ```
 */
export function defineExperiment<const D extends ExperimentDefinition>(definition: D): D {
  return definition;
}
