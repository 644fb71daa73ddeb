import { deepEqual } from "node:assert/strict";
import { heatmap } from "../lib/report/charts/heatmap.ts";
import { renderSvg } from "../lib/report/render_svg.ts";
import { marksOf, textsOf } from "./_svg_marks.ts";

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
