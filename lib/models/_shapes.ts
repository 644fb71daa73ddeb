/**
 * Shape helpers shared by counting and building: per-example shapes are dims arrays without the
 * batch axis.
 *
 * @module
 */

import { ConfigError } from "../experiment/config_error.ts";
import type { Padding } from "./layer_spec.ts";

/**
 * Checks that a per-example input shape is one to three positive integers.
 *
 * @param input The shape.
 * @throws {ConfigError} When it is not.
 */
export function checkInputShape(input: readonly number[]): void {
  if (
    !Array.isArray(input) || input.length < 1 || input.length > 3 ||
    !input.every((size) => Number.isInteger(size) && size >= 1)
  ) {
    throw new ConfigError([
      `input: expected a shape of 1 to 3 positive integers ([features], [steps, features] or ` +
      `[height, width, channels]), found ${JSON.stringify(input)}`,
    ]);
  }
}

/**
 * Splits a padding into its height and width parts.
 *
 * @param padding A layer's padding.
 * @returns `[height, width]`: each `valid`, `same` or a number of zeros per side.
 */
export function splitPadding(
  padding: Padding,
): [number | "same" | "valid", number | "same" | "valid"] {
  return Array.isArray(padding) ? [padding[0], padding[1]] : [padding, padding];
}

/**
 * Describes a per-example shape for messages: `[7, 7, 512] (an image)`.
 *
 * @param shape The shape.
 * @returns Its dimensions and what they are.
 */
export function describeShape(shape: readonly number[]): string {
  const what = ["a vector", "a sequence", "an image"][shape.length - 1];
  return `[${shape.join(", ")}]${what === undefined ? "" : ` (${what})`}`;
}
