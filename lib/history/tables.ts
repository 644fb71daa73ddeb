/**
 * The historical tables of chapter 1 (`data/*.yaml`): their schemas, their row types, and the
 * loader that parses and validates them. A bad row is reported with its file, row index, row
 * name and field, and with what was expected and what was found.
 *
 * @module
 */

import { parse as parseYaml } from "yaml";
import { z } from "zod";
import { didYouMean } from "../experiment/nearest.ts";
import { keysAt, valueAt } from "../experiment/config_error.ts";
import { ARCHITECTURES } from "../models/architectures.ts";

/** What a field must hold, as the error messages say it. */
const EXPECTED = {
  text: "a non-empty string",
  positive: "a positive number",
  count: "a whole number >= 0",
  positiveCount: "a whole number >= 1",
  year: "a year (a whole number from 1800 to 2100)",
  percent: "a percentage from 0 to 100",
  flag: "true or false",
} as const;

const text = z.string({ error: EXPECTED.text }).min(1, { error: EXPECTED.text });
const positive = z.number({ error: EXPECTED.positive }).positive({ error: EXPECTED.positive });
const count = z.number({ error: EXPECTED.count }).int({ error: EXPECTED.count })
  .nonnegative({ error: EXPECTED.count });
const positiveCount = z.number({ error: EXPECTED.positiveCount })
  .int({ error: EXPECTED.positiveCount }).positive({ error: EXPECTED.positiveCount });
const year = z.number({ error: EXPECTED.year }).int({ error: EXPECTED.year })
  .min(1800, { error: EXPECTED.year }).max(2100, { error: EXPECTED.year });
const percent = z.number({ error: EXPECTED.percent }).min(0, { error: EXPECTED.percent })
  .max(100, { error: EXPECTED.percent });
const flag = z.boolean({ error: EXPECTED.flag });

/**
 * Fields every row has: where the value comes from, and honest marks for values that are not a
 * plain published number. `estimate`, `derived` and `unverified` rows must say why in `note`.
 */
const provenance = {
  source: text,
  note: text.optional(),
  /** Rounded in the source ("~"). */
  approximate: flag.optional(),
  /** Not published as a number (e.g. read off a plot). */
  estimate: flag.optional(),
  /** Arithmetic on published numbers. */
  derived: flag.optional(),
  /** Could not be checked against a primary source. */
  unverified: flag.optional(),
};

type Marked = {
  note?: string;
  estimate?: boolean;
  derived?: boolean;
  unverified?: boolean;
};

/** Adds the rule that a marked row explains its mark in `note`. */
function requireNoteForMarks<T extends z.ZodType<Marked>>(schema: T): T {
  return schema.superRefine((row, context) => {
    const marks = (["estimate", "derived", "unverified"] as const).filter((mark) => row[mark]);
    if (marks.length > 0 && row.note === undefined) {
      context.addIssue({
        code: "custom",
        path: ["note"],
        message: `a note explaining why the row is marked ${marks.join(" and ")}`,
      });
    }
  }) as unknown as T;
}

/** Wraps row schemas into a table: `title`, `source`, `rows` and any extra top-level fields. */
function tableSchema<Row extends z.ZodType, Extra extends z.ZodRawShape>(
  row: Row,
  extra: Extra,
) {
  return z.strictObject({
    title: text,
    source: text,
    rows: z.array(row, { error: "a list of rows" }).min(1, { error: "at least one row" }),
    ...extra,
  }, { error: "a mapping with title, source and rows" });
}

const ROW = { error: "a row (a mapping of fields)" };

/** A row of `brains.yaml`: neurons and synapses in an animal's brain. */
export const brainRowSchema = requireNoteForMarks(z.strictObject({
  name: text,
  neurons: positiveCount,
  neuronsApproximate: flag.optional(),
  /** null where the course gives no figure. */
  synapses: positive.nullable().optional(),
  synapsesApproximate: flag.optional(),
  /** The course's wording where it gives a range, e.g. `adult: 1e14 to 1e15`. */
  synapsesText: text.optional(),
  ...provenance,
}, ROW));

/** `brains.yaml`: the course's table of neurons and synapses per animal. */
export const brainsTableSchema = tableSchema(brainRowSchema, {
  /** Primary sources for single figures (the human brain). */
  primarySources: z.array(z.strictObject({
    name: text,
    quantity: text,
    value: positive,
    source: text,
  }, ROW)).optional(),
});

/** A row of `cortex_neurons.yaml`. */
export const cortexNeuronsRowSchema = requireNoteForMarks(z.strictObject({
  name: text,
  scientificName: text,
  neurons: positiveCount,
  ...provenance,
}, ROW));

/** `cortex_neurons.yaml`: neurons in the cerebral cortex per animal. */
export const cortexNeuronsTableSchema = tableSchema(cortexNeuronsRowSchema, {});

/** A row of `dataset_sizes.yaml`; `examples` is null where no count could be checked. */
export const datasetSizeRowSchema = requireNoteForMarks(z.strictObject({
  name: text,
  examples: count.nullable(),
  train: count.optional(),
  test: count.optional(),
  classes: positiveCount.optional(),
  /** What one example is: `images`, `videos`, `sentence pairs`, `flowers`. */
  unit: text,
  year,
  ...provenance,
}, ROW)).superRefine((row, context) => {
  if (row.examples === null && row.note === undefined) {
    context.addIssue({
      code: "custom",
      path: ["note"],
      message: "a note explaining why examples is null",
    });
  }
});

/** `dataset_sizes.yaml`: the data sets of Goodfellow et al. 2016, Fig. 1.8. */
export const datasetSizesTableSchema = tableSchema(datasetSizeRowSchema, {});

/** A row of `network_sizes.yaml`: one of the 20 networks of Goodfellow et al. 2016, Fig. 1.11. */
export const networkSizeRowSchema = requireNoteForMarks(z.strictObject({
  /** The network's number in the figure. */
  number: positiveCount,
  name: text,
  year,
  neurons: positive,
  parameters: positive.optional(),
  connections: positive.optional(),
  ...provenance,
}, ROW));

/** `network_sizes.yaml`: network sizes over time, with the figure's biological reference lines. */
export const networkSizesTableSchema = tableSchema(networkSizeRowSchema, {
  /** The book's claim: network size doubles about every this many years. */
  claimedDoublingYears: positive,
  /** The animals drawn as horizontal lines in the figure (a sponge has no neurons). */
  referenceLines: z.array(z.strictObject({ name: text, neurons: count, source: text }, ROW)),
});

/** A row of `ilsvrc.yaml`: a year's winner of the ILSVRC classification task. */
export const ilsvrcRowSchema = requireNoteForMarks(z.strictObject({
  year,
  team: text,
  top5ErrorPercent: percent,
  ...provenance,
}, ROW));

/** `ilsvrc.yaml`: ILSVRC top-5 error by year (Goodfellow et al. 2016, Fig. 1.12). */
export const ilsvrcTableSchema = tableSchema(ilsvrcRowSchema, {});

/** A row of `gpus.yaml`: peak throughput and memory of one GPU. */
export const gpuRowSchema = requireNoteForMarks(z.strictObject({
  name: text,
  year,
  /** Peak single precision without tensor cores. */
  fp32Tflops: positive,
  fp16Tflops: positive.optional(),
  tensorFp16Tflops: positive.optional(),
  tf32Tflops: positive.optional(),
  bf16DenseTflops: positive.optional(),
  bandwidthGbs: positive.optional(),
  memoryGb: positive.optional(),
  tdpWatts: positive.optional(),
  priceEur: positive.optional(),
  /** The price is "ca." or "from about" in its source. */
  priceApproximate: flag.optional(),
  /** When the price was quoted, e.g. `2017-03-01` or `2017-02`. */
  priceDate: text.optional(),
  chip: text.optional(),
  shaderCores: positiveCount.optional(),
  baseClockMhz: positive.optional(),
  boostClockMhz: positive.optional(),
  /** One of the three GPUs of the course's table. */
  inCourseTable: flag.optional(),
  ...provenance,
}, ROW));

/** `gpus.yaml`: the course's GPU table and the GPUs before and after it. */
export const gpusTableSchema = tableSchema(gpuRowSchema, {});

/** How MNIST images were prepared before training, as LeCun et al. 1998 list it. */
export const MNIST_PREPROCESSING = [
  "none",
  "deskewing",
  "distortions",
  "elastic distortions",
  "subsampling",
] as const;

/** A row of `mnist_results.yaml`: one method's MNIST test error. */
export const mnistResultRowSchema = requireNoteForMarks(z.strictObject({
  method: text,
  preprocessing: z.enum(MNIST_PREPROCESSING, {
    error: `one of ${MNIST_PREPROCESSING.join(", ")}`,
  }),
  testErrorPercent: percent,
  year,
  ...provenance,
}, ROW));

/** `mnist_results.yaml`: LeCun et al. 1998's error table and later results. */
export const mnistResultsTableSchema = tableSchema(mnistResultRowSchema, {});

/** The architectures the framework can count, by name (`lib/models/architectures.ts`). */
const ARCHITECTURE_NAMES = ARCHITECTURES.map((architecture) => architecture.name);

const architectureName = z.string({ error: EXPECTED.text }).refine(
  (name) => ARCHITECTURE_NAMES.includes(name),
  { error: `the name of an architecture the framework counts (${ARCHITECTURE_NAMES.join(", ")})` },
);

/** How a row of `connections_per_neuron.yaml` gives its value: exactly one of these fields. */
export const CONNECTIONS_PER_NEURON_SOURCES = [
  "connectionsPerNeuron",
  "architecture",
  "denseLayers",
] as const;

/**
 * A row of `connections_per_neuron.yaml`: one of the ten networks of Goodfellow et al. 2016,
 * Fig. 1.10, with its value given as a number, as a counted architecture's name, or as a fully
 * connected network's layer sizes.
 */
export const connectionsPerNeuronRowSchema = requireNoteForMarks(z.strictObject({
  /** The network's number in the figure and on the slide. */
  number: positiveCount,
  name: text,
  year,
  /** A value where the network cannot be counted; then an estimate, with a note. */
  connectionsPerNeuron: positive.optional(),
  /** A network the framework counts: one of `ARCHITECTURES`' names. */
  architecture: architectureName.optional(),
  /** A fully connected network's layer sizes, input first, as its paper states them. */
  denseLayers: z.array(positiveCount, { error: "a list of layer sizes, input first" })
    .min(2, { error: "a list of at least two layer sizes (input and output)" }).optional(),
  ...provenance,
}, ROW)).superRefine((row, context) => {
  const given = CONNECTIONS_PER_NEURON_SOURCES.filter((key) => row[key] !== undefined);
  if (given.length === 1) return;
  context.addIssue({
    code: "custom",
    path: [given[1] ?? CONNECTIONS_PER_NEURON_SOURCES[0]],
    message: `exactly one of ${CONNECTIONS_PER_NEURON_SOURCES.join(", ")}${
      given.length > 1 ? ` (the row also has ${given[0]})` : ""
    }`,
  });
});

/** A biological reference line of Fig. 1.10: synapses per neuron of an animal's brain. */
export const connectionsReferenceLineSchema = requireNoteForMarks(z.strictObject({
  name: text,
  connectionsPerNeuron: positive,
  ...provenance,
}, ROW));

/** `connections_per_neuron.yaml`: Goodfellow et al. 2016, Fig. 1.10, and its reference lines. */
export const connectionsPerNeuronTableSchema = tableSchema(connectionsPerNeuronRowSchema, {
  /** The animals drawn as horizontal lines in the figure. */
  referenceLines: z.array(connectionsReferenceLineSchema, { error: "a list of reference lines" })
    .min(1, { error: "at least one reference line" }),
});

/** The course's waves of neural networks, in order; `between` is the gap between the first two. */
export const WAVES = ["first", "between", "second", "third"] as const;

const wave = z.enum(WAVES, { error: `one of ${WAVES.join(", ")}` });

/**
 * A row of `neural_network_waves.yaml`: one paper or book of the course's tables. `year` is the
 * primary source's; `slideYear` and `slideAuthors` keep the slide's wording where it differs.
 */
export const waveWorkRowSchema = requireNoteForMarks(z.strictObject({
  wave,
  year,
  /** The slide's year, only where it differs from `year`. */
  slideYear: year.optional(),
  authors: text,
  /** The slide's spelling of the authors, only where it differs from `authors`. */
  slideAuthors: text.optional(),
  title: text.optional(),
  /** A short label for the timeline: the slide's main topic where it gives one. */
  topic: text.optional(),
  ...provenance,
}, ROW)).superRefine((row, context) => {
  if (row.title === undefined && row.topic === undefined) {
    context.addIssue({ code: "custom", path: ["title"], message: "a title or a topic" });
  }
  if (row.slideYear !== undefined && row.slideYear === row.year) {
    context.addIssue({
      code: "custom",
      path: ["slideYear"],
      message: `slideYear only where it differs from year (${row.year})`,
    });
  }
  if (row.slideAuthors !== undefined && row.slideAuthors === row.authors) {
    context.addIssue({
      code: "custom",
      path: ["slideAuthors"],
      message: "slideAuthors only where it differs from authors",
    });
  }
});

/** One of the course's three phases of neural networks, with the slides' characteristics. */
export const wavePhaseSchema = requireNoteForMarks(z.strictObject({
  wave,
  name: text,
  fromYear: year,
  /** The last year, where the slide gives one. */
  toYear: year.optional(),
  /** The slide's open end, e.g. `2020+ ?`, where it gives no last year. */
  toText: text.optional(),
  /** The slide's words on depth, e.g. `mostly 2-3 layers`. */
  layers: text,
  layersMin: positiveCount.optional(),
  layersMax: positiveCount.optional(),
  /** The slide's words on the number of training patterns, e.g. `100-10,000`. */
  trainingPatterns: text,
  trainingPatternsMin: positiveCount.optional(),
  trainingPatternsMax: positiveCount.optional(),
  industrialInterest: text,
  keyIdeas: z.array(text, { error: "a list of key ideas" }).min(1, {
    error: "at least one key idea",
  }),
  ...provenance,
}, ROW)).superRefine((phase, context) => {
  if ((phase.toYear === undefined) === (phase.toText === undefined)) {
    context.addIssue({
      code: "custom",
      path: ["toYear"],
      message: "exactly one of toYear and toText",
    });
  }
  if (phase.toYear !== undefined && phase.toYear < phase.fromYear) {
    context.addIssue({
      code: "custom",
      path: ["toYear"],
      message: `a year not before fromYear (${phase.fromYear})`,
    });
  }
  for (const range of ["layers", "trainingPatterns"] as const) {
    const min = phase[`${range}Min`];
    const max = phase[`${range}Max`];
    if (min !== undefined && max !== undefined && max < min) {
      context.addIssue({
        code: "custom",
        path: [`${range}Max`],
        message: `a number not below ${range}Min (${min})`,
      });
    }
  }
});

/** `neural_network_waves.yaml`: the course's tables of papers, 1943 to 2017, and its phases. */
export const neuralNetworkWavesTableSchema = tableSchema(waveWorkRowSchema, {
  phases: z.array(wavePhaseSchema, { error: "a list of phases" })
    .min(1, { error: "at least one phase" }),
});

/**
 * A row of `software_libraries.yaml`: a library of the course's slide, with the slide's year and
 * citation beside the first public release's year from a primary source.
 */
export const softwareLibraryRowSchema = requireNoteForMarks(z.strictObject({
  name: text,
  /** The slide's name, only where it differs from `name`. */
  slideName: text.optional(),
  slideYear: year,
  slideCitation: text,
  /** The year of the first public release. */
  releaseYear: year,
  /** What was released when, e.g. `Theano 0.1, 2009-04-02`. */
  firstRelease: text.optional(),
  /** Set where `slideYear` is not `releaseYear`; the note says why. */
  slideYearDiffers: flag.optional(),
  ...provenance,
}, ROW)).superRefine((row, context) => {
  const differs = row.slideYear !== row.releaseYear;
  if (differs !== (row.slideYearDiffers ?? false)) {
    context.addIssue({
      code: "custom",
      path: ["slideYearDiffers"],
      message: differs
        ? `true, since slideYear ${row.slideYear} differs from releaseYear ${row.releaseYear}`
        : `false or absent, since slideYear and releaseYear are both ${row.releaseYear}`,
    });
  }
  if (row.slideYearDiffers && row.note === undefined) {
    context.addIssue({
      code: "custom",
      path: ["note"],
      message: "a note explaining why the slide's year differs from the release year",
    });
  }
});

/** `software_libraries.yaml`: the course's deep-learning libraries, Theano to PyTorch. */
export const softwareLibrariesTableSchema = tableSchema(softwareLibraryRowSchema, {});

/** The name of a shipped table: its file name in `data/` without `.yaml`. */
export type HistoryTableName =
  | "brains"
  | "cortex_neurons"
  | "dataset_sizes"
  | "network_sizes"
  | "ilsvrc"
  | "gpus"
  | "mnist_results"
  | "connections_per_neuron"
  | "neural_network_waves"
  | "software_libraries";

/** The schema of every shipped table, by file name without `.yaml`. */
export const HISTORY_TABLE_SCHEMAS = {
  brains: brainsTableSchema,
  cortex_neurons: cortexNeuronsTableSchema,
  dataset_sizes: datasetSizesTableSchema,
  network_sizes: networkSizesTableSchema,
  ilsvrc: ilsvrcTableSchema,
  gpus: gpusTableSchema,
  mnist_results: mnistResultsTableSchema,
  connections_per_neuron: connectionsPerNeuronTableSchema,
  neural_network_waves: neuralNetworkWavesTableSchema,
  software_libraries: softwareLibrariesTableSchema,
} as const satisfies Record<HistoryTableName, unknown>;

/** Every table name, in a fixed order. */
export const HISTORY_TABLE_NAMES = Object.keys(HISTORY_TABLE_SCHEMAS) as HistoryTableName[];

/** A row of `brains.yaml`. */
export type BrainRow = z.output<typeof brainRowSchema>;
/** `brains.yaml`. */
export type BrainsTable = z.output<typeof brainsTableSchema>;
/** A row of `cortex_neurons.yaml`. */
export type CortexNeuronsRow = z.output<typeof cortexNeuronsRowSchema>;
/** `cortex_neurons.yaml`. */
export type CortexNeuronsTable = z.output<typeof cortexNeuronsTableSchema>;
/** A row of `dataset_sizes.yaml`. */
export type DatasetSizeRow = z.output<typeof datasetSizeRowSchema>;
/** `dataset_sizes.yaml`. */
export type DatasetSizesTable = z.output<typeof datasetSizesTableSchema>;
/** A row of `network_sizes.yaml`. */
export type NetworkSizeRow = z.output<typeof networkSizeRowSchema>;
/** `network_sizes.yaml`. */
export type NetworkSizesTable = z.output<typeof networkSizesTableSchema>;
/** A row of `ilsvrc.yaml`. */
export type IlsvrcRow = z.output<typeof ilsvrcRowSchema>;
/** `ilsvrc.yaml`. */
export type IlsvrcTable = z.output<typeof ilsvrcTableSchema>;
/** A row of `gpus.yaml`. */
export type GpuRow = z.output<typeof gpuRowSchema>;
/** `gpus.yaml`. */
export type GpusTable = z.output<typeof gpusTableSchema>;
/** A row of `mnist_results.yaml`. */
export type MnistResultRow = z.output<typeof mnistResultRowSchema>;
/** `mnist_results.yaml`. */
export type MnistResultsTable = z.output<typeof mnistResultsTableSchema>;
/** A row of `connections_per_neuron.yaml`. */
export type ConnectionsPerNeuronRow = z.output<typeof connectionsPerNeuronRowSchema>;
/** A reference line of `connections_per_neuron.yaml`. */
export type ConnectionsReferenceLine = z.output<typeof connectionsReferenceLineSchema>;
/** `connections_per_neuron.yaml`. */
export type ConnectionsPerNeuronTable = z.output<typeof connectionsPerNeuronTableSchema>;
/** A row of `neural_network_waves.yaml`: a paper or book. */
export type WaveWorkRow = z.output<typeof waveWorkRowSchema>;
/** A phase of `neural_network_waves.yaml`. */
export type WavePhase = z.output<typeof wavePhaseSchema>;
/** `neural_network_waves.yaml`. */
export type NeuralNetworkWavesTable = z.output<typeof neuralNetworkWavesTableSchema>;
/** A row of `software_libraries.yaml`. */
export type SoftwareLibraryRow = z.output<typeof softwareLibraryRowSchema>;
/** `software_libraries.yaml`. */
export type SoftwareLibrariesTable = z.output<typeof softwareLibrariesTableSchema>;

/** Every table's type, by name. */
export type HistoryTables = {
  [Name in HistoryTableName]: z.output<(typeof HISTORY_TABLE_SCHEMAS)[Name]>;
};

/**
 * A history table that cannot be read or does not match its schema. `message` holds one line per
 * problem, e.g. `data/gpus.yaml: rows[3] (GTX 980): fp32Tflops: expected a positive number,
 * found "fast"`.
 */
export class HistoryTableError extends Error {
  /** The problems, one line each. */
  readonly problems: string[];

  /**
   * Creates the error; its message is the problems joined by newlines.
   *
   * @param problems One line per problem.
   */
  constructor(problems: string[]) {
    super(problems.join("\n"));
    this.name = "HistoryTableError";
    this.problems = problems;
  }
}

/**
 * Validates a parsed table against its schema.
 *
 * @param name The table, e.g. `gpus`.
 * @param value The parsed YAML.
 * @param fileLabel The file, for messages, e.g. `data/gpus.yaml`.
 * @returns The table, typed.
 * @throws {HistoryTableError} Naming the file, row index, row name and field of each problem.
 *
 * @example
 * ```ts
 * import { validateHistoryTable } from "./tables.ts";
 * const table = validateHistoryTable("ilsvrc", {
 *   title: "ILSVRC",
 *   source: "Russakovsky et al. 2015",
 *   rows: [{ year: 2015, team: "ResNet", top5ErrorPercent: 3.57, source: "He et al. 2016" }],
 * }, "inline");
 * if (table.rows[0].top5ErrorPercent !== 3.57) throw new Error("not parsed");
 * ```
 */
export function validateHistoryTable<Name extends HistoryTableName>(
  name: Name,
  value: unknown,
  fileLabel: string,
): HistoryTables[Name] {
  const schema = schemaFor(name, fileLabel);
  const result = schema.safeParse(value);
  if (result.success) return result.data as HistoryTables[Name];
  const problems = result.error.issues.flatMap((issue) =>
    describeIssue(issue, name, schema, value, fileLabel)
  );
  throw new HistoryTableError(problems);
}

/**
 * Reads, parses and validates one table from `directory/name.yaml`.
 *
 * @param name The table, e.g. `gpus`.
 * @param directory The folder with the YAML files.
 * @returns The table, typed.
 * @throws {HistoryTableError} When the file is missing, is not YAML, or does not match.
 *
 * @example
 * ```ts
 * import { loadHistoryTable } from "./tables.ts";
 * const gpus = await loadHistoryTable("gpus", new URL("../../data", import.meta.url).pathname);
 * if (!gpus.rows.some((row) => row.name === "GTX 1080 Ti")) throw new Error("missing");
 * ```
 */
export async function loadHistoryTable<Name extends HistoryTableName>(
  name: Name,
  directory = "data",
): Promise<HistoryTables[Name]> {
  const fileLabel = `${directory}/${name}.yaml`;
  schemaFor(name, fileLabel);
  let source: string;
  try {
    source = await Deno.readTextFile(fileLabel);
  } catch (error) {
    throw new HistoryTableError([`${fileLabel}: cannot read the file: ${messageOf(error)}`]);
  }
  let parsed: unknown;
  try {
    parsed = parseYaml(source);
  } catch (error) {
    throw new HistoryTableError([
      `${fileLabel}: expected valid YAML, found an error: ${messageOf(error).split("\n")[0]}`,
    ]);
  }
  return validateHistoryTable(name, parsed, fileLabel);
}

/**
 * Loads every shipped table; reports the problems of all files at once.
 *
 * @param directory The folder with the YAML files.
 * @returns The tables by name.
 * @throws {HistoryTableError} With every problem of every file.
 *
 * @example
 * ```ts
 * import { loadHistoryTables } from "./tables.ts";
 * const tables = await loadHistoryTables(new URL("../../data", import.meta.url).pathname);
 * if (tables.network_sizes.rows.length !== 20) throw new Error("expected the 20 networks");
 * ```
 */
export async function loadHistoryTables(directory = "data"): Promise<HistoryTables> {
  const problems: string[] = [];
  const tables: Partial<Record<HistoryTableName, unknown>> = {};
  for (const name of HISTORY_TABLE_NAMES) {
    try {
      tables[name] = await loadHistoryTable(name, directory);
    } catch (error) {
      if (!(error instanceof HistoryTableError)) throw error;
      problems.push(...error.problems);
    }
  }
  if (problems.length > 0) throw new HistoryTableError(problems);
  return tables as HistoryTables;
}

function schemaFor(name: string, fileLabel: string): z.ZodType {
  if (!Object.hasOwn(HISTORY_TABLE_SCHEMAS, name)) {
    throw new HistoryTableError([
      `${fileLabel}: expected a table name (${HISTORY_TABLE_NAMES.join(", ")}), found ${
        JSON.stringify(name)
      }${didYouMean(name, HISTORY_TABLE_NAMES)}`,
    ]);
  }
  return HISTORY_TABLE_SCHEMAS[name as HistoryTableName] as unknown as z.ZodType;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Formats one zod issue as message lines. */
function describeIssue(
  issue: z.core.$ZodIssue,
  name: HistoryTableName,
  schema: z.ZodType,
  root: unknown,
  fileLabel: string,
): string[] {
  const where = `${fileLabel}: ${describePath(issue.path, name, root)}`;
  if (issue.code === "unrecognized_keys") {
    const valid = keysAt(schema, root, issue.path);
    return issue.keys.map((key) =>
      `${where}: unknown field ${JSON.stringify(key)}${didYouMean(key, valid)}; valid fields: ${
        valid.join(", ")
      }`
    );
  }
  return [`${where}: expected ${issue.message}, found ${describeFound(valueAt(root, issue.path))}`];
}

/** `rows[3] (GTX 980): fp32Tflops`, or `title`, or `(top level)`. */
function describePath(path: readonly PropertyKey[], name: HistoryTableName, root: unknown): string {
  const parts: string[] = [];
  let rest = path;
  if (path.length >= 2 && typeof path[1] === "number") {
    const row = valueAt(root, path.slice(0, 2));
    const label = path[0] === "rows" ? rowLabel(name, row) : nameLabel(row);
    parts.push(`${String(path[0])}[${path[1]}]${label === undefined ? "" : ` (${label})`}`);
    rest = path.slice(2);
  }
  if (rest.length > 0) {
    parts.push(
      rest.map((key, i) =>
        typeof key === "number" ? `[${key}]` : (i === 0 ? "" : ".") + String(key)
      )
        .join(""),
    );
  }
  return parts.length === 0 ? "(top level)" : parts.join(": ");
}

/** The row's name as a reader would look for it. */
function rowLabel(name: HistoryTableName, row: unknown): string | undefined {
  if (row === null || typeof row !== "object") return undefined;
  const fields = row as Record<string, unknown>;
  const label = (key: string) => typeof fields[key] === "string" ? fields[key] as string : "";
  const joined = name === "ilsvrc"
    ? [String(fields.year ?? ""), label("team")]
    : name === "mnist_results"
    ? [label("method"), label("preprocessing") && `(${label("preprocessing")})`]
    : name === "neural_network_waves"
    ? [String(fields.year ?? ""), label("authors")]
    : [label("name")];
  const text = joined.filter((part) => part !== "").join(" ");
  return text === "" ? undefined : text;
}

/** The `name` of an entry of a list other than `rows` (a reference line, a phase). */
function nameLabel(entry: unknown): string | undefined {
  if (entry === null || typeof entry !== "object") return undefined;
  const name = (entry as Record<string, unknown>).name;
  return typeof name === "string" && name !== "" ? name : undefined;
}

function describeFound(value: unknown): string {
  if (value === undefined) return "nothing";
  if (typeof value === "string") return JSON.stringify(value);
  if (Array.isArray(value)) return `a list of ${value.length}`;
  if (value !== null && typeof value === "object") return "a mapping";
  return String(value);
}
