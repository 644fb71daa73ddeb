import { deepEqual, ok } from "node:assert/strict";
import { lines, type LineSeries } from "../lib/report/charts/lines.ts";
import { CHART_CONFIG, SERIES_COLORS } from "../lib/report/chart_config.ts";
import { renderSvg } from "../lib/report/render_svg.ts";
import { layerNames, layerOf, marksOf, textsOf } from "./_svg_marks.ts";

type Layer = {
  data: { values: Record<string, unknown>[] };
  mark: { point?: boolean };
  encoding: {
    x: { scale: { type?: string } };
    y: { scale: { type?: string }; axis: { values?: number[] } };
    color: { scale: { domain: string[]; range: string[] } };
  };
};

const WIDTHS = [8, 16, 32, 64];
const SERIES: LineSeries[] = [
  {
    name: "train",
    points: WIDTHS.map((x) => ({ x, y: 10 / x, low: 8 / x, high: 12 / x })),
  },
  { name: "test", points: WIDTHS.map((x) => ({ x, y: 20 / x })) },
];

Deno.test("lines draws a line per series, a band where low and high are given, and references", async () => {
  const spec = lines({
    title: "Error against width",
    description: "Error falls as the network widens.",
    xTitle: "width",
    yTitle: "error (%)",
    series: SERIES,
    references: [{ label: "published", value: 0.5 }],
    seriesOrder: ["test"],
  });
  deepEqual(layerNames(spec), ["bands", "lines", "reference_rules", "reference_labels"]);
  deepEqual(spec.config, CHART_CONFIG);
  const bands = layerOf<Layer>(spec, "bands");
  deepEqual(
    bands.data.values,
    SERIES[0].points.map(({ x, low, high }) => ({
      series: "train",
      x,
      low,
      high,
    })),
  );
  const line = layerOf<Layer>(spec, "lines");
  deepEqual(line.data.values.length, 8);
  deepEqual(line.encoding.color.scale.domain, ["test", "train"], "seriesOrder first");
  deepEqual(line.encoding.color.scale.range, SERIES_COLORS.slice(0, 2));
  deepEqual(line.mark.point, true, "few points get markers");
  deepEqual(line.encoding.x.scale.type, undefined);
  const { svg, warnings } = await renderSvg(spec);
  deepEqual(warnings, []);
  deepEqual(marksOf(svg, "bands").length, 1, "one band: only train has low and high");
  deepEqual(marksOf(svg, "lines").length, 2);
  deepEqual(marksOf(svg, "reference_rules"), ["line"]);
  deepEqual(textsOf(svg, "reference_labels"), ["published"]);
});

Deno.test("lines puts both axes on log scales, ticks within the data, when every value is positive", () => {
  const spec = lines({
    title: "t",
    description: "d",
    xTitle: "width",
    yTitle: "error",
    logX: true,
    logY: true,
    series: SERIES,
    markers: false,
  });
  const line = layerOf<Layer>(spec, "lines");
  deepEqual(line.encoding.x.scale.type, "log");
  deepEqual(line.encoding.y.scale.type, "log");
  // y spans 8 / 64 = 0.125 to 20 / 8 = 2.5: ticks at 1, 2 and 5 times powers of ten inside it.
  deepEqual(line.encoding.y.axis.values, [0.2, 0.5, 1, 2]);
  deepEqual(line.mark.point, false);
  const bands = layerOf<Layer>(spec, "bands");
  deepEqual(bands.encoding.y.scale.type, "log", "the band shares the log scale");
});

Deno.test("lines falls back to linear axes when a value is not positive, and drops non-finite points", () => {
  const spec = lines({
    title: "t",
    description: "d",
    xTitle: "layer",
    yTitle: "gradient norm",
    logX: true,
    logY: true,
    series: [{ name: "a", points: [{ x: 0, y: 1 }, { x: 1, y: Number.NaN }, { x: 2, y: 3 }] }],
  });
  const line = layerOf<Layer>(spec, "lines");
  deepEqual(line.encoding.x.scale.type, undefined, "x = 0 cannot go on a log axis");
  deepEqual(line.encoding.y.scale.type, "log");
  deepEqual(line.data.values, [{ series: "a", x: 0, y: 1 }, { series: "a", x: 2, y: 3 }]);
  ok(!layerNames(spec).includes("bands"));
});

Deno.test("lines gives the same spec for the same input", () => {
  const input = { title: "t", description: "d", xTitle: "x", yTitle: "y", series: SERIES };
  deepEqual(JSON.stringify(lines(input)), JSON.stringify(lines(structuredClone(input))));
});
