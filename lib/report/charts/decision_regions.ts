/**
 * A two-dimensional binary classifier's output: its probability of class 1 on a grid as a
 * diverging background, the 0.5 decision boundary, and the data points coloured by class.
 *
 * @module
 */

import type { TopLevelSpec } from "vega-lite";
import { SERIES_COLORS } from "../chart_config.ts";
import { header, order } from "./_common.ts";
import {
  bandColors,
  bandLabels,
  bandRects,
  fieldAxes,
  fieldSize,
  FILL_CELL,
  isolineRows,
  round,
} from "./_field_layers.ts";
import type { ChartText } from "./chart_text.ts";
import type { ScalarGrid } from "./scalar_grid.ts";

/** A data point with its class. */
export interface ClassPoint {
  x: number;
  y: number;
  /** The point's class, e.g. 0 or 1. */
  label: string | number;
}

/** Input of {@linkcode decisionRegions}: the probability of class 1 on a grid, points and text. */
export interface DecisionRegionsInput extends ChartText, ScalarGrid {
  /** The data points, coloured and shaped by class. */
  points: readonly ClassPoint[];
  /** Title of the x axis; `x₁` unless given. */
  xTitle?: string;
  /** Title of the y axis; `x₂` unless given. */
  yTitle?: string;
  /** Title of the background's legend; `P(class 1)` unless given. */
  probabilityTitle?: string;
  /**
   * Order of the classes (as text): the first gets blue, as the background where the
   * probability of class 1 is low, the second orange. Numeric labels ascending unless given.
   */
  classOrder?: readonly string[];
}

/** Where the background changes colour; 0.5 is the decision boundary. */
const LEVELS = [0.1, 0.25, 0.5, 0.75, 0.9];
/**
 * The background: the pale middle of blue–orange, so the class colours keep a 3:1 contrast
 * against every band and the black boundary stands out.
 */
const BACKGROUND_SCHEME = { name: "blueorange", extent: [0.38, 0.62] as [number, number] };
const SHAPES = ["circle", "square", "triangle-up", "diamond", "cross", "triangle-down"];

function classesOf(input: DecisionRegionsInput): string[] {
  const labels = input.points.map((point) => point.label);
  const numeric = labels.every((label) => typeof label === "number");
  const texts = (numeric ? [...labels as number[]].sort((a, b) => a - b) : labels).map(String);
  return order(texts, input.classOrder);
}

/**
 * A classifier's decision regions: the probability of class 1 in bands from blue (class 0) to
 * orange (class 1), the 0.5 boundary in black, and the points by class (colour and shape).
 *
 * @param input The grid of probabilities (`values[j][i]` at `x_i`, `y_j`), the points and text.
 * @returns A Vega-Lite spec.
 *
 * @example
 * ```ts
 * import { decisionRegions } from "./decision_regions.ts";
 * import { sampleGrid } from "./scalar_grid.ts";
 * const spec = decisionRegions({
 *   title: "Logistic regression",
 *   description: "A straight boundary separates the two classes.",
 *   ...sampleGrid((x, y) => 1 / (1 + Math.exp(-4 * (x + y))), { min: -1, max: 1, count: 21 }, { min: -1, max: 1, count: 21 }),
 *   points: [{ x: -0.5, y: -0.5, label: 0 }, { x: 0.5, y: 0.4, label: 1 }],
 * });
 * if (!("layer" in spec)) throw new Error("expected a layered spec");
 * ```
 */
export function decisionRegions(input: DecisionRegionsInput): TopLevelSpec {
  const { width, height } = fieldSize(input);
  const { x, y } = fieldAxes(input, input.xTitle ?? "x₁", input.yTitle ?? "x₂");
  const bands = bandLabels(LEVELS);
  const rects = bandRects(
    input,
    LEVELS,
    Math.ceil(width / FILL_CELL),
    Math.ceil(height / FILL_CELL),
  )
    .map(({ band, ...rect }) => ({ ...rect, band: bands[band] }));
  const classes = classesOf(input);
  const points = input.points.map((point) => ({
    x: round(point.x),
    y: round(point.y),
    label: String(point.label),
  }));
  const classScale = (range: readonly string[]) => ({
    domain: classes,
    range: classes.map((_, i) => range[i % range.length]),
  });
  return {
    ...header(input),
    width,
    height,
    layer: [
      {
        name: "regions",
        data: { values: rects },
        mark: { type: "rect", aria: false },
        encoding: {
          x: { ...x, field: "x0" },
          x2: { field: "x1" },
          y: { ...y, field: "y0" },
          y2: { field: "y1" },
          // `fill`, not `color`: the background's scale stays apart from the classes' colours.
          fill: {
            field: "band",
            type: "ordinal",
            scale: {
              domain: bands,
              range: bandColors(BACKGROUND_SCHEME.name, BACKGROUND_SCHEME.extent, bands.length),
            },
            legend: {
              title: input.probabilityTitle ?? "P(class 1)",
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
        name: "boundary",
        data: { values: isolineRows(input, [0.5]) },
        mark: { type: "line", color: "black", strokeWidth: 2, aria: false },
        encoding: {
          x,
          y,
          detail: { field: "line", type: "nominal" },
          order: { field: "order", type: "quantitative" },
        },
      },
      {
        name: "points",
        data: { values: points },
        mark: {
          type: "point",
          filled: true,
          size: 50,
          opacity: 1,
          stroke: "white",
          strokeWidth: 0.8,
        },
        encoding: {
          x,
          y,
          color: {
            field: "label",
            type: "nominal",
            title: "class",
            scale: classScale(SERIES_COLORS),
          },
          shape: { field: "label", type: "nominal", title: "class", scale: classScale(SHAPES) },
          tooltip: [
            { field: "label", title: "class" },
            { field: "x", format: ".3~g" },
            { field: "y", format: ".3~g" },
          ],
        },
      },
    ],
  } as TopLevelSpec;
}
