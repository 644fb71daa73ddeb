import assert from "node:assert/strict";
import { formatNumber, toCanonicalJson } from "../lib/io/canonical_json.ts";

Deno.test("toCanonicalJson sorts keys at every depth", () => {
  assert.equal(
    toCanonicalJson({ b: { d: 1, c: 2 }, a: [] }),
    '{\n  "a": [],\n  "b": {\n    "c": 2,\n    "d": 1\n  }\n}\n',
  );
});

Deno.test("toCanonicalJson gives equal bytes for equal values built in another order", () => {
  const one = { x: 0.1 + 0.2, y: [1, { q: true, p: null }] };
  const two = { y: [1, { p: null, q: true }], x: 0.30000000000000004 };
  assert.equal(toCanonicalJson(one), toCanonicalJson(two));
});

Deno.test("formatNumber rounds to 7 significant digits and normalises -0", () => {
  assert.equal(formatNumber(1 / 3), "0.3333333");
  assert.equal(formatNumber(-0), "0");
  assert.equal(formatNumber(61706), "61706");
  assert.equal(formatNumber(1.23456789e-9), "1.234568e-9");
});

Deno.test("toCanonicalJson rejects NaN with the path of the value", () => {
  assert.throws(
    () => toCanonicalJson({ trials: [{ final: { loss: NaN } }] }),
    {
      name: "RangeError",
      message: "$.trials[0].final.loss: Expected a finite number for JSON but found NaN",
    },
  );
});
