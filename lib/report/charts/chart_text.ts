/**
 * The text every chart builder takes besides its data.
 *
 * @module
 */

/**
 * What every builder takes besides its data: a title and a text alternative.
 *
 * @example
 * ```ts
 * import type { ChartText } from "./chart_text.ts";
 * const text: ChartText = { title: "Test error", description: "LeNet-5 errs least." };
 * if (text.subtitle !== undefined) throw new Error("no subtitle given");
 * ```
 */
export interface ChartText {
  /** Shown above the chart and used as the SVG's `<title>`. */
  title: string;
  /** The text alternative: what the chart shows, in a sentence or two. */
  description: string;
  /** A smaller line under the title. */
  subtitle?: string;
}
