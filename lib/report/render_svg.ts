/**
 * Renders a Vega-Lite spec to SVG headlessly (no browser, no canvas), for reports that show
 * their charts without JavaScript.
 *
 * @module
 */

import * as vega from "vega";
import { compile } from "vega-lite";
import type { TopLevelSpec } from "vega-lite";

/** A rendered chart. */
export interface RenderedSvg {
  /** The `<svg>` element, with `role="img"`, `aria-label`, `<title>` and `<desc>`. */
  svg: string;
  /** What Vega-Lite warned about while compiling (empty for a well-formed spec). */
  warnings: string[];
}

/** Thrown when a spec does not compile or render; names the chart. */
export class ChartRenderError extends Error {
  /** @param message What went wrong, naming the chart. */
  constructor(message: string) {
    super(message);
    this.name = "ChartRenderError";
  }
}

function escapeXml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(
    /"/g,
    "&quot;",
  );
}

function titleOf(spec: TopLevelSpec): string {
  const title = spec.title;
  if (title === undefined) return "";
  if (typeof title === "string") return title;
  if (Array.isArray(title)) return title.join(" ");
  const text = (title as { text?: unknown }).text;
  return Array.isArray(text) ? text.join(" ") : typeof text === "string" ? text : "";
}

/**
 * Renames the ids in an SVG (clip paths, gradients) to `<prefix>-1`, `<prefix>-2`, … in order of
 * appearance. Vega numbers them with a process-wide counter, so without this two renders of the
 * same spec differ, and two charts on one page can clash.
 *
 * @param svg The SVG text.
 * @param prefix A prefix unique on the page.
 * @returns The SVG with stable ids.
 *
 * @example
 * ```ts
 * import { stabilizeIds } from "./render_svg.ts";
 * const out = stabilizeIds('<g clip-path="url(#clip7)"></g><clipPath id="clip7"></clipPath>', "c");
 * if (out !== '<g clip-path="url(#c-1)"></g><clipPath id="c-1"></clipPath>') throw new Error(out);
 * ```
 */
export function stabilizeIds(svg: string, prefix: string): string {
  const renamed = new Map<string, string>();
  const rename = (id: string) => {
    let name = renamed.get(id);
    if (name === undefined) renamed.set(id, name = `${prefix}-${renamed.size + 1}`);
    return name;
  };
  const ids = new Set([...svg.matchAll(/\sid="([^"]+)"/g)].map((match) => match[1]));
  return svg.replace(/url\(#([^)]+)\)|(\sid=")([^"]+)"|(href=")#([^"]+)"/g, (all, ...groups) => {
    const [urlId, idAttribute, idValue, hrefAttribute, hrefId] = groups as (string | undefined)[];
    if (urlId !== undefined) return ids.has(urlId) ? `url(#${rename(urlId)})` : all;
    if (idValue !== undefined) return `${idAttribute}${rename(idValue)}"`;
    if (hrefId !== undefined) return ids.has(hrefId) ? `${hrefAttribute}#${rename(hrefId)}"` : all;
    return all;
  });
}

/**
 * Compiles a Vega-Lite spec and renders it to SVG without a browser.
 *
 * @param spec The chart.
 * @param idPrefix A prefix for the SVG's internal ids, unique on the page (e.g. `chart-3`).
 * @returns The SVG and any compiler warnings.
 *
 * @example
 * ```ts
 * import { renderSvg } from "./render_svg.ts";
 * const { svg } = await renderSvg({
 *   title: "Two points",
 *   description: "A line through two points.",
 *   data: { values: [{ x: 0, y: 0 }, { x: 1, y: 1 }] },
 *   mark: "line",
 *   encoding: { x: { field: "x", type: "quantitative" }, y: { field: "y", type: "quantitative" } },
 * }, "example");
 * if (!svg.startsWith("<svg") || !svg.includes("<title>Two points</title>")) throw new Error(svg);
 * ```
 */
export async function renderSvg(spec: TopLevelSpec, idPrefix = "chart"): Promise<RenderedSvg> {
  const title = titleOf(spec);
  const warnings: string[] = [];
  const logger = {
    level(): number {
      return 0;
    },
    error(...args: readonly unknown[]) {
      throw new ChartRenderError(`chart "${title}": ${args.map(String).join(" ")}`);
    },
    warn(...args: readonly unknown[]) {
      warnings.push(args.map(String).join(" "));
      return logger;
    },
    info() {
      return logger;
    },
    debug() {
      return logger;
    },
  };
  let view: vega.View | undefined;
  try {
    const compiled = compile(spec, { logger: logger as never }).spec;
    view = new vega.View(vega.parse(compiled), { renderer: "none", logLevel: vega.Error });
    const raw = await view.toSVG();
    const description = spec.description ?? title;
    const accessible = raw.replace(
      /^<svg([^>]*)>/,
      (_, attributes: string) =>
        `<svg${attributes} role="img" aria-label="${escapeXml(description)}"><title>${
          escapeXml(title)
        }</title><desc>${escapeXml(description)}</desc>`,
    );
    return { svg: stabilizeIds(accessible, idPrefix), warnings };
  } catch (error) {
    if (error instanceof ChartRenderError) throw error;
    throw new ChartRenderError(
      `chart "${title}": could not render: ${error instanceof Error ? error.message : error}`,
    );
  } finally {
    view?.finalize();
  }
}
