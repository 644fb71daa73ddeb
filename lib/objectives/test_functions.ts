/**
 * The classic 2-D test functions for optimizers: Rosenbrock's curved valley, Beale's flat
 * plateaus and sharp ridges, and a saddle point between two minima.
 *
 * @module
 */

import * as tf from "@tensorflow/tfjs";
import type { Objective } from "./objective.ts";

const x = (p: tf.Tensor1D) => p.slice([0], [1]).reshape([]) as tf.Scalar;
const y = (p: tf.Tensor1D) => p.slice([1], [1]).reshape([]) as tf.Scalar;

/**
 * Rosenbrock's function (1 − x)² + 100 (y − x²)², minimum 0 at (1, 1) at the end of a long,
 * curved, flat-bottomed valley.
 */
export const rosenbrock: Objective = {
  name: "rosenbrock",
  axes: ["x", "y"],
  value: (p) =>
    tf.tidy(() =>
      tf.add(tf.square(tf.sub(1, x(p))), tf.mul(100, tf.square(tf.sub(y(p), tf.square(x(p))))))
    ),
  valueAt: (a, b) => (1 - a) ** 2 + 100 * (b - a * a) ** 2,
  range: { x: [-2, 2], y: [-1, 3] },
  start: [-1.5, 2],
  minima: [[1, 1]],
  logValues: true,
};

/**
 * Beale's function (1.5 − x + xy)² + (2.25 − x + xy²)² + (2.625 − x + xy³)², minimum 0 at
 * (3, 0.5), with flat regions and steep walls.
 */
export const beale: Objective = {
  name: "beale",
  axes: ["x", "y"],
  value: (p) =>
    tf.tidy(() => {
      const a = x(p);
      const b = y(p);
      const term = (c: number, power: number) =>
        tf.square(tf.add(tf.sub(c, a), tf.mul(a, tf.pow(b, power))));
      return tf.addN([term(1.5, 1), term(2.25, 2), term(2.625, 3)]) as tf.Scalar;
    }),
  valueAt: (a, b) =>
    (1.5 - a + a * b) ** 2 + (2.25 - a + a * b * b) ** 2 + (2.625 - a + a * b ** 3) ** 2,
  range: { x: [-1, 4], y: [-1.5, 2] },
  start: [1, 1.5],
  minima: [[3, 0.5]],
  logValues: true,
};

/**
 * A saddle point: x² − y² + y⁴/4 has a saddle at the origin and minima −1 at (0, ±√2). Started
 * almost on the ridge, an optimizer must leave the saddle's flat neighbourhood to descend.
 */
export const saddle: Objective = {
  name: "saddle",
  axes: ["x", "y"],
  value: (p) =>
    tf.tidy(() =>
      tf.add(tf.sub(tf.square(x(p)), tf.square(y(p))), tf.div(tf.pow(y(p), 4), 4)) as tf.Scalar
    ),
  valueAt: (a, b) => a * a - b * b + b ** 4 / 4,
  range: { x: [-1.5, 1.5], y: [-2, 2] },
  start: [1, 0.001],
  minima: [[0, Math.SQRT2], [0, -Math.SQRT2]],
  logValues: false,
};
