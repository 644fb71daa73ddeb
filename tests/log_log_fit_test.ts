import { deepEqual, ok } from "node:assert/strict";
import { logLogFit } from "../lib/report/charts/log_log_fit.ts";
import { INK, SERIES_COLORS } from "../lib/report/chart_config.ts";
import { renderSvg } from "../lib/report/render_svg.ts";
import { layerNames, layerOf, marksOf } from "./_svg_marks.ts";

type Layer = {
  data: { values: { line: string; x: number; y: number; group?: string }[] };
  encoding: {
    x: { scale: { type: string } };
    y: { scale: { type: string } };
    stroke: { scale: { domain: string[]; range: string[] } };
    strokeDash: { scale: { range: number[][] } };
  };
};

const SIZES = [10, 100, 1000, 10000];

Deno.test("logLogFit draws the fitted power law through its points on log–log axes, labelled by slope", async () => {
  // y = 3 x^-0.5 exactly: log10 y = log10 3 - 0.5 log10 x.
  const points = SIZES.map((x) => ({ x, y: 3 / Math.sqrt(x) }));
  const spec = logLogFit({
    title: "Monte Carlo error",
    description: "Error against samples.",
    xTitle: "samples",
    yTitle: "error",
    points,
    fits: [{ slope: -0.5, intercept: Math.log10(3) }],
    expectedSlope: -1,
  });
  deepEqual(layerNames(spec), ["fits", "points"]);
  const fits = layerOf<Layer>(spec, "fits");
  deepEqual(fits.encoding.x.scale.type, "log");
  deepEqual(fits.encoding.y.scale.type, "log");
  deepEqual(fits.encoding.stroke.scale.domain, ["slope −0.50", "expected slope −1.00"]);
  deepEqual(fits.encoding.stroke.scale.range, [INK, INK]);
  deepEqual(fits.encoding.strokeDash.scale.range, [[1, 0], [6, 4]]);
  const fitted = fits.data.values.filter((row) => row.line === "slope −0.50");
  deepEqual(fitted.map((row) => row.x), [10, 10000], "across the points' x range");
  for (const row of fitted) ok(Math.abs(row.y / (3 / Math.sqrt(row.x)) - 1) < 1e-12);
  // The expected line has slope -1 and meets the fit at the geometric middle, x = 10^2.5.
  const expected = fits.data.values.filter((row) => row.line.startsWith("expected"));
  const slope = Math.log10(expected[1].y / expected[0].y) /
    Math.log10(expected[1].x / expected[0].x);
  ok(Math.abs(slope + 1) < 1e-12, String(slope));
  const middle = 10 ** 2.5;
  const atMiddle = expected[0].y * (middle / expected[0].x) ** -1;
  ok(Math.abs(atMiddle / (3 / Math.sqrt(middle)) - 1) < 1e-12);
  const { svg, warnings } = await renderSvg(spec);
  deepEqual(warnings, []);
  deepEqual(marksOf(svg, "points").length, 4);
  deepEqual(marksOf(svg, "fits").length, 2);
});

Deno.test("logLogFit colours each group's points and fit alike and leaves out non-positive points", () => {
  const spec = logLogFit({
    title: "t",
    description: "d",
    xTitle: "width",
    yTitle: "error",
    points: [
      ...SIZES.map((x) => ({ x, y: 1 / x, group: "wide" })),
      ...SIZES.map((x) => ({ x, y: 2 / x, group: "deep" })),
      { x: 0, y: 1, group: "deep" },
    ],
    fits: [{ slope: -1, intercept: 0, group: "wide" }, {
      slope: -1,
      intercept: Math.log10(2),
      group: "deep",
    }],
  });
  const fits = layerOf<Layer>(spec, "fits");
  deepEqual(fits.encoding.stroke.scale.domain, ["wide: slope −1.00", "deep: slope −1.00"]);
  deepEqual(fits.encoding.stroke.scale.range, SERIES_COLORS.slice(0, 2));
  const points = layerOf<Layer & { encoding: { color: { scale: { domain: string[] } } } }>(
    spec,
    "points",
  );
  deepEqual(points.data.values.length, 8);
  deepEqual(points.encoding.color.scale.domain, ["wide", "deep"]);
});
