import assert from "node:assert/strict";
import { runExperiment } from "../lib/run/run_experiment.ts";
import {
  connectionsMetric,
  COURSE_TABLE_GPUS,
  history,
  parameterMetric,
  priceMetric,
  REPORT_ORDER,
} from "../lib/analyses/history.ts";
import { type Artifact, type ArtifactOf, artifactSchema } from "../lib/report/artifacts.ts";
import { artifactEntries, renderArtifacts } from "../lib/report/render_artifacts.ts";
import { renderSvg } from "../lib/report/render_svg.ts";
import { loadHistoryTables } from "../lib/history/tables.ts";
import historyExperiment from "../experiments/history.ts";

const options = { sanitizeResources: false, sanitizeOps: false };

/** One smoke run (wasm only, 0.1 s per measurement) shared by the tests, in a temporary folder. */
const smoke = (async () => {
  const directory = await Deno.makeTempDir({ prefix: "history_" });
  return await runExperiment({
    file: "experiments/history.ts",
    definition: historyExperiment,
    profile: "smoke",
    outDirectory: `${directory}/out`,
    store: `${directory}/store`,
    useCache: false,
  });
})();

async function artifacts(): Promise<Record<string, Artifact>> {
  const { metrics } = await smoke;
  return metrics.trials[0].artifacts as Record<string, Artifact>;
}

function kindOf<K extends Artifact["kind"]>(
  artifact: Artifact | undefined,
  kind: K,
): ArtifactOf<K> {
  assert.equal(artifact?.kind, kind);
  return artifact as ArtifactOf<K>;
}

Deno.test("history passes every check and keeps timings out of the metrics", options, async () => {
  const { metrics, run } = await smoke;
  assert.equal(metrics.reproduced, true, JSON.stringify(metrics.checks));
  const checked = new Set(metrics.checks.map((check) => "metric" in check ? check.metric : ""));
  for (
    const metric of [
      "alexnetConnectionsPerNeuron",
      "googlenetConnectionsPerNeuron",
      ...COURSE_TABLE_GPUS.map(priceMetric),
    ]
  ) {
    assert.ok(checked.has(metric), `${metric} is checked`);
  }
  const throughput = run.measurements.throughput as { backend: string }[];
  assert.deepEqual(throughput.map((entry) => entry.backend), ["wasm"]);
  assert.equal(JSON.stringify(metrics).includes("PerSecond"), false);
});

Deno.test(
  "history reports every metric it declares, with the counted values",
  options,
  async () => {
    const { metrics } = await smoke;
    const final = metrics.trials[0].final;
    const settings = history.schema.parse({ kind: "history" });
    assert.deepEqual(Object.keys(final).sort(), history.metrics(settings).sort());
    assert.equal(final[parameterMetric("VGG-16")], 138_357_544);
    // LeNet-5 on 28x28 MNIST, by hand: conv1 28·28·6 units with 25 inputs, conv2 10·10·16 with
    // 150, dense 400·120 + 120·84 + 84·10, over 28·28·6 + 10·10·16 + 120 + 84 + 10 units.
    const lenetConnections = 28 * 28 * 6 * 25 + 10 * 10 * 16 * 150 + 400 * 120 + 120 * 84 + 840;
    const lenetNeurons = 28 * 28 * 6 + 10 * 10 * 16 + 120 + 84 + 10;
    assert.equal(final[connectionsMetric("LeNet-5")], lenetConnections / lenetNeurons);
    // GoogLeNet: about 1.5 billion multiply-adds (Szegedy et al. 2015) over Table 1's units.
    const googlenet = final[connectionsMetric("GoogLeNet (Inception v1)")];
    assert.ok(Math.abs(googlenet - 1.5e9 / 3_227_160) / googlenet < 0.05, String(googlenet));
    // The course's table (heise.de, 2017-03-01): price over FP32 TFLOP/s.
    assert.equal(final.gtx1080tiEurosPerTflop, 835 / 11.47);
    assert.equal(final.titanxpascalEurosPerTflop, 1300 / 10.16);
    assert.equal(final.gtx1080EurosPerTflop, 600 / 8.23);
    assert.equal(final.quadrogp100EurosPerTflop, undefined, "its FP32 figure is unverified");
    // The GPU table's FP32 peaks double about every 2.4 years (least squares on log2).
    assert.ok(Math.abs(final.gpuFp32DoublingYears - 2.4) < 0.3, String(final.gpuFp32DoublingYears));
  },
);

Deno.test(
  "history's artifacts are valid, of the expected kinds, each with its place",
  options,
  async () => {
    const all = await artifacts();
    const { run } = await smoke;
    const measured = run.trials[0].measuredArtifacts as Record<string, Artifact>;
    const names = [...Object.keys(all), ...Object.keys(measured)].sort();
    assert.deepEqual(names, Object.keys(REPORT_ORDER).sort());
    for (const [name, artifact] of Object.entries({ ...all, ...measured })) {
      assert.deepEqual(artifactSchema.parse(artifact), artifact, name);
      assert.equal(artifact.order, REPORT_ORDER[name as keyof typeof REPORT_ORDER], name);
    }
    const kinds = Object.fromEntries(Object.entries(all).map(([name, a]) => [name, a.kind]));
    assert.deepEqual(
      {
        waves: kinds.waves,
        softwareLibraries: kinds.softwareLibraries,
        connectionsPerNeuron: kinds.connectionsPerNeuron,
        gpuPricePerformance: kinds.gpuPricePerformance,
      },
      {
        waves: "timeline",
        softwareLibraries: "timeline",
        connectionsPerNeuron: "timeSeries",
        gpuPricePerformance: "bars",
      },
    );
  },
);

Deno.test(
  "history draws Fig. 1.10 with its computed values marked and reference lines",
  options,
  async () => {
    const tables = await loadHistoryTables("data");
    const chart = kindOf((await artifacts()).connectionsPerNeuron, "timeSeries");
    assert.equal(chart.points.length, tables.connections_per_neuron.rows.length);
    const byNumber = new Map(chart.points.map((point) => [point.label, point]));
    // AlexNet (8) and GoogLeNet (10) are counted from the framework's architectures.
    assert.equal(byNumber.get("8")!.group, "counted: model");
    assert.equal(byNumber.get("10")!.group, "counted: model");
    // Ciresan et al. 2010's 784-2500-2000-1500-1000-500-10 MLP, by hand.
    const ciresan = (784 * 2500 + 2500 * 2000 + 2000 * 1500 + 1500 * 1000 + 1000 * 500 + 5000) /
      7510;
    assert.equal(byNumber.get("6")!.value, ciresan);
    assert.equal(byNumber.get("6")!.group, "counted: layers");
    assert.equal(byNumber.get("2")!.group, "estimate");
    // Cat and human share one line at 10^4.
    assert.deepEqual(chart.references, [
      { label: "Fruit fly", value: 100 },
      { label: "Mouse", value: 1000 },
      { label: "Cat, Human", value: 10000 },
    ]);
  },
);

Deno.test("history draws the waves with the three phases' characteristics", options, async () => {
  const tables = await loadHistoryTables("data");
  const waves = kindOf((await artifacts()).waves, "timeline");
  assert.equal(waves.events.length, tables.neural_network_waves.rows.length);
  assert.deepEqual(waves.phases?.map((phase) => phase.details), [
    ["single-layer", "1–100 training patterns", "few industrial applications"],
    ["mostly 2–3 layers", "100–10,000 training patterns", "medium industrial interest"],
    ["deep networks", "millions of training patterns", "huge industrial interest"],
  ]);
  assert.deepEqual(waves.phases?.map((phase) => [phase.from, phase.to]), [
    [1950, 1970],
    [1985, 1996],
    [2012, 2020],
  ]);
  const ioffe = waves.events.find((event) => event.label.startsWith("Ioffe & Szegedy 2015"));
  assert.deepEqual(ioffe?.alternative, { year: 2014, label: "the slide's year" });
  assert.equal(new Set(waves.events.map((event) => event.label)).size, waves.events.length);
});

Deno.test(
  "history dates the libraries by first release and notes the slide's year",
  options,
  async () => {
    const libraries = kindOf((await artifacts()).softwareLibraries, "timeline");
    const tf2 = libraries.events.find((event) => event.label.startsWith("TensorFlow 2.0"));
    assert.equal(tf2?.year, 2019);
    assert.deepEqual(tf2?.alternative, { year: 2017, label: "the slide's year" });
    const pytorch = libraries.events.find((event) => event.label.startsWith("PyTorch"));
    assert.equal(pytorch?.year, 2017);
    assert.equal(pytorch?.alternative, undefined);
  },
);

Deno.test(
  "history prices the course's GPUs per TFLOP/s and leaves the unverified one out",
  options,
  async () => {
    const bars = kindOf((await artifacts()).gpuPricePerformance, "bars");
    assert.deepEqual(bars.bars.map((bar) => bar.label), [...COURSE_TABLE_GPUS]);
    assert.deepEqual(bars.bars.map((bar) => bar.value), [835 / 11.47, 1300 / 10.16, 600 / 8.23]);
    assert.match(bars.description, /Left out: the Quadro GP100/);
  },
);

Deno.test(
  "history's report sections follow the chapter and every chart renders",
  options,
  async () => {
    const { metrics, run } = await smoke;
    const sections = renderArtifacts([
      ...artifactEntries(metrics.trials, { history: "Chapter 1" }),
      ...artifactEntries(
        run.trials.map((trial) => ({ ...trial, artifacts: trial.measuredArtifacts })),
        { history: "Chapter 1" },
        true,
      ),
    ]);
    const all = { ...(await artifacts()), ...run.trials[0].measuredArtifacts } as Record<
      string,
      Artifact
    >;
    const expected = Object.entries(REPORT_ORDER).sort(([, a], [, b]) => a - b)
      .map(([name]) => all[name].title);
    assert.deepEqual(sections.map((section) => section.title), expected);
    for (const [i, chart] of sections.flatMap((section) => section.charts).entries()) {
      const { svg, warnings } = await renderSvg(chart.spec, `history-${i}`);
      assert.deepEqual(warnings, [], JSON.stringify(chart.spec.title));
      assert.ok(svg.includes("<path"), `chart ${i} drew nothing`);
    }
  },
);
