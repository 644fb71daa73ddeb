/**
 * Reading a rendered chart back: the elements and texts of a named layer in a Vega SVG, and the
 * layer names of a spec. Shared by the chart builders' tests.
 *
 * @module
 */

import type { TopLevelSpec } from "vega-lite";

function groupsOf(svg: string, name: string): string[] {
  return [...svg.matchAll(/<g class="mark-\w+ role-mark (\w+)"[^>]*>(.*?)<\/g>/g)]
    .filter((match) => match[1] === `${name}_marks`).map((match) => match[2]);
}

/** The elements (`path`, `text`, `line`) drawn by the marks named `name` in a rendered SVG. */
export function marksOf(svg: string, name: string): string[] {
  return groupsOf(svg, name).flatMap((group) =>
    [...group.matchAll(/<(path|text|line)\b/g)].map((m) => m[1])
  );
}

/** The texts drawn by the text marks named `name` in a rendered SVG. */
export function textsOf(svg: string, name: string): string[] {
  return groupsOf(svg, name).flatMap((group) =>
    [...group.matchAll(/<text\b[^>]*>([^<]*)<\/text>/g)].map((m) => m[1])
  );
}

/** The `fill` colours of the marks named `name` in a rendered SVG, in drawing order. */
export function fillsOf(svg: string, name: string): string[] {
  return groupsOf(svg, name).flatMap((group) =>
    [...group.matchAll(/<(?:path|text|line)\b[^>]*?\sfill="([^"]+)"/g)].map((m) => m[1])
  );
}

/** The names of a layered spec's layers, in order; `""` for an unnamed layer. */
export function layerNames(spec: TopLevelSpec): string[] {
  return ("layer" in spec ? spec.layer : []).map((layer) =>
    (layer as { name?: string }).name ?? ""
  );
}

/** A layer of a layered spec by name, typed as the caller expects. */
export function layerOf<T = Record<string, unknown>>(spec: TopLevelSpec, name: string): T {
  const layer = ("layer" in spec ? spec.layer : []).find((layer) =>
    (layer as { name?: string }).name === name
  );
  if (layer === undefined) throw new Error(`no layer named ${name}: ${layerNames(spec)}`);
  return layer as T;
}
