/**
 * The `ridgeRegression` analysis (chapter 4): linear regression on a feature map of scalar
 * inputs (polynomials of a chosen degree), fitted exactly in float64 with weight decay λ
 * (Goodfellow et al. 2016, §5.2: capacity, overfitting and underfitting, Figs. 5.2–5.5). The exact
 * least-squares fit is what the book's figures show: training error falls with every degree added,
 * test error first falls and then rises. Each fit is solved twice, by QR and by the normal
 * equations, and may also be reached by full-batch gradient descent in tfjs (float32), so that the
 * closed form and the iterative method can be compared weight by weight.
 *
 * @module
 */

import * as tf from "@tensorflow/tfjs";
import { z } from "zod";
import type { CurvePoint } from "../experiment/records.ts";
import { seedSchema } from "../experiment/schema.ts";
import type { Artifact } from "../report/artifacts.ts";
import type { Analysis, AnalysisOutput } from "./analysis.ts";
import { dataShape, type DataSource, dataSourceSchema, loadData } from "../data/sources.ts";
import { FUNCTIONS_1D } from "../data/synthetic.ts";
import {
  meanSquaredError,
  solveLeastSquares,
  solveNormalEquations,
} from "../math/least_squares.ts";
import { type PolynomialBasis, polynomialDesign } from "../math/polynomial_design.ts";

/** Points on which a fit is drawn. */
const PLOT_POINTS = 121;

const schema = z.strictObject({
  kind: z.literal("ridgeRegression"),
  /** The examples: a source of scalar inputs and scalar targets (e.g. `function`). */
  data: dataSourceSchema.refine((source) => {
    const shape = dataShape(source);
    return shape.input.join() === "1" && shape.target.kind === "values" &&
      shape.target.shape.join() === "1";
  }, { message: "expected a source of scalar inputs and scalar value targets (e.g. function)" }),
  /** The feature map: the polynomials of degree 0 (the constant) to `degree`. */
  features: z.strictObject({
    kind: z.literal("polynomial"),
    degree: z.number().int().min(0),
    /** Legendre polynomials are orthogonal on [−1, 1]: far better conditioned than powers. */
    basis: z.enum(["legendre", "monomial"]).default("legendre"),
  }),
  /** λ in (1/n) ‖X w − y‖² + λ Σ w²; the constant's weight is not penalised. */
  weightDecay: z.number().min(0).default(0),
  /** Also minimise the same objective by full-batch gradient descent in tfjs, from zero weights. */
  gradientDescent: z.strictObject({
    steps: z.number().int().min(1),
    learningRate: z.number().positive(),
  }).optional(),
  /**
   * Draw the fit over the training examples (and the true function, for `function` data) in the
   * trial of this seed; one sample's chart is enough (the report shows each variant's first seed).
   */
  plotSeed: seedSchema.optional(),
});

/** The `ridgeRegression` analysis's settings. */
export type RidgeRegressionSettings = z.output<typeof schema>;

/** What {@linkcode fitRidge} returns. */
export interface RidgeFit {
  /** The weights by QR, constant first. */
  weights: Float64Array;
  /** The weights by the normal equations. */
  normalEquationWeights: Float64Array;
  /** `max |w_QR − w_normal| / max |w_QR|`. */
  solverRelativeDifference: number;
  /** Mean squared error on the training examples. */
  trainMse: number;
}

/**
 * Fits a polynomial of a degree to examples with weight decay, by QR and by the normal equations.
 *
 * @param x The inputs.
 * @param y The targets.
 * @param degree The highest degree.
 * @param basis The basis.
 * @param weightDecay λ (the constant is not penalised).
 * @returns Both solutions, their relative difference and the training error.
 *
 * @example
 * ```ts
 * import { fitRidge } from "./ridge_regression.ts";
 * // Three points on y = x²: degree 2 fits them exactly.
 * const fit = fitRidge([-1, 0, 1], [1, 0, 1], 2, "monomial", 0);
 * if (fit.trainMse > 1e-24 || Math.abs(fit.weights[2] - 1) > 1e-12) throw new Error();
 * ```
 */
export function fitRidge(
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  degree: number,
  basis: PolynomialBasis,
  weightDecay: number,
): RidgeFit {
  const design = polynomialDesign(x, degree, basis);
  const problem = {
    design,
    rows: x.length,
    columns: degree + 1,
    targets: y,
    weightDecay,
    unpenalized: [0],
  };
  const weights = solveLeastSquares(problem);
  const normalEquationWeights = solveNormalEquations(problem);
  return {
    weights,
    normalEquationWeights,
    solverRelativeDifference: maxDifference(weights, normalEquationWeights) /
      Math.max(...weights.map(Math.abs)),
    trainMse: meanSquaredError(design, weights, y),
  };
}

/** What {@linkcode gradientDescentRidge} returns. */
export interface GradientDescentRun {
  /** The weights after the last step, constant first. */
  weights: Float64Array;
  /** Steps at which the weights were read, with their training error and distance to a target. */
  trace: { step: number; trainMse: number; distance: number }[];
}

/**
 * Minimises the ridge objective `(1/n) ‖X w − y‖² + λ Σ_{j≥1} w_j²` by full-batch gradient descent
 * in tfjs (float32, tfjs's SGD optimizer and automatic gradients) from zero weights.
 *
 * @param design The float64 design matrix, row-major, `rows × columns`.
 * @param y The `rows` targets.
 * @param weightDecay λ.
 * @param steps Gradient steps.
 * @param learningRate The step size.
 * @param reference Weights to measure the distance to (max |w − reference|) along the way.
 * @returns The final weights and a trace at about 60 log-spaced steps.
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import { gradientDescentRidge } from "./ridge_regression.ts";
 * await tf.setBackend("cpu");
 * // The mean of 1 and 3 by gradient descent on a constant feature.
 * const run = await gradientDescentRidge(Float64Array.from([1, 1]), [1, 3], 0, 100, 0.25, [2]);
 * if (Math.abs(run.weights[0] - 2) > 1e-5) throw new Error(String(run.weights));
 * ```
 */
export async function gradientDescentRidge(
  design: Float64Array,
  y: ArrayLike<number>,
  weightDecay: number,
  steps: number,
  learningRate: number,
  reference: ArrayLike<number>,
): Promise<GradientDescentRun> {
  const rows = y.length;
  const columns = design.length / rows;
  const x = tf.tensor2d(Float32Array.from(design), [rows, columns]);
  const targets = tf.tensor2d(Float32Array.from(y), [rows, 1]);
  const penalised = tf.tensor2d(Array.from({ length: columns }, (_, j) => j === 0 ? 0 : 1), [
    columns,
    1,
  ]);
  const w = tf.tidy(() => tf.variable(tf.zeros([columns, 1])));
  const optimizer = tf.train.sgd(learningRate);
  const recordAt = logSpacedSteps(steps, 60);
  const trace: GradientDescentRun["trace"] = [];
  const objective = () =>
    tf.tidy(() =>
      tf.add(
        tf.mean(tf.squaredDifference(tf.matMul(x, w), targets)),
        tf.mul(weightDecay, tf.sum(tf.mul(penalised, tf.square(w)))),
      ) as tf.Scalar
    );
  try {
    for (let step = 1; step <= steps; step++) {
      tf.tidy(() => {
        optimizer.minimize(objective, false, [w]);
      });
      if (recordAt.has(step)) {
        const weights = Float64Array.from(await w.data());
        trace.push({
          step,
          trainMse: meanSquaredError(design, weights, y),
          distance: maxDifference(weights, reference),
        });
      }
    }
    return { weights: Float64Array.from(await w.data()), trace };
  } finally {
    optimizer.dispose();
    tf.dispose([x, targets, penalised, w]);
  }
}

/** The `ridgeRegression` analysis. */
export const ridgeRegression: Analysis<RidgeRegressionSettings> = {
  schema,
  description: "fit polynomials exactly by regularised least squares, and by gradient descent",
  module: import.meta.url,
  metrics: (settings) => [
    "trainMse",
    "testMse",
    "weightNorm",
    "solverRelativeDifference",
    ...(settings.gradientDescent
      ? ["gradientDescentMaxWeightDifference", "gradientDescentTrainMse"]
      : []),
  ],
  requiredKernels: (settings) =>
    settings.gradientDescent ? ["BatchMatMul", "SquaredDifference", "Mean", "Sum", "Square"] : [],
  async run(settings, { seed }): Promise<AnalysisOutput> {
    const data = await loadData(settings.data as DataSource, seed);
    const { degree, basis } = settings.features;
    const fit = fitRidge(
      data.train.features,
      data.train.targets,
      degree,
      basis,
      settings.weightDecay,
    );
    const testDesign = polynomialDesign(data.test.features, degree, basis);
    const final: Record<string, number> = {
      trainMse: fit.trainMse,
      testMse: meanSquaredError(testDesign, fit.weights, data.test.targets),
      weightNorm: Math.hypot(...fit.weights.subarray(1)),
      solverRelativeDifference: fit.solverRelativeDifference,
    };
    const artifacts: Record<string, Artifact> = {};
    let curve: CurvePoint[] = [];
    if (settings.gradientDescent) {
      const { steps, learningRate } = settings.gradientDescent;
      const design = polynomialDesign(data.train.features, degree, basis);
      const descent = await gradientDescentRidge(
        design,
        data.train.targets,
        settings.weightDecay,
        steps,
        learningRate,
        fit.weights,
      );
      final.gradientDescentMaxWeightDifference = maxDifference(descent.weights, fit.weights);
      final.gradientDescentTrainMse = meanSquaredError(design, descent.weights, data.train.targets);
      curve = descent.trace.map((point) => ({
        step: point.step,
        epoch: point.step,
        trainMse: point.trainMse,
      }));
      artifacts.gradientDescent = {
        kind: "lines",
        title: "Gradient descent approaching the closed-form weights",
        description:
          `The largest difference between a weight of full-batch gradient descent (tfjs, float32, step size ${learningRate}, from zero) and the same weight solved in closed form (float64), against the step; after ${steps} steps it is ${
            final.gradientDescentMaxWeightDifference.toExponential(2)
          }.`,
        xTitle: "gradient step",
        yTitle: "max |w_GD − w_exact|",
        logX: true,
        logY: true,
        series: [{
          name: "gradient descent",
          points: descent.trace.map((point) => ({ x: point.step, y: point.distance })),
        }],
      };
      artifacts.weights = {
        kind: "table",
        title: "Weights by the three methods",
        description:
          `Each weight (of the ${basis} polynomial of that degree) solved by QR and by the normal equations in float64, and reached by ${steps} steps of gradient descent in float32.`,
        columns: ["weight", "QR", "normal equations", "gradient descent"],
        rows: Array.from(fit.weights, (w, j) => [
          `w${j} (degree ${j})`,
          round(w),
          round(fit.normalEquationWeights[j]),
          round(descent.weights[j]),
        ]),
      };
    }
    if (settings.plotSeed === seed) artifacts.fit = plotFit(settings, data.train, fit.weights);
    return { final, artifacts, curve };
  },
};

/** The training examples, the true function if known, and the fit, as a scatter of groups. */
function plotFit(
  settings: RidgeRegressionSettings,
  train: { features: Float32Array; targets: Float32Array | Int32Array; count: number },
  weights: Float64Array,
): Artifact {
  const { degree, basis } = settings.features;
  const xs = Array.from(train.features);
  const ys = Array.from(train.targets);
  const source = settings.data as DataSource;
  const [low, high] = source.kind === "function"
    ? source.domain
    : [Math.min(...xs), Math.max(...xs)];
  const grid = Array.from(
    { length: PLOT_POINTS },
    (_, i) => low + (high - low) * i / (PLOT_POINTS - 1),
  );
  const design = polynomialDesign(grid, degree, basis);
  const fitted = grid.map((_, i) =>
    weights.reduce((sum, w, j) => sum + w * design[i * weights.length + j], 0)
  );
  // The figure's frame: the targets' range widened by half of it; a wild fit leaves it.
  const span = Math.max(...ys) - Math.min(...ys) || 1;
  const bottom = Math.min(...ys) - span / 2;
  const top = Math.max(...ys) + span / 2;
  const inside = (y: number) => y >= bottom && y <= top;
  const truth = source.kind === "function"
    ? { name: source.function, f: FUNCTIONS_1D[source.function] }
    : undefined;
  const decay = settings.weightDecay > 0 ? ` with weight decay λ = ${settings.weightDecay}` : "";
  const label = `degree ${degree} fit${decay ? `, λ = ${settings.weightDecay}` : ""}`;
  return {
    kind: "scatter",
    title: "The fit over the training examples",
    description: `The ${train.count} training examples, ${
      truth ? `the true function (${truth.name}), ` : ""
    }and the least-squares polynomial of degree ${degree}${decay}, drawn where it stays within the targets' range widened by half of it (${
      fitted.filter(inside).length
    } of ${PLOT_POINTS} points).`,
    xTitle: "x",
    yTitle: "y",
    points: [
      ...(truth ? grid.map((x) => ({ x, y: round(truth.f(x)), group: "true function" })) : []),
      ...grid.flatMap((x, i) =>
        inside(fitted[i]) ? [{ x, y: round(fitted[i]), group: label }] : []
      ),
      ...xs.map((x, i) => ({ x, y: ys[i], group: "training examples" })),
    ],
    groupOrder: ["training examples", ...(truth ? ["true function"] : []), label],
  };
}

/** `max |a_i − b_i|`. */
function maxDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let largest = 0;
  for (let i = 0; i < a.length; i++) largest = Math.max(largest, Math.abs(a[i] - b[i]));
  return largest;
}

/** Steps 1, …, `steps` spaced evenly on a log scale (about `count` of them), the last included. */
function logSpacedSteps(steps: number, count: number): Set<number> {
  const chosen = new Set<number>([steps]);
  for (let i = 0; i < count; i++) {
    chosen.add(Math.max(1, Math.round(steps ** (i / (count - 1)))));
  }
  return chosen;
}

/** Ten significant digits: plenty for a chart or table, and stable across platforms. */
function round(value: number): number {
  return Number(value.toPrecision(10));
}
