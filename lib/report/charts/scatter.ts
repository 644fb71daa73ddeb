/**
 * A scatter plot of labelled points, optionally grouped by colour and on log axes.
 *
 * @module
 */

import type { TopLevelSpec } from "vega-lite";
import { INK, SERIES_COLORS } from "../chart_config.ts";
import { colorScale, header, HEIGHT, order, WIDTH } from "./_common.ts";
import type { ChartText } from "./chart_text.ts";

/** One point of {@linkcode scatter}. */
export interface ScatterPoint {
  /** The point's x position. */
  x: number;
  /** The point's y position. */
  y: number;
  /** Written beside the point and shown in its tooltip. */
  label?: string;
  /** Colour group; points without one share a colour. */
  group?: string;
}

/** Input of {@linkcode scatter}. */
export interface ScatterInput extends ChartText {
  /** The points, coloured by `group`. */
  points: readonly ScatterPoint[];
  /** Title of the x axis. */
  xTitle: string;
  /** Title of the y axis. */
  yTitle: string;
  /** Log x axis; linear unless given. */
  logX?: boolean;
  /** Log y axis; linear unless given. */
  logY?: boolean;
  /** Legend order of groups; groups not named here follow in order of appearance. */
  groupOrder?: readonly string[];
}

/** A scatter chart's quantitative axis, linear or log, padded by `padding` pixels. */
function scatterAxis(field: "x" | "y", title: string, log: boolean | undefined, padding: number) {
  return {
    field,
    type: "quantitative" as const,
    title,
    scale: log ? { type: "log" as const, nice: false, padding } : { zero: false, padding },
    ...(log ? { axis: { format: "~s" } } : {}),
  };
}

/**
 * A scatter plot of labelled points, optionally grouped by colour and on log axes.
 *
 * @param input The points, axis settings and text.
 * @returns A Vega-Lite spec.
 *
 * @example
 * ```ts
 * import { scatter } from "./scatter.ts";
 * const spec = scatter({
 *   title: "Parameters against error",
 *   description: "Bigger models err less.",
 *   xTitle: "parameters",
 *   yTitle: "test error (%)",
 *   logX: true,
 *   points: [{ x: 61706, y: 0.95, label: "LeNet-5" }, { x: 266610, y: 1.6, label: "MLP" }],
 * });
 * if (!("layer" in spec)) throw new Error("expected a layered spec");
 * ```
 */
export function scatter(input: ScatterInput): TopLevelSpec {
  const groups = order(input.points.map((point) => point.group ?? ""), input.groupOrder);
  const hasGroups = groups.some((group) => group !== "");
  const values = input.points.map((point) => ({
    x: point.x,
    y: point.y,
    label: point.label ?? "",
    group: point.group ?? "",
  }));
  // Padding keeps the extreme points (and their labels) off the chart's edges.
  const x = scatterAxis("x", input.xTitle, input.logX, 24);
  const y = scatterAxis("y", input.yTitle, input.logY, 16);
  const color = hasGroups
    ? { field: "group", type: "nominal" as const, title: null, scale: colorScale(groups) }
    : { value: SERIES_COLORS[0] };
  return {
    ...header(input),
    width: WIDTH,
    height: HEIGHT,
    data: { values },
    layer: [
      {
        name: "points",
        mark: { type: "point", filled: true, size: 60, opacity: 1 },
        encoding: {
          x,
          y,
          color,
          tooltip: [
            { field: "label", title: "what" },
            { field: "x", title: input.xTitle, format: ".4~g" },
            { field: "y", title: input.yTitle, format: ".4~g" },
          ],
        },
      },
      {
        name: "point_labels",
        mark: { type: "text", align: "left", baseline: "middle", dx: 7, color: INK },
        encoding: { x, y, text: { field: "label" } },
      },
    ],
  } as TopLevelSpec;
}
