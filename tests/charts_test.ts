import { deepEqual, match, notEqual, ok, rejects, throws } from "node:assert/strict";
import type { TopLevelSpec } from "vega-lite";
import {
  barsWithReferences,
  fitDoublingTrend,
  heatmap,
  learningCurves,
  logTimeSeries,
  scatter,
  summarizeCurves,
} from "../lib/report/charts.ts";
import { CHART_CONFIG, SERIES_COLORS } from "../lib/report/chart_config.ts";
import { ChartRenderError, renderSvg, stabilizeIds } from "../lib/report/render_svg.ts";
import { DARK_COLORS, LIGHT_COLORS } from "../lib/report/style.ts";
import { contrast } from "./_contrast.ts";

/** The elements (`path`, `text`, `line`) drawn by the marks named `name` in a rendered SVG. */
function marksOf(svg: string, name: string): string[] {
  const groups = [...svg.matchAll(/<g class="mark-\w+ role-mark (\w+)"[^>]*>(.*?)<\/g>/g)]
    .filter((match) => match[1] === `${name}_marks`);
  return groups.flatMap((match) => [...match[2].matchAll(/<(path|text|line)\b/g)].map((m) => m[1]));
}

function textsOf(svg: string, name: string): string[] {
  const groups = [...svg.matchAll(/<g class="mark-\w+ role-mark (\w+)"[^>]*>(.*?)<\/g>/g)]
    .filter((match) => match[1] === `${name}_marks`);
  return groups.flatMap((match) =>
    [...match[2].matchAll(/<text\b[^>]*>([^<]*)<\/text>/g)].map((m) => m[1])
  );
}

function layerNames(spec: TopLevelSpec): string[] {
  return ("layer" in spec ? spec.layer : []).map((layer) =>
    (layer as { name?: string }).name ?? ""
  );
}

const CURVES = [
  { series: "MLP", seed: 1, points: [{ x: 0, y: 2.3 }, { x: 1, y: 0.3 }, { x: 2, y: 0.2 }] },
  { series: "MLP", seed: 2, points: [{ x: 0, y: 2.1 }, { x: 1, y: 0.5 }, { x: 2, y: 0.1 }] },
  { series: "LeNet-5", seed: 1, points: [{ x: 0, y: 2.3 }, { x: 1, y: 0.1 }, { x: 2, y: 0.05 }] },
];

Deno.test("summarizeCurves gives the mean, min and max over seeds at each x", () => {
  const rows = summarizeCurves(CURVES);
  deepEqual(rows.length, 6);
  const mlpAtOne = rows.find((row) => row.series === "MLP" && row.x === 1)!;
  deepEqual(mlpAtOne, { series: "MLP", x: 1, mean: 0.4, min: 0.3, max: 0.5, n: 2 });
  const lenetAtTwo = rows.find((row) => row.series === "LeNet-5" && row.x === 2)!;
  deepEqual(lenetAtTwo, { series: "LeNet-5", x: 2, mean: 0.05, min: 0.05, max: 0.05, n: 1 });
});

Deno.test("learningCurves draws a band and a mean line per series, in the given order", async () => {
  const spec = learningCurves({
    title: "Training loss",
    description: "Loss falls.",
    xTitle: "epoch",
    yTitle: "training loss",
    logY: true,
    curves: CURVES,
    seriesOrder: ["LeNet-5", "MLP"],
  });
  deepEqual(layerNames(spec), ["band", "mean"]);
  deepEqual(spec.config, CHART_CONFIG);
  const mean = ("layer" in spec ? spec.layer[1] : undefined) as {
    encoding: { y: { scale: { type: string } }; color: { scale: { domain: string[] } } };
  };
  deepEqual(mean.encoding.y.scale.type, "log");
  deepEqual(mean.encoding.color.scale.domain, ["LeNet-5", "MLP"]);
  const { svg, warnings } = await renderSvg(spec);
  deepEqual(warnings, []);
  deepEqual(marksOf(svg, "band").length, 2, "one band per series");
  deepEqual(marksOf(svg, "mean").length, 2, "one line per series");
  deepEqual(marksOf(svg, "layer_1_layer_1").length, 6, "a point per series and epoch");
});

Deno.test("learningCurves labels a log axis at 1, 2 and 5 times powers of ten within the data", () => {
  const spec = learningCurves({
    title: "t",
    description: "d",
    xTitle: "epoch",
    yTitle: "loss",
    logY: true,
    curves: [{
      series: "a",
      seed: 1,
      points: [1, 2, 3, 4, 5].map((x) => ({ x, y: 2.3 / 8 ** (x - 1) })),
    }],
  });
  const mean = ("layer" in spec ? spec.layer[1] : undefined) as {
    encoding: { x: { axis: { tickMinStep?: number } }; y: { axis: { values?: number[] } } };
  };
  // 2.3 down to 2.3 / 8 ** 4 = 0.000561...
  deepEqual(mean.encoding.y.axis.values, [0.001, 0.01, 0.1, 1]);
  deepEqual(mean.encoding.x.axis.tickMinStep, 1, "whole epochs get whole-number ticks");
  const narrow = learningCurves({
    title: "t",
    description: "d",
    xTitle: "epoch",
    yTitle: "loss",
    logY: true,
    curves: [{ series: "a", seed: 1, points: [{ x: 0, y: 2.3 }, { x: 0.5, y: 0.04 }] }],
  });
  const narrowMean = ("layer" in narrow ? narrow.layer[1] : undefined) as {
    encoding: { x: { axis: { tickMinStep?: number } }; y: { axis: { values?: number[] } } };
  };
  deepEqual(narrowMean.encoding.y.axis.values, [0.05, 0.1, 0.2, 0.5, 1, 2]);
  deepEqual(narrowMean.encoding.x.axis.tickMinStep, undefined);
});

Deno.test("learningCurves falls back to a linear axis when a value is not positive", () => {
  const spec = learningCurves({
    title: "t",
    description: "d",
    xTitle: "epoch",
    yTitle: "y",
    logY: true,
    curves: [{ series: "a", seed: 1, points: [{ x: 0, y: 0 }, { x: 1, y: 1 }] }],
  });
  const mean = ("layer" in spec ? spec.layer[1] : undefined) as {
    encoding: { y: { scale: { type?: string } } };
  };
  deepEqual(mean.encoding.y.scale.type, undefined);
});

Deno.test("barsWithReferences draws each bar, its range and labelled references", async () => {
  const spec = barsWithReferences({
    title: "Test error",
    description: "Measured against published.",
    yTitle: "test error (%)",
    format: ".2f",
    bars: [{ label: "LeNet-5", value: 1.1, low: 0.9, high: 1.3 }, { label: "MLP", value: 2 }],
    references: [
      { label: "published 0.95", value: 0.95, bar: "LeNet-5" },
      { label: "PyTorch", value: 1.5 },
    ],
  });
  deepEqual(layerNames(spec), [
    "bars",
    "bar_values",
    "ranges",
    "reference_ticks",
    "reference_tick_labels",
    "reference_rules",
    "reference_rule_labels",
  ]);
  const { svg, warnings } = await renderSvg(spec);
  deepEqual(warnings, []);
  deepEqual(marksOf(svg, "bars").length, 2);
  deepEqual(textsOf(svg, "bar_values"), ["1.10", "2.00"]);
  deepEqual(marksOf(svg, "ranges"), ["line"]);
  deepEqual(marksOf(svg, "reference_ticks").length, 1);
  deepEqual(textsOf(svg, "reference_tick_labels"), ["published 0.95"]);
  deepEqual(marksOf(svg, "reference_rules"), ["line"]);
  deepEqual(textsOf(svg, "reference_rule_labels"), ["PyTorch"]);
});

Deno.test("fitDoublingTrend recovers the doubling time of an exact exponential", () => {
  const points = [1971, 1981, 1991, 2001].map((year) => ({
    year,
    value: 2300 * 2 ** ((year - 1971) / 2),
  }));
  const trend = fitDoublingTrend(points);
  ok(Math.abs(trend.doublingYears - 2) < 1e-9, String(trend.doublingYears));
  ok(Math.abs(trend.valueAtFrom / 2300 - 1) < 1e-9, String(trend.valueAtFrom));
  deepEqual([trend.fromYear, trend.toYear], [1971, 2001]);
});

Deno.test("fitDoublingTrend rejects fewer than two distinct years, saying what it found", () => {
  throws(() => fitDoublingTrend([{ year: 2000, value: 1 }]), {
    name: "RangeError",
    message: "points: expected at least 2 points, found 1",
  });
});

Deno.test("logTimeSeries draws labelled points, a trend with its doubling time and references", async () => {
  const points = [
    { year: 1958, value: 1e3, label: "Perceptron", group: "historical" },
    { year: 1998, value: 3.4e5, label: "LeNet-5", group: "historical" },
    { year: 2012, value: 6.5e5, label: "AlexNet", group: "historical" },
    { year: 2025, value: 2.7e5, label: "this run", group: "this machine" },
  ];
  const spec = logTimeSeries({
    title: "Neurons in artificial networks",
    description: "Network sizes grow exponentially.",
    yTitle: "neurons",
    points,
    trend: { fromYear: 1958, toYear: 2012, valueAtFrom: 1e3, doublingYears: 5.8 },
    references: [{ label: "human", value: 8.6e10 }, { label: "honey bee", value: 9.6e5 }],
  });
  const { svg, warnings } = await renderSvg(spec);
  deepEqual(warnings, []);
  deepEqual(marksOf(svg, "points").length, 4);
  deepEqual(textsOf(svg, "point_labels"), ["Perceptron", "LeNet-5", "AlexNet", "this run"]);
  match(svg, />doubles every 5.8 years<\/text>/, "the legend states the doubling time");
  deepEqual(marksOf(svg, "trend").length, 1);
  deepEqual(textsOf(svg, "reference_labels"), ["human", "honey bee"]);
  deepEqual(marksOf(svg, "reference_rules"), ["line", "line"]);
  match(svg, /this machine/, "the legend names the groups");
});

Deno.test("scatter draws one labelled point each, on log axes when asked", async () => {
  const spec = scatter({
    title: "Size against error",
    description: "Bigger is better.",
    xTitle: "parameters",
    yTitle: "test error (%)",
    logX: true,
    points: [
      { x: 61706, y: 0.95, label: "LeNet-5", group: "conv" },
      { x: 266610, y: 1.6, label: "MLP", group: "dense" },
      { x: 1e6, y: 1.2, label: "big MLP", group: "dense" },
    ],
  });
  const points = ("layer" in spec ? spec.layer[0] : undefined) as {
    encoding: { x: { scale: { type?: string } }; y: { scale: { type?: string } } };
  };
  deepEqual(points.encoding.x.scale.type, "log");
  deepEqual(points.encoding.y.scale.type, undefined);
  const { svg, warnings } = await renderSvg(spec);
  deepEqual(warnings, []);
  deepEqual(marksOf(svg, "points").length, 3);
  deepEqual(textsOf(svg, "point_labels"), ["LeNet-5", "MLP", "big MLP"]);
});

Deno.test("heatmap of a matrix draws a cell per entry with its value", async () => {
  const spec = heatmap({
    title: "Confusion",
    description: "Mostly diagonal.",
    matrix: [[9, 1, 0], [2, 7, 1]],
    rowLabels: ["a", "b"],
    columnLabels: ["x", "y", "z"],
    showValues: true,
  });
  const { svg, warnings } = await renderSvg(spec);
  deepEqual(warnings, []);
  deepEqual(marksOf(svg, "cells").length, 6);
  deepEqual(textsOf(svg, "cell_values"), ["9", "1", "0", "2", "7", "1"]);
});

Deno.test("heatmap of images draws every pixel and each image's label", async () => {
  const filter = [[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]];
  const spec = heatmap({
    title: "Filters",
    description: "Two edge detectors.",
    images: [{ label: "vertical", pixels: filter }, {
      label: "horizontal",
      pixels: filter.map((row, i) => row.map((_, j) => filter[j][i])),
    }],
    scheme: "diverging",
  });
  const { svg, warnings } = await renderSvg(spec);
  deepEqual(warnings, []);
  deepEqual(marksOf(svg, "pixels").length, 18);
  deepEqual(textsOf(svg, "image_labels"), ["vertical", "horizontal"]);
});

Deno.test("renderSvg gives identical SVG for the same spec and adds title, desc and role", async () => {
  const spec = learningCurves({
    title: "Loss & more",
    description: "A <curve>.",
    xTitle: "epoch",
    yTitle: "loss",
    curves: CURVES,
  });
  const first = await renderSvg(spec, "chart-1");
  const second = await renderSvg(spec, "chart-1");
  deepEqual(first.svg, second.svg);
  match(
    first.svg,
    /^<svg [^>]*role="img" aria-label="A &lt;curve&gt;\."><title>Loss &amp; more<\/title><desc>A &lt;curve&gt;\.<\/desc>/,
  );
});

Deno.test("renderSvg prefixes clip-path ids so that renders and charts on a page never clash", async () => {
  const spec: TopLevelSpec = {
    title: "Clipped",
    data: { values: [{ x: 0, y: 0 }, { x: 2, y: 1 }] },
    mark: { type: "line", clip: true },
    encoding: {
      x: { field: "x", type: "quantitative", scale: { domain: [0, 1] } },
      y: { field: "y", type: "quantitative" },
    },
  };
  const first = await renderSvg(spec, "chart-1");
  const second = await renderSvg(spec, "chart-1");
  deepEqual(first.svg, second.svg);
  match(first.svg, /clip-path="url\(#chart-1-1\)"/);
  match(first.svg, /id="chart-1-1"/);
  notEqual(first.svg, (await renderSvg(spec, "chart-2")).svg);
});

Deno.test("renderSvg names the chart when the spec is not valid", async () => {
  await rejects(
    renderSvg({ title: "Broken", mark: "nonsense" } as unknown as TopLevelSpec),
    (error) => error instanceof ChartRenderError && /^chart "Broken": /.test(error.message),
  );
});

Deno.test("stabilizeIds numbers ids in order of appearance and leaves foreign urls alone", () => {
  const svg =
    '<g clip-path="url(#clip9)"/><a href="#x"/><clipPath id="clip9"/><g fill="url(#other)"/>';
  deepEqual(
    stabilizeIds(svg, "p"),
    '<g clip-path="url(#p-1)"/><a href="#x"/><clipPath id="p-1"/><g fill="url(#other)"/>',
  );
});

Deno.test("SERIES_COLORS have 3:1 contrast on both page backgrounds", () => {
  for (const color of SERIES_COLORS) {
    ok(contrast(color, LIGHT_COLORS.background) >= 3, `${color} on light`);
    ok(contrast(color, DARK_COLORS.background) >= 3, `${color} on dark`);
  }
});

Deno.test("barsWithReferences on a log scale draws bars with height", async () => {
  const spec = barsWithReferences({
    title: "Throughput",
    description: "Three backends on a log scale.",
    bars: [{ label: "a", value: 16.8 }, { label: "b", value: 3604 }, { label: "c", value: 160 }],
    references: [{ label: "PyTorch", value: 6006 }],
    yTitle: "img/s",
    logY: true,
  });
  const { svg } = await renderSvg(spec, "log");
  const group = svg.match(/<g class="mark-rect role-mark bars_marks"[^>]*>(.*?)<\/g>/)![1];
  const heights = [...group.matchAll(/ d="M[\d.]+,[\d.]+h[\d.]+v([\d.]+)/g)].map((m) =>
    Number(m[1])
  );
  deepEqual(heights.length, 3);
  ok(heights.every((height) => height > 0), `bar heights ${heights}`);
});
