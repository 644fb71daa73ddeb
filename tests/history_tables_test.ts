import assert from "node:assert/strict";
import { parse } from "yaml";
import {
  HISTORY_TABLE_NAMES,
  HistoryTableError,
  loadHistoryTable,
  loadHistoryTables,
  validateHistoryTable,
} from "../lib/history/tables.ts";

const DATA = new URL("../data", import.meta.url).pathname;

async function rawTable(name: string): Promise<{ rows: Record<string, unknown>[] }> {
  return parse(await Deno.readTextFile(`${DATA}/${name}.yaml`));
}

function problemsOf(run: () => unknown): string[] {
  try {
    run();
  } catch (error) {
    assert.ok(error instanceof HistoryTableError, `expected a HistoryTableError, got ${error}`);
    return error.problems;
  }
  assert.fail("expected a HistoryTableError, but nothing was thrown");
}

Deno.test("loadHistoryTables loads every shipped table, every row with a source", async () => {
  const tables = await loadHistoryTables(DATA);
  assert.deepEqual(Object.keys(tables).sort(), [...HISTORY_TABLE_NAMES].sort());
  for (const name of HISTORY_TABLE_NAMES) {
    for (const row of tables[name].rows) assert.ok(row.source.length > 0, name);
  }
});

Deno.test("loadHistoryTable keeps the course's figures", async () => {
  const brains = await loadHistoryTable("brains", DATA);
  const human = brains.rows.find((row) => row.name === "Human");
  assert.equal(human?.neurons, 86_000_000_000);
  assert.equal(human?.synapsesText, "adult: 1e14 to 1e15");
  const cortex = await loadHistoryTable("cortex_neurons", DATA);
  assert.equal(cortex.rows.find((row) => row.name === "Human")?.neurons, 16_300_000_000);
  const gpus = await loadHistoryTable("gpus", DATA);
  const course = gpus.rows.filter((row) => row.inCourseTable);
  assert.deepEqual(
    course.map((row) => [row.name, row.fp32Tflops, row.bandwidthGbs, row.memoryGb, row.priceEur]),
    [
      ["GTX 1080", 8.23, 320, 8, 600],
      ["Titan X (Pascal)", 10.16, 480, 12, 1300],
      ["GTX 1080 Ti", 11.47, 484, 11, 835],
    ],
  );
  // The course's TFLOP/s are shader cores x clock x 2 (base clock where heise gives one).
  for (const row of course) {
    const clock = row.baseClockMhz ?? row.boostClockMhz ?? 0;
    const computed = (row.shaderCores ?? 0) * clock * 2 / 1e6;
    assert.ok(Math.abs(computed - (row.fp32Tflops ?? 0)) < 0.01, `${row.name}: ${computed}`);
  }
});

Deno.test("loadHistoryTable keeps the marks of estimated and unverified values", async () => {
  const networks = await loadHistoryTable("network_sizes", DATA);
  assert.equal(networks.rows.length, 20);
  assert.deepEqual(
    networks.rows.map((row) => row.number),
    Array.from({ length: 20 }, (_, i) => i + 1),
  );
  const published = networks.rows.filter((row) => !row.estimate).map((row) => row.name);
  assert.deepEqual(published, [
    "LeNet-5",
    "GPU-accelerated multilayer perceptron",
    "Multi-GPU convolutional network",
  ]);
  assert.equal(networks.rows.find((row) => row.name === "LeNet-5")?.neurons, 8094);
  const ilsvrc = await loadHistoryTable("ilsvrc", DATA);
  assert.deepEqual(ilsvrc.rows.filter((row) => row.unverified).map((row) => row.year), [
    2010,
    2011,
  ]);
  const datasets = await loadHistoryTable("dataset_sizes", DATA);
  const hansard = datasets.rows.find((row) => row.name === "Canadian Hansard");
  assert.equal(hansard?.examples, null);
  assert.equal(hansard?.unverified, true);
});

Deno.test("validateHistoryTable rejects a wrong type naming file, row, field and the value", async () => {
  const gpus = await rawTable("gpus");
  gpus.rows[3].fp32Tflops = "fast";
  assert.deepEqual(problemsOf(() => validateHistoryTable("gpus", gpus, "data/gpus.yaml")), [
    'data/gpus.yaml: rows[3] (GTX 980): fp32Tflops: expected a positive number, found "fast"',
  ]);
});

Deno.test("validateHistoryTable rejects a row without a source", async () => {
  const brains = await rawTable("brains");
  delete brains.rows[0].source;
  assert.deepEqual(problemsOf(() => validateHistoryTable("brains", brains, "data/brains.yaml")), [
    "data/brains.yaml: rows[0] (Caenorhabditis elegans): source: expected a non-empty string, found nothing",
  ]);
});

Deno.test("validateHistoryTable rejects negative values", async () => {
  const datasets = await rawTable("dataset_sizes");
  datasets.rows[1].examples = -70000;
  const ilsvrc = await rawTable("ilsvrc");
  ilsvrc.rows[5].top5ErrorPercent = -3.57;
  assert.deepEqual(
    problemsOf(() => validateHistoryTable("dataset_sizes", datasets, "data/dataset_sizes.yaml")),
    ["data/dataset_sizes.yaml: rows[1] (MNIST): examples: expected a whole number >= 0, found -70000"],
  );
  assert.deepEqual(problemsOf(() => validateHistoryTable("ilsvrc", ilsvrc, "data/ilsvrc.yaml")), [
    "data/ilsvrc.yaml: rows[5] (2015 ResNet (MSRA)): top5ErrorPercent: expected a percentage from 0 to 100, found -3.57",
  ]);
});

Deno.test("validateHistoryTable rejects an unknown field and suggests the nearest", async () => {
  const gpus = await rawTable("gpus");
  gpus.rows[0].bandwidthGBs = gpus.rows[0].bandwidthGbs;
  delete gpus.rows[0].bandwidthGbs;
  const [problem] = problemsOf(() => validateHistoryTable("gpus", gpus, "data/gpus.yaml"));
  assert.match(
    problem,
    /^data\/gpus\.yaml: rows\[0\] \(GTX 580\): unknown field "bandwidthGBs" \(did you mean "bandwidthGbs"\?\); valid fields: name, year, fp32Tflops, /,
  );
});

Deno.test("validateHistoryTable requires a note on an estimate and a valid preprocessing", async () => {
  const networks = await rawTable("network_sizes");
  delete networks.rows[0].note;
  assert.deepEqual(
    problemsOf(() => validateHistoryTable("network_sizes", networks, "data/network_sizes.yaml")),
    [
      "data/network_sizes.yaml: rows[0] (Perceptron): note: expected a note explaining why the row is marked estimate, found nothing",
    ],
  );
  const mnist = await rawTable("mnist_results");
  mnist.rows[1].preprocessing = "deskewed";
  assert.deepEqual(
    problemsOf(() => validateHistoryTable("mnist_results", mnist, "data/mnist_results.yaml")),
    [
      'data/mnist_results.yaml: rows[1] (linear classifier (1-layer NN) (deskewed)): preprocessing: expected one of none, deskewing, distortions, elastic distortions, subsampling, found "deskewed"',
    ],
  );
});

Deno.test("validateHistoryTable reports every problem of a table at once", () => {
  const problems = problemsOf(() =>
    validateHistoryTable("ilsvrc", { title: "", rows: [{ year: 2012.5, team: "x" }] }, "f.yaml")
  );
  assert.deepEqual(problems, [
    'f.yaml: title: expected a non-empty string, found ""',
    "f.yaml: source: expected a non-empty string, found nothing",
    "f.yaml: rows[0] (2012.5 x): year: expected a year (a whole number from 1800 to 2100), found 2012.5",
    "f.yaml: rows[0] (2012.5 x): top5ErrorPercent: expected a percentage from 0 to 100, found nothing",
    "f.yaml: rows[0] (2012.5 x): source: expected a non-empty string, found nothing",
  ]);
});

Deno.test("loadHistoryTable names a missing file and an unknown table", async () => {
  await assert.rejects(() => loadHistoryTable("gpus", "/nonexistent"), (error) => {
    assert.ok(error instanceof HistoryTableError);
    assert.match(error.message, /^\/nonexistent\/gpus\.yaml: cannot read the file: /);
    return true;
  });
  await assert.rejects(
    // deno-lint-ignore no-explicit-any
    () => loadHistoryTable("gpu" as any, DATA),
    {
      name: "HistoryTableError",
      message:
        `${DATA}/gpu.yaml: expected a table name (brains, cortex_neurons, dataset_sizes, network_sizes, ilsvrc, gpus, mnist_results), found "gpu" (did you mean "gpus"?)`,
    },
  );
});
