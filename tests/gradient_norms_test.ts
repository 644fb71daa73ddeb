import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { gradientNorms } from "../lib/probes/gradient_norms.ts";
import { buildModel } from "../lib/models/build_model.ts";
import type { LayerSpec } from "../lib/models/layer_spec.ts";
import type { ProbeContext } from "../lib/probes/probe.ts";
import type { LoadedData } from "../lib/data/sources.ts";
import { createRng, normal } from "../lib/random/seed.ts";

const SHAPE = { input: [8], target: { kind: "values" as const, shape: [1] } };

/** A probe context for a model on random regression data (64 examples of 8 inputs). */
function context(layers: LayerSpec[]): { context: ProbeContext; dispose: () => void } {
  const rng = createRng(4);
  const features = Float32Array.from({ length: 64 * 8 }, () => normal(rng));
  const targets = Float32Array.from({ length: 64 }, () => normal(rng));
  const split = {
    features: tf.tensor2d(features, [64, 8]),
    targets: tf.tensor2d(targets, [64, 1]),
  };
  const host = { features, targets, count: 64 };
  const model = buildModel([8], layers, 1);
  return {
    context: {
      model,
      data: { shape: SHAPE, train: host, test: host } as LoadedData,
      layers,
      shape: SHAPE,
      loss: "mse",
      seed: 1,
      charts: true,
      splits: {},
      train: split,
    },
    dispose: () => {
      model.dispose();
      tf.dispose([split.features, split.targets]);
    },
  };
}

const dense = (units: number, activation: "sigmoid" | "relu" | "linear"): LayerSpec => ({
  kind: "dense",
  units,
  activation,
  bias: true,
});

Deno.test("gradientNorms gives the hand-computed gradient norm of a linear model", async () => {
  await tf.setBackend("cpu");
  const { context: ctx, dispose } = context([dense(1, "linear")]);
  try {
    const probe = gradientNorms.schema.parse({ kind: "gradientNorms", examples: 40 });
    const { final } = await gradientNorms.run(probe, ctx);
    // J = (1/n) Σ (x·w + b − y)², so ∂J/∂w = (2/n) Xᵀ (X w + b − y) over the first 40 examples.
    const [kernel, bias] = ctx.model.getWeights().map((weight) => weight.dataSync());
    const x = ctx.data.train.features;
    const y = ctx.data.train.targets;
    const gradient = new Array<number>(8).fill(0);
    for (let n = 0; n < 40; n++) {
      let residual = bias[0] - y[n];
      for (let i = 0; i < 8; i++) residual += x[n * 8 + i] * kernel[i];
      for (let i = 0; i < 8; i++) gradient[i] += 2 * x[n * 8 + i] * residual / 40;
    }
    const norm = Math.hypot(...gradient);
    assert.ok(
      Math.abs(final.gradientNormFirst - norm) < 1e-5 * norm,
      `${final.gradientNormFirst} ${norm}`,
    );
    assert.equal(final.gradientNormRatio, 1); // one kernel: first and last are the same
  } finally {
    dispose();
  }
});

Deno.test("gradientNorms: the gradient vanishes towards the input of a 10-layer sigmoid stack, not a ReLU one", async () => {
  await tf.setBackend("cpu");
  const ratio = async (activation: "sigmoid" | "relu") => {
    const layers = [...Array.from({ length: 10 }, () => dense(32, activation)), dense(1, "linear")];
    const { context: ctx, dispose } = context(layers);
    try {
      const probe = gradientNorms.schema.parse({ kind: "gradientNorms" });
      const { final, artifacts } = await gradientNorms.run(probe, ctx);
      const chart = artifacts.gradientNorms;
      assert.ok(chart.kind === "lines" && chart.series[0].points.length === 11);
      return final.gradientNormRatio;
    } finally {
      dispose();
    }
  };
  const sigmoid = await ratio("sigmoid");
  const relu = await ratio("relu");
  // σ' ≤ 1/4: ten sigmoid layers shrink the gradient by orders of magnitude.
  assert.ok(sigmoid < 1e-3, `sigmoid ratio ${sigmoid}`);
  assert.ok(relu > 0.1 && relu < 10, `relu ratio ${relu}`);
});
