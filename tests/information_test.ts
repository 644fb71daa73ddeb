import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import {
  bernoulliEntropyTf,
  gaussianMeasuresTf,
  information,
} from "../lib/analyses/information.ts";
import {
  bernoulliEntropy,
  gaussianCrossEntropy,
  gaussianEntropy,
  gaussianKl,
} from "../lib/probability/entropy.ts";
import { createProgress } from "../lib/train/progress.ts";
import { OPEN_RESOURCES, useBackend } from "./_backends.ts";

Deno.test(
  "bernoulliEntropyTf matches the closed form, 1 bit at ½ and 0 at the ends",
  OPEN_RESOURCES,
  async () => {
    await useBackend("cpu");
    const ps = [0, 0.01, 0.2, 0.5, 0.9, 1];
    const computed = await bernoulliEntropyTf(ps);
    ps.forEach((p, i) => assert.ok(Math.abs(computed[i] - bernoulliEntropy(p)) < 1e-6, `p = ${p}`));
    assert.equal(computed[0], 0);
    assert.equal(computed[5], 0);
  },
);

Deno.test(
  "gaussianMeasuresTf matches the closed forms, KL in both directions",
  OPEN_RESOURCES,
  async () => {
    await useBackend("cpu");
    const before = tf.memory().numTensors;
    const p = { mean: 0, std: 1 };
    const q = { mean: 0, std: 2 };
    const m = await gaussianMeasuresTf(p, q, 8001, 12);
    assert.ok(Math.abs(m.entropy - gaussianEntropy(p)) < 1e-5);
    assert.ok(Math.abs(m.crossEntropy - gaussianCrossEntropy(p, q)) < 1e-5);
    assert.ok(Math.abs(m.forwardKl - (Math.LN2 - 0.375)) < 1e-5);
    assert.ok(Math.abs(m.reverseKl - gaussianKl(q, p)) < 1e-5);
    assert.ok(m.reverseKl > 2 * m.forwardKl, "KL is not symmetric");
    assert.equal(tf.memory().numTensors, before);
  },
);

Deno.test(
  "information reports the Bernoulli maximum at ½ and small errors",
  OPEN_RESOURCES,
  async () => {
    await useBackend("cpu");
    const settings = information.schema.parse({ kind: "information", gridPoints: 4001 });
    const { final } = await information.run(settings, {
      seed: 1,
      backend: "cpu",
      progress: createProgress("quiet"),
    });
    assert.ok(Math.abs(final.bernoulliEntropyAtHalf - 1) < 1e-6);
    assert.equal(final.bernoulliArgmax, 0.5);
    assert.ok(final.gaussianKlMaxError < 1e-3 && final.gaussianEntropyMaxError < 1e-3);
  },
);
