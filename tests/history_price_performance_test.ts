import assert from "node:assert/strict";
import { eurosPerTflop, gpuPricePerformance } from "../lib/history/price_performance.ts";
import { loadHistoryTable } from "../lib/history/tables.ts";

const DATA = new URL("../data", import.meta.url).pathname;

Deno.test("eurosPerTflop divides the price by the peak FP32 throughput", () => {
  assert.equal(eurosPerTflop(600, 8.23), 600 / 8.23);
  assert.ok(Math.abs(eurosPerTflop(835, 11.47) - 72.7986) < 1e-4);
});

Deno.test("eurosPerTflop rejects a price or throughput that is not positive", () => {
  assert.throws(() => eurosPerTflop(600, 0), {
    name: "RangeError",
    message: "fp32Tflops: expected a positive number, found 0",
  });
  assert.throws(() => eurosPerTflop(Number.NaN, 8.23), {
    name: "RangeError",
    message: "priceEur: expected a positive number, found NaN",
  });
});

Deno.test("gpuPricePerformance prices the course's three GPUs and the Quadro GP100", async () => {
  const gpus = await loadHistoryTable("gpus", DATA);
  const entries = gpuPricePerformance(gpus.rows);
  // Hand-computed from the course's table (heise.de, 2017-03-01) and the GP100 slide.
  const expected: [string, number, boolean, boolean][] = [
    ["GTX 1080", 72.90, true, false], // 600 / 8.23
    ["Titan X (Pascal)", 127.95, true, false], // 1300 / 10.16
    ["GTX 1080 Ti", 72.80, true, false], // 835 / 11.47
    ["Quadro GP100", 621.36, false, true], // 6400 / 10.3, FP32 not verified against NVIDIA
  ];
  assert.deepEqual(entries.map((entry) => entry.name), expected.map(([name]) => name));
  for (const [name, euros, inCourseTable, unverified] of expected) {
    const entry = entries.find((candidate) => candidate.name === name)!;
    assert.ok(Math.abs(entry.eurosPerTflop - euros) < 0.01, `${name}: ${entry.eurosPerTflop}`);
    assert.equal(entry.inCourseTable, inCourseTable, name);
    assert.equal(entry.unverified, unverified, name);
  }
});
