import assert from "node:assert/strict";
import { runExperiment } from "../lib/run/run_experiment.ts";
import { historySections, parameterMetric } from "../lib/tasks/history.ts";
import { renderSvg } from "../lib/report/render_svg.ts";
import { loadHistoryTables } from "../lib/history/tables.ts";
import { ARCHITECTURES } from "../lib/models/architectures.ts";
import history from "../experiments/history.ts";

const options = { sanitizeResources: false, sanitizeOps: false };

/** Elements drawn by the marks named `name` in a rendered SVG. */
function marksOf(svg: string, name: string): number {
  const groups = [...svg.matchAll(/<g class="mark-\w+ role-mark (\w+)"[^>]*>(.*?)<\/g>/g)]
    .filter((match) => match[1] === `${name}_marks`);
  return groups.flatMap((match) => [...match[2].matchAll(/<(path|text|line)\b/g)]).length;
}

async function smokeRun() {
  const directory = await Deno.makeTempDir({ prefix: "history_" });
  return await runExperiment({
    file: "experiments/history.ts",
    definition: history,
    profile: "smoke",
    outDirectory: directory,
  });
}

Deno.test(
  "history reproduces the architecture sizes and keeps timings out of the metrics",
  options,
  async () => {
    const { metrics, run } = await smokeRun();
    assert.equal(metrics.reproduced, true, JSON.stringify(metrics.checks));
    const final = metrics.trials[0].final;
    assert.equal(final[parameterMetric("VGG-16")], 138_357_544);
    assert.equal(final[parameterMetric("LeNet-5")], 61_706);
    // The GPU table's FP32 peaks double about every 2.4 years (least squares on log2).
    assert.ok(Math.abs(final.gpuFp32DoublingYears - 2.4) < 0.3, String(final.gpuFp32DoublingYears));
    const throughput = run.measurements.throughput as { backend: string; matmul: unknown[] }[];
    assert.deepEqual(throughput.map((entry) => entry.backend), ["wasm"]);
    assert.equal(JSON.stringify(metrics).includes("PerSecond"), false);
  },
);

Deno.test("historySections draws every table row and architecture as a mark", options, async () => {
  const results = await smokeRun();
  const tables = await loadHistoryTables("data");
  const sections = historySections(results);
  const charts = sections.flatMap((section) => section.charts.map((chart) => chart.spec));
  const svgs = await Promise.all(charts.map((spec, i) => renderSvg(spec, `t${i}`)));
  const byTitle = new Map(
    charts.map((spec, i) => {
      const title = (spec as { title?: string | { text: string } }).title;
      return [typeof title === "string" ? title : String(title?.text), svgs[i].svg];
    }),
  );
  const network = byTitle.get("Increasing neural network size over time")!;
  assert.equal(marksOf(network, "points"), tables.network_sizes.rows.length);
  const drawnReferences = tables.network_sizes.referenceLines.filter((line) => line.neurons > 0);
  assert.equal(marksOf(network, "reference_rules"), drawnReferences.length);
  const gpus = byTitle.get("FP32 throughput: historical GPUs and this machine")!;
  assert.equal(
    marksOf(gpus, "points"),
    tables.gpus.rows.length + 1,
    "GPUs plus this machine's wasm",
  );
  const ilsvrc = byTitle.get("Decreasing error rate over time")!;
  assert.equal(marksOf(ilsvrc, "bars"), tables.ilsvrc.rows.length);
  const sizes = byTitle.get("Model size against ImageNet top-5 error")!;
  assert.equal(
    marksOf(sizes, "points"),
    ARCHITECTURES.filter((architecture) => architecture.top5ErrorPercent !== undefined).length,
  );
  for (const [title, svg] of byTitle) assert.ok(svg.includes("<path"), `${title} drew nothing`);
});
