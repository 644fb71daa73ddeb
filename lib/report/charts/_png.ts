/**
 * A small PNG encoder for the report's image grids: an image as one embedded PNG costs about as
 * many bytes as its pixels, where one SVG rectangle per pixel cost about 200 bytes each.
 *
 * @module
 */

import { deflateSync } from "node:zlib";
import * as vega from "vega";

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

function crc32(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of bytes) crc = CRC_TABLE[(crc ^ byte) & 0xff] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, data.length);
  const typed = new TextEncoder().encode(type);
  out.set(typed, 4);
  out.set(data, 8);
  view.setUint32(8 + data.length, crc32(out.subarray(4, 8 + data.length)));
  return out;
}

/**
 * Encodes RGB pixels as a PNG.
 *
 * @param width Pixels per row.
 * @param height Rows.
 * @param rgb `width × height × 3` bytes, row by row.
 * @returns The PNG file's bytes.
 *
 * @example
 * ```ts
 * import { encodePng } from "./_png.ts";
 * const png = encodePng(1, 1, Uint8Array.of(255, 0, 0));
 * if (png[1] !== 0x50 || png[2] !== 0x4e || png[3] !== 0x47) throw new Error("not a PNG");
 * ```
 */
export function encodePng(width: number, height: number, rgb: Uint8Array): Uint8Array {
  const raw = new Uint8Array(height * (1 + width * 3));
  for (let row = 0; row < height; row++) {
    raw[row * (1 + width * 3)] = 0; // filter: none
    raw.set(rgb.subarray(row * width * 3, (row + 1) * width * 3), row * (1 + width * 3) + 1);
  }
  const header = new Uint8Array(13);
  const view = new DataView(header.buffer);
  view.setUint32(0, width);
  view.setUint32(4, height);
  header.set([8, 2, 0, 0, 0], 8); // 8 bits per channel, RGB, deflate, adaptive filter, no interlace
  const parts = [
    Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a),
    chunk("IHDR", header),
    chunk("IDAT", new Uint8Array(deflateSync(raw))),
    chunk("IEND", new Uint8Array(0)),
  ];
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

/**
 * An image of values as a PNG data URL, coloured with a Vega colour scheme over a domain (the
 * same colours the chart's legend shows).
 *
 * @param pixels Rows of values.
 * @param scheme A Vega scheme name, e.g. `greys`, `blueorange`, `viridis`.
 * @param domain The values at the ends of the scheme.
 * @returns `data:image/png;base64,…`.
 */
export function imageDataUrl(
  pixels: readonly (readonly number[])[],
  scheme: string,
  domain: [number, number],
): string {
  const height = pixels.length;
  const width = Math.max(1, ...pixels.map((row) => row.length));
  const interpolate = (vega as unknown as { scheme(name: string): (t: number) => string })
    .scheme(scheme);
  const cache = new Map<number, [number, number, number]>();
  const colour = (value: number): [number, number, number] => {
    const t = Math.min(1, Math.max(0, (value - domain[0]) / (domain[1] - domain[0] || 1)));
    const key = Math.round(t * 1024);
    let rgb = cache.get(key);
    if (!rgb) {
      const match = /rgb\((\d+), (\d+), (\d+)\)/.exec(interpolate(key / 1024));
      rgb = match ? [Number(match[1]), Number(match[2]), Number(match[3])] : [0, 0, 0];
      cache.set(key, rgb);
    }
    return rgb;
  };
  const bytes = new Uint8Array(width * height * 3).fill(255);
  pixels.forEach((row, i) =>
    row.forEach((value, j) => bytes.set(colour(value), (i * width + j) * 3))
  );
  const png = encodePng(width, height, bytes);
  let binary = "";
  for (const byte of png) binary += String.fromCharCode(byte);
  return `data:image/png;base64,${btoa(binary)}`;
}
