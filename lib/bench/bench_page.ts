/**
 * The benchmark's report page, `reports/bench/index.html`: a bar chart per workload and batch
 * (one bar per backend, PyTorch as a reference line) and the full table. Self-contained: the
 * charts are inline SVG, rendered here with the report layer's chart builders.
 *
 * @module
 */

import { barsWithReferences } from "../report/charts/bars_with_references.ts";
import { escapeHtml, pageHead, renderTable } from "../report/html.ts";
import { renderSvg } from "../report/render_svg.ts";
import { benchChartData, benchTableRows, describeBenchBlas, formatBenchValue } from "./records.ts";
import type { BenchReport } from "./run_bench.ts";

/**
 * Renders the report page.
 *
 * @param report What `runBench` returned.
 * @returns The page's HTML.
 *
 * @example
 * ```ts
 * import { renderBenchPage } from "./bench_page.ts";
 * const html = await renderBenchPage({
 *   header: {
 *     versions: { deno: "2", v8: "1", typescript: "5", tfjs: "4.22.0" },
 *     machine: { cpuModel: "cpu", cpuCores: 2, os: "linux", memoryGiB: 8 },
 *     date: "2026-01-01T00:00:00Z", seconds: 2, peer: { skipped: "--no-peer" },
 *     skippedBackends: {}, skippedMeasurements: [],
 *   },
 *   records: [{ workload: "mlp-train", backend: "wasm", device: "cpu", batch: 64, value: 3000, unit: "img/s" }],
 * });
 * if (!html.includes("<svg") || !html.includes("mlp-train")) throw new Error(html);
 * ```
 */
export async function renderBenchPage(report: BenchReport): Promise<string> {
  const { header, records } = report;
  const figures: string[] = [];
  for (const [i, chart] of benchChartData(records).entries()) {
    const reference = chart.reference;
    const best = chart.bars.reduce((a, b) => (b.value > a.value ? b : a));
    const spec = barsWithReferences({
      title: chart.title,
      description: `${chart.title}: ${
        chart.bars.map((bar) => `${bar.label} ${formatBenchValue(bar.value)}`).join(", ")
      } ${chart.unit}${
        reference ? `; PyTorch ${formatBenchValue(reference.value)} ${chart.unit}` : ""
      }. Fastest: ${best.label}.`,
      yTitle: `${chart.unit} (log scale)`,
      logY: true,
      bars: chart.bars,
      references: reference
        ? [{ label: `PyTorch ${formatBenchValue(reference.value)}`, value: reference.value }]
        : [],
    });
    const { svg } = await renderSvg(spec, `bench-${i}`);
    figures.push(`<figure>${svg}</figure>`);
  }
  const table = renderTable({
    caption: "Every measurement; ours/torch above 1 means faster than PyTorch on this machine.",
    columns: ["workload", "backend", "batch", "value", "unit", "PyTorch", "ours/torch", "device"],
    rows: benchTableRows(records, "–"),
  });
  const peer = "torch" in header.peer
    ? `PyTorch ${header.peer.torch} on ${header.peer.device}, ${header.peer.threads} threads`
    : `PyTorch peer skipped: ${header.peer.skipped}`;
  const notes = [
    peer,
    ...(header.nativeBlas ? [describeBenchBlas(header.nativeBlas)] : []),
    ...(header.load
      ? [
        `load average (1, 5, 15 min): ${header.load.started.join(", ")} at the start, ${
          header.load.finished.join(", ")
        } at the end (on ${header.machine.cpuCores} cores)`,
      ]
      : []),
    ...Object.entries(header.skippedBackends).map(([name, why]) => `${name} skipped: ${why}`),
    ...header.skippedMeasurements.map((note) => `skipped ${note}`),
  ];
  const { versions, machine } = header;
  return `${pageHead("Benchmark: tfjs backends against PyTorch", "../assets/")}
<div class="page">
<h1>Benchmark: tfjs backends against PyTorch</h1>
<p>${escapeHtml(machine.cpuModel)}, ${machine.cpuCores} cores, ${escapeHtml(machine.os)}; Deno ${
    escapeHtml(versions.deno)
  }, tfjs ${escapeHtml(versions.tfjs)}; ${header.seconds} s per measurement; ${
    escapeHtml(header.date)
  }.</p>
<ul>${notes.map((note) => `<li>${escapeHtml(note)}</li>`).join("")}</ul>
<div style="display: grid; grid-template-columns: repeat(auto-fill, minmax(22rem, 1fr)); gap: 1rem">
${figures.join("\n")}
</div>
${table}
</div>
</body>
</html>
`;
}
