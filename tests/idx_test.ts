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

Deno.test("parseIdx rejects a bad magic number, and says when the file is gzipped", () => {
  rejects(
    [0, 1, 0x08, 1, 0, 0, 0, 1, 9],
    "bad-file: expected an IDX magic number starting with two zero bytes, found 0x00010801",
  );
  rejects(
    [0x1f, 0x8b, 0x08, 1, 0, 0, 0, 1, 9],
    "bad-file: expected an IDX magic number starting with two zero bytes, found 0x1f8b0801 (a gzip header: decompress the file first)",
  );
  rejects([0, 0, 8], "bad-file: expected at least the 4-byte IDX magic number, found 3 bytes");
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

Deno.test("parseIdx rejects a file with no dimensions", () => {
  rejects([0, 0, 0x08, 0, 7], "bad-file: expected at least one dimension, found 0");
});

Deno.test("parseIdx reports the expected size of an MNIST image file cut short", () => {
  const bytes = new Uint8Array(1000);
  bytes.set([0, 0, 0x08, 3, 0, 0, 0xea, 0x60, 0, 0, 0, 28, 0, 0, 0, 28]);
  assert.throws(() => parseIdx(bytes, "train-images-idx3-ubyte"), (error: unknown) => {
    assert.ok(error instanceof IdxFormatError);
    assert.equal(
      error.message,
      "train-images-idx3-ubyte: expected 47040016 bytes (16-byte header + 60000x28x28 uint8), found 1000 (truncated)",
    );
    return true;
  });
});

Deno.test("parseIdx reads a file that starts inside a larger buffer", () => {
  const file = encodeIdx({ dataType: "int16", dims: [2], data: new Int16Array([-2, 513]) });
  const buffer = new Uint8Array(file.length + 3);
  buffer.set(file, 3);
  const parsed = parseIdx(buffer.subarray(3), "offset");
  assert.ok(parsed.data instanceof Int16Array);
  assert.deepEqual([...parsed.data], [-2, 513]);
});

Deno.test("parseIdx returns typed arrays of the file's element type", () => {
  const kinds = [
    ["uint8", Uint8Array],
    ["int8", Int8Array],
    ["int16", Int16Array],
    ["int32", Int32Array],
    ["float32", Float32Array],
    ["float64", Float64Array],
  ] as const;
  for (const [dataType, ArrayType] of kinds) {
    const parsed = parseIdx(encodeIdx({ dataType, dims: [1, 1], data: new ArrayType(1) }), "x");
    assert.ok(parsed.data instanceof ArrayType, dataType);
  }
});

Deno.test("encodeIdx writes the header bytes by hand-checked layout", () => {
  const bytes = encodeIdx({
    dataType: "float64",
    dims: [1, 300],
    data: new Float64Array(300).fill(1),
  });
  assert.deepEqual([...bytes.subarray(0, 12)], [0, 0, 0x0e, 2, 0, 0, 0, 1, 0, 0, 1, 44]);
  assert.deepEqual([...bytes.subarray(12, 20)], [0x3f, 0xf0, 0, 0, 0, 0, 0, 0]);
  assert.equal(bytes.length, 12 + 300 * 8);
});

Deno.test("encodeIdx rejects values that do not match the dimensions", () => {
  assert.throws(
    () => encodeIdx({ dataType: "uint8", dims: [2, 3], data: new Uint8Array(5) }),
    { name: "RangeError", message: "Expected 6 values for dims 2x3 but found 5" },
  );
  assert.throws(
    () => encodeIdx({ dataType: "uint8", dims: [], data: new Uint8Array(1) }),
    { name: "RangeError", message: "Expected 1 to 255 dimensions but found 0" },
  );
  assert.throws(
    () => encodeIdx({ dataType: "uint8", dims: [-1], data: new Uint8Array(0) }),
    { name: "RangeError", message: "Expected every dimension to be a uint32 but found -1" },
  );
});
