import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { buildModel } from "../lib/models/build_model.ts";
import type { LayerSpecInput } from "../lib/models/layer_spec.ts";
import { modelKernels } from "../lib/models/model_kernels.ts";

tf.env().set("PROD", true);
await tf.setBackend("cpu");

/**
 * Kernels that compute each output element from the input elements at the same position (after
 * broadcasting), or make constants: every backend has them, so modelKernels leaves them out.
 */
const ELEMENTWISE = new Set([
  "Abs",
  "Add",
  "AddN",
  "Cast",
  "ClipByValue",
  "Equal",
  "Exp",
  "Fill",
  "Greater",
  "GreaterEqual",
  "Identity",
  "Less",
  "LessEqual",
  "Log",
  "Maximum",
  "Minimum",
  "Multiply",
  "Neg",
  "NotEqual",
  "OnesLike",
  "Pow",
  "RealDiv",
  "Reciprocal",
  "Relu",
  "Rsqrt",
  "Select",
  "Sigmoid",
  "Sign",
  "Sqrt",
  "Square",
  "SquaredDifference",
  "Step",
  "Sub",
  "Tanh",
  "ZerosLike",
]);

/**
 * The kernels a forward pass in inference, then a forward and backward pass in training (the
 * gradients of every weight and of the input, as a layer deep in a model needs), dispatch.
 * tf.profile also lists fused ops' own entries (`fusedMatMul__op`); they are not kernels.
 */
async function dispatchedKernels(input: number[], layers: LayerSpecInput[]): Promise<string[]> {
  const model = buildModel(input, layers, 1);
  const tokens = layers[0].kind === "embedding";
  const x = tokens
    ? tf.tensor2d([[1, 2, 3, 4, 0], [5, 6, 7, 8, 1]].map((row) => row.slice(0, input[0])))
    : tf.variable(tf.randomNormal([2, ...input], 0, 1, "float32", 5));
  const names = new Set<string>();
  const inference = await tf.profile(() => {
    (model.apply(x, { training: false }) as tf.Tensor).dispose();
  });
  inference.kernelNames.forEach((name) => names.add(name));
  const training = await tf.profile(() => {
    const variables = model.trainableWeights.map((weight) => weight.read() as tf.Variable);
    const { value, grads } = tf.engine().gradients(
      () => model.apply(x, { training: true }) as tf.Tensor,
      tokens ? variables : [...variables, x as tf.Variable],
      undefined,
      true,
    );
    tf.dispose([value, ...grads.filter((gradient) => gradient != null)]);
  });
  training.kernelNames.forEach((name) => names.add(name));
  x.dispose();
  model.dispose();
  return [...names].filter((name) => !ELEMENTWISE.has(name) && !name.endsWith("__op")).sort();
}

/** Each layer kind on its own, with each option that changes the kernels. */
const SINGLE_LAYERS: [number[], LayerSpecInput][] = [
  [[5], { kind: "dense", units: 3, activation: "relu" }],
  [[5], { kind: "dense", units: 3, bias: false }],
  [[4, 5], { kind: "dense", units: 3, activation: "tanh" }],
  [[4, 5], { kind: "dense", units: 3 }],
  [[6, 6, 2], { kind: "conv", filters: 2, kernel: 3, activation: "relu" }],
  [[6, 6, 2], { kind: "conv", filters: 2, kernel: 3, padding: "same" }],
  [[6, 6, 2], { kind: "conv", filters: 2, kernel: 3, stride: 2, padding: [1, 2] }],
  [[6, 6, 2], { kind: "depthwiseConv", kernel: 3, activation: "relu" }],
  [[6, 6, 2], { kind: "depthwiseConv", kernel: 3, multiplier: 2, padding: 1 }],
  [[6, 6, 2], { kind: "pool", mode: "max", size: 2 }],
  [[6, 6, 2], { kind: "pool", mode: "avg", size: 3, stride: 2, padding: "same" }],
  [[6, 6, 2], { kind: "globalPool", mode: "max" }],
  [[6, 6, 2], { kind: "globalPool", mode: "avg" }],
  [[4, 3], { kind: "globalPool", mode: "max" }],
  [[4, 3], { kind: "globalPool", mode: "avg" }],
  [[6, 6, 2], { kind: "flatten" }],
  [[6, 6, 2], { kind: "reshape", shape: [12, 6] }],
  [[5], { kind: "activation", activation: "sigmoid" }],
  [[5], { kind: "dropout", rate: 0.5 }],
  [[6, 6, 2], { kind: "batchNorm" }],
  [[4, 5], { kind: "batchNorm" }],
  [[5], { kind: "residual", main: [{ kind: "activation", activation: "tanh" }] }],
  [[5], {
    kind: "residual",
    main: [{ kind: "dense", units: 2 }],
    shortcut: [{ kind: "dense", units: 2 }],
    activation: "relu",
  }],
  [[6, 6, 2], { kind: "concat", branches: [[], [{ kind: "pool", mode: "max", size: 1 }]] }],
  [[4], { kind: "embedding", vocabulary: 9, units: 3 }],
  [[4, 3], { kind: "rnn", cell: "simple", units: 2 }],
  [[4, 3], { kind: "rnn", cell: "simple", units: 2, returnSequences: true }],
  [[4, 3], { kind: "rnn", cell: "lstm", units: 2 }],
  [[4, 3], { kind: "rnn", cell: "gru", units: 2, returnSequences: true }],
  [[1], { kind: "polynomial", degree: 3 }],
  [[1], { kind: "polynomial", degree: 3, basis: "monomial" }],
];

/** Models with every layer kind together. */
const FULL_MODELS: [number[], LayerSpecInput[]][] = [
  [[8, 8, 2], [
    { kind: "conv", filters: 4, kernel: 3, padding: 1, activation: "relu" },
    { kind: "depthwiseConv", kernel: 3, padding: "same", multiplier: 2 },
    { kind: "batchNorm" },
    { kind: "pool", mode: "max", size: 2 },
    {
      kind: "residual",
      main: [{ kind: "conv", filters: 8, kernel: 3, padding: "same", activation: "relu" }],
      activation: "relu",
    },
    {
      kind: "residual",
      main: [{ kind: "conv", filters: 6, kernel: 3, stride: 2, padding: "same" }],
      shortcut: [{ kind: "conv", filters: 6, kernel: 1, stride: 2 }],
    },
    {
      kind: "concat",
      branches: [[], [{ kind: "conv", filters: 2, kernel: 1 }], [{
        kind: "pool",
        mode: "avg",
        size: 2,
        stride: 1,
        padding: "same",
      }]],
    },
    { kind: "globalPool", mode: "max" },
    { kind: "dropout", rate: 0.3 },
    { kind: "dense", units: 6, activation: "relu" },
    { kind: "reshape", shape: [3, 2] },
    { kind: "dense", units: 4 },
    { kind: "flatten" },
    { kind: "activation", activation: "tanh" },
    { kind: "dense", units: 2 },
  ]],
  [[5], [
    { kind: "embedding", vocabulary: 9, units: 3 },
    { kind: "rnn", cell: "lstm", units: 4, returnSequences: true },
    { kind: "rnn", cell: "gru", units: 3, returnSequences: true },
    { kind: "rnn", cell: "simple", units: 2, returnSequences: true },
    { kind: "globalPool", mode: "avg" },
    { kind: "dense", units: 1 },
  ]],
  [[1], [{ kind: "polynomial", degree: 4 }, { kind: "dense", units: 1 }]],
];

Deno.test("modelKernels covers every kernel each layer kind dispatches, forward and backward", async () => {
  for (const [input, layer] of SINGLE_LAYERS) {
    const dispatched = await dispatchedKernels(input, [layer]);
    const listed = modelKernels([layer]);
    const missing = dispatched.filter((name) => !listed.includes(name));
    assert.deepEqual(missing, [], `${JSON.stringify(layer)} dispatched ${dispatched}`);
  }
});

Deno.test("modelKernels covers every kernel of models with every layer kind", async () => {
  const allDispatched = new Set<string>();
  const allListed = new Set<string>();
  for (const [input, layers] of FULL_MODELS) {
    const dispatched = await dispatchedKernels(input, layers);
    const listed = modelKernels(layers);
    assert.deepEqual(dispatched.filter((name) => !listed.includes(name)), [], `[${input}] model`);
    dispatched.forEach((name) => allDispatched.add(name));
    listed.forEach((name) => allListed.add(name));
  }
  // Nothing listed that these models never dispatch: the lists name real, needed kernels.
  assert.deepEqual([...allListed].filter((name) => !allDispatched.has(name)), []);
  for (const name of allListed) assert.ok(tf.getKernel(name, "cpu"), `${name} is a cpu kernel`);
});

Deno.test("modelKernels names the backward kernels backend choice must check", () => {
  assert.deepEqual(
    modelKernels([
      { kind: "conv", filters: 6, kernel: 5, padding: "same", activation: "relu" },
      { kind: "pool", mode: "max", size: 2 },
      { kind: "flatten" },
      { kind: "dense", units: 10 },
    ]),
    [
      "BatchMatMul",
      "Conv2D",
      "Conv2DBackpropFilter",
      "Conv2DBackpropInput",
      "FusedConv2D",
      "MaxPool",
      "MaxPoolGrad",
      "Reshape",
      "Sum",
      "Transpose",
      "_FusedMatMul",
    ],
  );
  const embedding = modelKernels([{ kind: "embedding", vocabulary: 5, units: 2 }]);
  assert.ok(embedding.includes("UnsortedSegmentSum") && embedding.includes("GatherV2"));
  const depthwise = modelKernels([{ kind: "depthwiseConv", kernel: 3 }]);
  assert.ok(depthwise.includes("DepthwiseConv2dNativeBackpropFilter"));
  assert.deepEqual(modelKernels([{ kind: "activation", activation: "relu" }]), []);
});
