import { deepEqual, ok } from "node:assert/strict";
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

Deno.test("heatmap of images draws each image as one PNG, coloured on the legend's scale", async () => {
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
  const images = [...svg.matchAll(/xlink:href="data:image\/png;base64,([^"]+)"/g)];
  deepEqual(images.length, 2);
  deepEqual(textsOf(svg, "image_labels"), ["vertical", "horizontal"]);
  // The PNG holds the 3x3 pixels: its header says so, and its middle column is the scale's
  // midpoint (0), its corners the ends (-2 is darker blue than -1).
  const png = Uint8Array.from(atob(images[0][1]), (c) => c.charCodeAt(0));
  const view = new DataView(png.buffer);
  deepEqual([view.getUint32(16), view.getUint32(20)], [3, 3]);
  const { inflateSync } = await import("node:zlib");
  const idat = png.indexOf(0x49, 33); // "IDAT" follows the 25-byte IHDR chunk
  const length = view.getUint32(idat - 4);
  const raw = new Uint8Array(inflateSync(png.subarray(idat + 4, idat + 4 + length)));
  const pixel = (row: number, column: number) =>
    Array.from(raw.subarray(row * 10 + 1 + column * 3, row * 10 + 4 + column * 3));
  deepEqual(pixel(0, 1), pixel(1, 1));
  ok(
    pixel(1, 0)[2] > pixel(0, 0)[2] || pixel(1, 0)[0] < pixel(0, 0)[0],
    "-2 is further from white than -1",
  );
  // The legend shows the scale's domain, symmetric around 0 for a diverging scheme.
  ok(svg.includes("role-legend"), "a legend");
});
