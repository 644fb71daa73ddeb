/**
 * The shape of a probe's module: its schema, when it runs, the metrics it adds, and the run.
 *
 * @module
 */

import type { z } from "zod";
import type { DataShape } from "../data/sources.ts";
import type { LayerSpec } from "../models/layer_spec.ts";
import type { ProbeContext, ProbeOutput } from "./probe.ts";

/** One probe kind. */
export interface ProbeDefinition<Probe> {
  /** Its settings, with a `kind` literal. */
  schema: z.ZodType<Probe>;
  /** Before training (on the initial weights) or after it. */
  when: "before" | "after";
  /** The final metrics it adds. */
  metrics(probe: Probe, shape: DataShape): string[];
  /** Problems with its settings for this data and model, found before anything trains. */
  check(probe: Probe, shape: DataShape, layers: readonly LayerSpec[]): string[];
  /** Runs it. */
  run(probe: Probe, context: ProbeContext): Promise<ProbeOutput>;
}

/** Checks that a layer of that name exists in the model. */
export function checkLayerName(layers: readonly LayerSpec[], name: string, what: string): string[] {
  const names = layerNames(layers);
  return names.includes(name)
    ? []
    : [`${what}: expected the name of a layer of the model (${names.join(", ")}), found "${name}"`];
}

/** Every named layer of a list (top level only: the ones a probe can read). */
export function layerNames(layers: readonly LayerSpec[]): string[] {
  return layers.map((layer) => layer.name).filter((name): name is string => name !== undefined);
}
