/**
 * The error for bad experiment input — a definition, a flag, a YAML file — and the formatting of
 * schema issues into messages that say which input, which key, what was expected and what was found.
 *
 * @module
 */

import type { z } from "zod";
import { didYouMean } from "./nearest.ts";

/**
 * Bad experiment input, found before anything trains. `message` holds one line per problem,
 * each starting with the input's label, e.g.
 * `experiments/cnn.ts: train.epochs: expected an integer >= 1, found -1`.
 *
 * @example
 * ```ts
 * import { ConfigError } from "./config_error.ts";
 * const error = new ConfigError(["a.ts: seeds: expected at least 1 items, found an array of 0"]);
 * if (error.problems.length !== 1 || !error.message.startsWith("a.ts: seeds")) throw error;
 * ```
 */
export class ConfigError extends Error {
  /** The problems, one line each. */
  readonly problems: string[];

  /**
   * Creates the error; its message is the problems joined by newlines.
   *
   * @param problems One line per problem.
   */
  constructor(problems: string[]) {
    super(problems.join("\n"));
    this.name = "ConfigError";
    this.problems = problems;
  }
}

/**
 * Describes a found value briefly for an error message: strings quoted, long values cut.
 *
 * @param value The value that was found.
 * @returns A short description.
 *
 * @example
 * ```ts
 * import { describeValue } from "./config_error.ts";
 * if (describeValue("3") !== '"3" (a string)') throw new Error(describeValue("3"));
 * ```
 */
export function describeValue(value: unknown): string {
  if (value === undefined) return "nothing";
  if (typeof value === "string") return `${JSON.stringify(value)} (a string)`;
  if (Array.isArray(value)) return `an array of ${value.length}`;
  if (value !== null && typeof value === "object") return "an object";
  const text = String(value);
  return text.length > 60 ? text.slice(0, 57) + "..." : text;
}

/** Formats a key path as `train.optimizer.kind` or `seeds[2]`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let text = "";
  for (const key of path) {
    text += typeof key === "number" ? `[${key}]` : (text === "" ? "" : ".") + String(key);
  }
  return text === "" ? "(top level)" : text;
}

/**
 * Turns zod issues into one message line each.
 *
 * @param label The input, e.g. `experiments/cnn.ts` or `--set train.epochs`.
 * @param issues Issues from `safeParse(value, { reportInput: true })`.
 * @param root The value that was parsed, to list valid keys for unknown ones.
 * @param schema The schema that was used, to find valid keys at the issue's path.
 * @param prefix A path prefix to show before each issue's own path.
 * @returns The lines.
 */
export function formatIssues(
  label: string,
  issues: readonly z.core.$ZodIssue[],
  schema: z.ZodType,
  root: unknown,
  prefix: readonly PropertyKey[] = [],
): string[] {
  return issues.flatMap((issue) => {
    const path = [...prefix, ...issue.path];
    const where = `${label}: ${formatPath(path)}`;
    const found = describeValue((issue as { input?: unknown }).input);
    switch (issue.code) {
      case "unrecognized_keys": {
        const valid = keysAt(schema, root, issue.path);
        return issue.keys.map((key) =>
          `${label}: ${formatPath([...path, key])}: unknown key${
            didYouMean(key, valid)
          }; valid keys here: ${valid.join(", ")}`
        );
      }
      case "invalid_type":
        return [`${where}: expected ${article(issue.expected)}, found ${found}`];
      case "too_small":
        return [
          `${where}: expected ${issue.origin === "array" ? "at least" : ">="}${
            issue.inclusive ? "" : " (exclusive)"
          } ${String(issue.minimum)}${issue.origin === "array" ? " items" : ""}, found ${
            issue.origin === "array" ? found : found
          }`,
        ];
      case "too_big":
        return [
          `${where}: expected ${issue.origin === "array" ? "at most" : "<="}${
            issue.inclusive ? "" : " (exclusive)"
          } ${String(issue.maximum)}${issue.origin === "array" ? " items" : ""}, found ${found}`,
        ];
      case "invalid_value":
        return [
          `${where}: expected one of ${
            issue.values.map((v) => JSON.stringify(v)).join(", ")
          }, found ${describeValue(issue.input)}${
            typeof issue.input === "string"
              ? didYouMean(issue.input, issue.values.map((v) => String(v)))
              : ""
          }`,
        ];
      case "invalid_union": {
        const union = issue as {
          discriminator?: string;
          options?: unknown[];
          errors: z.core.$ZodIssue[][];
          input?: unknown;
        };
        if (union.discriminator !== undefined && union.options !== undefined) {
          const value = (union.input as Record<string, unknown> | undefined)?.[
            union.discriminator
          ];
          const choices = union.options.map((option) => String(option));
          return [
            `${where}: expected one of ${
              choices.map((choice) => JSON.stringify(choice)).join(", ")
            }, found ${describeValue(value)}${
              typeof value === "string" ? didYouMean(value, choices) : ""
            }`,
          ];
        }
        // A plain union: name each alternative's type when none matched at the top level, else
        // explain the alternative that came closest (the fewest problems).
        const topLevel = union.errors.map((errors) =>
          errors.length === 1 && errors[0].code === "invalid_type" && errors[0].path.length === 0
            ? article((errors[0] as { expected: string }).expected)
            : undefined
        );
        if (topLevel.every((type) => type !== undefined)) {
          return [`${where}: expected ${[...new Set(topLevel)].join(" or ")}, found ${found}`];
        }
        const closest = union.errors.filter((_, i) => topLevel[i] === undefined)
          .sort((a, b) => a.length - b.length)[0];
        return formatIssues(label, closest, schema, root, path);
      }
      default:
        return [`${where}: ${issue.message}${found === "nothing" ? "" : `, found ${found}`}`];
    }
  });
}

function article(type: string): string {
  if (type === "int") return "an integer";
  if (type === "array" || type === "object" || type === "integer") return `an ${type}`;
  return `a ${type}`;
}

/**
 * The value at a key path inside parsed data, or `undefined` where the path leaves the data.
 *
 * @param root The parsed data.
 * @param path Keys and indices, as in a zod issue.
 * @returns The value found there.
 *
 * @example
 * ```ts
 * import { valueAt } from "./config_error.ts";
 * if (valueAt({ rows: [{ year: 1998 }] }, ["rows", 0, "year"]) !== 1998) throw new Error("wrong");
 * ```
 */
export function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let value = root;
  for (const key of path) {
    if (value === null || typeof value !== "object") return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

/** The keys an object schema accepts at `path` (following the parsed value for unions). */
export function keysAt(schema: z.ZodType, root: unknown, path: readonly PropertyKey[]): string[] {
  let node: unknown = schema;
  let value: unknown = root;
  for (const key of [...path, undefined]) {
    node = unwrap(node, value);
    if (key === undefined) break;
    const def = defOf(node);
    if (def?.type === "object") node = (def.shape as Record<string, unknown>)[String(key)];
    else if (def?.type === "array") node = def.element;
    else if (def?.type === "record") node = def.valueType;
    else return [];
    value = value !== null && typeof value === "object"
      ? (value as Record<PropertyKey, unknown>)[key as string]
      : undefined;
  }
  const def = defOf(node);
  return def?.type === "object" ? Object.keys(def.shape as object) : [];
}

function defOf(node: unknown): Record<string, unknown> | undefined {
  return (node as { _zod?: { def?: Record<string, unknown> } } | undefined)?._zod?.def;
}

function unwrap(node: unknown, value: unknown): unknown {
  for (;;) {
    const def = defOf(node);
    if (!def) return node;
    if (["optional", "default", "nullable", "prefault", "readonly"].includes(def.type as string)) {
      node = def.innerType;
    } else if (def.type === "pipe") {
      node = def.in;
    } else if (def.type === "union") {
      const options = def.options as unknown[];
      const discriminator = def.discriminator as string | undefined;
      const wanted = discriminator && value && typeof value === "object"
        ? (value as Record<string, unknown>)[discriminator]
        : undefined;
      const match = options.find((option) => {
        const shape = defOf(unwrap(option, undefined))?.shape as
          | Record<string, unknown>
          | undefined;
        const literal = shape && discriminator ? defOf(shape[discriminator]) : undefined;
        return (literal?.values as unknown[] | undefined)?.includes(wanted);
      });
      node = match ?? options[0];
    } else {
      return node;
    }
  }
}
