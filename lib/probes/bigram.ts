/**
 * The `bigram` probe: a count-based baseline for character models. It counts character pairs in
 * the training windows and measures, in bits per character, how well "the next character given
 * only the previous one" (with add-α smoothing) predicts the held-out splits.
 *
 * @module
 */

import { z } from "zod";
import type { DataSplit } from "../data/sources.ts";
import type { ProbeDefinition } from "./_probe_definition.ts";

const schema = z.strictObject({
  kind: z.literal("bigram"),
  /** α of add-α smoothing: every pair starts with this count. */
  smoothing: z.number().positive().default(1),
});

/** The probe's settings. */
export type BigramProbe = z.output<typeof schema>;

/** The `bigram` probe. */
export const bigram: ProbeDefinition<BigramProbe> = {
  schema,
  when: "after",
  metrics: () => ["bigramValidationBitsPerChar", "bigramTestBitsPerChar"],
  check(_probe, shape) {
    return shape.target.kind === "classes" && shape.target.shape.length === 1 &&
        shape.input.length === 2 && shape.input[1] === shape.target.classes
      ? []
      : [`probes: bigram needs a character data source (one-hot steps in, next-step classes out)`];
  },
  run(probe, { data, shape }) {
    const symbols = shape.input[1];
    const counts = Array.from(
      { length: symbols },
      () => new Float64Array(symbols).fill(probe.smoothing),
    );
    for (const [previous, next] of pairs(data.train, symbols)) counts[previous][next]++;
    const bits = (split: DataSplit) => {
      let total = 0;
      let n = 0;
      for (const [previous, next] of pairs(split, symbols)) {
        const row = counts[previous];
        const sum = row.reduce((a, b) => a + b, 0);
        total -= Math.log2(row[next] / sum);
        n++;
      }
      return total / n;
    };
    return Promise.resolve({
      final: {
        ...(data.validation ? { bigramValidationBitsPerChar: bits(data.validation) } : {}),
        bigramTestBitsPerChar: bits(data.test),
      },
      artifacts: {},
    });
  },
};

/** (input symbol, target symbol) at every step of every window. */
function* pairs(split: DataSplit, symbols: number): Generator<[number, number]> {
  const steps = split.targets.length;
  for (let i = 0; i < steps; i++) {
    let input = 0;
    for (let k = 0; k < symbols; k++) {
      if (split.features[i * symbols + k] === 1) input = k;
    }
    yield [input, split.targets[i]];
  }
}
