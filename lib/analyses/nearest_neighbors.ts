/**
 * The `nearestNeighbors` analysis (chapter 4): the k-nearest-neighbour classifier with Euclidean
 * distance on raw inputs, LeCun et al. 1998's baseline for MNIST (5.0 % test error). Distances are
 * computed on the backend in batches of test examples, one matrix product per batch, and the k
 * nearest are found with `topk`; the votes are counted on the host.
 *
 * @module
 */

import * as tf from "@tensorflow/tfjs";
import { z } from "zod";
import type { Artifact } from "../report/artifacts.ts";
import type { Analysis, AnalysisOutput } from "./analysis.ts";
import { dataShape, type DataSource, dataSourceSchema, loadData } from "../data/sources.ts";

const schema = z.strictObject({
  kind: z.literal("nearestNeighbors"),
  /** Labelled examples: the training split is searched, the test split classified. */
  data: dataSourceSchema.refine((source) => {
    const target = dataShape(source).target;
    return target.kind === "classes" && target.shape.length === 0;
  }, { message: "expected a source with one class label per example (e.g. mnist)" }),
  /** The numbers of neighbours that vote, e.g. `[1, 3]`; each gets its own test error. */
  k: z.array(z.number().int().min(1)).min(1),
  /** Test examples per distance matrix (`batchSize × training examples` floats on the device). */
  batchSize: z.number().int().min(1).default(250),
  /** Published test errors to draw beside the measured ones, e.g. LeCun et al. 1998's 5.0 %. */
  published: z.array(z.strictObject({ label: z.string().min(1), errorPercent: z.number() }))
    .default([]),
});

/** The `nearestNeighbors` analysis's settings. */
export type NearestNeighborsSettings = z.output<typeof schema>;

/** Examples as the search needs them. */
export interface LabelledPoints {
  /** `count × width` values, example after example. */
  features: Float32Array;
  /** `count` class labels. */
  labels: Int32Array;
  /** Number of examples. */
  count: number;
}

/**
 * The indices of the `k` training examples nearest to each query, nearest first, by Euclidean
 * distance. For each batch of queries the squared distances `‖x‖² − 2 x·y + ‖y‖²` come from one
 * matrix product on the backend; `‖x‖²` is the same for every candidate of a query, so the ranking
 * uses `2 x·y − ‖y‖²` and `topk` picks its largest. Exact ties keep `topk`'s order.
 *
 * @param train The examples searched.
 * @param queries The examples whose neighbours are wanted.
 * @param width Values per example.
 * @param k Neighbours per query (at most the training examples).
 * @param batchSize Queries per distance matrix.
 * @returns `queries.count × k` training indices, nearest first.
 * @throws {RangeError} For k larger than the training set or inconsistent sizes.
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import { nearestIndices } from "./nearest_neighbors.ts";
 * await tf.setBackend("cpu");
 * const train = { features: Float32Array.from([0, 0, 5, 5, 1, 0]), labels: Int32Array.from([0, 1, 0]), count: 3 };
 * const queries = { features: Float32Array.from([4, 4]), labels: Int32Array.from([1]), count: 1 };
 * const nearest = await nearestIndices(train, queries, 2, 2, 10);
 * if ([...nearest].join() !== "1,2") throw new Error([...nearest].join());
 * ```
 */
export async function nearestIndices(
  train: LabelledPoints,
  queries: LabelledPoints,
  width: number,
  k: number,
  batchSize: number,
): Promise<Int32Array> {
  for (const [name, points] of [["train", train], ["queries", queries]] as const) {
    if (points.features.length !== points.count * width) {
      throw new RangeError(
        `nearestIndices: expected ${name} to have ${points.count} × ${width} = ${
          points.count * width
        } values, found ${points.features.length}`,
      );
    }
  }
  if (!Number.isInteger(k) || k < 1 || k > train.count) {
    throw new RangeError(
      `nearestIndices: expected k between 1 and the ${train.count} training examples, found ${k}`,
    );
  }
  const candidates = tf.tensor2d(train.features, [train.count, width]);
  const norms = tf.tidy(() => tf.sum(tf.square(candidates), 1).reshape([1, train.count]));
  const result = new Int32Array(queries.count * k);
  try {
    for (let start = 0; start < queries.count; start += batchSize) {
      const size = Math.min(batchSize, queries.count - start);
      const indices = tf.tidy(() => {
        const batch = tf.tensor2d(
          queries.features.subarray(start * width, (start + size) * width),
          [size, width],
        );
        const score = tf.sub(tf.mul(tf.matMul(batch, candidates, false, true), 2), norms);
        return tf.topk(score, k, true).indices;
      });
      result.set(await indices.data() as Int32Array, start * k);
      indices.dispose();
    }
  } finally {
    tf.dispose([candidates, norms]);
  }
  return result;
}

/**
 * The majority class among the nearest neighbours' labels; a tie goes to the tied class whose
 * member is nearest.
 *
 * @param labels The neighbours' labels, nearest first.
 * @returns The predicted class.
 *
 * @example
 * ```ts
 * import { voteNearest } from "./nearest_neighbors.ts";
 * if (voteNearest([3, 5, 5]) !== 5) throw new Error("majority");
 * if (voteNearest([3, 5, 7]) !== 3) throw new Error("three-way tie: the nearest");
 * if (voteNearest([7, 5, 5, 7]) !== 7) throw new Error("tie: the class of the nearest of the tied");
 * ```
 */
export function voteNearest(labels: ArrayLike<number>): number {
  const counts = new Map<number, number>();
  let most = 0;
  for (let i = 0; i < labels.length; i++) {
    const count = (counts.get(labels[i]) ?? 0) + 1;
    counts.set(labels[i], count);
    most = Math.max(most, count);
  }
  for (let i = 0; i < labels.length; i++) if (counts.get(labels[i]) === most) return labels[i];
  throw new RangeError("voteNearest: expected at least one label, found none");
}

/**
 * The metric a k reports: `k1TestErrorPercent`.
 *
 * @param k The number of neighbours.
 * @returns The metric's name.
 *
 * @example
 * ```ts
 * import { errorMetric } from "./nearest_neighbors.ts";
 * if (errorMetric(3) !== "k3TestErrorPercent") throw new Error();
 * ```
 */
export function errorMetric(k: number): string {
  return `k${k}TestErrorPercent`;
}

/** The `nearestNeighbors` analysis. */
export const nearestNeighbors: Analysis<NearestNeighborsSettings> = {
  schema,
  description: "classify the test set by its k nearest training examples (Euclidean distance)",
  module: import.meta.url,
  metrics: (settings) => settings.k.map(errorMetric),
  requiredKernels: () => ["BatchMatMul", "TopK", "Sum", "Square", "Sub", "Multiply"],
  async prepare(settings) {
    await loadData(settings.data as DataSource, 1);
  },
  async run(settings, { seed, progress }): Promise<AnalysisOutput> {
    const data = await loadData(settings.data as DataSource, seed);
    const width = data.shape.input.reduce((a, b) => a * b, 1);
    const points = (split: typeof data.train): LabelledPoints => ({
      features: split.features,
      labels: split.targets as Int32Array,
      count: split.count,
    });
    const train = points(data.train);
    const test = points(data.test);
    const largest = Math.max(...settings.k);
    progress.log(
      `nearestNeighbors: ${test.count} test examples against ${train.count} training examples, in batches of ${settings.batchSize}`,
    );
    const nearest = await nearestIndices(train, test, width, largest, settings.batchSize);
    const final: Record<string, number> = {};
    for (const k of settings.k) {
      let wrong = 0;
      for (let n = 0; n < test.count; n++) {
        const labels = Array.from(
          nearest.subarray(n * largest, n * largest + k),
          (index) => train.labels[index],
        );
        if (voteNearest(labels) !== test.labels[n]) wrong++;
      }
      final[errorMetric(k)] = 100 * wrong / test.count;
    }
    const artifacts: Record<string, Artifact> = {
      errors: {
        kind: "bars",
        title: "k-nearest-neighbour test error",
        description:
          `Test error on ${test.count} examples, searching ${train.count} training examples by Euclidean distance on the raw inputs: ${
            settings.k.map((k) => `k = ${k}: ${final[errorMetric(k)].toFixed(2)} %`).join(", ")
          }${
            settings.published.length > 0
              ? `; published: ${
                settings.published.map((entry) => `${entry.label} ${entry.errorPercent} %`).join(
                  ", ",
                )
              }`
              : ""
          }.`,
        yTitle: "test error (%)",
        format: ".2f",
        bars: settings.k.map((k) => ({ label: `k = ${k}`, value: final[errorMetric(k)] })),
        references: settings.published.map((entry) => ({
          label: entry.label,
          value: entry.errorPercent,
        })),
      },
    };
    return { final, artifacts };
  },
};
