import assert from "node:assert/strict";

async function cli(...args: string[]) {
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "lib/cli/main.ts", ...args],
    stdout: "piped",
    stderr: "piped",
    env: { NO_COLOR: "1" },
  }).output();
  const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
  return { code: output.code, stdout: decode(output.stdout), stderr: decode(output.stderr) };
}

Deno.test("cli run rejects a misspelt override before training, with exit code 2", async () => {
  const { code, stderr } = await cli("run", "experiments/cnn.ts", "--set", "train.epoch=3");
  assert.equal(code, 2);
  assert.equal(
    stderr.trim(),
    'error: --set train.epoch: experiments/cnn.ts has no setting "train.epoch" (did you mean "train.epochs"?)',
  );
});

Deno.test("cli run names a missing experiment file and a bad --config file", async () => {
  const missing = await cli("run", "experiments/nope.ts");
  assert.equal(missing.code, 2);
  assert.match(
    missing.stderr,
    /experiments\/nope\.ts: expected an experiment file \(e\.g\. experiments\/cnn\.ts\), found nothing at that path/,
  );
  const directory = await Deno.makeTempDir();
  await Deno.writeTextFile(`${directory}/bad.yaml`, "train:\n  epochs: [1\n");
  const badYaml = await cli("run", "experiments/cnn.ts", "--config", `${directory}/bad.yaml`);
  assert.equal(badYaml.code, 2);
  assert.match(
    badYaml.stderr,
    new RegExp(`${directory}/bad.yaml: expected valid YAML, found an error`),
  );
  await Deno.writeTextFile(`${directory}/typed.yaml`, "train:\n  batchSize: many\n");
  const typed = await cli("run", "experiments/cnn.ts", "--config", `${directory}/typed.yaml`);
  assert.equal(typed.code, 2);
  assert.match(typed.stderr, /train\.batchSize: expected a number, found "many" \(a string\)/);
});

Deno.test("cli run rejects a bad --seed, an unknown --backend and a bad --threads", async () => {
  const seed = await cli("run", "experiments/cnn.ts", "--seed", "-1");
  assert.equal(seed.code, 2);
  const backend = await cli("run", "experiments/cnn.ts", "--backend", "cuda");
  assert.equal(backend.code, 2);
  assert.match(backend.stderr, /Allowed choices are auto, webgpu, wasm, cpu/);
  for (const threads of ["0", "9", "1.5", "two"]) {
    const bad = await cli("run", "experiments/cnn.ts", "--threads", threads);
    assert.equal(bad.code, 2, threads);
    assert.match(
      bad.stderr,
      new RegExp(
        `option '--threads <n>' argument '${threads}' is invalid\\. expected an integer from 1 to 8, found "${threads}"`,
      ),
    );
  }
});

Deno.test("cli run trains the smoke profile and prints the verdicts", async () => {
  const directory = await Deno.makeTempDir({ prefix: "cli_run_" });
  const { code, stdout, stderr } = await cli(
    "run",
    "experiments/cnn.ts",
    "--profile",
    "smoke",
    "--set",
    "train.readbackEvery=5",
    "--backend",
    "wasm",
    "--threads",
    "2",
    "--out",
    directory,
    // Train even when an earlier run left these trials in the project's store.
    "--no-cache",
  );
  assert.equal(code, 0, stderr);
  assert.match(stderr, /backend: wasm on 2 threads \(requested with --backend wasm[;)]/);
  assert.match(stderr, /lenet5 seed 1: epoch 1\/1 trainLoss/);
  assert.match(stdout, /^PASS lenet5 testErrorPercent /m);
  // The comparison needs more training than smoke gives: the profile skips it, and says so.
  assert.match(
    stdout,
    /^NOT CHECKED lenet5 beats mlp on testErrorPercent \(skipped in profile smoke\)$/m,
  );
  assert.match(
    stdout,
    new RegExp(
      `cnn \\[smoke, wasm(\\+openblas)?\\]: reproduced \\(2 of 3 expectations checked\\) -> ${directory}/`,
    ),
  );
  const config = JSON.parse(await Deno.readTextFile(`${directory}/config.json`));
  assert.deepEqual(config.overrides.at(-1), {
    from: "--set",
    path: "train.readbackEvery",
    value: 5,
  });
  assert.ok((await Deno.stat(`${directory}/index.html`)).isFile);
});

Deno.test("cli run with --variant says which expectations it did not check", async () => {
  const directory = await Deno.makeTempDir({ prefix: "cli_partial_" });
  const { code, stdout } = await cli(
    "run",
    "experiments/cnn.ts",
    "--profile",
    "smoke",
    "--variant",
    "mlp",
    "--backend",
    "wasm",
    "--quiet",
    "--out",
    directory,
  );
  assert.equal(code, 0);
  assert.match(
    stdout,
    /^NOT CHECKED lenet5 testErrorPercent \(variant not run; published 0\.95\)$/m,
  );
  assert.match(stdout, /reproduced \(1 of 3 expectations checked\)/);
});

Deno.test("cli run writes byte-identical metrics.json on 1 and 2 wasm threads", async () => {
  const metrics: string[] = [];
  for (const threads of [1, 2]) {
    const directory = await Deno.makeTempDir({ prefix: `cli_threads${threads}_` });
    const { code, stderr } = await cli(
      "run",
      "experiments/cnn.ts",
      "--profile",
      "smoke",
      "--variant",
      "lenet5",
      "--backend",
      "wasm",
      "--threads",
      String(threads),
      "--no-report",
      "--out",
      directory,
      // A store of its own: the second run must compute the trial, not take it from the first.
      "--store",
      await Deno.makeTempDir({ prefix: "cli_store_" }),
    );
    assert.equal(code, 0, stderr);
    const run = JSON.parse(await Deno.readTextFile(`${directory}/run.json`));
    assert.equal(run.backend.threads, threads);
    metrics.push(await Deno.readTextFile(`${directory}/metrics.json`));
  }
  assert.ok(metrics[0].includes('"testErrorPercent"'));
  assert.equal(metrics[1], metrics[0]);
});
