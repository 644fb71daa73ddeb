import assert from "node:assert/strict";
import { ConfigError } from "../lib/experiment/config_error.ts";
import {
  LAYER_KINDS,
  type LayerSpec,
  layerSpecSchema,
  nameLayers,
  parseLayers,
} from "../lib/models/layer_spec.ts";

Deno.test("layerSpecSchema fills in every default", () => {
  assert.deepEqual(layerSpecSchema.parse({ kind: "dense", units: 3 }), {
    kind: "dense",
    units: 3,
    activation: "linear",
    bias: true,
  });
  assert.deepEqual(layerSpecSchema.parse({ kind: "conv", filters: 2, kernel: [3, 1] }), {
    kind: "conv",
    filters: 2,
    kernel: [3, 1],
    stride: 1,
    padding: "valid",
    activation: "linear",
    bias: true,
    groups: 1,
  });
  assert.deepEqual(layerSpecSchema.parse({ kind: "depthwiseConv", kernel: 3 }), {
    kind: "depthwiseConv",
    kernel: 3,
    stride: 1,
    padding: "valid",
    multiplier: 1,
    activation: "linear",
    bias: true,
  });
  // A pool's stride defaults to its size; an explicit one is kept.
  assert.deepEqual(layerSpecSchema.parse({ kind: "pool", mode: "max", size: 3 }), {
    kind: "pool",
    mode: "max",
    size: 3,
    stride: 3,
    padding: "valid",
    ceilMode: false,
  });
  assert.equal(
    (layerSpecSchema.parse({ kind: "pool", mode: "avg", size: 3, stride: 1 }) as { stride: number })
      .stride,
    1,
  );
  assert.deepEqual(layerSpecSchema.parse({ kind: "batchNorm" }), {
    kind: "batchNorm",
    momentum: 0.99,
    epsilon: 0.001,
    countsRunningStatistics: true,
  });
  assert.deepEqual(layerSpecSchema.parse({ kind: "rnn", cell: "gru", units: 4 }), {
    kind: "rnn",
    cell: "gru",
    units: 4,
    returnSequences: false,
    unitForgetBias: false,
  });
  assert.deepEqual(layerSpecSchema.parse({ kind: "polynomial", degree: 3 }), {
    kind: "polynomial",
    degree: 3,
    basis: "legendre",
  });
});

Deno.test("layerSpecSchema parses nested layers and fills their defaults", () => {
  const residual = layerSpecSchema.parse({
    kind: "residual",
    name: "block",
    main: [{ kind: "dense", units: 2 }],
  });
  assert.deepEqual(residual, {
    kind: "residual",
    name: "block",
    main: [{ kind: "dense", units: 2, activation: "linear", bias: true }],
    shortcut: [],
    activation: "linear",
  });
  const concat = layerSpecSchema.parse({
    kind: "concat",
    branches: [[], [{ kind: "pool", mode: "avg", size: 2 }]],
  });
  assert.deepEqual(concat, {
    kind: "concat",
    branches: [[], [{
      kind: "pool",
      mode: "avg",
      size: 2,
      stride: 2,
      padding: "valid",
      ceilMode: false,
    }]],
  });
});

Deno.test("parseLayers names the valid kinds for an unknown one and suggests the nearest", () => {
  assert.throws(() => parseLayers([{ kind: "dense", units: 1 }, { kind: "dens", units: 3 }]), {
    name: "ConfigError",
    message: `layers[1]: expected kind to be one of ${
      LAYER_KINDS.join(", ")
    }, found "dens" (a string) (did you mean "dense"?)`,
  });
  assert.equal(LAYER_KINDS.length, 15);
  assert.ok(LAYER_KINDS.includes("polynomial") && LAYER_KINDS.includes("rnn"));
});

Deno.test("parseLayers names a missing required field and the layer's path and kind", () => {
  assert.throws(() => parseLayers([{ kind: "flatten" }, { kind: "dense" }]), {
    name: "ConfigError",
    message: "layers[1] (dense): units: missing (expected a number)",
  });
  assert.throws(() => parseLayers([{ kind: "pool", size: 2 }]), {
    name: "ConfigError",
    message: `layers[0] (pool): mode: missing (expected one of "max", "avg")`,
  });
  assert.throws(() => parseLayers([{ kind: "conv", filters: 2 }]), {
    name: "ConfigError",
    message:
      "layers[0] (conv): kernel: missing (expected a positive integer or [height, width] of them)",
  });
});

Deno.test("parseLayers follows nested paths into residual blocks and concat branches", () => {
  assert.throws(
    () =>
      parseLayers([{ kind: "flatten" }, {
        kind: "residual",
        main: [{ kind: "dense", units: 2 }, { kind: "conv", filters: 0, kernel: 3 }],
      }]),
    {
      name: "ConfigError",
      message: "layers[1].main[1] (conv): filters: expected number to be >=1, found 0",
    },
  );
  assert.throws(
    () =>
      parseLayers([{
        kind: "concat",
        branches: [[], [{ kind: "dropout", rate: 1 }]],
      }]),
    {
      name: "ConfigError",
      message: "layers[0].branches[1][0] (dropout): rate: expected number to be <1, found 1",
    },
  );
});

Deno.test("parseLayers rejects an unknown key, suggesting the nearest valid one", () => {
  assert.throws(() => parseLayers([{ kind: "dense", units: 2, activaton: "relu" }]), {
    name: "ConfigError",
    message:
      'layers[0] (dense): unknown key "activaton" (did you mean "activation"?); valid keys: kind, name, units, activation, bias',
  });
});

Deno.test("parseLayers rejects a name that is not a lower-case identifier", () => {
  assert.throws(() => parseLayers([{ kind: "flatten", name: "Flatten 1" }]), {
    name: "ConfigError",
    message:
      'layers[0] (flatten): name: expected a lower-case identifier (a letter, then letters, digits or _), found "Flatten 1" (a string)',
  });
});

Deno.test("parseLayers says what a field expected and what it found", () => {
  const problems = (layers: unknown) => {
    try {
      parseLayers(layers);
    } catch (error) {
      assert.ok(error instanceof ConfigError);
      return error.problems;
    }
    assert.fail("accepted bad layers");
  };
  assert.deepEqual(
    problems([
      { kind: "dense", units: 2.5 },
      { kind: "conv", filters: 2, kernel: [3] },
      { kind: "conv", filters: 2, kernel: 3, padding: "full" },
      { kind: "pool", mode: "mean", size: 2 },
      7,
    ]),
    [
      "layers[0] (dense): units: expected an integer, found 2.5",
      "layers[1] (conv): kernel: expected a positive integer or [height, width] of them, found an array of 1",
      'layers[2] (conv): padding: expected "valid", "same", a number of zeros per side, or [height, width] of them, found "full" (a string)',
      'layers[3] (pool): mode: expected one of "max", "avg", found "mean" (a string)',
      "layers[4]: expected an object, found 7",
    ],
  );
  assert.deepEqual(problems({ kind: "dense" }), ["layers: expected an array, found an object"]);
});

Deno.test("nameLayers names layers by kind and position, nested ones by their parent", () => {
  const layers = nameLayers(parseLayers([
    { kind: "conv", filters: 4, kernel: 3 },
    { kind: "depthwiseConv", kernel: 3 },
    {
      kind: "residual",
      main: [{ kind: "batchNorm" }, { kind: "conv", filters: 4, kernel: 1 }],
      shortcut: [{ kind: "globalPool", mode: "max" }],
    },
    {
      kind: "concat",
      name: "mixed",
      branches: [[{ kind: "pool", mode: "max", size: 1 }], [{ kind: "dense", units: 2 }]],
    },
    { kind: "dense", name: "logits", units: 2 },
  ]));
  const names = (list: readonly LayerSpec[]): unknown[] =>
    list.map((layer) =>
      layer.kind === "residual"
        ? [layer.name, names(layer.main), names(layer.shortcut)]
        : layer.kind === "concat"
        ? [layer.name, ...layer.branches.map(names)]
        : layer.name
    );
  assert.deepEqual(names(layers), [
    "conv_0",
    "depthwise_conv_1",
    [
      "residual_2",
      ["residual_2_main_0_batch_norm", "residual_2_main_1_conv"],
      ["residual_2_shortcut_0_global_pool"],
    ],
    ["mixed", ["mixed_branch_0_0_pool"], ["mixed_branch_1_0_dense"]],
    "logits",
  ]);
  // Naming again changes nothing: the names are now the specs' own.
  assert.deepEqual(nameLayers(layers), layers);
});

Deno.test("nameLayers rejects a name used twice, and the reserved name input", () => {
  assert.throws(
    () =>
      nameLayers(parseLayers([
        { kind: "dense", units: 2 },
        { kind: "residual", main: [{ kind: "dense", name: "dense_0", units: 2 }] },
      ])),
    {
      name: "ConfigError",
      message:
        'layers[1].main[0] (dense): expected a unique name, found "dense_0", already used by layers[0] (dense)',
    },
  );
  assert.throws(() => nameLayers(parseLayers([{ kind: "flatten", name: "input" }])), {
    name: "ConfigError",
    message:
      `layers[0] (flatten): expected a unique name, found "input", already used by the model's input`,
  });
});
