/**
 * Named series of points as lines, each optionally with a band (e.g. a range over seeds), on
 * linear or log axes, with horizontal reference lines: explained variance by component,
 * throughput against size, error against width, gradient norm by layer, best-so-far curves.
 *
 * @module
 */

import type { TopLevelSpec } from "vega-lite";
import { INK } from "../chart_config.ts";
import { colorScale, header, HEIGHT, order, WIDTH } from "./_common.ts";
import { logTicks } from "./_log_ticks.ts";
import type { ChartText } from "./chart_text.ts";

/** One point of a line, with an optional band from `low` to `high`. */
export interface LinePoint {
  x: number;
  y: number;
  /** Bottom of the band at this x; drawn only together with `high`. */
  low?: number;
  /** Top of the band at this x. */
  high?: number;
}

/** One named line. */
export interface LineSeries {
  /** Shown in the legend. */
  name: string;
  /** The points; drawn in order of x. Points with a non-finite y are left out. */
  points: readonly LinePoint[];
}

/** A labelled horizontal line across the chart. */
export interface HorizontalReference {
  /** Written at the line's right end. */
  label: string;
  /** Where the line is drawn, in the y axis' units. */
  value: number;
}

/** Input of {@linkcode lines}. */
export interface LinesInput extends ChartText {
  /** The lines, coloured by name. */
  series: readonly LineSeries[];
  /** Title of the x axis. */
  xTitle: string;
  /** Title of the y axis. */
  yTitle: string;
  /** Log x axis; ignored (linear) when some x is not positive. */
  logX?: boolean;
  /** Log y axis; ignored (linear) when some y, band edge or reference is not positive. */
  logY?: boolean;
  /** Dashed horizontal lines, e.g. a published figure or chance level. */
  references?: readonly HorizontalReference[];
  /** Legend and colour order; series not named here follow in order of appearance. */
  seriesOrder?: readonly string[];
  /** A dot at each point; by default only when no series has more than 30 points. */
  markers?: boolean;
}

/**
 * A quantitative axis, log when asked, its ticks labelling the data's own range; a linear axis
 * ends at round numbers when `nice`.
 */
function axisOf(
  field: string,
  title: string,
  log: boolean,
  values: readonly number[],
  nice: boolean,
) {
  const ticks = log ? logTicks(values) : undefined;
  return {
    field,
    type: "quantitative" as const,
    title,
    scale: log ? { type: "log" as const, nice: false } : { zero: false, nice },
    // A linear axis in "~r": d3 sets a g-format's precision from the tick step (150 -> "1.5e+2").
    axis: { format: log ? "~g" : ",~r", ...(ticks ? { values: ticks } : {}) },
  };
}

/**
 * Several named lines, each with an optional band, on linear or log axes, with optional
 * horizontal reference lines.
 *
 * @param input The series, axes, references and text.
 * @returns A Vega-Lite spec.
 *
 * @example
 * ```ts
 * import { lines } from "./lines.ts";
 * const spec = lines({
 *   title: "Explained variance",
 *   description: "Ten components explain 90 % of the variance.",
 *   xTitle: "components",
 *   yTitle: "explained variance",
 *   series: [{ name: "PCA", points: [{ x: 1, y: 0.4 }, { x: 10, y: 0.9 }, { x: 50, y: 0.99 }] }],
 *   references: [{ label: "90 %", value: 0.9 }],
 *   logX: true,
 * });
 * if (!("layer" in spec)) throw new Error("expected a layered spec");
 * ```
 */
export function lines(input: LinesInput): TopLevelSpec {
  const rows = input.series.flatMap((series) =>
    series.points.filter((point) => Number.isFinite(point.y) && Number.isFinite(point.x))
      .map((point) => ({ series: series.name, ...point }))
  );
  const banded = rows.filter((row) =>
    row.low !== undefined && row.high !== undefined && Number.isFinite(row.low) &&
    Number.isFinite(row.high)
  );
  const references = input.references ?? [];
  const ys = [
    ...rows.map((row) => row.y),
    ...banded.flatMap((row) => [row.low!, row.high!]),
    ...references.map((reference) => reference.value),
  ];
  const xs = rows.map((row) => row.x);
  const logX = (input.logX ?? false) && xs.every((x) => x > 0);
  const logY = (input.logY ?? false) && ys.every((y) => y > 0);
  const x = axisOf("x", input.xTitle, logX, xs, false);
  const y = axisOf("y", input.yTitle, logY, ys, true);
  const names = order(rows.map((row) => row.series), input.seriesOrder);
  const color = {
    field: "series",
    type: "nominal" as const,
    title: null,
    scale: colorScale(names),
  };
  const pointsPerSeries = Math.max(
    0,
    ...names.map((name) => rows.filter((row) => row.series === name).length),
  );
  const layer: unknown[] = [];
  if (banded.length > 0) {
    layer.push({
      name: "bands",
      data: { values: banded.map(({ series, x, low, high }) => ({ series, x, low, high })) },
      mark: { type: "area", opacity: 0.2 },
      encoding: {
        x,
        y: { ...y, field: "low" },
        y2: { field: "high" },
        color: { ...color, legend: null },
      },
    });
  }
  layer.push({
    name: "lines",
    data: { values: rows.map(({ series, x, y }) => ({ series, x, y })) },
    mark: { type: "line", point: input.markers ?? pointsPerSeries <= 30 },
    encoding: {
      x,
      y,
      color: { ...color, legend: { symbolType: "stroke", symbolStrokeWidth: 3 } },
      tooltip: [
        { field: "series", title: "series" },
        { field: "x", title: input.xTitle, format: ".4~g" },
        { field: "y", title: input.yTitle, format: ".4~g" },
      ],
    },
  });
  if (references.length > 0) {
    const values = references.map(({ label, value }) => ({ reference: label, value }));
    layer.push(
      {
        name: "reference_rules",
        data: { values },
        mark: { type: "rule", color: INK, strokeDash: [6, 4], strokeWidth: 1.5 },
        encoding: {
          y: { ...y, field: "value" },
          tooltip: [{ field: "reference" }, { field: "value", format: ".4~g" }],
        },
      },
      {
        name: "reference_labels",
        data: { values },
        mark: { type: "text", align: "right", baseline: "bottom", dy: -3, color: INK },
        encoding: {
          y: { ...y, field: "value" },
          x: { value: "width" },
          text: { field: "reference" },
        },
      },
    );
  }
  return {
    ...header(input),
    width: WIDTH,
    height: HEIGHT,
    resolve: { legend: { color: "independent" } },
    layer,
  } as TopLevelSpec;
}
