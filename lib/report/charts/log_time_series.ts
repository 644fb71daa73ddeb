/**
 * A time series on a log scale: labelled points by year, an optional doubling trend and optional
 * horizontal reference lines.
 *
 * @module
 */

import type { TopLevelSpec } from "vega-lite";
import { INK, SERIES_COLORS } from "../chart_config.ts";
import { colorScale, header, HEIGHT, order, WIDTH } from "./_common.ts";
import { decades } from "./_log_ticks.ts";
import type { ChartText } from "./chart_text.ts";

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

/**
 * A time series on a log scale: labelled points by year, an optional doubling trend and optional
 * horizontal reference lines (e.g. the number of neurons in a human brain).
 *
 * @param input The points, trend, references and text.
 * @returns A Vega-Lite spec.
 *
 * @example
 * ```ts
 * import { logTimeSeries } from "./log_time_series.ts";
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

function formatYears(years: number): string {
  return years >= 10 ? years.toFixed(0) : years.toFixed(1);
}
