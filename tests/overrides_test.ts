import assert from "node:assert/strict";
import { applyOverride, hasPath, overridesFromEntries } from "../lib/experiment/overrides.ts";
import { ConfigError } from "../lib/experiment/config_error.ts";
import { didYouMean, editDistance, nearest } from "../lib/experiment/nearest.ts";

Deno.test("applyOverride sets nested keys, array indices and named array elements", () => {
  const target = {
    train: { epochs: 10 },
    seeds: [1, 2],
    variants: [{ name: "mlp", settings: { model: { hidden: [800] } } }],
  };
  applyOverride(target, { path: "train.epochs", value: 2, from: "--set" }, "x.ts");
  applyOverride(target, { path: "seeds.1", value: 9, from: "--set" }, "x.ts");
  applyOverride(
    target,
    { path: "variants.mlp.settings.model.hidden", value: [10], from: "--set" },
    "x.ts",
  );
  assert.deepEqual(target, {
    train: { epochs: 2 },
    seeds: [1, 9],
    variants: [{ name: "mlp", settings: { model: { hidden: [10] } } }],
  });
});

Deno.test("applyOverride names the missing key, where, and the nearest valid one", () => {
  const target = { train: { epochs: 10, batchSize: 64 } };
  assert.throws(
    () => applyOverride(target, { path: "train.bachSize", value: 1, from: "--set" }, "x.ts"),
    (error: unknown) => {
      assert.ok(error instanceof ConfigError);
      assert.equal(
        error.message,
        '--set train.bachSize: x.ts has no key "bachSize" under "train" (did you mean "batchSize"?); valid keys there: epochs, batchSize',
      );
      return true;
    },
  );
  assert.throws(
    () => applyOverride(target, { path: "train.epochs.max", value: 1, from: "my.yaml" }, "x.ts"),
    { message: 'my.yaml train.epochs.max: "train.epochs" is 10 in x.ts, so it has no key "max"' },
  );
});

Deno.test("hasPath follows the same rules as applyOverride", () => {
  assert.equal(hasPath({ a: [{ name: "x", b: 1 }] }, "a.x.b"), true);
  assert.equal(hasPath({ a: [{ name: "x", b: 1 }] }, "a.y.b"), false);
  assert.equal(hasPath({ a: 1 }, "a.b"), false);
});

Deno.test("overridesFromEntries accepts dotted and nested keys alike", () => {
  assert.deepEqual(
    overridesFromEntries({ "train.epochs": 1, data: { trainSize: 5 } }, "profile ci").map((o) =>
      o.path
    ),
    ["train.epochs", "data.trainSize"],
  );
});

Deno.test("nearest suggests close keys only", () => {
  assert.equal(editDistance("kitten", "sitting"), 3);
  assert.equal(editDistance("adma", "adam"), 1);
  assert.equal(nearest("testError", ["testLoss", "testErrorPercent"]), "testErrorPercent");
  assert.equal(nearest("learningrate", ["learningRate", "momentum"]), "learningRate");
  assert.equal(nearest("zzz", ["epochs"]), undefined);
  assert.equal(didYouMean("seed", ["seeds", "title"]), ' (did you mean "seeds"?)');
});
