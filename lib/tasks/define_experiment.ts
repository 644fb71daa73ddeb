/**
 * `defineExperiment`: the typed entry point of an experiment file.
 *
 * @module
 */

import type { z } from "zod";
import type { ExpectationInput, sweepSchema } from "../experiment/schema.ts";
import type { FitSettingsInput } from "./fit.ts";
import type { minimizeSettingsSchema } from "./minimize.ts";
import type { computeSettingsSchema } from "./compute.ts";

/** Every property optional, recursively: what a variant or profile may change. */
export type DeepPartial<T> = T extends readonly unknown[] ? T
  : T extends { kind: string } & Record<string, unknown> ? Partial<T>
  : T extends object ? { [K in keyof T]?: DeepPartial<T[K]> }
  : T;

/**
 * A probe's or analysis's settings as written: its kind plus its own keys. They are checked
 * against the kind's schema when the experiment is loaded (the message names the key); here they
 * are open, so that a variant may change one key of them.
 */
export type KindSettings = { kind: string } & Record<string, unknown>;

/** The settings each built-in kind's experiments write. */
export interface BuiltInSettings {
  /** Train a model. */
  fit: Omit<FitSettingsInput, "probes"> & { probes?: KindSettings[] };
  /** An optimizer's path on a 2-D function. */
  minimize: z.input<typeof minimizeSettingsSchema>;
  /** An analysis that trains nothing. */
  compute: Omit<z.input<typeof computeSettingsSchema>, "analysis"> & { analysis: KindSettings };
}

/** The header every experiment has, whatever its kind. */
export interface ExperimentHeaderInput<Kind extends string, Settings> {
  /** Lower-case id; the published results go to `reports/<id>/`. */
  id: string;
  /** Course chapter, 1 to 12. */
  chapter: number;
  /** Short human title, shown as the report's heading. */
  title: string;
  /** The claim it reproduces and its source. */
  reproduces: { claim: string; source: string; url?: string };
  /** The task kind that runs it. */
  kind: Kind;
  /** One trial per variant per seed. */
  seeds: number[];
  /** What is compared; each changes some settings. */
  variants?: { name: string; label?: string; settings?: DeepPartial<Settings> }[];
  /** Grids or random searches that expand into more variants. */
  sweeps?: z.input<typeof sweepSchema>[];
  /** Reduced profiles: `--set`-style overrides, e.g. `{ "train.epochs": 1 }`. */
  profiles?: Record<string, Record<string, unknown>>;
  /** Published values, comparisons and derived quantities to reproduce, with bounds. */
  expect?: ExpectationInput[];
  /** Remarks for the report, e.g. where the paper trained longer. */
  notes?: string[];
}

/** An experiment of a built-in kind: its header plus settings (variants may supply some). */
export type BuiltInDefinition<K extends keyof BuiltInSettings = keyof BuiltInSettings> = K extends
  keyof BuiltInSettings
  ? ExperimentHeaderInput<K, BuiltInSettings[K]> & DeepPartial<BuiltInSettings[K]>
  : never;

/**
 * An experiment of a kind its own file brings (`export const tasks = [...]`). Such kinds' names
 * contain a '-', so they never clash with a built-in one.
 */
export type CustomDefinition =
  & ExperimentHeaderInput<`${string}-${string}`, Record<string, unknown>>
  & Record<string, unknown>;

/** Any experiment definition. */
export type ExperimentDefinition = BuiltInDefinition | CustomDefinition;

/**
 * Declares an experiment. Returns the definition unchanged: it is plain data, validated with the
 * file's name when the experiment is loaded, before anything trains. Importing an experiment file
 * does no I/O. A file may also default-export an array of experiments (a chapter's several
 * studies), each with its own id and report.
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
 *   kind: "fit",
 *   seeds: [1],
 *   data: { kind: "mnist", trainSize: 1000, testSize: 500 },
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
