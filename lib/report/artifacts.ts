/**
 * Typed artifacts: the charts and tables a task returns per trial for the report, stored in
 * `metrics.json` under `trials[i].artifacts` (keyed by name). Each is plain JSON data with a
 * `kind` that picks its renderer, a `title` and a `description` (the chart's text alternative);
 * the report draws them with the shared chart builders.
 *
 * @module
 */

import { z } from "zod";

const point = z.strictObject({ x: z.number(), y: z.number() });

/** A regular grid axis: `count` points from `min` to `max`, both included. */
const gridAxis = z.strictObject({
  min: z.number(),
  max: z.number(),
  count: z.number().int().min(2),
}).superRefine((axis, context) => {
  if (!(axis.max > axis.min)) {
    context.addIssue({
      code: "custom",
      message: `expected max greater than min, found min ${axis.min} and max ${axis.max}`,
    });
  }
});

const reference = z.strictObject({ label: z.string(), value: z.number() });

/** Fields every artifact has besides its `kind`. */
const text = {
  /** Shown above the chart or table; also the report section's title. */
  title: z.string(),
  /** The text alternative: what the chart shows, in a sentence or two. */
  description: z.string(),
  /**
   * Where the report places the artifact's section: ascending, before the sections without one
   * (which keep their order). Without it, sections follow the artifacts' names.
   */
  order: z.number().optional(),
};

const table = z.strictObject({
  kind: z.literal("table"),
  ...text,
  columns: z.array(z.string()),
  rows: z.array(z.array(z.union([z.string(), z.number(), z.null()]))),
});

const lines = z.strictObject({
  kind: z.literal("lines"),
  ...text,
  xTitle: z.string(),
  yTitle: z.string(),
  logX: z.boolean().optional(),
  logY: z.boolean().optional(),
  series: z.array(z.strictObject({
    name: z.string(),
    points: z.array(z.strictObject({
      x: z.number(),
      y: z.number(),
      low: z.number().optional(),
      high: z.number().optional(),
    })),
  })),
  references: z.array(reference).optional(),
});

const bars = z.strictObject({
  kind: z.literal("bars"),
  ...text,
  yTitle: z.string(),
  logY: z.boolean().optional(),
  /** d3-format of value labels, e.g. `.2f`. */
  format: z.string().optional(),
  bars: z.array(z.strictObject({
    label: z.string(),
    value: z.number(),
    low: z.number().optional(),
    high: z.number().optional(),
  })),
  references: z.array(z.strictObject({
    label: z.string(),
    value: z.number(),
    bar: z.string().optional(),
  })).optional(),
});

const timeSeries = z.strictObject({
  kind: z.literal("timeSeries"),
  ...text,
  yTitle: z.string(),
  points: z.array(z.strictObject({
    year: z.number(),
    value: z.number(),
    label: z.string().optional(),
    group: z.string().optional(),
  })),
  trend: z.strictObject({
    fromYear: z.number(),
    toYear: z.number(),
    valueAtFrom: z.number(),
    doublingYears: z.number(),
    label: z.string().optional(),
  }).optional(),
  references: z.array(reference).optional(),
  groupOrder: z.array(z.string()).optional(),
});

const scatter = z.strictObject({
  kind: z.literal("scatter"),
  ...text,
  xTitle: z.string(),
  yTitle: z.string(),
  logX: z.boolean().optional(),
  logY: z.boolean().optional(),
  points: z.array(z.strictObject({
    x: z.number(),
    y: z.number(),
    label: z.string().optional(),
    group: z.string().optional(),
  })),
  groupOrder: z.array(z.string()).optional(),
});

const scheme = z.enum(["greys", "diverging", "viridis"]);

const imageGrid = z.strictObject({
  kind: z.literal("imageGrid"),
  ...text,
  images: z.array(z.strictObject({
    label: z.string().optional(),
    pixels: z.array(z.array(z.number())),
  })),
  columns: z.number().int().min(1).optional(),
  scheme: scheme.optional(),
});

const heatmap = z.strictObject({
  kind: z.literal("heatmap"),
  ...text,
  matrix: z.array(z.array(z.number())),
  rowLabels: z.array(z.string()).optional(),
  columnLabels: z.array(z.string()).optional(),
  xTitle: z.string().optional(),
  yTitle: z.string().optional(),
  showValues: z.boolean().optional(),
  scheme: scheme.optional(),
});

/** A field on a grid: `values[j][i]` is the value at `x_i`, `y_j`. */
const grid = {
  x: gridAxis,
  y: gridAxis,
  values: z.array(z.array(z.number())),
};

/** Checks that `values` has `y.count` rows of `x.count` values. */
function gridShape(
  artifact: { x: { count: number }; y: { count: number }; values: number[][] },
  context: z.core.$RefinementCtx,
): void {
  if (artifact.values.length !== artifact.y.count) {
    context.addIssue({
      code: "custom",
      path: ["values"],
      message: `expected ${artifact.y.count} rows (y.count), found ${artifact.values.length}`,
    });
    return;
  }
  artifact.values.forEach((row, j) => {
    if (row.length !== artifact.x.count) {
      context.addIssue({
        code: "custom",
        path: ["values", j],
        message: `expected ${artifact.x.count} values (x.count), found ${row.length}`,
      });
    }
  });
}

const decisionRegions = z.strictObject({
  kind: z.literal("decisionRegions"),
  ...text,
  ...grid,
  /** The probability of class 1 at each grid point. */
  values: z.array(z.array(z.number().min(0).max(1))),
  points: z.array(z.strictObject({
    x: z.number(),
    y: z.number(),
    label: z.union([z.string(), z.number()]),
  })),
  xTitle: z.string().optional(),
  yTitle: z.string().optional(),
}).superRefine(gridShape);

const density = z.strictObject({
  kind: z.literal("density"),
  ...text,
  xTitle: z.string(),
  bins: z.array(z.strictObject({ x0: z.number(), x1: z.number(), density: z.number().min(0) })),
  curves: z.array(z.strictObject({ name: z.string(), points: z.array(point) })),
});

const logLogFit = z.strictObject({
  kind: z.literal("logLogFit"),
  ...text,
  xTitle: z.string(),
  yTitle: z.string(),
  points: z.array(z.strictObject({
    x: z.number().positive(),
    y: z.number().positive(),
    group: z.string().optional(),
  })),
  /** `log10 y = intercept + slope * log10 x`. */
  fit: z.strictObject({ slope: z.number(), intercept: z.number() }),
  expectedSlope: z.number().optional(),
});

const contour = z.strictObject({
  kind: z.literal("contour"),
  ...text,
  ...grid,
  logValues: z.boolean().optional(),
  paths: z.array(z.strictObject({ name: z.string(), points: z.array(point) })),
  markers: z.array(z.strictObject({ x: z.number(), y: z.number(), label: z.string() }))
    .optional(),
  xTitle: z.string().optional(),
  yTitle: z.string().optional(),
}).superRefine(gridShape);

const timeline = z.strictObject({
  kind: z.literal("timeline"),
  ...text,
  events: z.array(z.strictObject({
    year: z.number(),
    label: z.string(),
    /** The lane; events without one share a lane. */
    group: z.string().optional(),
    /** More about the event, for its tooltip. */
    detail: z.string().optional(),
    /** A second year for the same event (e.g. the year a slide gives), drawn as a ring. */
    alternative: z.strictObject({ year: z.number(), label: z.string() }).optional(),
  })),
  phases: z.array(
    z.strictObject({
      from: z.number(),
      to: z.number(),
      label: z.string(),
      /** Short lines under the label: the phase's characteristics. */
      details: z.array(z.string()).optional(),
    }).superRefine((phase, context) => {
      if (!(phase.to >= phase.from)) {
        context.addIssue({
          code: "custom",
          path: ["to"],
          message: `expected to not before from, found from ${phase.from} and to ${phase.to}`,
        });
      }
    }),
  ).optional(),
  groupOrder: z.array(z.string()).optional(),
  xTitle: z.string().optional(),
});

const textLines = z.strictObject({
  kind: z.literal("text"),
  ...text,
  lines: z.array(z.string()),
});

/**
 * The schema of one artifact: a union of strict objects on `kind`. See {@linkcode Artifact}.
 *
 * @example
 * ```ts
 * import { artifactSchema } from "./artifacts.ts";
 * const artifact = artifactSchema.parse({
 *   kind: "text",
 *   title: "Names sampled from the model",
 *   description: "Ten names, one per line.",
 *   lines: ["emma", "olivia"],
 * });
 * if (artifact.kind !== "text") throw new Error(artifact.kind);
 * ```
 */
export const artifactSchema = z.discriminatedUnion("kind", [
  table,
  lines,
  bars,
  timeSeries,
  scatter,
  imageGrid,
  heatmap,
  decisionRegions,
  density,
  logLogFit,
  contour,
  timeline,
  textLines,
]);

/**
 * One artifact, by `kind`:
 *
 * - `table`: `columns` and `rows` (cells are strings, numbers or null).
 * - `lines`: named `series` of `{ x, y, low?, high? }` points (`low`/`high` draw a band), axis
 *   titles, optional log axes and horizontal `references`.
 * - `bars`: `bars` with optional `low`/`high` ranges, `references` across the chart or over one
 *   `bar`, `yTitle`, optional `logY` and d3 `format`.
 * - `timeSeries`: `points` by year on a log axis, an optional doubling `trend`, `references`.
 * - `scatter`: labelled `points`, coloured by `group`, optional log axes.
 * - `imageGrid`: small `images` (pixel matrices) in a grid.
 * - `heatmap`: one `matrix` with optional row and column labels.
 * - `decisionRegions`: a classifier's probability of class 1 on a grid (`values[j][i]` at `x_i`,
 *   `y_j`) and the labelled data `points`.
 * - `density`: a histogram (`bins` with densities) and density `curves` over it.
 * - `logLogFit`: `points` on log–log axes with a fitted line (`log10 y = intercept + slope ·
 *   log10 x`) and an optional `expectedSlope`.
 * - `contour`: a scalar field on a grid, optimizer `paths` over it and labelled `markers`.
 * - `timeline`: labelled `events` by year in lanes (`group`), each optionally with an
 *   `alternative` year, and shaded `phases` from one year to another with their `details`.
 * - `text`: `lines` of text, e.g. names sampled from a character model.
 *
 * Every kind also has a `title`, a `description` (the text alternative) and an optional `order`
 * (where the report places its section).
 *
 * @example
 * ```ts
 * import type { Artifact } from "./artifacts.ts";
 * const loss: Artifact = {
 *   kind: "lines",
 *   title: "Loss by step",
 *   description: "The loss falls from 2.3 to 0.1.",
 *   xTitle: "step",
 *   yTitle: "loss",
 *   logY: true,
 *   series: [{ name: "SGD", points: [{ x: 0, y: 2.3 }, { x: 100, y: 0.1 }] }],
 * };
 * if (loss.kind !== "lines") throw new Error("lines");
 * ```
 */
export type Artifact = z.output<typeof artifactSchema>;

/** The kinds of artifact: `"table"`, `"lines"`, … */
export type ArtifactKind = Artifact["kind"];

/**
 * The artifact of one kind.
 *
 * @example
 * ```ts
 * import type { ArtifactOf } from "./artifacts.ts";
 * const names: ArtifactOf<"text"> = { kind: "text", title: "Names", description: "Two.", lines: ["ada", "alan"] };
 * if (names.lines.length !== 2) throw new Error("two lines");
 * ```
 */
export type ArtifactOf<K extends ArtifactKind> = Extract<Artifact, { kind: K }>;

/**
 * Every kind of artifact, in the order the schema lists them.
 *
 * @example
 * ```ts
 * import { ARTIFACT_KINDS } from "./artifacts.ts";
 * if (!ARTIFACT_KINDS.includes("contour")) throw new Error(ARTIFACT_KINDS.join());
 * ```
 */
export const ARTIFACT_KINDS: readonly ArtifactKind[] = artifactSchema.options.map((option) =>
  option.shape.kind.value
);

/**
 * Whether a value is a valid artifact.
 *
 * @param value Any value, e.g. from a parsed `metrics.json`.
 * @returns True when {@linkcode artifactSchema} accepts it.
 *
 * @example
 * ```ts
 * import { isArtifact } from "./artifacts.ts";
 * if (isArtifact({ kind: "text", title: "t", description: "d" })) throw new Error("lines missing");
 * if (!isArtifact({ kind: "text", title: "t", description: "d", lines: [] })) throw new Error("valid");
 * ```
 */
export function isArtifact(value: unknown): value is Artifact {
  return artifactSchema.safeParse(value).success;
}
