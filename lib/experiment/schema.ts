/**
 * The schema of an experiment definition's header: the keys every experiment has whatever its
 * kind. The remaining keys are the task's settings, validated by the task's own schema.
 *
 * @module
 */

import { z } from "zod";

/** Seeds are unsigned 32-bit integers. */
export const seedSchema = z.number().int().min(0).max(0xffff_ffff);

const nameSchema = z.string().regex(
  /^[a-z][a-z0-9_-]*$/,
  "expected lower-case letters, digits, '-' or '_', starting with a letter",
);

const boundSchema = z.strictObject({
  atMost: z.number().optional(),
  atLeast: z.number().optional(),
}).refine((bound) => bound.atMost !== undefined || bound.atLeast !== undefined, {
  message: "expected atMost or atLeast (or both)",
});

/** A published result with its bounds. */
export const expectationSchema = z.strictObject({
  /** The variant whose mean across seeds is checked. */
  variant: nameSchema,
  /** A final metric the task reports. */
  metric: z.string().min(1),
  /** The figure the source reports. */
  published: z.number(),
  /** Where the figure comes from. */
  source: z.string().min(1),
  /** The bound in the `full` profile. */
  atMost: z.number().optional(),
  atLeast: z.number().optional(),
  /** Bounds for reduced profiles, which train less and so cannot reach the paper's figure. */
  profiles: z.record(z.string(), boundSchema).default({}),
}).refine((bound) => bound.atMost !== undefined || bound.atLeast !== undefined, {
  message: "expected atMost or atLeast (or both) for the full profile",
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
  kind: z.string().min(1),
  seeds: z.array(seedSchema).min(1),
  variants: z.array(variantSchema).min(1),
  /** Profile name -> overrides as `path: value` (the same paths as `--set`). */
  profiles: z.record(nameSchema, z.record(z.string(), z.unknown())).default({}),
  expect: z.array(expectationSchema).default([]),
});

/** The keys of the header, which are not settings. */
export const HEADER_KEYS: readonly string[] = Object.keys(headerSchema.shape);

/** A parsed header. */
export type Header = z.output<typeof headerSchema>;
/** A parsed variant. */
export type Variant = z.output<typeof variantSchema>;
/** A parsed expectation. */
export type ExpectationInput = z.input<typeof expectationSchema>;
