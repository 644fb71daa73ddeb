import { deepEqual, equal, match, ok, throws } from "node:assert/strict";
import type { TopLevelSpec } from "vega-lite";
import type { Artifact, ArtifactOf } from "../lib/report/artifacts.ts";
import {
  artifactEntries,
  type ArtifactEntry,
  renderArtifacts,
} from "../lib/report/render_artifacts.ts";
import { renderSvg } from "../lib/report/render_svg.ts";
import { sampleArtifactEntries } from "../lib/report/sample_results.ts";
import { layerOf } from "./_svg_marks.ts";

type Rows = { data: { values: Record<string, unknown>[] } };

function entry(
  key: string,
  variant: string,
  seed: number,
  artifact: Artifact,
  measured?: boolean,
): ArtifactEntry {
  return {
    key,
    variant,
    variantLabel: variant.toUpperCase(),
    seed,
    artifact,
    ...(measured ? { measured } : {}),
  };
}

function loss(names: string[], y = 1): ArtifactOf<"lines"> {
  return {
    kind: "lines",
    title: "Loss",
    description: "The loss falls.",
    xTitle: "step",
    yTitle: "loss",
    series: names.map((name) => ({ name, points: [{ x: 0, y: 2 }, { x: 1, y }] })),
  };
}

const CONFUSION: ArtifactOf<"heatmap"> = {
  kind: "heatmap",
  title: "Confusion",
  description: "Mostly diagonal.",
  matrix: [[9, 1], [2, 8]],
};

function titleOf(spec: TopLevelSpec): string {
  return typeof spec.title === "string" ? spec.title : JSON.stringify(spec.title);
}

function seriesOf(spec: TopLevelSpec): string[] {
  const values = layerOf<Rows>(spec, "lines").data.values;
  return [...new Set(values.map((row) => row.series as string))];
}

Deno.test("renderArtifacts gives one section per artifact name, in order of first appearance", () => {
  const sections = renderArtifacts([
    entry("confusion", "a", 1, CONFUSION),
    entry("loss", "a", 1, loss(["train"])),
    entry("loss", "b", 1, loss(["train"])),
    entry("confusion", "b", 1, CONFUSION),
  ]);
  deepEqual(sections.map((section) => section.title), ["Confusion", "Loss"]);
});

Deno.test("renderArtifacts places sections with an order first, ascending, the rest as they come", () => {
  const text = (title: string, order?: number): Artifact => ({
    kind: "text",
    title,
    description: "d",
    lines: [],
    ...(order === undefined ? {} : { order }),
  });
  const sections = renderArtifacts([
    entry("a", "v", 1, text("A")),
    entry("b", "v", 1, text("B", 20)),
    entry("c", "v", 1, text("C")),
    entry("d", "v", 1, text("D", 10)),
    entry("e", "v", 1, text("E", 20)),
    entry("d", "w", 1, text("D", 30)),
  ]);
  deepEqual(sections.map((section) => section.title), ["D", "B", "E", "A", "C"]);
});

Deno.test("renderArtifacts overlays lines across variants, the first seed of each, named by variant", () => {
  const [section] = renderArtifacts([
    entry("loss", "a", 1, loss(["train", "test"], 0.5)),
    entry("loss", "a", 2, loss(["train", "test"], 0.1)),
    entry("loss", "b", 1, loss(["train"], 0.7)),
  ]);
  deepEqual(section.charts.length, 1);
  const spec = section.charts[0].spec;
  deepEqual(seriesOf(spec), ["A · train", "A · test", "B"]);
  const values = layerOf<Rows>(spec, "lines").data.values;
  ok(!values.some((row) => row.y === 0.1), "seed 2 is left out");
  equal(titleOf(spec), "Loss");
  const [single] = renderArtifacts([entry("loss", "a", 1, loss(["train", "test"]))]);
  deepEqual(seriesOf(single.charts[0].spec), ["train", "test"], "one variant: own names");
});

Deno.test("renderArtifacts overlays contour paths, density curves and log–log points by variant", () => {
  const grid = { x: { min: 0, max: 1, count: 2 }, y: { min: 0, max: 1, count: 2 } };
  const contour = (y: number): ArtifactOf<"contour"> => ({
    kind: "contour",
    title: "Field",
    description: "d",
    ...grid,
    values: [[0, 1], [1, 2]],
    paths: [{ name: "path", points: [{ x: 0, y }, { x: 1, y }] }],
  });
  const density = (name: string): ArtifactOf<"density"> => ({
    kind: "density",
    title: "Density",
    description: "d",
    xTitle: "x",
    bins: [{ x0: 0, x1: 1, density: 1 }],
    curves: [{ name, points: [{ x: 0, y: 1 }, { x: 1, y: 1 }] }],
  });
  const power = (slope: number): ArtifactOf<"logLogFit"> => ({
    kind: "logLogFit",
    title: "Scaling",
    description: "d",
    xTitle: "n",
    yTitle: "error",
    points: [{ x: 1, y: 1 }, { x: 10, y: 10 ** slope }],
    fit: { slope, intercept: 0 },
  });
  const sections = renderArtifacts([
    entry("field", "a", 1, contour(0.2)),
    entry("field", "b", 1, contour(0.8)),
    entry("density", "a", 1, density("normal")),
    entry("density", "b", 1, density("normal")),
    entry("scaling", "a", 1, power(-0.5)),
    entry("scaling", "b", 1, power(-1)),
  ]);
  deepEqual(sections.map((section) => section.charts.length), [1, 1, 1]);
  const [field, densities, scaling] = sections.map((section) => section.charts[0].spec);
  const paths = layerOf<Rows>(field, "paths").data.values.map((row) => row.path);
  deepEqual([...new Set(paths)], ["A", "B"]);
  const curves = layerOf<Rows>(densities, "curves").data.values.map((row) => row.curve);
  deepEqual([...new Set(curves)], ["A", "B"]);
  const groups = layerOf<Rows>(scaling, "points").data.values.map((row) => row.group);
  deepEqual(groups, ["A", "A", "B", "B"]);
  const fits = layerOf<Rows>(scaling, "fits").data.values.map((row) => row.line);
  deepEqual([...new Set(fits)], ["A: slope −0.50", "B: slope −1.00"]);
});

Deno.test("renderArtifacts draws other kinds once per variant, titled with the variant when several", () => {
  const [both] = renderArtifacts([
    entry("confusion", "a", 1, CONFUSION),
    entry("confusion", "a", 2, CONFUSION),
    entry("confusion", "b", 1, CONFUSION),
  ]);
  deepEqual(both.charts.map((chart) => titleOf(chart.spec)), ["Confusion — A", "Confusion — B"]);
  const [one] = renderArtifacts([entry("confusion", "a", 1, CONFUSION)]);
  deepEqual(one.charts.map((chart) => titleOf(chart.spec)), ["Confusion"]);
});

Deno.test("renderArtifacts writes tables (null as a dash) and text, the description first", () => {
  const table: ArtifactOf<"table"> = {
    kind: "table",
    title: "Layers",
    description: "The layers.",
    columns: ["layer", "parameters"],
    rows: [["conv", 156], ["pool", null]],
  };
  const text: ArtifactOf<"text"> = {
    kind: "text",
    title: "Names",
    description: "Sampled names.",
    lines: ["ada", "alan"],
  };
  const [layers, names] = renderArtifacts([
    entry("layers", "a", 1, table),
    entry("names", "a", 1, text),
    entry("names", "b", 1, { ...text, lines: ["grace"] }),
  ]);
  deepEqual(layers, {
    title: "Layers",
    intro: "The layers.",
    charts: [],
    tables: [{
      caption: "Layers",
      columns: ["layer", "parameters"],
      rows: [["conv", 156], ["pool", "—"]],
    }],
  });
  deepEqual(names, {
    title: "Names",
    intro: "Sampled names.",
    charts: [],
    notes: ["A: ada", "A: alan", "B: grace"],
  });
});

Deno.test("renderArtifacts says in the caption that a measured artifact varies between runs", () => {
  const [section] = renderArtifacts([entry("confusion", "a", 1, CONFUSION, true)]);
  equal(
    section.charts[0].spec.description,
    "Mostly diagonal. Measured in this run; varies between runs.",
  );
  const [plain] = renderArtifacts([entry("confusion", "a", 1, CONFUSION)]);
  equal(plain.charts[0].spec.description, "Mostly diagonal.");
});

Deno.test("renderArtifacts rejects one name holding two kinds, naming both trials", () => {
  throws(
    () => renderArtifacts([entry("x", "a", 1, CONFUSION), entry("x", "b", 3, loss(["train"]))]),
    {
      name: "TypeError",
      message:
        'artifact "x": expected the same kind in every trial, found "heatmap" (a, seed 1) and "lines" (b, seed 3)',
    },
  );
});

Deno.test("renderArtifacts' charts of every kind render to SVG without warnings", async () => {
  const sections = renderArtifacts(sampleArtifactEntries());
  deepEqual(sections.length, 13);
  const charts = sections.flatMap((section) => section.charts);
  deepEqual(charts.length, 12);
  for (const [i, chart] of charts.entries()) {
    const { svg, warnings } = await renderSvg(chart.spec, `chart-${i}`);
    deepEqual(warnings, [], titleOf(chart.spec));
    match(svg, /^<svg /);
  }
});

Deno.test("artifactEntries lists the typed artifacts of each trial with the variant's label", () => {
  const entries = artifactEntries(
    [
      { variant: "a", seed: 1, artifacts: { confusion: CONFUSION, tables: { rows: [] } } },
      { variant: "b", seed: 2, artifacts: { confusion: CONFUSION } },
    ],
    { a: "Model A" },
    true,
  );
  deepEqual(entries, [
    {
      key: "confusion",
      variant: "a",
      variantLabel: "Model A",
      seed: 1,
      artifact: CONFUSION,
      measured: true,
    },
    {
      key: "confusion",
      variant: "b",
      variantLabel: "b",
      seed: 2,
      artifact: CONFUSION,
      measured: true,
    },
  ]);
});
