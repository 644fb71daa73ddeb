/**
 * Every experiment of experiments/ runs its smoke profile end to end: it loads, validates, trains,
 * checks its expectations with the smoke bounds, and leaves nothing behind. Its ci and full
 * profiles are what `deno task reproduce` checks.
 */

import assert from "node:assert/strict";
import { loadCatalog } from "../lib/cli/load_experiment.ts";
import { runExperiment } from "../lib/run/run_experiment.ts";
import { OPEN_RESOURCES } from "./_backends.ts";

const catalog = await loadCatalog();

Deno.test("every experiment file loads and validates", () => {
  const broken = catalog.filter((entry) => "error" in entry);
  assert.deepEqual(broken, []);
});

for (const entry of catalog) {
  if ("error" in entry) continue;
  Deno.test(
    `${entry.header.id} (${entry.file}) runs its smoke profile`,
    OPEN_RESOURCES,
    async () => {
      const profiles = Object.keys(
        (entry.definition as { profiles?: Record<string, unknown> }).profiles ?? {},
      );
      assert.ok(
        profiles.includes("smoke"),
        `${entry.file}: every experiment needs a smoke profile`,
      );
      assert.ok(profiles.includes("ci"), `${entry.file}: every experiment needs a ci profile`);
      const outcome = await runExperiment({
        file: entry.file,
        definition: entry.definition,
        tasks: entry.tasks,
        profile: "smoke",
        backend: "wasm",
        outDirectory: await Deno.makeTempDir({ prefix: `smoke_${entry.header.id}_` }),
        store: await Deno.makeTempDir({ prefix: "smoke_store_" }),
      });
      assert.deepEqual(outcome.defects, []);
      assert.ok(outcome.metrics.trials.length > 0);
      const failed = outcome.metrics.checks.filter((check) => !check.pass);
      assert.deepEqual(failed, [], `smoke checks failed: ${JSON.stringify(failed)}`);
    },
  );
}
