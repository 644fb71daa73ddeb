/**
 * Learning curves: per series, the mean across seeds as a line and the min–max range as a band.
 *
 * @module
 */

import type { TopLevelSpec } from "vega-lite";
import { colorScale, header, HEIGHT, order, WIDTH } from "./_common.ts";
import { logTicks } from "./_log_ticks.ts";
import type { ChartText } from "./chart_text.ts";

/** One trial's curve of one metric. */
export interface CurveSeries {
  /** The series it belongs to (usually the variant's label); seeds of a series are averaged. */
  series: string;
  /** The trial's seed; points of one series are averaged across seeds. */
  seed: number;
  /** The curve's points, `x` usually the epoch or step. */
  points: readonly { x: number; y: number }[];
}

/** A series' across-seed mean, minimum and maximum at one x. */
export interface CurveSummaryRow {
  series: string;
  x: number;
  mean: number;
  min: number;
  max: number;
  /** How many seeds have a point at this x. */
  n: number;
}

/** Input of {@linkcode learningCurves}. */
export interface LearningCurvesInput extends ChartText {
  /** One entry per trial and series. */
  curves: readonly CurveSeries[];
  /** Title of the x axis, e.g. `epoch`. */
  xTitle: string;
  /** Title of the y axis, e.g. the metric's name. */
  yTitle: string;
  /** Log y axis; ignored (linear) when some value is not positive. */
  logY?: boolean;
  /** Legend and colour order; series not named here follow in order of appearance. */
  seriesOrder?: readonly string[];
}

/**
 * Summarises curves across seeds: per series and x, the mean, minimum and maximum.
 *
 * @param curves One curve per trial.
 * @returns Rows sorted by series (in order of appearance), then x.
 *
 * @example
 * ```ts
 * import { summarizeCurves } from "./learning_curves.ts";
 * const rows = summarizeCurves([
 *   { series: "a", seed: 1, points: [{ x: 1, y: 2 }] },
 *   { series: "a", seed: 2, points: [{ x: 1, y: 4 }] },
 * ]);
 * if (rows[0].mean !== 3 || rows[0].min !== 2 || rows[0].max !== 4) throw new Error("wrong");
 * ```
 */
export function summarizeCurves(curves: readonly CurveSeries[]): CurveSummaryRow[] {
  const bySeries = new Map<string, Map<number, number[]>>();
  for (const curve of curves) {
    let byX = bySeries.get(curve.series);
    if (!byX) bySeries.set(curve.series, byX = new Map());
    for (const point of curve.points) {
      if (!Number.isFinite(point.y)) continue;
      const ys = byX.get(point.x);
      if (ys) ys.push(point.y);
      else byX.set(point.x, [point.y]);
    }
  }
  const rows: CurveSummaryRow[] = [];
  for (const [series, byX] of bySeries) {
    for (const x of [...byX.keys()].sort((a, b) => a - b)) {
      const ys = byX.get(x)!;
      const mean = ys.reduce((sum, y) => sum + y, 0) / ys.length;
      rows.push({ series, x, mean, min: Math.min(...ys), max: Math.max(...ys), n: ys.length });
    }
  }
  return rows;
}

/**
 * Learning curves: per series, the mean across seeds as a line and the min–max range as a band.
 *
 * @param input The curves, axis titles and text.
 * @returns A Vega-Lite spec.
 *
 * @example
 * ```ts
 * import { learningCurves } from "./learning_curves.ts";
 * const spec = learningCurves({
 *   title: "Training loss",
 *   description: "Training loss falls for both seeds.",
 *   xTitle: "epoch",
 *   yTitle: "training loss",
 *   logY: true,
 *   curves: [
 *     { series: "MLP", seed: 1, points: [{ x: 0, y: 2.3 }, { x: 1, y: 0.3 }] },
 *     { series: "MLP", seed: 2, points: [{ x: 0, y: 2.2 }, { x: 1, y: 0.2 }] },
 *   ],
 * });
 * if (!("layer" in spec)) throw new Error("expected a layered spec");
 * ```
 */
export function learningCurves(input: LearningCurvesInput): TopLevelSpec {
  const rows = summarizeCurves(input.curves);
  const series = order(rows.map((row) => row.series), input.seriesOrder);
  const logY = (input.logY ?? false) && rows.every((row) => row.min > 0);
  const pointsPerSeries = Math.max(
    0,
    ...series.map((s) => rows.filter((r) => r.series === s).length),
  );
  const color = {
    field: "series",
    type: "nominal" as const,
    title: null,
    scale: colorScale(series),
  };
  // Whole epochs get whole-number ticks; fractional ones (per-step curves) get the default.
  const integerX = rows.every((row) => Number.isInteger(row.x));
  const x = {
    field: "x",
    type: "quantitative" as const,
    title: input.xTitle,
    scale: { zero: false, nice: false },
    // "~r" never switches to exponents: d3 sets a g-format's precision from the tick step (150 -> "1.5e+2").
    axis: { format: ",~r", ...(integerX ? { tickMinStep: 1 } : {}) },
  };
  const yScale = logY ? { type: "log" as const, nice: false } : { zero: false };
  const ticks = logY ? logTicks(rows.flatMap((row) => [row.min, row.max])) : undefined;
  const yAxis = logY ? { format: "~g", ...(ticks ? { values: ticks } : { tickCount: 6 }) } : {};
  return {
    ...header(input),
    width: WIDTH,
    height: HEIGHT,
    data: { values: rows },
    resolve: { legend: { color: "independent" } },
    layer: [
      {
        name: "band",
        mark: { type: "area", opacity: 0.2, interpolate: "linear" },
        encoding: {
          x,
          y: {
            field: "min",
            type: "quantitative",
            scale: yScale,
            axis: yAxis,
            title: input.yTitle,
          },
          y2: { field: "max" },
          color: { ...color, legend: null },
        },
      },
      {
        name: "mean",
        mark: { type: "line", point: pointsPerSeries <= 30 },
        encoding: {
          x,
          y: {
            field: "mean",
            type: "quantitative",
            scale: yScale,
            axis: yAxis,
            title: input.yTitle,
          },
          color: { ...color, legend: { symbolType: "stroke", symbolStrokeWidth: 3 } },
          tooltip: [
            { field: "series", title: "series" },
            { field: "x", title: input.xTitle, format: ".3~f" },
            { field: "mean", title: "mean", format: ".4~g" },
            { field: "min", title: "min", format: ".4~g" },
            { field: "max", title: "max", format: ".4~g" },
            { field: "n", title: "seeds" },
          ],
        },
      },
    ],
  } as TopLevelSpec;
}
