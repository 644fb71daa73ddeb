import assert from "node:assert/strict";
import { parse } from "yaml";
import {
  HISTORY_TABLE_NAMES,
  HistoryTableError,
  loadHistoryTable,
  loadHistoryTables,
  validateHistoryTable,
} from "../lib/history/tables.ts";
import { ARCHITECTURES } from "../lib/models/architectures.ts";

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
    "Adaline",
    "Early back-propagation network",
    "LeNet-5",
    "Deep belief network",
    "GPU-accelerated multilayer perceptron",
    "Multi-GPU convolutional network",
    "GoogLeNet",
  ]);
  assert.equal(networks.rows.find((row) => row.name === "LeNet-5")?.neurons, 8094);
  // Every row is either a stated count, derived (with its arithmetic), or an estimate.
  for (const row of networks.rows) {
    assert.ok(!(row.estimate && row.derived), `${row.name}: both estimate and derived`);
  }
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

Deno.test("loadHistoryTable derives Fig. 1.11's counts from the papers' layer sizes", async () => {
  const networks = await loadHistoryTable("network_sizes", DATA);
  const neurons = (name: string) => networks.rows.find((row) => row.name === name)?.neurons;
  // Rumelhart, Hinton & Williams 1986, the family-tree network: 6 + 6, 12, 6 hidden, 24 output.
  assert.equal(neurons("Early back-propagation network"), 6 + 6 + 12 + 6 + 24);
  // Hinton, Osindero & Teh 2006, Fig. 1: 500, 500, 2000 hidden units and 10 label units.
  assert.equal(neurons("Deep belief network"), 500 + 500 + 2000 + 10);
  // Szegedy et al. 2015, Table 1: output size x channels of every layer with weights.
  const inception = (side: number, channels: number[]) =>
    side * side * channels.reduce((sum, value) => sum + value, 0);
  const googLeNet = 112 * 112 * 64 + 56 * 56 * 64 + 56 * 56 * 192 +
    inception(28, [64, 96, 128, 16, 32, 32]) + inception(28, [128, 128, 192, 32, 96, 64]) +
    inception(14, [192, 96, 208, 16, 48, 64]) + inception(14, [160, 112, 224, 24, 64, 64]) +
    inception(14, [128, 128, 256, 24, 64, 64]) + inception(14, [112, 144, 288, 32, 64, 64]) +
    inception(14, [256, 160, 320, 32, 128, 128]) + inception(7, [256, 160, 320, 32, 128, 128]) +
    inception(7, [384, 192, 384, 48, 128, 128]) + 1000;
  assert.equal(neurons("GoogLeNet"), googLeNet);
  assert.equal(googLeNet, 3_227_160);
});

Deno.test("loadHistoryTable keeps Fig. 1.10's ten networks and four reference lines", async () => {
  const table = await loadHistoryTable("connections_per_neuron", DATA);
  assert.deepEqual(table.rows.map((row) => [row.number, row.year]), [
    [1, 1960],
    [2, 1980],
    [3, 2006],
    [4, 2009],
    [5, 2009],
    [6, 2010],
    [7, 2012],
    [8, 2012],
    [9, 2013],
    [10, 2014],
  ]);
  assert.deepEqual(
    table.rows.filter((row) => row.architecture !== undefined).map((row) => row.architecture),
    ["AlexNet", "GoogLeNet (Inception v1)"],
  );
  // A value given as a number is an estimate: the figure publishes none.
  for (const row of table.rows.filter((row) => row.connectionsPerNeuron !== undefined)) {
    assert.equal(row.estimate, true, row.name);
  }
  assert.deepEqual(table.referenceLines.map((line) => line.name), [
    "Fruit fly",
    "Mouse",
    "Cat",
    "Human",
  ]);
});

Deno.test("loadHistoryTable keeps the waves' papers in order, with the slides' typos noted", async () => {
  const waves = await loadHistoryTable("neural_network_waves", DATA);
  // The slides' year ranges per table.
  const ranges = {
    first: [1943, 1969],
    between: [1973, 1982],
    second: [1982, 1997],
    third: [2006, 2017],
  };
  const order = ["first", "between", "second", "third"];
  let previous = 0;
  for (const row of waves.rows) {
    const [from, to] = ranges[row.wave];
    assert.ok(
      row.year >= from && row.year <= to,
      `${row.year} ${row.authors}: outside ${row.wave}`,
    );
    assert.ok(order.indexOf(row.wave) >= previous, `${row.authors}: out of wave order`);
    previous = order.indexOf(row.wave);
  }
  assert.equal(waves.rows.filter((row) => row.wave === "first").length, 7);
  const lstm = waves.rows.find((row) => row.title === "Long short-term memory");
  assert.equal(lstm?.authors, "Sepp Hochreiter, Jürgen Schmidhuber");
  assert.equal(lstm?.slideAuthors, "J. Hochreiter, J. Schmidhuber");
  const batchNorm = waves.rows.find((row) => row.topic === "batch normalization");
  assert.deepEqual([batchNorm?.year, batchNorm?.slideYear], [2015, 2014]);
  assert.deepEqual(
    waves.phases.map((phase) => [
      phase.wave,
      phase.layersMin,
      phase.layersMax,
      phase.trainingPatternsMin,
      phase.trainingPatternsMax,
    ]),
    [
      ["first", 1, 1, 1, 100],
      ["second", 2, 3, 100, 10_000],
      ["third", undefined, undefined, 1_000_000, undefined],
    ],
  );
});

Deno.test("loadHistoryTable marks the libraries whose slide year is not the release year", async () => {
  const libraries = await loadHistoryTable("software_libraries", DATA);
  assert.deepEqual(
    libraries.rows.map((row) => [row.name, row.slideYear, row.releaseYear]),
    [
      ["Theano", 2010, 2009],
      ["Caffe", 2013, 2013],
      ["Torch7", 2011, 2011],
      ["Pylearn2", 2013, 2013],
      ["TensorFlow", 2015, 2015],
      ["CNTK", 2016, 2015],
      ["TensorFlow 2.0", 2017, 2019],
      ["PyTorch", 2017, 2017],
    ],
  );
  for (const row of libraries.rows) {
    assert.equal(row.slideYearDiffers ?? false, row.slideYear !== row.releaseYear, row.name);
  }
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
        `${DATA}/gpu.yaml: expected a table name (brains, cortex_neurons, dataset_sizes, network_sizes, ilsvrc, gpus, mnist_results, connections_per_neuron, neural_network_waves, software_libraries), found "gpu" (did you mean "gpus"?)`,
    },
  );
});

Deno.test("validateHistoryTable rejects bad rows of connections_per_neuron.yaml", async () => {
  const file = "data/connections_per_neuron.yaml";
  const check = (edit: (table: Record<string, Record<string, unknown>[]>) => void) => {
    return rawTable("connections_per_neuron").then((table) => {
      edit(table as unknown as Record<string, Record<string, unknown>[]>);
      return problemsOf(() => validateHistoryTable("connections_per_neuron", table, file));
    });
  };
  assert.deepEqual(await check((table) => delete table.rows[7].source), [
    `${file}: rows[7] (Multi-GPU convolutional network): source: expected a non-empty string, found nothing`,
  ]);
  assert.deepEqual(await check((table) => delete table.referenceLines[3].note), [
    `${file}: referenceLines[3] (Human): note: expected a note explaining why the row is marked estimate, found nothing`,
  ]);
  assert.deepEqual(await check((table) => (table.rows[5].denseLayers = "784-2500-10")), [
    `${file}: rows[5] (GPU-accelerated multilayer perceptron): denseLayers: expected a list of layer sizes, input first, found "784-2500-10"`,
  ]);
  assert.deepEqual(await check((table) => (table.rows[9].architecture = "GoogleNet")), [
    `${file}: rows[9] (GoogLeNet): architecture: expected the name of an architecture the framework counts (${
      ARCHITECTURES.map((architecture) => architecture.name).join(", ")
    }), found "GoogleNet"`,
  ]);
  assert.deepEqual(await check((table) => (table.rows[7].connectionsPerNeuron = 1000)), [
    `${file}: rows[7] (Multi-GPU convolutional network): architecture: expected exactly one of connectionsPerNeuron, architecture, denseLayers (the row also has connectionsPerNeuron), found "AlexNet"`,
  ]);
  assert.deepEqual(await check((table) => delete table.rows[1].connectionsPerNeuron), [
    `${file}: rows[1] (Neocognitron): connectionsPerNeuron: expected exactly one of connectionsPerNeuron, architecture, denseLayers, found nothing`,
  ]);
  const [unknown] = await check((table) => (table.rows[0].connectionPerNeuron = 16));
  assert.match(
    unknown,
    /^data\/connections_per_neuron\.yaml: rows\[0\] \(Adaptive linear element \(Adaline\)\): unknown field "connectionPerNeuron" \(did you mean "connectionsPerNeuron"\?\); valid fields: number, name, year, /,
  );
});

Deno.test("validateHistoryTable rejects bad rows and phases of neural_network_waves.yaml", async () => {
  const file = "data/neural_network_waves.yaml";
  const check = async (edit: (table: Record<string, Record<string, unknown>[]>) => void) => {
    const table = await rawTable("neural_network_waves");
    edit(table as unknown as Record<string, Record<string, unknown>[]>);
    return problemsOf(() => validateHistoryTable("neural_network_waves", table, file));
  };
  assert.deepEqual(await check((table) => delete table.rows[0].source), [
    `${file}: rows[0] (1943 Warren S. McCulloch, Walter Pitts): source: expected a non-empty string, found nothing`,
  ]);
  assert.deepEqual(await check((table) => (table.rows[1].wave = "fourth")), [
    `${file}: rows[1] (1947 Walter Pitts, Warren S. McCulloch): wave: expected one of first, between, second, third, found "fourth"`,
  ]);
  assert.deepEqual(await check((table) => (table.rows[2].unverified = true)), [
    `${file}: rows[2] (1949 Donald O. Hebb): note: expected a note explaining why the row is marked unverified, found nothing`,
  ]);
  assert.deepEqual(await check((table) => (table.rows[0].slideYear = 1943)), [
    `${file}: rows[0] (1943 Warren S. McCulloch, Walter Pitts): slideYear: expected slideYear only where it differs from year (1943), found 1943`,
  ]);
  const [unknown] = await check((table) => (table.rows[0].slideyear = 1942));
  assert.match(
    unknown,
    /^data\/neural_network_waves\.yaml: rows\[0\] \(1943 Warren S\. McCulloch, Walter Pitts\): unknown field "slideyear" \(did you mean "slideYear"\?\); valid fields: wave, year, slideYear, /,
  );
  assert.deepEqual(await check((table) => (table.phases[2].toYear = 2020)), [
    `${file}: phases[2] (Third phase): toYear: expected exactly one of toYear and toText, found 2020`,
  ]);
  assert.deepEqual(await check((table) => (table.phases[1].trainingPatternsMax = 10)), [
    `${file}: phases[1] (Second phase): trainingPatternsMax: expected a number not below trainingPatternsMin (100), found 10`,
  ]);
});

Deno.test("validateHistoryTable rejects bad rows of software_libraries.yaml and gpus.yaml", async () => {
  const file = "data/software_libraries.yaml";
  const check = async (edit: (rows: Record<string, unknown>[]) => void) => {
    const table = await rawTable("software_libraries");
    edit(table.rows);
    return problemsOf(() => validateHistoryTable("software_libraries", table, file));
  };
  assert.deepEqual(await check((rows) => delete rows[6].slideYearDiffers), [
    `${file}: rows[6] (TensorFlow 2.0): slideYearDiffers: expected true, since slideYear 2017 differs from releaseYear 2019, found nothing`,
  ]);
  assert.deepEqual(
    await check((rows) => {
      rows[7].slideYearDiffers = true;
      delete rows[7].note;
    }),
    [
      `${file}: rows[7] (PyTorch): slideYearDiffers: expected false or absent, since slideYear and releaseYear are both 2017, found true`,
      `${file}: rows[7] (PyTorch): note: expected a note explaining why the slide's year differs from the release year, found nothing`,
    ],
  );
  assert.deepEqual(await check((rows) => (rows[0].releaseYear = "2009")), [
    `${file}: rows[0] (Theano): releaseYear: expected a year (a whole number from 1800 to 2100), found "2009"`,
  ]);
  assert.deepEqual(await check((rows) => delete rows[4].source), [
    `${file}: rows[4] (TensorFlow): source: expected a non-empty string, found nothing`,
  ]);
  const [unknown] = await check((rows) => (rows[0].releaseyear = 2009));
  assert.match(
    unknown,
    /^data\/software_libraries\.yaml: rows\[0\] \(Theano\): unknown field "releaseyear" \(did you mean "releaseYear"\?\); valid fields: name, slideName, /,
  );
  const gpus = await rawTable("gpus");
  const gp100 = gpus.rows.findIndex((row) => row.name === "Quadro GP100");
  const gpuProblems = (edit: (row: Record<string, unknown>) => void) => {
    const table = structuredClone(gpus);
    edit(table.rows[gp100]);
    return problemsOf(() => validateHistoryTable("gpus", table, "data/gpus.yaml"));
  };
  assert.deepEqual(gpuProblems((row) => (row.priceEur = "ca. 6.400")), [
    `data/gpus.yaml: rows[${gp100}] (Quadro GP100): priceEur: expected a positive number, found "ca. 6.400"`,
  ]);
  // The GP100's FP32 figure is unverified, so the row must say why.
  assert.deepEqual(gpuProblems((row) => delete row.note), [
    `data/gpus.yaml: rows[${gp100}] (Quadro GP100): note: expected a note explaining why the row is marked unverified, found nothing`,
  ]);
});
