import assert from "node:assert/strict";
import { resolveExperiment } from "../lib/experiment/resolve.ts";
import { ConfigError } from "../lib/experiment/config_error.ts";
import { overridesFromYaml, parseSetArgument } from "../lib/experiment/overrides.ts";
import { taskLookup } from "../lib/tasks/registry.ts";
import cnn from "../experiments/cnn.ts";

const FILE = "experiments/cnn.ts";

function resolve(definition: unknown, options = {}) {
  return resolveExperiment(definition, FILE, taskLookup(), options);
}

function errorOf(run: () => unknown): ConfigError {
  try {
    run();
  } catch (error) {
    assert.ok(error instanceof ConfigError, `expected a ConfigError, got ${error}`);
    return error;
  }
  assert.fail("expected a ConfigError, but nothing was thrown");
}

function withChanges(changes: (definition: Record<string, unknown>) => void) {
  const copy = structuredClone(cnn) as unknown as Record<string, unknown>;
  changes(copy);
  return copy;
}

Deno.test("resolveExperiment resolves cnn's variants with defaults filled in", () => {
  const resolved = resolve(cnn);
  assert.deepEqual(resolved.variants.map((v) => v.name), ["lenet5", "mlp"]);
  assert.deepEqual(resolved.seeds, [1, 2, 3]);
  const mlp = resolved.variants[1].settings as { model: unknown; train: { epochs: number } };
  assert.deepEqual(mlp.model, {
    kind: "mlp",
    hidden: [800],
    activation: "relu",
    dropout: 0,
    batchNorm: false,
  });
  assert.equal(mlp.train.epochs, 12);
  assert.deepEqual(resolved.header.expect[0], {
    variant: "lenet5",
    metric: "testErrorPercent",
    published: 0.95,
    source: "LeCun et al. 1998, Fig. 9 (LeNet-5, no distortions)",
    bounds: { full: { atMost: 1.2 }, ci: { atMost: 3 }, smoke: { atMost: 30 } },
  });
});

Deno.test("resolveExperiment applies a profile, then --config, then --set, then --seed", () => {
  const resolved = resolve(cnn, {
    profile: "ci",
    overrides: [
      ...overridesFromYaml("train:\n  epochs: 4\n  batchSize: 32\n", "my.yaml"),
      parseSetArgument("train.epochs=3"),
    ],
    seeds: [7],
  });
  const settings = resolved.variants[0].settings as {
    data: { trainSize: number };
    train: { epochs: number; batchSize: number };
  };
  assert.equal(settings.data.trainSize, 20_000);
  assert.equal(settings.train.epochs, 3);
  assert.equal(settings.train.batchSize, 32);
  assert.deepEqual(resolved.seeds, [7]);
  assert.deepEqual(resolved.overrides.map((o) => o.from), [
    "profile ci",
    "profile ci",
    "profile ci",
    "my.yaml",
    "my.yaml",
    "--set",
    "--seed",
  ]);
});

Deno.test("resolveExperiment lets an override reach a variant's own setting", () => {
  const resolved = resolve(cnn, { overrides: [parseSetArgument("model.hidden=[300, 100]")] });
  const mlp = resolved.variants[1].settings as { model: { hidden: number[] } };
  assert.deepEqual(mlp.model.hidden, [300, 100]);
  const viaVariant = resolve(cnn, {
    overrides: [parseSetArgument("variants.mlp.settings.model.activation=tanh")],
  });
  assert.equal(
    (viaVariant.variants[1].settings as { model: { activation: string } }).model.activation,
    "tanh",
  );
});

Deno.test("resolveExperiment rejects a wrong type with file, path, expected and found", () => {
  const error = errorOf(() => resolve(cnn, { overrides: [parseSetArgument("train.epochs=-1")] }));
  assert.equal(
    error.problems[0],
    "experiments/cnn.ts: variant lenet5: train.epochs: expected >= 1, found -1 (after overrides from --set)",
  );
  const text = errorOf(() =>
    resolve(cnn, { overrides: [parseSetArgument("train.batchSize=big")] })
  );
  assert.match(text.message, /train\.batchSize: expected a number, found "big" \(a string\)/);
});

Deno.test("resolveExperiment rejects an unknown override key and suggests the nearest", () => {
  const error = errorOf(() => resolve(cnn, { overrides: [parseSetArgument("train.epoch=3")] }));
  assert.equal(
    error.message,
    '--set train.epoch: experiments/cnn.ts has no setting "train.epoch" (did you mean "train.epochs"?)',
  );
});

Deno.test("resolveExperiment rejects a misspelt key in the definition, naming the nearest", () => {
  const error = errorOf(() =>
    resolve(withChanges((d) => {
      (d.train as Record<string, unknown>).batchsize = 32;
    }))
  );
  assert.match(
    error.problems[0],
    /^experiments\/cnn\.ts: variant lenet5: train\.batchsize: unknown key \(did you mean "batchSize"\?\)/,
  );
});

Deno.test("resolveExperiment suggests a header key for a misspelt top-level key", () => {
  const error = errorOf(() =>
    resolve(withChanges((d) => {
      d.seed = d.seeds;
    }))
  );
  assert.match(
    error.message,
    /^experiments\/cnn\.ts: seed: unknown key \(did you mean "seeds"\?\)/,
  );
});

Deno.test("resolveExperiment rejects an unknown enum value with the choices", () => {
  const error = errorOf(() =>
    resolve(cnn, { overrides: [parseSetArgument("train.optimizer.kind=adma")] })
  );
  assert.match(
    error.problems[0],
    /train\.optimizer\.kind: expected one of "sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adam", found "adma" \(a string\) \(did you mean "adam"\?\)/,
  );
});

Deno.test("resolveExperiment rejects a bad header before anything else", () => {
  const error = errorOf(() => resolve(withChanges((d) => (d.chapter = 13))));
  assert.equal(error.problems[0], "experiments/cnn.ts: chapter: expected <= 12, found 13");
  const kind = errorOf(() => resolve(withChanges((d) => (d.kind = "fitt"))));
  assert.equal(
    kind.message,
    'experiments/cnn.ts: kind: expected one of "fit", "minimize", "compute" (or a kind the file exports in `tasks`), found "fitt" (did you mean "fit"?)',
  );
});

Deno.test("resolveExperiment checks expectations name a variant, a metric and a profile", () => {
  const error = errorOf(() =>
    resolve(withChanges((d) => {
      const expect = d.expect as Record<string, unknown>[];
      expect[0].variant = "lenet";
      expect[1].metric = "testError";
      expect[1].profiles = { cl: { atMost: 1 } };
    }))
  );
  assert.deepEqual(error.problems, [
    'experiments/cnn.ts: expect[0].variant: expected a variant that runs (lenet5, mlp), found "lenet" (did you mean "lenet5"?)',
    'experiments/cnn.ts: expect[1].metric: expected a metric that variant mlp reports (trainLoss, steps, parameters, testLoss, testErrorPercent), found "testError" (did you mean "testErrorPercent"?)',
    'experiments/cnn.ts: expect[1].profiles.cl: expected a profile of this experiment (ci, smoke), found "cl" (did you mean "ci"?)',
  ]);
});

Deno.test("resolveExperiment rejects an unknown profile, variant or header override", () => {
  assert.equal(
    errorOf(() => resolve(cnn, { profile: "smok" })).message,
    '--profile smok: experiments/cnn.ts has no such profile (did you mean "smoke"?); profiles: full, ci, smoke',
  );
  assert.equal(
    errorOf(() => resolve(cnn, { variants: ["lenet"] })).message,
    '--variant lenet: experiments/cnn.ts has no such variant or sweep (did you mean "lenet5"?); variants: lenet5, mlp',
  );
  assert.match(
    errorOf(() => resolve(cnn, { overrides: [parseSetArgument("title=x")] })).message,
    /"title" describes the experiment and cannot be overridden/,
  );
});

Deno.test("resolveExperiment rejects a file without a default export", () => {
  assert.equal(
    errorOf(() => resolve(undefined)).message,
    "experiments/cnn.ts: expected a default export made with defineExperiment({...}), found no default export",
  );
});

Deno.test("parseSetArgument reads values as YAML and rejects a missing '='", () => {
  assert.deepEqual(parseSetArgument("seeds=[1, 2]").value, [1, 2]);
  assert.equal(parseSetArgument("train.optimizer.kind=sgd").value, "sgd");
  assert.equal(
    errorOf(() => parseSetArgument("train.epochs")).message,
    '--set train.epochs: expected key=value (e.g. --set train.epochs=3), found no "="',
  );
});

Deno.test("overridesFromYaml rejects a file that is not a mapping", () => {
  assert.equal(
    errorOf(() => overridesFromYaml("- 1\n- 2\n", "my.yaml")).message,
    'my.yaml: expected a mapping of settings (e.g. "train:\\n  epochs: 3"), found an array of 2',
  );
});

Deno.test("resolveExperiment rejects a seed given twice, from --seed or the definition", () => {
  assert.equal(
    errorOf(() => resolve(cnn, { seeds: [1, 2, 2] })).message,
    "--seed: expected each seed once, found 2 given more than once (a repeated seed would count its trial twice in the mean and spread)",
  );
  assert.match(
    errorOf(() => resolve(withChanges((d) => (d.seeds = [3, 3])))).message,
    /^experiments\/cnn\.ts: seeds: expected each seed once, found 3 listed more than once/,
  );
});

Deno.test("resolveExperiment names the valid kinds for an unknown model kind", () => {
  assert.match(
    errorOf(() => resolve(cnn, { overrides: [parseSetArgument("model.kind=foo")] })).problems[0],
    /^experiments\/cnn\.ts: variant lenet5: model\.kind: expected one of "layers", "mlp", "lenet5", "linear"(, "[a-z0-9]+")*, found "foo" \(a string\) \(after overrides from --set\)$/,
  );
});

Deno.test("resolveExperiment expands a sweep over template variants into named points", () => {
  const swept = withChanges((d) => {
    d.expect = (d.expect as unknown[]).slice(0, 1);
    d.sweeps = [{
      name: "lr",
      variants: ["mlp"],
      grid: { "train.optimizer.learningRate": [0.01, 0.001] },
    }];
  });
  const resolved = resolve(swept);
  assert.deepEqual(resolved.variants.map((v) => v.name), ["lenet5", "mlp-0p01", "mlp-0p001"]);
  const point = resolved.variants[1];
  assert.equal(
    (point.settings as { train: { optimizer: { learningRate: number } } }).train.optimizer
      .learningRate,
    0.01,
  );
  assert.equal(point.label, "MLP 784-800-10, learningRate 0.01");
  assert.deepEqual(resolved.header.sweeps?.[0].variants, ["mlp-0p01", "mlp-0p001"]);
  assert.deepEqual(
    resolved.variants.map((v) => v.name),
    resolve(swept).variants.map((v) => v.name),
  );
  // An override of the swept setting would do nothing: it is an error that says what to change.
  assert.match(
    errorOf(() =>
      resolve(swept, { overrides: [parseSetArgument("train.optimizer.learningRate=0.1")] })
    ).message,
    /sweep lr varies this setting, so the override would have no effect; change the sweep instead/,
  );
  // --variant may name a sweep: all its points run.
  assert.deepEqual(resolve(swept, { variants: ["lr"] }).variants.map((v) => v.name), [
    "mlp-0p01",
    "mlp-0p001",
  ]);
});

Deno.test("resolveExperiment draws a random sweep's points from the root seed, reproducibly", () => {
  const random = (seeds: number[]) =>
    resolve(withChanges((d) => {
      d.seeds = seeds;
      d.expect = [];
      d.sweeps = [{
        name: "search",
        variants: ["mlp"],
        random: {
          count: 4,
          space: { "train.optimizer.learningRate": { logUniform: [1e-4, 1e-1] } },
        },
      }];
    }));
  const rates = (seeds: number[]) =>
    random(seeds).variants.slice(1).map((v) =>
      (v.settings as { train: { optimizer: { learningRate: number } } }).train.optimizer
        .learningRate
    );
  assert.deepEqual(rates([1]), rates([1]));
  assert.notDeepEqual(rates([1]), rates([2]));
  for (const rate of rates([1])) assert.ok(rate >= 1e-4 && rate <= 1e-1, String(rate));
  assert.deepEqual(random([1]).variants.slice(1).map((v) => v.name), [
    "mlp-1",
    "mlp-2",
    "mlp-3",
    "mlp-4",
  ]);
});

Deno.test("resolveExperiment checks comparative and derived expectations' references", () => {
  const error = errorOf(() =>
    resolve(withChanges((d) => {
      d.expect = [
        { kind: "beats", metric: "testErrorPercent", better: "lenet", worse: "mlp", source: "s" },
        {
          kind: "derived",
          name: "slope",
          quantity: { kind: "slope", metric: "testErrorPercent", sweep: "depth" },
          atMost: 0,
          source: "s",
        },
        { kind: "better", source: "s" },
      ];
    }))
  );
  assert.deepEqual(error.problems, [
    'experiments/cnn.ts: expect[0].better.variant: expected a variant that runs (lenet5, mlp), found "lenet" (did you mean "lenet5"?)',
    'experiments/cnn.ts: expect[1].quantity.sweep: expected a sweep of this experiment (none defined), found "depth"',
    'experiments/cnn.ts: expect[2].kind: expected one of "value", "beats", "derived", found "better"',
  ]);
});

Deno.test("resolveExperiment checks a search's best point names sweeps and a metric that exist", () => {
  const error = errorOf(() =>
    resolve(withChanges((d) => {
      d.expect = [{
        kind: "beats",
        better: { sweeps: ["lr", "lrx"], metric: "testErrorPercent", reduce: "min", first: 5 },
        worse: "lenet5",
        metric: "testErrorPercent",
        source: "s",
      }];
      d.sweeps = [{
        name: "lr",
        variants: ["mlp"],
        grid: { "train.optimizer.learningRate": [0.01, 0.001] },
      }];
    }))
  );
  assert.deepEqual(error.problems, [
    "experiments/cnn.ts: expect[0].better.first: expected at most the 2 points of sweep lr, found 5",
    'experiments/cnn.ts: expect[0].better.sweeps[1]: expected a sweep of this experiment (lr), found "lrx" (did you mean "lr"?)',
  ]);
});
