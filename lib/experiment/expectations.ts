/**
 * Expected results and their verdicts: a published value within a bound, one variant beating
 * another, or a quantity derived from the results (a fitted slope, a ratio, the best point of a
 * sweep, a crossover) within a range. Parsing and checking are pure functions.
 *
 * @module
 */

import type {
  Bound,
  CheckResult,
  ComparedValue,
  CurvePoint,
  Expectation,
  JsonValue,
  MetricSide,
  MetricSummary,
  ProfileBound,
  SweepPoint,
  SweepRecord,
  TrialMetrics,
} from "./records.ts";
import {
  type BeatsExpectationInput,
  type DerivedExpectationInput,
  expectationSchemaFor,
  type MetricRef,
  type Quantity,
  type SweepBest,
  type ValueExpectationInput,
} from "./schema.ts";
import { FULL_PROFILE } from "./profiles.ts";
import { ConfigError, formatIssues } from "./config_error.ts";
import { didYouMean } from "./nearest.ts";
import type { z } from "zod";

/** What expectations are validated against: the variants and sweeps that will run. */
export interface ExpectationContext {
  /** Variant name -> the final metrics its trials report. */
  metrics: Map<string, readonly string[]>;
  /** The sweeps. */
  sweeps: readonly SweepRecord[];
  /** Swept variant -> its point. */
  points: Record<string, SweepPoint>;
  /** The experiment's profiles (besides `full`). */
  profiles: readonly string[];
}

/**
 * Parses the header's `expect` entries, each by the schema of its `kind`, checks that they name
 * variants, metrics, sweeps and profiles that exist, and normalises them into records.
 *
 * @param entries The raw `expect` list.
 * @param context Variants, metrics, sweeps and profiles.
 * @param file The definition's file, for messages.
 * @returns The expectations.
 * @throws {ConfigError} Listing every problem, each naming `expect[i]` and the key.
 */
export function parseExpectations(
  entries: readonly unknown[],
  context: ExpectationContext,
  file: string,
): Expectation[] {
  const problems: string[] = [];
  const expectations: Expectation[] = [];
  entries.forEach((entry, i) => {
    const where = `${file}: expect[${i}]`;
    const kind = (entry as { kind?: unknown } | null)?.kind;
    if (kind !== undefined && !["value", "beats", "derived"].includes(kind as string)) {
      problems.push(
        `${where}.kind: expected one of "value", "beats", "derived", found ${JSON.stringify(kind)}${
          typeof kind === "string" ? didYouMean(kind, ["value", "beats", "derived"]) : ""
        }`,
      );
      return;
    }
    const schema = expectationSchemaFor(kind) as z.ZodType;
    const parsed = schema.safeParse(entry, { reportInput: true });
    if (!parsed.success) {
      problems.push(...formatIssues(file, parsed.error.issues, schema, entry, ["expect", i]));
      return;
    }
    const checker = new ReferenceChecker(context, where, problems);
    if (kind === "beats") {
      expectations.push(normalizeBeats(parsed.data as BeatsExpectationInput, checker));
    } else if (kind === "derived") {
      expectations.push(normalizeDerived(parsed.data as DerivedExpectationInput, checker));
    } else {
      const value = parsed.data as
        & Required<Pick<ValueExpectationInput, "variant" | "metric">>
        & ValueExpectationInput;
      checker.metric(value.variant, value.metric, "");
      checker.profiles(Object.keys(value.profiles ?? {}), ".profiles");
      expectations.push({
        variant: value.variant,
        metric: value.metric,
        published: value.published,
        source: value.source,
        bounds: boundsOf(value, value.profiles ?? {}),
      });
    }
  });
  if (problems.length > 0) throw new ConfigError(problems);
  return expectations;
}

function boundsOf(
  full: Bound,
  profiles: Record<string, ProfileBound>,
): Record<string, ProfileBound> {
  return {
    [FULL_PROFILE]: clean({ atMost: full.atMost, atLeast: full.atLeast }),
    ...Object.fromEntries(Object.entries(profiles).map(([name, bound]) => [name, clean(bound)])),
  };
}

function clean<T extends object>(object: T): T {
  return Object.fromEntries(
    Object.entries(object).filter(([, value]) => value !== undefined),
  ) as T;
}

function normalizeBeats(input: BeatsExpectationInput, checker: ReferenceChecker): Expectation {
  const side = (ref: MetricRef, name: string): MetricSide => {
    if (typeof ref === "object" && "sweeps" in ref) {
      checker.sweepBest(ref, `.${name}`);
      return { ...ref };
    }
    const resolved = typeof ref === "string" ? { variant: ref, metric: input.metric } : ref;
    if (resolved.metric === undefined) {
      checker.problem(`.${name}: expected a metric here or in the expectation's "metric"`);
      return { variant: resolved.variant, metric: "" };
    }
    checker.metric(resolved.variant, resolved.metric, `.${name}`);
    return { variant: resolved.variant, metric: resolved.metric };
  };
  const profiles = input.profiles ?? {};
  checker.profiles(Object.keys(profiles), ".profiles");
  return {
    kind: "beats",
    better: side(input.better, "better"),
    worse: side(input.worse, "worse"),
    direction: input.direction ?? "lower",
    margins: {
      [FULL_PROFILE]: input.margin ?? 0,
      ...Object.fromEntries(
        Object.entries(profiles).map(([name, entry]) => [
          name,
          entry.skip ? "skip" as const : entry.margin ?? input.margin ?? 0,
        ]),
      ),
    },
    ...(input.published === undefined ? {} : { published: input.published }),
    source: input.source,
  };
}

/**
 * How a side of a comparison is named in reports: the variant, or `best of sweeps a, b` for a
 * search's best point.
 *
 * @param side The side.
 * @returns Its label.
 *
 * @example
 * ```ts
 * import { sideLabel } from "./expectations.ts";
 * const label = sideLabel({ sweeps: ["grid"], metric: "e", reduce: "min", first: 3 });
 * if (label !== "best of the first 3 points of sweep grid") throw new Error(label);
 * ```
 */
export function sideLabel(side: MetricSide): string {
  if ("variant" in side) return side.variant;
  const sweeps = side.sweeps.length === 1
    ? `sweep ${side.sweeps[0]}`
    : `sweeps ${side.sweeps.join(", ")} (mean over them)`;
  return `${side.reduce === "min" ? "best" : "highest"} of ${
    side.first === undefined ? "" : `the first ${side.first} points of `
  }${sweeps}`;
}

/**
 * A search's best-so-far curve: for each named sweep, the best mean of the metric over its first
 * k points, for k = 1, 2, …; the curves of several sweeps summarised by their mean and range.
 *
 * @param side The search (a sweep-best side).
 * @param input Summaries and sweeps.
 * @returns One point per k, or undefined when none of the sweeps ran.
 */
export function bestSoFar(
  side: Extract<MetricSide, { sweeps: string[] }>,
  input: Pick<CheckInput, "summary" | "sweeps">,
): { k: number; mean: number; min: number; max: number }[] | undefined {
  const curves = side.sweeps.flatMap((name) => {
    const sweep = input.sweeps.find((s) => s.name === name);
    const means = (sweep?.variants ?? []).map((variant) =>
      input.summary[variant]?.[side.metric]?.mean
    )
      .filter((value): value is number => value !== undefined);
    if (means.length === 0) return [];
    const best: number[] = [];
    for (const value of means) {
      const previous = best[best.length - 1];
      best.push(
        previous === undefined
          ? value
          : side.reduce === "min"
          ? Math.min(previous, value)
          : Math.max(previous, value),
      );
    }
    return [best];
  });
  if (curves.length === 0) return undefined;
  const length = Math.min(...curves.map((curve) => curve.length));
  return Array.from({ length }, (_, i) => {
    const values = curves.map((curve) => curve[i]);
    return {
      k: i + 1,
      mean: values.reduce((a, b) => a + b, 0) / values.length,
      min: Math.min(...values),
      max: Math.max(...values),
    };
  });
}

/** A side's value: a variant's mean, or a search's best point (mean over its sweeps). */
function sideValue(side: MetricSide, input: CheckInput): number | undefined {
  if ("variant" in side) return input.summary[side.variant]?.[side.metric]?.mean;
  const curve = bestSoFar(side, input);
  if (!curve) return undefined;
  const at = side.first === undefined ? curve.length : Math.min(side.first, curve.length);
  return curve[at - 1].mean;
}

function normalizeDerived(input: DerivedExpectationInput, checker: ReferenceChecker): Expectation {
  const quantity = input.quantity as Quantity;
  checker.quantity(quantity);
  checker.profiles(Object.keys(input.profiles ?? {}), ".profiles");
  return {
    kind: "derived",
    name: input.name,
    quantity: quantity as unknown as { kind: string; [field: string]: JsonValue },
    ...(input.published === undefined ? {} : { published: input.published }),
    source: input.source,
    bounds: boundsOf(input, input.profiles ?? {}),
  };
}

/** Collects problems with the variants, metrics, sweeps and profiles an expectation names. */
class ReferenceChecker {
  constructor(
    readonly context: ExpectationContext,
    readonly where: string,
    readonly problems: string[],
  ) {}

  problem(text: string): void {
    this.problems.push(`${this.where}${text}`);
  }

  variant(name: string, at: string): boolean {
    if (this.context.metrics.has(name)) return true;
    const names = [...this.context.metrics.keys()];
    this.problem(
      `${at}.variant: expected a variant that runs (${names.join(", ")}), found "${name}"${
        didYouMean(name, names)
      }`,
    );
    return false;
  }

  metric(variant: string, metric: string, at: string): void {
    if (!this.variant(variant, at)) return;
    const names = this.context.metrics.get(variant)!;
    if (!names.includes(metric)) {
      this.problem(
        `${at}.metric: expected a metric that variant ${variant} reports (${
          names.join(", ")
        }), found "${metric}"${didYouMean(metric, names)}`,
      );
    }
  }

  profiles(names: readonly string[], at: string): void {
    for (const name of names) {
      if (!this.context.profiles.includes(name)) {
        this.problem(
          `${at}.${name}: expected a profile of this experiment (${
            this.context.profiles.join(", ") || "none defined"
          }), found "${name}"${didYouMean(name, this.context.profiles)}`,
        );
      }
    }
  }

  sweepBest(ref: SweepBest, at: string): void {
    ref.sweeps.forEach((name, i) => {
      const sweep = this.context.sweeps.find((s) => s.name === name);
      if (!sweep) {
        const names = this.context.sweeps.map((s) => s.name);
        this.problem(
          `${at}.sweeps[${i}]: expected a sweep of this experiment (${
            names.join(", ") || "none defined"
          }), found "${name}"${didYouMean(name, names)}`,
        );
        return;
      }
      if (ref.first !== undefined && ref.first > sweep.variants.length) {
        this.problem(
          `${at}.first: expected at most the ${sweep.variants.length} points of sweep ${name}, found ${ref.first}`,
        );
      }
      if (sweep.variants[0] !== undefined) this.metric(sweep.variants[0], ref.metric, at);
    });
  }

  ref(ref: MetricRef, at: string): void {
    if (typeof ref === "object" && "sweeps" in ref) {
      this.sweepBest(ref, at);
      return;
    }
    if (typeof ref === "string") {
      this.problem(`${at}: expected { variant, metric } in a derived quantity, found "${ref}"`);
      return;
    }
    this.metric(ref.variant, ref.metric, at);
  }

  quantity(quantity: Quantity): void {
    const at = ".quantity";
    switch (quantity.kind) {
      case "ratio":
        this.ref(quantity.of, `${at}.of`);
        this.ref(quantity.to, `${at}.to`);
        return;
      case "difference":
        this.ref(quantity.of, `${at}.of`);
        this.ref(quantity.minus, `${at}.minus`);
        return;
      case "crossover":
        this.metric(quantity.first, quantity.metric, `${at}.first`);
        this.metric(quantity.second, quantity.metric, `${at}.second`);
        return;
      default: {
        const sweep = this.context.sweeps.find((s) => s.name === quantity.sweep);
        if (!sweep) {
          const names = this.context.sweeps.map((s) => s.name);
          this.problem(
            `${at}.sweep: expected a sweep of this experiment (${
              names.join(", ") || "none defined"
            }), found "${quantity.sweep}"${didYouMean(quantity.sweep, names)}`,
          );
          return;
        }
        if (quantity.key === undefined && sweep.keys.length !== 1) {
          this.problem(
            `${at}.key: sweep ${sweep.name} varies ${sweep.keys.join(", ")}; name one of them`,
          );
        } else if (quantity.key !== undefined && !sweep.keys.includes(quantity.key)) {
          this.problem(
            `${at}.key: expected a setting sweep ${sweep.name} varies (${
              sweep.keys.join(", ")
            }), found "${quantity.key}"${didYouMean(quantity.key, sweep.keys)}`,
          );
        }
        if (quantity.template === undefined && sweep.templates.length > 1) {
          this.problem(
            `${at}.template: sweep ${sweep.name} starts from ${
              sweep.templates.join(", ")
            }; name one of them`,
          );
        } else if (
          quantity.template !== undefined && !sweep.templates.includes(quantity.template)
        ) {
          this.problem(
            `${at}.template: expected a template of sweep ${sweep.name} (${
              sweep.templates.join(", ") || "it has none"
            }), found "${quantity.template}"`,
          );
        }
        const variant = sweep.variants[0];
        if (variant !== undefined) this.metric(variant, quantity.metric, at);
      }
    }
  }
}

/** What a verdict is computed from. */
export interface CheckInput {
  /** variant -> metric -> summary across seeds. */
  summary: Record<string, Record<string, MetricSummary>>;
  /** The trials, for learning curves. */
  trials: readonly TrialMetrics[];
  /** The sweeps. */
  sweeps: readonly SweepRecord[];
  /** Swept variant -> its point. */
  points: Record<string, SweepPoint>;
}

/**
 * Checks each expectation against the results, with the bound or margin for the profile (a profile
 * without its own uses the full profile's). Expectations that name a variant that did not run
 * (e.g. `--variant` picked another), or that the profile skips, are left out.
 *
 * @param expectations From the resolved header.
 * @param input Summaries, trials, sweeps.
 * @param profile The profile that ran.
 * @returns One verdict per checked expectation, in declaration order.
 *
 * @example
 * ```ts
 * import { checkExpectations } from "./expectations.ts";
 * const summary = {
 *   cnn: { error: { mean: 1, std: 0, min: 1, max: 1, n: 1 } },
 *   mlp: { error: { mean: 2, std: 0, min: 2, max: 2, n: 1 } },
 * };
 * const [check] = checkExpectations([{
 *   kind: "beats", better: { variant: "cnn", metric: "error" },
 *   worse: { variant: "mlp", metric: "error" }, direction: "lower",
 *   margins: { full: 0.5 }, source: "s",
 * }], { summary, trials: [], sweeps: [], points: {} }, "full");
 * if (!check.pass || check.value !== 1) throw new Error(JSON.stringify(check));
 * ```
 */
export function checkExpectations(
  expectations: readonly Expectation[],
  input: CheckInput,
  profile: string,
): CheckResult[] {
  const mean = (variant: string, metric: string) => input.summary[variant]?.[metric]?.mean;
  return expectations.flatMap((expectation): CheckResult[] => {
    if (!("kind" in expectation)) {
      const bound = expectation.bounds[profile] ?? expectation.bounds[FULL_PROFILE];
      const value = mean(expectation.variant, expectation.metric);
      if (bound.skip || value === undefined) return [];
      const clean = boundOnly(bound);
      return [{
        variant: expectation.variant,
        metric: expectation.metric,
        value,
        published: expectation.published,
        bound: clean,
        source: expectation.source,
        pass: withinBound(value, clean),
      }];
    }
    if (expectation.kind === "beats") {
      const margin = expectation.margins[profile] ?? expectation.margins[FULL_PROFILE];
      const better = sideValue(expectation.better, input);
      const worse = sideValue(expectation.worse, input);
      if (margin === "skip" || better === undefined || worse === undefined) return [];
      const gap = expectation.direction === "lower" ? worse - better : better - worse;
      return [{
        kind: "beats",
        better: compared(expectation.better, better),
        worse: compared(expectation.worse, worse),
        direction: expectation.direction,
        margin,
        value: gap,
        ...(expectation.published === undefined ? {} : { published: expectation.published }),
        source: expectation.source,
        pass: gap > 0 && gap >= margin,
      }];
    }
    const bound = expectation.bounds[profile] ?? expectation.bounds[FULL_PROFILE];
    if (bound.skip) return [];
    const quantity = expectation.quantity as unknown as Quantity;
    const computed = computeQuantity(quantity, input);
    if (computed === "not run") return [];
    const clean = boundOnly(bound);
    return [{
      kind: "derived",
      name: expectation.name,
      description: describeQuantity(quantity),
      value: computed,
      ...(expectation.published === undefined ? {} : { published: expectation.published }),
      bound: clean,
      source: expectation.source,
      pass: computed !== null && withinBound(computed, clean),
    }];
  });
}

function compared(side: MetricSide, value: number): ComparedValue {
  if ("variant" in side) return { variant: side.variant, metric: side.metric, value };
  return {
    variant: sideLabel(side),
    metric: side.metric,
    value,
    search: {
      sweeps: side.sweeps,
      reduce: side.reduce,
      ...(side.first === undefined ? {} : { first: side.first }),
    },
  };
}

function boundOnly(bound: ProfileBound): Bound {
  return clean({ atMost: bound.atMost, atLeast: bound.atLeast });
}

function withinBound(value: number, bound: Bound): boolean {
  return Number.isFinite(value) &&
    (bound.atMost === undefined || value <= bound.atMost) &&
    (bound.atLeast === undefined || value >= bound.atLeast);
}

/**
 * A derived quantity in words, for reports.
 *
 * @param quantity The quantity.
 * @returns E.g. `slope of log10 absoluteError against log10 samples (sweep samples)`.
 *
 * @example
 * ```ts
 * import { describeQuantity } from "./expectations.ts";
 * const text = describeQuantity({
 *   kind: "ratio", of: { variant: "a", metric: "m" }, to: { variant: "b", metric: "m" },
 * });
 * if (text !== "a m / b m") throw new Error(text);
 * ```
 */
export function describeQuantity(quantity: Quantity): string {
  const ref = (r: MetricRef) =>
    typeof r === "string"
      ? r
      : "sweeps" in r
      ? `${sideLabel(r)} ${r.metric}`
      : `${r.variant} ${r.metric}`;
  switch (quantity.kind) {
    case "ratio":
      return `${ref(quantity.of)} / ${ref(quantity.to)}`;
    case "difference":
      return `${ref(quantity.of)} − ${ref(quantity.minus)}`;
    case "crossover":
      return `first epoch from which ${quantity.first} stays ${
        quantity.direction === "lower" ? "below" : "above"
      } ${quantity.second} in ${quantity.metric}`;
    default: {
      const key = quantity.key ?? "the swept setting";
      const of = `${quantity.metric} (sweep ${quantity.sweep}${
        quantity.template ? `, ${quantity.template}` : ""
      })`;
      if (quantity.kind === "slope") {
        return `slope of ${quantity.logY ? "log10 " : ""}${of} against ${
          quantity.logX ? "log10 " : ""
        }${key}`;
      }
      if (quantity.kind === "correlation") return `rank correlation of ${of} with ${key}`;
      return `${key} at the ${quantity.kind === "argmin" ? "lowest" : "highest"} ${of}`;
    }
  }
}

/** The value of a derived quantity; `null` if it does not exist; `not run` if its inputs did not run. */
function computeQuantity(quantity: Quantity, input: CheckInput): number | null | "not run" {
  const mean = (ref: MetricRef) => typeof ref === "string" ? undefined : sideValue(ref, input);
  switch (quantity.kind) {
    case "ratio": {
      const [of, to] = [mean(quantity.of), mean(quantity.to)];
      return of === undefined || to === undefined ? "not run" : of / to;
    }
    case "difference": {
      const [of, minus] = [mean(quantity.of), mean(quantity.minus)];
      return of === undefined || minus === undefined ? "not run" : of - minus;
    }
    case "crossover":
      return crossover(quantity, input.trials);
    default: {
      const sweep = input.sweeps.find((s) => s.name === quantity.sweep);
      if (!sweep) return "not run";
      const key = quantity.key ?? sweep.keys[0];
      const xy = sweep.variants.flatMap((variant) => {
        const point = input.points[variant];
        const y = input.summary[variant]?.[quantity.metric]?.mean;
        const x = point?.values[key];
        if (!point || y === undefined || typeof x !== "number") return [];
        if (quantity.template !== undefined && point.template !== quantity.template) return [];
        return [{ x, y }];
      });
      if (xy.length === 0) return "not run";
      if (quantity.kind === "argmin" || quantity.kind === "argmax") {
        const pick = xy.reduce((best, point) =>
          (quantity.kind === "argmin" ? point.y < best.y : point.y > best.y) ? point : best
        );
        return pick.x;
      }
      if (xy.length < 2) return null;
      if (quantity.kind === "correlation") {
        return pearson(ranks(xy.map((p) => p.x)), ranks(xy.map((p) => p.y)));
      }
      const xs = xy.map((p) => quantity.logX ? Math.log10(p.x) : p.x);
      const ys = xy.map((p) => quantity.logY ? Math.log10(p.y) : p.y);
      return leastSquaresSlope(xs, ys);
    }
  }
}

/**
 * The least-squares slope of `ys` against `xs`.
 *
 * @param xs At least two values, not all equal.
 * @param ys As many values.
 * @returns The slope; NaN when every x is the same.
 *
 * @example
 * ```ts
 * import { leastSquaresSlope } from "./expectations.ts";
 * if (leastSquaresSlope([0, 1, 2], [1, 3, 5]) !== 2) throw new Error("slope");
 * ```
 */
export function leastSquaresSlope(xs: readonly number[], ys: readonly number[]): number {
  const n = xs.length;
  const mx = xs.reduce((a, b) => a + b, 0) / n;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < n; i++) {
    sxy += (xs[i] - mx) * (ys[i] - my);
    sxx += (xs[i] - mx) ** 2;
  }
  return sxy / sxx;
}

/** Ranks from 1, ties sharing their average rank. */
function ranks(values: readonly number[]): number[] {
  const order = values.map((value, index) => ({ value, index })).sort((a, b) => a.value - b.value);
  const result = new Array<number>(values.length);
  for (let i = 0; i < order.length;) {
    let j = i;
    while (j + 1 < order.length && order[j + 1].value === order[i].value) j++;
    for (let k = i; k <= j; k++) result[order[k].index] = (i + j) / 2 + 1;
    i = j + 1;
  }
  return result;
}

function pearson(xs: readonly number[], ys: readonly number[]): number | null {
  const n = xs.length;
  const mx = xs.reduce((a, b) => a + b, 0) / n;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    sxy += (xs[i] - mx) * (ys[i] - my);
    sxx += (xs[i] - mx) ** 2;
    syy += (ys[i] - my) ** 2;
  }
  return sxx === 0 || syy === 0 ? null : sxy / Math.sqrt(sxx * syy);
}

function crossover(
  quantity: Extract<Quantity, { kind: "crossover" }>,
  trials: readonly TrialMetrics[],
): number | null | "not run" {
  const curve = (variant: string) => meanCurve(trials, variant, quantity.metric);
  const first = curve(quantity.first);
  const second = curve(quantity.second);
  if (first.size === 0 || second.size === 0) return "not run";
  const epochs = [...first.keys()].filter((epoch) => second.has(epoch)).sort((a, b) => a - b);
  const wins = (epoch: number) =>
    quantity.direction === "lower"
      ? first.get(epoch)! < second.get(epoch)!
      : first.get(epoch)! > second.get(epoch)!;
  let from: number | null = null;
  for (const epoch of epochs) {
    if (wins(epoch)) from ??= epoch;
    else from = null;
  }
  return from;
}

/** The mean over seeds of a variant's curve, epoch -> value, where every seed has the metric. */
function meanCurve(
  trials: readonly TrialMetrics[],
  variant: string,
  metric: string,
): Map<number, number> {
  const sums = new Map<number, { sum: number; n: number }>();
  const runs = trials.filter((trial) => trial.variant === variant);
  for (const trial of runs) {
    for (const point of trial.curve as CurvePoint[]) {
      const value = point[metric];
      if (typeof value !== "number") continue;
      const entry = sums.get(point.epoch) ?? { sum: 0, n: 0 };
      entry.sum += value;
      entry.n++;
      sums.set(point.epoch, entry);
    }
  }
  return new Map(
    [...sums].filter(([, entry]) => entry.n === runs.length).map((
      [epoch, entry],
    ) => [epoch, entry.sum / entry.n]),
  );
}
