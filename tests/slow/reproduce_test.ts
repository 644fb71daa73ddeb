import assert from "node:assert/strict";
import { cliIn, makeSandbox, mnistExperiment, xorExperiment } from "../_fixtures.ts";

const MOD = new URL("../../mod.ts", import.meta.url).href;

async function write(path: string, text: string): Promise<void> {
  await Deno.writeTextFile(path, text);
}

async function read(path: string): Promise<string> {
  return await Deno.readTextFile(path);
}

async function exists(path: string): Promise<boolean> {
  return await Deno.stat(path).then(() => true, () => false);
}

Deno.test("reproduce runs every experiment, then takes their trials from the store and verifies a sample", async () => {
  const sandbox = await makeSandbox();
  await write(`${sandbox.experiments}/xor.ts`, xorExperiment());
  await write(`${sandbox.experiments}/other.ts`, xorExperiment({ id: "other", epochs: 12 }));
  const first = await cliIn(sandbox, "reproduce", "--profile", "ci", "--quiet");
  assert.equal(first.code, 0, first.stdout + first.stderr);
  assert.match(first.stdout, /xor\s+reproduced\s+1\/1\s+2\s+0/);
  assert.match(first.stdout, /other\s+reproduced\s+1\/1\s+2\s+0/);
  assert.ok(await exists(`${sandbox.store}/ci/xor/metrics.json`));
  assert.ok(await exists(`${sandbox.store}/ci/index.html`));
  const summary = JSON.parse(await read(`${sandbox.store}/summary/ci.json`));
  assert.equal(summary.ok, true);
  const again = await cliIn(sandbox, "reproduce", "--profile", "ci", "--quiet", "--verify", "2");
  assert.equal(again.code, 0, again.stdout + again.stderr);
  assert.match(again.stdout, /xor\s+reproduced\s+1\/1\s+0\s+2/);
  assert.equal((again.stdout.match(/identical to the store/g) ?? []).length, 2);
  // Editing the definition invalidates its stored trials, and only its own.
  await write(
    `${sandbox.experiments}/xor.ts`,
    xorExperiment().replace("learningRate: 0.05", "learningRate: 0.04"),
  );
  const changed = await cliIn(sandbox, "reproduce", "--profile", "ci", "--quiet", "--verify", "0");
  assert.match(changed.stdout, /xor\s+reproduced\s+1\/1\s+2\s+0/);
  assert.match(changed.stdout, /other\s+reproduced\s+1\/1\s+0\s+2/);
});

Deno.test("reproduce with one worker runs the experiments one after the other, each trial's tensors counted alone", async () => {
  const sandbox = await makeSandbox();
  await write(`${sandbox.experiments}/xor.ts`, xorExperiment());
  await write(`${sandbox.experiments}/other.ts`, xorExperiment({ id: "other", epochs: 12 }));
  await write(`${sandbox.experiments}/third.ts`, xorExperiment({ id: "third", epochs: 14 }));
  const run = await cliIn(sandbox, "reproduce", "--profile", "ci", "--quiet", "--workers", "1");
  assert.equal(run.code, 0, run.stdout + run.stderr);
  assert.doesNotMatch(run.stdout + run.stderr, /defect|undisposed/);
  assert.match(run.stdout, /third\s+reproduced\s+1\/1\s+2\s+0/);
});

Deno.test("reproduce names the experiment, metric, bound and measured value of a failure", async () => {
  const sandbox = await makeSandbox();
  await write(
    `${sandbox.experiments}/xor.ts`,
    xorExperiment().replace("atMost: 100", "atMost: -1"),
  );
  const result = await cliIn(sandbox, "reproduce", "--profile", "ci", "--quiet");
  assert.equal(result.code, 3);
  assert.match(
    result.stdout,
    /xor: FAIL slow testErrorPercent [\d.]+ \(<= -1, published 0; the truth table\)/,
  );
  assert.match(result.stdout, /NOT all reproduced/);
});

Deno.test("a broken experiment file is reported on its own; the others still run and list", async () => {
  const sandbox = await makeSandbox();
  await write(`${sandbox.experiments}/xor.ts`, xorExperiment());
  await write(`${sandbox.experiments}/broken.ts`, "export default defineExperiment({ id: ");
  const list = await cliIn(sandbox, "list");
  assert.equal(list.code, 2);
  assert.match(list.stdout, /experiments\/broken\.ts\tBROKEN\t.*failed to load/);
  assert.match(list.stdout, /experiments\/xor\.ts\tchapter 5\txor\t/);
  const run = await cliIn(sandbox, "run", "experiments/xor.ts", "--profile", "ci", "-q");
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stdout, /xor \[ci, wasm(\+openblas)?\]: reproduced/);
  assert.match(await read(`${sandbox.store}/ci/index.html`), /could not be read.*broken\.ts/s);
  const reproduce = await cliIn(sandbox, "reproduce", "--profile", "ci", "--quiet");
  assert.equal(reproduce.code, 3);
  assert.match(reproduce.stdout, /experiments\/broken\.ts\s+broken/);
  assert.match(reproduce.stdout, /xor\s+reproduced/);
});

Deno.test("a reduced run never replaces the published full results", async () => {
  const sandbox = await makeSandbox();
  await write(`${sandbox.experiments}/xor.ts`, xorExperiment({ epochs: 12 }));
  const full = await cliIn(sandbox, "run", "experiments/xor.ts", "-q");
  assert.equal(full.code, 0, full.stderr);
  const published = await read(`${sandbox.reports}/xor/metrics.json`);
  assert.match(published, /"profile": "full"/);
  for (
    const args of [["--profile", "ci"], ["--seed", "9"], ["--variant", "slow"], [
      "--set",
      "train.epochs=3",
    ]]
  ) {
    const result = await cliIn(sandbox, "run", "experiments/xor.ts", "-q", ...args);
    assert.equal(result.code, 0, result.stderr);
  }
  assert.equal(await read(`${sandbox.reports}/xor/metrics.json`), published);
  assert.ok(await exists(`${sandbox.store}/ci/xor/metrics.json`));
  const custom = [...Deno.readDirSync(`${sandbox.store}/custom`)].map((e) => e.name);
  assert.equal(custom.length, 3, custom.join());
  // Rerunning the full profile replaces the published result; the old one moves to the archive.
  await write(`${sandbox.experiments}/xor.ts`, xorExperiment({ epochs: 13 }));
  await cliIn(sandbox, "run", "experiments/xor.ts", "-q");
  const archived = [...Deno.readDirSync(`${sandbox.store}/archive/xor`)];
  assert.equal(archived.length, 1);
  assert.equal(
    await read(`${sandbox.store}/archive/xor/${archived[0].name}/metrics.json`),
    published,
  );
});

Deno.test("reproduce fails on a published result whose definition changed, and --status lists older code", async () => {
  const sandbox = await makeSandbox();
  await write(`${sandbox.experiments}/xor.ts`, xorExperiment({ epochs: 12 }));
  await cliIn(sandbox, "run", "experiments/xor.ts", "-q");
  const current = await cliIn(sandbox, "reproduce", "--status");
  assert.match(current.stdout, /xor\tcurrent\tproduced at commit/);
  // A comment changes the code, not the settings: the result is older, not wrong.
  await write(`${sandbox.experiments}/xor.ts`, "// a remark\n" + xorExperiment({ epochs: 12 }));
  const older = await cliIn(sandbox, "reproduce", "--status");
  assert.match(
    older.stdout,
    /xor\tolder code\tproduced at commit \w+; the framework code below it changed since/,
  );
  assert.match(older.stdout, /1 published result produced by older code or another definition/);
  await write(`${sandbox.experiments}/xor.ts`, xorExperiment({ epochs: 15 }));
  const changed = await cliIn(sandbox, "reproduce", "--profile", "ci", "--quiet");
  assert.equal(changed.code, 3);
  assert.match(changed.stdout, /xor\s+stale definition/);
  assert.match(
    changed.stdout,
    /reports\/xor was produced by a different definition than experiments\/xor\.ts now holds/,
  );
});

Deno.test("shards merged give the same records as one unsharded run", async () => {
  const sandbox = await makeSandbox();
  await write(`${sandbox.experiments}/xor.ts`, xorExperiment());
  await write(`${sandbox.experiments}/other.ts`, xorExperiment({ id: "other", epochs: 12 }));
  const whole = await cliIn(sandbox, "reproduce", "--profile", "ci", "--quiet", "--store", "whole");
  assert.equal(whole.code, 0, whole.stderr);
  for (const shard of ["1/3", "2/3", "3/3"]) {
    const result = await cliIn(
      sandbox,
      "reproduce",
      "--profile",
      "ci",
      "--quiet",
      "--shard",
      shard,
      "--store",
      `shard-${shard[0]}`,
    );
    assert.equal(result.code, 0, result.stdout + result.stderr);
  }
  const merged = await cliIn(
    sandbox,
    "merge",
    "shard-1",
    "shard-2",
    "shard-3",
    "--store",
    "merged",
  );
  assert.equal(merged.code, 0, merged.stdout + merged.stderr);
  assert.match(merged.stdout, /merged 4 trials from 3 stores/);
  for (const id of ["xor", "other"]) {
    assert.equal(
      await read(`${sandbox.root}/merged/ci/${id}/metrics.json`),
      await read(`${sandbox.root}/whole/ci/${id}/metrics.json`),
    );
  }
  assert.ok(await exists(`${sandbox.root}/merged/ci/index.html`));
  const compare = await cliIn(sandbox, "compare", "merged/ci", "whole/ci");
  assert.equal(compare.code, 0);
  assert.match(compare.stdout, /2 experiments compared .*: no differences/);
});

Deno.test("compare exits non-zero where two result trees differ beyond the tolerances", async () => {
  const sandbox = await makeSandbox();
  await write(`${sandbox.experiments}/xor.ts`, xorExperiment({ seeds: [1] }));
  await cliIn(sandbox, "run", "experiments/xor.ts", "-q", "--profile", "ci", "--store", "a");
  await write(
    `${sandbox.experiments}/xor.ts`,
    xorExperiment({ seeds: [1], epochs: 41 }).replace('"train.epochs": 10', '"train.epochs": 11'),
  );
  await cliIn(sandbox, "run", "experiments/xor.ts", "-q", "--profile", "ci", "--store", "b");
  const strict = await cliIn(sandbox, "compare", "a/ci", "b/ci");
  assert.equal(strict.code, 1);
  assert.match(
    strict.stdout,
    /xor\ttrial slow seed 1\ttrainLoss\tdiffers: [\d.e-]+ against [\d.e-]+/,
  );
  const loose = await cliIn(sandbox, "compare", "a/ci", "b/ci", "--rtol", "10", "--atol", "100");
  assert.equal(loose.code, 0, loose.stdout);
});

Deno.test("an interrupted trial resumes from its checkpoint and gives the same bytes", async () => {
  const sandbox = await makeSandbox();
  await write(`${sandbox.experiments}/mnist.ts`, mnistExperiment(20)); // long enough to be killed mid-trial on a busy machine
  const reference = await cliIn(
    sandbox,
    "run",
    "experiments/mnist.ts",
    "-q",
    "--no-report",
    "--store",
    "reference",
    "--out",
    "reference-out",
  );
  assert.equal(reference.code, 0, reference.stderr);
  // Kill the run (no chance to clean up) once a checkpoint of epoch 2 or later exists.
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "-A",
      new URL("../../lib/cli/main.ts", import.meta.url).pathname,
      "run",
      "experiments/mnist.ts",
      "-q",
      "--no-report",
      "--checkpoint-every",
      "0",
      "--out",
      "resumed-out",
    ],
    cwd: sandbox.root,
    stdout: "null",
    stderr: "null",
  }).spawn();
  let epoch = 0;
  for (let i = 0; i < 600 && epoch < 2; i++) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    if (!(await exists(`${sandbox.store}/checkpoints`))) continue;
    for await (const entry of Deno.readDir(`${sandbox.store}/checkpoints`)) {
      try {
        const manifest = JSON.parse(
          await read(`${sandbox.store}/checkpoints/${entry.name}/checkpoint.json`),
        );
        epoch = manifest.epoch;
      } catch {
        // Not written yet.
      }
    }
  }
  child.kill("SIGKILL");
  await child.status;
  assert.ok(epoch >= 2 && epoch < 20, `killed after epoch ${epoch}`);
  assert.equal(await exists(`${sandbox.root}/resumed-out/metrics.json`), false);
  const resumed = await cliIn(
    sandbox,
    "run",
    "experiments/mnist.ts",
    "-q",
    "--no-report",
    "--out",
    "resumed-out",
  );
  assert.equal(resumed.code, 0, resumed.stderr);
  assert.equal(
    await read(`${sandbox.root}/resumed-out/metrics.json`),
    await read(`${sandbox.root}/reference-out/metrics.json`),
  );
  const run = JSON.parse(await read(`${sandbox.root}/resumed-out/run.json`));
  assert.ok(run.trials[0].resumedAfterEpoch >= 2, JSON.stringify(run.trials[0]));
});

Deno.test("Ctrl-C says what was kept and how to resume", async () => {
  const sandbox = await makeSandbox();
  await write(`${sandbox.experiments}/xor.ts`, xorExperiment({ epochs: 1500, seeds: [1] }));
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "-A",
      new URL("../../lib/cli/main.ts", import.meta.url).pathname,
      "run",
      "experiments/xor.ts",
      "-q",
      // One trial after the other, so that the second is still running when the first is kept.
      "--workers",
      "1",
    ],
    cwd: sandbox.root,
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  // Wait for the first trial to be stored, then interrupt the second.
  const stored = async () => {
    if (!(await exists(`${sandbox.store}/trials`))) return false;
    for (const prefix of Deno.readDirSync(`${sandbox.store}/trials`)) {
      const files = [...Deno.readDirSync(`${sandbox.store}/trials/${prefix.name}`)];
      if (files.some((file) => file.name.endsWith(".json"))) return true;
    }
    return false;
  };
  for (let i = 0; i < 1200 && !(await stored()); i++) {
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  await new Promise((resolve) => setTimeout(resolve, 300));
  child.kill("SIGINT");
  const output = await child.output();
  const stderr = new TextDecoder().decode(output.stderr);
  assert.equal(output.code, 130, stderr);
  assert.match(
    stderr,
    /interrupted: xor: kept 1 of 2 finished trials in \.runs\/trials \(slow seed 1\)/,
  );
  assert.match(
    stderr,
    /Resume with the same command: deno task run experiments\/xor\.ts -q --workers 1/,
  );
});

Deno.test("a diverging trial is marked with its step; the run goes on", async () => {
  const sandbox = await makeSandbox();
  await write(`${sandbox.experiments}/xor.ts`, xorExperiment({ secondRate: 1e38, seeds: [1] }));
  const result = await cliIn(sandbox, "run", "experiments/xor.ts", "-q", "--profile", "ci");
  assert.equal(result.code, 0, result.stderr);
  assert.match(result.stdout, /DIVERGED fast seed 1 at step \d+/);
  const metrics = JSON.parse(await read(`${sandbox.store}/ci/xor/metrics.json`));
  const fast = metrics.trials.find((trial: { variant: string }) => trial.variant === "fast");
  assert.ok(fast.diverged.step >= 1);
  assert.match(
    await read(`${sandbox.store}/ci/xor/index.html`),
    /diverged \(the loss became NaN or infinite\)/,
  );
});

Deno.test("a task that leaks tensors is reported as a defect; its trials and records are kept", async () => {
  const sandbox = await makeSandbox();
  await write(
    `${sandbox.experiments}/leaky.ts`,
    `import { z } from "zod";
import * as tf from "@tensorflow/tfjs";
import { defineExperiment, defineTask } from "${MOD}";
export const tasks = [defineTask({
  kind: "lab-leaky",
  description: "leaves a tensor behind",
  settingsSchema: z.strictObject({ size: z.number() }),
  metricNames: () => ["value"],
  requiredKernels: () => [],
  modules: () => [import.meta.url],
  runTrial: ({ settings }) => {
    tf.ones([settings.size]);
    return Promise.resolve({ final: { value: settings.size }, curve: [], artifacts: {}, timing: {} });
  },
})];
export default defineExperiment({
  id: "leaky", chapter: 1, title: "Leaky", reproduces: { claim: "c", source: "s" },
  kind: "lab-leaky", seeds: [1, 2], size: 3, variants: [{ name: "only" }],
});
`,
  );
  const result = await cliIn(sandbox, "run", "experiments/leaky.ts", "-q");
  assert.equal(result.code, 4, result.stdout + result.stderr);
  assert.match(
    result.stdout,
    /DEFECT variant only seed 1 left 1 tensors undisposed: a defect of the lab-leaky task/,
  );
  const run = JSON.parse(await read(`${sandbox.reports}/leaky/run.json`));
  assert.equal(run.defects.length, 2);
  assert.equal([...Deno.readDirSync(`${sandbox.store}/trials`)].length > 0, true);
});

Deno.test("an unwritable --out is an error before anything trains", async () => {
  const sandbox = await makeSandbox();
  await write(`${sandbox.experiments}/mnist.ts`, mnistExperiment(50));
  const started = performance.now();
  const result = await cliIn(sandbox, "run", "experiments/mnist.ts", "--out", "/proc/results");
  assert.equal(result.code, 5);
  assert.match(
    result.stderr,
    /error: \/proc\/results: expected a folder the results can be written to, but \/proc is not writable/,
  );
  assert.ok(performance.now() - started < 60_000, "it trained first");
  await Deno.mkdir(`${sandbox.reports}/history`, { recursive: true });
  await write(`${sandbox.reports}/history/config.json`, JSON.stringify({ experiment: "history" }));
  const clash = await cliIn(sandbox, "run", "experiments/mnist.ts", "--out", "reports/history");
  assert.equal(clash.code, 5);
  assert.match(clash.stderr, /found the results of "history"; choose another --out/);
});

Deno.test("a corrupt stored trial is reported and computed again, with the same result", async () => {
  const sandbox = await makeSandbox();
  await write(`${sandbox.experiments}/xor.ts`, xorExperiment({ seeds: [1] }));
  await cliIn(sandbox, "run", "experiments/xor.ts", "-q", "--profile", "ci");
  const before = await read(`${sandbox.store}/ci/xor/metrics.json`);
  for (const prefix of Deno.readDirSync(`${sandbox.store}/trials`)) {
    for (const file of Deno.readDirSync(`${sandbox.store}/trials/${prefix.name}`)) {
      const path = `${sandbox.store}/trials/${prefix.name}/${file.name}`;
      await write(path, (await read(path)).slice(0, 40));
    }
  }
  const again = await cliIn(sandbox, "run", "experiments/xor.ts", "--profile", "ci");
  assert.equal(again.code, 0);
  assert.match(again.stderr, /the stored result of slow seed 1 is unusable \(not JSON/);
  assert.equal(await read(`${sandbox.store}/ci/xor/metrics.json`), before);
});

Deno.test("a lost WebGPU device stops the run with a clear error; finished trials are kept", async () => {
  const sandbox = await makeSandbox();
  await write(
    `${sandbox.experiments}/gpu.ts`,
    `import { z } from "zod";
import * as tf from "@tensorflow/tfjs";
import { defineExperiment, defineTask } from "${MOD}";
export const tasks = [defineTask({
  kind: "lab-device",
  description: "loses the WebGPU device in its second trial",
  settingsSchema: z.strictObject({ lose: z.boolean() }),
  metricNames: () => ["sum"],
  requiredKernels: () => [],
  modules: () => [import.meta.url],
  runTrial: async ({ settings }) => {
    if (settings.lose) (tf.backend() as unknown as { device: GPUDevice }).device.destroy();
    const ones = tf.ones([4]);
    const sum = (await ones.sum().data())[0];
    tf.dispose(ones);
    return { final: { sum }, curve: [], artifacts: {}, timing: {} };
  },
})];
export default defineExperiment({
  id: "gpu", chapter: 1, title: "Device", reproduces: { claim: "c", source: "s" },
  kind: "lab-device", seeds: [1], lose: false,
  variants: [{ name: "fine" }, { name: "lost", settings: { lose: true } }],
});
`,
  );
  const result = await cliIn(sandbox, "run", "experiments/gpu.ts", "-q", "--backend", "webgpu");
  assert.equal(result.code, 4, result.stdout + result.stderr);
  assert.match(
    result.stderr,
    /variant lost seed 1 (failed because the WebGPU device was lost|: the WebGPU device was lost) \(destroyed/,
  );
  assert.match(
    result.stderr,
    /kept: gpu: kept 1 of 2 finished trials in \.runs\/trials \(fine seed 1\)/,
  );
  assert.equal(await exists(`${sandbox.reports}/gpu`), false);
});

Deno.test("trials run in parallel worker processes give the same bytes as in one process", async () => {
  const sandbox = await makeSandbox();
  await write(`${sandbox.experiments}/xor.ts`, xorExperiment({ seeds: [1, 2, 3] }));
  const one = await cliIn(
    sandbox,
    "run",
    "experiments/xor.ts",
    "-q",
    "--workers",
    "1",
    "--store",
    "one",
    "--out",
    "one-out",
    "--no-report",
  );
  assert.equal(one.code, 0, one.stderr);
  const two = await cliIn(
    sandbox,
    "run",
    "experiments/xor.ts",
    "--workers",
    "2",
    "--store",
    "two",
    "--out",
    "two-out",
    "--no-report",
  );
  assert.equal(two.code, 0, two.stderr);
  assert.match(two.stderr, /running 6 trials in 2 worker processes/);
  assert.equal(
    await read(`${sandbox.root}/two-out/metrics.json`),
    await read(`${sandbox.root}/one-out/metrics.json`),
  );
});
