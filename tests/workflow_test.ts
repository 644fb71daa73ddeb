import assert from "node:assert/strict";
import { parse as parseYaml } from "yaml";
import { validateWorkflow } from "@action-validator/core";

const PATH = ".github/workflows/reproduce.yml";

Deno.test("the reproduce workflow is valid against GitHub Actions' schema", async () => {
  const text = await Deno.readTextFile(PATH);
  const state = validateWorkflow(text);
  assert.deepEqual(state.errors, []);
  // The validator does find mistakes: a job without runs-on is one.
  const broken = validateWorkflow(text.replace("    runs-on: ubuntu-24.04\n", ""));
  assert.ok(broken.errors.length > 0, "a job without runs-on passed");
});

Deno.test("the reproduce workflow shards the trials, merges them and publishes the reports", async () => {
  const workflow = parseYaml(await Deno.readTextFile(PATH)) as {
    jobs: Record<
      string,
      {
        needs?: string;
        strategy?: { matrix: { shard: number[] } };
        steps?: { run?: string; uses?: string }[];
      }
    >;
  };
  const { reproduce, merge, deploy } = workflow.jobs;
  const shards = reproduce.strategy!.matrix.shard;
  assert.ok(shards.length >= 2);
  const run = reproduce.steps!.map((step) => step.run ?? "").join("\n");
  assert.match(run, new RegExp(`--shard \\$\\{\\{ matrix.shard \\}\\}/${shards.length}`));
  assert.equal(merge.needs, "reproduce");
  assert.match(
    merge.steps!.map((step) => step.run ?? "").join("\n"),
    /deno task merge shards\/shard-\*/,
  );
  const uses = merge.steps!.map((step) => step.uses ?? "");
  assert.ok(uses.some((use) => use.startsWith("actions/upload-artifact")));
  assert.ok(uses.some((use) => use.startsWith("actions/upload-pages-artifact")));
  assert.equal(deploy.needs, "merge");
  assert.ok(deploy.steps!.some((step) => step.uses?.startsWith("actions/deploy-pages")));
});
