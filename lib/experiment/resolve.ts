/**
 * Resolution: from an experiment definition plus a profile and overrides to the exact, validated
 * settings of every variant — all before anything trains.
 *
 * Order: the profile's overrides, then `--config`, then `--set`, then `--seed`. Overrides of
 * `seeds` and `variants.<name>.…` change the header; every other path changes the settings of
 * each variant that has it (after the variant's own changes are merged in, so an override always
 * wins over the definition).
 *
 * @module
 */

import type { z } from "zod";
import type { ExperimentHeader, JsonValue } from "./records.ts";
import type { Task } from "./task.ts";
import { ConfigError, formatIssues, keysAt } from "./config_error.ts";
import { type Header, HEADER_KEYS, headerSchema } from "./schema.ts";
import { allPaths, applyOverride, hasPath, type Override } from "./overrides.ts";
import { didYouMean } from "./nearest.ts";

/** The profile that applies no overrides: the experiment as defined. */
export const FULL_PROFILE = "full";

/** How to resolve. */
export interface ResolveOptions {
  /** A profile name from the definition, or `full`. */
  profile?: string;
  /** From `--config` and `--set`, in that order. */
  overrides?: Override[];
  /** From `--seed`: replaces the definition's seeds. */
  seeds?: number[];
  /** From `--variant`: run only these. */
  variants?: string[];
}

/** A variant ready to run. */
export interface ResolvedVariant<Settings> {
  /** The variant's name, as in the definition. */
  name: string;
  /** The human label for charts and tables; the name when the definition gives none. */
  label: string;
  /** The fully resolved settings, validated by the task's schema. */
  settings: Settings;
}

/** An experiment ready to run. */
export interface ResolvedExperiment<Settings = unknown> {
  /** The definition's file, as given. */
  file: string;
  /** The descriptive part of the definition, after header overrides. */
  header: ExperimentHeader;
  /** The profile applied, `full` unless one was named. */
  profile: string;
  /** The seeds every variant runs with, after `--seed`. */
  seeds: number[];
  /** The variants to run, in definition order, after `--variant`. */
  variants: ResolvedVariant<Settings>[];
  /** Every override applied, in order: profile, then `--config`, then `--set`, then `--seed`. */
  overrides: Override[];
  /** The task of the definition's kind, which runs each trial. */
  task: Task<Settings>;
}

/**
 * Validates a definition and resolves it.
 *
 * @param definition The default export of an experiment file.
 * @param file The file's path, used in every message.
 * @param findTask Looks up the task of a kind (the task registry).
 * @param options Profile, overrides, seeds, variants.
 * @returns The resolved experiment.
 * @throws {ConfigError} Listing every problem found, each naming the file and the key.
 */
export function resolveExperiment(
  definition: unknown,
  file: string,
  findTask: (kind: string) => Task<unknown> | undefined,
  knownKinds: readonly string[],
  options: ResolveOptions = {},
): ResolvedExperiment {
  if (definition === null || typeof definition !== "object" || Array.isArray(definition)) {
    throw new ConfigError([
      `${file}: expected a default export made with defineExperiment({...}), found ${
        definition === undefined ? "no default export" : typeof definition
      }`,
    ]);
  }
  const raw = structuredClone(definition) as Record<string, unknown>;
  const header = parseOrThrow(headerSchema, pick(raw, HEADER_KEYS), file);
  const task = findTask(header.kind);
  if (!task) {
    throw new ConfigError([
      `${file}: kind: expected one of ${
        knownKinds.map((k) => `"${k}"`).join(", ")
      }, found "${header.kind}"${didYouMean(header.kind, knownKinds)}`,
    ]);
  }
  const baseSettings = omit(raw, HEADER_KEYS);
  const settingKeys = keysAt(task.settingsSchema, baseSettings, []);
  const unknownKeys = Object.keys(baseSettings).filter((key) => !settingKeys.includes(key));
  if (unknownKeys.length > 0) {
    const valid = [...HEADER_KEYS, ...settingKeys];
    throw new ConfigError(
      unknownKeys.map((key) =>
        `${file}: ${key}: unknown key${didYouMean(key, valid)}; valid keys here: ${
          valid.join(", ")
        }`
      ),
    );
  }
  checkHeader(header, task, file);

  const profile = options.profile ?? FULL_PROFILE;
  if (profile !== FULL_PROFILE && !Object.hasOwn(header.profiles, profile)) {
    const names = [FULL_PROFILE, ...Object.keys(header.profiles)];
    throw new ConfigError([
      `--profile ${profile}: ${file} has no such profile${didYouMean(profile, names)}; profiles: ${
        names.join(", ")
      }`,
    ]);
  }
  const profileOverrides: Override[] = profile === FULL_PROFILE
    ? []
    : Object.entries(header.profiles[profile]).map(([path, value]) => ({
      path,
      value: value as JsonValue,
      from: `profile ${profile}`,
    }));
  const overrides = [
    ...profileOverrides,
    ...(options.overrides ?? []),
    ...(options.seeds ? [{ path: "seeds", value: options.seeds, from: "--seed" }] : []),
  ];

  // Header overrides first: seeds and variants' own settings.
  const headerTarget = { seeds: header.seeds, variants: header.variants };
  const settingsOverrides: Override[] = [];
  for (const override of overrides) {
    const first = override.path.split(".")[0];
    if (first === "seeds" || first === "variants") {
      applyOverride(headerTarget, override, file);
    } else if (HEADER_KEYS.includes(first)) {
      throw new ConfigError([
        `${override.from} ${override.path}: "${first}" describes the experiment and cannot be overridden; settings and "seeds" can`,
      ]);
    } else {
      settingsOverrides.push(override);
    }
  }
  const seeds = parseOrThrow(headerSchema.shape.seeds, headerTarget.seeds, file, ["seeds"]);

  const problems: string[] = [];
  const variants: ResolvedVariant<unknown>[] = [];
  const parsedVariants = headerTarget.variants.map((variant) => {
    const merged = mergeSettings(baseSettings, variant.settings);
    const label = `${file}: variant ${variant.name}`;
    const first = task.settingsSchema.safeParse(merged, { reportInput: true });
    if (!first.success) {
      problems.push(...formatIssues(label, first.error.issues, task.settingsSchema, merged));
    }
    return { variant, settings: first.success ? first.data as Record<string, unknown> : merged };
  });
  if (problems.length > 0) throw new ConfigError(problems);

  for (const override of settingsOverrides) {
    if (!parsedVariants.some(({ settings }) => hasPath(settings, override.path))) {
      const candidates = [...new Set(parsedVariants.flatMap(({ settings }) => allPaths(settings)))];
      throw new ConfigError([
        `${override.from} ${override.path}: ${file} has no setting "${override.path}"${
          didYouMean(override.path, [...candidates, "seeds"])
        }`,
      ]);
    }
  }
  for (const { variant, settings } of parsedVariants) {
    for (const override of settingsOverrides) {
      if (hasPath(settings, override.path)) applyOverride(settings, override, file);
    }
    const label = `${file}: variant ${variant.name}`;
    const parsed = task.settingsSchema.safeParse(settings, { reportInput: true });
    if (!parsed.success) {
      const from = settingsOverrides.length > 0
        ? ` (after overrides from ${[...new Set(overrides.map((o) => o.from))].join(", ")})`
        : "";
      problems.push(
        ...formatIssues(label, parsed.error.issues, task.settingsSchema, settings).map((line) =>
          line + from
        ),
      );
      continue;
    }
    variants.push({
      name: variant.name,
      label: variant.label ?? variant.name,
      settings: parsed.data,
    });
  }
  if (problems.length > 0) throw new ConfigError(problems);

  const selected = selectVariants(variants, options.variants, file);
  return {
    file,
    header: toExperimentHeader(header),
    profile,
    seeds,
    variants: selected,
    overrides,
    task,
  };
}

/**
 * Deep-merges a variant's settings over the experiment's. Objects merge key by key, except that an
 * object whose `kind` differs replaces the base object whole (a `lenet5` model does not inherit an
 * `mlp`'s `hidden` sizes). Arrays and scalars replace.
 *
 * @param base The experiment's settings.
 * @param changes The variant's settings.
 * @returns A new merged object.
 *
 * @example
 * ```ts
 * import { mergeSettings } from "./resolve.ts";
 * const m = mergeSettings({ train: { epochs: 5, batchSize: 64 } }, { train: { epochs: 2 } });
 * if (JSON.stringify(m) !== '{"train":{"epochs":2,"batchSize":64}}') throw new Error("wrong");
 * ```
 */
export function mergeSettings(
  base: Record<string, unknown>,
  changes: Record<string, unknown>,
): Record<string, unknown> {
  const result: Record<string, unknown> = structuredClone(base);
  for (const [key, value] of Object.entries(changes)) {
    const current = result[key];
    const bothObjects = isPlainObject(current) && isPlainObject(value);
    const kindChanges = bothObjects && "kind" in value && value.kind !== current.kind;
    result[key] = bothObjects && !kindChanges
      ? mergeSettings(current, value)
      : structuredClone(value);
  }
  return result;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

function checkHeader(header: Header, task: Task<unknown>, file: string): void {
  const problems: string[] = [];
  const names = header.variants.map((variant) => variant.name);
  const duplicates = names.filter((name, i) => names.indexOf(name) !== i);
  for (const name of new Set(duplicates)) {
    problems.push(`${file}: variants: expected unique names, found "${name}" more than once`);
  }
  const profiles = Object.keys(header.profiles);
  if (profiles.includes(FULL_PROFILE)) {
    problems.push(
      `${file}: profiles.full: "full" is the experiment as defined and cannot be redefined`,
    );
  }
  header.expect.forEach((expectation, i) => {
    const where = `${file}: expect[${i}]`;
    if (!names.includes(expectation.variant)) {
      problems.push(
        `${where}.variant: expected one of ${names.join(", ")}, found "${expectation.variant}"${
          didYouMean(expectation.variant, names)
        }`,
      );
    }
    if (!task.metricNames.includes(expectation.metric)) {
      problems.push(
        `${where}.metric: expected a metric that ${task.kind} reports (${
          task.metricNames.join(", ")
        }), found "${expectation.metric}"${didYouMean(expectation.metric, task.metricNames)}`,
      );
    }
    for (const profile of Object.keys(expectation.profiles)) {
      if (!profiles.includes(profile)) {
        problems.push(
          `${where}.profiles.${profile}: expected a profile of this experiment (${
            profiles.join(", ") || "none defined"
          }), found "${profile}"${didYouMean(profile, profiles)}`,
        );
      }
    }
  });
  if (problems.length > 0) throw new ConfigError(problems);
}

function selectVariants<S>(
  variants: ResolvedVariant<S>[],
  wanted: string[] | undefined,
  file: string,
): ResolvedVariant<S>[] {
  if (!wanted || wanted.length === 0) return variants;
  const names = variants.map((variant) => variant.name);
  const unknown = wanted.filter((name) => !names.includes(name));
  if (unknown.length > 0) {
    throw new ConfigError(
      unknown.map((name) =>
        `--variant ${name}: ${file} has no such variant${didYouMean(name, names)}; variants: ${
          names.join(", ")
        }`
      ),
    );
  }
  return variants.filter((variant) => wanted.includes(variant.name));
}

function toExperimentHeader(header: Header): ExperimentHeader {
  return {
    id: header.id,
    chapter: header.chapter,
    title: header.title,
    reproduces: header.reproduces,
    kind: header.kind,
    variantLabels: Object.fromEntries(
      header.variants.map((variant) => [variant.name, variant.label ?? variant.name]),
    ),
    expect: header.expect.map((expectation) => ({
      variant: expectation.variant,
      metric: expectation.metric,
      published: expectation.published,
      source: expectation.source,
      bounds: {
        [FULL_PROFILE]: { atMost: expectation.atMost, atLeast: expectation.atLeast },
        ...expectation.profiles,
      },
    })),
  };
}

function parseOrThrow<T>(
  schema: z.ZodType<T>,
  value: unknown,
  file: string,
  prefix: PropertyKey[] = [],
): T {
  const result = schema.safeParse(value, { reportInput: true });
  if (result.success) return result.data;
  throw new ConfigError(formatIssues(file, result.error.issues, schema, value, prefix));
}

function pick(object: Record<string, unknown>, keys: readonly string[]): Record<string, unknown> {
  return Object.fromEntries(Object.entries(object).filter(([key]) => keys.includes(key)));
}

function omit(object: Record<string, unknown>, keys: readonly string[]): Record<string, unknown> {
  return Object.fromEntries(Object.entries(object).filter(([key]) => !keys.includes(key)));
}
