/**
 * Points on log–log axes with fitted power laws (straight lines there), each labelled with its
 * slope, and an optional expected slope to compare with: scaling laws, convergence rates.
 *
 * @module
 */

import type { TopLevelSpec } from "vega-lite";
import { INK, SERIES_COLORS } from "../chart_config.ts";
import { colorScale, header, HEIGHT, order, WIDTH } from "./_common.ts";
import { logTicks } from "./_log_ticks.ts";
import type { ChartText } from "./chart_text.ts";

/** One point; `x` and `y` must be positive. */
export interface LogLogPoint {
  x: number;
  y: number;
  /** Colour group; points without one share a colour. */
  group?: string;
}

/** A straight line in log–log space: `log10 y = intercept + slope · log10 x`. */
export interface PowerLawFit {
  slope: number;
  intercept: number;
  /** The group it was fitted to: drawn in its colour across its points; else across all. */
  group?: string;
}

/** Input of {@linkcode logLogFit}. */
export interface LogLogFitInput extends ChartText {
  /** The points, coloured by `group`; points that are not positive are left out. */
  points: readonly LogLogPoint[];
  /** The fitted lines, each labelled with its slope in the legend. */
  fits: readonly PowerLawFit[];
  /** A dashed line of this slope through the middle of the first fit, to compare with. */
  expectedSlope?: number;
  /** Title of the x axis. */
  xTitle: string;
  /** Title of the y axis. */
  yTitle: string;
  /** Legend order of groups; groups not named here follow in order of appearance. */
  groupOrder?: readonly string[];
}

/** A slope as the legend writes it, e.g. `−0.50`. */
function formatSlope(slope: number): string {
  return slope.toFixed(2).replace("-", "−");
}

function logAxis(field: string, title: string, values: readonly number[]) {
  const ticks = logTicks(values);
  return {
    field,
    type: "quantitative" as const,
    title,
    scale: { type: "log" as const, nice: false, padding: 12 },
    axis: { format: "~g", ...(ticks ? { values: ticks } : {}) },
  };
}

/**
 * Points on log–log axes with fitted lines labelled by their slopes, and optionally a dashed
 * line of the expected slope.
 *
 * @param input The points, the fits, the expected slope and text.
 * @returns A Vega-Lite spec.
 *
 * @example
 * ```ts
 * import { logLogFit } from "./log_log_fit.ts";
 * const spec = logLogFit({
 *   title: "Monte Carlo error",
 *   description: "The error falls as one over the square root of the sample size.",
 *   xTitle: "samples",
 *   yTitle: "error",
 *   points: [10, 100, 1000].map((n) => ({ x: n, y: 1 / Math.sqrt(n) })),
 *   fits: [{ slope: -0.5, intercept: 0 }],
 *   expectedSlope: -0.5,
 * });
 * if (!("layer" in spec)) throw new Error("expected a layered spec");
 * ```
 */
export function logLogFit(input: LogLogFitInput): TopLevelSpec {
  const points = input.points.filter((point) =>
    point.x > 0 && point.y > 0 && Number.isFinite(point.x) && Number.isFinite(point.y)
  ).map((point) => ({ x: point.x, y: point.y, group: point.group ?? "" }));
  const groups = order(
    [...points.map((point) => point.group), ...input.fits.map((fit) => fit.group ?? "")],
    input.groupOrder,
  ).filter((group) => group !== "");
  const colorOf = (group: string | undefined) =>
    group === undefined || group === ""
      ? INK
      : SERIES_COLORS[groups.indexOf(group) % SERIES_COLORS.length];
  const span = (group?: string) => {
    const xs = points.filter((point) => group === undefined || point.group === group)
      .map((point) => point.x);
    return xs.length > 0 ? [Math.min(...xs), Math.max(...xs)] : [];
  };
  const at = (fit: { slope: number; intercept: number }, x: number) =>
    10 ** (fit.intercept + fit.slope * Math.log10(x));
  const lines: { line: string; x: number; y: number }[] = [];
  const labels: string[] = [];
  const strokes: string[] = [];
  const dashes: number[][] = [];
  for (const fit of input.fits) {
    const label = `${fit.group ? `${fit.group}: ` : ""}slope ${formatSlope(fit.slope)}`;
    for (const x of span(fit.group)) lines.push({ line: label, x, y: at(fit, x) });
    labels.push(label);
    strokes.push(colorOf(fit.group));
    dashes.push([1, 0]);
  }
  const first = input.fits[0];
  const all = span();
  if (input.expectedSlope !== undefined && first !== undefined && all.length === 2) {
    // Through the first fit at the geometric middle of the points' x range.
    const middle = Math.sqrt(all[0] * all[1]);
    const expected = {
      slope: input.expectedSlope,
      intercept: Math.log10(at(first, middle)) - input.expectedSlope * Math.log10(middle),
    };
    const label = `expected slope ${formatSlope(input.expectedSlope)}`;
    for (const x of all) lines.push({ line: label, x, y: at(expected, x) });
    labels.push(label);
    strokes.push(INK);
    dashes.push([6, 4]);
  }
  const x = logAxis("x", input.xTitle, [...points.map((p) => p.x)]);
  const y = logAxis("y", input.yTitle, [...points.map((p) => p.y), ...lines.map((l) => l.y)]);
  const hasGroups = groups.length > 0;
  return {
    ...header(input),
    width: WIDTH,
    height: HEIGHT,
    layer: [
      {
        name: "fits",
        data: { values: lines },
        mark: { type: "line", strokeWidth: 1.75 },
        encoding: {
          x,
          y,
          // `stroke`, not `color`: the lines' legend (their slopes) stays apart from the groups'.
          stroke: {
            field: "line",
            type: "nominal",
            title: null,
            scale: { domain: labels, range: strokes },
            legend: { symbolType: "stroke", symbolStrokeWidth: 2.5, labelLimit: 300 },
          },
          strokeDash: {
            field: "line",
            type: "nominal",
            title: null,
            scale: { domain: labels, range: dashes },
          },
          tooltip: [{ field: "line", title: "line" }],
        },
      },
      {
        name: "points",
        data: { values: points },
        mark: { type: "point", filled: true, size: 50, opacity: 1 },
        encoding: {
          x,
          y,
          color: hasGroups
            ? { field: "group", type: "nominal", title: null, scale: colorScale(groups) }
            : { value: SERIES_COLORS[0] },
          tooltip: [
            ...(hasGroups ? [{ field: "group" }] : []),
            { field: "x", title: input.xTitle, format: ".4~g" },
            { field: "y", title: input.yTitle, format: ".4~g" },
          ],
        },
      },
    ],
  } as TopLevelSpec;
}
