import assert from "node:assert/strict";
import { checkExpectations, summarize } from "../lib/experiment/summarize.ts";

Deno.test("summarize computes the sample standard deviation", () => {
  const s = summarize([2, 4, 4, 4, 5, 5, 7, 9]);
  assert.equal(s.mean, 5);
  assert.ok(Math.abs(s.std - Math.sqrt(32 / 7)) < 1e-12);
  assert.deepEqual([s.min, s.max, s.n], [2, 9, 8]);
  assert.equal(summarize([3]).std, 0);
});

Deno.test("checkExpectations uses the profile's bound, falling back to full's", () => {
  const expectation = {
    variant: "lenet5",
    metric: "testErrorPercent",
    published: 0.95,
    source: "LeCun et al. 1998",
    bounds: { full: { atMost: 1.2 }, ci: { atMost: 3.5 } },
  };
  const summary = { lenet5: { testErrorPercent: { mean: 2, std: 0, min: 2, max: 2, n: 1 } } };
  assert.equal(checkExpectations([expectation], summary, "ci")[0].pass, true);
  assert.equal(checkExpectations([expectation], summary, "full")[0].pass, false);
  assert.deepEqual(checkExpectations([expectation], summary, "smoke")[0].bound, { atMost: 1.2 });
  assert.deepEqual(checkExpectations([expectation], {}, "full"), []);
});
