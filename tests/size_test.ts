import assert from "node:assert/strict";
import { size } from "../lib/probes/size.ts";
import { expandModel } from "../lib/models/presets.ts";
import type { ProbeContext } from "../lib/probes/probe.ts";

const shape = { input: [28, 28, 1], target: { kind: "classes" as const, classes: 10, shape: [] } };
const layers = expandModel({ kind: "lenet5" }, { input: [28, 28, 1], outputs: 10 });
const context = { layers, shape } as unknown as ProbeContext;

Deno.test("size reports LeNet-5's per-layer counts as LeCun et al. 1998 give them", async () => {
  const probe = size.schema.parse({ kind: "size", layers: ["c1", "c3", "f6"] });
  assert.deepEqual(size.metrics(probe, shape), [
    "multiplyAdds",
    "neurons",
    "c1Parameters",
    "c1MultiplyAdds",
    "c3Parameters",
    "c3MultiplyAdds",
    "f6Parameters",
    "f6MultiplyAdds",
  ]);
  const { final, artifacts } = await size.run(probe, context);
  // C1: 6 kernels of 5×5 and 6 biases; 28×28×6 outputs of 25 products each (the paper's
  // 122,304 connections count the bias too: 28·28·6·26).
  assert.equal(final.c1Parameters, 156);
  assert.equal(final.c1MultiplyAdds, 28 * 28 * 6 * 25);
  assert.equal(final.c1MultiplyAdds + 28 * 28 * 6, 122_304);
  // C3 with all 16 maps connected to all 6 of S2: 16·(6·25 + 1); 10×10×16 outputs of 150.
  assert.equal(final.c3Parameters, 2_416);
  assert.equal(final.c3MultiplyAdds, 10 * 10 * 16 * 150);
  // F6: 84·(120 + 1), each weight used once.
  assert.equal(final.f6Parameters, 10_164);
  assert.equal(final.f6MultiplyAdds, 10_080);
  assert.equal(final.multiplyAdds, 117_600 + 240_000 + 48_000 + 10_080 + 840);
  assert.deepEqual(artifacts, {}, "no table unless asked");
});

Deno.test("size draws a table of every layer when asked", async () => {
  const { artifacts } = await size.run(size.schema.parse({ kind: "size", table: true }), context);
  const table = artifacts.sizeTable;
  assert.ok(table.kind === "table");
  assert.deepEqual(table.rows.map((row) => row[0]), layers.map((layer) => layer.name));
  const c1 = table.rows[0];
  assert.deepEqual(c1, ["c1", "conv", "28×28×6", "156", "117,600", "753.8"]);
  assert.equal(table.rows.find((row) => row[0] === "s2")![5], "", "no ratio without parameters");
});

Deno.test("size names a layer that the model lacks", () => {
  const problems = size.check(size.schema.parse({ kind: "size", layers: ["c2"] }), shape, layers);
  assert.equal(problems.length, 1);
  assert.match(
    problems[0],
    /^probes: size.layers: expected the name of a layer of the model \(c1, s2, c3, .*\), found "c2"$/,
  );
});
