/**
 * Turns the typed artifacts of a run's trials into report sections: one section per artifact
 * name, its charts drawn by the builder for the artifact's kind.
 *
 * Curves, paths, densities and log–log points are overlaid across variants, so one chart
 * compares them: `lines`, `contour` (its paths), `density` (its curves) and `logLogFit` (its
 * points and fits) take the first seed of every variant, their series named by the variant's
 * label when more than one variant has the artifact. Every other kind gives one chart or table
 * per variant, for its first seed.
 *
 * @module
 */

import type { TopLevelSpec } from "vega-lite";
import type { Artifact, ArtifactKind, ArtifactOf } from "./artifacts.ts";
import { isArtifact } from "./artifacts.ts";
import { barsWithReferences } from "./charts/bars_with_references.ts";
import { contourPaths } from "./charts/contour_paths.ts";
import { decisionRegions } from "./charts/decision_regions.ts";
import { densityHistogram } from "./charts/density_histogram.ts";
import { heatmap } from "./charts/heatmap.ts";
import { lines } from "./charts/lines.ts";
import { logLogFit } from "./charts/log_log_fit.ts";
import { logTimeSeries } from "./charts/log_time_series.ts";
import { scatter } from "./charts/scatter.ts";
import { timeline } from "./charts/timeline.ts";
import type { ReportSection } from "./experiment_page.ts";

/** One trial's artifact, with where it comes from. */
export interface ArtifactEntry {
  /** The artifact's name (its key in the trial's artifacts); one report section per name. */
  key: string;
  /** The trial's variant. */
  variant: string;
  /** How the report names the variant. */
  variantLabel: string;
  /** The trial's seed. */
  seed: number;
  /** The artifact. */
  artifact: Artifact;
  /** From `run.json`: a measurement that varies between runs; the caption says so. */
  measured?: boolean;
}

/** What a kind's renderer gives: a section without its title. */
type SectionBody = Omit<ReportSection, "title">;

type EntryOf<K extends ArtifactKind> = ArtifactEntry & { artifact: ArtifactOf<K> };

/** Renders the entries of one artifact name: the first seed of each variant, in order. */
type Renderer<K extends ArtifactKind> = (entries: readonly EntryOf<K>[]) => SectionBody;

const MEASURED = "Measured in this run; varies between runs.";

/** The artifact's text alternative, saying so when it was measured. */
function describe(description: string, measured: boolean): string {
  return measured ? `${description} ${MEASURED}` : description;
}

/** The title of one variant's chart or table: `title — variant` when several variants have it. */
function titleOf(entry: ArtifactEntry, several: boolean): string {
  return several ? `${entry.artifact.title} — ${entry.variantLabel}` : entry.artifact.title;
}

/**
 * The name of an overlaid series: its own when one variant has the artifact; else the variant's
 * label, followed by the series' own name when the variant has several.
 */
function seriesName(entry: ArtifactEntry, name: string, count: number, several: boolean): string {
  if (!several) return name;
  return count > 1 ? `${entry.variantLabel} · ${name}` : entry.variantLabel;
}

/** The first entry's artifact, for the fields an overlay takes from it (axes, the field). */
function firstOf<K extends ArtifactKind>(entries: readonly EntryOf<K>[]): ArtifactOf<K> {
  return entries[0].artifact;
}

/** Whether any overlaid entry was measured. */
function anyMeasured(entries: readonly ArtifactEntry[]): boolean {
  return entries.some((entry) => entry.measured === true);
}

/** A renderer drawing one chart per variant. */
function chartPerVariant<K extends ArtifactKind>(
  chart: (artifact: ArtifactOf<K>, title: string, description: string) => TopLevelSpec,
): Renderer<K> {
  return (entries) => ({
    charts: entries.map((entry) => ({
      spec: chart(
        entry.artifact,
        titleOf(entry, entries.length > 1),
        describe(entry.artifact.description, entry.measured === true),
      ),
    })),
  });
}

const renderTable: Renderer<"table"> = (entries) => ({
  intro: describe(entries[0].artifact.description, anyMeasured(entries)),
  charts: [],
  tables: entries.map((entry) => ({
    caption: titleOf(entry, entries.length > 1),
    columns: [...entry.artifact.columns],
    rows: entry.artifact.rows.map((row) => row.map((cell) => cell ?? "—")),
  })),
});

const renderText: Renderer<"text"> = (entries) => ({
  intro: describe(entries[0].artifact.description, anyMeasured(entries)),
  charts: [],
  notes: entries.flatMap((entry) =>
    entry.artifact.lines.map((line) => entries.length > 1 ? `${entry.variantLabel}: ${line}` : line)
  ),
});

const renderLines: Renderer<"lines"> = (entries) => {
  const first = firstOf(entries);
  const several = entries.length > 1;
  const seen = new Set<string>();
  const references = entries.flatMap((entry) => entry.artifact.references ?? []).filter(
    (reference) => {
      const id = JSON.stringify([reference.label, reference.value]);
      return !seen.has(id) && seen.add(id) !== undefined;
    },
  );
  return {
    charts: [{
      spec: lines({
        title: first.title,
        description: describe(first.description, anyMeasured(entries)),
        xTitle: first.xTitle,
        yTitle: first.yTitle,
        logX: first.logX,
        logY: first.logY,
        series: entries.flatMap((entry) =>
          entry.artifact.series.map((series) => ({
            name: seriesName(entry, series.name, entry.artifact.series.length, several),
            points: series.points,
          }))
        ),
        references,
      }),
    }],
  };
};

const renderContour: Renderer<"contour"> = (entries) => {
  const first = firstOf(entries);
  const several = entries.length > 1;
  return {
    charts: [{
      spec: contourPaths({
        title: first.title,
        description: describe(first.description, anyMeasured(entries)),
        x: first.x,
        y: first.y,
        values: first.values,
        logValues: first.logValues,
        xTitle: first.xTitle,
        yTitle: first.yTitle,
        markers: first.markers,
        paths: entries.flatMap((entry) =>
          entry.artifact.paths.map((path) => ({
            name: seriesName(entry, path.name, entry.artifact.paths.length, several),
            points: path.points,
          }))
        ),
      }),
    }],
  };
};

const renderDensity: Renderer<"density"> = (entries) => {
  const first = firstOf(entries);
  const several = entries.length > 1;
  return {
    charts: [{
      spec: densityHistogram({
        title: first.title,
        description: describe(first.description, anyMeasured(entries)),
        xTitle: first.xTitle,
        bins: first.bins,
        curves: entries.flatMap((entry) =>
          entry.artifact.curves.map((curve) => ({
            name: seriesName(entry, curve.name, entry.artifact.curves.length, several),
            points: curve.points,
          }))
        ),
      }),
    }],
  };
};

const renderLogLogFit: Renderer<"logLogFit"> = (entries) => {
  const first = firstOf(entries);
  const several = entries.length > 1;
  return {
    charts: [{
      spec: logLogFit({
        title: first.title,
        description: describe(first.description, anyMeasured(entries)),
        xTitle: first.xTitle,
        yTitle: first.yTitle,
        expectedSlope: first.expectedSlope,
        points: entries.flatMap((entry) => {
          const groups = new Set(entry.artifact.points.map((point) => point.group ?? ""));
          return entry.artifact.points.map((point) => ({
            x: point.x,
            y: point.y,
            group: several ? seriesName(entry, point.group ?? "", groups.size, true) : point.group,
          }));
        }),
        fits: entries.map((entry) => ({
          ...entry.artifact.fit,
          ...(several ? { group: entry.variantLabel } : {}),
        })),
      }),
    }],
  };
};

/** The renderer of each kind. */
const RENDERERS: { [K in ArtifactKind]: Renderer<K> } = {
  table: renderTable,
  text: renderText,
  lines: renderLines,
  contour: renderContour,
  density: renderDensity,
  logLogFit: renderLogLogFit,
  bars: chartPerVariant<"bars">((artifact, title, description) =>
    barsWithReferences({
      title,
      description,
      yTitle: artifact.yTitle,
      logY: artifact.logY,
      format: artifact.format,
      bars: artifact.bars,
      references: artifact.references,
    })
  ),
  timeSeries: chartPerVariant<"timeSeries">((artifact, title, description) =>
    logTimeSeries({
      title,
      description,
      yTitle: artifact.yTitle,
      points: artifact.points,
      trend: artifact.trend,
      references: artifact.references,
      groupOrder: artifact.groupOrder,
    })
  ),
  scatter: chartPerVariant<"scatter">((artifact, title, description) =>
    scatter({
      title,
      description,
      xTitle: artifact.xTitle,
      yTitle: artifact.yTitle,
      logX: artifact.logX,
      logY: artifact.logY,
      points: artifact.points,
      groupOrder: artifact.groupOrder,
    })
  ),
  imageGrid: chartPerVariant<"imageGrid">((artifact, title, description) =>
    heatmap({
      title,
      description,
      images: artifact.images,
      columns: artifact.columns,
      // Tiles at least 64 pixels wide, so that small images (5×5 filters) and their labels show.
      cellSize: Math.max(
        4,
        Math.ceil(
          64 / Math.max(
            1,
            ...artifact.images.flatMap((image) => image.pixels.map((row) => row.length)),
          ),
        ),
      ),
      scheme: artifact.scheme,
    })
  ),
  heatmap: chartPerVariant<"heatmap">((artifact, title, description) =>
    heatmap({
      title,
      description,
      matrix: artifact.matrix,
      rowLabels: artifact.rowLabels,
      columnLabels: artifact.columnLabels,
      xTitle: artifact.xTitle,
      yTitle: artifact.yTitle,
      showValues: artifact.showValues,
      scheme: artifact.scheme,
    })
  ),
  timeline: chartPerVariant<"timeline">((artifact, title, description) =>
    timeline({
      title,
      description,
      events: artifact.events,
      phases: artifact.phases,
      groupOrder: artifact.groupOrder,
      xTitle: artifact.xTitle,
    })
  ),
  decisionRegions: chartPerVariant<"decisionRegions">((artifact, title, description) =>
    decisionRegions({
      title,
      description,
      x: artifact.x,
      y: artifact.y,
      values: artifact.values,
      points: artifact.points,
      xTitle: artifact.xTitle,
      yTitle: artifact.yTitle,
    })
  ),
};

/**
 * Renders artifacts as report sections: one per artifact name, titled by the artifact's title,
 * drawn by the renderer of its kind. Sections whose artifacts have an `order` come first,
 * ascending (the smallest of the name's entries counts); the others follow in order of first
 * appearance.
 *
 * @param entries The trials' artifacts, in trial order (variants, then seeds).
 * @returns The sections.
 * @throws {TypeError} When one name holds artifacts of different kinds.
 *
 * @example
 * ```ts
 * import { renderArtifacts } from "./render_artifacts.ts";
 * const loss = (y: number) => ({
 *   kind: "lines" as const,
 *   title: "Loss",
 *   description: "The loss falls.",
 *   xTitle: "step",
 *   yTitle: "loss",
 *   series: [{ name: "loss", points: [{ x: 0, y: 2 }, { x: 1, y }] }],
 * });
 * const sections = renderArtifacts([
 *   { key: "loss", variant: "sgd", variantLabel: "SGD", seed: 1, artifact: loss(1) },
 *   { key: "loss", variant: "adam", variantLabel: "Adam", seed: 1, artifact: loss(0.5) },
 * ]);
 * if (sections.length !== 1 || sections[0].charts.length !== 1) throw new Error("one overlaid chart");
 * ```
 */
export function renderArtifacts(entries: readonly ArtifactEntry[]): ReportSection[] {
  const byKey = new Map<string, ArtifactEntry[]>();
  for (const entry of entries) {
    const list = byKey.get(entry.key);
    if (list) list.push(entry);
    else byKey.set(entry.key, [entry]);
  }
  const orderOf = (list: readonly ArtifactEntry[]) =>
    Math.min(...list.map((entry) => entry.artifact.order ?? Infinity));
  // Array.prototype.sort is stable: equal orders (and no order) keep their first appearance.
  const ordered = [...byKey].sort(([, a], [, b]) => {
    const [orderA, orderB] = [orderOf(a), orderOf(b)];
    return orderA === orderB ? 0 : orderA < orderB ? -1 : 1;
  });
  return ordered.map(([key, list]) => {
    const kind = list[0].artifact.kind;
    const other = list.find((entry) => entry.artifact.kind !== kind);
    if (other) {
      throw new TypeError(
        `artifact "${key}": expected the same kind in every trial, found "${kind}" (${
          list[0].variant
        }, seed ${
          list[0].seed
        }) and "${other.artifact.kind}" (${other.variant}, seed ${other.seed})`,
      );
    }
    const variants = new Set<string>();
    const firstSeeds = list.filter((entry) =>
      !variants.has(entry.variant) && variants.add(entry.variant)
    );
    const render = RENDERERS[kind] as Renderer<ArtifactKind>;
    return { title: list[0].artifact.title, ...render(firstSeeds as EntryOf<ArtifactKind>[]) };
  });
}

/**
 * The artifacts of a run's trials as entries for {@linkcode renderArtifacts}, in trial order and,
 * within a trial, in key order. Values that are not typed artifacts (untyped results of older
 * tasks) are left out.
 *
 * @param trials The trials, e.g. `metrics.trials`.
 * @param variantLabels How the report names each variant; the variant's name where missing.
 * @param measured True for artifacts from `run.json`.
 * @returns The entries.
 *
 * @example
 * ```ts
 * import { artifactEntries } from "./render_artifacts.ts";
 * const entries = artifactEntries(
 *   [{ variant: "mlp", seed: 1, artifacts: {
 *     names: { kind: "text", title: "Names", description: "Two names.", lines: ["ada", "alan"] },
 *     legacy: { rows: [] },
 *   } }],
 *   { mlp: "MLP" },
 * );
 * if (entries.length !== 1 || entries[0].variantLabel !== "MLP") throw new Error("one typed artifact");
 * ```
 */
export function artifactEntries(
  trials: readonly {
    variant: string;
    seed: number;
    artifacts?: Readonly<Record<string, unknown>>;
  }[],
  variantLabels: Readonly<Record<string, string>>,
  measured = false,
): ArtifactEntry[] {
  return trials.flatMap((trial) =>
    Object.entries(trial.artifacts ?? {}).filter(([, artifact]) => isArtifact(artifact)).map((
      [key, artifact],
    ) => ({
      key,
      variant: trial.variant,
      variantLabel: variantLabels[trial.variant] ?? trial.variant,
      seed: trial.seed,
      artifact: artifact as Artifact,
      ...(measured ? { measured } : {}),
    }))
  );
}
