// Goes away once lib/tasks/history.ts and mod.ts import from lib/report/charts/ directly.
/**
 * The chart builders, re-exported from their files in `charts/` for the importers not yet moved.
 *
 * @module
 */

export type { ChartText } from "./charts/chart_text.ts";
export {
  type CurveSeries,
  type CurveSummaryRow,
  learningCurves,
  type LearningCurvesInput,
  summarizeCurves,
} from "./charts/learning_curves.ts";
export {
  type BarDatum,
  barsWithReferences,
  type BarsWithReferencesInput,
  type ReferenceLine,
} from "./charts/bars_with_references.ts";
export {
  type DoublingTrend,
  logTimeSeries,
  type LogTimeSeriesInput,
  type TimePoint,
} from "./charts/log_time_series.ts";
export { fitDoublingTrend } from "./charts/fit_doubling_trend.ts";
export { scatter, type ScatterInput, type ScatterPoint } from "./charts/scatter.ts";
export {
  heatmap,
  type HeatmapInput,
  type HeatmapScheme,
  type ImageGridInput,
  type MatrixHeatmapInput,
} from "./charts/heatmap.ts";
