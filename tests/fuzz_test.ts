/**
 * Bad input, fuzzed: random changes to experiment definitions, `--set` arguments, `--config`
 * YAML files, history tables and result records. Each must give a clear error of the input's kind
 * (naming the input) or a valid result that holds exactly what was asked: never another exception
 * (a crash with a stack trace), never a value silently replaced by a default.
 */

import assert from "node:assert/strict";
import fc from "fast-check";
import { parse as parseYaml } from "yaml";
import { resolveExperiment } from "../lib/experiment/resolve.ts";
import { ConfigError } from "../lib/experiment/config_error.ts";
import { overridesFromYaml, parseSetArgument } from "../lib/experiment/overrides.ts";
import { taskLookup } from "../lib/tasks/registry.ts";
import { HistoryTableError, validateHistoryTable } from "../lib/history/tables.ts";
import { METRICS_SCHEMA, ReportInputError, validateRecord } from "../lib/report/load_results.ts";
import cnn from "../experiments/cnn.ts";

const FILE = "experiments/cnn.ts";
const RUNS = { numRuns: 300, seed: 42 };

/** Every path to a leaf of a plain object, as key lists. */
function leaves(value: unknown, prefix: string[] = []): string[][] {
  if (value === null || typeof value !== "object") return [prefix];
  if (Array.isArray(value)) {
    return value.length === 0
      ? [prefix]
      : value.flatMap((item, i) => leaves(item, [...prefix, String(i)]));
  }
  const entries = Object.entries(value);
  return entries.length === 0
    ? [prefix]
    : entries.flatMap(([key, item]) => leaves(item, [...prefix, key]));
}

function setAt(root: Record<string, unknown>, path: string[], value: unknown): void {
  let node = root as Record<string, unknown>;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string, unknown>;
  node[path[path.length - 1]] = value;
}

function getAt(root: unknown, path: string[]): unknown {
  return path.reduce((node, key) => (node as Record<string, unknown>)?.[key], root);
}

/** Resolves, and returns the error only when it is a ConfigError; anything else fails the test. */
function resolveOrConfigError(definition: unknown, options = {}) {
  try {
    return { resolved: resolveExperiment(definition, FILE, taskLookup(), options) };
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    for (const line of error.problems) {
      assert.ok(line.length > 0 && !line.includes("[object Object]"), line);
    }
    return { error };
  }
}

const CNN_LEAVES = leaves(cnn);

Deno.test("resolveExperiment gives a ConfigError or exactly what a fuzzed definition says", () => {
  fc.assert(
    fc.property(fc.constantFrom(...CNN_LEAVES), fc.jsonValue({ maxDepth: 2 }), (path, value) => {
      const definition = structuredClone(cnn) as unknown as Record<string, unknown>;
      setAt(definition, path, value);
      const outcome = resolveOrConfigError(definition);
      if (!outcome.resolved) return;
      // No silent default: a base setting that no variant overrides holds the given value.
      const [first, ...rest] = path;
      if (["data", "train"].includes(first) && value !== null) {
        for (const variant of outcome.resolved.variants) {
          const resolvedValue = getAt(variant.settings, [first, ...rest]);
          if (resolvedValue !== undefined) assert.deepEqual(resolvedValue, value);
        }
      }
    }),
    RUNS,
  );
});

Deno.test("resolveExperiment gives a ConfigError for unknown keys and removed keys anywhere", () => {
  fc.assert(
    fc.property(
      fc.constantFrom(...CNN_LEAVES),
      fc.string({ minLength: 1, maxLength: 12 }),
      fc.boolean(),
      (path, key, remove) => {
        const definition = structuredClone(cnn) as unknown as Record<string, unknown>;
        const parent = path.length > 1 ? getAt(definition, path.slice(0, -1)) : definition;
        if (parent === null || typeof parent !== "object" || Array.isArray(parent)) return;
        if (remove) delete (parent as Record<string, unknown>)[path[path.length - 1]];
        else (parent as Record<string, unknown>)[`x${key}`] = 1;
        const outcome = resolveOrConfigError(definition);
        if (!remove) {
          assert.ok(outcome.error, `unknown key x${key} under ${path.slice(0, -1).join(".")}`);
        }
      },
    ),
    RUNS,
  );
});

Deno.test("--set arguments give a ConfigError or a valid resolution", () => {
  fc.assert(
    fc.property(
      fc.oneof(
        fc.string({ maxLength: 40 }),
        fc.tuple(
          fc.constantFrom(...CNN_LEAVES.map((p) => p.join("."))),
          fc.string({ maxLength: 12 }),
        )
          .map(([path, value]) => `${path}=${value}`),
      ),
      (argument) => {
        let override;
        try {
          override = parseSetArgument(argument);
        } catch (error) {
          assert.ok(error instanceof ConfigError, String(error));
          return;
        }
        resolveOrConfigError(cnn, { overrides: [override] });
      },
    ),
    RUNS,
  );
});

Deno.test("--config YAML files give a ConfigError or a valid resolution", () => {
  fc.assert(
    fc.property(
      fc.oneof(
        fc.string({ maxLength: 80 }),
        fc.dictionary(
          fc.constantFrom("train", "data", "model", "seeds", "epochs"),
          fc.jsonValue({ maxDepth: 2 }),
        )
          .map((object) => JSON.stringify(object)),
      ),
      (text) => {
        let overrides;
        try {
          overrides = overridesFromYaml(text, "my.yaml");
        } catch (error) {
          assert.ok(error instanceof ConfigError, String(error));
          assert.match((error as ConfigError).message, /^my\.yaml: /);
          return;
        }
        resolveOrConfigError(cnn, { overrides });
      },
    ),
    RUNS,
  );
});

Deno.test("history tables give a HistoryTableError naming the file or a valid table", async () => {
  const text = await Deno.readTextFile("data/gpus.yaml");
  const table = parseYaml(text);
  const paths = leaves(table);
  fc.assert(
    fc.property(fc.constantFrom(...paths), fc.jsonValue({ maxDepth: 1 }), (path, value) => {
      const copy = structuredClone(table);
      setAt(copy, path, value);
      try {
        validateHistoryTable("gpus", copy, "data/gpus.yaml");
      } catch (error) {
        assert.ok(error instanceof HistoryTableError, String(error));
        assert.match((error as Error).message, /data\/gpus\.yaml/);
      }
    }),
    RUNS,
  );
});

Deno.test("result records give a ReportInputError naming the file or a valid record", async () => {
  const metrics = JSON.parse(await Deno.readTextFile("reports/cnn/metrics.json"));
  // Trials have long curves: fuzz the summary, checks and the first trial's scalars.
  const small = {
    ...metrics,
    trials: metrics.trials.slice(0, 1).map((t: { curve: unknown[] }) => ({
      ...t,
      curve: t.curve.slice(0, 2),
    })),
  };
  const paths = leaves(small);
  fc.assert(
    fc.property(fc.constantFrom(...paths), fc.jsonValue({ maxDepth: 1 }), (path, value) => {
      const copy = structuredClone(small);
      setAt(copy, path, value);
      try {
        validateRecord("metrics.json", copy, METRICS_SCHEMA);
      } catch (error) {
        assert.ok(error instanceof ReportInputError, String(error));
        assert.match((error as Error).message, /^metrics\.json: /);
      }
    }),
    RUNS,
  );
});
