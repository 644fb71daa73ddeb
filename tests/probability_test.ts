import assert from "node:assert/strict";
import { runExperiment } from "../lib/run/run_experiment.ts";
import probability from "../experiments/probability.ts";

const options = { sanitizeResources: false, sanitizeOps: false };

for (const definition of probability) {
  Deno.test(
    `${definition.id} smoke runs every variant and meets its smoke bounds`,
    options,
    async () => {
      const directory = await Deno.makeTempDir({ prefix: `${definition.id}_` });
      const { metrics } = await runExperiment({
        file: "experiments/probability.ts",
        definition,
        profile: "smoke",
        outDirectory: directory,
      });
      assert.equal(metrics.reproduced, true, JSON.stringify(metrics.checks));
      assert.deepEqual(
        metrics.trials.map((trial) => trial.variant),
        definition.variants!.map((variant) => variant.name),
      );
      if (definition.id === "kl-asymmetry") {
        // Even 100 steps show the effect: q spreads wide under KL(p‖q), sits on a mode under KL(q‖p).
        const final = (variant: string) => metrics.trials.find((t) => t.variant === variant)!.final;
        assert.ok(final("forward").finalY > final("reverse").finalY + 0.5);
        assert.ok(Math.abs(final("reverse").finalX - 3) < 0.2, String(final("reverse").finalX));
      }
      await Deno.remove(directory, { recursive: true });
    },
  );
}
