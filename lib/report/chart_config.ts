/**
 * The look every report chart shares: fonts, colours and sizes, in one Vega-Lite config.
 *
 * Text, axes and reference lines are drawn in `currentColor`, so an inline SVG takes the page's
 * text colour and follows its light or dark scheme. Data colours have at least 3:1 contrast
 * against both the light (#ffffff) and the dark (#16181d) page background (WCAG 1.4.11).
 *
 * @module
 */

import type { Config } from "vega-lite";

/**
 * Categorical colours for series, in the order series are assigned them. Each has a contrast of
 * at least 3:1 against both page backgrounds.
 */
export const SERIES_COLORS: readonly string[] = [
  "#3b6fd4", // blue
  "#d9480f", // orange
  "#2f9e44", // green
  "#ae3ec9", // purple
  "#0c8599", // teal
  "#c2255c", // crimson
  "#8a6d1f", // ochre
  "#7d8590", // grey
];

/** The font stack of charts; the same as the page's, so text measures alike. */
export const CHART_FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", sans-serif';

/** The colour of text, axes and reference lines: the colour of the surrounding page text. */
export const INK = "currentColor";

/**
 * The shared Vega-Lite config of every chart.
 *
 * @example
 * ```ts
 * import { CHART_CONFIG } from "./chart_config.ts";
 * if (CHART_CONFIG.font === undefined) throw new Error("no font");
 * ```
 */
export const CHART_CONFIG: Config = {
  font: CHART_FONT,
  background: "transparent",
  padding: 8,
  view: { stroke: null, continuousWidth: 520, continuousHeight: 300 },
  title: { color: INK, fontSize: 15, fontWeight: 600, anchor: "start", offset: 12 },
  axis: {
    labelColor: INK,
    titleColor: INK,
    labelFontSize: 12,
    titleFontSize: 12,
    titleFontWeight: 600,
    domainColor: INK,
    domainOpacity: 0.6,
    tickColor: INK,
    tickOpacity: 0.6,
    gridColor: INK,
    gridOpacity: 0.14,
    labelFlush: true,
  },
  legend: {
    labelColor: INK,
    titleColor: INK,
    labelFontSize: 12,
    titleFontSize: 12,
    orient: "bottom",
    direction: "horizontal",
    symbolStrokeWidth: 2.5,
    // Vega guesses text widths when it renders to SVG; the default 160 px cuts sweep labels.
    labelLimit: 280,
  },
  header: { labelColor: INK, titleColor: INK },
  range: { category: [...SERIES_COLORS] },
  line: { strokeWidth: 2.25 },
  point: { filled: true, size: 40, opacity: 1 },
  text: { color: INK, fontSize: 11 },
  rule: { color: INK },
  bar: { color: SERIES_COLORS[0] },
};
