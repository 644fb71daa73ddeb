/**
 * Bars with labelled horizontal reference lines, e.g. measured against published figures.
 *
 * @module
 */

import type { TopLevelSpec } from "vega-lite";
import { INK, SERIES_COLORS } from "../chart_config.ts";
import { header, HEIGHT, WIDTH } from "./_common.ts";
import type { ChartText } from "./chart_text.ts";

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
 * import { barsWithReferences } from "./bars_with_references.ts";
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
