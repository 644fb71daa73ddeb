import assert from "node:assert/strict";
import { architectureMetric, modelZoo } from "../lib/analyses/model_zoo.ts";
import { parameterMetric } from "../lib/analyses/history.ts";
import { ARCHITECTURES, countArchitecture } from "../lib/models/architectures.ts";
import { loadHistoryTable } from "../lib/history/tables.ts";
import type { Progress } from "../lib/train/progress.ts";

const DATA = new URL("../data", import.meta.url).pathname;
const settings = modelZoo.schema.parse({ kind: "modelZoo", tables: DATA });
const run = () => modelZoo.run(settings, { seed: 1, backend: "cpu", progress: {} as Progress });

Deno.test("architectureMetric names the counts as the history chapter names parameters", () => {
  for (const architecture of ARCHITECTURES) {
    assert.equal(
      architectureMetric(architecture.name, "Parameters"),
      parameterMetric(architecture.name),
    );
  }
  assert.equal(architectureMetric("ResNet-50", "MultiplyAdds"), "resnet50MultiplyAdds");
});

Deno.test("modelZoo reports every architecture's counted parameters and multiply-adds", async () => {
  const { final } = await run();
  assert.deepEqual(Object.keys(final).sort(), modelZoo.metrics(settings).sort());
  for (const architecture of ARCHITECTURES) {
    const counted = countArchitecture(architecture);
    assert.equal(final[architectureMetric(architecture.name, "Parameters")], counted.parameters);
    assert.equal(
      final[architectureMetric(architecture.name, "MultiplyAdds")],
      counted.multiplyAdds,
    );
    // The counts match each architecture's published figures within its stated tolerance.
    assert.equal(counted.parameters, architecture.published.parameters, architecture.name);
    if (architecture.published.multiplyAdds !== undefined) {
      const relative = Math.abs(counted.multiplyAdds / architecture.published.multiplyAdds - 1);
      assert.ok(relative <= architecture.published.multiplyAddsTolerance!, architecture.name);
    }
  }
});

Deno.test("modelZoo draws size and cost per year, and the published error of winners and papers", async () => {
  const { artifacts } = await run();
  const { zooParameters, zooMultiplyAdds, zooError, zooTable } = artifacts;
  assert.ok(zooParameters.kind === "timeSeries" && zooMultiplyAdds.kind === "timeSeries");
  assert.deepEqual(
    zooParameters.points.map((point) => [point.year, point.label]),
    ARCHITECTURES.map((architecture) => [architecture.year, architecture.name]),
  );
  assert.ok(zooError.kind === "timeSeries");
  const ilsvrc = await loadHistoryTable("ilsvrc", DATA);
  // Every winner once; AlexNet and GoogLeNet are their years' winning entries, marked counted.
  const winners = zooError.points.filter((point) => point.group !== "architecture");
  assert.deepEqual(
    winners.map((point) => [point.year, point.value]),
    ilsvrc.rows.map((row) => [row.year, row.top5ErrorPercent]),
  );
  assert.deepEqual(
    winners.filter((point) => point.group === "winner, counted").map((point) => point.label),
    ["AlexNet", "GoogLeNet (Inception v1)"],
  );
  // The zoo's other published errors (none yet) are drawn on their own.
  const papers = zooError.points.filter((point) => point.group === "architecture");
  assert.deepEqual(
    papers.map((point) => point.label),
    ARCHITECTURES.filter((a) =>
      a.top5ErrorPercent !== undefined &&
      !ilsvrc.rows.some((row) => row.year === a.year && row.top5ErrorPercent === a.top5ErrorPercent)
    ).map((a) => a.name),
  );
  assert.match(
    zooMultiplyAdds.description,
    /From AlexNet to VGG-16 the multiply–adds grew 21\.7-fold and the parameters 2\.3-fold/,
  );
  assert.ok(zooTable.kind === "table" && zooTable.rows.length === ARCHITECTURES.length);
  // Ordered sections: parameters, multiply–adds, error, table.
  assert.deepEqual(
    [zooParameters, zooMultiplyAdds, zooError, zooTable].map((artifact) => artifact.order),
    [10, 20, 30, 40],
  );
});
