/**
 * Sweeps: a grid or random search space declared in an experiment's header, expanded into
 * variants. Each point is a variant like any other (one trial per seed); its name says where it
 * sits (`lstm-100`, `degree-3`, `random-07`) and its label which values it has. Random points are
 * drawn from the experiment's first seed (or the sweep's own), so the same definition always
 * expands to the same variants.
 *
 * @module
 */

import type { JsonValue, SweepPoint, SweepRecord } from "./records.ts";
import type { Distribution, Sweep, Variant } from "./schema.ts";
import { ConfigError } from "./config_error.ts";
import { didYouMean } from "./nearest.ts";
import { createRng, deriveSeed } from "../random/seed.ts";

/** A variant to run, explicit or made by a sweep. */
export interface PlannedVariant {
  /** Its name. */
  name: string;
  /** How reports name it. */
  label: string;
  /** The settings it changes over the experiment's own (a template's, for a sweep point). */
  settings: Record<string, unknown>;
  /** Where it sits in its sweep, for a sweep point. */
  point?: SweepPoint;
}

/** What {@linkcode expandSweeps} returns. */
export interface ExpandedVariants {
  /** Explicit variants that no sweep uses as a template, then every sweep's points. */
  variants: PlannedVariant[];
  /** One record per sweep, in definition order. */
  sweeps: SweepRecord[];
}

/**
 * Expands sweeps into variants.
 *
 * @param variants The explicit variants.
 * @param sweeps The sweeps.
 * @param rootSeed The seed random sweeps draw from unless they name their own.
 * @param file The definition's file, for messages.
 * @returns The variants to run and the sweeps' records.
 * @throws {ConfigError} For a template that is not a variant, or a name made twice.
 *
 * @example
 * ```ts
 * import { expandSweeps } from "./sweeps.ts";
 * const { variants } = expandSweeps(
 *   [{ name: "lstm", label: "LSTM", settings: {} }],
 *   [{ name: "length", variants: ["lstm"], grid: { "data.length": [10, 100] } }],
 *   1,
 *   "x.ts",
 * );
 * if (variants.map((v) => v.name).join() !== "lstm-10,lstm-100") throw new Error("names");
 * if (variants[1].label !== "LSTM, length 100") throw new Error(variants[1].label);
 * ```
 */
export function expandSweeps(
  variants: readonly Variant[],
  sweeps: readonly Sweep[],
  rootSeed: number,
  file: string,
): ExpandedVariants {
  const byName = new Map(variants.map((variant) => [variant.name, variant]));
  const problems: string[] = [];
  const sweepNames = sweeps.map((sweep) => sweep.name);
  sweepNames.forEach((name, i) => {
    if (sweepNames.indexOf(name) !== i) {
      problems.push(`${file}: sweeps: expected unique names, found "${name}" more than once`);
    }
  });
  const templates = new Set<string>();
  sweeps.forEach((sweep, i) => {
    for (const template of sweep.variants ?? []) {
      if (!byName.has(template)) {
        problems.push(
          `${file}: sweeps[${i}].variants: expected a variant of this experiment, found "${template}"${
            didYouMean(template, byName.keys())
          }; variants: ${[...byName.keys()].join(", ") || "(none)"}`,
        );
      }
      templates.add(template);
    }
  });
  if (problems.length > 0) throw new ConfigError(problems);

  const planned: PlannedVariant[] = variants
    .filter((variant) => !templates.has(variant.name))
    .map((variant) => ({
      name: variant.name,
      label: variant.label ?? variant.name,
      settings: variant.settings,
    }));
  const records: SweepRecord[] = [];
  for (const sweep of sweeps) {
    const points = sweepPoints(sweep, rootSeed);
    const keys = sweep.grid ? Object.keys(sweep.grid) : Object.keys(sweep.random!.space);
    const bases = sweep.variants?.map((name) => byName.get(name)!) ?? [undefined];
    const made: PlannedVariant[] = [];
    for (const base of bases) {
      const prefix = base?.name ?? sweep.name;
      const prefixLabel = base ? base.label ?? base.name : sweep.label ?? sweep.name;
      const names = pointNames(prefix, points, sweep.random !== undefined);
      points.forEach((values, index) => {
        made.push({
          name: names[index],
          label: `${prefixLabel}, ${describePoint(values)}`,
          settings: base?.settings ?? {},
          point: { sweep: sweep.name, ...(base ? { template: base.name } : {}), index, values },
        });
      });
    }
    planned.push(...made);
    records.push({
      name: sweep.name,
      label: sweep.label ?? sweep.name,
      keys,
      templates: sweep.variants ?? [],
      variants: made.map((variant) => variant.name),
    });
  }
  const seen = new Set<string>();
  for (const variant of planned) {
    if (seen.has(variant.name)) {
      problems.push(
        `${file}: variants: the name "${variant.name}" is made twice (by a sweep and a variant, or two sweeps); rename one of them`,
      );
    }
    seen.add(variant.name);
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return { variants: planned, sweeps: records };
}

/** The points of a sweep: every combination of a grid, or `count` random draws. */
function sweepPoints(sweep: Sweep, rootSeed: number): Record<string, JsonValue>[] {
  if (sweep.grid) {
    let points: Record<string, JsonValue>[] = [{}];
    for (const [path, values] of Object.entries(sweep.grid)) {
      points = points.flatMap((point) =>
        values.map((value) => ({ ...point, [path]: value as JsonValue }))
      );
    }
    return points;
  }
  const random = sweep.random!;
  const rng = createRng(deriveSeed(random.seed ?? rootSeed, "sweep", sweep.name));
  return Array.from({ length: random.count }, () =>
    Object.fromEntries(
      Object.entries(random.space).map(([path, distribution]) => [path, draw(distribution, rng)]),
    ));
}

/** One draw, numbers rounded to 4 significant digits so that labels and settings agree. */
function draw(distribution: Distribution, rng: () => number): JsonValue {
  const round = (value: number) => Number(value.toPrecision(4));
  if ("uniform" in distribution) {
    const [low, high] = distribution.uniform;
    return round(low + (high - low) * rng());
  }
  if ("logUniform" in distribution) {
    const [low, high] = distribution.logUniform.map(Math.log);
    return round(Math.exp(low + (high - low) * rng()));
  }
  if ("int" in distribution) {
    const [low, high] = distribution.int;
    return low + Math.floor((high - low + 1) * rng());
  }
  return distribution.choice[Math.floor(distribution.choice.length * rng())] as JsonValue;
}

/** Names from the values where they make short, valid, unique names; otherwise numbered. */
function pointNames(
  prefix: string,
  points: Record<string, JsonValue>[],
  random: boolean,
): string[] {
  const numbered = () => {
    const width = String(points.length).length;
    return points.map((_, i) => `${prefix}-${String(i + 1).padStart(width, "0")}`);
  };
  if (random) return numbered();
  const names = points.map((values) => {
    const slugs = Object.values(values).map(slugOf);
    return slugs.every((slug) => slug !== undefined) ? `${prefix}-${slugs.join("-")}` : undefined;
  });
  const valid = names.every((name) => name !== undefined && /^[a-z][a-z0-9_-]*$/.test(name));
  return valid && new Set(names).size === names.length ? names as string[] : numbered();
}

function slugOf(value: JsonValue): string | undefined {
  const number = (n: number) => String(n).replace("-", "m").replace(".", "p").replace("+", "");
  if (typeof value === "number") return number(value);
  if (typeof value === "boolean") return value ? "on" : "off";
  if (typeof value === "string") {
    const slug = value.toLowerCase().replace(/[^a-z0-9]+/g, "_").replace(/^_+|_+$/g, "");
    return slug === "" ? undefined : slug;
  }
  if (Array.isArray(value) && value.length > 0 && value.every((v) => typeof v === "number")) {
    return (value as number[]).map(number).join("x");
  }
  return undefined;
}

/**
 * A sweep point in words: `length 100`, `learningRate 0.01, weightDecay 0.0001`.
 *
 * @param values Setting path -> value.
 * @returns The description.
 *
 * @example
 * ```ts
 * import { describePoint } from "./sweeps.ts";
 * if (describePoint({ "model.hidden": [300, 100] }) !== "hidden [300, 100]") throw new Error();
 * ```
 */
export function describePoint(values: Record<string, JsonValue>): string {
  return Object.entries(values).map(([path, value]) =>
    `${path.split(".").at(-1)} ${
      Array.isArray(value)
        ? `[${value.map((v) => JSON.stringify(v)).join(", ")}]`
        : typeof value === "string"
        ? value
        : JSON.stringify(value)
    }`
  ).join(", ");
}
