/**
 * The parts the field charts (contours, decision regions) share: the plot's size, the axes of
 * the grid, the field filled in bands and its isolines as chart data.
 *
 * The field is drawn as rectangles: the grid is interpolated bilinearly onto cells of about
 * {@linkcode FILL_CELL} pixels and runs of cells in the same band are merged, so band edges are
 * smooth at a few hundred rectangles per chart.
 *
 * @module
 */

import { scheme } from "vega";
import { isolines } from "./_marching_squares.ts";
import type { ScalarGrid } from "./scalar_grid.ts";

/** Size of the cells the field is filled with, in pixels. */
export const FILL_CELL = 4;

/** A run of fill cells in one band, in data coordinates. */
export interface BandRect {
  x0: number;
  x1: number;
  y0: number;
  y1: number;
  /** The band: how many levels are at or below the field here. */
  band: number;
}

/** One point of an isoline as chart data. */
export interface IsolineRow {
  /** The isoline's level. */
  level: number;
  /** Which line the point belongs to, unique in the chart. */
  line: number;
  /** The point's place along its line. */
  order: number;
  x: number;
  y: number;
}

/** A value to six significant digits: the chart's precision, and half the bytes. */
export function round(value: number): number {
  return Number(value.toPrecision(6));
}

/** The plot's width and height: 440 pixels wide, as tall as the grid's aspect (within limits). */
export function fieldSize(grid: ScalarGrid): { width: number; height: number } {
  const aspect = (grid.y.max - grid.y.min) / (grid.x.max - grid.x.min);
  return { width: 440, height: Math.round(Math.max(220, Math.min(520, 440 * aspect))) };
}

/** The x and y position encodings of a field chart: the grid's extent, nothing more. */
export function fieldAxes(grid: ScalarGrid, xTitle: string, yTitle: string) {
  const axis = (field: string, title: string, range: { min: number; max: number }) => ({
    field,
    type: "quantitative" as const,
    title,
    scale: { domain: [range.min, range.max], nice: false, zero: false },
  });
  return { x: axis("x", xTitle, grid.x), y: axis("y", yTitle, grid.y) };
}

/** The field interpolated bilinearly at (x, y); NaN where a corner is not finite. */
function bilinear(grid: ScalarGrid, x: number, y: number): number {
  const u = (x - grid.x.min) / (grid.x.max - grid.x.min) * (grid.x.count - 1);
  const v = (y - grid.y.min) / (grid.y.max - grid.y.min) * (grid.y.count - 1);
  const i = Math.max(0, Math.min(grid.x.count - 2, Math.floor(u)));
  const j = Math.max(0, Math.min(grid.y.count - 2, Math.floor(v)));
  const fu = u - i;
  const fv = v - j;
  const row = grid.values[j];
  const above = grid.values[j + 1];
  return (1 - fv) * ((1 - fu) * row[i] + fu * row[i + 1]) +
    fv * ((1 - fu) * above[i] + fu * above[i + 1]);
}

/**
 * The field as rectangles coloured by band: `columns` × `rows` cells over the grid's extent,
 * merged along each row where the band does not change. Each rectangle reaches half a cell into
 * the next one, which is drawn after it and covers the overlap, so no hairline gaps show
 * between rectangles.
 */
export function bandRects(
  grid: ScalarGrid,
  levels: readonly number[],
  columns: number,
  rows: number,
): BandRect[] {
  const dx = (grid.x.max - grid.x.min) / columns;
  const dy = (grid.y.max - grid.y.min) / rows;
  const bandOf = (value: number) =>
    Number.isNaN(value) ? -1 : levels.filter((level) => level <= value).length;
  const out: BandRect[] = [];
  for (let r = 0; r < rows; r++) {
    const y0 = grid.y.min + r * dy;
    const y1 = r === rows - 1 ? grid.y.max : y0 + 1.5 * dy;
    const y = y0 + dy / 2;
    let start = 0;
    let band = bandOf(bilinear(grid, grid.x.min + dx / 2, y));
    for (let c = 1; c <= columns; c++) {
      const next = c === columns ? -2 : bandOf(bilinear(grid, grid.x.min + (c + 0.5) * dx, y));
      if (next === band) continue;
      if (band >= 0) {
        out.push({
          x0: round(grid.x.min + start * dx),
          x1: round(c === columns ? grid.x.max : grid.x.min + (c + 0.5) * dx),
          y0: round(y0),
          y1: round(y1),
          band,
        });
      }
      start = c;
      band = next;
    }
  }
  return out;
}

/** The isolines of the field at each level, as chart data (coordinates rounded). */
export function isolineRows(grid: ScalarGrid, levels: readonly number[]): IsolineRow[] {
  const rows: IsolineRow[] = [];
  let line = 0;
  for (const level of levels) {
    for (const points of isolines(grid, level)) {
      points.forEach((point, order) =>
        rows.push({ level, line, order, x: round(point.x), y: round(point.y) })
      );
      line++;
    }
  }
  return rows;
}

/**
 * Round levels between `low` and `high` (exclusive) for a linear scale: multiples of 1, 2 or 5
 * times a power of ten, about `count` of them.
 */
export function niceLevels(low: number, high: number, count = 8): number[] {
  if (!(high > low)) return [];
  const rough = (high - low) / count;
  const power = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= rough) ?? 10 * power;
  const out: number[] = [];
  for (let k = Math.floor(low / step) + 1; k * step < high; k++) out.push(round(k * step));
  return out.filter((level) => level > low && level < high);
}

/**
 * The names of the bands between levels, lowest first: `< a`, `a – b`, …, `≥ z` (one band, `all`,
 * without levels).
 */
export function bandLabels(levels: readonly number[]): string[] {
  if (levels.length === 0) return ["all"];
  const text = levels.map((level) => String(Number(level.toPrecision(3))));
  return [
    `< ${text[0]}`,
    ...text.slice(1).map((high, k) => `${text[k]} – ${high}`),
    `≥ ${text[text.length - 1]}`,
  ];
}

/**
 * `count` colours sampled evenly from the part `extent` of a Vega colour scheme, as `#rrggbb`.
 */
export function bandColors(
  name: string,
  extent: readonly [number, number],
  count: number,
): string[] {
  const interpolate = scheme(name) as (t: number) => string;
  return Array.from({ length: count }, (_, k) => {
    const t = count === 1 ? 0.5 : k / (count - 1);
    const rgb = interpolate(extent[0] + t * (extent[1] - extent[0])).match(/\d+/g)!.map(Number);
    return `#${rgb.slice(0, 3).map((c) => c.toString(16).padStart(2, "0")).join("")}`;
  });
}
