import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { buildModel } from "../lib/models/build_model.ts";
import { countModel } from "../lib/models/count_model.ts";
import type { LayerSpecInput } from "../lib/models/layer_spec.ts";

tf.env().set("PROD", true);
await tf.setBackend("cpu");

/** One small model per buildable layer kind and option that changes the count. */
const BUILDABLE: [string, number[], LayerSpecInput[]][] = [
  ["dense", [7], [{ kind: "dense", units: 3 }]],
  ["dense without bias", [7], [{ kind: "dense", units: 3, bias: false }]],
  ["dense per step", [4, 7], [{ kind: "dense", units: 3 }]],
  ["conv valid", [9, 8, 3], [{ kind: "conv", filters: 4, kernel: 3, stride: 2 }]],
  ["conv same", [9, 8, 3], [{ kind: "conv", filters: 4, kernel: [3, 5], padding: "same" }]],
  ["conv numeric padding", [9, 8, 3], [{ kind: "conv", filters: 4, kernel: 3, padding: 2 }]],
  ["conv padding per axis", [9, 8, 3], [{
    kind: "conv",
    filters: 2,
    kernel: [3, 1],
    stride: 2,
    padding: [1, 0],
    bias: false,
  }]],
  ["depthwiseConv", [9, 8, 3], [{ kind: "depthwiseConv", kernel: 3, multiplier: 2 }]],
  ["depthwiseConv padded", [9, 8, 3], [{
    kind: "depthwiseConv",
    kernel: 3,
    stride: 2,
    padding: 1,
    bias: false,
  }]],
  ["pool max", [9, 8, 3], [{ kind: "pool", mode: "max", size: 2 }]],
  ["pool avg same", [9, 8, 3], [{
    kind: "pool",
    mode: "avg",
    size: 3,
    stride: 2,
    padding: "same",
  }]],
  ["globalPool image", [9, 8, 3], [{ kind: "globalPool", mode: "avg" }]],
  ["globalPool sequence", [5, 3], [{ kind: "globalPool", mode: "max" }]],
  ["flatten", [9, 8, 3], [{ kind: "flatten" }, { kind: "dense", units: 2 }]],
  ["reshape", [12], [{ kind: "reshape", shape: [2, 2, 3] }, {
    kind: "conv",
    filters: 1,
    kernel: 2,
  }]],
  ["activation", [5], [{ kind: "activation", activation: "tanh" }, { kind: "dense", units: 2 }]],
  ["dropout", [5], [{ kind: "dropout", rate: 0.3 }, { kind: "dense", units: 2 }]],
  ["batchNorm image", [4, 4, 6], [{ kind: "batchNorm" }]],
  ["batchNorm vector", [6], [{ kind: "batchNorm", momentum: 0.9 }]],
  ["residual identity", [6, 6, 4], [{
    kind: "residual",
    main: [
      { kind: "conv", filters: 4, kernel: 3, padding: "same", activation: "relu" },
      { kind: "batchNorm" },
    ],
    activation: "relu",
  }]],
  ["residual projection", [6, 6, 4], [{
    kind: "residual",
    main: [{ kind: "conv", filters: 8, kernel: 3, stride: 2, padding: 1, bias: false }],
    shortcut: [{ kind: "conv", filters: 8, kernel: 1, stride: 2, bias: false }, {
      kind: "batchNorm",
    }],
  }]],
  ["concat", [6, 6, 4], [{
    kind: "concat",
    branches: [
      [],
      [{ kind: "conv", filters: 3, kernel: 1 }],
      [{ kind: "pool", mode: "max", size: 3, stride: 1, padding: "same" }, {
        kind: "conv",
        filters: 2,
        kernel: 1,
      }],
    ],
  }]],
  ["embedding", [5], [{ kind: "embedding", vocabulary: 11, units: 4 }]],
  ...(["simple", "lstm", "gru"] as const).flatMap((cell) =>
    [false, true].map((returnSequences): [string, number[], LayerSpecInput[]] => [
      `rnn ${cell}${returnSequences ? " sequences" : ""}`,
      [5, 3],
      [{ kind: "rnn", cell, units: 4, returnSequences }],
    ])
  ),
  ["polynomial legendre", [1], [{ kind: "polynomial", degree: 4 }, { kind: "dense", units: 1 }]],
  ["polynomial monomial", [1], [{ kind: "polynomial", degree: 2, basis: "monomial" }]],
];

Deno.test("countModel counts what buildModel builds, for every buildable layer kind", () => {
  const before = tf.memory().numTensors;
  for (const [label, input, layers] of BUILDABLE) {
    const count = countModel(input, layers);
    const model = buildModel(input, layers, 1);
    assert.equal(count.parameters, model.countParams(), `${label}: parameters`);
    assert.deepEqual([null, ...count.output], model.outputs[0].shape, `${label}: output shape`);
    model.dispose();
  }
  assert.equal(tf.memory().numTensors, before);
});

Deno.test("countModel gives hand-computed multiply-adds and neurons", () => {
  const count = (input: number[], layers: LayerSpecInput[]) => {
    const { multiplyAdds, neurons, output } = countModel(input, layers);
    return { multiplyAdds, neurons, output };
  };
  // A dense layer per step: 4 steps of 7·3 weights; 4·3 outputs.
  assert.deepEqual(count([4, 7], [{ kind: "dense", units: 3 }]), {
    multiplyAdds: 4 * 7 * 3,
    neurons: 12,
    output: [4, 3],
  });
  // Padding 2 on 9x8 with a 3x3 kernel: 11x10 outputs, each 3·3·3 MACs per filter.
  assert.deepEqual(count([9, 8, 3], [{ kind: "conv", filters: 4, kernel: 3, padding: 2 }]), {
    multiplyAdds: 11 * 10 * 4 * 27,
    neurons: 11 * 10 * 4,
    output: [11, 10, 4],
  });
  // Depthwise, multiplier 2: 6 output channels of 7x6, 9 MACs each.
  assert.deepEqual(count([9, 8, 3], [{ kind: "depthwiseConv", kernel: 3, multiplier: 2 }]), {
    multiplyAdds: 7 * 6 * 6 * 9,
    neurons: 7 * 6 * 6,
    output: [7, 6, 6],
  });
  // Recurrent: 5 steps × gates × (3 inputs + 4 units) × 4 units; the state at every step.
  for (const [cell, gates] of [["simple", 1], ["lstm", 4], ["gru", 3]] as const) {
    for (const returnSequences of [false, true]) {
      assert.deepEqual(count([5, 3], [{ kind: "rnn", cell, units: 4, returnSequences }]), {
        multiplyAdds: 5 * gates * 7 * 4,
        neurons: 5 * 4,
        output: returnSequences ? [5, 4] : [4],
      }, `${cell} ${returnSequences}`);
    }
  }
  // Lookups, pooling, normalisation and polynomial features cost nothing and have no neurons.
  assert.deepEqual(
    count([6], [{ kind: "embedding", vocabulary: 10, units: 3 }, {
      kind: "globalPool",
      mode: "avg",
    }]),
    { multiplyAdds: 0, neurons: 0, output: [3] },
  );
  assert.deepEqual(count([1], [{ kind: "polynomial", degree: 5 }, { kind: "batchNorm" }]), {
    multiplyAdds: 0,
    neurons: 0,
    output: [5],
  });
});

Deno.test("countModel counts each top-level layer, nested layers inside their block", () => {
  const count = countModel([8, 8, 4], [
    { kind: "conv", filters: 4, kernel: 3, padding: "same", bias: false },
    {
      kind: "residual",
      name: "block",
      main: [{ kind: "conv", filters: 8, kernel: 3, stride: 2, padding: 1, bias: false }],
      shortcut: [{ kind: "conv", filters: 8, kernel: 1, stride: 2, bias: false }],
    },
    { kind: "globalPool", mode: "avg" },
    { kind: "dense", units: 10 },
  ]);
  assert.deepEqual(count.layers, [
    {
      name: "conv_0",
      kind: "conv",
      output: [8, 8, 4],
      parameters: 4 * 9 * 4,
      multiplyAdds: 8 * 8 * 4 * 9 * 4,
      neurons: 8 * 8 * 4,
    },
    {
      name: "block",
      kind: "residual",
      output: [4, 4, 8],
      parameters: 8 * 9 * 4 + 8 * 4,
      multiplyAdds: 4 * 4 * 8 * 9 * 4 + 4 * 4 * 8 * 4,
      neurons: 2 * 4 * 4 * 8,
    },
    {
      name: "global_pool_2",
      kind: "globalPool",
      output: [8],
      parameters: 0,
      multiplyAdds: 0,
      neurons: 0,
    },
    {
      name: "dense_3",
      kind: "dense",
      output: [10],
      parameters: 90,
      multiplyAdds: 80,
      neurons: 10,
    },
  ]);
  const total = (key: "parameters" | "multiplyAdds" | "neurons") =>
    count.layers.reduce((sum, layer) => sum + layer[key], 0);
  assert.equal(count.parameters, total("parameters"));
  assert.equal(count.multiplyAdds, total("multiplyAdds"));
  assert.equal(count.neurons, total("neurons"));
  assert.deepEqual(count.output, [10]);
});

Deno.test("countModel counts batch norm's running statistics only where asked", () => {
  const keras = countModel([5, 5, 16], [{ kind: "batchNorm" }]);
  const torch = countModel([5, 5, 16], [{ kind: "batchNorm", countsRunningStatistics: false }]);
  assert.equal(keras.parameters, 4 * 16);
  assert.equal(torch.parameters, 2 * 16);
});

Deno.test("countModel follows PyTorch's ceil mode and grouped convolutions", () => {
  // 112 → ceil((112 − 3)/2) + 1 = 56; 7 → ceil(4/2) + 1 = 3, the last window starting inside.
  assert.deepEqual(
    countModel([112, 7, 2], [{ kind: "pool", mode: "max", size: 3, stride: 2, ceilMode: true }])
      .output,
    [56, 3, 2],
  );
  const grouped = countModel([8, 8, 4], [{ kind: "conv", filters: 8, kernel: 3, groups: 2 }]);
  assert.equal(grouped.parameters, 8 * 9 * 2 + 8);
  assert.equal(grouped.multiplyAdds, 6 * 6 * 8 * 9 * 2);
});

Deno.test("countModel rejects a layer that does not fit its input, naming the layer", () => {
  const rejects = (input: number[], layers: LayerSpecInput[], message: string) =>
    assert.throws(() => countModel(input, layers), { name: "ConfigError", message });
  rejects(
    [28, 28, 1],
    [{ kind: "conv", filters: 6, kernel: 5 }, { kind: "pool", mode: "max", size: 2 }, {
      kind: "dense",
      units: 10,
    }],
    "layers[2] (dense): expected a [features] or [steps, features] input (add a flatten or globalPool layer before it), found [12, 12, 6] (an image)",
  );
  rejects(
    [784],
    [{ kind: "conv", filters: 6, kernel: 5 }],
    "layers[0] (conv): expected an image input [height, width, channels], found [784] (a vector) (a reshape layer makes one)",
  );
  rejects(
    [784],
    [{ kind: "flatten" }],
    "layers[0] (flatten): expected an image or a sequence to flatten, found [784] (a vector), which is flat already (remove the flatten layer)",
  );
  rejects(
    [8, 8, 4],
    [{ kind: "dense", units: 1 }, {
      kind: "residual",
      main: [{ kind: "flatten" }, { kind: "conv", filters: 8, kernel: 1 }],
    }],
    "layers[0] (dense): expected a [features] or [steps, features] input (add a flatten or globalPool layer before it), found [8, 8, 4] (an image)",
  );
  rejects(
    [8, 8, 4],
    [{ kind: "residual", main: [{ kind: "flatten" }, { kind: "conv", filters: 8, kernel: 1 }] }],
    "layers[0].main[1] (conv): expected an image input [height, width, channels], found [256] (a vector) (a reshape layer makes one)",
  );
  rejects(
    [8, 8, 4],
    [{ kind: "residual", main: [{ kind: "conv", filters: 8, kernel: 1 }] }],
    "layers[0] (residual): expected the shortcut to end at the main path's shape [8, 8, 8] (an image), found [8, 8, 4] (an image) (add a projection to the shortcut)",
  );
  rejects(
    [8, 8, 4],
    [{
      kind: "concat",
      branches: [[], [{ kind: "pool", mode: "max", size: 2 }]],
    }],
    "layers[0] (concat): expected every branch to end at the same shape but for the last axis, found [8, 8, 4] (an image) at branches[0] and [4, 4, 4] (an image) at branches[1]",
  );
  rejects(
    [4, 4, 1],
    [{ kind: "conv", filters: 1, kernel: 5 }],
    "layers[0] (conv): expected the kernel (5) to fit the input (4), found an output size of 0",
  );
  rejects(
    [12],
    [{ kind: "rnn", cell: "lstm", units: 3 }],
    "layers[0] (rnn): expected a [steps, features] input, found [12] (a vector) (an embedding layer, or a reshape to [steps, 1], makes one)",
  );
  rejects(
    [3, 4],
    [{ kind: "embedding", vocabulary: 10, units: 2 }],
    "layers[0] (embedding): expected a [steps] input of token indices, found [3, 4] (a sequence)",
  );
  rejects(
    [2],
    [{ kind: "polynomial", degree: 3 }],
    "layers[0] (polynomial): expected a [1] input (one scalar per example), found [2] (a vector)",
  );
  rejects(
    [12],
    [{ kind: "reshape", shape: [5, 2] }],
    "layers[0] (reshape): expected a shape with 12 elements like the input [12] (a vector), found [5, 2] with 10",
  );
  rejects(
    [8, 8, 6],
    [{ kind: "conv", filters: 8, kernel: 3, groups: 4 }],
    "layers[0] (conv): expected groups to divide the input channels and the filters, found groups 4, 6 input channels, 8 filters",
  );
  rejects(
    [28, 0],
    [],
    "input: expected a shape of 1 to 3 positive integers ([features], [steps, features] or [height, width, channels]), found [28,0]",
  );
});
