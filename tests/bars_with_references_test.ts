import { deepEqual, ok } from "node:assert/strict";
import { barsWithReferences } from "../lib/report/charts/bars_with_references.ts";
import { renderSvg } from "../lib/report/render_svg.ts";
import { layerNames, marksOf, textsOf } from "./_svg_marks.ts";

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
