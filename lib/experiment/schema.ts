/**
 * The schema of an experiment definition's header: the keys every experiment has whatever its
 * kind — what it reproduces, its seeds, variants, sweeps, profiles and expected results. The
 * remaining keys are the task's settings, validated by the task's own schema.
 *
 * @module
 */

import { z } from "zod";

/** Seeds are unsigned 32-bit integers. */
export const seedSchema = z.number().int().min(0).max(0xffff_ffff);

/** Names of variants, sweeps and profiles: they appear in paths like `variants.mlp.settings`. */
export const nameSchema = z.string().regex(
  /^[a-z][a-z0-9_-]*$/,
  "expected lower-case letters, digits, '-' or '_', starting with a letter",
);

const boundShape = {
  /** The value must be at most this. */
  atMost: z.number().optional(),
  /** The value must be at least this. */
  atLeast: z.number().optional(),
};

const hasBound = (bound: { atMost?: number; atLeast?: number }) =>
  bound.atMost !== undefined || bound.atLeast !== undefined;

/** A bound for a reduced profile, or `skip: true` where the profile trains too little to check. */
const profileBoundSchema = z.strictObject({ ...boundShape, skip: z.literal(true).optional() })
  .refine((bound) => bound.skip === true || hasBound(bound), {
    message: "expected atMost or atLeast (or both), or skip: true",
  });

/** A published value with its bounds: the variant's mean over seeds must lie within them. */
export const valueExpectationSchema = z.strictObject({
  /** Absent or `value`: this form. */
  kind: z.literal("value").optional(),
  /** The variant whose mean across seeds is checked. */
  variant: nameSchema,
  /** A final metric the task reports. */
  metric: z.string().min(1),
  /** The figure the source reports. */
  published: z.number(),
  /** Where the figure comes from. */
  source: z.string().min(1),
  ...boundShape,
  /** Bounds for reduced profiles, which train less and so cannot reach the paper's figure. */
  profiles: z.record(z.string(), profileBoundSchema).default({}),
}).refine(hasBound, { message: "expected atMost or atLeast (or both) for the full profile" });

/**
 * The best a search found: for each named sweep, the lowest (or highest) mean of a metric over its
 * first `first` points (all of them without it), in the order the sweep made them; then the mean
 * over the sweeps (several random searches with different seeds).
 */
export const sweepBestSchema = z.strictObject({
  sweeps: z.array(nameSchema).min(1),
  metric: z.string().min(1),
  reduce: z.enum(["min", "max"]),
  first: z.number().int().min(1).optional(),
});

/**
 * One side of a comparison: a variant's metric (the expectation's metric when only a name is
 * given), or the best point of one or more sweeps.
 */
export const metricRefSchema = z.union([
  nameSchema,
  z.strictObject({ variant: nameSchema, metric: z.string().min(1) }),
  sweepBestSchema,
]);

/** Variant `better` beats variant `worse` on a metric, by at least `margin`. */
export const beatsExpectationSchema = z.strictObject({
  kind: z.literal("beats"),
  /** The metric compared, unless a side names its own. */
  metric: z.string().min(1).optional(),
  /** The side that should win. */
  better: metricRefSchema,
  /** The side that should lose. */
  worse: metricRefSchema,
  /** Whether lower (errors, losses) or higher (accuracies) wins; default lower. */
  direction: z.enum(["lower", "higher"]).default("lower"),
  /** How much better, in the metric's unit; default 0 (strictly better is not required). */
  margin: z.number().min(0).default(0),
  /** What the source says, in words (e.g. "0.95 % against 4.5 %"). */
  published: z.string().min(1).optional(),
  /** Where the comparison comes from. */
  source: z.string().min(1),
  /** Per reduced profile: another margin, or skip. */
  profiles: z.record(
    z.string(),
    z.strictObject({ margin: z.number().min(0).optional(), skip: z.literal(true).optional() }),
  ).default({}),
});

const sweepPointRef = {
  /** A final metric (mean over seeds per variant). */
  metric: z.string().min(1),
  /** The sweep whose points are used. */
  sweep: nameSchema,
  /** The swept setting; default the sweep's only one. */
  key: z.string().min(1).optional(),
  /** For a sweep over several template variants: which template's points. */
  template: nameSchema.optional(),
};

/** A quantity derived from the results: what a derived expectation bounds. */
export const quantitySchema = z.discriminatedUnion("kind", [
  /** `of / to`. */
  z.strictObject({ kind: z.literal("ratio"), of: metricRefSchema, to: metricRefSchema }),
  /** `of - minus`. */
  z.strictObject({ kind: z.literal("difference"), of: metricRefSchema, minus: metricRefSchema }),
  /** The least-squares slope of a metric against a swept setting, optionally on log axes. */
  z.strictObject({
    kind: z.literal("slope"),
    ...sweepPointRef,
    logX: z.boolean().default(false),
    logY: z.boolean().default(false),
  }),
  /** The swept value at which a metric is lowest. */
  z.strictObject({ kind: z.literal("argmin"), ...sweepPointRef }),
  /** The swept value at which a metric is highest. */
  z.strictObject({ kind: z.literal("argmax"), ...sweepPointRef }),
  /** Spearman's rank correlation of a metric with a swept setting (-1 to 1). */
  z.strictObject({ kind: z.literal("correlation"), ...sweepPointRef }),
  /**
   * The first epoch from which `first`'s mean learning curve stays below `second`'s (above, for
   * direction higher) until the end.
   */
  z.strictObject({
    kind: z.literal("crossover"),
    metric: z.string().min(1),
    first: nameSchema,
    second: nameSchema,
    direction: z.enum(["lower", "higher"]).default("lower"),
  }),
]);

/** A derived quantity lies in a range. */
export const derivedExpectationSchema = z.strictObject({
  kind: z.literal("derived"),
  /** An identifier for the quantity, e.g. `monteCarloSlope`. */
  name: z.string().regex(/^[a-zA-Z][a-zA-Z0-9]*$/, "expected a camelCase identifier"),
  /** What is computed. */
  quantity: quantitySchema,
  /** The figure the source reports, if it reports one. */
  published: z.number().optional(),
  /** Where the expectation comes from. */
  source: z.string().min(1),
  ...boundShape,
  profiles: z.record(z.string(), profileBoundSchema).default({}),
}).refine(hasBound, { message: "expected atMost or atLeast (or both) for the full profile" });

/** A sweep's distribution for one setting in a random search. */
export const distributionSchema = z.union([
  z.strictObject({ uniform: z.tuple([z.number(), z.number()]) }),
  z.strictObject({ logUniform: z.tuple([z.number().positive(), z.number().positive()]) }),
  z.strictObject({ int: z.tuple([z.number().int(), z.number().int()]) }),
  z.strictObject({ choice: z.array(z.json()).min(1) }),
]);

/**
 * A declared search space that expands into variants: a grid (every combination) or a random
 * search (points drawn from the experiment's first seed, or `seed`).
 */
export const sweepSchema = z.strictObject({
  name: nameSchema,
  /** How reports name it; default the name. */
  label: z.string().min(1).optional(),
  /**
   * Variants whose settings each point starts from; they then run only as part of the sweep. With
   * none, points start from the experiment's own settings.
   */
  variants: z.array(nameSchema).min(1).optional(),
  /** Setting path -> the values to try; every combination is a variant. */
  grid: z.record(z.string().min(1), z.array(z.json()).min(1)).optional(),
  /** `count` points, each setting drawn from its distribution. */
  random: z.strictObject({
    count: z.number().int().min(1),
    /** Default: the experiment's first seed. */
    seed: seedSchema.optional(),
    space: z.record(z.string().min(1), distributionSchema),
  }).optional(),
}).refine((sweep) => (sweep.grid === undefined) !== (sweep.random === undefined), {
  message: "expected exactly one of grid or random",
});

/** One variant: a name and the settings it changes. */
export const variantSchema = z.strictObject({
  name: nameSchema,
  /** How reports name it, e.g. "LeNet-5". */
  label: z.string().min(1).optional(),
  /** Settings this variant changes, deep-merged over the experiment's own. */
  settings: z.record(z.string(), z.unknown()).default({}),
});

/** The header: everything but the task's settings. */
export const headerSchema = z.object({
  id: nameSchema,
  chapter: z.number().int().min(1).max(12),
  title: z.string().min(1),
  reproduces: z.strictObject({
    claim: z.string().min(1),
    source: z.string().min(1),
    url: z.string().optional(),
  }),
  /** The task kind: a built-in one or one the experiment's module exports in `tasks`. */
  kind: z.string().min(1),
  seeds: z.array(seedSchema).min(1),
  variants: z.array(variantSchema).default([]),
  sweeps: z.array(sweepSchema).default([]),
  /** Profile name -> overrides as `path: value` (the same paths as `--set`). */
  profiles: z.record(nameSchema, z.record(z.string(), z.unknown())).default({}),
  /** Checked one by one against the schema of their `kind` (value, beats, derived). */
  expect: z.array(z.unknown()).default([]),
  /** Remarks for the report, e.g. where the paper trained longer than the full profile does. */
  notes: z.array(z.string().min(1)).default([]),
});

/** The keys of the header, which are not settings. */
export const HEADER_KEYS: readonly string[] = Object.keys(headerSchema.shape);

/** A parsed header. */
export type Header = z.output<typeof headerSchema>;
/** A parsed variant. */
export type Variant = z.output<typeof variantSchema>;
/** A parsed sweep. */
export type Sweep = z.output<typeof sweepSchema>;
/** A value expectation as written. */
export type ValueExpectationInput = z.input<typeof valueExpectationSchema>;
/** A comparison as written. */
export type BeatsExpectationInput = z.input<typeof beatsExpectationSchema>;
/** A derived expectation as written. */
export type DerivedExpectationInput = z.input<typeof derivedExpectationSchema>;
/** Any expectation as written. */
export type ExpectationInput =
  | ValueExpectationInput
  | BeatsExpectationInput
  | DerivedExpectationInput;
/** A derived quantity, parsed. */
export type Quantity = z.output<typeof quantitySchema>;
/** A metric reference, parsed. */
export type MetricRef = z.output<typeof metricRefSchema>;
/** A sweep's best point, parsed. */
export type SweepBest = z.output<typeof sweepBestSchema>;
/** A sweep distribution, parsed. */
export type Distribution = z.output<typeof distributionSchema>;

/** The schema for an expectation of the given kind (absent: `value`). */
export function expectationSchemaFor(kind: unknown) {
  if (kind === "beats") return beatsExpectationSchema;
  if (kind === "derived") return derivedExpectationSchema;
  return valueExpectationSchema;
}

/** The expectation kinds, for messages. */
export const EXPECTATION_KINDS = ["value", "beats", "derived"] as const;
