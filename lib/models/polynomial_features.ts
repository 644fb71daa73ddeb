/**
 * Polynomial features of a scalar as a tfjs layer, so that polynomial regression is a linear
 * layer on top of them. The Legendre basis is orthogonal on [−1, 1]: fitting it is far better
 * conditioned than fitting monomials, whose high powers all look alike near ±1.
 *
 * @module
 */

import * as tf from "@tensorflow/tfjs";

/** Options of {@linkcode PolynomialFeatures}. */
export interface PolynomialFeaturesArgs {
  /** The highest degree; the layer outputs this many features. */
  degree: number;
  /** `monomial`: x, x², …; `legendre`: P1(x), P2(x), …. */
  basis: "monomial" | "legendre";
  /** The layer's name. */
  name: string;
}

/**
 * Maps `[batch, 1]` to `[batch, degree]`: `x, x², …, x^degree` or the Legendre polynomials
 * `P1(x) … P_degree(x)`, from Bonnet's recursion `(n+1)·P(n+1) = (2n+1)·x·P(n) − n·P(n−1)` with
 * `P0 = 1`, `P1 = x`. The constant term is left to the next layer's bias. No parameters.
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import { PolynomialFeatures } from "./polynomial_features.ts";
 * await tf.setBackend("cpu");
 * const layer = new PolynomialFeatures({ degree: 3, basis: "legendre", name: "poly" });
 * const x = tf.tensor2d([[0.5]]);
 * const y = layer.apply(x) as tf.Tensor;
 * // P1 = 0.5, P2 = (3·0.25 − 1)/2 = −0.125, P3 = (5·0.125 − 3·0.5)/2 = −0.4375
 * if (y.dataSync().join() !== "0.5,-0.125,-0.4375") throw new Error(String(y.dataSync()));
 * tf.dispose([x, y]);
 * ```
 */
export class PolynomialFeatures extends tf.layers.Layer {
  /** The class name tfjs uses for serialisation. */
  static className = "PolynomialFeatures";
  /** The highest degree. */
  readonly degree: number;
  /** The basis. */
  readonly basis: "monomial" | "legendre";

  /**
   * Creates the layer.
   *
   * @param args Degree, basis and name.
   * @throws {RangeError} When the degree is not a positive integer.
   */
  constructor(args: PolynomialFeaturesArgs) {
    super({ name: args.name });
    if (!Number.isInteger(args.degree) || args.degree < 1) {
      throw new RangeError(`Expected degree to be an integer >= 1 but found ${args.degree}`);
    }
    this.degree = args.degree;
    this.basis = args.basis;
  }

  /** `[batch, 1]` to `[batch, degree]`. */
  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
    if (shape.length !== 2 || shape[1] !== 1) {
      throw new Error(
        `${this.name}: expected an input of shape [batch, 1], found [${
          shape.map(String).join(", ")
        }]`,
      );
    }
    return [shape[0], this.degree];
  }

  /** Computes the features. */
  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const x = Array.isArray(inputs) ? inputs[0] : inputs;
    return tf.tidy(() => {
      const features: tf.Tensor[] = [x];
      if (this.basis === "monomial") {
        for (let n = 2; n <= this.degree; n++) features.push(tf.mul(features[n - 2], x));
      } else {
        let previous: tf.Tensor = tf.onesLike(x);
        for (let n = 1; n < this.degree; n++) {
          const current = features[n - 1];
          const scaled = tf.sub(tf.mul(tf.mul(x, current), 2 * n + 1), tf.mul(previous, n));
          features.push(tf.div(scaled, n + 1));
          previous = current;
        }
      }
      return features.length === 1 ? tf.clone(x) : tf.concat(features, 1);
    });
  }

  /** The base layer's config plus `degree` and `basis`, for serialisation. */
  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), degree: this.degree, basis: this.basis };
  }
}

tf.serialization.registerClass(PolynomialFeatures);
