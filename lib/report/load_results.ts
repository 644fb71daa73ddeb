/**
 * Reads and validates the three records of a run (`metrics.json`, `run.json`, `config.json`)
 * for the report. Every problem names the file, the field, what was expected and what was found.
 *
 * @module
 */

import { z } from "zod";
import { formatPath, keysAt, valueAt } from "../experiment/config_error.ts";
import type { MetricsRecord, ResolvedConfigRecord, RunRecord } from "../experiment/records.ts";
import { artifactSchema } from "./artifacts.ts";

/** The records of one run, validated. */
export interface LoadedResults {
  /** The contents of `metrics.json`. */
  metrics: MetricsRecord;
  /** The contents of `run.json`. */
  run: RunRecord;
  /** The contents of `config.json`. */
  config: ResolvedConfigRecord;
}

/**
 * Thrown when a record is missing, is not JSON, or does not have the expected shape.
 *
 * @example
 * ```ts
 * import { loadResults, ReportInputError } from "./load_results.ts";
 * try {
 *   await loadResults(await Deno.makeTempDir());
 *   throw new Error("an empty folder has no records");
 * } catch (error) {
 *   if (!(error instanceof ReportInputError)) throw error;
 * }
 * ```
 */
export class ReportInputError extends Error {
  /** The file at fault. */
  readonly file: string;
  /**
   * Creates the error; its message is the file, a colon, and the problem.
   *
   * @param file The file at fault.
   * @param problem What is wrong with it.
   */
  constructor(file: string, problem: string) {
    super(`${file}: ${problem}`);
    this.name = "ReportInputError";
    this.file = file;
  }
}

const jsonValue = z.json();

/**
 * A typed artifact, or (TEMPORARY, until the history task stores typed artifacts) any JSON value
 * without a `kind` field, accepted as it is. Remove the fallback once no records hold untyped
 * artifacts: this becomes `artifactSchema`.
 */
const artifactOrLegacy = jsonValue.superRefine((value, context) => {
  const typed = value !== null && typeof value === "object" && !Array.isArray(value) &&
    "kind" in value;
  if (!typed) return;
  const result = artifactSchema.safeParse(value);
  if (result.success) return;
  for (const issue of result.error.issues) {
    if (issue.code === "unrecognized_keys") {
      // Name the keys that are allowed there, which the record's schema cannot see.
      const valid = keysAt(artifactSchema, value, issue.path);
      context.addIssue({
        code: "custom",
        path: issue.path,
        message: `unexpected key${issue.keys.length === 1 ? "" : "s"} ${
          issue.keys.map((key) => JSON.stringify(key)).join(", ")
        }; expected only ${valid.join(", ")}`,
      });
    } else context.addIssue({ ...issue } as never);
  }
});
const bound = z.object({ atMost: z.number().optional(), atLeast: z.number().optional() });

const curvePoint = z.looseObject({ step: z.number(), epoch: z.number() })
  .catchall(z.number());

const summary = z.object({
  mean: z.number(),
  std: z.number(),
  min: z.number(),
  max: z.number(),
  n: z.number(),
});

const compared = z.looseObject({ variant: z.string(), metric: z.string(), value: z.number() });

/** A check: a published value (no `kind`), a comparison or a derived quantity. */
const checkSchema = z.union([
  z.looseObject({
    kind: z.literal("beats"),
    better: compared,
    worse: compared,
    direction: z.enum(["lower", "higher"]),
    margin: z.number(),
    value: z.number(),
    published: z.string().optional(),
    source: z.string(),
    pass: z.boolean(),
  }),
  z.looseObject({
    kind: z.literal("derived"),
    name: z.string(),
    description: z.string(),
    value: z.number().nullable(),
    published: z.number().optional(),
    bound,
    source: z.string(),
    pass: z.boolean(),
  }),
  z.looseObject({
    kind: z.undefined().optional(),
    variant: z.string(),
    metric: z.string(),
    value: z.number(),
    published: z.number(),
    bound,
    source: z.string(),
    pass: z.boolean(),
  }),
]);

/** The schema of `metrics.json`. */
export const METRICS_SCHEMA = z.looseObject({
  experiment: z.string(),
  profile: z.string(),
  backend: z.string(),
  trials: z.array(z.looseObject({
    variant: z.string(),
    seed: z.number(),
    final: z.record(z.string(), z.number()),
    curve: z.array(curvePoint),
    artifacts: z.record(z.string(), artifactOrLegacy),
  })),
  summary: z.record(z.string(), z.record(z.string(), summary)),
  checks: z.array(checkSchema),
  reproduced: z.boolean(),
});

/** The schema of `run.json`. */
export const RUN_SCHEMA = z.looseObject({
  experiment: z.string(),
  profile: z.string(),
  startedAt: z.string(),
  finishedAt: z.string(),
  wallSeconds: z.number(),
  command: z.array(z.string()),
  backend: z.looseObject({
    name: z.string(),
    reason: z.string(),
    hardwareGpu: z.boolean(),
    adapter: z.looseObject({
      vendor: z.string(),
      architecture: z.string(),
      device: z.string(),
      description: z.string(),
      isFallbackAdapter: z.boolean(),
    }).optional(),
  }),
  versions: z.looseObject({
    deno: z.string(),
    v8: z.string(),
    typescript: z.string(),
    tfjs: z.string(),
  }),
  machine: z.looseObject({
    cpuModel: z.string(),
    cpuCores: z.number(),
    os: z.string(),
    memoryGiB: z.number(),
  }),
  git: z.looseObject({ commit: z.string(), dirty: z.boolean() }),
  trials: z.array(z.looseObject({
    variant: z.string(),
    seed: z.number(),
    wallSeconds: z.number(),
    trainExamplesPerSecond: z.number().optional(),
    evalExamplesPerSecond: z.number().optional(),
  })),
  measurements: z.record(z.string(), jsonValue),
  measuredArtifacts: z.record(z.string(), artifactOrLegacy).optional(),
});

/** The schema of the header inside `config.json`. */
export const HEADER_SCHEMA = z.looseObject({
  id: z.string(),
  chapter: z.number(),
  title: z.string(),
  reproduces: z.looseObject({
    claim: z.string(),
    source: z.string(),
    url: z.string().optional(),
  }),
  kind: z.string(),
  variantLabels: z.record(z.string(), z.string()),
  expect: z.array(z.union([
    z.looseObject({ kind: z.enum(["beats", "derived"]), source: z.string() }),
    z.looseObject({
      kind: z.undefined().optional(),
      variant: z.string(),
      metric: z.string(),
      published: z.number(),
      source: z.string(),
      bounds: z.record(z.string(), bound),
    }),
  ])),
});

/** The schema of `config.json`. */
export const CONFIG_SCHEMA = z.looseObject({
  experiment: z.string(),
  profile: z.string(),
  header: HEADER_SCHEMA,
  overrides: z.array(z.looseObject({ path: z.string(), value: jsonValue, from: z.string() })),
  seeds: z.array(z.number()),
  variants: z.record(z.string(), jsonValue),
});

const ARTICLES: Record<string, string> = {
  array: "an array",
  object: "an object",
  number: "a number",
  string: "a string",
  boolean: "a boolean",
  record: "an object",
};

function describeFound(value: unknown): string {
  if (value === undefined) return "nothing";
  const text = JSON.stringify(value);
  if (text === undefined) return String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/**
 * Checks parsed JSON against a schema and describes the first problem in the words of the file.
 *
 * @param file The file's path, for the message.
 * @param data The parsed JSON.
 * @param schema The schema it must match.
 * @returns The data, typed.
 * @throws {ReportInputError} Naming the file, the field, what was expected and what was found.
 *
 * @example
 * ```ts
 * import { METRICS_SCHEMA, ReportInputError, validateRecord } from "./load_results.ts";
 * try {
 *   validateRecord("reports/cnn/metrics.json", { trials: "x" }, METRICS_SCHEMA);
 *   throw new Error("expected a ReportInputError");
 * } catch (error) {
 *   if (!(error instanceof ReportInputError)) throw error;
 * }
 * ```
 */
export function validateRecord<T>(file: string, data: unknown, schema: z.ZodType<T>): T {
  const result = schema.safeParse(data);
  if (result.success) return result.data;
  const issues = result.error.issues;
  const described = issues.slice(0, 3).map((issue) => {
    const where = formatPath(issue.path);
    const found = describeFound(valueAt(data, issue.path));
    // The issues of a typed artifact's own checks (e.g. the grid's shape) say what they found.
    if (issue.code === "custom") return `${where}: ${issue.message}`;
    const union = issue as { discriminator?: string; options?: unknown[] };
    const expected = issue.code === "invalid_type"
      ? `expected ${ARTICLES[issue.expected] ?? issue.expected}`
      : issue.code === "invalid_union" && union.options !== undefined
      ? `expected one of ${union.options.map((option) => JSON.stringify(option)).join(", ")}`
      : issue.message;
    return `${where}: ${expected}, found ${found}`;
  });
  const more = issues.length > 3 ? `; and ${issues.length - 3} more` : "";
  throw new ReportInputError(file, described.join("; ") + more);
}

async function readJson(file: string): Promise<unknown> {
  let text: string;
  try {
    text = await Deno.readTextFile(file);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) {
      throw new ReportInputError(file, "not found; run the experiment first to write it");
    }
    throw new ReportInputError(file, `could not be read: ${(error as Error).message}`);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new ReportInputError(
      file,
      `expected JSON, found text that does not parse: ${(error as Error).message}`,
    );
  }
}

/**
 * Reads and validates `metrics.json`, `run.json` and `config.json` of one run, and checks that
 * they belong to the same experiment and profile.
 *
 * @param directory The run's directory, e.g. `reports/cnn`.
 * @returns The three records.
 * @throws {ReportInputError} When a file is missing, not JSON, malformed, or from another run.
 *
 * @example
 * ```ts
 * import { loadResults, ReportInputError } from "./load_results.ts";
 * const dir = await Deno.makeTempDir();
 * try {
 *   await loadResults(dir);
 *   throw new Error("expected a ReportInputError");
 * } catch (error) {
 *   if (!(error instanceof ReportInputError) || !error.message.endsWith("not found; run the experiment first to write it")) throw error;
 * }
 * ```
 */
export async function loadResults(directory: string): Promise<LoadedResults> {
  const base = directory.replace(/\/+$/, "");
  const metricsFile = `${base}/metrics.json`;
  const runFile = `${base}/run.json`;
  const configFile = `${base}/config.json`;
  const metrics = validateRecord(metricsFile, await readJson(metricsFile), METRICS_SCHEMA);
  const run = validateRecord(runFile, await readJson(runFile), RUN_SCHEMA);
  const config = validateRecord(configFile, await readJson(configFile), CONFIG_SCHEMA);
  for (const [file, record] of [[runFile, run], [configFile, config]] as const) {
    if (record.experiment !== metrics.experiment) {
      throw new ReportInputError(
        file,
        `experiment: expected "${metrics.experiment}" (as in metrics.json), found "${record.experiment}"`,
      );
    }
    if (record.profile !== metrics.profile) {
      throw new ReportInputError(
        file,
        `profile: expected "${metrics.profile}" (as in metrics.json), found "${record.profile}"; the records are from different runs`,
      );
    }
  }
  return {
    metrics: metrics as MetricsRecord,
    run: run as RunRecord,
    config: config as ResolvedConfigRecord,
  };
}
