/**
 * The report page of one experiment (`reports/<id>/index.html`): what it reproduces, the verdict
 * against the published numbers, learning curves, final metrics, task-specific sections and the
 * environment it ran in. Rendering is pure: same records, same bytes.
 *
 * @module
 */

import type { TopLevelSpec } from "vega-lite";
import {
  describeBackend,
  type MetricsRecord,
  type ResolvedConfigRecord,
  type RunRecord,
  type SweepRecord,
  type ValueCheck,
} from "../experiment/records.ts";
import { barsWithReferences } from "./charts/bars_with_references.ts";
import { type CurveSeries, learningCurves } from "./charts/learning_curves.ts";
import { lines } from "./charts/lines.ts";
import { renderFigure } from "./figure.ts";
import {
  formatCount,
  formatDuration,
  formatMetric,
  formatMetricNumber,
  formatSignificant,
  isPercentMetric,
  metricLabel,
} from "./format.ts";
import { escapeHtml, pageHead, type RawHtml, renderTable } from "./html.ts";
import { describeCheck } from "./check_text.ts";
import { bestSoFar, sideLabel } from "../experiment/expectations.ts";
export { formatBound } from "./check_text.ts";

/**
 * A task-specific section of a report: charts, tables and notes after the shared sections.
 *
 * @example
 * ```ts
 * import type { ReportSection } from "./experiment_page.ts";
 * const section: ReportSection = {
 *   title: "Sizes",
 *   tables: [{ caption: "Parameters", columns: ["model", "parameters"], rows: [["MLP", 266610]] }],
 *   charts: [],
 * };
 * if (section.tables?.length !== 1) throw new Error("one table");
 * ```
 */
export type ReportSection = {
  title: string;
  /** A paragraph before the charts. */
  intro?: string;
  /** Charts; the caption defaults to the spec's `description`. */
  charts: { spec: TopLevelSpec; caption?: string }[];
  tables?: { caption: string; columns: string[]; rows: (string | number)[][] }[];
  notes?: string[];
};

/** What an experiment page is made from. */
export interface ExperimentPageInput {
  metrics: MetricsRecord;
  run: RunRecord;
  config: ResolvedConfigRecord;
}

/** Options of {@linkcode renderExperimentPage}. */
export interface ExperimentPageOptions {
  /** Task-specific sections, after the shared ones and before the environment. */
  extraSections?: readonly ReportSection[];
  /** Where the shared assets are, relative to the page; default `../assets/`. */
  assetsPath?: string;
  /** Where the index is, relative to the page; default `../index.html`. */
  indexPath?: string;
  /** Why the result may be out of date (older code produced it), shown at the top. */
  staleness?: string;
}

const CURVE_ORDER = ["trainLoss", "epochTrainLoss", "testLoss", "testErrorPercent"];
const FINAL_ORDER = ["testErrorPercent", "testLoss", "trainLoss", "parameters", "steps"];

function byPreferredOrder(names: Iterable<string>, preferred: readonly string[]): string[] {
  const set = new Set(names);
  const known = preferred.filter((name) => set.has(name));
  const rest = [...set].filter((name) => !preferred.includes(name)).sort();
  return [...known, ...rest];
}

/**
 * The variants in the order the experiment defines them, then any others in sorted order.
 *
 * @param input The records.
 * @returns Variant names.
 *
 * @example
 * ```ts
 * import { variantOrder } from "./experiment_page.ts";
 * const order = variantOrder({
 *   config: { header: { variantLabels: { lenet5: "LeNet-5", mlp: "MLP" } } },
 *   metrics: { trials: [{ variant: "mlp" }, { variant: "lenet5" }], summary: {} },
 * } as never);
 * if (order.join() !== "lenet5,mlp") throw new Error(order.join());
 * ```
 */
export function variantOrder(input: Pick<ExperimentPageInput, "config" | "metrics">): string[] {
  const defined = Object.keys(input.config.header.variantLabels);
  const present = new Set([
    ...input.metrics.trials.map((trial) => trial.variant),
    ...Object.keys(input.metrics.summary),
  ]);
  return [
    ...defined.filter((variant) => present.has(variant)),
    ...[...present].filter((variant) => !defined.includes(variant)).sort(),
  ];
}

function capitalize(text: string): string {
  return text.length === 0 ? text : text[0].toUpperCase() + text.slice(1);
}

function labelOf(config: ResolvedConfigRecord, variant: string): string {
  return config.header.variantLabels[variant] ?? variant;
}

function slug(text: string, used: Set<string>): string {
  const base = text.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "") || "section";
  let name = base;
  for (let i = 2; used.has(name); i++) name = `${base}-${i}`;
  used.add(name);
  return name;
}

function statusHtml(pass: boolean): RawHtml {
  return {
    html: pass
      ? '<span class="status pass">✓ pass</span>'
      : '<span class="status fail">✗ fail</span>',
  };
}

function link(text: string, url?: string): string {
  return url ? `<a href="${escapeHtml(url)}">${escapeHtml(text)}</a>` : escapeHtml(text);
}

class FigureCounter {
  #next = 1;
  async render(spec: TopLevelSpec, caption?: string): Promise<string> {
    return await renderFigure(spec, `chart-${this.#next++}`, caption);
  }
}

async function resultsSection(input: ExperimentPageInput, figures: FigureCounter): Promise<string> {
  const { metrics, config } = input;
  const labels = config.header.variantLabels;
  const parts: string[] = [];
  if (metrics.checks.length === 0) {
    parts.push("<p>This experiment declares no published numbers to check.</p>");
    return parts.join("\n");
  }
  const passed = metrics.checks.filter((check) => check.pass).length;
  parts.push(
    `<p>${passed} of ${metrics.checks.length} check${
      metrics.checks.length === 1 ? "" : "s"
    } passed. A published value is checked on the mean over seeds, with a bound around it; a comparison on the two variants' means; a derived quantity (a fitted slope, a ratio, the best point of a sweep) against its range. The bounds are the ones for the <code>${
      escapeHtml(metrics.profile)
    }</code> profile.</p>`,
  );
  parts.push(renderTable({
    caption: "Measured against published",
    columns: ["check", "measured", "published", "bound", "source", "result"],
    rows: metrics.checks.map((check) => {
      const text = describeCheck(check, labels);
      return [
        text.subject,
        text.measured,
        text.published,
        text.bound,
        check.source,
        statusHtml(check.pass),
      ];
    }),
  }, "checks"));
  const byMetric = new Map<string, ValueCheck[]>();
  for (const check of metrics.checks) {
    if ("kind" in check) continue;
    const list = byMetric.get(check.metric) ?? [];
    list.push(check);
    byMetric.set(check.metric, list);
  }
  for (const [metric, checks] of byMetric) {
    const used = new Map<string, number>();
    const bars = checks.map((check) => {
      let label = labelOf(config, check.variant);
      const seen = used.get(label) ?? 0;
      used.set(label, seen + 1);
      if (seen > 0) label = `${label} (${seen + 1})`;
      const summary = metrics.summary[check.variant]?.[metric];
      return {
        label,
        value: check.value,
        published: check.published,
        ...(summary && summary.n > 1 ? { low: summary.min, high: summary.max } : {}),
      };
    });
    const format = isPercentMetric(metric) ? ".2f" : ".3~s";
    const description = `${capitalize(metricLabel(metric))}, measured (bars, mean over seeds${
      bars.some((bar) => bar.low !== undefined) ? ", with the min–max range" : ""
    }) against published (dashed): ${
      bars.map((bar) =>
        `${bar.label} ${formatMetric(metric, bar.value)} vs ${formatMetric(metric, bar.published)}`
      ).join("; ")
    }.`;
    parts.push(
      await figures.render(barsWithReferences({
        title: `${capitalize(metricLabel(metric))}: measured vs published`,
        description,
        yTitle: metricLabel(metric),
        format,
        bars: bars.map(({ label, value, low, high }) => ({ label, value, low, high })),
        references: bars.map((bar) => ({
          label: `published ${formatMetric(metric, bar.published)}`,
          value: bar.published,
          bar: bar.label,
        })),
      })),
    );
  }
  return parts.join("\n");
}

/**
 * The curve metrics present in a run, in reading order (losses first, then errors).
 *
 * @param metrics The metrics record.
 * @returns Metric names found in some curve point.
 *
 * @example
 * ```ts
 * import { curveMetrics } from "./experiment_page.ts";
 * const names = curveMetrics({ trials: [{ curve: [{ step: 0, epoch: 0, testErrorPercent: 9, trainLoss: 2 }] }] } as never);
 * if (names.join() !== "trainLoss,testErrorPercent") throw new Error(names.join());
 * ```
 */
export function curveMetrics(metrics: Pick<MetricsRecord, "trials">): string[] {
  const names = new Set<string>();
  for (const trial of metrics.trials) {
    for (const point of trial.curve) {
      for (const key of Object.keys(point)) {
        if (key !== "step" && key !== "epoch" && typeof point[key] === "number") names.add(key);
      }
    }
  }
  return byPreferredOrder(names, CURVE_ORDER);
}

/** Variants drawn together: the explicit ones, then each sweep's points apart. */
function curveGroups(input: ExperimentPageInput): { title: string; variants: string[] }[] {
  const variants = variantOrder(input);
  const points = input.config.header.sweepPoints ?? {};
  const groups: { title: string; variants: string[] }[] = [];
  const plain = variants.filter((variant) => !points[variant]);
  if (plain.length > 0) groups.push({ title: "", variants: plain });
  for (const sweep of input.config.header.sweeps ?? []) {
    const members = variants.filter((variant) => points[variant]?.sweep === sweep.name);
    if (members.length > 0) groups.push({ title: `sweep ${sweep.label}`, variants: members });
  }
  return groups;
}

async function curvesSection(input: ExperimentPageInput, figures: FigureCounter): Promise<string> {
  const { metrics, config } = input;
  const seeds = new Set(metrics.trials.map((trial) => trial.seed)).size;
  const parts: string[] = [
    `<p>Lines are the mean over ${seeds} seed${
      seeds === 1 ? "" : "s"
    }; the shaded band spans the lowest and highest seed at each point.</p>`,
  ];
  const groups = curveGroups(input);
  for (const metric of curveMetrics(metrics)) {
    for (const group of groups) {
      const curves: CurveSeries[] = metrics.trials
        .filter((trial) => group.variants.includes(trial.variant))
        .map((trial) => ({
          series: labelOf(config, trial.variant),
          seed: trial.seed,
          points: trial.curve
            .filter((point) => typeof point[metric] === "number" && Number.isFinite(point[metric]))
            .map((point) => ({ x: point.epoch, y: point[metric] })),
        })).filter((curve) => curve.points.length > 0);
      if (curves.length === 0) continue;
      const lasts = group.variants.map((variant) => {
        const ends = curves.filter((curve) => curve.series === labelOf(config, variant))
          .map((curve) => curve.points[curve.points.length - 1]);
        if (ends.length === 0) return undefined;
        const mean = ends.reduce((sum, point) => sum + point.y, 0) / ends.length;
        const epoch = Math.max(...ends.map((point) => point.x));
        return `${labelOf(config, variant)} ends at ${formatMetric(metric, mean)} after ${
          formatSignificant(epoch, 3)
        } epoch${epoch === 1 ? "" : "s"}`;
      }).filter((text) => text !== undefined);
      const label = metricLabel(metric);
      const logY = /Loss$|Mse$/.test(metric);
      parts.push(
        await figures.render(learningCurves({
          title: `${capitalize(label)} by epoch${group.title ? ` (${group.title})` : ""}`,
          description: `${capitalize(label)} against epochs${
            logY ? " (log scale)" : ""
          }, mean over seeds with min–max band: ${lasts.join("; ")}.`,
          xTitle: "epoch",
          yTitle: label,
          logY,
          curves,
          seriesOrder: group.variants.map((variant) => labelOf(config, variant)),
        })),
      );
    }
  }
  return parts.join("\n");
}

/**
 * The final metrics a sweep's chart shows: those its expectations name, else the first test or
 * validation metric.
 */
function sweepMetrics(input: ExperimentPageInput, sweep: SweepRecord): string[] {
  const named = new Set<string>();
  for (const expectation of input.config.header.expect) {
    if (!("kind" in expectation)) {
      if (sweep.variants.includes(expectation.variant)) named.add(expectation.metric);
    } else if (expectation.kind === "beats") {
      for (const side of [expectation.better, expectation.worse]) {
        const involved = "variant" in side
          ? sweep.variants.includes(side.variant)
          : side.sweeps.includes(sweep.name);
        if (involved) named.add(side.metric);
      }
    } else {
      const quantity = expectation.quantity as { sweep?: string; metric?: string };
      if (quantity.sweep === sweep.name && quantity.metric) named.add(quantity.metric);
    }
  }
  if (named.size > 0) return [...named];
  const summary = input.metrics.summary[sweep.variants[0]] ?? {};
  const headline = Object.keys(summary).find((name) => /^(test|validation)/.test(name)) ??
    Object.keys(summary)[0];
  return headline ? [headline] : [];
}

/** Best-so-far curves of the comparisons between searches (Bergstra & Bengio 2012, Fig. 5). */
async function searchCharts(input: ExperimentPageInput, figures: FigureCounter): Promise<string[]> {
  const { metrics, config } = input;
  const parts: string[] = [];
  for (const expectation of config.header.expect) {
    if (!("kind" in expectation) || expectation.kind !== "beats") continue;
    const sides = [expectation.better, expectation.worse].filter((side) => "sweeps" in side);
    if (sides.length === 0) continue;
    const series = sides.flatMap((side) => {
      const curve = bestSoFar(side as Extract<typeof side, { sweeps: string[] }>, {
        summary: metrics.summary,
        sweeps: config.header.sweeps ?? [],
      });
      if (!curve) return [];
      const several = (side as { sweeps: string[] }).sweeps.length > 1;
      return [{
        name: sideLabel(side),
        points: curve.map((point) => ({
          x: point.k,
          y: point.mean,
          ...(several ? { low: point.min, high: point.max } : {}),
        })),
      }];
    });
    if (series.length === 0) continue;
    const metric = sides[0].metric;
    parts.push(
      await figures.render(lines({
        title: `Best ${metricLabel(metric)} so far against points evaluated`,
        description: `The best mean ${metricLabel(metric)} found after each number of points of ${
          series.map((entry) => entry.name).join(" and ")
        } (a band spans the searches' range): ${
          series.map((entry) =>
            `${entry.name} ends at ${formatMetric(metric, entry.points.at(-1)!.y)}`
          ).join("; ")
        }.`,
        xTitle: "points evaluated",
        yTitle: `best ${metricLabel(metric)}`,
        series,
      })),
    );
  }
  return parts;
}

async function sweepsSection(input: ExperimentPageInput, figures: FigureCounter): Promise<string> {
  const { metrics, config } = input;
  const points = config.header.sweepPoints ?? {};
  const parts: string[] = [...await searchCharts(input, figures)];
  for (const sweep of config.header.sweeps ?? []) {
    const ran = sweep.variants.filter((variant) => metrics.summary[variant]);
    if (ran.length === 0) continue;
    const shown = sweepMetrics(input, sweep);
    const numericKey = sweep.keys.length === 1 &&
      ran.every((variant) => typeof points[variant]?.values[sweep.keys[0]] === "number");
    parts.push(
      `<h3>${escapeHtml(sweep.label)}</h3><p>${ran.length} points over ${
        sweep.keys.map((key) => `<code>${escapeHtml(key)}</code>`).join(", ")
      }${
        sweep.templates.length > 0
          ? `, from ${sweep.templates.map((t) => escapeHtml(labelOf(config, t))).join(", ")}`
          : ""
      }.</p>`,
    );
    if (numericKey) {
      const key = sweep.keys[0];
      const templates = sweep.templates.length > 0 ? sweep.templates : [undefined];
      const values = ran.map((variant) => points[variant].values[key] as number);
      const logX = Math.min(...values) > 0 && Math.max(...values) / Math.min(...values) >= 50;
      for (const metric of shown) {
        const series = templates.map((template) => ({
          name: template ? labelOf(config, template) : sweep.label,
          points: ran.filter((variant) => points[variant].template === template).flatMap(
            (variant) => {
              const summary = metrics.summary[variant]?.[metric];
              if (!summary) return [];
              return [{
                x: points[variant].values[key] as number,
                y: summary.mean,
                ...(summary.n > 1 ? { low: summary.min, high: summary.max } : {}),
              }];
            },
          ).sort((a, b) => a.x - b.x),
        })).filter((entry) => entry.points.length > 0);
        const positive = series.every((entry) =>
          entry.points.every((point) => (point.low ?? point.y) > 0)
        );
        const spread = series.flatMap((entry) => entry.points.map((point) => point.y));
        const logY = positive && Math.max(...spread) / Math.min(...spread) >= 50;
        parts.push(
          await figures.render(lines({
            title: `${capitalize(metricLabel(metric))} against ${key.split(".").at(-1)}`,
            description: `${capitalize(metricLabel(metric))} (mean over seeds${
              series.some((entry) => entry.points.some((point) => point.low !== undefined))
                ? ", with the min–max range"
                : ""
            }) at each value of ${key}: ${
              series.map((entry) =>
                `${entry.name}: ${
                  entry.points.map((point) =>
                    `${formatSignificant(point.x, 4)} → ${formatMetric(metric, point.y)}`
                  )
                    .join(", ")
                }`
              ).join("; ")
            }.`,
            xTitle: key.split(".").at(-1)!,
            yTitle: metricLabel(metric),
            logX,
            logY,
            series,
          })),
        );
      }
    }
    parts.push(renderTable({
      caption: `The points of ${sweep.label}`,
      columns: ["variant", ...sweep.keys, ...shown.map(metricLabel)],
      rows: ran.map((variant) => [
        labelOf(config, variant),
        ...sweep.keys.map((key) => JSON.stringify(points[variant]?.values[key] ?? null)),
        ...shown.map((metric) => {
          const summary = metrics.summary[variant]?.[metric];
          return summary ? formatMetric(metric, summary.mean) : "—";
        }),
      ]),
    }));
  }
  return parts.join("\n");
}

function finalSection(input: ExperimentPageInput): string {
  const { metrics, config } = input;
  const variants = variantOrder(input).filter((variant) => metrics.summary[variant]);
  const names = byPreferredOrder(
    variants.flatMap((variant) => Object.keys(metrics.summary[variant])),
    FINAL_ORDER,
  );
  const rows = variants.map((variant) => {
    const summaries = metrics.summary[variant];
    const n = Math.max(0, ...Object.values(summaries).map((summary) => summary.n));
    return [
      labelOf(config, variant),
      n,
      ...names.map((name) => {
        const summary = summaries[name];
        if (!summary) return "—";
        const constant = summary.min === summary.max;
        const mean = formatMetricNumber(name, summary.mean);
        const unit = isPercentMetric(name) ? "\u00a0%" : "";
        const text = constant || summary.n === 1
          ? `${mean}${unit}`
          : `${mean} ± ${formatSpread(name, summary.std)}${unit}`;
        return summary.n === n ? text : `${text} (n = ${summary.n})`;
      }),
    ];
  });
  return [
    "<p>Mean ± sample standard deviation over seeds; a single value where all seeds agree.</p>",
    renderTable({
      caption: "Final metrics per variant",
      columns: ["variant", "seeds", ...names.map(metricLabel)],
      rows,
    }, "final"),
    ...divergedNotes(input),
  ].join("\n");
}

/** The trials whose loss became NaN or infinite: they stopped there, and their metrics are partial. */
function divergedNotes(input: ExperimentPageInput): string[] {
  const diverged = input.metrics.trials.filter((trial) => trial.diverged);
  if (diverged.length === 0) return [];
  return [
    `<p class="banner">${diverged.length} trial${
      diverged.length === 1 ? "" : "s"
    } diverged (the loss became NaN or infinite) and stopped; their last finite metrics are kept and counted in the means above:</p>`,
    `<ul class="notes">${
      diverged.map((trial) =>
        `<li>${escapeHtml(labelOf(input.config, trial.variant))}, seed ${trial.seed}: at step ${
          trial.diverged!.step
        } (epoch ${trial.diverged!.epoch})</li>`
      ).join("")
    }</ul>`,
  ];
}

function formatSpread(metric: string, std: number): string {
  return isPercentMetric(metric) ? std.toFixed(2) : formatSignificant(std, 2);
}

function examplesPerSecond(value: number | undefined): string {
  if (value === undefined) return "—";
  return value >= 100 ? formatCount(value) : formatSignificant(value, 3);
}

function environmentSection(input: ExperimentPageInput): string {
  const { run, config } = input;
  const adapter = run.backend.adapter;
  const entries: [string, string][] = [
    [
      "Backend",
      `<code>${escapeHtml(describeBackend(run.backend))}</code> — ${
        escapeHtml(run.backend.reason)
      }`,
    ],
    [
      "Adapter",
      adapter
        ? escapeHtml(
          [adapter.description || adapter.device, adapter.vendor, adapter.architecture]
            .filter((part) => part !== "").join(", ") +
            (adapter.isFallbackAdapter ? " (fallback adapter)" : ""),
        )
        : "none (WebGPU not used)",
    ],
    ["Hardware GPU", run.backend.hardwareGpu ? "yes" : "no"],
    [
      "Versions",
      escapeHtml(
        `Deno ${run.versions.deno}, V8 ${run.versions.v8}, TypeScript ${run.versions.typescript}, TensorFlow.js ${run.versions.tfjs}`,
      ),
    ],
    [
      "Machine",
      escapeHtml(
        `${run.machine.cpuModel} (${run.machine.cpuCores} cores), ${
          formatSignificant(run.machine.memoryGiB, 3)
        } GiB memory, ${run.machine.os}`,
      ),
    ],
    [
      "Git commit",
      `<code>${escapeHtml(run.git.commit)}</code>${
        run.git.dirty ? " with uncommitted changes" : ""
      }`,
    ],
    ["Command", `<code>${escapeHtml(run.command.join(" "))}</code>`],
    ["Profile", `<code>${escapeHtml(run.profile)}</code>`],
    ["Seeds", escapeHtml(config.seeds.join(", "))],
    [
      "Started",
      `<time datetime="${escapeHtml(run.startedAt)}">${escapeHtml(run.startedAt)}</time>`,
    ],
    ["Wall time", escapeHtml(formatDuration(run.wallSeconds))],
  ];
  const parts = [
    `<dl class="environment">\n${
      entries.map(([term, value]) => `<dt>${term}</dt><dd>${value}</dd>`).join("\n")
    }\n</dl>`,
  ];
  if (run.trials.length > 0) {
    parts.push(renderTable({
      caption: "Time and throughput per trial (examples per second; varies between runs)",
      columns: ["variant", "seed", "wall time", "training examples/s", "evaluation examples/s"],
      rows: run.trials.map((trial) => [
        labelOf(config, trial.variant),
        trial.seed,
        formatDuration(trial.wallSeconds),
        examplesPerSecond(trial.trainExamplesPerSecond),
        examplesPerSecond(trial.evalExamplesPerSecond),
      ]),
    }, "throughput"));
  }
  const measurements = Object.keys(run.measurements).sort();
  if (measurements.length > 0) {
    parts.push(renderTable({
      caption: "Other measurements",
      columns: ["name", "value"],
      rows: measurements.map((name) => {
        const value = run.measurements[name];
        return [name, typeof value === "number" ? formatSignificant(value) : JSON.stringify(value)];
      }),
    }, "measurements"));
  }
  if (config.overrides.length > 0) {
    parts.push(renderTable({
      caption: "Settings changed from the definition, in the order applied",
      columns: ["setting", "value", "from"],
      rows: config.overrides.map((override) => [
        override.path,
        JSON.stringify(override.value),
        override.from,
      ]),
    }, "overrides"));
  }
  parts.push(
    `<details><summary>Resolved settings per variant</summary><pre><code>${
      escapeHtml(JSON.stringify(config.variants, null, 2))
    }</code></pre></details>`,
  );
  return parts.join("\n");
}

async function extraSection(section: ReportSection, figures: FigureCounter): Promise<string> {
  const parts: string[] = [];
  if (section.intro) parts.push(`<p>${escapeHtml(section.intro)}</p>`);
  for (const chart of section.charts) parts.push(await figures.render(chart.spec, chart.caption));
  for (const table of section.tables ?? []) parts.push(renderTable(table));
  if (section.notes && section.notes.length > 0) {
    parts.push(
      `<ul class="notes">${
        section.notes.map((note) => `<li>${escapeHtml(note)}</li>`).join("")
      }</ul>`,
    );
  }
  return parts.join("\n");
}

/**
 * Renders the report page of one run. Every chart is rendered to inline SVG here, so the page
 * shows them without JavaScript.
 *
 * @param input The run's records.
 * @param options Extra sections and asset paths.
 * @returns The page's HTML.
 *
 * @example
 * ```ts ignore
 * import { renderExperimentPage } from "./experiment_page.ts";
 * import { loadResults } from "./load_results.ts";
 * const html = await renderExperimentPage(await loadResults("reports/cnn"));
 * ```
 */
export async function renderExperimentPage(
  input: ExperimentPageInput,
  options: ExperimentPageOptions = {},
): Promise<string> {
  const { metrics, run, config } = input;
  const header = config.header;
  const assets = options.assetsPath ?? "../assets/";
  const figures = new FigureCounter();
  const used = new Set<string>();
  const sections: { id: string; title: string; body: string }[] = [];
  sections.push({
    id: slug("Results against published numbers", used),
    title: "Results against published numbers",
    body: await resultsSection(input, figures),
  });
  if (curveMetrics(metrics).length > 0) {
    sections.push({
      id: slug("Learning curves", used),
      title: "Learning curves",
      body: await curvesSection(input, figures),
    });
  }
  if (Object.keys(metrics.summary).length > 0) {
    sections.push({
      id: slug("Final metrics", used),
      title: "Final metrics",
      body: finalSection(input),
    });
  }
  if ((header.sweeps ?? []).length > 0) {
    sections.push({
      id: slug("Sweeps", used),
      title: "Sweeps",
      body: await sweepsSection(input, figures),
    });
  }
  for (const section of options.extraSections ?? []) {
    sections.push({
      id: slug(section.title, used),
      title: section.title,
      body: await extraSection(section, figures),
    });
  }
  sections.push({
    id: slug("Environment", used),
    title: "Environment",
    body: environmentSection(input),
  });
  const passed = metrics.checks.filter((check) => check.pass).length;
  const verdict = metrics.reproduced
    ? `<p class="verdict status pass">✓ Reproduced${
      metrics.checks.length > 0 ? ` (${passed} of ${metrics.checks.length} checks)` : ""
    }</p>`
    : `<p class="verdict status fail">✗ Not reproduced (${passed} of ${metrics.checks.length} checks passed)</p>`;
  const variants = variantOrder(input);
  const seeds = new Set(metrics.trials.map((trial) => trial.seed)).size;
  const banners = [
    ...(metrics.profile !== "full"
      ? [
        `<p class="banner">This is the <code>${
          escapeHtml(metrics.profile)
        }</code> profile's result: a reduced run whose bounds are looser than the paper's. The published result is the full profile's.</p>`,
      ]
      : []),
    ...(options.staleness ? [`<p class="banner">${escapeHtml(options.staleness)}</p>`] : []),
    ...(header.notes ?? []).map((note) => `<p class="note">${escapeHtml(note)}</p>`),
  ].join("\n");
  const toc = sections.map((section) =>
    `<li><a href="#${section.id}">${escapeHtml(section.title)}</a></li>`
  ).join("");
  return `${pageHead(`${header.title} — Chapter ${header.chapter} — experiment report`, assets)}
<div class="page">
<header>
<p class="breadcrumb"><a href="${
    escapeHtml(options.indexPath ?? "../index.html")
  }">← All experiments</a></p>
<p class="eyebrow">Chapter ${header.chapter} · <code>${
    escapeHtml(header.id)
  }</code> · profile <code>${escapeHtml(metrics.profile)}</code> · backend <code>${
    escapeHtml(metrics.backend)
  }</code></p>
<h1>${escapeHtml(header.title)}</h1>
<p class="claim">Reproduces: ${escapeHtml(header.reproduces.claim)} <span class="meta">— ${
    link(header.reproduces.source, header.reproduces.url)
  }</span></p>
${verdict}
${banners}
<p class="meta">${variants.length} variant${variants.length === 1 ? "" : "s"} (${
    escapeHtml(variants.map((variant) => labelOf(config, variant)).join(", "))
  }) × ${seeds} seed${seeds === 1 ? "" : "s"} = ${metrics.trials.length} trial${
    metrics.trials.length === 1 ? "" : "s"
  }; run started ${escapeHtml(run.startedAt)}, took ${
    escapeHtml(formatDuration(run.wallSeconds))
  }.</p>
<nav aria-label="Sections"><ul class="toc">${toc}</ul></nav>
</header>
<main>
${
    sections.map((section) =>
      `<section id="${section.id}">\n<h2>${
        escapeHtml(section.title)
      }</h2>\n${section.body}\n</section>`
    ).join("\n")
  }
</main>
<footer>
<p>Built from <a href="metrics.json">metrics.json</a> (deterministic results), <a href="run.json">run.json</a> (times, hardware, versions) and <a href="config.json">config.json</a> (what ran). Charts are static SVG; “Interactive view” loads the Vega build shipped in <code>assets/</code>.</p>
</footer>
</div>
<script src="${escapeHtml(assets)}report.js" defer></script>
</body>
</html>
`;
}
