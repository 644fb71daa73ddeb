/**
 * The design matrix of polynomial regression in float64: one row per example, the columns the
 * basis functions of degree 0 (the constant) to `degree`, so that a polynomial fit is a linear
 * regression on them (Goodfellow et al. 2016, §5.2, eq. 5.15).
 *
 * @module
 */

/** The basis: powers of x, or the Legendre polynomials (orthogonal on [−1, 1]). */
export type PolynomialBasis = "monomial" | "legendre";

/**
 * The design matrix `[φ0(x), φ1(x), …, φd(x)]`, row-major: `1, x, x², …` for the monomial basis,
 * or the Legendre polynomials `P0 = 1, P1 = x, …` from Bonnet's recursion
 * `(n+1) P(n+1) = (2n+1) x P(n) − n P(n−1)`. The Legendre columns are orthogonal for x uniform on
 * [−1, 1], which keeps high-degree fits well conditioned; both bases span the same polynomials.
 *
 * @param x The inputs.
 * @param degree The highest degree, ≥ 0 (0: the constant alone).
 * @param basis `monomial` or `legendre`.
 * @returns `x.length × (degree + 1)` values, row after row.
 * @throws {RangeError} For a degree that is not a non-negative integer.
 *
 * @example
 * ```ts
 * import { polynomialDesign } from "./polynomial_design.ts";
 * // P2(0.5) = (3·0.25 − 1) / 2 = −0.125
 * const row = polynomialDesign([0.5], 2, "legendre");
 * if ([...row].join() !== "1,0.5,-0.125") throw new Error([...row].join());
 * ```
 */
export function polynomialDesign(
  x: ArrayLike<number>,
  degree: number,
  basis: PolynomialBasis,
): Float64Array {
  if (!Number.isInteger(degree) || degree < 0) {
    throw new RangeError(
      `polynomialDesign: expected degree to be an integer >= 0 but found ${degree}`,
    );
  }
  const columns = degree + 1;
  const design = new Float64Array(x.length * columns);
  for (let i = 0; i < x.length; i++) {
    const row = i * columns;
    const xi = x[i];
    design[row] = 1;
    if (degree >= 1) design[row + 1] = xi;
    for (let n = 1; n < degree; n++) {
      design[row + n + 1] = basis === "monomial"
        ? design[row + n] * xi
        : ((2 * n + 1) * xi * design[row + n] - n * design[row + n - 1]) / (n + 1);
    }
  }
  return design;
}
