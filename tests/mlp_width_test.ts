import assert from "node:assert/strict";
import { mlpParameters, mlpWidthForParameters } from "../lib/models/mlp_width.ts";
import { countModel } from "../lib/models/count_model.ts";
import { expandModel } from "../lib/models/presets.ts";

Deno.test("mlpParameters matches countModel on the mlp preset's layers", () => {
  for (const hidden of [[], [300], [1000], [300, 100], [800], [5, 7, 11], [1024, 1024, 1024]]) {
    const layers = expandModel({ kind: "mlp", hidden }, { input: [28, 28, 1], outputs: 10 });
    assert.equal(
      mlpParameters(784, hidden, 10),
      countModel([28, 28, 1], layers).parameters,
      `hidden [${hidden}]`,
    );
  }
  // LeCun et al. 1998's 784-300-100-10, by hand: 785·300 + 301·100 + 101·10.
  assert.equal(mlpParameters(784, [300, 100], 10), 266_610);
});

Deno.test("mlpWidthForParameters gives the width whose count is nearest the budget", () => {
  for (const budget of [1_000, 50_000, 200_000, 2_900_000]) {
    for (const depth of [1, 2, 3, 4, 8]) {
      const width = mlpWidthForParameters(784, 10, depth, budget);
      const error = (w: number) => Math.abs(mlpParameters(784, Array(depth).fill(w), 10) - budget);
      assert.ok(width >= 1);
      assert.ok(
        error(width) <= error(width + 1),
        `${budget}, depth ${depth}: ${width} + 1 is nearer`,
      );
      if (width > 1) {
        assert.ok(
          error(width) <= error(width - 1),
          `${budget}, depth ${depth}: ${width} − 1 is nearer`,
        );
      }
    }
  }
  // One hidden layer: (784 + 1) w + (w + 1) 10 = 795 w + 10, so 200,000 parameters is w ≈ 251.6.
  assert.equal(mlpWidthForParameters(784, 10, 1, 200_000), 252);
  // Three layers of 1024 units (Srivastava et al. 2014) hold 2,913,290 parameters.
  assert.equal(mlpWidthForParameters(784, 10, 3, 2_913_290), 1024);
  // A budget below the smallest network gives width 1.
  assert.equal(mlpWidthForParameters(784, 10, 2, 10), 1);
});

Deno.test("mlpParameters and mlpWidthForParameters reject sizes that are not positive integers", () => {
  assert.throws(() => mlpParameters(784, [300, 0], 10), {
    name: "RangeError",
    message: "mlpParameters: expected hidden[1] to be a positive integer, found 0",
  });
  assert.throws(() => mlpWidthForParameters(784, 10, 1.5, 1000), {
    name: "RangeError",
    message: "mlpWidthForParameters: expected depth to be a positive integer, found 1.5",
  });
});
