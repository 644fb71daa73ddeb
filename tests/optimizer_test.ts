import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import {
  OPTIMIZER_KINDS,
  optimizerSchema,
  type OptimizerSpec,
  TrainingOptimizer,
} from "../lib/train/optimizer.ts";
import { runExperiment } from "../lib/run/run_experiment.ts";
import { defineExperiment } from "../lib/tasks/define_experiment.ts";
import { ALL_BACKENDS, backendTestOptions, OPEN_RESOURCES, useBackend } from "./_backends.ts";

/**
 * Two steps of each optimizer on w = [1, -2] with gradients g1 = [0.5, 1] then g2 = [-1, 0.25],
 * computed by hand with the update rules in lib/train/optimizer.ts's module doc (ε = 1e-7).
 */
function handComputed(spec: OptimizerSpec): number[] {
  const eps = 1e-7;
  const w = [1, -2];
  const grads = [[0.5, 1], [-1, 0.25]];
  const state = w.map(() => ({ v: 0, a: 0, s: 0, m: 0, u: 0 }));
  grads.forEach((g, step) => {
    const t = step + 1;
    g.forEach((gi, i) => {
      const st = state[i];
      switch (spec.kind) {
        case "sgd":
          w[i] -= spec.learningRate * gi;
          break;
        case "momentum":
          st.v = spec.momentum * st.v + gi;
          w[i] -= spec.learningRate * st.v;
          break;
        case "nesterov":
          st.v = spec.momentum * st.v + gi;
          w[i] -= spec.learningRate * (gi + spec.momentum * st.v);
          break;
        case "adagrad":
          if (step === 0) st.a = spec.initialAccumulator;
          st.a += gi * gi;
          w[i] -= spec.learningRate * gi / Math.sqrt(st.a + eps);
          break;
        case "rmsprop":
          st.s = spec.decay * st.s + (1 - spec.decay) * gi * gi;
          w[i] -= spec.learningRate * gi / Math.sqrt(st.s + eps);
          break;
        case "adam": {
          st.m = spec.beta1 * st.m + (1 - spec.beta1) * gi;
          st.u = spec.beta2 * st.u + (1 - spec.beta2) * gi * gi;
          const mHat = st.m / (1 - spec.beta1 ** t);
          const uHat = st.u / (1 - spec.beta2 ** t);
          w[i] -= spec.learningRate * mHat / (Math.sqrt(uHat) + eps);
          break;
        }
      }
    });
  });
  return w;
}

for (const kind of OPTIMIZER_KINDS) {
  Deno.test(`TrainingOptimizer ${kind} takes the hand-computed steps`, OPEN_RESOURCES, async () => {
    await useBackend("cpu");
    const spec = optimizerSchema.parse({ kind, learningRate: 0.1 });
    const optimizer = new TrainingOptimizer(spec);
    const w = tf.tidy(() => tf.variable(tf.tensor1d([1, -2])));
    for (const g of [[0.5, 1], [-1, 0.25]]) {
      tf.tidy(() => optimizer.applyGradients({ [w.name]: tf.tensor1d(g) }));
    }
    const expected = handComputed(spec);
    const actual = Array.from(await w.data());
    actual.forEach((value, i) =>
      assert.ok(
        Math.abs(value - expected[i]) < 1e-5 * Math.max(1, Math.abs(expected[i])),
        `${kind}: ${actual} vs ${expected}`,
      )
    );
    optimizer.dispose();
    w.dispose();
  });
}

/**
 * Every hyperparameter away from its default, so that one the wrapper dropped would show: the
 * defaults test above cannot tell a dropped `decay` from tfjs's own 0.9.
 */
const TUNED: OptimizerSpec[] = [
  { kind: "sgd", learningRate: 0.3 },
  { kind: "momentum", learningRate: 0.05, momentum: 0.5 },
  { kind: "nesterov", learningRate: 0.05, momentum: 0.7 },
  { kind: "adagrad", learningRate: 0.2, initialAccumulator: 0.5 },
  { kind: "rmsprop", learningRate: 0.01, decay: 0.8, epsilon: 1e-4 },
  { kind: "adam", learningRate: 0.02, beta1: 0.5, beta2: 0.9, epsilon: 1e-3 },
];

/**
 * Three steps on the tiny problem f(w) = ½ (w₁² + 4 w₂²) from w = [1, -2], whose gradient is
 * [w₁, 4 w₂], with the rate halved before the last step (as a schedule does), in float64 from
 * the update rules of lib/train/optimizer.ts's module doc.
 */
function quadraticSteps(spec: OptimizerSpec): number[] {
  const w = [1, -2];
  const curvature = [1, 4];
  const state = w.map(() => ({ v: 0, a: 0, s: 0, m: 0, u: 0 }));
  for (let t = 1; t <= 3; t++) {
    const rate = t === 3 ? spec.learningRate / 2 : spec.learningRate;
    const g = w.map((wi, i) => curvature[i] * wi);
    g.forEach((gi, i) => {
      const st = state[i];
      switch (spec.kind) {
        case "sgd":
          w[i] -= rate * gi;
          break;
        case "momentum":
          st.v = spec.momentum * st.v + gi;
          w[i] -= rate * st.v;
          break;
        case "nesterov":
          st.v = spec.momentum * st.v + gi;
          w[i] -= rate * (gi + spec.momentum * st.v);
          break;
        case "adagrad":
          if (t === 1) st.a = spec.initialAccumulator;
          st.a += gi * gi;
          w[i] -= rate * gi / Math.sqrt(st.a + 1e-7);
          break;
        case "rmsprop":
          st.s = spec.decay * st.s + (1 - spec.decay) * gi * gi;
          w[i] -= rate * gi / Math.sqrt(st.s + spec.epsilon!);
          break;
        case "adam": {
          st.m = spec.beta1 * st.m + (1 - spec.beta1) * gi;
          st.u = spec.beta2 * st.u + (1 - spec.beta2) * gi * gi;
          const mHat = st.m / (1 - spec.beta1 ** t);
          const uHat = st.u / (1 - spec.beta2 ** t);
          w[i] -= rate * mHat / (Math.sqrt(uHat) + spec.epsilon!);
          break;
        }
      }
    });
  }
  return w;
}

for (const spec of TUNED) {
  Deno.test(
    `TrainingOptimizer ${spec.kind} uses its hyperparameters and a changed rate on a quadratic`,
    OPEN_RESOURCES,
    async () => {
      await useBackend("cpu");
      const optimizer = new TrainingOptimizer(optimizerSchema.parse(spec));
      const w = tf.tidy(() => tf.variable(tf.tensor1d([1, -2])));
      const curvature = tf.tensor1d([1, 4]);
      for (let t = 1; t <= 3; t++) {
        if (t === 3) optimizer.setLearningRate(spec.learningRate / 2);
        tf.tidy(() => {
          // The gradient as the training loop takes it: differentiated, not supplied.
          const f = () => tf.mul(0.5, tf.sum(tf.mul(curvature, tf.square(w)))) as tf.Scalar;
          optimizer.applyGradients(tf.variableGrads(f, [w]).grads);
        });
      }
      const expected = quadraticSteps(spec);
      const actual = Array.from(await w.data());
      actual.forEach((value, i) =>
        assert.ok(
          Math.abs(value - expected[i]) < 1e-5 * Math.max(1, Math.abs(expected[i])),
          `${spec.kind}: ${actual} vs ${expected}`,
        )
      );
      optimizer.dispose();
      tf.dispose([w, curvature]);
    },
  );
}

Deno.test(
  "TrainingOptimizer's first steps match updates worked by hand",
  OPEN_RESOURCES,
  async () => {
    // f(w) = w²/2 from w = 1 (gradient w), rate 0.1, μ = 0.9:
    // sgd:      w₁ = 1 − 0.1 = 0.9;                        w₂ = 0.9 − 0.09 = 0.81
    // momentum: v₁ = 1, w₁ = 0.9;                           v₂ = 0.9 + 0.9 = 1.8, w₂ = 0.72
    // nesterov: v₁ = 1, w₁ = 1 − 0.1 (1 + 0.9) = 0.81;      v₂ = 0.9 + 0.81 = 1.71,
    //           w₂ = 0.81 − 0.1 (0.81 + 0.9 · 1.71) = 0.5751
    // adam:     m̂₁ = g, v̂₁ = g², so w₁ = 1 − 0.1 g/|g| = 0.9 (ε = 1e-7 is negligible)
    await useBackend("cpu");
    const cases: [OptimizerSpec, number[]][] = [
      [{ kind: "sgd", learningRate: 0.1 }, [0.9, 0.81]],
      [{ kind: "momentum", learningRate: 0.1, momentum: 0.9 }, [0.9, 0.72]],
      [{ kind: "nesterov", learningRate: 0.1, momentum: 0.9 }, [0.81, 0.5751]],
      [{ kind: "adam", learningRate: 0.1, beta1: 0.9, beta2: 0.999 }, [0.9]],
    ];
    for (const [spec, expected] of cases) {
      const optimizer = new TrainingOptimizer(spec);
      const w = tf.tidy(() => tf.variable(tf.scalar(1)));
      for (const value of expected) {
        tf.tidy(() =>
          optimizer.applyGradients(tf.variableGrads(() => tf.mul(0.5, tf.square(w)), [w]).grads)
        );
        assert.ok(Math.abs((await w.data())[0] - value) < 1e-6, `${spec.kind}: expected ${value}`);
      }
      optimizer.dispose();
      w.dispose();
    }
  },
);

Deno.test(
  "TrainingOptimizer frees every tensor it made, momentum's rate scalar included",
  OPEN_RESOURCES,
  async () => {
    await useBackend("cpu");
    for (const kind of OPTIMIZER_KINDS) {
      const before = tf.memory().numTensors;
      const optimizer = new TrainingOptimizer(optimizerSchema.parse({ kind, learningRate: 0.1 }));
      const w = tf.tidy(() => tf.variable(tf.tensor1d([1, 2])));
      optimizer.setLearningRate(0.05);
      tf.tidy(() => optimizer.applyGradients({ [w.name]: tf.tensor1d([1, 1]) }));
      optimizer.setLearningRate(0.01);
      optimizer.dispose();
      w.dispose();
      assert.equal(tf.memory().numTensors, before, kind);
    }
  },
);

Deno.test("TrainingOptimizer restores a saved state bit for bit", OPEN_RESOURCES, async () => {
  await useBackend("cpu");
  for (const kind of OPTIMIZER_KINDS) {
    const spec = optimizerSchema.parse({ kind, learningRate: 0.1 });
    const run = async (resume: boolean) => {
      let optimizer = new TrainingOptimizer(spec);
      const w = tf.tidy(() => tf.variable(tf.tensor1d([1, -2, 3])));
      const step = (g: number[]) =>
        tf.tidy(() => optimizer.applyGradients({ [w.name]: tf.tensor1d(g) }));
      step([0.5, 1, -1]);
      if (resume) {
        const state = await optimizer.saveState();
        optimizer.dispose();
        optimizer = new TrainingOptimizer(spec);
        optimizer.restoreState(state, [w.name]);
      }
      step([-1, 0.25, 2]);
      step([0.1, 0.1, 0.1]);
      const values = Array.from(await w.data());
      optimizer.dispose();
      w.dispose();
      return values;
    };
    assert.deepEqual(await run(true), await run(false), kind);
  }
});

/** A tiny fit experiment: XOR's four points, one hidden layer. */
function tinyExperiment(optimizer: string) {
  return defineExperiment({
    id: "optimizer-check",
    chapter: 8,
    title: "Every optimizer trains",
    reproduces: { claim: "each optimizer lowers the loss", source: "the update rules" },
    kind: "fit",
    seeds: [1],
    data: { kind: "xorTable", target: "labels" },
    model: {
      kind: "layers",
      layers: [{ kind: "dense", units: 8, activation: "tanh" }, { kind: "dense", units: 2 }],
    },
    train: {
      epochs: 30,
      batchSize: 4,
      optimizer: { kind: optimizer as "sgd", learningRate: optimizer === "sgd" ? 0.5 : 0.05 },
      readbackEvery: 10,
    },
    evaluate: { atStart: true },
    variants: [{ name: "tiny" }],
  });
}

for (const backend of ALL_BACKENDS) {
  Deno.test(
    `runExperiment trains with every optimizer on ${backend} without leaking`,
    backendTestOptions(backend),
    async () => {
      for (const kind of OPTIMIZER_KINDS) {
        const outcome = await runExperiment({
          file: "tests/optimizer_test.ts",
          definition: tinyExperiment(kind),
          backend,
          outDirectory: await Deno.makeTempDir(),
          store: await Deno.makeTempDir(),
        });
        assert.deepEqual(outcome.defects, [], `${kind} on ${backend}`);
        const final = outcome.metrics.trials[0].final;
        assert.ok(
          final.testLoss < final.initialTestLoss,
          `${kind} on ${backend}: loss ${final.initialTestLoss} -> ${final.testLoss}`,
        );
      }
    },
  );
}
