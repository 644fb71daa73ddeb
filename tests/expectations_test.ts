import assert from "node:assert/strict";
import { bestSoFar, checkExpectations, leastSquaresSlope } from "../lib/experiment/expectations.ts";
import type {
  BeatsCheck,
  Expectation,
  MetricSummary,
  SweepRecord,
  TrialMetrics,
  ValueCheck,
} from "../lib/experiment/records.ts";

const mean = (value: number, n = 1): MetricSummary => ({
  mean: value,
  std: 0,
  min: value,
  max: value,
  n,
});

function input(
  summary: Record<string, Record<string, MetricSummary>>,
  extra: { trials?: TrialMetrics[]; sweeps?: SweepRecord[]; points?: Record<string, never> } = {},
) {
  return {
    summary,
    trials: extra.trials ?? [],
    sweeps: extra.sweeps ?? [],
    points: extra.points ?? {},
  };
}

Deno.test("checkExpectations checks a value with the profile's bound, falling back to full's", () => {
  const expectation: Expectation = {
    variant: "lenet5",
    metric: "testErrorPercent",
    published: 0.95,
    source: "LeCun et al. 1998",
    bounds: { full: { atMost: 1.2 }, ci: { atMost: 3.5 }, smoke: { skip: true } },
  };
  const summary = { lenet5: { testErrorPercent: mean(2) } };
  assert.equal(checkExpectations([expectation], input(summary), "ci")[0].pass, true);
  assert.equal(checkExpectations([expectation], input(summary), "full")[0].pass, false);
  assert.deepEqual(
    (checkExpectations([expectation], input(summary), "other")[0] as ValueCheck).bound,
    {
      atMost: 1.2,
    },
  );
  assert.deepEqual(checkExpectations([expectation], input(summary), "smoke"), []);
  assert.deepEqual(checkExpectations([expectation], input({}), "full"), []);
});

Deno.test("checkExpectations checks a comparison both ways and with a margin", () => {
  const beats = (direction: "lower" | "higher", margin: number): Expectation => ({
    kind: "beats",
    better: { variant: "a", metric: "m" },
    worse: { variant: "b", metric: "m" },
    direction,
    margins: { full: margin, ci: "skip" },
    source: "s",
  });
  const summary = { a: { m: mean(1) }, b: { m: mean(3) } };
  const [lower] = checkExpectations([beats("lower", 1.5)], input(summary), "full");
  assert.ok(lower.pass && lower.value === 2);
  assert.equal(checkExpectations([beats("lower", 2.5)], input(summary), "full")[0].pass, false);
  assert.equal(checkExpectations([beats("higher", 0)], input(summary), "full")[0].pass, false);
  assert.deepEqual(checkExpectations([beats("lower", 0)], input(summary), "ci"), []);
  // A tie is not a win, even with no margin.
  const tie = { a: { m: mean(2) }, b: { m: mean(2) } };
  assert.equal(checkExpectations([beats("lower", 0)], input(tie), "full")[0].pass, false);
});

Deno.test("checkExpectations derives slopes, best points and rank correlations from a sweep", () => {
  const xs = [1, 10, 100, 1000];
  const sweeps: SweepRecord[] = [{
    name: "n",
    label: "n",
    keys: ["data.samples"],
    templates: [],
    variants: xs.map((x) => `n-${x}`),
  }];
  const points = Object.fromEntries(
    xs.map((x, index) => [`n-${x}`, { sweep: "n", index, values: { "data.samples": x } }]),
  ) as Record<string, never>;
  // error = 2 / sqrt(n): slope -0.5 on log-log axes; lowest at n = 1000.
  const summary = Object.fromEntries(xs.map((x) => [`n-${x}`, { error: mean(2 / Math.sqrt(x)) }]));
  const derived = (
    quantity: Record<string, unknown>,
    bound: { atMost?: number; atLeast?: number },
  ): Expectation => ({
    kind: "derived",
    name: "q",
    quantity: quantity as { kind: string },
    source: "s",
    bounds: { full: bound },
  });
  const context = input(summary, { sweeps, points });
  const [slope] = checkExpectations(
    [derived({ kind: "slope", metric: "error", sweep: "n", logX: true, logY: true }, {
      atLeast: -0.51,
      atMost: -0.49,
    })],
    context,
    "full",
  );
  assert.ok(slope.pass, JSON.stringify(slope));
  assert.ok(Math.abs((slope.value as number) + 0.5) < 1e-12);
  const [best] = checkExpectations(
    [derived({ kind: "argmin", metric: "error", sweep: "n" }, { atLeast: 1000 })],
    context,
    "full",
  );
  assert.equal(best.value, 1000);
  const [rank] = checkExpectations(
    [derived({ kind: "correlation", metric: "error", sweep: "n" }, { atMost: -0.99 })],
    context,
    "full",
  );
  assert.equal(rank.value, -1);
});

Deno.test("checkExpectations finds the epoch from which one curve stays below another", () => {
  const trial = (variant: string, values: number[]): TrialMetrics => ({
    variant,
    seed: 1,
    final: {},
    artifacts: {},
    curve: values.map((loss, i) => ({ step: i + 1, epoch: i + 1, loss })),
  });
  const trials = [trial("a", [5, 4, 1, 3, 0.5, 0.4]), trial("b", [4, 3, 2, 2, 2, 2])];
  const [check] = checkExpectations(
    [{
      kind: "derived",
      name: "crossing",
      quantity: { kind: "crossover", metric: "loss", first: "a", second: "b", direction: "lower" },
      source: "s",
      bounds: { full: { atMost: 5 } },
    }],
    input({}, { trials }),
    "full",
  );
  // Below at epoch 3, above again at 4, below from 5 on.
  assert.equal(check.value, 5);
  assert.equal(check.pass, true);
});

Deno.test("leastSquaresSlope fits a line exactly through collinear points", () => {
  assert.equal(leastSquaresSlope([0, 1, 2, 3], [1, 3, 5, 7]), 2);
  assert.ok(Number.isNaN(leastSquaresSlope([1, 1], [0, 1])));
});

Deno.test("checkExpectations compares the best points of searches, over their first k points", () => {
  const sweep = (name: string, values: number[]): SweepRecord => ({
    name,
    label: name,
    keys: ["train.optimizer.learningRate"],
    templates: [],
    variants: values.map((_, i) => `${name}-${i + 1}`),
  });
  const grid = [5, 4, 6, 3];
  const random1 = [4, 2, 7, 9];
  const random2 = [8, 3, 1, 6];
  const summary = Object.fromEntries(
    ([["grid", grid], ["random-a", random1], ["random-b", random2]] as const).flatMap((
      [name, values],
    ) => values.map((value, i) => [`${name}-${i + 1}`, { error: mean(value) }])),
  );
  const sweeps = [sweep("grid", grid), sweep("random-a", random1), sweep("random-b", random2)];
  const beats = (first?: number): Expectation => ({
    kind: "beats",
    better: {
      sweeps: ["random-a", "random-b"],
      metric: "error",
      reduce: "min",
      ...(first ? { first } : {}),
    },
    worse: { sweeps: ["grid"], metric: "error", reduce: "min", ...(first ? { first } : {}) },
    direction: "lower",
    margins: { full: 0 },
    source: "Bergstra & Bengio 2012",
  });
  // All points: random's bests 2 and 1 (mean 1.5) against the grid's 3.
  const [all] = checkExpectations([beats()], input(summary, { sweeps }), "full") as BeatsCheck[];
  assert.ok(all.better.value === 1.5 && all.worse.value === 3 && all.pass);
  assert.equal(all.better.variant, "best of sweeps random-a, random-b (mean over them)");
  // First point only: random's 4 and 8 (mean 6) against the grid's 5.
  const [first] = checkExpectations([beats(1)], input(summary, { sweeps }), "full") as BeatsCheck[];
  assert.ok(first.better.value === 6 && !first.pass);
  const curve = bestSoFar({ sweeps: ["random-a", "random-b"], metric: "error", reduce: "min" }, {
    summary,
    sweeps,
  });
  assert.deepEqual(curve?.map((point) => [point.mean, point.min, point.max]), [
    [6, 4, 8],
    [2.5, 2, 3],
    [1.5, 1, 2],
    [1.5, 1, 2],
  ]);
});
