import { deepEqual } from "node:assert/strict";
import { scatter } from "../lib/report/charts/scatter.ts";
import { renderSvg } from "../lib/report/render_svg.ts";
import { marksOf, textsOf } from "./_svg_marks.ts";

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
