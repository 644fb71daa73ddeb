/**
 * Isolines of a field on a grid by marching squares, joined into polylines.
 *
 * @module
 */

import { gridCoordinates, type ScalarGrid } from "./scalar_grid.ts";

/** A point of an isoline. */
export interface IsolinePoint {
  x: number;
  y: number;
}

/**
 * The isolines of a field at one level: each a polyline through the points where the field,
 * interpolated linearly along the grid's edges, equals `level`. A closed line ends at its first
 * point. Cells with a non-finite corner are skipped; a saddle cell is resolved by the mean of its
 * corners. Same grid, same lines in the same order.
 */
export function isolines(grid: ScalarGrid, level: number): IsolinePoint[][] {
  const nx = grid.x.count;
  const ny = grid.y.count;
  const xs = gridCoordinates(grid.x);
  const ys = gridCoordinates(grid.y);
  const value = (i: number, j: number) => grid.values[j][i];
  // Edge keys: horizontal edge from (i, j) to (i + 1, j) is j * nx + i; vertical edge from
  // (i, j) to (i, j + 1) is nx * ny + j * nx + i.
  const horizontal = (i: number, j: number) => j * nx + i;
  const vertical = (i: number, j: number) => nx * ny + j * nx + i;
  const crossing = (key: number): IsolinePoint => {
    const isVertical = key >= nx * ny;
    const index = isVertical ? key - nx * ny : key;
    const i = index % nx;
    const j = Math.floor(index / nx);
    const [i1, j1] = isVertical ? [i, j + 1] : [i + 1, j];
    const a = value(i, j);
    const t = (level - a) / (value(i1, j1) - a);
    return { x: xs[i] + t * (xs[i1] - xs[i]), y: ys[j] + t * (ys[j1] - ys[j]) };
  };
  const segments: [number, number][] = [];
  for (let j = 0; j < ny - 1; j++) {
    for (let i = 0; i < nx - 1; i++) {
      const corners = [value(i, j), value(i + 1, j), value(i + 1, j + 1), value(i, j + 1)];
      if (!corners.every(Number.isFinite)) continue;
      const [bl, br, tr, tl] = corners.map((corner) => corner >= level);
      const bottom = horizontal(i, j);
      const right = vertical(i + 1, j);
      const top = horizontal(i, j + 1);
      const left = vertical(i, j);
      const crossed = [
        ...(bl !== br ? [bottom] : []),
        ...(br !== tr ? [right] : []),
        ...(tr !== tl ? [top] : []),
        ...(tl !== bl ? [left] : []),
      ];
      if (crossed.length === 2) segments.push([crossed[0], crossed[1]]);
      else if (crossed.length === 4) {
        // A saddle: the mean of the corners says whether the diagonal above the level connects.
        const centerAbove = corners.reduce((sum, corner) => sum + corner, 0) / 4 >= level;
        if (bl === centerAbove) {
          // bl and tr are on the centre's side: cut off br and tl.
          segments.push([bottom, right], [top, left]);
        } else segments.push([left, bottom], [right, top]);
      }
    }
  }
  const byEdge = new Map<number, number[]>();
  segments.forEach(([a, b], s) => {
    for (const key of [a, b]) {
      const list = byEdge.get(key);
      if (list) list.push(s);
      else byEdge.set(key, [s]);
    }
  });
  const used = new Array<boolean>(segments.length).fill(false);
  const follow = (from: number, key: number): number | undefined => {
    const next = byEdge.get(key)?.find((s) => !used[s] && s !== from);
    return next;
  };
  const lines: IsolinePoint[][] = [];
  for (let start = 0; start < segments.length; start++) {
    if (used[start]) continue;
    used[start] = true;
    const keys = [...segments[start]];
    for (let s = follow(start, keys[keys.length - 1]); s !== undefined;) {
      used[s] = true;
      const [a, b] = segments[s];
      keys.push(a === keys[keys.length - 1] ? b : a);
      s = keys[keys.length - 1] === keys[0] ? undefined : follow(s, keys[keys.length - 1]);
    }
    if (keys[keys.length - 1] !== keys[0]) {
      for (let s = follow(start, keys[0]); s !== undefined; s = follow(s, keys[0])) {
        used[s] = true;
        const [a, b] = segments[s];
        keys.unshift(a === keys[0] ? b : a);
      }
    }
    lines.push(keys.map(crossing));
  }
  return lines;
}
