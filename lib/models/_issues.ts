/**
 * Messages for schema issues in model specs: what was expected and what was found.
 *
 * @module
 */

import type { z } from "zod";
import { describeValue } from "../experiment/config_error.ts";
import { didYouMean } from "../experiment/nearest.ts";

/**
 * What a zod issue expected and what it found, without saying where: `expected an integer,
 * found 2.5`, `missing (expected a number)`, `unknown key "x" (did you mean "y"?); valid keys: …`.
 *
 * @param issue The issue, from a parse with `reportInput: true`.
 * @param validKeys The keys the object at the issue's path accepts, for unknown keys.
 * @returns The problem as text.
 */
export function describeProblem(issue: z.core.$ZodIssue, validKeys: readonly string[]): string {
  const input = (issue as { input?: unknown }).input;
  let expected: string;
  switch (issue.code) {
    case "unrecognized_keys": {
      return issue.keys.map((key) =>
        `unknown key ${JSON.stringify(key)}${didYouMean(key, validKeys)}; valid keys: ${
          validKeys.join(", ")
        }`
      ).join("; ");
    }
    case "invalid_union":
      // Every union here has its own message: the kinds, or what a kernel or padding may be.
      if ((issue as { discriminator?: string }).discriminator !== undefined) return issue.message;
      expected = issue.message;
      break;
    case "invalid_type":
      expected = `expected ${article(issue.expected)}`;
      break;
    case "invalid_value": {
      const values = issue.values.map((option) => JSON.stringify(option));
      expected = `expected one of ${values.join(", ")}`;
      if (typeof input === "string") {
        return `${expected}, found ${describeValue(input)}${
          didYouMean(input, issue.values.map(String))
        }`;
      }
      break;
    }
    default:
      expected = issue.message.replace(/^(Invalid input|Too small|Too big): /, "");
  }
  return input === undefined
    ? `missing (${expected})`
    : `${expected}, found ${describeValue(input)}`;
}

function article(type: string): string {
  if (type === "int") return "an integer";
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}
