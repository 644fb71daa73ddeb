/**
 * A scalar field sampled on a regular grid: the input of the contour and decision-region charts.
 *
 * @module
 */

/** A regular grid axis: `count` points from `min` to `max`, both included. */
export interface GridAxis {
  /** The first grid coordinate. */
  min: number;
  /** The last grid coordinate; greater than `min`. */
  max: number;
  /** How many grid points, at least 2. */
  count: number;
}

/** A field on a grid: `values[j][i]` is the value at `x_i`, `y_j` (rows go up the y axis). */
export interface ScalarGrid {
  /** The x axis of the grid. */
  x: GridAxis;
  /** The y axis of the grid. */
  y: GridAxis;
  /** `y.count` rows of `x.count` values. */
  values: readonly (readonly number[])[];
}

/**
 * The coordinates of a grid axis' points.
 *
 * @param axis The axis.
 * @returns `count` values from `min` to `max`, evenly spaced, both ends exact.
 *
 * @example
 * ```ts
 * import { gridCoordinates } from "./scalar_grid.ts";
 * const xs = gridCoordinates({ min: -1, max: 1, count: 5 });
 * if (xs.join() !== "-1,-0.5,0,0.5,1") throw new Error(xs.join());
 * ```
 */
export function gridCoordinates(axis: GridAxis): number[] {
  return Array.from(
    { length: axis.count },
    (_, i) =>
      i === axis.count - 1 ? axis.max : axis.min + (axis.max - axis.min) * i / (axis.count - 1),
  );
}

/**
 * Samples a function of two variables on a grid.
 *
 * @param f The function, e.g. a loss surface.
 * @param x The grid's x axis.
 * @param y The grid's y axis.
 * @returns The grid, `values[j][i] = f(x_i, y_j)`.
 *
 * @example
 * ```ts
 * import { sampleGrid } from "./scalar_grid.ts";
 * const grid = sampleGrid((x, y) => x * x + y * y, { min: -1, max: 1, count: 3 }, { min: 0, max: 2, count: 2 });
 * if (grid.values[1][2] !== 5) throw new Error(String(grid.values));
 * ```
 */
export function sampleGrid(
  f: (x: number, y: number) => number,
  x: GridAxis,
  y: GridAxis,
): ScalarGrid {
  const xs = gridCoordinates(x);
  return { x, y, values: gridCoordinates(y).map((yj) => xs.map((xi) => f(xi, yj))) };
}
