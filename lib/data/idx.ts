/**
 * The IDX file format of the MNIST files (LeCun et al.): two zero bytes, a type code, the number
 * of dimensions, each dimension as a big-endian uint32, then the values, big-endian, row-major.
 *
 * @module
 */

/** An IDX element type. */
export type IdxDataType = "uint8" | "int8" | "int16" | "int32" | "float32" | "float64";

/** The element types IDX can hold, by their type code; `satisfies` keeps the names in step. */
const TYPES = [
  { code: 0x08, name: "uint8", size: 1 },
  { code: 0x09, name: "int8", size: 1 },
  { code: 0x0b, name: "int16", size: 2 },
  { code: 0x0c, name: "int32", size: 4 },
  { code: 0x0d, name: "float32", size: 4 },
  { code: 0x0e, name: "float64", size: 8 },
] as const satisfies readonly { code: number; name: IdxDataType; size: number }[];

/** A parsed IDX file: its element type, its dimensions, and its values in row-major order. */
export interface IdxArray {
  /** The element type, from the file's type code. */
  dataType: IdxDataType;
  /** The size of each dimension, outermost first. */
  dims: number[];
  /** The values in row-major order, in a typed array matching `dataType`. */
  data: Uint8Array | Int8Array | Int16Array | Int32Array | Float32Array | Float64Array;
}

/**
 * A file that is not valid IDX; the message names the file, what was expected and what was found.
 *
 * @example
 * ```ts
 * import { IdxFormatError, parseIdx } from "./idx.ts";
 * try {
 *   parseIdx(new Uint8Array([1, 2, 3, 4]), "odd.bin");
 * } catch (error) {
 *   if (!(error instanceof IdxFormatError)) throw error;
 * }
 * ```
 */
export class IdxFormatError extends Error {
  /**
   * Creates the error with a message that says what was expected and what was found.
   *
   * @param message The full message.
   */
  constructor(message: string) {
    super(message);
    this.name = "IdxFormatError";
  }
}

/**
 * Parses an IDX file, checking its magic number, dimensions and exact length.
 *
 * @param bytes The file's content.
 * @param name The file's name, for error messages.
 * @returns The element type, dimensions and values; for 1-byte types the values are a view on
 * `bytes` (no copy), for wider types a new array in the platform's byte order.
 * @throws {IdxFormatError} For a bad magic number, an unknown type code, no dimensions, or a
 * length that is not exactly header + values (truncated or trailing bytes).
 *
 * @example
 * ```ts
 * import { encodeIdx, parseIdx } from "./idx.ts";
 * const bytes = encodeIdx({ dataType: "uint8", dims: [2, 2], data: new Uint8Array([1, 2, 3, 4]) });
 * const parsed = parseIdx(bytes, "tiny");
 * if (parsed.dims.join() !== "2,2" || parsed.data[3] !== 4) throw new Error("wrong");
 * ```
 */
export function parseIdx(bytes: Uint8Array, name: string): IdxArray {
  if (bytes.length < 4) {
    throw new IdxFormatError(
      `${name}: expected at least the 4-byte IDX magic number, found ${bytes.length} bytes`,
    );
  }
  if (bytes[0] !== 0 || bytes[1] !== 0) {
    const gzip = bytes[0] === 0x1f && bytes[1] === 0x8b;
    throw new IdxFormatError(
      `${name}: expected an IDX magic number starting with two zero bytes, found 0x${
        hex(bytes.subarray(0, 4))
      }${gzip ? " (a gzip header: decompress the file first)" : ""}`,
    );
  }
  const type = TYPES.find((candidate) => candidate.code === bytes[2]);
  if (type === undefined) {
    throw new IdxFormatError(
      `${name}: expected an IDX type code 0x08, 0x09, 0x0b, 0x0c, 0x0d or 0x0e, found 0x${
        hex(bytes.subarray(2, 3))
      }`,
    );
  }
  const rank = bytes[3];
  if (rank === 0) {
    throw new IdxFormatError(`${name}: expected at least one dimension, found 0`);
  }
  const header = 4 + 4 * rank;
  if (bytes.length < header) {
    throw new IdxFormatError(
      `${name}: expected ${header} header bytes for ${rank} dimensions, found ${bytes.length} bytes`,
    );
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const dims = Array.from({ length: rank }, (_, i) => view.getUint32(4 + 4 * i, false));
  const count = dims.reduce((a, b) => a * b, 1);
  const expected = header + count * type.size;
  if (bytes.length !== expected) {
    throw new IdxFormatError(
      `${name}: expected ${expected} bytes (${header}-byte header + ${
        dims.join("x")
      } ${type.name}), found ${bytes.length}${
        bytes.length < expected ? " (truncated)" : " (trailing bytes)"
      }`,
    );
  }
  return { dataType: type.name, dims, data: readValues(view, header, count, type.name) };
}

/** Reads `count` big-endian values starting at `offset`. */
function readValues(
  view: DataView,
  offset: number,
  count: number,
  dataType: IdxDataType,
): IdxArray["data"] {
  const start = view.byteOffset + offset;
  switch (dataType) {
    case "uint8":
      return new Uint8Array(view.buffer, start, count);
    case "int8":
      return new Int8Array(view.buffer, start, count);
    case "int16":
      return fill(new Int16Array(count), (i) => view.getInt16(offset + 2 * i, false));
    case "int32":
      return fill(new Int32Array(count), (i) => view.getInt32(offset + 4 * i, false));
    case "float32":
      return fill(new Float32Array(count), (i) => view.getFloat32(offset + 4 * i, false));
    case "float64":
      return fill(new Float64Array(count), (i) => view.getFloat64(offset + 8 * i, false));
  }
}

function fill<T extends Int16Array | Int32Array | Float32Array | Float64Array>(
  out: T,
  value: (index: number) => number,
): T {
  for (let i = 0; i < out.length; i++) out[i] = value(i);
  return out;
}

/**
 * Encodes an array as an IDX file (big-endian), the inverse of {@linkcode parseIdx}.
 *
 * @param array Element type, dimensions and values (row-major).
 * @returns The file's bytes.
 * @throws {RangeError} When there are no or more than 255 dimensions, a dimension is not a
 * uint32, or the number of values is not the product of the dimensions.
 *
 * @example
 * ```ts
 * import { encodeIdx } from "./idx.ts";
 * const bytes = encodeIdx({ dataType: "int32", dims: [1], data: new Int32Array([7]) });
 * if (bytes.length !== 12 || bytes[2] !== 0x0c || bytes[11] !== 7) throw new Error("wrong");
 * ```
 */
export function encodeIdx(array: IdxArray): Uint8Array {
  const type = TYPES.find((candidate) => candidate.name === array.dataType);
  if (type === undefined) {
    throw new RangeError(
      `Expected dataType to be one of ${
        TYPES.map((t) => t.name).join(", ")
      } but found ${array.dataType}`,
    );
  }
  const { dims, data } = array;
  if (dims.length < 1 || dims.length > 255) {
    throw new RangeError(`Expected 1 to 255 dimensions but found ${dims.length}`);
  }
  const bad = dims.find((dim) => !Number.isInteger(dim) || dim < 0 || dim > 0xffff_ffff);
  if (bad !== undefined) {
    throw new RangeError(`Expected every dimension to be a uint32 but found ${bad}`);
  }
  const count = dims.reduce((a, b) => a * b, 1);
  if (data.length !== count) {
    throw new RangeError(
      `Expected ${count} values for dims ${dims.join("x")} but found ${data.length}`,
    );
  }
  const header = 4 + 4 * dims.length;
  const bytes = new Uint8Array(header + count * type.size);
  const view = new DataView(bytes.buffer);
  bytes[2] = type.code;
  bytes[3] = dims.length;
  dims.forEach((dim, i) => view.setUint32(4 + 4 * i, dim, false));
  const write = {
    uint8: (at: number, value: number) => view.setUint8(at, value),
    int8: (at: number, value: number) => view.setInt8(at, value),
    int16: (at: number, value: number) => view.setInt16(at, value, false),
    int32: (at: number, value: number) => view.setInt32(at, value, false),
    float32: (at: number, value: number) => view.setFloat32(at, value, false),
    float64: (at: number, value: number) => view.setFloat64(at, value, false),
  }[type.name];
  for (let i = 0; i < count; i++) write(header + i * type.size, data[i]);
  return bytes;
}

function hex(bytes: Uint8Array): string {
  return [...bytes].map((b) => b.toString(16).padStart(2, "0")).join("");
}
