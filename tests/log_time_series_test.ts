import { deepEqual, match } from "node:assert/strict";
import { logTimeSeries } from "../lib/report/charts/log_time_series.ts";
import { renderSvg } from "../lib/report/render_svg.ts";
import { marksOf, textsOf } from "./_svg_marks.ts";

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
