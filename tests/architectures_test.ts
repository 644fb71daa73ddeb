import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { ARCHITECTURES, countArchitecture } from "../lib/models/architectures.ts";
import { buildModel } from "../lib/models/build_model.ts";
import { countModel } from "../lib/models/count_model.ts";

function architecture(name: string) {
  const found = ARCHITECTURES.find((candidate) => candidate.name === name);
  assert.ok(found, `no architecture ${name}`);
  return found;
}

/** Parameter counts as torchvision's / Keras Applications' / this framework's models report them. */
const EXPECTED_PARAMETERS: [string, number][] = [
  ["LeNet-5", 61_706],
  ["AlexNet", 61_100_840],
  ["VGG-16", 138_357_544],
  ["GoogLeNet (Inception v1)", 6_624_904],
  ["ResNet-18", 11_689_512],
  ["ResNet-50", 25_636_712],
  ["MobileNet v1 (1.0, 224)", 4_253_864],
];

Deno.test("countArchitecture counts every architecture's parameters exactly", () => {
  assert.deepEqual(ARCHITECTURES.map((a) => a.name), EXPECTED_PARAMETERS.map(([name]) => name));
  for (const [name, parameters] of EXPECTED_PARAMETERS) {
    const arch = architecture(name);
    assert.equal(countArchitecture(arch).parameters, parameters, name);
    assert.equal(arch.published.parameters, parameters, name);
  }
});

Deno.test("countArchitecture multiply-adds lie within each published figure's tolerance", () => {
  const withFigure = ARCHITECTURES.filter((a) => a.published.multiplyAdds !== undefined);
  assert.equal(withFigure.length, 6);
  for (const arch of withFigure) {
    const { multiplyAdds } = countArchitecture(arch);
    const published = arch.published.multiplyAdds!;
    const tolerance = arch.published.multiplyAddsTolerance!;
    assert.ok(tolerance <= 0.05, `${arch.name}: tolerance ${tolerance} is too loose`);
    const relative = Math.abs(multiplyAdds / published - 1);
    assert.ok(relative <= tolerance, `${arch.name}: ${multiplyAdds} vs ${published} (${relative})`);
  }
});

Deno.test("countArchitecture gives LeNet-5's multiply-adds in closed form", () => {
  // conv1 28·28·6·25 + conv2 10·10·16·150 + dense 400·120 + 120·84 + 84·10
  const expected = 28 * 28 * 6 * 25 + 10 * 10 * 16 * 150 + 400 * 120 + 120 * 84 + 84 * 10;
  assert.equal(countArchitecture(architecture("LeNet-5")).multiplyAdds, expected);
});

Deno.test("countArchitecture agrees with tfjs countParams for LeNet-5 and MobileNet", async () => {
  tf.env().set("PROD", true);
  await tf.setBackend("cpu");
  const before = tf.memory().numTensors;
  // The buildable architectures, built from their own layer specs.
  for (const name of ["LeNet-5", "MobileNet v1 (1.0, 224)"]) {
    const arch = architecture(name);
    const model = buildModel(arch.input, arch.layers, 1);
    assert.equal(model.countParams(), countArchitecture(arch).parameters, name);
    model.dispose();
  }

  // Keras's MobileNet written independently, layer by layer; zero initialisers keep it fast.
  const zeros = { kernelInitializer: "zeros", depthwiseInitializer: "zeros" } as const;
  const mobileNet = tf.sequential();
  mobileNet.add(tf.layers.conv2d({
    inputShape: [224, 224, 3],
    filters: 32,
    kernelSize: 3,
    strides: 2,
    padding: "same",
    useBias: false,
    kernelInitializer: "zeros",
  }));
  mobileNet.add(tf.layers.batchNormalization());
  const blocks: [number, number][] = [
    [64, 1],
    [128, 2],
    [128, 1],
    [256, 2],
    [256, 1],
    [512, 2],
    [512, 1],
    [512, 1],
    [512, 1],
    [512, 1],
    [512, 1],
    [1024, 2],
    [1024, 1],
  ];
  for (const [filters, strides] of blocks) {
    mobileNet.add(tf.layers.depthwiseConv2d({
      kernelSize: 3,
      strides,
      padding: "same",
      useBias: false,
      ...zeros,
    }));
    mobileNet.add(tf.layers.batchNormalization());
    mobileNet.add(tf.layers.conv2d({ filters, kernelSize: 1, useBias: false, ...zeros }));
    mobileNet.add(tf.layers.batchNormalization());
  }
  mobileNet.add(tf.layers.globalAveragePooling2d({}));
  mobileNet.add(tf.layers.dense({ units: 1000, kernelInitializer: "zeros" }));
  assert.deepEqual(mobileNet.outputShape, [null, 1000]);
  assert.equal(
    mobileNet.countParams(),
    countArchitecture(architecture("MobileNet v1 (1.0, 224)")).parameters,
  );
  mobileNet.dispose();
  assert.equal(tf.memory().numTensors, before);
});

Deno.test("countModel follows shapes through Inception branches and residual shortcuts", () => {
  const input = [8, 8, 4];
  const concat = countModel(input, [{
    kind: "concat",
    branches: [
      [{ kind: "conv", filters: 2, kernel: 1 }],
      [{ kind: "pool", mode: "max", size: 3, stride: 1, padding: 1 }],
    ],
  }]);
  assert.deepEqual(concat.output, [8, 8, 6]);
  assert.equal(concat.parameters, 2 * 4 + 2);
  assert.equal(concat.multiplyAdds, 8 * 8 * 2 * 4);
  const residual = countModel(input, [{
    kind: "residual",
    main: [{ kind: "conv", filters: 8, kernel: 3, stride: 2, padding: 1, bias: false }],
    shortcut: [{ kind: "conv", filters: 8, kernel: 1, stride: 2, bias: false }],
  }]);
  assert.deepEqual(residual.output, [4, 4, 8]);
  assert.equal(residual.parameters, 8 * 9 * 4 + 8 * 4);
  assert.equal(residual.multiplyAdds, 4 * 4 * 8 * 9 * 4 + 4 * 4 * 8 * 4);
});
