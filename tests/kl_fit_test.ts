import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { klFit, mixtureDensity, mixtureLogDensity, momentMatch } from "../lib/objectives/kl_fit.ts";
import { gaussianKl } from "../lib/probability/entropy.ts";
import { OPEN_RESOURCES, useBackend } from "./_backends.ts";

const MIXTURE = { weights: [0.5, 0.5], means: [-3, 3], stds: [1, 1] };

Deno.test("mixtureLogDensity is ln of mixtureDensity, and finite where the density underflows", () => {
  for (const x of [-3, 0, 1.7, 8]) {
    assert.ok(
      Math.abs(mixtureLogDensity(MIXTURE, x) - Math.log(mixtureDensity(MIXTURE, x))) < 1e-12,
    );
  }
  assert.equal(mixtureDensity(MIXTURE, 60), 0);
  assert.ok(Number.isFinite(mixtureLogDensity(MIXTURE, 60)));
});

Deno.test("momentMatch gives the mixture's mean and standard deviation", () => {
  const [mean, logStd] = momentMatch({ weights: [0.25, 0.75], means: [0, 4], stds: [1, 2] });
  // Mean 3; second moment 0.25 · 1 + 0.75 · (4 + 16) = 15.25; variance 6.25.
  assert.equal(mean, 3);
  assert.ok(Math.abs(logStd - Math.log(2.5)) < 1e-15);
});

Deno.test("klFit of a one-component mixture is the closed-form KL between Gaussians", () => {
  const p = { weights: [1], means: [0.5], stds: [0.8] };
  for (const [mu, logSigma] of [[0, 0], [1, -0.5], [-2, 1.2]]) {
    const q = { mean: mu, std: Math.exp(logSigma) };
    const forward = klFit("forward", p).valueAt(mu, logSigma);
    const reverse = klFit("reverse", p).valueAt(mu, logSigma);
    assert.ok(Math.abs(forward - gaussianKl({ mean: 0.5, std: 0.8 }, q)) < 1e-9, `${forward}`);
    assert.ok(Math.abs(reverse - gaussianKl(q, { mean: 0.5, std: 0.8 })) < 1e-9, `${reverse}`);
  }
});

Deno.test("klFit forward is smallest at the moment-matched Gaussian", () => {
  const objective = klFit("forward", MIXTURE);
  assert.deepEqual(objective.minima, [momentMatch(MIXTURE)]);
  const [mu, logSigma] = momentMatch(MIXTURE);
  const best = objective.valueAt(mu, logSigma);
  for (const [dx, dy] of [[0.05, 0], [-0.05, 0], [0, 0.02], [0, -0.02]]) {
    assert.ok(objective.valueAt(mu + dx, logSigma + dy) > best);
  }
});

Deno.test("klFit reverse: ln 2 on a mode, higher on the blurred fit between the modes", () => {
  const objective = klFit("reverse", MIXTURE);
  assert.ok(Math.abs(objective.valueAt(3, 0) - Math.LN2) < 5e-3);
  assert.ok(objective.valueAt(0, 1) > objective.valueAt(3, 0) + 0.1);
});

Deno.test(
  "klFit's tfjs value and gradient agree with the float64 function",
  OPEN_RESOURCES,
  async () => {
    await useBackend("cpu");
    for (const direction of ["forward", "reverse"] as const) {
      const objective = klFit(direction, MIXTURE);
      const at = [1.2, 0.3];
      const point = tf.tensor1d(at);
      const value = objective.value(point);
      const gradient = tf.grad((p: tf.Tensor) => objective.value(p as tf.Tensor1D))(point);
      const [computed] = await value.data();
      const [gx, gy] = await gradient.data();
      tf.dispose([point, value, gradient]);
      const h = 1e-5;
      const f = objective.valueAt;
      const fx = (f(at[0] + h, at[1]) - f(at[0] - h, at[1])) / (2 * h);
      const fy = (f(at[0], at[1] + h) - f(at[0], at[1] - h)) / (2 * h);
      assert.ok(Math.abs(computed - f(at[0], at[1])) < 1e-4, `${direction} value`);
      assert.ok(
        Math.abs(gx - fx) < 1e-3 && Math.abs(gy - fy) < 1e-3,
        `${direction}: ${gx} ${gy} ${fx} ${fy}`,
      );
    }
  },
);
