/**
 * Canonical JSON: sorted keys, fixed float formatting, two-space indentation, a final newline.
 * Two equal values always give the same bytes, which is what makes `metrics.json` comparable
 * byte for byte between runs.
 *
 * @module
 */

/** Significant digits kept for non-integer numbers: beyond float32 noise, stable to print. */
export const SIGNIFICANT_DIGITS = 7;

/**
 * Formats a number the canonical way: integers as they are, other finite numbers rounded to
 * {@linkcode SIGNIFICANT_DIGITS} significant digits, `-0` as `0`.
 *
 * @param value The number.
 * @returns Its JSON text.
 * @throws {RangeError} For NaN and infinities, which JSON cannot hold.
 *
 * @example
 * ```ts
 * import { formatNumber } from "./canonical_json.ts";
 * if (formatNumber(0.1 + 0.2) !== "0.3") throw new Error("not rounded");
 * ```
 */
export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) {
    throw new RangeError(`Expected a finite number for JSON but found ${value}`);
  }
  if (Object.is(value, -0)) return "0";
  if (Number.isInteger(value) && Math.abs(value) < 1e21) return String(value);
  return String(Number(value.toPrecision(SIGNIFICANT_DIGITS)));
}

/**
 * Serialises a value as canonical JSON.
 *
 * @param value A JSON-compatible value (`undefined` properties are left out, as JSON.stringify does).
 * @returns The text, ending in a newline.
 *
 * @example
 * ```ts
 * import { toCanonicalJson } from "./canonical_json.ts";
 * const text = toCanonicalJson({ b: 1, a: [0.5, 2] });
 * if (text !== '{\n  "a": [\n    0.5,\n    2\n  ],\n  "b": 1\n}\n') throw new Error(text);
 * ```
 */
export function toCanonicalJson(value: unknown): string {
  return write(value, "", "$") + "\n";
}

function write(value: unknown, indent: string, path: string): string {
  if (value === null) return "null";
  switch (typeof value) {
    case "number":
      try {
        return formatNumber(value);
      } catch (error) {
        throw new RangeError(`${path}: ${(error as Error).message}`);
      }
    case "boolean":
      return String(value);
    case "string":
      return JSON.stringify(value);
    case "object": {
      const inner = indent + "  ";
      if (Array.isArray(value)) {
        if (value.length === 0) return "[]";
        const items = value.map((item, i) => inner + write(item ?? null, inner, `${path}[${i}]`));
        return `[\n${items.join(",\n")}\n${indent}]`;
      }
      const keys = Object.keys(value).filter((key) =>
        (value as Record<string, unknown>)[key] !== undefined
      ).sort();
      if (keys.length === 0) return "{}";
      const entries = keys.map((key) =>
        `${inner}${JSON.stringify(key)}: ${
          write((value as Record<string, unknown>)[key], inner, `${path}.${key}`)
        }`
      );
      return `{\n${entries.join(",\n")}\n${indent}}`;
    }
    default:
      throw new TypeError(`${path}: expected a JSON value but found ${typeof value}`);
  }
}
