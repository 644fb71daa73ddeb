/**
 * Overrides: `--set train.epochs=3`, a profile's entries and a `--config` YAML file all become a
 * list of `(path, value)` pairs. An override must name a key that exists; a wrong one is an error
 * that suggests the nearest valid key. Types are checked afterwards by the schema.
 *
 * @module
 */

import { parse as parseYaml } from "yaml";
import type { JsonValue } from "./records.ts";
import { ConfigError, describeValue } from "./config_error.ts";
import { didYouMean } from "./nearest.ts";

/** One override and where it came from (for error messages and `config.json`). */
export interface Override {
  /** Dotted path, e.g. `train.optimizer.learningRate`. */
  path: string;
  /** The value to put at `path`: any JSON value, e.g. `3`, `"adam"` or `[1, 2]`. */
  value: JsonValue;
  /** E.g. `--set`, `profile ci`, `my.yaml`. */
  from: string;
}

/**
 * Parses one `--set key=value` argument. The value is read as YAML, so `3` is a number,
 * `true` a boolean, `[1,2]` an array and `adam` a string.
 *
 * @param argument The text after `--set`.
 * @returns The override.
 * @throws {ConfigError} When there is no `=` or no key.
 *
 * @example
 * ```ts
 * import { parseSetArgument } from "./overrides.ts";
 * const o = parseSetArgument("train.epochs=3");
 * if (o.path !== "train.epochs" || o.value !== 3) throw new Error("wrong");
 * ```
 */
export function parseSetArgument(argument: string): Override {
  const equals = argument.indexOf("=");
  if (equals <= 0) {
    throw new ConfigError([
      `--set ${argument}: expected key=value (e.g. --set train.epochs=3), found no "="`,
    ]);
  }
  const path = argument.slice(0, equals).trim();
  const text = argument.slice(equals + 1);
  let value: JsonValue;
  try {
    value = (text.trim() === "" ? "" : parseYaml(text, { logLevel: "error" })) as JsonValue;
  } catch (error) {
    throw new ConfigError([
      `--set ${argument}: expected a YAML value after "=", found ${JSON.stringify(text)} (${
        (error as Error).message.split("\n")[0]
      })`,
    ]);
  }
  return { path, value, from: "--set" };
}

/**
 * Reads a `--config` YAML file of nested overrides into a flat list. Nested mappings become dotted
 * paths; lists and scalars are values.
 *
 * @param text The file's text.
 * @param label The file's name, for messages.
 * @returns The overrides in file order.
 * @throws {ConfigError} For invalid YAML or a top level that is not a mapping.
 *
 * @example
 * ```ts
 * import { overridesFromYaml } from "./overrides.ts";
 * const list = overridesFromYaml("train:\n  epochs: 2\nseeds: [1, 2]\n", "my.yaml");
 * if (list[0].path !== "train.epochs" || list[1].path !== "seeds") throw new Error("wrong");
 * ```
 */
export function overridesFromYaml(text: string, label: string): Override[] {
  let parsed: unknown;
  try {
    parsed = parseYaml(text, { logLevel: "error" });
  } catch (error) {
    throw new ConfigError([
      `${label}: expected valid YAML, found an error: ${(error as Error).message}`,
    ]);
  }
  if (parsed === null || parsed === undefined) return [];
  if (typeof parsed !== "object" || Array.isArray(parsed)) {
    throw new ConfigError([
      `${label}: expected a mapping of settings (e.g. "train:\\n  epochs: 3"), found ${
        describeValue(parsed)
      }`,
    ]);
  }
  return flatten(parsed as Record<string, unknown>, "").map(([path, value]) => ({
    path,
    value,
    from: label,
  }));
}

/**
 * Turns a profile's `{ "train.epochs": 2, data: { trainSize: 1000 } }` into overrides.
 *
 * @param entries The profile's entries.
 * @param from Where they came from.
 * @returns The overrides.
 *
 * @example
 * ```ts
 * import { overridesFromEntries } from "./overrides.ts";
 * const list = overridesFromEntries({ "train.epochs": 2 }, "profile ci");
 * if (list[0].path !== "train.epochs") throw new Error("wrong");
 * ```
 */
export function overridesFromEntries(entries: Record<string, unknown>, from: string): Override[] {
  return flatten(entries, "").map(([path, value]) => ({ path, value, from }));
}

function flatten(object: Record<string, unknown>, prefix: string): [string, JsonValue][] {
  return Object.entries(object).flatMap(([key, value]) => {
    const path = prefix === "" ? key : `${prefix}.${key}`;
    return value !== null && typeof value === "object" && !Array.isArray(value)
      ? flatten(value as Record<string, unknown>, path)
      : [[path, value as JsonValue] as [string, JsonValue]];
  });
}

/**
 * Sets the value at a dotted path in `target`, which is changed in place. Every segment must exist
 * already: an object key, an array index, or the `name` of an element of an array of named objects
 * (so `variants.mlp.settings` works).
 *
 * @param target The object to change.
 * @param override The override.
 * @param label What `target` is, for messages (e.g. `experiments/cnn.ts`).
 * @throws {ConfigError} When the path does not exist; the message names the nearest valid key.
 *
 * @example
 * ```ts
 * import { applyOverride } from "./overrides.ts";
 * const config = { train: { epochs: 10 } };
 * applyOverride(config, { path: "train.epochs", value: 2, from: "--set" }, "x.ts");
 * if (config.train.epochs !== 2) throw new Error("not applied");
 * ```
 */
export function applyOverride(target: object, override: Override, label: string): void {
  const segments = override.path.split(".");
  let node: unknown = target;
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i];
    const isLast = i === segments.length - 1;
    const container = node as Record<string, unknown> | unknown[];
    const key = resolveKey(container, segment);
    if (key === undefined) {
      const walked = segments.slice(0, i).join(".");
      const valid = validKeys(container);
      throw new ConfigError([
        `${override.from} ${override.path}: ${label} has no key "${segment}"${
          walked ? ` under "${walked}"` : ""
        }${didYouMean(segment, valid)}; valid keys there: ${valid.join(", ") || "(none)"}`,
      ]);
    }
    if (isLast) {
      (container as Record<string | number, unknown>)[key] = structuredClone(override.value);
      return;
    }
    node = (container as Record<string | number, unknown>)[key];
    if (node === null || typeof node !== "object") {
      throw new ConfigError([
        `${override.from} ${override.path}: "${segments.slice(0, i + 1).join(".")}" is ${
          describeValue(node)
        } in ${label}, so it has no key "${segments[i + 1]}"`,
      ]);
    }
  }
}

/**
 * Whether a dotted path exists in `target` (the same rules as {@linkcode applyOverride}).
 *
 * @param target The object.
 * @param path The dotted path.
 * @returns True when every segment exists.
 *
 * @example
 * ```ts
 * import { hasPath } from "./overrides.ts";
 * if (!hasPath({ a: { b: 1 } }, "a.b") || hasPath({ a: {} }, "a.c")) throw new Error("wrong");
 * ```
 */
export function hasPath(target: unknown, path: string): boolean {
  let node = target;
  for (const segment of path.split(".")) {
    if (node === null || typeof node !== "object") return false;
    const key = resolveKey(node as Record<string, unknown>, segment);
    if (key === undefined) return false;
    node = (node as Record<string | number, unknown>)[key];
  }
  return true;
}

/** Every dotted path to a leaf or a subtree, for suggestions. */
export function allPaths(target: unknown, prefix = ""): string[] {
  if (target === null || typeof target !== "object" || Array.isArray(target)) return [];
  return Object.entries(target as Record<string, unknown>).flatMap(([key, value]) => {
    const path = prefix === "" ? key : `${prefix}.${key}`;
    return [path, ...allPaths(value, path)];
  });
}

function resolveKey(
  container: Record<string, unknown> | unknown[],
  segment: string,
): string | number | undefined {
  if (Array.isArray(container)) {
    if (/^\d+$/.test(segment) && Number(segment) < container.length) return Number(segment);
    const index = container.findIndex((item) =>
      item !== null && typeof item === "object" && (item as { name?: unknown }).name === segment
    );
    return index >= 0 ? index : undefined;
  }
  return Object.hasOwn(container, segment) ? segment : undefined;
}

function validKeys(container: Record<string, unknown> | unknown[]): string[] {
  if (!Array.isArray(container)) return Object.keys(container);
  const names = container.map((item) => (item as { name?: unknown })?.name).filter((name) =>
    typeof name === "string"
  ) as string[];
  return names.length > 0 ? names : container.map((_, i) => String(i));
}
