import assert from "node:assert/strict";
import { summarize, summarizeTrials } from "../lib/experiment/summarize.ts";

Deno.test("summarize computes the sample standard deviation", () => {
  const s = summarize([2, 4, 4, 4, 5, 5, 7, 9]);
  assert.equal(s.mean, 5);
  assert.ok(Math.abs(s.std - Math.sqrt(32 / 7)) < 1e-12);
  assert.deepEqual([s.min, s.max, s.n], [2, 9, 8]);
  assert.equal(summarize([3]).std, 0);
});

Deno.test("summarizeTrials summarises each metric over the trials that report it", () => {
  const trial = (seed: number, final: Record<string, number>) => ({
    variant: "a",
    seed,
    final,
    curve: [],
    artifacts: {},
  });
  const summary = summarizeTrials([trial(1, { e: 1, l: 4 }), trial(2, { e: 3 })]);
  assert.deepEqual(summary.a.e, { mean: 2, std: Math.SQRT2, min: 1, max: 3, n: 2 });
  assert.equal(summary.a.l.n, 1);
});
