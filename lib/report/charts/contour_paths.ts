/**
 * A scalar field on a grid as filled contour bands with isolines, optimizer paths drawn over it
 * and labelled markers: loss landscapes such as Rosenbrock's, Beale's or a saddle.
 *
 * @module
 */

import type { TopLevelSpec } from "vega-lite";
import { colorScale, header, order } from "./_common.ts";
import {
  bandColors,
  bandLabels,
  bandRects,
  fieldAxes,
  fieldSize,
  FILL_CELL,
  isolineRows,
  niceLevels,
  round,
} from "./_field_layers.ts";
import { logTicks } from "./_log_ticks.ts";
import type { ChartText } from "./chart_text.ts";
import type { ScalarGrid } from "./scalar_grid.ts";

/** A path over the field, e.g. an optimizer's iterates. */
export interface ContourPath {
  /** Shown in the legend, e.g. the optimizer's name. */
  name: string;
  /** The path's points in order; the first and last are marked. */
  points: readonly { x: number; y: number }[];
}

/** A labelled point on the field, e.g. the minimum. */
export interface ContourMarker {
  x: number;
  y: number;
  /** Written beside the marker. */
  label: string;
}

/** Input of {@linkcode contourPaths}: a grid (`x`, `y`, `values[j][i]`), paths and text. */
export interface ContourPathsInput extends ChartText, ScalarGrid {
  /** Title of the x axis; `x` unless given. */
  xTitle?: string;
  /** Title of the y axis; `y` unless given. */
  yTitle?: string;
  /**
   * Bands and isolines at levels spaced by factors (powers of ten, or 1, 2, 5 times them) and
   * interpolated in log space; values at or below zero fall in the lowest band.
   */
  logValues?: boolean;
  /** The isoline levels; about eight round levels across the values unless given. */
  levels?: readonly number[];
  /** Paths drawn over the field, each with its start and end marked. */
  paths?: readonly ContourPath[];
  /** Legend order of paths; paths not named here follow in order of appearance. */
  pathOrder?: readonly string[];
  /** Labelled markers, e.g. the minimum. */
  markers?: readonly ContourMarker[];
  /** Title of the colour legend; none unless given. */
  colorTitle?: string;
}

/** The band colours: the lighter part of viridis, so black isolines and labels read on all. */
const FIELD_SCHEME = { name: "viridis", extent: [0.35, 1] as [number, number] };
/** The colour that cases paths and marker labels so they read on any band. */
const HALO = "white";
/** The colour of isolines and markers' outlines; always on the field's light colours. */
const LINE = "black";

/** The levels of the bands and isolines, and the transform to interpolate the field in. */
function levelsOf(input: ContourPathsInput): {
  levels: number[];
  transform: (value: number) => number;
} {
  const values = input.values.flat().filter(Number.isFinite);
  const positive = values.filter((value) => value > 0);
  const log = (input.logValues ?? false) && positive.length > 0;
  const low = Math.min(...(log ? positive : values));
  const high = Math.max(...values);
  const levels = input.levels !== undefined
    ? [...input.levels].filter((level) => Number.isFinite(level) && (!log || level > 0))
      .sort((a, b) => a - b)
    : log
    ? (logTicks([low, high]) ?? []).filter((level) => level > low && level < high)
    : niceLevels(low, high);
  return {
    levels: [...new Set(levels)],
    transform: log ? (value) => Math.log10(Math.max(value, low)) : (value) => value,
  };
}

/**
 * A scalar field as filled bands between isolines, with paths over it (each a line, its start a
 * circle and its end a square) and labelled markers.
 *
 * @param input The grid, levels, paths, markers and text.
 * @returns A Vega-Lite spec.
 *
 * @example
 * ```ts
 * import { contourPaths } from "./contour_paths.ts";
 * import { sampleGrid } from "./scalar_grid.ts";
 * const spec = contourPaths({
 *   title: "Rosenbrock's function",
 *   description: "Gradient descent creeps along the curved valley towards the minimum at (1, 1).",
 *   ...sampleGrid(
 *     (x, y) => (1 - x) ** 2 + 100 * (y - x * x) ** 2,
 *     { min: -2, max: 2, count: 41 },
 *     { min: -1, max: 3, count: 41 },
 *   ),
 *   logValues: true,
 *   paths: [{ name: "SGD", points: [{ x: -1.5, y: 2 }, { x: -1, y: 1 }, { x: 0.5, y: 0.25 }] }],
 *   markers: [{ x: 1, y: 1, label: "minimum" }],
 * });
 * if (!("layer" in spec)) throw new Error("expected a layered spec");
 * ```
 */
export function contourPaths(input: ContourPathsInput): TopLevelSpec {
  const { levels, transform } = levelsOf(input);
  const interpolated: ScalarGrid = {
    x: input.x,
    y: input.y,
    values: input.values.map((row) => row.map(transform)),
  };
  const transformed = levels.map(transform);
  const { width, height } = fieldSize(input);
  const { x, y } = fieldAxes(input, input.xTitle ?? "x", input.yTitle ?? "y");
  const bands = bandLabels(levels);
  const rects = bandRects(
    interpolated,
    transformed,
    Math.ceil(width / FILL_CELL),
    Math.ceil(height / FILL_CELL),
  ).map(({ band, ...rect }) => ({ ...rect, band: bands[band] }));
  const layer: unknown[] = [
    {
      name: "field",
      data: { values: rects },
      mark: { type: "rect", aria: false },
      encoding: {
        x: { ...x, field: "x0" },
        x2: { field: "x1" },
        y: { ...y, field: "y0" },
        y2: { field: "y1" },
        // `fill`, not `color`: the bands get a scale of their own, apart from the paths' colours.
        fill: {
          field: "band",
          type: "ordinal",
          scale: {
            domain: bands,
            range: bandColors(FIELD_SCHEME.name, FIELD_SCHEME.extent, bands.length),
          },
          legend: {
            title: input.colorTitle ?? null,
            orient: "right",
            direction: "vertical",
            symbolType: "square",
            symbolSize: 160,
            symbolStrokeWidth: 0,
          },
        },
      },
    },
    {
      name: "isolines",
      data: {
        values: isolineRows(interpolated, transformed).map((row) => ({
          ...row,
          level: levels[transformed.indexOf(row.level)],
        })),
      },
      mark: { type: "line", color: LINE, strokeWidth: 0.8, opacity: 0.5, aria: false },
      encoding: {
        x,
        y,
        detail: { field: "line", type: "nominal" },
        order: { field: "order", type: "quantitative" },
        tooltip: [{ field: "level", format: ".3~g" }],
      },
    },
  ];
  const paths = (input.paths ?? []).map((path) => ({
    name: path.name,
    points: path.points.filter((point) => Number.isFinite(point.x) && Number.isFinite(point.y)),
  })).filter((path) => path.points.length > 0);
  if (paths.length > 0) {
    const names = order(paths.map((path) => path.name), input.pathOrder);
    const color = {
      field: "path",
      type: "nominal" as const,
      title: null,
      scale: colorScale(names),
    };
    const steps = paths.flatMap((path) =>
      path.points.map((point, step) => ({
        path: path.name,
        step,
        x: round(point.x),
        y: round(point.y),
      }))
    );
    const ends = paths.flatMap((path) => [
      { path: path.name, end: "start", ...path.points[0] },
      { path: path.name, end: "end", ...path.points[path.points.length - 1] },
    ]).map((end) => ({ ...end, x: round(end.x), y: round(end.y) }));
    const line = {
      x,
      y,
      detail: { field: "path", type: "nominal" },
      order: { field: "step", type: "quantitative" },
    };
    layer.push(
      {
        name: "path_halos",
        data: { values: steps },
        mark: { type: "line", color: HALO, strokeWidth: 5, opacity: 0.85, clip: true, aria: false },
        encoding: line,
      },
      {
        name: "paths",
        data: { values: steps },
        mark: { type: "line", strokeWidth: 2, clip: true },
        encoding: {
          ...line,
          color: { ...color, legend: { symbolType: "stroke", symbolStrokeWidth: 3 } },
          tooltip: [
            { field: "path" },
            { field: "step" },
            { field: "x", format: ".4~g" },
            { field: "y", format: ".4~g" },
          ],
        },
      },
      {
        name: "path_ends",
        data: { values: ends },
        mark: { type: "point", filled: true, size: 70, stroke: HALO, strokeWidth: 1.5, clip: true },
        encoding: {
          x,
          y,
          color: { ...color, legend: null },
          shape: {
            field: "end",
            type: "nominal",
            title: null,
            scale: { domain: ["start", "end"], range: ["circle", "square"] },
          },
          tooltip: [{ field: "path" }, { field: "end" }],
        },
      },
    );
  }
  const markers = (input.markers ?? []).map((marker) => ({
    label: marker.label,
    x: round(marker.x),
    y: round(marker.y),
  }));
  if (markers.length > 0) {
    const text = { type: "text", align: "left", baseline: "middle", dx: 9, fontWeight: 600 };
    layer.push(
      {
        name: "markers",
        data: { values: markers },
        mark: {
          type: "point",
          shape: "diamond",
          filled: true,
          fill: HALO,
          stroke: LINE,
          strokeWidth: 1.5,
          size: 110,
        },
        encoding: { x, y, tooltip: [{ field: "label" }] },
      },
      {
        name: "marker_label_halos",
        data: { values: markers },
        mark: { ...text, color: HALO, stroke: HALO, strokeWidth: 3, strokeJoin: "round" },
        encoding: { x, y, text: { field: "label" } },
      },
      {
        name: "marker_labels",
        data: { values: markers },
        mark: { ...text, color: LINE },
        encoding: { x, y, text: { field: "label" } },
      },
    );
  }
  return {
    ...header(input),
    width,
    height,
    resolve: { legend: { color: "independent" } },
    layer,
  } as TopLevelSpec;
}
