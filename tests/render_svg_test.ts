import { deepEqual, match, notEqual, rejects } from "node:assert/strict";
import type { TopLevelSpec } from "vega-lite";
import { learningCurves } from "../lib/report/charts/learning_curves.ts";
import { ChartRenderError, renderSvg, stabilizeIds } from "../lib/report/render_svg.ts";

const CURVES = [
  { series: "MLP", seed: 1, points: [{ x: 0, y: 2.3 }, { x: 1, y: 0.3 }, { x: 2, y: 0.2 }] },
  { series: "MLP", seed: 2, points: [{ x: 0, y: 2.1 }, { x: 1, y: 0.5 }, { x: 2, y: 0.1 }] },
  { series: "LeNet-5", seed: 1, points: [{ x: 0, y: 2.3 }, { x: 1, y: 0.1 }, { x: 2, y: 0.05 }] },
];

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
