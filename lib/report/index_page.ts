/**
 * The index of all experiments (`reports/index.html`): by chapter, each with its status against
 * the published numbers and a link to its report. Rendering is pure: same input, same bytes.
 *
 * @module
 */

import type { ExperimentHeader, MetricsRecord, RunRecord } from "../experiment/records.ts";
import { describeCheck, describeExpectation } from "./check_text.ts";
import { escapeHtml, pageHead } from "./html.ts";

/** One row of the index: an experiment and whatever results exist for it. */
export interface IndexEntry {
  header: ExperimentHeader;
  /** The run's records, when it has run. */
  results?: { metrics: MetricsRecord; run: RunRecord };
  /** Why the results on disk could not be read, when they could not. */
  error?: string;
  /** Whether `<id>/index.html` exists, so the row can link to it. */
  hasPage: boolean;
  /** When the results may be out of date (older code or another definition produced them). */
  staleness?: string;
}

/** What an experiment's row says about it. */
export type IndexStatus = "reproduced" | "not reproduced" | "not run" | "unreadable results";

/**
 * The status of one index entry.
 *
 * @param entry The entry.
 * @returns `reproduced`, `not reproduced`, `not run` or `unreadable results`.
 *
 * @example
 * ```ts
 * import { indexStatus } from "./index_page.ts";
 * if (indexStatus({ header: {} as never, hasPage: false }) !== "not run") throw new Error("status");
 * ```
 */
export function indexStatus(entry: IndexEntry): IndexStatus {
  if (entry.error !== undefined) return "unreadable results";
  if (!entry.results) return "not run";
  return entry.results.metrics.reproduced ? "reproduced" : "not reproduced";
}

function statusCell(status: IndexStatus): string {
  const className = status === "reproduced" ? "pass" : status === "not run" ? "none" : "fail";
  const mark = status === "reproduced" ? "✓" : status === "not run" ? "–" : "✗";
  return `<span class="status ${className}">${mark} ${status}</span>`;
}

function headline(entry: IndexEntry): string {
  const { header, results } = entry;
  if (entry.error !== undefined) return `<span class="meta">${escapeHtml(entry.error)}</span>`;
  if (results && results.metrics.checks.length > 0) {
    return `<ul class="headline">${
      results.metrics.checks.map((check) => {
        const text = describeCheck(check, header.variantLabels);
        return `<li>${
          check.pass ? '<span class="status pass">✓</span>' : '<span class="status fail">✗</span>'
        } ${escapeHtml(text.subject)}: <strong>${escapeHtml(text.measured)}</strong>${
          text.published
            ? ` <span class="meta">(published ${escapeHtml(text.published)})</span>`
            : ""
        }</li>`;
      }).join("")
    }</ul>`;
  }
  if (header.expect.length > 0) {
    return `<ul class="headline">${
      header.expect.map((expectation) =>
        `<li>${escapeHtml(describeExpectation(expectation, header.variantLabels))}</li>`
      ).join("")
    }</ul>`;
  }
  return '<span class="meta">no published numbers to check</span>';
}

function sortEntries(entries: readonly IndexEntry[]): IndexEntry[] {
  return [...entries].sort((a, b) =>
    a.header.chapter - b.header.chapter ||
    (a.header.id < b.header.id ? -1 : a.header.id > b.header.id ? 1 : 0)
  );
}

/**
 * Renders the index page.
 *
 * @param entries Every known experiment, with results where they exist.
 * @param assetsPath Where the shared assets are, relative to the page; default `assets/`.
 * @param broken Experiment files or definitions that could not be read, with why.
 * @returns The page's HTML.
 *
 * @example
 * ```ts
 * import { renderIndexPage } from "./index_page.ts";
 * const html = renderIndexPage([{
 *   header: {
 *     id: "cnn", chapter: 6, title: "LeNet-5 on MNIST", kind: "classify",
 *     reproduces: { claim: "0.95 % test error", source: "LeCun et al. 1998" },
 *     variantLabels: { lenet5: "LeNet-5" }, expect: [],
 *   },
 *   hasPage: false,
 * }]);
 * if (!html.includes("not run")) throw new Error(html);
 * ```
 */
export function renderIndexPage(
  entries: readonly IndexEntry[],
  assetsPath = "assets/",
  broken: readonly { file: string; error: string }[] = [],
): string {
  const sorted = sortEntries(entries);
  const chapters = [...new Set(sorted.map((entry) => entry.header.chapter))];
  const counts = new Map<IndexStatus, number>();
  for (const entry of sorted) {
    const status = indexStatus(entry);
    counts.set(status, (counts.get(status) ?? 0) + 1);
  }
  const summary = (["reproduced", "not reproduced", "not run", "unreadable results"] as const)
    .filter((status) => counts.has(status))
    .map((status) => `${counts.get(status)} ${status}`)
    .join(", ");
  const body = chapters.map((chapter) => {
    const rows = sorted.filter((entry) => entry.header.chapter === chapter).map((entry) => {
      const { header, results } = entry;
      const title = entry.hasPage
        ? `<a href="${encodeURIComponent(header.id)}/index.html">${escapeHtml(header.title)}</a>`
        : escapeHtml(header.title);
      const run = results
        ? `<code>${escapeHtml(results.metrics.profile)}</code> profile<br><span class="nowrap">${
          escapeHtml(results.run.startedAt.slice(0, 10))
        }</span>${
          entry.staleness ? `<br><span class="meta">${escapeHtml(entry.staleness)}</span>` : ""
        }`
        : "—";
      return `<tr><td>${title}<br><code class="meta">${escapeHtml(header.id)}</code></td><td>${
        statusCell(indexStatus(entry))
      }</td><td>${headline(entry)}</td><td class="meta">${
        escapeHtml(header.reproduces.source)
      }</td><td>${run}</td></tr>`;
    }).join("\n");
    return `<section id="chapter-${chapter}">
<h2>Chapter ${chapter}</h2>
<div class="table-wrap"><table class="index">
<caption>Experiments of chapter ${chapter}</caption>
<colgroup><col class="experiment"><col class="status"><col class="results"><col class="source"><col class="run"></colgroup>
<thead><tr><th scope="col">experiment</th><th scope="col">status</th><th scope="col">results vs published</th><th scope="col">source</th><th scope="col">run</th></tr></thead>
<tbody>
${rows}
</tbody></table></div>
</section>`;
  }).join("\n");
  return `${pageHead("Experiment reports — Deep Neural Networks", assetsPath)}
<div class="page">
<header>
<p class="eyebrow">Deep Neural Networks · reproducible experiments</p>
<h1>Experiment reports</h1>
<p>Each experiment reproduces a published result. A result is reproduced when every measured figure lies within its bound around the published one.</p>
<p class="meta">${sorted.length} experiment${sorted.length === 1 ? "" : "s"}${
    summary ? `: ${escapeHtml(summary)}` : ""
  }.</p>
</header>
<main>
${body || "<p>No experiments are defined yet.</p>"}${
    broken.length > 0
      ? `\n<section id="broken">\n<h2>Experiment definitions that could not be read</h2>\n<ul class="notes">${
        broken.map((item) =>
          `<li><code>${escapeHtml(item.file)}</code>: ${escapeHtml(item.error)}</li>`
        ).join("")
      }</ul>\n</section>`
      : ""
  }
</main>
</div>
</body>
</html>
`;
}
