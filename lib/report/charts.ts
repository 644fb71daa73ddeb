/**
 * The chart builders every experiment shares. Each takes plain data, a title and a text
 * alternative (`description`) and returns a Vega-Lite spec with its data inline and the shared
 * {@linkcode CHART_CONFIG}. Builders are pure: same input, same spec.
 *
 * @module
 */

import type { TopLevelSpec } from "vega-lite";
import { fitDoublingTime } from "../history/doubling.ts";
import { CHART_CONFIG, INK, SERIES_COLORS } from "./chart_config.ts";

/** What every builder takes besides its data. */
export interface ChartText {
  /** Shown above the chart and used as the SVG's `<title>`. */
  title: string;
  /** The text alternative: what the chart shows, in a sentence or two. */
  description: string;
  /** A smaller line under the title. */
  subtitle?: string;
}

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

/** One bar of {@linkcode barsWithReferences}. */
export interface BarDatum {
  /** The bar's name on the x axis. */
  label: string;
  /** The bar's height, e.g. a mean over seeds. */
  value: number;
  /** Drawn as an error bar from `low` to `high` (e.g. the min and max over seeds). */
  low?: number;
  /** Top of the error bar; drawn only together with `low`. */
  high?: number;
}

/** A labelled horizontal line: across the whole chart, or only over the bar named `bar`. */
export interface ReferenceLine {
  /** Written beside the line. */
  label: string;
  /** Where the line is drawn, in the y axis's units. */
  value: number;
  /** The bar's label, for a reference that belongs to one bar (e.g. its published figure). */
  bar?: string;
}

/** Input of {@linkcode barsWithReferences}. */
export interface BarsWithReferencesInput extends ChartText {
  /** The bars, in x-axis order. */
  bars: readonly BarDatum[];
  /** Dashed lines to compare the bars with, e.g. published figures. */
  references?: readonly ReferenceLine[];
  /** Title of the y axis. */
  yTitle: string;
  /** Title of the x axis; none unless given. */
  xTitle?: string;
  /** Log y axis; linear unless given. */
  logY?: boolean;
  /** d3-format of value labels, e.g. `.2f`; default `.3~s`. */
  format?: string;
}

/** One point of {@linkcode logTimeSeries}. */
export interface TimePoint {
  /** The year, on the x axis. */
  year: number;
  /** The point's y value; the axis is logarithmic, so it must be positive. */
  value: number;
  /** Written beside the point and shown in its tooltip. */
  label?: string;
  /** Colour and shape group, e.g. `historical` or `this machine`. */
  group?: string;
}

/** An exponential trend: `valueAtFrom * 2 ** ((year - fromYear) / doublingYears)`. */
export interface DoublingTrend {
  /** Year the trend line starts. */
  fromYear: number;
  /** Year the trend line ends. */
  toYear: number;
  /** The trend's value at `fromYear`. */
  valueAtFrom: number;
  /** Years for the value to double. */
  doublingYears: number;
  /** Default: `doubles every N years`. */
  label?: string;
}

/** Input of {@linkcode logTimeSeries}. */
export interface LogTimeSeriesInput extends ChartText {
  /** The points, coloured by `group`. */
  points: readonly TimePoint[];
  /** Title of the (log) y axis. */
  yTitle: string;
  /** Title of the x axis; `year` unless given. */
  xTitle?: string;
  /** An exponential trend line, e.g. from {@linkcode fitDoublingTrend}. */
  trend?: DoublingTrend;
  /** Horizontal reference lines, e.g. `{ label: "human", value: 8.6e10 }`. */
  references?: readonly { label: string; value: number }[];
  /** Legend order of groups. */
  groupOrder?: readonly string[];
}

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

/** Colour scheme of a heatmap: `greys` for images, `diverging` (centred on 0) for weights. */
export type HeatmapScheme = "greys" | "diverging" | "viridis";

/** A heatmap of one matrix, with row and column labels. */
export interface MatrixHeatmapInput extends ChartText {
  /** The values, one array per row. */
  matrix: readonly (readonly number[])[];
  /** One label per row; row indices from 0 unless given. */
  rowLabels?: readonly string[];
  /** One label per column; column indices from 0 unless given. */
  columnLabels?: readonly string[];
  /** Title of the x (column) axis; none unless given. */
  xTitle?: string;
  /** Title of the y (row) axis; none unless given. */
  yTitle?: string;
  /** Write each cell's value in it (for small matrices such as confusion matrices). */
  showValues?: boolean;
  /** Colour scheme; `greys` unless given. */
  scheme?: HeatmapScheme;
  /** Title of the colour legend; none unless given. */
  colorTitle?: string;
}

/** A grid of small images (digits, filters), each optionally labelled. */
export interface ImageGridInput extends ChartText {
  /** The images in reading order, each a matrix of pixel values with an optional caption. */
  images: readonly { label?: string; pixels: readonly (readonly number[])[] }[];
  /** Images per row; default up to 10. */
  columns?: number;
  /** Pixel size on screen; default 4. */
  cellSize?: number;
  /** Colour scheme; `greys` unless given. */
  scheme?: HeatmapScheme;
  /** Title of the colour legend; none unless given. */
  colorTitle?: string;
}

/** Input of {@linkcode heatmap}: one matrix, or a grid of small images. */
export type HeatmapInput = MatrixHeatmapInput | ImageGridInput;

const WIDTH = 520;
const HEIGHT = 300;

function header(text: ChartText): Pick<TopLevelSpec, "title" | "description" | "config"> {
  return {
    title: text.subtitle === undefined ? text.title : { text: text.title, subtitle: text.subtitle },
    description: text.description,
    config: CHART_CONFIG,
  };
}

function order(values: Iterable<string>, preferred: readonly string[] = []): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const value of [...preferred, ...values]) {
    if (!seen.has(value)) {
      seen.add(value);
      out.push(value);
    }
  }
  const present = new Set(values);
  return out.filter((value) => present.has(value));
}

function colorScale(domain: readonly string[]) {
  return {
    domain: [...domain],
    range: domain.map((_, i) => SERIES_COLORS[i % SERIES_COLORS.length]),
  };
}

/**
 * Summarises curves across seeds: per series and x, the mean, minimum and maximum.
 *
 * @param curves One curve per trial.
 * @returns Rows sorted by series (in order of appearance), then x.
 *
 * @example
 * ```ts
 * import { summarizeCurves } from "./charts.ts";
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
 * import { learningCurves } from "./charts.ts";
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
    axis: { format: "~g", ...(integerX ? { tickMinStep: 1 } : {}) },
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

function logBaseline(input: BarsWithReferencesInput): number {
  const values = [
    ...input.bars.flatMap((bar) => [bar.value, bar.low ?? bar.value]),
    ...(input.references ?? []).map((reference) => reference.value),
  ].filter((value) => value > 0);
  return 10 ** Math.floor(Math.log10(Math.min(...values)));
}

/**
 * Bars with labelled horizontal reference lines, e.g. measured against published test error.
 *
 * @param input The bars, the reference lines and text.
 * @returns A Vega-Lite spec.
 *
 * @example
 * ```ts
 * import { barsWithReferences } from "./charts.ts";
 * const spec = barsWithReferences({
 *   title: "Test error",
 *   description: "Measured 0.95 % against 0.95 % published.",
 *   yTitle: "test error (%)",
 *   bars: [{ label: "LeNet-5", value: 0.95 }],
 *   references: [{ label: "published 0.95", value: 0.95, bar: "LeNet-5" }],
 * });
 * if (!("layer" in spec)) throw new Error("expected a layered spec");
 * ```
 */
export function barsWithReferences(input: BarsWithReferencesInput): TopLevelSpec {
  const labels = input.bars.map((bar) => bar.label);
  const format = input.format ?? ".3~s";
  const logY = input.logY ?? false;
  const yScale = logY ? { type: "log" as const } : { zero: true };
  const x = {
    field: "label",
    type: "nominal" as const,
    sort: labels,
    title: input.xTitle ?? null,
    axis: { labelAngle: labels.length > 4 ? -30 : 0, labelLimit: 180 },
  };
  const y = { field: "value", type: "quantitative" as const, title: input.yTitle, scale: yScale };
  const layer: unknown[] = [
    {
      name: "bars",
      data: { values: input.bars.map(({ label, value }) => ({ label, value })) },
      mark: { type: "bar", color: SERIES_COLORS[0], width: { band: 0.6 } },
      encoding: {
        x,
        y,
        // A log scale has no zero: bars grow from the power of ten below the smallest value,
        // or Vega draws them with no height.
        ...(logY ? { y2: { datum: logBaseline(input) } } : {}),
        tooltip: [{ field: "label", title: "bar" }, { field: "value", title: "value", format }],
      },
    },
    {
      name: "bar_values",
      data: { values: input.bars.map(({ label, value }) => ({ label, value })) },
      mark: { type: "text", baseline: "top", dy: 4, color: "white", fontWeight: 600 },
      encoding: { x, y, text: { field: "value", type: "quantitative", format } },
    },
  ];
  const ranges = input.bars.filter((bar) => bar.low !== undefined && bar.high !== undefined);
  if (ranges.length > 0) {
    layer.push({
      name: "ranges",
      data: { values: ranges.map(({ label, low, high }) => ({ label, low, high })) },
      mark: { type: "rule", color: INK, strokeWidth: 1.5 },
      encoding: { x, y: { ...y, field: "low" }, y2: { field: "high" } },
    });
  }
  const references = input.references ?? [];
  const perBar = references.filter((reference) => reference.bar !== undefined);
  const across = references.filter((reference) => reference.bar === undefined);
  if (perBar.length > 0) {
    const values = perBar.map(({ label, value, bar }) => ({ label: bar, reference: label, value }));
    layer.push(
      {
        // A dashed rule across the bar's band, a little wider than the bar.
        name: "reference_ticks",
        data: { values },
        mark: { type: "rule", color: INK, strokeWidth: 2.5, strokeDash: [6, 3] },
        encoding: {
          x: { ...x, bandPosition: 0.06 },
          x2: { field: "label", bandPosition: 0.94 },
          y,
          tooltip: [{ field: "reference" }, { field: "value", format }],
        },
      },
      {
        name: "reference_tick_labels",
        data: { values },
        mark: { type: "text", baseline: "bottom", dy: -4, color: INK },
        encoding: { x, y, text: { field: "reference" } },
      },
    );
  }
  if (across.length > 0) {
    const values = across.map(({ label, value }) => ({ reference: label, value }));
    layer.push(
      {
        name: "reference_rules",
        data: { values },
        mark: { type: "rule", color: INK, strokeDash: [6, 4], strokeWidth: 1.5 },
        encoding: { y, tooltip: [{ field: "reference" }, { field: "value", format }] },
      },
      {
        name: "reference_rule_labels",
        data: { values },
        mark: { type: "text", align: "right", baseline: "bottom", dy: -3, color: INK },
        encoding: { y, x: { value: "width" }, text: { field: "reference" } },
      },
    );
  }
  return {
    ...header(input),
    width: Math.max(300, Math.min(WIDTH, 120 * labels.length)),
    height: HEIGHT,
    layer,
  } as TopLevelSpec;
}

/**
 * Fits an exponential trend to points by least squares on `log2(value)` against year.
 *
 * @param points At least two points with positive values and distinct years.
 * @returns The trend across the points' years.
 *
 * @example
 * ```ts
 * import { fitDoublingTrend } from "./charts.ts";
 * const trend = fitDoublingTrend([{ year: 2000, value: 1 }, { year: 2002, value: 2 }, { year: 2004, value: 4 }]);
 * if (Math.abs(trend.doublingYears - 2) > 1e-9) throw new Error(String(trend.doublingYears));
 * ```
 */
export function fitDoublingTrend(points: readonly TimePoint[]): DoublingTrend {
  const fit = fitDoublingTime(points);
  const years = points.map((point) => point.year);
  const fromYear = Math.min(...years);
  return {
    fromYear,
    toYear: Math.max(...years),
    valueAtFrom: fit.predict(fromYear),
    doublingYears: fit.doublingYears,
  };
}

/**
 * A time series on a log scale: labelled points by year, an optional doubling trend and optional
 * horizontal reference lines (e.g. the number of neurons in a human brain).
 *
 * @param input The points, trend, references and text.
 * @returns A Vega-Lite spec.
 *
 * @example
 * ```ts
 * import { logTimeSeries } from "./charts.ts";
 * const spec = logTimeSeries({
 *   title: "Transistors per chip",
 *   description: "Transistor counts double about every two years.",
 *   yTitle: "transistors",
 *   points: [{ year: 1971, value: 2300, label: "4004" }, { year: 1989, value: 1.2e6, label: "486" }],
 *   references: [{ label: "human neurons", value: 8.6e10 }],
 * });
 * if (!("layer" in spec)) throw new Error("expected a layered spec");
 * ```
 */
export function logTimeSeries(input: LogTimeSeriesInput): TopLevelSpec {
  const groups = order(input.points.map((point) => point.group ?? ""), input.groupOrder);
  const hasGroups = groups.some((group) => group !== "");
  const x = {
    field: "year",
    type: "quantitative" as const,
    title: input.xTitle ?? "year",
    scale: { zero: false, nice: true },
    axis: { format: "d", tickMinStep: 1, tickCount: 8 },
  };
  const y = {
    field: "value",
    type: "quantitative" as const,
    title: input.yTitle,
    scale: { type: "log" as const },
    axis: {
      format: "~s",
      values: decades([
        ...input.points.map((p) => p.value),
        ...(input.references ?? []).map((r) => r.value),
      ]),
    },
  };
  const values = input.points.map((point) => ({
    year: point.year,
    value: point.value,
    label: point.label ?? "",
    group: point.group ?? "",
  }));
  const layer: unknown[] = [];
  const references = input.references ?? [];
  if (references.length > 0) {
    const data = { values: references.map(({ label, value }) => ({ reference: label, value })) };
    layer.push(
      {
        name: "reference_rules",
        data,
        mark: { type: "rule", color: INK, strokeDash: [6, 4], opacity: 0.7 },
        encoding: { y: { ...y, field: "value" } },
      },
      {
        name: "reference_labels",
        data,
        mark: { type: "text", align: "left", baseline: "bottom", dx: 4, dy: -3, color: INK },
        encoding: { y: { ...y, field: "value" }, x: { value: 0 }, text: { field: "reference" } },
      },
    );
  }
  if (input.trend) {
    const trend = input.trend;
    const at = (year: number) =>
      trend.valueAtFrom * 2 ** ((year - trend.fromYear) / trend.doublingYears);
    const label = trend.label ?? `doubles every ${formatYears(trend.doublingYears)} years`;
    const data = {
      values: [
        { year: trend.fromYear, value: at(trend.fromYear), trend: label },
        { year: trend.toYear, value: at(trend.toYear), trend: label },
      ],
    };
    layer.push(
      {
        name: "trend",
        data,
        mark: { type: "line", color: INK, strokeWidth: 1.5, opacity: 0.8 },
        encoding: {
          x,
          y,
          // The trend's label goes in the legend, where it cannot collide with point labels.
          strokeDash: {
            field: "trend",
            type: "nominal",
            title: null,
            scale: { domain: [label], range: [[4, 4]] },
            legend: { symbolType: "stroke", symbolStrokeColor: INK, labelLimit: 400 },
          },
          tooltip: [{ field: "trend" }],
        },
      },
    );
  }
  const color = hasGroups
    ? { field: "group", type: "nominal" as const, title: null, scale: colorScale(groups) }
    : { value: SERIES_COLORS[0] };
  layer.push(
    {
      name: "points",
      data: { values },
      mark: { type: "point", filled: true, size: 60, opacity: 1 },
      encoding: {
        x,
        y,
        color,
        ...(hasGroups
          ? { shape: { field: "group", type: "nominal", title: null, scale: { domain: groups } } }
          : {}),
        tooltip: [
          { field: "label", title: "what" },
          { field: "year", title: "year" },
          { field: "value", title: input.yTitle, format: ".3~s" },
        ],
      },
    },
    {
      name: "point_labels",
      data: { values },
      mark: { type: "text", align: "left", baseline: "middle", dx: 7, color: INK },
      encoding: { x, y, text: { field: "label" } },
    },
  );
  return { ...header(input), width: WIDTH, height: HEIGHT + 60, layer } as TopLevelSpec;
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
 * import { scatter } from "./charts.ts";
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

function colorOf(scheme: HeatmapScheme, values: readonly number[], title: string | null) {
  if (scheme === "diverging") {
    const extent = Math.max(1e-12, ...values.map((value) => Math.abs(value)));
    return {
      field: "value",
      type: "quantitative" as const,
      title,
      scale: { scheme: "blueorange", domain: [-extent, extent], domainMid: 0 },
    };
  }
  return {
    field: "value",
    type: "quantitative" as const,
    title,
    scale: { scheme: scheme === "greys" ? "greys" : "viridis" },
  };
}

/**
 * A heatmap of one matrix (rows and columns labelled), or a grid of small images such as digits
 * or first-layer filters.
 *
 * @param input A matrix or a list of images, plus text.
 * @returns A Vega-Lite spec.
 *
 * @example
 * ```ts
 * import { heatmap } from "./charts.ts";
 * const spec = heatmap({
 *   title: "Confusion matrix",
 *   description: "Most predictions are on the diagonal.",
 *   matrix: [[9, 1], [2, 8]],
 *   rowLabels: ["0", "1"],
 *   columnLabels: ["0", "1"],
 *   showValues: true,
 * });
 * if (!("layer" in spec)) throw new Error("expected a layered spec");
 * ```
 */
export function heatmap(input: HeatmapInput): TopLevelSpec {
  return "matrix" in input ? matrixHeatmap(input) : imageGrid(input);
}

function matrixHeatmap(input: MatrixHeatmapInput): TopLevelSpec {
  const rows = input.matrix.length;
  const columns = Math.max(0, ...input.matrix.map((row) => row.length));
  const rowLabels = input.rowLabels ?? Array.from({ length: rows }, (_, i) => String(i));
  const columnLabels = input.columnLabels ?? Array.from({ length: columns }, (_, j) => String(j));
  const values = input.matrix.flatMap((row, i) =>
    row.map((value, j) => ({ row: rowLabels[i], column: columnLabels[j], value }))
  );
  const scheme = input.scheme ?? "greys";
  const color = colorOf(scheme, values.map((v) => v.value), input.colorTitle ?? null);
  const x = {
    field: "column",
    type: "ordinal" as const,
    sort: [...columnLabels],
    title: input.xTitle ?? null,
    axis: { labelAngle: 0 },
  };
  const y = {
    field: "row",
    type: "ordinal" as const,
    sort: [...rowLabels],
    title: input.yTitle ?? null,
  };
  const cell = Math.max(8, Math.min(40, Math.floor(420 / Math.max(rows, columns, 1))));
  const layer: unknown[] = [
    {
      name: "cells",
      mark: { type: "rect" },
      encoding: {
        x,
        y,
        color,
        tooltip: [{ field: "row" }, { field: "column" }, { field: "value", format: ".4~g" }],
      },
    },
  ];
  if (input.showValues) {
    const all = values.map((v) => v.value);
    const middle = (Math.min(...all) + Math.max(...all)) / 2;
    layer.push({
      name: "cell_values",
      mark: { type: "text", fontSize: 10 },
      encoding: {
        x,
        y,
        text: { field: "value", type: "quantitative", format: ".3~g" },
        color: scheme === "greys"
          ? { condition: { test: `datum.value > ${middle}`, value: "white" }, value: "black" }
          : { value: "black" },
      },
    });
  }
  return {
    ...header(input),
    width: cell * columns,
    height: cell * rows,
    data: { values },
    layer,
  } as TopLevelSpec;
}

function imageGrid(input: ImageGridInput): TopLevelSpec {
  const count = input.images.length;
  const columns = Math.max(1, Math.min(input.columns ?? 10, count));
  const gridRows = Math.ceil(count / columns);
  const height = Math.max(1, ...input.images.map((image) => image.pixels.length));
  const width = Math.max(
    1,
    ...input.images.map((image) => Math.max(0, ...image.pixels.map((r) => r.length))),
  );
  const cellSize = input.cellSize ?? 4;
  const hasLabels = input.images.some((image) => image.label !== undefined);
  const labelRows = hasLabels ? Math.ceil(16 / cellSize) : 0;
  const gap = Math.max(1, Math.ceil(6 / cellSize));
  const tileWidth = width + gap;
  const tileHeight = height + gap + labelRows;
  const values: { x: number; y: number; value: number; image: string }[] = [];
  const labels: { x: number; y: number; label: string }[] = [];
  input.images.forEach((image, k) => {
    const left = (k % columns) * tileWidth;
    const top = Math.floor(k / columns) * tileHeight + labelRows;
    const name = image.label ?? `image ${k + 1}`;
    image.pixels.forEach((row, i) =>
      row.forEach((value, j) => values.push({ x: left + j, y: top + i, value, image: name }))
    );
    if (image.label !== undefined) {
      labels.push({ x: left + width / 2, y: top - 0.5, label: image.label });
    }
  });
  const totalWidth = columns * tileWidth - gap;
  const totalHeight = gridRows * tileHeight - gap;
  const xScale = { domain: [0, totalWidth], nice: false, zero: false };
  const yScale = { domain: [0, totalHeight], nice: false, zero: false, reverse: true };
  const color = colorOf(
    input.scheme ?? "greys",
    values.map((v) => v.value),
    input.colorTitle ?? null,
  );
  const layer: unknown[] = [
    {
      name: "pixels",
      data: { values },
      transform: [{ calculate: "datum.x + 1", as: "x2" }, { calculate: "datum.y + 1", as: "y2" }],
      mark: { type: "rect" },
      encoding: {
        x: { field: "x", type: "quantitative", scale: xScale, axis: null },
        x2: { field: "x2" },
        y: { field: "y", type: "quantitative", scale: yScale, axis: null },
        y2: { field: "y2" },
        color,
        tooltip: [{ field: "image" }, { field: "value", format: ".3~g" }],
      },
    },
  ];
  if (labels.length > 0) {
    layer.push({
      name: "image_labels",
      data: { values: labels },
      mark: { type: "text", baseline: "bottom", color: INK },
      encoding: {
        x: { field: "x", type: "quantitative", scale: xScale, axis: null },
        y: { field: "y", type: "quantitative", scale: yScale, axis: null },
        text: { field: "label" },
      },
    });
  }
  return {
    ...header(input),
    width: totalWidth * cellSize,
    height: totalHeight * cellSize,
    layer,
  } as TopLevelSpec;
}

/**
 * Ticks of a log axis that label the data's own range: every power of ten when it spans three
 * decades or more; else 1, 2 and 5 times powers of ten within it (a loss falling from 2.3 to
 * 0.04 gets 0.05 … 2), or every digit when that gives fewer than four; undefined when fewer
 * than two ticks fall in the range.
 */
function logTicks(values: readonly number[]): number[] | undefined {
  const positive = values.filter((value) => value > 0 && Number.isFinite(value));
  if (positive.length === 0) return undefined;
  const low = Math.min(...positive);
  const high = Math.max(...positive);
  if (Math.log10(high / low) >= 3) {
    return decades(positive).filter((tick) => tick >= low && tick <= high);
  }
  const within = (digits: readonly number[]) => {
    const out: number[] = [];
    for (let power = Math.floor(Math.log10(low)); power <= Math.ceil(Math.log10(high)); power++) {
      for (const digit of digits) {
        const tick = Number(`${digit}e${power}`);
        if (tick >= low && tick <= high) out.push(tick);
      }
    }
    return out;
  };
  const coarse = within([1, 2, 5]);
  if (coarse.length >= 4) return coarse;
  const fine = within([1, 2, 3, 4, 5, 6, 7, 8, 9]);
  return fine.length >= 2 ? fine : undefined;
}

/** Powers of ten spanning the values: the labelled ticks of a log axis. */
function decades(values: readonly number[]): number[] {
  const positive = values.filter((value) => value > 0 && Number.isFinite(value));
  if (positive.length === 0) return [];
  const low = Math.floor(Math.log10(Math.min(...positive)));
  const high = Math.ceil(Math.log10(Math.max(...positive)));
  const step = Math.max(1, Math.ceil((high - low) / 10));
  const out: number[] = [];
  for (let power = low; power <= high; power += step) out.push(Number(`1e${power}`));
  return out;
}

function formatYears(years: number): string {
  return years >= 10 ? years.toFixed(0) : years.toFixed(1);
}
