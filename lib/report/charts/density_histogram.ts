/**
 * A histogram given as bins with densities, and density curves over it: sample means against
 * the normal density of the central limit theorem, a Gaussian fitted to a two-mode mixture.
 *
 * @module
 */

import type { TopLevelSpec } from "vega-lite";
import { SERIES_COLORS } from "../chart_config.ts";
import { colorScale, header, HEIGHT, order, WIDTH } from "./_common.ts";
import type { ChartText } from "./chart_text.ts";

/** One bin of a histogram: from `x0` to `x1`, its height a density (area = fraction). */
export interface HistogramBin {
  x0: number;
  x1: number;
  /** The bin's share of the samples divided by its width. */
  density: number;
}

/** A density curve drawn over the histogram. */
export interface DensityCurve {
  /** Shown in the legend, e.g. `normal density`. */
  name: string;
  /** The curve's points, drawn in order of x. */
  points: readonly { x: number; y: number }[];
}

/** Input of {@linkcode densityHistogram}. */
export interface DensityHistogramInput extends ChartText {
  /** The histogram's bins. */
  bins: readonly HistogramBin[];
  /** Curves over the histogram, coloured by name. */
  curves?: readonly DensityCurve[];
  /** Title of the x axis. */
  xTitle: string;
  /** Title of the y axis; `density` unless given. */
  yTitle?: string;
  /** Legend order of curves; curves not named here follow in order of appearance. */
  curveOrder?: readonly string[];
}

/** The histogram's colour: grey, so that the coloured curves stand out over it. */
const BIN_COLOR = SERIES_COLORS[SERIES_COLORS.length - 1];

/**
 * A histogram (grey bars, their outline at full contrast) with density curves over it.
 *
 * @param input The bins, the curves and text.
 * @returns A Vega-Lite spec.
 *
 * @example
 * ```ts
 * import { densityHistogram } from "./density_histogram.ts";
 * const normal = (x: number) => Math.exp(-x * x / 2) / Math.sqrt(2 * Math.PI);
 * const spec = densityHistogram({
 *   title: "Means of 30 uniform samples",
 *   description: "The standardized means follow the normal density.",
 *   xTitle: "standardized mean",
 *   bins: [-2, -1, 0, 1].map((x0) => ({ x0, x1: x0 + 1, density: normal(x0 + 0.5) })),
 *   curves: [{ name: "normal", points: [-2, -1, 0, 1, 2].map((x) => ({ x, y: normal(x) })) }],
 * });
 * if (!("layer" in spec)) throw new Error("expected a layered spec");
 * ```
 */
export function densityHistogram(input: DensityHistogramInput): TopLevelSpec {
  const bins = input.bins.filter((bin) => [bin.x0, bin.x1, bin.density].every(Number.isFinite)).map(
    ({ x0, x1, density }) => ({ x0, x1, density }),
  );
  const rows = (input.curves ?? []).flatMap((curve) =>
    curve.points.filter((point) => Number.isFinite(point.x) && Number.isFinite(point.y))
      .map((point) => ({ curve: curve.name, x: point.x, y: point.y }))
  );
  const x = {
    field: "x",
    type: "quantitative" as const,
    title: input.xTitle,
    scale: { zero: false, nice: false },
  };
  const y = {
    field: "y",
    type: "quantitative" as const,
    title: input.yTitle ?? "density",
    scale: { zero: true },
  };
  const layer: unknown[] = [{
    name: "bins",
    data: { values: bins },
    mark: {
      type: "rect",
      color: BIN_COLOR,
      fillOpacity: 0.35,
      stroke: BIN_COLOR,
      strokeWidth: 1,
    },
    encoding: {
      x: { ...x, field: "x0" },
      x2: { field: "x1" },
      y: { ...y, field: "density" },
      y2: { datum: 0 },
      tooltip: [
        { field: "x0", title: "from", format: ".4~g" },
        { field: "x1", title: "to", format: ".4~g" },
        { field: "density", format: ".4~g" },
      ],
    },
  }];
  if (rows.length > 0) {
    const names = order(rows.map((row) => row.curve), input.curveOrder);
    layer.push({
      name: "curves",
      data: { values: rows },
      mark: { type: "line" },
      encoding: {
        x,
        y,
        color: {
          field: "curve",
          type: "nominal",
          title: null,
          scale: colorScale(names),
          legend: { symbolType: "stroke", symbolStrokeWidth: 3 },
        },
        tooltip: [{ field: "curve" }, { field: "x", format: ".4~g" }, {
          field: "y",
          title: "density",
          format: ".4~g",
        }],
      },
    });
  }
  return { ...header(input), width: WIDTH, height: HEIGHT, layer } as TopLevelSpec;
}
