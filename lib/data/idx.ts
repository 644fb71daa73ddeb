/**
 * The IDX file format of the MNIST files (LeCun et al.): two zero bytes, a type code, the number
 * of dimensions, each dimension as a big-endian uint32, then the values, big-endian.
 *
 * @module
 */

/** The element types IDX can hold, by their type code. */
const TYPES = {
  0x08: { name: "uint8", size: 1 },
  0x09: { name: "int8", size: 1 },
  0x0b: { name: "int16", size: 2 },
  0x0c: { name: "int32", size: 4 },
  0x0d: { name: "float32", size: 4 },
  0x0e: { name: "float64", size: 8 },
} as const;

/** An IDX element type. */
export type IdxDataType = (typeof TYPES)[keyof typeof TYPES]["name"];

/** A parsed IDX file. */
export interface IdxArray {
  dataType: IdxDataType;
  dims: number[];
  data: Uint8Array | Int8Array | Int16Array | Int32Array | Float32Array | Float64Array;
}

/** A file that is not valid IDX; the message names the file, what was expected and what was found. */
export class IdxFormatError extends Error {
  /** @param message The full message. */
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
 * @returns The element type, dimensions and values (a view on `bytes` for 1-byte types).
 * @throws {IdxFormatError} For a bad magic number, unknown type, or wrong length.
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
      `${name}: expected at least a 4-byte IDX header, found ${bytes.length} bytes`,
    );
  }
  if (bytes[0] !== 0 || bytes[1] !== 0) {
    throw new IdxFormatError(
      `${name}: expected an IDX magic number starting with two zero bytes, found 0x${
        hex(bytes.subarray(0, 4))
      }`,
    );
  }
  const type = TYPES[bytes[2] as keyof typeof TYPES];
  if (!type) {
    throw new IdxFormatError(
      `${name}: expected an IDX type code 0x08, 0x09, 0x0b, 0x0c, 0x0d or 0x0e, found 0x${
        hex(bytes.subarray(2, 3))
      }`,
    );
  }
  const rank = bytes[3];
  const header = 4 + 4 * rank;
  if (rank === 0 || bytes.length < header) {
    throw new IdxFormatError(
      `${name}: expected ${
        rank === 0 ? "at least one dimension" : `${header} header bytes for ${rank} dimensions`
      }, found ${rank === 0 ? "0" : `${bytes.length} bytes`}`,
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

function readValues(
  view: DataView,
  offset: number,
  count: number,
  dataType: IdxDataType,
): IdxArray["data"] {
  const bytes = new Uint8Array(view.buffer, view.byteOffset + offset, count * sizeOf(dataType));
  switch (dataType) {
    case "uint8":
      return bytes;
    case "int8":
      return new Int8Array(bytes.buffer, bytes.byteOffset, count);
    default: {
      const out = dataType === "int16"
        ? new Int16Array(count)
        : dataType === "int32"
        ? new Int32Array(count)
        : dataType === "float32"
        ? new Float32Array(count)
        : new Float64Array(count);
      const size = sizeOf(dataType);
      for (let i = 0; i < count; i++) {
        const at = offset + i * size;
        out[i] = dataType === "int16"
          ? view.getInt16(at, false)
          : dataType === "int32"
          ? view.getInt32(at, false)
          : dataType === "float32"
          ? view.getFloat32(at, false)
          : view.getFloat64(at, false);
      }
      return out;
    }
  }
}

/**
 * Encodes an array as an IDX file (big-endian), the inverse of {@linkcode parseIdx}.
 *
 * @param array Element type, dimensions and values.
 * @returns The file's bytes.
 *
 * @example
 * ```ts
 * import { encodeIdx } from "./idx.ts";
 * const bytes = encodeIdx({ dataType: "int32", dims: [1], data: new Int32Array([7]) });
 * if (bytes.length !== 12 || bytes[2] !== 0x0c) throw new Error("wrong");
 * ```
 */
export function encodeIdx(array: IdxArray): Uint8Array {
  const code = Number(
    Object.entries(TYPES).find(([, type]) => type.name === array.dataType)![0],
  );
  const size = sizeOf(array.dataType);
  const header = 4 + 4 * array.dims.length;
  const count = array.dims.reduce((a, b) => a * b, 1);
  if (array.data.length !== count) {
    throw new RangeError(
      `Expected ${count} values for dims ${array.dims.join("x")} but found ${array.data.length}`,
    );
  }
  const bytes = new Uint8Array(header + count * size);
  const view = new DataView(bytes.buffer);
  bytes[2] = code;
  bytes[3] = array.dims.length;
  array.dims.forEach((dim, i) => view.setUint32(4 + 4 * i, dim, false));
  for (let i = 0; i < count; i++) {
    const at = header + i * size;
    const value = array.data[i];
    switch (array.dataType) {
      case "uint8":
        view.setUint8(at, value);
        break;
      case "int8":
        view.setInt8(at, value);
        break;
      case "int16":
        view.setInt16(at, value, false);
        break;
      case "int32":
        view.setInt32(at, value, false);
        break;
      case "float32":
        view.setFloat32(at, value, false);
        break;
      case "float64":
        view.setFloat64(at, value, false);
        break;
    }
  }
  return bytes;
}

function sizeOf(dataType: IdxDataType): number {
  return Object.values(TYPES).find((type) => type.name === dataType)!.size;
}

function hex(bytes: Uint8Array): string {
  return [...bytes].map((b) => b.toString(16).padStart(2, "0")).join("");
}
