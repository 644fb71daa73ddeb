/**
 * One chart on a page: the inline SVG (visible without JavaScript), a caption with the text
 * alternative, and the spec with its data for the interactive view.
 *
 * @module
 */

import type { TopLevelSpec } from "vega-lite";
import { escapeHtml, jsonForScript } from "./html.ts";
import { renderSvg } from "./render_svg.ts";

/**
 * Renders a chart as a `<figure>`.
 *
 * @param spec The chart.
 * @param id The figure's id, unique on the page (also prefixes the SVG's internal ids).
 * @param caption The caption; default the spec's `description`.
 * @returns The `<figure>` element.
 *
 * @example
 * ```ts
 * import { renderFigure } from "./figure.ts";
 * const html = await renderFigure({
 *   title: "Two bars",
 *   description: "Bar b is twice bar a.",
 *   data: { values: [{ k: "a", v: 1 }, { k: "b", v: 2 }] },
 *   mark: "bar",
 *   encoding: { x: { field: "k", type: "nominal" }, y: { field: "v", type: "quantitative" } },
 * }, "chart-1");
 * if (!html.includes('<figure class="chart" id="chart-1">')) throw new Error(html);
 * ```
 */
export async function renderFigure(
  spec: TopLevelSpec,
  id: string,
  caption?: string,
): Promise<string> {
  const { svg } = await renderSvg(spec, id);
  const text = caption ?? spec.description ?? "";
  return [
    `<figure class="chart" id="${escapeHtml(id)}">`,
    `<div class="chart-svg">${svg}</div>`,
    `<figcaption>${escapeHtml(text)}</figcaption>`,
    `<script type="application/json" class="chart-spec">${jsonForScript(spec)}</script>`,
    `</figure>`,
  ].join("\n");
}
