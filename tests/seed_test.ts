import assert from "node:assert/strict";
import { createRng, deriveSeed, normal, permutation } from "../lib/random/seed.ts";

Deno.test("deriveSeed is stable, label-sensitive and never 0", () => {
  assert.equal(deriveSeed(1, "shuffle", 1), deriveSeed(1, "shuffle", 1));
  assert.notEqual(deriveSeed(1, "shuffle", 1), deriveSeed(1, "shuffle", 2));
  assert.notEqual(deriveSeed(1, "shuffle", 1), deriveSeed(2, "shuffle", 1));
  for (let root = 0; root < 2000; root++) assert.notEqual(deriveSeed(root, "init"), 0);
});

Deno.test("deriveSeed rejects a seed that is not a uint32", () => {
  assert.throws(() => deriveSeed(-1), {
    name: "RangeError",
    message: "Expected root seed to be an integer in [0, 2^32) but found -1",
  });
});

Deno.test("createRng is uniform on [0, 1): mean and variance match 1/2 and 1/12", () => {
  const rng = createRng(123);
  const n = 100_000;
  let sum = 0;
  let squares = 0;
  for (let i = 0; i < n; i++) {
    const x = rng();
    assert.ok(x >= 0 && x < 1);
    sum += x;
    squares += x * x;
  }
  const mean = sum / n;
  assert.ok(Math.abs(mean - 0.5) < 0.005, `mean ${mean}`);
  assert.ok(Math.abs(squares / n - mean * mean - 1 / 12) < 0.002);
});

Deno.test("normal draws have mean 0 and variance 1", () => {
  const rng = createRng(9);
  const draws = Array.from({ length: 50_000 }, () => normal(rng));
  const mean = draws.reduce((a, b) => a + b, 0) / draws.length;
  const variance = draws.reduce((a, b) => a + (b - mean) ** 2, 0) / draws.length;
  assert.ok(Math.abs(mean) < 0.02, `mean ${mean}`);
  assert.ok(Math.abs(variance - 1) < 0.03, `variance ${variance}`);
});

Deno.test("permutation is a permutation, seeded, and different per seed", () => {
  const a = permutation(1000, 5);
  assert.deepEqual([...a].sort((x, y) => x - y), Array.from({ length: 1000 }, (_, i) => i));
  assert.deepEqual(a, permutation(1000, 5));
  assert.notDeepEqual(a, permutation(1000, 6));
});
