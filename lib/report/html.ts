/**
 * Small helpers to write HTML safely: escaping, tables, JSON inside `<script>`.
 *
 * @module
 */

/**
 * Escapes text for HTML element content and attribute values.
 *
 * @param text Any text.
 * @returns The text with `&`, `<`, `>`, `"` and `'` escaped.
 *
 * @example
 * ```ts
 * import { escapeHtml } from "./html.ts";
 * if (escapeHtml('<a href="x">') !== "&lt;a href=&quot;x&quot;&gt;") throw new Error("escape");
 * ```
 */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;").replace(/'/g, "&#39;");
}

/**
 * Serialises a value as JSON that is safe inside `<script type="application/json">`: `<`, `>`
 * and `&` are written as `\u` escapes, so no `</script>` can end the element early.
 *
 * @param value A JSON-serialisable value.
 * @returns The JSON text.
 *
 * @example
 * ```ts
 * import { jsonForScript } from "./html.ts";
 * if (jsonForScript({ a: "</script>" }).includes("</")) throw new Error("unsafe");
 * ```
 */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value).replace(/</g, "\\u003c").replace(/>/g, "\\u003e")
    .replace(/&/g, "\\u0026").replace(/\u2028/g, "\\u2028").replace(/\u2029/g, "\\u2029");
}

/** Text that reads as a number (with a unit, a bound or a spread) and is right-aligned. */
const NUMERIC_CELL =
  /^[≤≥]?\s?[-+−]?\d[\d,.]*(e-?\d+)?(\s?(%|s|min|h|[kMGTP]))?(\s\d+\s(s|min))?(\s?[±–]\s?\d[\d,.]*(e-?\d+)?(\s?%)?)?(\s\(n = \d+\))?$/u;

/** A cell that is already HTML (not escaped again). */
export interface RawHtml {
  html: string;
}

/** A table for a report: a caption, column headings and rows of cells. */
export interface HtmlTable {
  caption: string;
  columns: readonly string[];
  rows: readonly (readonly (string | number | RawHtml)[])[];
}

/**
 * Writes a table. Numeric cells are right-aligned; string cells are escaped; `{ html }` cells are
 * inserted as they are.
 *
 * @param table Caption, columns and rows.
 * @param className An optional class for the `<table>`.
 * @returns The `<table>` element.
 *
 * @example
 * ```ts
 * import { renderTable } from "./html.ts";
 * const html = renderTable({ caption: "Sizes", columns: ["model", "parameters"], rows: [["MLP", 266610]] });
 * if (!html.includes('<td class="number">266610</td>')) throw new Error(html);
 * ```
 */
export function renderTable(
  table: HtmlTable,
  className?: string,
): string {
  const head = table.columns.map((column) => `<th scope="col">${escapeHtml(column)}</th>`).join("");
  const body = table.rows.map((row) =>
    `<tr>${
      row.map((cell) => {
        if (typeof cell === "number") return `<td class="number">${cell}</td>`;
        if (typeof cell === "string") {
          const numeric = NUMERIC_CELL.test(cell);
          return numeric
            ? `<td class="number">${escapeHtml(cell)}</td>`
            : `<td>${escapeHtml(cell)}</td>`;
        }
        return `<td>${cell.html}</td>`;
      }).join("")
    }</tr>`
  ).join("\n");
  const classAttribute = className ? ` class="${escapeHtml(className)}"` : "";
  return `<div class="table-wrap"><table${classAttribute}><caption>${
    escapeHtml(table.caption)
  }</caption>\n<thead><tr>${head}</tr></thead>\n<tbody>\n${body}\n</tbody></table></div>`;
}

/**
 * The start of every report page up to and including `<body>`: charset, viewport, light and dark
 * colour schemes, the title and the shared stylesheet.
 *
 * @param title The page title (escaped here).
 * @param assetsPath Where `style.css` is, relative to the page, ending in `/`.
 * @returns The HTML.
 *
 * @example
 * ```ts
 * import { pageHead } from "./html.ts";
 * if (!pageHead("A & B", "../assets/").includes("<title>A &amp; B</title>")) throw new Error("no title");
 * ```
 */
export function pageHead(title: string, assetsPath: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<title>${escapeHtml(title)}</title>
<link rel="stylesheet" href="${escapeHtml(assetsPath)}style.css">
</head>
<body>`;
}
