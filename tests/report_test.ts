import { deepEqual, equal, match, ok, rejects } from "node:assert/strict";
import type { MetricsRecord } from "../lib/experiment/records.ts";
import { learningCurves } from "../lib/report/charts/learning_curves.ts";
import { logTimeSeries } from "../lib/report/charts/log_time_series.ts";
import { formatBound, renderExperimentPage } from "../lib/report/experiment_page.ts";
import {
  formatCount,
  formatDuration,
  formatMetric,
  formatSi,
  formatSignificant,
  metricLabel,
} from "../lib/report/format.ts";
import { renderTable } from "../lib/report/html.ts";
import { sampleResults, writeSampleResults } from "../lib/report/sample_results.ts";
import { DARK_COLORS, LIGHT_COLORS } from "../lib/report/style.ts";
import {
  loadResults,
  ReportInputError,
  type ReportSection,
  writeExperimentReport,
  writeIndex,
} from "../lib/report/write_report.ts";
import { contrast } from "./_contrast.ts";

async function sampleDirectory(): Promise<{ root: string; directory: string }> {
  const root = await Deno.makeTempDir({ prefix: "report_test_" });
  const directory = `${root}/cnn`;
  await writeSampleResults(directory);
  return { root, directory };
}

async function editJson(file: string, edit: (value: Record<string, unknown>) => void) {
  const value = JSON.parse(await Deno.readTextFile(file));
  edit(value);
  await Deno.writeTextFile(file, JSON.stringify(value));
}

const HISTORY_SECTION: ReportSection = {
  title: "Sixty years of growth",
  intro: "Network sizes against the year they were published.",
  charts: [{
    spec: logTimeSeries({
      title: "Neurons",
      description: "Sizes grow.",
      yTitle: "neurons",
      points: [{ year: 1958, value: 1e3, label: "Perceptron" }, { year: 2012, value: 6.5e5 }],
      references: [{ label: "human", value: 8.6e10 }],
    }),
  }],
  tables: [{ caption: "Milestones", columns: ["network", "year"], rows: [["AlexNet", 2012]] }],
  notes: ["Counts of units, not synapses."],
};

Deno.test("formatCount, formatSi, formatSignificant and formatDuration write numbers for readers", () => {
  equal(formatCount(61706), "61,706");
  equal(formatCount(-1234567.4), "-1,234,567");
  equal(formatCount(999), "999");
  equal(formatSi(8.6e10), "86 G");
  equal(formatSi(999_999), "1 M");
  equal(formatSi(1500), "1.5 k");
  equal(formatSi(12), "12");
  equal(formatSignificant(0.031254), "0.03125");
  equal(formatSignificant(2.5e-7), "2.5e-7");
  equal(formatSignificant(1234567), "1.235e6");
  equal(formatDuration(4.5), "4.50 s");
  equal(formatDuration(672.5), "11 min 13 s");
  equal(formatDuration(7260), "2 h 01 min");
});

Deno.test("formatMetric formats percentages, counts and losses by name", () => {
  equal(formatMetric("testErrorPercent", 0.954), "0.95\u00a0%");
  equal(formatMetric("parameters", 266610), "266,610");
  equal(formatMetric("steps", 2814), "2,814");
  equal(formatMetric("testLoss", 0.0312549), "0.03125");
  equal(metricLabel("trainLoss"), "training loss");
  equal(metricLabel("topFiveErrorPercent"), "top five error (%)");
  equal(formatBound("testErrorPercent", { atLeast: 0.5, atMost: 1.2 }), "0.50 – 1.20\u00a0%");
  equal(formatBound("testLoss", { atLeast: 0.1 }), "≥ 0.1");
  equal(formatBound("testLoss", {}), "none");
});

Deno.test("renderTable escapes text cells and right-aligns numbers", () => {
  const html = renderTable({
    caption: "a <b>",
    columns: ["name", "value"],
    rows: [["<i>", 3], ["x", "1.77 ± 0.04\u00a0%"]],
  });
  match(html, /<caption>a &lt;b&gt;<\/caption>/);
  match(html, /<td>&lt;i&gt;<\/td><td class="number">3<\/td>/);
  match(html, /<td class="number">1\.77 ± 0\.04\u00a0%<\/td>/);
});

Deno.test("LIGHT_COLORS and DARK_COLORS give text WCAG AA contrast on background and surface", () => {
  for (const colors of [LIGHT_COLORS, DARK_COLORS]) {
    for (const text of [colors.text, colors.muted, colors.link, colors.pass, colors.fail]) {
      for (const background of [colors.background, colors.surface]) {
        const ratio = contrast(text, background);
        ok(ratio >= 4.5, `${text} on ${background}: ${ratio.toFixed(2)}`);
      }
    }
  }
});

Deno.test("loadResults returns the three records as written", async () => {
  const { directory } = await sampleDirectory();
  deepEqual(await loadResults(directory), sampleResults());
});

Deno.test("loadResults names the file, the field, what was expected and what was found", async () => {
  const { directory } = await sampleDirectory();
  await editJson(`${directory}/metrics.json`, (metrics) => metrics.trials = "x");
  await rejects(loadResults(directory), {
    name: "ReportInputError",
    message: `${directory}/metrics.json: trials: expected an array, found "x"`,
  });
  await writeSampleResults(directory);
  await editJson(`${directory}/run.json`, (run) => {
    (run.trials as { seed: unknown }[])[1].seed = "2";
  });
  await rejects(loadResults(directory), {
    message: `${directory}/run.json: trials[1].seed: expected a number, found "2"`,
  });
});

Deno.test("loadResults reports a missing file and text that is not JSON", async () => {
  const { directory } = await sampleDirectory();
  await Deno.remove(`${directory}/run.json`);
  await rejects(loadResults(directory), (error) => {
    ok(error instanceof ReportInputError);
    equal(error.file, `${directory}/run.json`);
    equal(error.message, `${directory}/run.json: not found; run the experiment first to write it`);
    return true;
  });
  await writeSampleResults(directory);
  await Deno.writeTextFile(`${directory}/config.json`, "{ not json");
  await rejects(loadResults(directory), (error) => {
    ok(error instanceof ReportInputError);
    match(error.message, /config\.json: expected JSON, found text that does not parse: /);
    return true;
  });
});

Deno.test("loadResults rejects records of another experiment", async () => {
  const { directory } = await sampleDirectory();
  await editJson(`${directory}/config.json`, (config) => config.experiment = "mlp");
  await rejects(loadResults(directory), {
    message:
      `${directory}/config.json: experiment: expected "cnn" (as in metrics.json), found "mlp"`,
  });
});

Deno.test("writeExperimentReport leaves the existing page untouched when an input is bad", async () => {
  const { directory } = await sampleDirectory();
  await Deno.writeTextFile(`${directory}/index.html`, "previous page");
  await editJson(`${directory}/metrics.json`, (metrics) => metrics.checks = [{ pass: "yes" }]);
  await rejects(writeExperimentReport(directory), ReportInputError);
  equal(await Deno.readTextFile(`${directory}/index.html`), "previous page");
  const leftovers = [...Deno.readDirSync(directory)].filter((entry) => entry.name.includes(".tmp"));
  deepEqual(leftovers, []);
});

Deno.test("writeExperimentReport writes byte-identical pages for the same records", async () => {
  const { root, directory } = await sampleDirectory();
  await writeExperimentReport(directory, { extraSections: [HISTORY_SECTION] });
  const first = await Deno.readTextFile(`${directory}/index.html`);
  await writeExperimentReport(directory, { extraSections: [HISTORY_SECTION] });
  equal(await Deno.readTextFile(`${directory}/index.html`), first);
  const times = first.match(/\d{4}-\d\d-\d\dT\d\d:\d\d[:\d.]*Z?/g) ?? [];
  deepEqual([...new Set(times)], ["2025-01-15T09:30:00.000Z"], "only startedAt appears");
  for (const asset of ["style.css", "report.js", "vega.min.js", "vega-lite.min.js"]) {
    ok((await Deno.stat(`${root}/assets/${asset}`)).size > 0, asset);
  }
  const vega = new URL("./vega.min.js", import.meta.resolve("vega"));
  deepEqual(await Deno.readFile(`${root}/assets/vega.min.js`), await Deno.readFile(vega));
});

Deno.test("renderExperimentPage shows checks, curves, final metrics, extra sections and the environment", async () => {
  const results = sampleResults();
  const html = await renderExperimentPage(results, { extraSections: [HISTORY_SECTION] });
  match(html, /<title>LeNet-5 against a fully connected network on MNIST — Chapter 6/);
  match(html, /<link rel="stylesheet" href="\.\.\/assets\/style\.css">/);
  match(html, /✗ Not reproduced \(1 of 2 checks passed\)/);
  match(html, /href="http:\/\/yann\.lecun\.com\/exdb\/publis\/pdf\/lecun-98\.pdf"/);
  const figures = [
    ...html.matchAll(/<figure class="chart" id="(chart-\d+)">([\s\S]*?)<\/figure>/g),
  ];
  deepEqual(figures.map((figure) => figure[1]), [1, 2, 3, 4, 5, 6].map((i) => `chart-${i}`));
  for (const [, id, body] of figures) {
    match(body, /<svg [^>]*role="img" aria-label="[^"]+"><title>[^<]+<\/title><desc>/, id);
    match(body, /<figcaption>[^<]+<\/figcaption>/, id);
    const json = body.match(/<script type="application\/json" class="chart-spec">(.*)<\/script>/)!;
    const spec = JSON.parse(json[1]);
    ok(typeof spec.description === "string" && spec.description.length > 0, id);
  }
  const titles = figures.map(([, , body]) => body.match(/<title>([^<]+)<\/title>/)![1]);
  deepEqual(titles, [
    "Test error (%): measured vs published",
    "Training loss by epoch",
    "Training loss (epoch mean) by epoch",
    "Test loss by epoch",
    "Test error (%) by epoch",
    "Neurons",
  ]);
  const lenet = results.metrics.summary.lenet5.testErrorPercent;
  const expectedCell = `${lenet.mean.toFixed(2)} ± ${lenet.std.toFixed(2)}\u00a0%`;
  ok(html.includes(`<td class="number">${expectedCell}</td>`), expectedCell);
  match(html, /<td class="number">61,706<\/td>/);
  match(
    html,
    /<td>LeNet-5 test error \(%\)<\/td><td class="number">1\.47\u00a0%<\/td><td class="number">0\.95\u00a0%<\/td><td class="number">≤ 2\.00\u00a0%<\/td>/,
  );
  match(html, /<span class="status pass">✓ pass<\/span>/);
  match(html, /<span class="status fail">✗ fail<\/span>/);
  match(
    html,
    /<h2>Sixty years of growth<\/h2>\n<p>Network sizes against the year they were published\.<\/p>/,
  );
  match(html, /<li>Counts of units, not synapses\.<\/li>/);
  match(
    html,
    /<dt>Adapter<\/dt><dd>llvmpipe \(LLVM 15\.0\.6, 256 bits\), mesa \(fallback adapter\)<\/dd>/,
  );
  match(html, /<dt>Hardware GPU<\/dt><dd>no<\/dd>/);
  match(html, /<dt>Backend<\/dt><dd><code>wasm on 2 threads<\/code> — /);
  match(
    html,
    /<dt>Git commit<\/dt><dd><code>3f9c2e1a7b5d4c6e8f0a1b2c3d4e5f6a7b8c9d0e<\/code><\/dd>/,
  );
  match(html, /<dt>Wall time<\/dt><dd>11 min 13 s<\/dd>/);
  match(
    html,
    /<td>MLP 300<\/td><td class="number">1<\/td><td class="number">3 min 10 s<\/td><td class="number">5,121<\/td><td class="number">21,001<\/td>/,
  );
});

Deno.test("renderExperimentPage omits the curves section when no trial has a curve", async () => {
  const results = sampleResults();
  const metrics: MetricsRecord = {
    ...results.metrics,
    trials: results.metrics.trials.map((trial) => ({ ...trial, curve: [] })),
  };
  const html = await renderExperimentPage({ ...results, metrics });
  ok(!html.includes("Learning curves"));
  equal([...html.matchAll(/<figure /g)].length, 1, "only the measured-vs-published chart");
});

Deno.test("renderExperimentPage renders a spec's special characters safely", async () => {
  const results = sampleResults();
  const spec = learningCurves({
    title: "</script><b>x</b>",
    description: "a & b",
    xTitle: "epoch",
    yTitle: "y",
    curves: [{ series: "</script>", seed: 1, points: [{ x: 0, y: 1 }, { x: 1, y: 2 }] }],
  });
  const html = await renderExperimentPage(results, {
    extraSections: [{ title: "<odd>", charts: [{ spec }] }],
  });
  equal(html.split("</script>").length - 1, 7, "only the 6 spec scripts and the loader end");
  match(html, /<h2>&lt;odd&gt;<\/h2>/);
});

Deno.test("writeIndex lists every experiment by chapter with its status and headline numbers", async () => {
  const { root, directory } = await sampleDirectory();
  await writeExperimentReport(directory);
  const header = sampleResults().config.header;
  const history = { ...header, id: "history", chapter: 1, title: "Sixty years", expect: [] };
  const reproducedDirectory = `${root}/mlp`;
  await writeSampleResults(reproducedDirectory);
  for (const name of ["metrics", "run", "config"]) {
    await editJson(`${reproducedDirectory}/${name}.json`, (record) => {
      record.experiment = "mlp";
      if (name === "metrics") {
        record.reproduced = true;
        record.checks = [];
      }
      if (name === "config") {
        (record.header as { id: string; title: string }).id = "mlp";
        (record.header as { id: string; title: string }).title = "Only on disk";
      }
    });
  }
  await Deno.mkdir(`${root}/broken`);
  await Deno.writeTextFile(`${root}/broken/metrics.json`, "[]");
  await writeIndex(root, [header, history]);
  const html = await Deno.readTextFile(`${root}/index.html`);
  await writeIndex(root, [header, history]);
  equal(await Deno.readTextFile(`${root}/index.html`), html, "byte-identical");
  match(html, /<link rel="stylesheet" href="assets\/style\.css">/);
  const chapters = [...html.matchAll(/<h2>Chapter (\d+)<\/h2>/g)].map((m) => Number(m[1]));
  deepEqual(chapters, [0, 1, 6]);
  match(html, /4 experiments: 1 reproduced, 1 not reproduced, 1 not run, 1 unreadable results\./);
  match(html, /<a href="cnn\/index\.html">LeNet-5 against/);
  match(html, /Sixty years<br>/, "no link without a page");
  match(html, /✗ not reproduced/);
  match(
    html,
    /<span class="status pass">✓<\/span> LeNet-5 test error \(%\): <strong>1\.47\u00a0%<\/strong> <span class="meta">\(published 0\.95\u00a0%\)<\/span>/,
  );
  match(
    html,
    /<span class="status fail">✗<\/span> MLP 300 test error \(%\): <strong>2\.30\u00a0%<\/strong>/,
  );
  match(html, /Only on disk/);
  match(html, /\/broken\/metrics\.json: \(top level\): expected an object, found \[\]/);
  match(html, /<code>ci<\/code> profile<br><span class="nowrap">2025-01-15<\/span>/);
});
