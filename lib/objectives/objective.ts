/**
 * What an objective gives the `minimize` task: a differentiable function of a 2-vector, written
 * with tfjs ops so that every optimizer runs on it exactly as on a network, and the same function
 * in float64 for drawing its contours.
 *
 * @module
 */

import type * as tf from "@tensorflow/tfjs";
import type { Artifact } from "../report/artifacts.ts";

/** A function of two parameters to minimise. */
export interface Objective {
  /** Its name, for artifacts' keys and titles. */
  name: string;
  /** What the two parameters are called. */
  axes: [string, string];
  /** The value for parameters `p` (a 2-vector), as a scalar tensor. */
  value(p: tf.Tensor1D): tf.Scalar;
  /** The same value in float64, for the contour grid. */
  valueAt(x: number, y: number): number;
  /** The plotted region. */
  range: { x: [number, number]; y: [number, number] };
  /** Where the optimizers start unless the experiment says otherwise. */
  start: [number, number];
  /** The minima, for the distance metric and the chart's markers. */
  minima: [number, number][];
  /** Draw the contours on a log scale (for steep valleys like Rosenbrock's). */
  logValues: boolean;
  /** Charts of its own, given where the optimizer ended. */
  artifacts?(end: [number, number]): Record<string, Artifact>;
}
