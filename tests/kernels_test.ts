import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { setWasmPaths } from "@tensorflow/tfjs-backend-wasm";
import { registerFastKernels } from "../lib/backend/kernels/register_kernels.ts";
import {
  handlesOnWebGpu,
  im2colConv2DBackpropFilter,
  planSplitReduction,
} from "../lib/backend/kernels/webgpu_conv2d_backprop_filter.ts";
import { planWasmMatMul } from "../lib/backend/kernels/wasm_batch_mat_mul.ts";
import { planWasmConv2DBackpropInput } from "../lib/backend/kernels/wasm_conv2d_backprop_input.ts";
import { WASM_MAX_POOL_GRAD } from "../lib/backend/kernels/wasm_max_pool_grad.ts";
import { WASM_UNSORTED_SEGMENT_SUM } from "../lib/backend/kernels/wasm_unsorted_segment_sum.ts";
import { WASM_IDENTITY } from "../lib/backend/kernels/wasm_identity.ts";
import { leadingSumAxes } from "../lib/backend/kernels/wasm_sum.ts";
import { shortRowBroadcast } from "../lib/backend/kernels/wasm_bias_add.ts";
import { wasmDistDirectory } from "../lib/backend/wasm_paths.ts";
import { useNativeBlas } from "../lib/backend/native_blas.ts";
import { createRng } from "../lib/random/seed.ts";

// Every kernel here is compared with tfjs's 'cpu' kernel: plain loops, independent of XNNPACK,
// WGSL and im2col. These are the plain wasm kernels: the native-BLAS ones, which take over
// matmuls and filter gradients when a BLAS is in use, are tested in native_blas_test.ts.

tf.env().set("PROD", true);
setWasmPaths(wasmDistDirectory());
/** The stock kernels that the framework's replace, as the backends registered them. */
const STOCK_KERNELS = {
  wasmBatchMatMul: tf.getKernel("BatchMatMul", "wasm"),
  wasmFusedMatMul: tf.getKernel("_FusedMatMul", "wasm"),
  wasmIdentity: tf.getKernel("Identity", "wasm"),
  wasmSum: tf.getKernel("Sum", "wasm"),
  wasmAdd: tf.getKernel("Add", "wasm"),
  wasmConv2DBackpropInput: tf.getKernel("Conv2DBackpropInput", "wasm"),
  wasmMaxPoolGrad: tf.getKernel("MaxPoolGrad", "wasm"),
  webgpuConv2DBackpropFilter: tf.getKernel("Conv2DBackpropFilter", "webgpu"),
};
registerFastKernels("wasm");
registerFastKernels("webgpu");
useNativeBlas(false);

const HAS_WEBGPU = await (async () => {
  // Mesa's Vulkan loader prints an error on every adapter request when this is unset.
  if (!Deno.env.get("XDG_RUNTIME_DIR")) Deno.env.set("XDG_RUNTIME_DIR", Deno.makeTempDirSync());
  const gpu = (globalThis.navigator as { gpu?: GPU } | undefined)?.gpu;
  return (await gpu?.requestAdapter().catch(() => null)) != null;
})();
// The WebGPU device and the wasm module stay open for the whole file.
const OPEN_RESOURCES = { sanitizeResources: false, sanitizeOps: false };
const WEBGPU_TEST = { ...OPEN_RESOURCES, ignore: !HAS_WEBGPU };

type Pad = "same" | "valid" | number | [[0, 0], [number, number], [number, number], [0, 0]];

interface Case {
  /** x's shape, NHWC. */
  x: [number, number, number, number];
  /** The filter's height, width and output channels. */
  kernel: [number, number];
  filters: number;
  strides: number | [number, number];
  pad: Pad;
  dataFormat?: "NHWC" | "NCHW";
}

function label(c: Case): string {
  return `x [${c.x}] k ${c.kernel.join("x")}x${c.filters} s ${c.strides} pad ${
    JSON.stringify(c.pad)
  } ${c.dataFormat ?? "NHWC"}`;
}

const FIXED_CASES: Case[] = [
  { x: [1, 7, 9, 3], kernel: [3, 3], filters: 4, strides: 1, pad: "same" },
  { x: [2, 7, 9, 3], kernel: [3, 5], filters: 4, strides: 2, pad: "same" },
  { x: [1, 8, 6, 2], kernel: [3, 3], filters: 5, strides: 2, pad: "valid" },
  { x: [3, 11, 10, 1], kernel: [5, 5], filters: 6, strides: 1, pad: "valid" },
  { x: [2, 11, 10, 2], kernel: [2, 3], filters: 3, strides: [2, 3], pad: 1 },
  {
    x: [2, 9, 9, 3],
    kernel: [3, 3],
    filters: 2,
    strides: 1,
    pad: [[0, 0], [1, 2], [0, 1], [0, 0]],
  },
  { x: [1, 5, 5, 4], kernel: [1, 1], filters: 3, strides: 1, pad: "valid" },
];

/** Random shapes: odd sizes, strides 1 and 2, both paddings, batch 1 to 3, 1 to 8 channels. */
function randomCases(count: number, seed: number): Case[] {
  const rng = createRng(seed);
  const pick = <T>(items: T[]): T => items[Math.floor(rng() * items.length)];
  const cases: Case[] = [];
  while (cases.length < count) {
    const kernel: [number, number] = [pick([1, 2, 3, 5]), pick([1, 3, 4, 5])];
    const x: [number, number, number, number] = [
      pick([1, 2, 3]),
      kernel[0] + pick([0, 2, 4, 7]),
      kernel[1] + pick([1, 3, 6]),
      pick([1, 2, 3, 5, 8]),
    ];
    cases.push({
      x,
      kernel,
      filters: pick([1, 4, 6, 7]),
      strides: pick([1, 2]),
      pad: pick(["same", "valid"]),
    });
  }
  return cases;
}

function randomValues(size: number, seed: number): Float32Array {
  const rng = createRng(seed);
  return Float32Array.from({ length: size }, () => 2 * rng() - 1);
}

const product = (shape: number[]) => shape.reduce((a, b) => a * b, 1);

/** Computes a filter gradient from `x`, `dy` and the kernel's attributes. */
type FilterGradientFunction = (
  x: tf.Tensor,
  dy: tf.Tensor,
  attrs: Record<string, unknown>,
) => tf.Tensor;

/** The kernel registered for the active backend. */
const registeredKernel: FilterGradientFunction = (x, dy, attrs) =>
  tf.engine().runKernel("Conv2DBackpropFilter", { x, dy }, attrs as tf.NamedAttrMap) as tf.Tensor;

/** The webgpu im2col computation itself, which the registered kernel skips on lavapipe. */
const im2colKernel: FilterGradientFunction = (x, dy, attrs) =>
  tf.engine().makeTensorFromTensorInfo(im2colConv2DBackpropFilter({
    inputs: { x, dy },
    backend: tf.backend(),
    attrs: attrs as unknown as Parameters<typeof im2colConv2DBackpropFilter>[0]["attrs"],
  }));

/** A case's filter shape, output shape, padding and layout, in the case's data format. */
function caseGeometry(c: Case) {
  const dataFormat = c.dataFormat ?? "NHWC";
  const filterShape: [number, number, number, number] = [...c.kernel, c.x[3], c.filters];
  const { outShape } = tf.backend_util.computeConv2DInfo(c.x, filterShape, c.strides, 1, c.pad);
  const toFormat = (shape: number[]) =>
    dataFormat === "NHWC" ? shape : [shape[0], shape[3], shape[1], shape[2]];
  const pad = dataFormat === "NHWC" || !Array.isArray(c.pad)
    ? c.pad
    : [c.pad[0], c.pad[3], c.pad[1], c.pad[2]];
  return { dataFormat, filterShape, outShape, toFormat, pad };
}

/** Runs a filter gradient for `c` on `backend` and reads the result back. */
async function filterGradient(
  backend: string,
  c: Case,
  compute: FilterGradientFunction = registeredKernel,
  seed = 1,
): Promise<Float32Array> {
  assert.ok(await tf.setBackend(backend), `the ${backend} backend initialises`);
  const { dataFormat, filterShape, outShape, toFormat, pad } = caseGeometry(c);
  const x = tf.tensor(randomValues(product(c.x), seed), toFormat(c.x));
  const dy = tf.tensor(randomValues(product(outShape), seed + 1), toFormat(outShape));
  const dW = compute(x, dy, { strides: c.strides, pad, dataFormat, filterShape });
  assert.deepEqual(dW.shape, filterShape, `${label(c)}: filter gradient shape`);
  const values = await dW.data() as Float32Array;
  tf.dispose([x, dy, dW]);
  return values;
}

function assertClose(found: Float32Array, expected: Float32Array, tolerance: number, what: string) {
  assert.equal(found.length, expected.length, `${what}: length`);
  let scale = 0;
  let error = 0;
  for (let i = 0; i < expected.length; i++) {
    scale = Math.max(scale, Math.abs(expected[i]));
    error = Math.max(error, Math.abs(found[i] - expected[i]));
  }
  const relative = error / Math.max(scale, 1e-30);
  assert.ok(relative < tolerance, `${what}: relative error ${relative} >= ${tolerance}`);
}

async function assertMatchesCpu(
  backend: string,
  cases: Case[],
  compute: FilterGradientFunction = registeredKernel,
) {
  for (const c of cases) {
    const expected = await filterGradient("cpu", c);
    const found = await filterGradient(backend, c, compute);
    assertClose(found, expected, 1e-4, `${backend} ${label(c)}`);
  }
}

/** Counts tensors the engine knows and buffers the active backend holds. */
function liveCounts(): [number, number] {
  return [tf.memory().numTensors, tf.engine().backend.numDataIds()];
}

Deno.test("registerFastKernels registers backprop kernels for wasm and webgpu, none for cpu", () => {
  assert.deepEqual(registerFastKernels("wasm"), [
    "Conv2DBackpropFilter",
    "Conv2DBackpropInput",
    "BatchMatMul",
    "_FusedMatMul",
    "MaxPoolGrad",
    "UnsortedSegmentSum",
    "Identity",
    "Sum",
    "Add",
  ]);
  assert.deepEqual(registerFastKernels("webgpu"), ["Conv2DBackpropFilter"]);
  assert.deepEqual(registerFastKernels("cpu"), []);
  assert.deepEqual(registerFastKernels("no-such-backend"), []);
});

Deno.test("registerFastKernels puts the framework's kernels in place, once", () => {
  // The stock kernels existed before registration (all but wasm's Conv2DBackpropFilter and
  // UnsortedSegmentSum, which tfjs-backend-wasm 4.22 lacks) and have been replaced.
  assert.equal(tf.getKernel("MaxPoolGrad", "wasm"), WASM_MAX_POOL_GRAD);
  assert.equal(tf.getKernel("Identity", "wasm"), WASM_IDENTITY);
  assert.equal(tf.getKernel("UnsortedSegmentSum", "wasm"), WASM_UNSORTED_SEGMENT_SUM);
  const replaced = [
    ["BatchMatMul", "wasm", STOCK_KERNELS.wasmBatchMatMul],
    ["_FusedMatMul", "wasm", STOCK_KERNELS.wasmFusedMatMul],
    ["Identity", "wasm", STOCK_KERNELS.wasmIdentity],
    ["Sum", "wasm", STOCK_KERNELS.wasmSum],
    ["Add", "wasm", STOCK_KERNELS.wasmAdd],
    ["Conv2DBackpropInput", "wasm", STOCK_KERNELS.wasmConv2DBackpropInput],
    ["MaxPoolGrad", "wasm", STOCK_KERNELS.wasmMaxPoolGrad],
    ["Conv2DBackpropFilter", "webgpu", STOCK_KERNELS.webgpuConv2DBackpropFilter],
  ] as const;
  for (const [kernelName, backendName, stock] of replaced) {
    const current = tf.getKernel(kernelName, backendName);
    assert.ok(stock, `${backendName} has a stock ${kernelName}`);
    assert.ok(current, `${backendName} has a ${kernelName}`);
    assert.notEqual(current, stock, `${backendName} ${kernelName} is the framework's`);
    assert.notEqual(current.kernelFunc, stock.kernelFunc, `${backendName} ${kernelName} function`);
  }
  // A second call keeps exactly the same registrations: the factories do not run again.
  const names = [
    ...registerFastKernels("wasm").map((name) => [name, "wasm"] as const),
    ...registerFastKernels("webgpu").map((name) => [name, "webgpu"] as const),
  ];
  const before = names.map(([name, backend]) => tf.getKernel(name, backend));
  registerFastKernels("wasm");
  registerFastKernels("webgpu");
  names.forEach(([name, backend], i) =>
    assert.equal(tf.getKernel(name, backend), before[i], `${backend} ${name}`)
  );
});

Deno.test(
  "wasmConv2DBackpropFilter matches the cpu kernel on fixed shapes",
  OPEN_RESOURCES,
  async () => {
    await assertMatchesCpu("wasm", FIXED_CASES);
  },
);

Deno.test(
  "wasmConv2DBackpropFilter matches the cpu kernel on random shapes",
  OPEN_RESOURCES,
  async () => {
    await assertMatchesCpu("wasm", randomCases(24, 11));
  },
);

Deno.test("wasmConv2DBackpropFilter matches the cpu kernel for NCHW", OPEN_RESOURCES, async () => {
  await assertMatchesCpu(
    "wasm",
    FIXED_CASES.slice(0, 3).map((c) => ({ ...c, dataFormat: "NCHW" as const })),
  );
});

Deno.test(
  "wasmConv2DBackpropFilter sums 9 and 4 windows for a 3x3 'same' filter",
  OPEN_RESOURCES,
  async () => {
    await tf.setBackend("wasm");
    const ones = tf.ones([1, 3, 3, 1]);
    const dW = tf.engine().runKernel("Conv2DBackpropFilter", { x: ones, dy: ones }, {
      strides: 1,
      pad: "same",
      dataFormat: "NHWC",
      filterShape: [3, 3, 1, 1],
    }) as tf.Tensor;
    assert.deepEqual(Array.from(await dW.data()), [4, 6, 4, 6, 9, 6, 4, 6, 4]);
    tf.dispose([ones, dW]);
  },
);

Deno.test(
  "wasmConv2DBackpropFilter is deterministic and leaks nothing",
  OPEN_RESOURCES,
  async () => {
    for (const c of FIXED_CASES.slice(0, 4)) {
      await tf.setBackend("wasm");
      const before = liveCounts();
      const first = await filterGradient("wasm", c);
      const second = await filterGradient("wasm", c);
      assert.deepEqual(liveCounts(), before, `${label(c)}: tensors and buffers before and after`);
      assert.deepEqual(new Uint8Array(second.buffer), new Uint8Array(first.buffer), label(c));
    }
  },
);

Deno.test("wasmConv2DBackpropFilter rejects dy of the wrong shape", OPEN_RESOURCES, async () => {
  await tf.setBackend("wasm");
  const before = liveCounts();
  const x = tf.zeros([1, 6, 6, 2]);
  const dy = tf.zeros([1, 5, 5, 3]);
  assert.throws(
    () =>
      tf.engine().runKernel("Conv2DBackpropFilter", { x, dy }, {
        strides: 1,
        pad: "same",
        dataFormat: "NHWC",
        filterShape: [3, 3, 2, 3],
      }),
    {
      name: "Error",
      message: "Conv2DBackpropFilter (wasm): expected dy of shape [1,6,6,3] for x of shape " +
        "[1,6,6,2] and filter [3,3,2,3], found [1,5,5,3]",
    },
  );
  tf.dispose([x, dy]);
  assert.deepEqual(liveCounts(), before);
});

/** A LeNet-like model as a pure function of its parameters, so both backends share weights. */
const LENET_SHAPES = [[3, 3, 1, 3], [3], [3, 3, 3, 4], [4], [16, 10], [10]];

function lenetLoss(params: tf.Tensor[], images: tf.Tensor4D, labels: tf.Tensor2D): tf.Scalar {
  const [w1, b1, w2, b2, w3, b3] = params;
  let h = tf.relu(tf.add(tf.conv2d(images, w1 as tf.Tensor4D, 1, "same"), b1)) as tf.Tensor4D;
  h = tf.maxPool(h, 2, 2, "valid"); // 12x12 -> 6x6
  h = tf.relu(tf.add(tf.conv2d(h, w2 as tf.Tensor4D, 1, "valid"), b2)) as tf.Tensor4D; // 4x4
  h = tf.maxPool(h, 2, 2, "valid"); // 2x2x4 = 16 features
  const logits = tf.add(tf.matMul(tf.reshape(h, [images.shape[0], 16]), w3), b3);
  return tf.losses.softmaxCrossEntropy(labels, logits) as tf.Scalar;
}

async function lenetGradients(backend: string): Promise<Float32Array[]> {
  await tf.setBackend(backend);
  const params = LENET_SHAPES.map((shape, i) =>
    tf.tensor(randomValues(product(shape), 100 + i).map((v) => v * 0.5), shape)
  );
  const images = tf.tensor4d(randomValues(4 * 12 * 12, 7), [4, 12, 12, 1]);
  const labels = tf.oneHot(tf.tensor1d([0, 3, 7, 9], "int32"), 10) as tf.Tensor2D;
  const gradients = tf.grads((...p: tf.Tensor[]) => lenetLoss(p, images, labels))(params);
  const values = await Promise.all(gradients.map((g) => g.data() as Promise<Float32Array>));
  tf.dispose([...params, images, labels, ...gradients]);
  return values;
}

Deno.test("LeNet-like gradients on wasm match cpu", OPEN_RESOURCES, async () => {
  const expected = await lenetGradients("cpu");
  const found = await lenetGradients("wasm");
  expected.forEach((values, i) =>
    assertClose(found[i], values, 1e-4, `gradient of parameter ${i} [${LENET_SHAPES[i]}]`)
  );
});

Deno.test("LeNet-like Adam train step on wasm leaks no tensors", OPEN_RESOURCES, async () => {
  await tf.setBackend("wasm");
  const params = LENET_SHAPES.map((shape, i) =>
    tf.variable(tf.tensor(randomValues(product(shape), 100 + i), shape))
  );
  const images = tf.tensor4d(randomValues(4 * 12 * 12, 7), [4, 12, 12, 1]);
  const labels = tf.oneHot(tf.tensor1d([0, 3, 7, 9], "int32"), 10) as tf.Tensor2D;
  const optimizer = tf.train.adam(1e-3);
  const step = () => optimizer.minimize(() => lenetLoss(params, images, labels), false);
  step(); // Adam makes its moment variables on the first step.
  const before = liveCounts();
  step();
  step();
  assert.deepEqual(liveCounts(), before);
  optimizer.dispose();
  tf.dispose([...params, images, labels]);
});

Deno.test("planSplitReduction prefers a divisor of the rows", () => {
  assert.deepEqual(planSplitReduction(64 * 28 * 28), { splits: 64, paddedRows: 50176 });
  assert.deepEqual(planSplitReduction(64 * 10 * 10), { splits: 25, paddedRows: 6400 });
  assert.deepEqual(planSplitReduction(300), { splits: 1, paddedRows: 300 });
});

Deno.test("planSplitReduction pads rows no small divisor fits", () => {
  // 1031 is prime: target 4 chunks, none of 4, 3, 2 divides it.
  assert.deepEqual(planSplitReduction(1031), { splits: 4, paddedRows: 1032 });
});

Deno.test("planSplitReduction rejects a non-positive row count", () => {
  assert.throws(() => planSplitReduction(0), {
    name: "Error",
    message: "planSplitReduction: expected rows to be a positive integer, found 0",
  });
});

Deno.test("handlesOnWebGpu leaves NCHW, oversized im2col matrices and lavapipe to the stock kernel", () => {
  const x = { dataId: {}, shape: [2, 8, 8, 3], dtype: "float32" as const };
  const dy = { dataId: {}, shape: [2, 8, 8, 4], dtype: "float32" as const };
  const attrs = {
    strides: 1,
    pad: "same" as const,
    dataFormat: "NHWC" as const,
    filterShape: [3, 3, 3, 4] as [number, number, number, number],
  };
  const backend = (bytes: number, isFallbackAdapter = false) =>
    ({
      device: {
        limits: { maxStorageBufferBindingSize: bytes },
        adapterInfo: { isFallbackAdapter },
      },
    }) as unknown as tf.KernelBackend;
  const columnBytes = 2 * 8 * 8 * 3 * 3 * 3 * 4;
  const args = { inputs: { x, dy }, attrs, backend: backend(columnBytes) };
  assert.equal(handlesOnWebGpu(args), true);
  assert.equal(handlesOnWebGpu({ ...args, backend: backend(columnBytes - 1) }), false);
  assert.equal(handlesOnWebGpu({ ...args, backend: backend(columnBytes, true) }), false);
  assert.equal(handlesOnWebGpu({ ...args, attrs: { ...attrs, dataFormat: "NCHW" } }), false);
});

Deno.test(
  "im2colConv2DBackpropFilter matches the cpu kernel on fixed shapes",
  WEBGPU_TEST,
  async () => {
    await assertMatchesCpu("webgpu", FIXED_CASES, im2colKernel);
  },
);

Deno.test(
  "im2colConv2DBackpropFilter matches the cpu kernel on random shapes",
  WEBGPU_TEST,
  async () => {
    await assertMatchesCpu("webgpu", randomCases(8, 12), im2colKernel);
  },
);

Deno.test(
  "im2colConv2DBackpropFilter splits a large reduction and matches cpu",
  WEBGPU_TEST,
  async () => {
    // 8 x 16 x 16 = 2048 rows: 8 chunks of 256; 31 x 37 = 1147 rows: 4 chunks after 1 row of padding.
    await assertMatchesCpu("webgpu", [
      { x: [8, 16, 16, 2], kernel: [3, 3], filters: 4, strides: 1, pad: "same" },
      { x: [1, 31, 37, 1], kernel: [3, 3], filters: 2, strides: 1, pad: "same" },
    ], im2colKernel);
  },
);

Deno.test(
  "im2colConv2DBackpropFilter is deterministic and leaks nothing",
  WEBGPU_TEST,
  async () => {
    const c: Case = { x: [8, 16, 16, 2], kernel: [3, 3], filters: 4, strides: 1, pad: "same" };
    await tf.setBackend("webgpu");
    const before = liveCounts();
    const first = await filterGradient("webgpu", c, im2colKernel);
    const second = await filterGradient("webgpu", c, im2colKernel);
    assert.deepEqual(liveCounts(), before);
    assert.deepEqual(new Uint8Array(second.buffer), new Uint8Array(first.buffer));
  },
);

Deno.test(
  "webgpu Conv2DBackpropFilter as registered matches the cpu kernel, NCHW too",
  WEBGPU_TEST,
  async () => {
    await assertMatchesCpu("webgpu", [
      ...FIXED_CASES.slice(0, 3),
      ...FIXED_CASES.slice(0, 2).map((c) => ({ ...c, dataFormat: "NCHW" as const })),
    ]);
  },
);

// Conv2DBackpropInput on wasm: XNNPACK Conv2D over zero-inserted dy and the flipped filter.

/** Runs an input gradient for `c` on `backend` through the registered kernel and reads it back. */
async function inputGradient(backend: string, c: Case, seed = 1): Promise<Float32Array> {
  assert.ok(await tf.setBackend(backend), `the ${backend} backend initialises`);
  const { dataFormat, filterShape, outShape, toFormat, pad } = caseGeometry(c);
  const filter = tf.tensor(randomValues(product(filterShape), seed), filterShape);
  const dy = tf.tensor(randomValues(product(outShape), seed + 1), toFormat(outShape));
  const dx = tf.engine().runKernel("Conv2DBackpropInput", { dy, filter }, {
    inputShape: toFormat(c.x),
    strides: c.strides,
    pad,
    dataFormat,
  } as unknown as tf.NamedAttrMap) as tf.Tensor;
  assert.deepEqual(dx.shape, toFormat(c.x), `${label(c)}: input gradient shape`);
  const values = await dx.data() as Float32Array;
  tf.dispose([filter, dy, dx]);
  return values;
}

async function assertInputGradientMatchesCpu(cases: Case[]) {
  for (const c of cases) {
    const expected = await inputGradient("cpu", c);
    const found = await inputGradient("wasm", c);
    assertClose(found, expected, 1e-4, `wasm Conv2DBackpropInput ${label(c)}`);
  }
}

/** Cases with a padding wider than the filter reaches: the stock kernel's. */
const WIDE_PAD_CASES: Case[] = [
  { x: [1, 6, 7, 2], kernel: [2, 2], filters: 3, strides: 1, pad: 3 },
  {
    x: [2, 5, 5, 1],
    kernel: [3, 3],
    filters: 2,
    strides: 1,
    pad: [[0, 0], [0, 3], [1, 0], [0, 0]],
  },
];

Deno.test("planWasmConv2DBackpropInput plans NHWC at any stride and leaves the rest to stock", () => {
  const plan = (c: Case) => {
    const filterShape = [...c.kernel, c.x[3], c.filters];
    const info = tf.backend_util.computeConv2DInfo(
      c.x,
      filterShape as [number, number, number, number],
      c.strides,
      1,
      c.pad,
    );
    return planWasmConv2DBackpropInput(info.outShape, filterShape, {
      inputShape: c.x,
      strides: c.strides,
      pad: c.pad as tf.Conv2DBackpropInputAttrs["pad"],
      dataFormat: c.dataFormat ?? "NHWC",
    });
  };
  // tfjs sizes the output of a numeric padding with the height's stride for both axes, so a
  // numeric padding with unequal strides gives a dy wider than a convolution reaches: stock.
  for (const c of FIXED_CASES) {
    const unequalNumeric = typeof c.pad === "number" && Array.isArray(c.strides) &&
      c.strides[0] !== c.strides[1];
    assert.equal(plan(c) === undefined, unequalNumeric, label(c));
  }
  for (const c of WIDE_PAD_CASES) assert.equal(plan(c), undefined, label(c));
  assert.equal(plan({ ...FIXED_CASES[0], dataFormat: "NCHW" }), undefined);
  // 7 rows, 3 tall 'same', stride 2: forward pads 1 above, so the correlation pads 3 - 1 - 1 = 1;
  // dy's 4 rows become 8 with zeros, all of which the 7 + 3 - 1 - 1 = 8 reachable rows read.
  assert.deepEqual(plan(FIXED_CASES[1])?.height, {
    zeroInsertedLength: 8,
    keptLength: 8,
    padBefore: 1,
    padAfter: 0,
  });
  // 8 rows, 3x3 'valid', stride 2: dy's 3 rows become 6, the correlation pads 2 before and 2
  // after them, giving 6 + 4 - 3 + 1 = 8 rows.
  assert.deepEqual(plan(FIXED_CASES[2])?.height, {
    zeroInsertedLength: 6,
    keptLength: 6,
    padBefore: 2,
    padAfter: 2,
  });
});

Deno.test("planWasmConv2DBackpropInput rejects dy of the wrong shape", () => {
  assert.throws(
    () =>
      planWasmConv2DBackpropInput([1, 5, 5, 3], [3, 3, 2, 3], {
        inputShape: [1, 6, 6, 2],
        strides: 1,
        pad: "same",
        dataFormat: "NHWC",
      }),
    {
      name: "Error",
      message: "Conv2DBackpropInput (wasm): expected dy of shape [1,6,6,3] for input of shape " +
        "[1,6,6,2] and filter [3,3,2,3], found [1,5,5,3]",
    },
  );
});

Deno.test(
  "wasm Conv2DBackpropInput matches the cpu kernel on fixed shapes",
  OPEN_RESOURCES,
  async () => {
    await assertInputGradientMatchesCpu(FIXED_CASES);
  },
);

Deno.test(
  "wasm Conv2DBackpropInput matches the cpu kernel on random shapes, strides 1 to 3",
  OPEN_RESOURCES,
  async () => {
    const cases = randomCases(24, 21);
    const rng = createRng(22);
    // Some stride-3 and mixed-stride cases besides randomCases' 1 and 2.
    for (const c of cases.slice(0, 6)) c.strides = [1 + Math.floor(rng() * 3), 3];
    await assertInputGradientMatchesCpu(cases);
  },
);

Deno.test(
  "wasm Conv2DBackpropInput matches the cpu kernel for NCHW and wide paddings (stock)",
  OPEN_RESOURCES,
  async () => {
    await assertInputGradientMatchesCpu([
      ...WIDE_PAD_CASES,
      ...FIXED_CASES.slice(0, 3).map((c) => ({ ...c, dataFormat: "NCHW" as const })),
    ]);
  },
);

Deno.test(
  "wasm Conv2DBackpropInput matches the cpu kernel on LeNet-5's shapes at batch 1 and 64",
  OPEN_RESOURCES,
  async () => {
    await assertInputGradientMatchesCpu([
      { x: [1, 28, 28, 1], kernel: [5, 5], filters: 6, strides: 1, pad: "same" },
      { x: [64, 14, 14, 6], kernel: [5, 5], filters: 16, strides: 1, pad: "valid" },
    ]);
  },
);

Deno.test(
  "wasm Conv2DBackpropInput sums 9 and 4 windows for a 3x3 'same' filter",
  OPEN_RESOURCES,
  async () => {
    await tf.setBackend("wasm");
    const dy = tf.ones([1, 3, 3, 1]);
    const filter = tf.ones([3, 3, 1, 1]);
    const dx = tf.engine().runKernel("Conv2DBackpropInput", { dy, filter }, {
      inputShape: [1, 3, 3, 1],
      strides: 1,
      pad: "same",
      dataFormat: "NHWC",
    }) as tf.Tensor;
    assert.deepEqual(Array.from(await dx.data()), [4, 6, 4, 6, 9, 6, 4, 6, 4]);
    tf.dispose([dy, filter, dx]);
  },
);

Deno.test(
  "wasm Conv2DBackpropInput is deterministic and leaks nothing",
  OPEN_RESOURCES,
  async () => {
    for (const c of [...FIXED_CASES.slice(0, 5), WIDE_PAD_CASES[0]]) {
      await tf.setBackend("wasm");
      const before = liveCounts();
      const first = await inputGradient("wasm", c);
      const second = await inputGradient("wasm", c);
      assert.deepEqual(liveCounts(), before, `${label(c)}: tensors and buffers before and after`);
      assert.deepEqual(new Uint8Array(second.buffer), new Uint8Array(first.buffer), label(c));
    }
  },
);

// BatchMatMul on wasm: transposes materialised, then XNNPACK's untransposed matmul.

/** Runs matMul(a, b, transposeA, transposeB) on `backend` with seeded values and reads it back. */
async function matMulOn(
  backend: string,
  aShape: number[],
  bShape: number[],
  transposeA: boolean,
  transposeB: boolean,
): Promise<{ shape: number[]; values: Float32Array }> {
  assert.ok(await tf.setBackend(backend));
  const a = tf.tensor(randomValues(product(aShape), 31), aShape);
  const b = tf.tensor(randomValues(product(bShape), 32), bShape);
  const c = tf.engine().runKernel("BatchMatMul", { a, b }, { transposeA, transposeB }) as tf.Tensor;
  const result = { shape: c.shape, values: await c.data() as Float32Array };
  tf.dispose([a, b, c]);
  return result;
}

Deno.test("planWasmMatMul leaves batched matmuls and cheap plain ones to stock", () => {
  assert.equal(planWasmMatMul([3, 4], [4, 5], false, false), undefined);
  // A fresh large right operand: packing it costs more than transposing both and the result.
  assert.equal(planWasmMatMul([64, 784], [784, 800], false, false), "swapped");
  assert.equal(
    planWasmMatMul([64, 784], [784, 800], false, false, { a: false, b: true }),
    undefined,
  );
  assert.equal(planWasmMatMul([2, 4, 3], [2, 4, 5], true, false), undefined);
  assert.equal(planWasmMatMul([1, 4, 3], [4, 5], true, false), "direct");
  // dx = dy·Wᵀ of a 784x800 layer: W·dyᵀ transposed back copies far less than Wᵀ.
  assert.equal(planWasmMatMul([64, 800], [784, 800], false, true), "swapped");
  assert.equal(planWasmMatMul([64, 784], [64, 800], true, false), "direct");
});

Deno.test(
  "wasm BatchMatMul matches the cpu kernel for every transpose and odd shapes",
  OPEN_RESOURCES,
  async () => {
    const shapes: [number[], number[], boolean, boolean][] = [];
    for (
      const [m, k, n] of [[1, 1, 1], [3, 5, 7], [64, 784, 10], [10, 3, 200], [1, 9, 1], [
        8,
        300,
        200,
      ]]
    ) {
      for (const transposeA of [false, true]) {
        for (const transposeB of [false, true]) {
          shapes.push([
            transposeA ? [k, m] : [m, k],
            transposeB ? [n, k] : [k, n],
            transposeA,
            transposeB,
          ]);
        }
      }
    }
    shapes.push([[1, 5, 3], [5, 4], true, false], [[2, 5, 3], [2, 4, 5], true, true]);
    for (const [aShape, bShape, transposeA, transposeB] of shapes) {
      const what = `a [${aShape}]${transposeA ? "ᵀ" : ""} b [${bShape}]${transposeB ? "ᵀ" : ""}`;
      const expected = await matMulOn("cpu", aShape, bShape, transposeA, transposeB);
      const found = await matMulOn("wasm", aShape, bShape, transposeA, transposeB);
      assert.deepEqual(found.shape, expected.shape, what);
      assertClose(found.values, expected.values, 1e-5, what);
    }
  },
);

Deno.test("wasm BatchMatMul is deterministic and leaks nothing", OPEN_RESOURCES, async () => {
  await tf.setBackend("wasm");
  const before = liveCounts();
  for (const [transposeA, transposeB] of [[true, false], [false, true], [true, true]]) {
    const first = await matMulOn("wasm", [24, 24], [24, 24], transposeA, transposeB);
    const second = await matMulOn("wasm", [24, 24], [24, 24], transposeA, transposeB);
    assert.deepEqual(new Uint8Array(second.values.buffer), new Uint8Array(first.values.buffer));
  }
  assert.deepEqual(liveCounts(), before);
});

// MaxPoolGrad on wasm: JavaScript over the wasm heap, first maximum of each window.

interface PoolCase {
  x: [number, number, number, number];
  filterSize: number | [number, number];
  strides: number | [number, number];
  pad: "same" | "valid" | number;
}

const POOL_CASES: PoolCase[] = [
  { x: [2, 28, 28, 6], filterSize: 2, strides: 2, pad: "valid" },
  { x: [1, 10, 10, 16], filterSize: 2, strides: 2, pad: "valid" },
  // 2x2 windows that leave the last row and column out, and 'same' ones with and without padding.
  { x: [2, 7, 9, 3], filterSize: 2, strides: 2, pad: "valid" },
  { x: [1, 8, 6, 5], filterSize: 2, strides: 2, pad: "same" },
  { x: [1, 7, 5, 2], filterSize: 2, strides: 2, pad: "same" },
  { x: [3, 7, 9, 3], filterSize: 3, strides: 2, pad: "same" },
  { x: [1, 8, 5, 2], filterSize: [3, 2], strides: [1, 2], pad: "valid" },
  { x: [2, 6, 7, 4], filterSize: 3, strides: 1, pad: 1 },
  { x: [1, 1, 1, 1], filterSize: 1, strides: 1, pad: "valid" },
];

/** Runs MaxPoolGrad for `c` on `backend`; `quantise` makes ties common (as after a ReLU). */
async function maxPoolGradient(backend: string, c: PoolCase, quantise = false) {
  assert.ok(await tf.setBackend(backend));
  const values = randomValues(product(c.x), 41).map((v) =>
    quantise ? Math.max(0, Math.round(v * 2)) : v
  );
  const x = tf.tensor4d(values, c.x);
  const output = tf.maxPool(x, c.filterSize, c.strides, c.pad);
  const dy = tf.tensor(randomValues(product(output.shape), 42), output.shape);
  const dx = tf.engine().runKernel("MaxPoolGrad", { dy, input: x, output }, {
    filterSize: c.filterSize,
    strides: c.strides,
    pad: c.pad,
  }) as tf.Tensor;
  const result = await dx.data() as Float32Array;
  tf.dispose([x, output, dy, dx]);
  return result;
}

Deno.test("wasm MaxPoolGrad matches the cpu kernel, ties included", OPEN_RESOURCES, async () => {
  for (const c of POOL_CASES) {
    for (const quantise of [false, true]) {
      const what =
        `x [${c.x}] filter ${c.filterSize} strides ${c.strides} pad ${c.pad} ties ${quantise}`;
      const expected = await maxPoolGradient("cpu", c, quantise);
      const found = await maxPoolGradient("wasm", c, quantise);
      assertClose(found, expected, 1e-6, what);
    }
  }
});

Deno.test("wasm MaxPoolGrad is deterministic and leaks nothing", OPEN_RESOURCES, async () => {
  await tf.setBackend("wasm");
  const before = liveCounts();
  const first = await maxPoolGradient("wasm", POOL_CASES[2], true);
  const second = await maxPoolGradient("wasm", POOL_CASES[2], true);
  assert.deepEqual(new Uint8Array(second.buffer), new Uint8Array(first.buffer));
  assert.deepEqual(liveCounts(), before);
});

Deno.test("wasm MaxPoolGrad rejects dy of the wrong shape", OPEN_RESOURCES, async () => {
  await tf.setBackend("wasm");
  const input = tf.zeros([1, 4, 4, 1]);
  const dy = tf.zeros([1, 3, 3, 1]);
  assert.throws(
    () =>
      tf.engine().runKernel("MaxPoolGrad", { dy, input, output: dy }, {
        filterSize: 2,
        strides: 2,
        pad: "valid",
      }),
    {
      name: "Error",
      message: "MaxPoolGrad (wasm): expected dy of shape [1,2,2,1] for input of shape [1,4,4,1], " +
        "found [1,3,3,1]",
    },
  );
  tf.dispose([input, dy]);
});

// UnsortedSegmentSum on wasm: JavaScript over the wasm heap, for tf.gather's gradient.

interface SegmentCase {
  /** x's shape; one segment id per row (along the first axis). */
  x: number[];
  segments: number;
  dtype: "float32" | "int32";
}

/** Random shapes of rank 1 to 3, some ids out of range (-1 and `segments`). */
function randomSegmentCases(count: number, seed: number): SegmentCase[] {
  const rng = createRng(seed);
  const pick = <T>(items: T[]): T => items[Math.floor(rng() * items.length)];
  return Array.from({ length: count }, (_, i) => {
    const x = Array.from({ length: pick([1, 2, 3]) }, () => pick([1, 2, 3, 5, 8]));
    return {
      x,
      segments: pick([1, 2, 4, 7]),
      dtype: i % 4 === 3 ? "int32" : "float32",
    };
  });
}

/** Runs UnsortedSegmentSum for `c` on `backend` and reads the result back. */
async function segmentSum(backend: string, c: SegmentCase, seed = 51) {
  assert.ok(await tf.setBackend(backend));
  const rng = createRng(seed);
  const xValues = randomValues(product(c.x), seed + 1).map((v) =>
    c.dtype === "int32" ? Math.round(v * 50) : v
  );
  const x = tf.tensor(xValues, c.x, c.dtype);
  const ids = tf.tensor1d(
    Int32Array.from({ length: c.x[0] }, () => Math.floor(rng() * (c.segments + 2)) - 1),
    "int32",
  );
  const out = tf.unsortedSegmentSum(x, ids, c.segments);
  const result = { shape: out.shape, values: Float32Array.from(await out.data()) };
  tf.dispose([x, ids, out]);
  return result;
}

Deno.test(
  "wasm UnsortedSegmentSum matches the cpu kernel on random shapes, ids out of range dropped",
  OPEN_RESOURCES,
  async () => {
    const cases = [
      { x: [6, 3], segments: 4, dtype: "float32" as const },
      { x: [1], segments: 1, dtype: "float32" as const },
      ...randomSegmentCases(24, 13),
    ];
    for (const c of cases) {
      const what = `x [${c.x}] ${c.dtype} segments ${c.segments}`;
      const expected = await segmentSum("cpu", c);
      const found = await segmentSum("wasm", c);
      assert.deepEqual(found.shape, [c.segments, ...c.x.slice(1)], what);
      assert.deepEqual(found.shape, expected.shape, what);
      assertClose(found.values, expected.values, 1e-6, what);
    }
  },
);

Deno.test(
  "wasm UnsortedSegmentSum sums rows by hand-computed segments",
  OPEN_RESOURCES,
  async () => {
    await tf.setBackend("wasm");
    const x = tf.tensor2d([[1, 2], [3, 4], [5, 6], [7, 8]]);
    const ids = tf.tensor1d([2, 0, 2, 5], "int32");
    const out = tf.unsortedSegmentSum(x, ids, 3);
    // Row 0 and 2 go to segment 2, row 1 to segment 0, row 3 (id 5) nowhere.
    assert.deepEqual(await out.array(), [[3, 4], [0, 0], [6, 8]]);
    tf.dispose([x, ids, out]);
  },
);

Deno.test(
  "wasm UnsortedSegmentSum is deterministic and leaks nothing",
  OPEN_RESOURCES,
  async () => {
    await tf.setBackend("wasm");
    const before = liveCounts();
    const c: SegmentCase = { x: [64, 16], segments: 10, dtype: "float32" };
    const first = await segmentSum("wasm", c);
    const second = await segmentSum("wasm", c);
    assert.deepEqual(new Uint8Array(second.values.buffer), new Uint8Array(first.values.buffer));
    assert.deepEqual(liveCounts(), before);
  },
);

Deno.test("wasm UnsortedSegmentSum rejects other than one id per row", OPEN_RESOURCES, async () => {
  await tf.setBackend("wasm");
  const before = liveCounts();
  const x = tf.zeros([4, 2]);
  for (const idsShape of [[3], [4, 2]]) {
    const ids = tf.zeros(idsShape, "int32");
    assert.throws(
      () => tf.engine().runKernel("UnsortedSegmentSum", { x, segmentIds: ids }, { numSegments: 2 }),
      {
        name: "Error",
        message: "UnsortedSegmentSum (wasm): expected segmentIds of shape [4], one id per row of " +
          `x [4,2], found [${idsShape}]`,
      },
    );
    ids.dispose();
  }
  x.dispose();
  assert.deepEqual(liveCounts(), before);
});

/** The gradient of a gather (an embedding lookup) with respect to the table, on `backend`. */
async function gatherGradient(backend: string): Promise<Float32Array> {
  assert.ok(await tf.setBackend(backend));
  const table = tf.tensor2d(randomValues(9 * 4, 61), [9, 4]);
  const indices = tf.tensor2d([[1, 3, 3, 8], [0, 1, 7, 3]], [2, 4], "int32");
  const weights = tf.tensor3d(randomValues(2 * 4 * 4, 62), [2, 4, 4]);
  const gradient = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(tf.gather(t, indices), weights)))(table);
  const values = await gradient.data() as Float32Array;
  tf.dispose([table, indices, weights, gradient]);
  return values;
}

Deno.test("gather's gradient on wasm matches cpu", OPEN_RESOURCES, async () => {
  assertClose(await gatherGradient("wasm"), await gatherGradient("cpu"), 1e-6, "table gradient");
});

// Identity and Sum on wasm: the same results as tfjs-wasm's kernels, without their copies.

Deno.test(
  "wasm Identity shares the data and frees it with the last tensor",
  OPEN_RESOURCES,
  async () => {
    await tf.setBackend("wasm");
    const before = liveCounts();
    const x = tf.tensor2d([[1, 2], [3, 4]]);
    const copies = [tf.clone(x), tf.clone(x)];
    assert.equal(tf.engine().backend.numDataIds(), before[1] + 1, "one buffer for three tensors");
    x.dispose();
    assert.deepEqual(Array.from(await copies[1].data()), [1, 2, 3, 4]);
    tf.dispose(copies);
    assert.deepEqual(liveCounts(), before);
  },
);

Deno.test("leadingSumAxes recognises sums over leading axes only", () => {
  assert.equal(leadingSumAxes([64, 28, 28, 6], [0, 1, 2]), 3);
  assert.equal(leadingSumAxes([64, 28, 28, 6], [2, 0, 1]), 3);
  assert.equal(leadingSumAxes([512, 800], 0), 1);
  assert.equal(leadingSumAxes([512, 800], -2), 1);
  assert.equal(leadingSumAxes([512, 800], [0, 1]), undefined, "everything: stock");
  assert.equal(leadingSumAxes([512, 800], 1), undefined);
  assert.equal(leadingSumAxes([3, 4, 5], [0, 2]), undefined);
});

Deno.test("wasm Sum over leading axes gives the stock kernel's bytes", OPEN_RESOURCES, async () => {
  await tf.setBackend("wasm");
  const before = liveCounts();
  const cases: [number[], number | number[], boolean][] = [
    [[64, 28, 28, 6], [0, 1, 2], false],
    [[37, 801], 0, false],
    [[3, 5, 7], [0, 1], true],
    [[1, 9], 0, false],
    [[4, 1, 3], [0, 1], false],
    [[5, 6], 1, false], // not leading: the stock kernel's own path
    [[2, 3], [0, 1], false],
  ];
  for (const [shape, axis, keepDims] of cases) {
    const x = tf.tensor(randomValues(product(shape), 80).map((v) => v * 1e3), shape);
    const ours = tf.sum(x, axis, keepDims);
    const stock = tf.engine().makeTensorFromTensorInfo(
      STOCK_KERNELS.wasmSum!.kernelFunc({
        inputs: { x },
        backend: tf.backend(),
        attrs: { axis, keepDims },
      }) as tf.TensorInfo,
    );
    const what = `sum of [${shape}] over ${axis}${keepDims ? " keeping dims" : ""}`;
    assert.deepEqual(ours.shape, stock.shape, what);
    const [found, expected] = [await ours.data(), await stock.data()] as Float32Array[];
    assert.deepEqual(new Uint8Array(found.buffer), new Uint8Array(expected.buffer), what);
    const values = await x.data();
    tf.dispose([x, ours, stock]);
    await tf.setBackend("cpu");
    const reference = tf.tidy(() => tf.sum(tf.tensor(values, shape), axis, keepDims));
    assertClose(found, await reference.data() as Float32Array, 1e-5, `${what}, against cpu`);
    reference.dispose();
    await tf.setBackend("wasm");
  }
  assert.deepEqual(liveCounts(), before);
});

Deno.test("shortRowBroadcast finds short rows repeated along trailing axes", () => {
  assert.equal(shortRowBroadcast([512, 28, 28, 6], [6]), 6);
  assert.equal(shortRowBroadcast([512, 28, 28, 6], [1, 1, 1, 6]), 6);
  assert.equal(shortRowBroadcast([2, 3, 4], [3, 4]), 12);
  assert.equal(shortRowBroadcast([512, 800], [800]), undefined, "long rows stay with XNNPACK");
  assert.equal(shortRowBroadcast([4, 6], [4, 1]), undefined, "a column");
  assert.equal(shortRowBroadcast([4, 6], [1]), undefined, "a scalar");
  assert.equal(shortRowBroadcast([6], [6]), undefined, "the same shape");
  assert.equal(shortRowBroadcast([2, 3], [2, 2, 3]), undefined, "the larger shape");
});

Deno.test(
  "wasm Add with a short repeated row gives the stock kernel's bytes",
  OPEN_RESOURCES,
  async () => {
    await tf.setBackend("wasm");
    const before = liveCounts();
    const cases: [number[], number[]][] = [
      [[64, 28, 28, 6], [6]],
      [[3, 5, 7], [1, 7]],
      [[7], [2, 3, 7]], // the repeated operand first
      [[2, 3, 4], [3, 4]],
      [[5, 6], [5, 1]], // a column: the stock kernel's own path
      [[33, 100], [100]],
    ];
    for (const [aShape, bShape] of cases) {
      const a = tf.tensor(randomValues(product(aShape), 90).map((v) => v * 1e3), aShape);
      const b = tf.tensor(randomValues(product(bShape), 91), bShape);
      const ours = tf.add(a, b);
      const stock = tf.engine().makeTensorFromTensorInfo(
        STOCK_KERNELS.wasmAdd!.kernelFunc({
          inputs: { a, b },
          backend: tf.backend(),
          attrs: {},
        }) as tf.TensorInfo,
      );
      const what = `[${aShape}] + [${bShape}]`;
      assert.deepEqual(ours.shape, stock.shape, what);
      const [found, expected] = [await ours.data(), await stock.data()] as Float32Array[];
      assert.deepEqual(new Uint8Array(found.buffer), new Uint8Array(expected.buffer), what);
      tf.dispose([a, b, ours, stock]);
    }
    assert.deepEqual(liveCounts(), before);
  },
);
