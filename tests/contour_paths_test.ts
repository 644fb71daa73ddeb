import { deepEqual, ok } from "node:assert/strict";
import { isolines } from "../lib/report/charts/_marching_squares.ts";
import { contourPaths } from "../lib/report/charts/contour_paths.ts";
import { gridCoordinates, sampleGrid } from "../lib/report/charts/scalar_grid.ts";
import { CHART_CONFIG } from "../lib/report/chart_config.ts";
import { renderSvg } from "../lib/report/render_svg.ts";
import { contrast } from "./_contrast.ts";
import { fillsOf, layerNames, layerOf, marksOf, textsOf } from "./_svg_marks.ts";

type Rows = { data: { values: Record<string, number & string>[] } };
type Field = Rows & { encoding: { fill: { scale: { domain: string[]; range: string[] } } } };

const SQUARE = { min: -2, max: 2, count: 41 };
const PARABOLOID = sampleGrid((x, y) => x * x + y * y, SQUARE, SQUARE);

function hex(color: string): string {
  const rgb = color.match(/^rgb\((\d+), ?(\d+), ?(\d+)\)$/);
  return rgb
    ? `#${rgb.slice(1).map((c) => Number(c).toString(16).padStart(2, "0")).join("")}`
    : color;
}

Deno.test("isolines of x² + y² at level 1 are one closed line on the unit circle", () => {
  const lines = isolines(PARABOLOID, 1);
  deepEqual(lines.length, 1);
  const line = lines[0];
  deepEqual(line[0], line[line.length - 1], "closed: ends where it starts");
  for (const point of line) {
    ok(Math.abs(Math.hypot(point.x, point.y) - 1) < 0.005, `radius at ${point.x}, ${point.y}`);
  }
  // It goes all the way round: no gap in angle wider than two grid steps.
  const angles = line.map((point) => Math.atan2(point.y, point.x)).sort((a, b) => a - b);
  const gaps = angles.slice(1).map((angle, k) => angle - angles[k]);
  gaps.push(angles[0] + 2 * Math.PI - angles[angles.length - 1]);
  ok(Math.max(...gaps) < 0.2, `largest gap ${Math.max(...gaps)}`);
});

Deno.test("isolines of the saddle x·y are the two branches of the hyperbola, exact on the grid's edges", () => {
  const axis = { min: -1, max: 1, count: 21 };
  const lines = isolines(sampleGrid((x, y) => x * y, axis, axis), 0.1);
  deepEqual(lines.length, 2);
  for (const line of lines) {
    ok(line[0].x !== line[line.length - 1].x, "open: from one edge of the grid to another");
    // x·y is linear along each grid edge, so the interpolated crossings are exact.
    for (const point of line) ok(Math.abs(point.x * point.y - 0.1) < 1e-12, JSON.stringify(point));
  }
  deepEqual(lines.map((line) => Math.sign(line[0].x)).sort(), [-1, 1], "one branch per quadrant");
});

Deno.test("isolines skip cells with a non-finite corner and follow a straight level line", () => {
  const axis = { min: 0, max: 1, count: 5 };
  const grid = sampleGrid((x) => x, axis, axis);
  const line = isolines(grid, 0.6);
  deepEqual(line, [gridCoordinates(axis).map((y) => ({ x: 0.6, y }))]);
  const holed = {
    ...grid,
    values: grid.values.map((row, j) => j === 2 ? [...row.slice(0, 3), Number.NaN, row[4]] : row),
  };
  // The corner at (0.75, 0.5) is NaN: the four cells around it give no segment, so the line
  // breaks in two.
  deepEqual(isolines(holed, 0.6).length, 2);
});

Deno.test("contourPaths fills bands that match the field and draws the isolines at the levels", async () => {
  const spec = contourPaths({
    title: "Bowl",
    description: "Circles around the minimum.",
    ...PARABOLOID,
    levels: [1, 4],
    colorTitle: "f",
  });
  deepEqual(layerNames(spec), ["field", "isolines"]);
  deepEqual(spec.config, CHART_CONFIG);
  const field = layerOf<Field>(spec, "field");
  deepEqual(field.encoding.fill.scale.domain, ["< 1", "1 – 4", "≥ 4"]);
  for (const rect of field.data.values) {
    const corners = [[rect.x0, rect.y0], [rect.x1, rect.y0], [rect.x0, rect.y1], [rect.x1, rect.y1]]
      .map(([x, y]) => Math.hypot(x, y));
    if (Math.max(...corners) < 0.95) deepEqual(rect.band, "< 1", JSON.stringify(rect));
    if (Math.min(...corners) > 1.05 && Math.max(...corners) < 1.95) {
      deepEqual(rect.band, "1 – 4", JSON.stringify(rect));
    }
    if (Math.min(...corners) > 2.05) deepEqual(rect.band, "≥ 4", JSON.stringify(rect));
  }
  const isolineRows = layerOf<Rows>(spec, "isolines").data.values;
  deepEqual([...new Set(isolineRows.map((row) => row.level))], [1, 4]);
  for (const row of isolineRows) {
    ok(Math.abs(Math.hypot(row.x, row.y) - Math.sqrt(row.level)) < 0.01, JSON.stringify(row));
  }
  const { svg, warnings } = await renderSvg(spec);
  deepEqual(warnings, []);
  deepEqual(marksOf(svg, "isolines").length, 2, "a circle per level (radius 2 just fits)");
  // Black isolines keep 3:1 contrast on every band.
  const fills = [...new Set(fillsOf(svg, "field").map(hex))];
  deepEqual(fills.length, 3);
  for (const fill of fills) ok(contrast("#000000", fill) >= 3, `isolines on ${fill}`);
});

Deno.test("contourPaths with logValues picks decade levels and interpolates in log space", () => {
  // 10^x: its log is linear in x, so in log space the level-1 isoline is exactly x = 0.
  const axis = { min: -2, max: 2, count: 4 };
  const grid = sampleGrid((x) => 10 ** x, axis, axis);
  const logSpec = contourPaths({ title: "t", description: "d", ...grid, logValues: true });
  const field = layerOf<Field>(logSpec, "field");
  deepEqual(field.encoding.fill.scale.domain, [
    "< 0.1",
    "0.1 – 1",
    "1 – 10",
    "≥ 10",
  ]);
  const rows = layerOf<Rows>(logSpec, "isolines").data.values;
  for (const row of rows.filter((row) => row.level === 1)) ok(Math.abs(row.x) < 1e-9, `${row.x}`);
  const linear = contourPaths({ title: "t", description: "d", ...grid, levels: [1] });
  const x = layerOf<Rows>(linear, "isolines").data.values[0].x;
  // Linear interpolation between 10^(-2/3) and 10^(2/3) crosses 1 earlier.
  const low = 10 ** (-2 / 3);
  const expected = -2 / 3 + (1 - low) / (10 ** (2 / 3) - low) * (4 / 3);
  ok(Math.abs(x - expected) < 1e-5, `${x} against ${expected}`);
});

Deno.test("contourPaths draws each path with its start and end, and labelled markers", async () => {
  const spec = contourPaths({
    title: "Rosenbrock",
    description: "Two optimizers.",
    ...sampleGrid(
      (x, y) => (1 - x) ** 2 + 100 * (y - x * x) ** 2,
      { min: -2, max: 2, count: 31 },
      { min: -1, max: 3, count: 31 },
    ),
    logValues: true,
    paths: [
      { name: "SGD", points: [{ x: -1.5, y: 2 }, { x: -1, y: 1 }, { x: 0, y: 0 }] },
      { name: "Adam", points: [{ x: 0, y: 2 }, { x: 0.5, y: 1 }, { x: Number.NaN, y: 0 }] },
    ],
    markers: [{ x: 1, y: 1, label: "minimum" }],
  });
  deepEqual(layerNames(spec), [
    "field",
    "isolines",
    "path_halos",
    "paths",
    "path_ends",
    "markers",
    "marker_label_halos",
    "marker_labels",
  ]);
  deepEqual(layerOf<Rows>(spec, "path_ends").data.values, [
    { path: "SGD", end: "start", x: -1.5, y: 2 },
    { path: "SGD", end: "end", x: 0, y: 0 },
    { path: "Adam", end: "start", x: 0, y: 2 },
    { path: "Adam", end: "end", x: 0.5, y: 1 },
  ]);
  const { svg, warnings } = await renderSvg(spec);
  deepEqual(warnings, []);
  deepEqual(marksOf(svg, "paths").length, 2);
  deepEqual(marksOf(svg, "path_ends").length, 4);
  deepEqual(textsOf(svg, "marker_labels"), ["minimum"]);
  ok(svg.includes(">SGD</text>") && svg.includes(">Adam</text>"), "paths in the legend");
});
