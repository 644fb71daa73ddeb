/**
 * A heatmap of one matrix (rows and columns labelled), or a grid of small images such as digits
 * or first-layer filters.
 *
 * @module
 */

import type { TopLevelSpec } from "vega-lite";
import { imageDataUrl } from "./_png.ts";
import { INK } from "../chart_config.ts";
import { header } from "./_common.ts";
import type { ChartText } from "./chart_text.ts";

/** Colour scheme of a heatmap: `greys` for images, `diverging` (centred on 0) for weights. */
export type HeatmapScheme = "greys" | "diverging" | "viridis";

/** A heatmap of one matrix, with row and column labels. */
export interface MatrixHeatmapInput extends ChartText {
  /** The values, one array per row. */
  matrix: readonly (readonly number[])[];
  /** One label per row; row indices from 0 unless given. */
  rowLabels?: readonly string[];
  /** One label per column; column indices from 0 unless given. */
  columnLabels?: readonly string[];
  /** Title of the x (column) axis; none unless given. */
  xTitle?: string;
  /** Title of the y (row) axis; none unless given. */
  yTitle?: string;
  /** Write each cell's value in it (for small matrices such as confusion matrices). */
  showValues?: boolean;
  /** Colour scheme; `greys` unless given. */
  scheme?: HeatmapScheme;
  /** Title of the colour legend; none unless given. */
  colorTitle?: string;
}

/** A grid of small images (digits, filters), each optionally labelled. */
export interface ImageGridInput extends ChartText {
  /** The images in reading order, each a matrix of pixel values with an optional caption. */
  images: readonly { label?: string; pixels: readonly (readonly number[])[] }[];
  /** Images per row; default up to 10. */
  columns?: number;
  /** Pixel size on screen; default 4. */
  cellSize?: number;
  /** Colour scheme; `greys` unless given. */
  scheme?: HeatmapScheme;
  /** Title of the colour legend; none unless given. */
  colorTitle?: string;
}

/** Input of {@linkcode heatmap}: one matrix, or a grid of small images. */
export type HeatmapInput = MatrixHeatmapInput | ImageGridInput;

function colorOf(scheme: HeatmapScheme, values: readonly number[], title: string | null) {
  if (scheme === "diverging") {
    const extent = Math.max(1e-12, ...values.map((value) => Math.abs(value)));
    return {
      field: "value",
      type: "quantitative" as const,
      title,
      scale: { scheme: "blueorange", domain: [-extent, extent], domainMid: 0 },
    };
  }
  return {
    field: "value",
    type: "quantitative" as const,
    title,
    scale: { scheme: scheme === "greys" ? "greys" : "viridis" },
  };
}

/**
 * A heatmap of one matrix (rows and columns labelled), or a grid of small images such as digits
 * or first-layer filters.
 *
 * @param input A matrix or a list of images, plus text.
 * @returns A Vega-Lite spec.
 *
 * @example
 * ```ts
 * import { heatmap } from "./heatmap.ts";
 * const spec = heatmap({
 *   title: "Confusion matrix",
 *   description: "Most predictions are on the diagonal.",
 *   matrix: [[9, 1], [2, 8]],
 *   rowLabels: ["0", "1"],
 *   columnLabels: ["0", "1"],
 *   showValues: true,
 * });
 * if (!("layer" in spec)) throw new Error("expected a layered spec");
 * ```
 */
export function heatmap(input: HeatmapInput): TopLevelSpec {
  return "matrix" in input ? matrixHeatmap(input) : imageGrid(input);
}

function matrixHeatmap(input: MatrixHeatmapInput): TopLevelSpec {
  const rows = input.matrix.length;
  const columns = Math.max(0, ...input.matrix.map((row) => row.length));
  const rowLabels = input.rowLabels ?? Array.from({ length: rows }, (_, i) => String(i));
  const columnLabels = input.columnLabels ?? Array.from({ length: columns }, (_, j) => String(j));
  const values = input.matrix.flatMap((row, i) =>
    row.map((value, j) => ({ row: rowLabels[i], column: columnLabels[j], value }))
  );
  const scheme = input.scheme ?? "greys";
  const color = colorOf(scheme, values.map((v) => v.value), input.colorTitle ?? null);
  const x = {
    field: "column",
    type: "ordinal" as const,
    sort: [...columnLabels],
    title: input.xTitle ?? null,
    axis: { labelAngle: 0 },
  };
  const y = {
    field: "row",
    type: "ordinal" as const,
    sort: [...rowLabels],
    title: input.yTitle ?? null,
  };
  const cell = Math.max(8, Math.min(40, Math.floor(420 / Math.max(rows, columns, 1))));
  const layer: unknown[] = [
    {
      name: "cells",
      mark: { type: "rect" },
      encoding: {
        x,
        y,
        color,
        tooltip: [{ field: "row" }, { field: "column" }, { field: "value", format: ".4~g" }],
      },
    },
  ];
  if (input.showValues) {
    const all = values.map((v) => v.value);
    const middle = (Math.min(...all) + Math.max(...all)) / 2;
    layer.push({
      name: "cell_values",
      mark: { type: "text", fontSize: 10 },
      encoding: {
        x,
        y,
        text: { field: "value", type: "quantitative", format: ".3~g" },
        color: scheme === "greys"
          ? { condition: { test: `datum.value > ${middle}`, value: "white" }, value: "black" }
          : { value: "black" },
      },
    });
  }
  return {
    ...header(input),
    width: cell * columns,
    height: cell * rows,
    data: { values },
    layer,
  } as TopLevelSpec;
}

function imageGrid(input: ImageGridInput): TopLevelSpec {
  const count = input.images.length;
  const columns = Math.max(1, Math.min(input.columns ?? 10, count));
  const gridRows = Math.ceil(count / columns);
  const height = Math.max(1, ...input.images.map((image) => image.pixels.length));
  const width = Math.max(
    1,
    ...input.images.map((image) => Math.max(0, ...image.pixels.map((r) => r.length))),
  );
  const cellSize = input.cellSize ?? 4;
  const hasLabels = input.images.some((image) => image.label !== undefined);
  const labelRows = hasLabels ? Math.ceil(16 / cellSize) : 0;
  const gap = Math.max(1, Math.ceil(6 / cellSize));
  const tileWidth = width + gap;
  const tileHeight = height + gap + labelRows;
  const all = input.images.flatMap((image) => image.pixels.flat());
  const scheme = input.scheme ?? "greys";
  const extent = Math.max(1e-12, ...all.map((value) => Math.abs(value)));
  const domain: [number, number] = scheme === "diverging"
    ? [-extent, extent]
    : [Math.min(...all), Math.max(...all)];
  const vegaScheme = scheme === "diverging" ? "blueorange" : scheme;
  // Each image is one PNG (its pixels coloured as the legend's scale): a rectangle per pixel made
  // pages of megabytes.
  const tiles: { x: number; y: number; x2: number; y2: number; url: string; image: string }[] = [];
  const labels: { x: number; y: number; label: string }[] = [];
  input.images.forEach((image, k) => {
    const left = (k % columns) * tileWidth;
    const top = Math.floor(k / columns) * tileHeight + labelRows;
    tiles.push({
      x: left,
      y: top,
      x2: left + width,
      y2: top + height,
      url: imageDataUrl(image.pixels, vegaScheme, domain),
      image: image.label ?? `image ${k + 1}`,
    });
    if (image.label !== undefined) {
      labels.push({ x: left + width / 2, y: top - 0.5, label: image.label });
    }
  });
  const totalWidth = columns * tileWidth - gap;
  const totalHeight = gridRows * tileHeight - gap;
  const xScale = { domain: [0, totalWidth], nice: false, zero: false };
  const yScale = { domain: [0, totalHeight], nice: false, zero: false, reverse: true };
  const layer: unknown[] = [
    {
      name: "images",
      data: { values: tiles },
      mark: { type: "image", aspect: false },
      encoding: {
        x: { field: "x", type: "quantitative", scale: xScale, axis: null },
        x2: { field: "x2" },
        y: { field: "y", type: "quantitative", scale: yScale, axis: null },
        y2: { field: "y2" },
        url: { field: "url", type: "nominal" },
        // The image's name, not its data URL, as its accessible label.
        description: { field: "image" },
        tooltip: [{ field: "image" }],
      },
    },
    {
      // The legend of the images' colours: two invisible marks at the ends of the domain.
      name: "scale",
      data: { values: domain.map((value) => ({ value, x: 0, y: 0 })) },
      mark: { type: "point", opacity: 0 },
      encoding: {
        x: { field: "x", type: "quantitative", scale: xScale, axis: null },
        y: { field: "y", type: "quantitative", scale: yScale, axis: null },
        color: colorOf(scheme, domain, input.colorTitle ?? null),
      },
    },
  ];
  if (labels.length > 0) {
    layer.push({
      name: "image_labels",
      data: { values: labels },
      mark: { type: "text", baseline: "bottom", color: INK },
      encoding: {
        x: { field: "x", type: "quantitative", scale: xScale, axis: null },
        y: { field: "y", type: "quantitative", scale: yScale, axis: null },
        text: { field: "label" },
      },
    });
  }
  return {
    ...header(input),
    width: totalWidth * cellSize,
    height: totalHeight * cellSize,
    layer,
  } as TopLevelSpec;
}
