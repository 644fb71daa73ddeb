/**
 * Resolution: from an experiment definition plus a profile and overrides to the exact, validated
 * settings of every variant — sweeps expanded, expectations checked for typos — all before
 * anything trains.
 *
 * Order: the profile's overrides, then `--config`, then `--set`, then `--seed`. Overrides of
 * `seeds`, `variants.<name>.…` and `sweeps.<name>.…` change the header; every other path changes
 * the settings of each variant that has it (after the variant's own changes are merged in, so an
 * override always wins over the definition). A sweep point's values come last: to change what a
 * sweep varies, override the sweep (`sweeps.length.grid`), not the setting.
 *
 * @module
 */

import type { z } from "zod";
import type { ExperimentHeader, JsonValue, SweepPoint, SweepRecord } from "./records.ts";
import type { Task } from "./task.ts";
import { ConfigError, formatIssues, keysAt } from "./config_error.ts";
import { type Header, HEADER_KEYS, headerSchema, sweepSchema, variantSchema } from "./schema.ts";
import { allPaths, applyOverride, hasPath, type Override } from "./overrides.ts";
import { didYouMean } from "./nearest.ts";
import { expandSweeps } from "./sweeps.ts";
import { parseExpectations } from "./expectations.ts";
import { FULL_PROFILE } from "./profiles.ts";

export { FULL_PROFILE };

/** Finds task kinds by name: the built-in ones plus those an experiment's module exports. */
export interface TaskLookup {
  /** The task of a kind, or `undefined`. */
  find(kind: string): Task<unknown> | undefined;
  /** Every kind, for messages. */
  kinds: readonly string[];
}

/** How to resolve. */
export interface ResolveOptions {
  /** A profile name from the definition, or `full`. */
  profile?: string;
  /** From `--config` and `--set`, in that order. */
  overrides?: Override[];
  /** From `--seed`: replaces the definition's seeds. */
  seeds?: number[];
  /** From `--variant`: run only these (a sweep's name selects all its points). */
  variants?: string[];
  /** Also resolve every other profile of the definition (default true). */
  checkProfiles?: boolean;
}

/** A variant ready to run. */
export interface ResolvedVariant<Settings> {
  /** The variant's name, as in the definition or made by its sweep. */
  name: string;
  /** The human label for charts and tables; the name when the definition gives none. */
  label: string;
  /** The fully resolved settings, validated by the task's schema. */
  settings: Settings;
  /** Where it sits in its sweep, for a sweep point. */
  point?: SweepPoint;
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
  /** The variants to run, in definition order (sweep points last), after `--variant`. */
  variants: ResolvedVariant<Settings>[];
  /** Every override applied, in order: profile, then `--config`, then `--set`, then `--seed`. */
  overrides: Override[];
  /** The task of the definition's kind, which runs each trial. */
  task: Task<Settings>;
  /** True when every variant and the definition's seeds run, with no override beyond the profile. */
  complete: boolean;
}

/**
 * Validates a definition and resolves it.
 *
 * @param definition The default export of an experiment file (or one entry of its array).
 * @param file The file's path, used in every message.
 * @param tasks The task kinds (built-in and the file's own).
 * @param options Profile, overrides, seeds, variants.
 * @returns The resolved experiment.
 * @throws {ConfigError} Listing every problem found, each naming the file and the key.
 */
export function resolveExperiment(
  definition: unknown,
  file: string,
  tasks: TaskLookup,
  options: ResolveOptions = {},
): ResolvedExperiment {
  if (definition === null || typeof definition !== "object" || Array.isArray(definition)) {
    throw new ConfigError([
      `${file}: expected a default export made with defineExperiment({...}), found ${
        definition === undefined
          ? "no default export"
          : definition === null
          ? "null"
          : describeKind(definition)
      }`,
    ]);
  }
  const raw = structuredClone(definition) as Record<string, unknown>;
  const header = parseOrThrow(headerSchema, pick(raw, HEADER_KEYS), file);
  const task = tasks.find(header.kind);
  if (!task) {
    throw new ConfigError([
      `${file}: kind: expected one of ${
        tasks.kinds.map((k) => `"${k}"`).join(", ")
      } (or a kind the file exports in \`tasks\`), found "${header.kind}"${
        didYouMean(header.kind, tasks.kinds)
      }`,
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
  checkHeader(header, file);

  const profile = options.profile ?? FULL_PROFILE;
  if (profile !== FULL_PROFILE && !Object.hasOwn(header.profiles, profile)) {
    const names = [FULL_PROFILE, ...Object.keys(header.profiles)];
    throw new ConfigError([
      `--profile ${profile}: ${file} has no such profile${didYouMean(profile, names)}; profiles: ${
        names.join(", ")
      }`,
    ]);
  }
  if (options.seeds) checkUniqueSeeds(options.seeds, "--seed", "given");
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

  // Header overrides first: seeds, variants' own settings, sweeps.
  const headerTarget = { seeds: header.seeds, variants: header.variants, sweeps: header.sweeps };
  const settingsOverrides: Override[] = [];
  for (const override of overrides) {
    const first = override.path.split(".")[0];
    if (first === "seeds" || first === "variants" || first === "sweeps") {
      applyOverride(headerTarget, override, file);
    } else if (HEADER_KEYS.includes(first)) {
      throw new ConfigError([
        `${override.from} ${override.path}: "${first}" describes the experiment and cannot be overridden; settings, "seeds", "variants" and "sweeps" can`,
      ]);
    } else {
      settingsOverrides.push(override);
    }
  }
  const seeds = parseOrThrow(headerSchema.shape.seeds, headerTarget.seeds, file, ["seeds"]);
  checkUniqueSeeds(seeds, `${file}: seeds`, "listed");
  const variantsAfter = headerTarget.variants.map((variant, i) =>
    parseOrThrow(variantSchema, variant, file, ["variants", i])
  );
  const sweepsAfter = headerTarget.sweeps.map((sweep, i) =>
    parseOrThrow(sweepSchema, sweep, file, ["sweeps", i])
  );
  const planned = expandSweeps(variantsAfter, sweepsAfter, seeds[0], file);
  if (planned.variants.length === 0) {
    throw new ConfigError([
      `${file}: variants: expected at least one variant or sweep point to run, found none`,
    ]);
  }

  const problems: string[] = [];
  const firstPass = planned.variants.map((variant) => {
    const merged = mergeSettings(baseSettings, variant.settings);
    const label = `${file}: variant ${variant.name}`;
    const parsed = task.settingsSchema.safeParse(merged, { reportInput: true });
    if (!parsed.success) {
      problems.push(...formatIssues(label, parsed.error.issues, task.settingsSchema, merged));
    }
    return { variant, settings: parsed.success ? parsed.data as Record<string, unknown> : merged };
  });
  if (problems.length > 0) throw new ConfigError(problems);

  for (const override of settingsOverrides) {
    if (!firstPass.some(({ settings }) => hasPath(settings, override.path))) {
      const candidates = [...new Set(firstPass.flatMap(({ settings }) => allPaths(settings)))];
      throw new ConfigError([
        `${override.from} ${override.path}: ${file} has no setting "${override.path}"${
          didYouMean(override.path, [...candidates, "seeds"])
        }`,
      ]);
    }
    const swept = planned.sweeps.find((sweep) => sweep.keys.includes(override.path));
    if (swept) {
      throw new ConfigError([
        `${override.from} ${override.path}: sweep ${swept.name} varies this setting, so the override would have no effect; change the sweep instead (e.g. --set 'sweeps.${swept.name}.grid={"${override.path}": [...]}')`,
      ]);
    }
  }
  const variants: ResolvedVariant<unknown>[] = [];
  for (const { variant, settings } of firstPass) {
    for (const override of settingsOverrides) {
      if (hasPath(settings, override.path)) applyOverride(settings, override, file);
    }
    for (const [path, value] of Object.entries(variant.point?.values ?? {})) {
      applyOverride(settings, { path, value, from: `sweep ${variant.point!.sweep}` }, file);
    }
    const label = `${file}: variant ${variant.name}`;
    const parsed = task.settingsSchema.safeParse(settings, { reportInput: true });
    if (!parsed.success) {
      const sources = [
        ...(settingsOverrides.length > 0
          ? [`overrides from ${[...new Set(settingsOverrides.map((o) => o.from))].join(", ")}`]
          : []),
        ...(variant.point ? [`sweep ${variant.point.sweep}`] : []),
      ];
      const from = sources.length > 0 ? ` (after ${sources.join(" and ")})` : "";
      problems.push(
        ...formatIssues(label, parsed.error.issues, task.settingsSchema, settings).map((line) =>
          line + from
        ),
      );
      continue;
    }
    problems.push(...(task.validate?.(parsed.data) ?? []).map((line) => `${label}: ${line}`));
    variants.push({
      name: variant.name,
      label: variant.label,
      settings: parsed.data,
      ...(variant.point ? { point: variant.point } : {}),
    });
  }
  if (problems.length > 0) throw new ConfigError(problems);

  const points = Object.fromEntries(
    variants.filter((v) => v.point).map((v) => [v.name, v.point!]),
  );
  const expect = parseExpectations(header.expect, {
    metrics: new Map(variants.map((v) => [v.name, task.metricNames(v.settings)])),
    sweeps: planned.sweeps,
    points,
    profiles: Object.keys(header.profiles),
  }, file);
  // Every other profile must resolve too: a typo in the ci profile is found on any run, not in CI.
  if (options.checkProfiles !== false) {
    for (const other of Object.keys(header.profiles).filter((name) => name !== profile)) {
      try {
        resolveExperiment(definition, file, tasks, { profile: other, checkProfiles: false });
      } catch (error) {
        if (!(error instanceof ConfigError)) throw error;
        throw new ConfigError(
          error.problems.map((line) =>
            line.includes(`profile ${other}`) ? line : `profile ${other}: ${line}`
          ),
        );
      }
    }
  }
  const selected = selectVariants(variants, options.variants, planned.sweeps, file);
  return {
    file,
    header: toExperimentHeader(header, variants, expect, planned.sweeps, points),
    profile,
    seeds,
    variants: selected,
    overrides,
    task,
    complete: (options.overrides ?? []).length === 0 && options.seeds === undefined &&
      selected.length === variants.length,
  };
}

function describeKind(value: object): string {
  return Array.isArray(value) ? "an array" : typeof value;
}

function checkUniqueSeeds(seeds: readonly number[], where: string, verb: string): void {
  const repeated = [...new Set(seeds.filter((seed, i) => seeds.indexOf(seed) !== i))];
  if (repeated.length > 0) {
    throw new ConfigError([
      `${where}: expected each seed once, found ${
        repeated.join(", ")
      } ${verb} more than once (a repeated seed would count its trial twice in the mean and spread)`,
    ]);
  }
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

function checkHeader(header: Header, file: string): void {
  const problems: string[] = [];
  const names = header.variants.map((variant) => variant.name);
  const duplicates = names.filter((name, i) => names.indexOf(name) !== i);
  for (const name of new Set(duplicates)) {
    problems.push(`${file}: variants: expected unique names, found "${name}" more than once`);
  }
  if (Object.keys(header.profiles).includes(FULL_PROFILE)) {
    problems.push(
      `${file}: profiles.full: "full" is the experiment as defined and cannot be redefined`,
    );
  }
  if (problems.length > 0) throw new ConfigError(problems);
}

function selectVariants<S>(
  variants: ResolvedVariant<S>[],
  wanted: string[] | undefined,
  sweeps: readonly SweepRecord[],
  file: string,
): ResolvedVariant<S>[] {
  if (!wanted || wanted.length === 0) return variants;
  const names = variants.map((variant) => variant.name);
  const sweepNames = sweeps.map((sweep) => sweep.name);
  const unknown = wanted.filter((name) => !names.includes(name) && !sweepNames.includes(name));
  if (unknown.length > 0) {
    throw new ConfigError(
      unknown.map((name) =>
        `--variant ${name}: ${file} has no such variant or sweep${
          didYouMean(name, [...names, ...sweepNames])
        }; variants: ${names.join(", ")}${
          sweepNames.length > 0 ? `; sweeps: ${sweepNames.join(", ")}` : ""
        }`
      ),
    );
  }
  return variants.filter((variant) =>
    wanted.includes(variant.name) ||
    (variant.point !== undefined && wanted.includes(variant.point.sweep))
  );
}

function toExperimentHeader(
  header: Header,
  variants: readonly ResolvedVariant<unknown>[],
  expect: ExperimentHeader["expect"],
  sweeps: SweepRecord[],
  points: Record<string, SweepPoint>,
): ExperimentHeader {
  return {
    id: header.id,
    chapter: header.chapter,
    title: header.title,
    reproduces: header.reproduces,
    kind: header.kind,
    variantLabels: Object.fromEntries(variants.map((variant) => [variant.name, variant.label])),
    expect,
    ...(sweeps.length > 0 ? { sweeps, sweepPoints: points } : {}),
    ...(header.notes.length > 0 ? { notes: header.notes } : {}),
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
