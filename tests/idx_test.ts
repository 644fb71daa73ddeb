import assert from "node:assert/strict";
import { encodeIdx, IdxFormatError, parseIdx } from "../lib/data/idx.ts";

Deno.test("parseIdx reads a crafted uint8 3-D file", () => {
  const bytes = new Uint8Array([0, 0, 0x08, 3, 0, 0, 0, 2, 0, 0, 0, 1, 0, 0, 0, 2, 10, 20, 30, 40]);
  const parsed = parseIdx(bytes, "tiny-images");
  assert.equal(parsed.dataType, "uint8");
  assert.deepEqual(parsed.dims, [2, 1, 2]);
  assert.deepEqual([...parsed.data], [10, 20, 30, 40]);
});

Deno.test("parseIdx reads big-endian int32 and float32 values", () => {
  const ints = new Uint8Array([0, 0, 0x0c, 1, 0, 0, 0, 2, 0, 0, 1, 0, 0xff, 0xff, 0xff, 0xfe]);
  assert.deepEqual([...parseIdx(ints, "ints").data], [256, -2]);
  const floats = encodeIdx({
    dataType: "float32",
    dims: [3],
    data: new Float32Array([1.5, -2, 0.25]),
  });
  assert.deepEqual(floats.subarray(8, 12), new Uint8Array([0x3f, 0xc0, 0, 0]));
  assert.deepEqual([...parseIdx(floats, "floats").data], [1.5, -2, 0.25]);
});

Deno.test("encodeIdx and parseIdx round-trip every type", () => {
  for (
    const [dataType, data] of [
      ["int8", new Int8Array([-3, 4])],
      ["int16", new Int16Array([-300, 400])],
      ["float64", new Float64Array([Math.PI, -1e300])],
    ] as const
  ) {
    const parsed = parseIdx(encodeIdx({ dataType, dims: [2], data }), dataType);
    assert.equal(parsed.dataType, dataType);
    assert.deepEqual([...parsed.data], [...data]);
  }
});

function rejects(bytes: number[], message: string) {
  assert.throws(() => parseIdx(new Uint8Array(bytes), "bad-file"), (error: unknown) => {
    assert.ok(error instanceof IdxFormatError);
    assert.equal(error.message, message);
    return true;
  });
}

Deno.test("parseIdx rejects a bad magic number", () => {
  rejects(
    [0x1f, 0x8b, 0x08, 1, 0, 0, 0, 1, 9],
    "bad-file: expected an IDX magic number starting with two zero bytes, found 0x1f8b0801",
  );
});

Deno.test("parseIdx rejects an unknown type code", () => {
  rejects(
    [0, 0, 0x0a, 1, 0, 0, 0, 1, 9],
    "bad-file: expected an IDX type code 0x08, 0x09, 0x0b, 0x0c, 0x0d or 0x0e, found 0x0a",
  );
});

Deno.test("parseIdx rejects a truncated file and trailing bytes", () => {
  rejects(
    [0, 0, 0x08, 2, 0, 0, 0, 2, 0, 0, 0, 2, 1, 2, 3],
    "bad-file: expected 16 bytes (12-byte header + 2x2 uint8), found 15 (truncated)",
  );
  rejects(
    [0, 0, 0x08, 1, 0, 0, 0, 1, 1, 2],
    "bad-file: expected 9 bytes (8-byte header + 1 uint8), found 10 (trailing bytes)",
  );
  rejects(
    [0, 0, 0x08, 3, 0, 0],
    "bad-file: expected 16 header bytes for 3 dimensions, found 6 bytes",
  );
});
