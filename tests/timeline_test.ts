import { deepEqual, ok } from "node:assert/strict";
import { timeline, type TimelineInput } from "../lib/report/charts/timeline.ts";
import { SERIES_COLORS } from "../lib/report/chart_config.ts";
import { renderSvg } from "../lib/report/render_svg.ts";
import { DARK_COLORS, LIGHT_COLORS } from "../lib/report/style.ts";
import { contrast } from "./_contrast.ts";
import { fillsOf, layerNames, marksOf, textsOf } from "./_svg_marks.ts";

const WAVES: TimelineInput = {
  title: "Waves of neural networks",
  description: "Papers in three lanes, with two phases.",
  events: [
    { year: 1986, label: "Rumelhart et al. 1986", group: "second" },
    { year: 1943, label: "McCulloch & Pitts 1943", group: "first" },
    { year: 1960, label: "Widrow & Hoff 1960", group: "first" },
    {
      year: 2015,
      label: "Ioffe & Szegedy 2015",
      group: "third",
      alternative: { year: 2014, label: "slide" },
    },
    { year: 1958, label: "Rosenblatt 1958", group: "first" },
  ],
  phases: [
    { from: 1950, to: 1970, label: "First phase", details: ["1 layer", "1-100 patterns"] },
    { from: 1985, to: 1996, label: "Second phase", details: ["2-3 layers"] },
  ],
  groupOrder: ["first", "second"],
};

/** The `translate(x,y)` positions of the marks named `name`, in drawing order. */
function positionsOf(svg: string, name: string): { x: number; y: number }[] {
  const group = svg.match(new RegExp(`role-mark ${name}_marks"[^>]*>(.*?)</g>`))?.[1] ?? "";
  return [...group.matchAll(/translate\(([-\d.]+),([-\d.]+)\)/g)].map((m) => ({
    x: Number(m[1]),
    y: Number(m[2]),
  }));
}

Deno.test("timeline draws one labelled point per event, lanes in order, years by row", async () => {
  const spec = timeline(WAVES);
  const { svg, warnings } = await renderSvg(spec);
  deepEqual(warnings, []);
  deepEqual(textsOf(svg, "lane_labels"), ["first", "second", "third"]);
  // Rows follow the lanes, and the years within a lane.
  const labels = [...textsOf(svg, "right_labels"), ...textsOf(svg, "left_labels")]
    .map((text) => text.replaceAll("&amp;", "&"));
  deepEqual(labels.sort(), WAVES.events.map((event) => event.label).sort());
  const points = positionsOf(svg, "events");
  deepEqual(points.length, 5);
  const byRow = [...points].sort((a, b) => a.y - b.y);
  const years = [1943, 1958, 1960, 1986, 2015];
  // x is linear in the year: the same pixels per year between any two events.
  const perYear = (byRow[4].x - byRow[0].x) / (years[4] - years[0]);
  for (const [i, point] of byRow.entries()) {
    ok(Math.abs(point.x - byRow[0].x - perYear * (years[i] - years[0])) < 0.01, `row ${i}`);
  }
});

Deno.test("timeline draws an alternative year as a ring joined to its event", async () => {
  const { svg } = await renderSvg(timeline(WAVES));
  const [ring] = positionsOf(svg, "alternatives");
  const event = positionsOf(svg, "events").find((point) => Math.abs(point.y - ring.y) < 0.01)!;
  const perYear = (event.x - ring.x) / (2015 - 2014);
  ok(perYear > 0, "the ring sits at the earlier year, on the event's row");
  deepEqual(marksOf(svg, "alternative_links"), ["line"]);
  ok(svg.includes("Ioffe &amp; Szegedy 2015, 2015, third; slide: 2014"), "spoken text");
});

Deno.test("timeline shades each phase and writes its name and details above the rows", async () => {
  const spec = timeline(WAVES);
  deepEqual(layerNames(spec).slice(0, 3), ["phases", "phase_labels", "phase_detail_labels"]);
  const { svg } = await renderSvg(spec);
  deepEqual(marksOf(svg, "phases").length, 2);
  deepEqual(textsOf(svg, "phase_labels"), ["First phase", "Second phase"]);
  deepEqual(textsOf(svg, "phase_detail_labels"), ["1 layer", "1-100 patterns", "2-3 layers"]);
  const lowestText = Math.max(
    ...positionsOf(svg, "phase_labels").map((p) => p.y),
    ...positionsOf(svg, "phase_detail_labels").map((p) => p.y),
  );
  const highestRow = Math.min(...positionsOf(svg, "lane_labels").map((p) => p.y));
  ok(lowestText < highestRow, `phase texts (to ${lowestText}) above the rows (${highestRow})`);
});

Deno.test("timeline puts overlapping phase texts on separate tiers and apart ones side by side", async () => {
  const long = "a characteristic much longer than the span";
  const spec = timeline({
    title: "Phases",
    description: "Three phases.",
    events: [{ year: 1950, label: "a" }, { year: 2020, label: "b" }],
    phases: [
      { from: 1950, to: 1960, label: "one", details: [long] },
      { from: 1965, to: 1970, label: "two" },
      { from: 2000, to: 2010, label: "three" },
    ],
  });
  const { svg } = await renderSvg(spec);
  const [one, two, three] = positionsOf(svg, "phase_labels");
  ok(two.y > one.y, "'two' starts under the long text of 'one'");
  deepEqual(three.y, one.y, "'three' is far enough to share the first tier");
  ok(two.x > one.x && three.x > two.x, "each text starts at its own phase");
});

Deno.test("timeline puts a label that would run past the right edge left of its point", async () => {
  const spec = timeline({
    title: "Edge",
    description: "A late event with a long label.",
    events: [
      { year: 1900, label: "early" },
      { year: 2000, label: "a late event whose label is far too long to fit on the right" },
    ],
  });
  const { svg } = await renderSvg(spec);
  deepEqual(textsOf(svg, "right_labels"), ["early"]);
  deepEqual(textsOf(svg, "left_labels"), [
    "a late event whose label is far too long to fit on the right",
  ]);
  deepEqual(marksOf(svg, "lane_labels"), [], "one unnamed lane has no title");
});

Deno.test("timeline cuts a label too long for either side at a word, on the roomier side", async () => {
  const long = Array.from({ length: 30 }, (_, i) => `word${i}`).join(" ");
  const spec = timeline({
    title: "Cut",
    description: "A label longer than the chart.",
    events: [{ year: 1900, label: "start" }, { year: 1940, label: long }, {
      year: 2000,
      label: "end",
    }],
  });
  const { svg } = await renderSvg(spec);
  const [cut] = textsOf(svg, "right_labels").filter((text) => text.startsWith("word0"));
  ok(cut.endsWith("…") && long.startsWith(cut.slice(0, -1)), cut);
  ok(/word\d+…$/.test(cut), `cut after a whole word: ${cut}`);
  ok(svg.includes(`aria-label="${long}, 1940"`), "the spoken text keeps the whole label");
});

Deno.test("timeline colours lanes with the series colours, readable on both backgrounds", async () => {
  const { svg } = await renderSvg(timeline(WAVES));
  const fills = fillsOf(svg, "events");
  deepEqual(new Set(fills), new Set(SERIES_COLORS.slice(0, 3)));
  for (const fill of fills) {
    ok(contrast(fill, LIGHT_COLORS.background) >= 3, `${fill} on light`);
    ok(contrast(fill, DARK_COLORS.background) >= 3, `${fill} on dark`);
  }
});

Deno.test("timeline gives the same spec and SVG for the same input", async () => {
  const [a, b] = [timeline(WAVES), timeline(structuredClone(WAVES))];
  deepEqual(JSON.stringify(a), JSON.stringify(b));
  deepEqual((await renderSvg(a)).svg, (await renderSvg(b)).svg);
});
