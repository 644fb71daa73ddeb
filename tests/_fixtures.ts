/**
 * Small experiment files written to a temporary folder, for tests of the run store, reproduce,
 * merge and failure modes. They import the framework by absolute URL, so they run from anywhere.
 *
 * @module
 */

const MOD = new URL("../mod.ts", import.meta.url).href;

/** A temporary project: an experiments folder, a store and a published-results folder. */
export interface Sandbox {
  /** The root. */
  root: string;
  /** Where experiment files go. */
  experiments: string;
  /** The run store. */
  store: string;
  /** Where published results go. */
  reports: string;
}

/**
 * Makes an empty sandbox.
 *
 * @returns Its folders (created).
 */
export async function makeSandbox(): Promise<Sandbox> {
  const root = await Deno.makeTempDir({ prefix: "sandbox_" });
  const sandbox = {
    root,
    experiments: `${root}/experiments`,
    store: `${root}/.runs`,
    reports: `${root}/reports`,
  };
  await Deno.mkdir(sandbox.experiments);
  return sandbox;
}

/** Options of {@linkcode xorExperiment}. */
export interface XorOptions {
  /** Experiment id. */
  id?: string;
  /** Epochs. */
  epochs?: number;
  /** Seeds. */
  seeds?: number[];
  /** Learning rate of the second variant (a huge one diverges). */
  secondRate?: number;
}

/**
 * A fast `fit` experiment on XOR's four points, two variants.
 *
 * @param options Id, epochs, seeds.
 * @returns The file's text.
 */
export function xorExperiment(options: XorOptions = {}): string {
  return `import { defineExperiment } from "${MOD}";
export default defineExperiment({
  id: "${options.id ?? "xor"}",
  chapter: 5,
  title: "XOR with a small MLP",
  reproduces: { claim: "a hidden layer solves XOR", source: "Goodfellow et al. 2016, 6.1" },
  kind: "fit",
  seeds: ${JSON.stringify(options.seeds ?? [1, 2])},
  data: { kind: "xorTable", target: "labels" },
  model: { kind: "layers", layers: [{ kind: "dense", units: 8, activation: "tanh" }, { kind: "dense", units: 2 }] },
  train: { epochs: ${
    options.epochs ?? 40
  }, batchSize: 4, optimizer: { kind: "adam", learningRate: 0.05 }, readbackEvery: 5 },
  variants: [
    { name: "slow" },
    { name: "fast", settings: { train: { optimizer: { kind: "sgd", learningRate: ${
    options.secondRate ?? 0.5
  } } } } },
  ],
  profiles: { ci: { "train.epochs": 10, seeds: [1] } },
  expect: [{ variant: "slow", metric: "testErrorPercent", published: 0, source: "the truth table", atMost: 100 }],
});
`;
}

/**
 * A `fit` experiment long enough to interrupt: a small MLP on 2,000 MNIST images, one seed.
 *
 * @param epochs Epochs.
 * @returns The file's text.
 */
export function mnistExperiment(epochs: number): string {
  return `import { defineExperiment } from "${MOD}";
export default defineExperiment({
  id: "mnist-small",
  chapter: 6,
  title: "A small MLP on part of MNIST",
  reproduces: { claim: "an MLP learns digits", source: "LeCun et al. 1998" },
  kind: "fit",
  seeds: [1],
  data: { kind: "mnist", trainSize: 3000, testSize: 500 },
  model: { kind: "mlp", hidden: [64], dropout: 0.2 },
  train: { epochs: ${epochs}, batchSize: 32, optimizer: { kind: "adam", learningRate: 0.002 }, readbackEvery: 20 },
  variants: [{ name: "mlp" }],
});
`;
}

/**
 * Runs the command line in a sandbox: the project's CLI, from the sandbox's root.
 *
 * @param sandbox The sandbox.
 * @param args Arguments after `lib/cli/main.ts`.
 * @returns Exit code and output.
 */
export async function cliIn(
  sandbox: Sandbox,
  ...args: string[]
): Promise<{ code: number; stdout: string; stderr: string }> {
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", new URL("../lib/cli/main.ts", import.meta.url).pathname, ...args],
    cwd: sandbox.root,
    stdout: "piped",
    stderr: "piped",
    env: { NO_COLOR: "1" },
  }).output();
  const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
  return { code: output.code, stdout: decode(output.stdout), stderr: decode(output.stderr) };
}
