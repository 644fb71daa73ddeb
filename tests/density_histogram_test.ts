import { deepEqual, ok } from "node:assert/strict";
import { densityHistogram } from "../lib/report/charts/density_histogram.ts";
import { SERIES_COLORS } from "../lib/report/chart_config.ts";
import { renderSvg } from "../lib/report/render_svg.ts";
import { layerNames, layerOf, marksOf } from "./_svg_marks.ts";

type Layer = {
  data: { values: Record<string, unknown>[] };
  mark: { color?: string; stroke?: string };
  encoding: { y2?: { datum: number }; color: { scale: { domain: string[] } } };
};

const normal = (x: number) => Math.exp(-x * x / 2) / Math.sqrt(2 * Math.PI);
const BINS = Array.from({ length: 8 }, (_, k) => {
  const x0 = -2 + k * 0.5;
  return { x0, x1: x0 + 0.5, density: normal(x0 + 0.25) };
});
const CURVE = Array.from({ length: 41 }, (_, k) => ({ x: -2 + k * 0.1, y: normal(-2 + k * 0.1) }));

Deno.test("densityHistogram draws a bar from zero per bin and a line per curve", async () => {
  const spec = densityHistogram({
    title: "Sample means",
    description: "The means follow the normal density.",
    xTitle: "standardized mean",
    bins: BINS,
    curves: [
      { name: "normal", points: CURVE },
      { name: "wider", points: CURVE.map(({ x }) => ({ x, y: normal(x / 2) / 2 })) },
    ],
    curveOrder: ["wider"],
  });
  deepEqual(layerNames(spec), ["bins", "curves"]);
  const bins = layerOf<Layer>(spec, "bins");
  deepEqual(bins.data.values, BINS);
  deepEqual(bins.encoding.y2, { datum: 0 });
  ok(SERIES_COLORS.includes(bins.mark.stroke!), "the bins' outline is a palette colour (3:1)");
  deepEqual(layerOf<Layer>(spec, "curves").encoding.color.scale.domain, ["wider", "normal"]);
  const { svg, warnings } = await renderSvg(spec);
  deepEqual(warnings, []);
  deepEqual(marksOf(svg, "bins").length, 8);
  deepEqual(marksOf(svg, "curves").length, 2);
});

Deno.test("densityHistogram without curves is a histogram alone, and drops non-finite bins", async () => {
  const spec = densityHistogram({
    title: "t",
    description: "d",
    xTitle: "x",
    bins: [...BINS, { x0: 2, x1: 2.5, density: Number.NaN }],
  });
  deepEqual(layerNames(spec), ["bins"]);
  deepEqual(layerOf<Layer>(spec, "bins").data.values.length, 8);
  const { warnings } = await renderSvg(spec);
  deepEqual(warnings, []);
});
