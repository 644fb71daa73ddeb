import { deepEqual, ok } from "node:assert/strict";
import { decisionRegions } from "../lib/report/charts/decision_regions.ts";
import { sampleGrid } from "../lib/report/charts/scalar_grid.ts";
import { SERIES_COLORS } from "../lib/report/chart_config.ts";
import { renderSvg } from "../lib/report/render_svg.ts";
import { contrast } from "./_contrast.ts";
import { fillsOf, layerNames, layerOf, marksOf } from "./_svg_marks.ts";

type Rows = { data: { values: Record<string, number & string>[] } };
type Points = Rows & {
  encoding: { color: { scale: { domain: string[]; range: string[] } } };
};

const AXIS = { min: -2, max: 2, count: 41 };
/** A classifier that says class 1 outside the unit circle. */
const RING = sampleGrid((x, y) => 1 / (1 + Math.exp(-8 * (x * x + y * y - 1))), AXIS, AXIS);
const POINTS = [
  { x: 0, y: 0, label: 0 },
  { x: 0.3, y: -0.2, label: 0 },
  { x: 1.5, y: 1.5, label: 1 },
  { x: -1.8, y: 0.2, label: 1 },
];

function hex(color: string): string {
  const rgb = color.match(/^rgb\((\d+), ?(\d+), ?(\d+)\)$/);
  return rgb
    ? `#${rgb.slice(1).map((c) => Number(c).toString(16).padStart(2, "0")).join("")}`
    : color;
}

Deno.test("decisionRegions draws the background, the 0.5 boundary and the points by class", async () => {
  const spec = decisionRegions({
    title: "A ring",
    description: "Class 1 outside the unit circle.",
    ...RING,
    points: [...POINTS].reverse(),
  });
  deepEqual(layerNames(spec), ["regions", "boundary", "points"]);
  const points = layerOf<Points>(spec, "points");
  deepEqual(points.encoding.color.scale.domain, ["0", "1"], "numeric classes ascending");
  deepEqual(points.encoding.color.scale.range, SERIES_COLORS.slice(0, 2));
  // The boundary is where the probability is 0.5: the unit circle.
  for (const row of layerOf<Rows>(spec, "boundary").data.values) {
    ok(Math.abs(Math.hypot(row.x, row.y) - 1) < 0.01, JSON.stringify(row));
  }
  const { svg, warnings } = await renderSvg(spec);
  deepEqual(warnings, []);
  deepEqual(marksOf(svg, "boundary").length, 1);
  deepEqual(marksOf(svg, "points").length, 4);
  // The class colours and the black boundary read on every band of the background.
  const fills = [...new Set(fillsOf(svg, "regions").map(hex))];
  deepEqual(fills.length, 6, "all six bands of probability occur");
  for (const fill of fills) {
    for (const color of [...SERIES_COLORS.slice(0, 2), "#000000"]) {
      ok(contrast(color, fill) >= 3, `${color} on ${fill}: ${contrast(color, fill).toFixed(2)}`);
    }
  }
});

Deno.test("decisionRegions colours the background blue where class 0 is likely, orange for class 1", () => {
  const spec = decisionRegions({ title: "t", description: "d", ...RING, points: POINTS });
  const regions = layerOf<Rows>(spec, "regions").data.values;
  const at = (x: number, y: number) =>
    regions.find((rect) => rect.x0 <= x && x < rect.x1 && rect.y0 <= y && y < rect.y1)!.band;
  deepEqual(at(0.01, 0.01), "< 0.1");
  deepEqual(at(1.9, -1.9), "≥ 0.9");
  const fill = (spec as { layer: { encoding: { fill?: { scale: { range: string[] } } } }[] })
    .layer[0].encoding.fill!.scale.range;
  const [r0, , b0] = [1, 3, 5].map((i) => parseInt(fill[0].slice(i, i + 2), 16));
  const [r5, , b5] = [1, 3, 5].map((i) => parseInt(fill[5].slice(i, i + 2), 16));
  ok(b0 > r0 && r5 > b5, `lowest band ${fill[0]} bluish, highest ${fill[5]} orange`);
});

Deno.test("decisionRegions keeps string classes in order of appearance unless told", () => {
  const points = [{ x: 0, y: 0, label: "inside" }, { x: 1.5, y: 1.5, label: "outside" }];
  const spec = decisionRegions({ title: "t", description: "d", ...RING, points });
  deepEqual(layerOf<Points>(spec, "points").encoding.color.scale.domain, ["inside", "outside"]);
  const reordered = decisionRegions({
    title: "t",
    description: "d",
    ...RING,
    points,
    classOrder: ["outside"],
  });
  deepEqual(layerOf<Points>(reordered, "points").encoding.color.scale.domain, [
    "outside",
    "inside",
  ]);
});
