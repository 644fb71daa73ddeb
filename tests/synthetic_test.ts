import assert from "node:assert/strict";
import {
  type ClassificationSplit,
  seededPermutation,
  takeSubset,
  toClassificationSplit,
} from "../lib/data/dataset.ts";
import { addingProblem, gaussianBlobs, spirals, twoMoons, xor } from "../lib/data/synthetic.ts";

function classCounts(split: ClassificationSplit): number[] {
  const counts = new Array(split.classes).fill(0);
  for (const label of split.labels) counts[label]++;
  return counts;
}

function checkShapes(split: ClassificationSplit, count: number, dimensions: number) {
  assert.equal(split.count, count);
  assert.deepEqual(split.featureShape, [dimensions]);
  assert.equal(split.features.length, count * dimensions);
  assert.equal(split.labels.length, count);
  assert.ok(split.features.every(Number.isFinite));
}

const GENERATORS = {
  twoMoons: (seed: number) => twoMoons(101, seed),
  gaussianBlobs: (seed: number) => gaussianBlobs(101, seed),
  spirals: (seed: number) => spirals(101, seed),
  xor: (seed: number) => xor(101, seed, { noise: 0.1 }),
  addingProblem: (seed: number) => addingProblem(101, 20, seed),
};

Deno.test("synthetic generators give the same values for a seed and others for another", () => {
  for (const [name, generate] of Object.entries(GENERATORS)) {
    const a = generate(11);
    const b = generate(11);
    const c = generate(12);
    assert.deepEqual(a, b, name);
    assert.notDeepEqual(a.features, c.features, name);
  }
});

Deno.test("twoMoons puts each class on its half circle, balanced and shuffled", () => {
  const moons = twoMoons(1001, 3, { noise: 0 });
  checkShapes(moons, 1001, 2);
  assert.deepEqual(classCounts(moons), [500, 501]);
  for (let i = 0; i < moons.count; i++) {
    const [x, y] = moons.features.subarray(2 * i, 2 * i + 2);
    const [cx, cy, upper] = moons.labels[i] === 0 ? [0, 0, true] : [1, 0.5, false];
    assert.ok(Math.abs(Math.hypot(x - cx, y - cy) - 1) < 1e-6, `point ${i} off its circle`);
    assert.ok(upper ? y >= -1e-6 : y <= 0.5 + 1e-6, `point ${i} on the wrong half`);
  }
  // Shuffled: the first half is not all class 0 (probability of that is about 2^-500).
  assert.ok(moons.labels.subarray(0, 500).some((label) => label === 1));
});

Deno.test("twoMoons noise has the requested standard deviation", () => {
  const noisy = twoMoons(20_000, 4, { noise: 0.2 });
  let squares = 0;
  for (let i = 0; i < noisy.count; i++) {
    const [x, y] = noisy.features.subarray(2 * i, 2 * i + 2);
    const [cx, cy] = noisy.labels[i] === 0 ? [0, 0] : [1, 0.5];
    squares += (Math.hypot(x - cx, y - cy) - 1) ** 2;
  }
  // Radial error of isotropic noise is about N(0, 0.2^2) for noise much smaller than the radius.
  const radialStd = Math.sqrt(squares / noisy.count);
  assert.ok(Math.abs(radialStd - 0.2) < 0.01, `radial std ${radialStd}`);
});

Deno.test("gaussianBlobs centres each class on its centre with the requested spread", () => {
  const count = 30_000;
  const blobs = gaussianBlobs(count, 5, { classes: 3, dimensions: 4, std: 2, centerBox: 5 });
  checkShapes(blobs, count, 4);
  assert.deepEqual(classCounts(blobs), [10_000, 10_000, 10_000]);
  assert.equal(blobs.centers.length, 3);
  for (let k = 0; k < 3; k++) {
    assert.ok(blobs.centers[k].every((c) => Math.abs(c) <= 5));
    const sums = new Array(4).fill(0);
    const squares = new Array(4).fill(0);
    for (let i = 0; i < count; i++) {
      if (blobs.labels[i] !== k) continue;
      for (let d = 0; d < 4; d++) {
        const offset = blobs.features[4 * i + d] - blobs.centers[k][d];
        sums[d] += offset;
        squares[d] += offset * offset;
      }
    }
    for (let d = 0; d < 4; d++) {
      // Standard error of the mean is 2 / sqrt(10000) = 0.02; allow 5 of them.
      assert.ok(Math.abs(sums[d] / 10_000) < 0.1, `class ${k} axis ${d} mean`);
      assert.ok(Math.abs(Math.sqrt(squares[d] / 10_000) - 2) < 0.1, `class ${k} axis ${d} std`);
    }
  }
});

Deno.test("spirals puts each arm at its angle for its radius", () => {
  const arms = 3;
  const turns = 1.5;
  const data = spirals(3001, 6, { arms, turns, noise: 0 });
  checkShapes(data, 3001, 2);
  assert.deepEqual(classCounts(data), [1001, 1000, 1000]);
  for (let i = 0; i < data.count; i++) {
    const [x, y] = data.features.subarray(2 * i, 2 * i + 2);
    const radius = Math.hypot(x, y);
    assert.ok(radius <= 1 + 1e-6);
    if (radius < 1e-3) continue; // the angle of a point at the centre is meaningless
    const expected = 2 * Math.PI * (turns * radius + data.labels[i] / arms);
    const difference = Math.atan2(y, x) - expected;
    const wrapped = Math.atan2(Math.sin(difference), Math.cos(difference));
    assert.ok(Math.abs(wrapped) < 1e-3, `point ${i} is ${wrapped} rad off its arm`);
  }
});

Deno.test("xor labels opposite-sign points 1 and is balanced within binomial error", () => {
  const count = 40_000;
  const data = xor(count, 8);
  checkShapes(data, count, 2);
  for (let i = 0; i < count; i++) {
    const [x, y] = data.features.subarray(2 * i, 2 * i + 2);
    assert.ok(Math.abs(x) <= 1 && Math.abs(y) <= 1);
    assert.equal(data.labels[i], x * y < 0 ? 1 : 0);
  }
  // Binomial(40000, 1/2) has standard deviation 100; allow 5 of them.
  assert.ok(Math.abs(classCounts(data)[1] - count / 2) < 500, `${classCounts(data)}`);
});

Deno.test("addingProblem targets the sum of the two marked values", () => {
  const length = 30;
  const data = addingProblem(2000, length, 9);
  assert.equal(data.count, 2000);
  assert.deepEqual(data.featureShape, [length, 2]);
  assert.deepEqual(data.targetShape, [1]);
  assert.equal(data.features.length, 2000 * length * 2);
  assert.equal(data.targets.length, 2000);
  let latest = 0;
  for (let n = 0; n < data.count; n++) {
    const sequence = data.features.subarray(n * length * 2, (n + 1) * length * 2);
    const marked: number[] = [];
    let sum = 0;
    for (let t = 0; t < length; t++) {
      const [value, marker] = [sequence[2 * t], sequence[2 * t + 1]];
      assert.ok(value >= -1 && value <= 1);
      assert.ok([-1, 0, 1].includes(marker));
      if (marker === 1) {
        marked.push(t);
        sum += value;
      } else if (marker === -1) {
        assert.ok(t === 0 || t === length - 1, `start/end marker at ${t}`);
      }
    }
    assert.equal(marked.length, 2, `sequence ${n}`);
    assert.equal(sequence[2 * (length - 1) + 1], -1);
    assert.equal(sequence[1], marked[0] === 0 ? 1 : -1);
    if (marked[0] === 0) assert.equal(sequence[0], 0);
    // One mark among the first 10 pairs, the other among the first length/2 - 1 = 14.
    const fits = (first: number, second: number) => first < 10 && second < 14;
    assert.ok(fits(marked[0], marked[1]) || fits(marked[1], marked[0]), `marks at ${marked}`);
    latest = Math.max(latest, marked[1]);
    assert.equal(data.targets[n], Math.fround(sum));
  }
  // The second mark reaches the last allowed pair, 13 (missed with probability (13/14)^2000).
  assert.equal(latest, 13);
});

Deno.test("addingProblem targets have mean 0 and the variance of two uniform values", () => {
  const length = 100;
  const count = 20_000;
  const data = addingProblem(count, length, 10);
  let sum = 0;
  let squares = 0;
  for (const target of data.targets) {
    sum += target;
    squares += target * target;
  }
  // Each marked value is U[-1, 1] (variance 1/3) unless it sits on the first pair, where it is 0:
  // the first mark lands there with probability 1/10, the second with 9/10 * 1/(length/2 - 2).
  const onFirstPair = 1 / 10 + (9 / 10) / (length / 2 - 2);
  const expected = (2 - onFirstPair) / 3;
  const mean = sum / count;
  const variance = squares / count - mean * mean;
  assert.ok(Math.abs(mean) < 0.03, `mean ${mean}`);
  assert.ok(Math.abs(variance - expected) < 0.03, `variance ${variance}, expected ${expected}`);
});

Deno.test("synthetic generators name the bad argument", () => {
  assert.throws(() => twoMoons(0, 1), {
    name: "RangeError",
    message: "twoMoons: expected count to be a positive integer, found 0",
  });
  assert.throws(() => spirals(10, -1), {
    name: "RangeError",
    message: "spirals: expected seed to be an integer in [0, 2^32), found -1",
  });
  assert.throws(() => gaussianBlobs(10, 1, { std: -1 }), {
    name: "RangeError",
    message: "gaussianBlobs: expected std to be a finite number >= 0, found -1",
  });
  assert.throws(() => addingProblem(10, 5, 1), {
    name: "RangeError",
    message: "addingProblem: expected length to be an integer of at least 6, found 5",
  });
});

Deno.test("addingProblem works at its shortest length", () => {
  for (let seed = 1; seed < 200; seed++) {
    const data = addingProblem(1, 6, seed);
    const markers = [0, 1, 2, 3, 4, 5].map((t) => data.features[2 * t + 1]);
    assert.equal(markers.filter((marker) => marker === 1).length, 2, `seed ${seed}`);
  }
});

// The dataset helpers of lib/data/dataset.ts, exercised on synthetic data.

Deno.test("takeSubset keeps the first examples, deterministically and without copying", () => {
  const data = gaussianBlobs(50, 2);
  const subset = takeSubset(data, 20);
  assert.equal(subset.count, 20);
  assert.deepEqual([...subset.labels], [...data.labels.subarray(0, 20)]);
  assert.deepEqual([...subset.features], [...data.features.subarray(0, 40)]);
  assert.equal(subset.features.buffer, data.features.buffer);
  assert.deepEqual(takeSubset(data, 20), subset);
  assert.throws(() => takeSubset(data, 51), {
    name: "RangeError",
    message: "takeSubset: expected count to be at most the split's 50 examples, found 51",
  });
});

Deno.test("seededPermutation is a permutation, fixed by its seed, and uniform on average", () => {
  const order = seededPermutation(1000, 17);
  assert.deepEqual([...order].sort((a, b) => a - b), Array.from({ length: 1000 }, (_, i) => i));
  assert.deepEqual(seededPermutation(1000, 17), order);
  assert.notDeepEqual(seededPermutation(1000, 18), order);
  // Where index 0 lands over many seeds: uniform on 0..9 gives mean 4.5, sd 2.87/sqrt(5000).
  let sum = 0;
  for (let seed = 1; seed <= 5000; seed++) sum += seededPermutation(10, seed).indexOf(0);
  assert.ok(Math.abs(sum / 5000 - 4.5) < 0.2, `mean position ${sum / 5000}`);
  assert.throws(() => seededPermutation(-1, 1), {
    name: "RangeError",
    message: "seededPermutation: expected count to be a non-negative integer, found -1",
  });
});

Deno.test("toClassificationSplit scales grey levels to [0, 1] and checks its inputs", () => {
  const split = toClassificationSplit(
    new Uint8Array([0, 255, 51, 102, 9, 9]),
    new Uint8Array([2, 0, 1]),
    2,
    [2],
    3,
  );
  assert.deepEqual([...split.features], [0, 1, 0.2, 0.4].map(Math.fround));
  assert.deepEqual([...split.labels], [2, 0]);
  const standardized = toClassificationSplit(
    new Uint8Array([0, 255]),
    new Uint8Array([0]),
    1,
    [2],
    1,
    {
      mean: 0.5,
      std: 0.25,
    },
  );
  assert.deepEqual([...standardized.features], [-2, 2]);
  assert.throws(() => toClassificationSplit(new Uint8Array(4), new Uint8Array([0, 3]), 2, [2], 3), {
    name: "RangeError",
    message: "toClassificationSplit: expected labels 0-2, found 3 at index 1",
  });
  assert.throws(() => toClassificationSplit(new Uint8Array(3), new Uint8Array(2), 2, [2], 3), {
    name: "RangeError",
    message: "toClassificationSplit: expected at least 4 image values (2 x 2), found 3",
  });
});
