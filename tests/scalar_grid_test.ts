import { deepEqual } from "node:assert/strict";
import { gridCoordinates, sampleGrid } from "../lib/report/charts/scalar_grid.ts";

Deno.test("gridCoordinates spaces count points evenly and ends exactly at max", () => {
  deepEqual(gridCoordinates({ min: 0, max: 1, count: 3 }), [0, 0.5, 1]);
  const xs = gridCoordinates({ min: -2, max: 2, count: 41 });
  deepEqual([xs.length, xs[0], xs[40]], [41, -2, 2]);
});

Deno.test("sampleGrid puts f(x_i, y_j) at values[j][i]", () => {
  const grid = sampleGrid((x, y) => 10 * x + y, { min: 0, max: 2, count: 3 }, {
    min: 0,
    max: 1,
    count: 2,
  });
  deepEqual(grid.values, [[0, 10, 20], [1, 11, 21]]);
});
