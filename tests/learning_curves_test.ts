import { deepEqual } from "node:assert/strict";
import { learningCurves, summarizeCurves } from "../lib/report/charts/learning_curves.ts";
import { CHART_CONFIG } from "../lib/report/chart_config.ts";
import { renderSvg } from "../lib/report/render_svg.ts";
import { layerNames, marksOf } from "./_svg_marks.ts";

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
