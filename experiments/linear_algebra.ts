/**
 * Chapter 2: linear algebra. Principal component analysis of MNIST by eigendecomposition of
 * the pixel covariance, checked by a second, independent computation; the Eckart–Young theorem on
 * a matrix of digits; and matrix-multiplication throughput against size on the chosen backend.
 */

import { defineExperiment } from "../mod.ts";

export default defineExperiment({
  id: "linear-algebra",
  chapter: 2,
  title: "PCA of MNIST, the Eckart–Young theorem and matmul throughput",
  reproduces: {
    claim: "154 principal components keep 95 % of the variance of MNIST's pixels (and about 87 " +
      "keep 90 %); the rank-k truncation of the SVD is the best rank-k approximation, with " +
      "Frobenius error √(Σ_{i>k} σ_i²); a matrix product costs 2n³ operations and runs faster " +
      "per operation as n grows.",
    source: "Géron 2022, Hands-On Machine Learning, 3rd ed., ch. 8 (PCA on MNIST); Eckart & " +
      "Young 1936, Psychometrika 1(3); Goodfellow, Bengio & Courville 2016, Deep Learning, ch. 2 " +
      "(§2.8 SVD, §2.12 PCA)",
    url: "https://www.deeplearningbook.org/contents/linear_algebra.html",
  },
  kind: "compute",
  seeds: [1], // the analyses are deterministic; the seed only picks the random starts and inputs
  variants: [
    {
      name: "pca",
      label: "PCA of MNIST",
      settings: {
        analysis: {
          kind: "pca",
          trainSize: 60_000, // the whole training set, as Géron's 3rd edition
          thresholds: [0.9, 0.95], // the two fractions the book quotes
          // 10 leading pairs again by subspace iteration: a block of 20 converges in ~20 steps.
          check: { components: 10, blockSize: 20, iterations: 30 },
          projectionSize: 2000, // test digits in the 2-D scatter: enough to see the clusters
          // Few images: the report draws every pixel as a vector rectangle (150 kB an image).
          reconstructionDigits: 3, // the first three test digits: 7, 2, 1
          ranks: [1, 10, 50, 150], // from a blur to nearly the digit
          componentImages: 4,
        },
      },
    },
    {
      name: "eckart-young",
      label: "Eckart–Young",
      settings: {
        analysis: {
          kind: "eckartYoung",
          images: 200, // a 200 × 784 matrix: an SVD in about a second
          ranks: [1, 2, 5, 10, 20, 50, 100],
          components: 10, // singular values checked against the eigenvalues of AAᵀ
        },
      },
    },
    {
      name: "matmul",
      label: "Matmul throughput",
      settings: {
        analysis: {
          kind: "matmulScaling",
          sizes: [64, 128, 256, 512, 1024, 2048],
          seconds: 1, // per size: long enough to be stable
          checkUpTo: 512, // float64 reference products up to 512³ multiply-adds
        },
      },
    },
  ],
  profiles: {
    // CI: PCA on a sixth of the training set; the counts come out a few components lower.
    ci: {
      "variants.pca.settings.analysis.trainSize": 10_000,
      "variants.matmul.settings.analysis.sizes": [64, 256, 1024],
      "variants.matmul.settings.analysis.seconds": 0.3,
    },
    smoke: {
      "variants.pca.settings.analysis.trainSize": 2000,
      "variants.pca.settings.analysis.check.iterations": 20,
      "variants.pca.settings.analysis.projectionSize": 200,
      "variants.eckart-young.settings.analysis.images": 60,
      "variants.eckart-young.settings.analysis.ranks": [1, 5, 20],
      "variants.matmul.settings.analysis.sizes": [64, 256],
      "variants.matmul.settings.analysis.seconds": 0.1,
      "variants.matmul.settings.analysis.checkUpTo": 256,
    },
  },
  expect: [
    {
      variant: "pca",
      metric: "components95",
      published: 154,
      source: "Géron 2022, ch. 8 and its notebook 08_dimensionality_reduction.ipynb (PCA of the " +
        "first 60,000 MNIST images: d = 154 for 95 %)",
      atLeast: 145,
      atMost: 165,
      profiles: { ci: { atLeast: 135, atMost: 170 }, smoke: { skip: true } },
    },
    {
      variant: "pca",
      metric: "checkEigenvalueDifference",
      published: 0,
      source: "Second method: subspace iteration on the centred data in float32 (tfjs) against " +
        "Householder–QL on the covariance in float64; float32 rounding leaves about 1e-6",
      atMost: 1e-5,
    },
    {
      variant: "pca",
      metric: "checkEigenvectorAngle",
      published: 0,
      source: "Second method as above; angle between the eigenvectors in radians",
      atMost: 1e-4,
    },
    {
      variant: "pca",
      metric: "eigenResidual",
      published: 0,
      source: "‖Cv − λv‖ / λ of the 10 leading float64 eigenpairs (backward stable: ~1e-14)",
      atMost: 1e-10,
    },
    {
      variant: "eckart-young",
      metric: "maxRelativeDifference",
      published: 0,
      source: "Eckart & Young 1936: ‖A − A_k‖_F = √(Σ_{i>k} σ_i²), here computed from A_k " +
        "itself in float64 for k = 1 … 100",
      atMost: 1e-10,
    },
    {
      variant: "eckart-young",
      metric: "randomDirectionsRatio",
      published: 1,
      source: "Eckart & Young 1936: no rank-k approximation errs less than the SVD truncation " +
        "(smallest ratio over k of the error on k random directions to the truncation's)",
      atLeast: 1,
    },
    {
      variant: "eckart-young",
      metric: "sampleDigitsRatio",
      published: 1,
      source: "Eckart & Young 1936 (projection on the span of k of the digits)",
      atLeast: 1,
    },
    {
      variant: "eckart-young",
      metric: "activePixelsRatio",
      published: 1,
      source: "Eckart & Young 1936 (keeping the k pixels of largest energy)",
      atLeast: 1,
    },
    {
      variant: "eckart-young",
      metric: "singularValueDifference",
      published: 0,
      source: "Second method: σ_i = √λ_i(AAᵀ) by Householder–QL against one-sided Jacobi",
      atMost: 1e-10,
    },
    {
      variant: "matmul",
      metric: "maxRelativeError",
      published: 0,
      source: "Float32 products against float64 of the same inputs: rounding of order √n · 2⁻²⁴",
      atMost: 1e-5,
    },
  ],
  notes: [
    "Matmul throughput is a measurement: it lives in run.json and varies between runs and machines.",
    "The number of components for 90 % of the variance is reported as measured; no publication " +
    "we could check states it (the 87 often quoted has no primary source), so only the 95 % count " +
    "is checked against Géron's 154.",
  ],
});
