/**
 * Parts every chart builder shares: the default size, the header (title, text alternative,
 * config), the order of series and their colours.
 *
 * @module
 */

import type { TopLevelSpec } from "vega-lite";
import { CHART_CONFIG, SERIES_COLORS } from "../chart_config.ts";
import type { ChartText } from "./chart_text.ts";

/** Width of a chart's plot area, in pixels. */
export const WIDTH = 520;
/** Height of a chart's plot area, in pixels. */
export const HEIGHT = 300;

/** The title, the text alternative and the shared config of a spec. */
export function header(text: ChartText): Pick<TopLevelSpec, "title" | "description" | "config"> {
  return {
    title: text.subtitle === undefined ? text.title : { text: text.title, subtitle: text.subtitle },
    description: text.description,
    config: CHART_CONFIG,
  };
}

/** The distinct values, those named in `preferred` first, the rest in order of appearance. */
export function order(values: Iterable<string>, preferred: readonly string[] = []): string[] {
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

/** A colour scale giving the series colours to `domain` in order. */
export function colorScale(domain: readonly string[]) {
  return {
    domain: [...domain],
    range: domain.map((_, i) => SERIES_COLORS[i % SERIES_COLORS.length]),
  };
}
