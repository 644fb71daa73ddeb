import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { setWasmPaths } from "@tensorflow/tfjs-backend-wasm";
import { registerFastKernels } from "../lib/backend/kernels/register_kernels.ts";
import { matMulGeometry } from "../lib/backend/kernels/blas_mat_mul.ts";
import { planForwardGrid } from "../lib/backend/kernels/blas_conv2d_backprop_filter.ts";
import {
  activeNativeBlas,
  backendLabel,
  findNativeBlas,
  openNativeBlas,
  PARALLEL_MIN_PRODUCT,
  useNativeBlas,
} from "../lib/backend/native_blas.ts";
import { wasmDistDirectory } from "../lib/backend/wasm_paths.ts";
import { createRng } from "../lib/random/seed.ts";

// The native-BLAS kernels of the wasm backend, each compared with tfjs's 'cpu' kernel (plain
// loops, independent of BLAS and XNNPACK) on random shapes: odd sizes, strides, paddings,
// batch 1. Run with DNN_BLAS=off, the BLAS tests are skipped and the rest check the fallback.

tf.env().set("PROD", true);
setWasmPaths(wasmDistDirectory());
registerFastKernels("wasm");
await tf.setBackend("wasm");
const SEARCH = findNativeBlas();
const BLAS_TEST = { sanitizeResources: false, sanitizeOps: false, ignore: !SEARCH.blas };
const OPEN_RESOURCES = { sanitizeResources: false, sanitizeOps: false };

const product = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);

function randomValues(size: number, seed: number): Float32Array {
  const rng = createRng(seed);
  return Float32Array.from({ length: size }, () => 2 * rng() - 1);
}

/** Largest absolute difference over the largest absolute expected value. */
function relativeError(found: Float32Array, expected: Float32Array): number {
  let scale = 0;
  let error = 0;
  for (let i = 0; i < expected.length; i++) {
    scale = Math.max(scale, Math.abs(expected[i]));
    error = Math.max(error, Math.abs(found[i] - expected[i]));
  }
  return scale === 0 ? error : error / scale;
}

function assertClose(found: Float32Array, expected: Float32Array, what: string) {
  assert.equal(found.length, expected.length, `${what}: length`);
  const error = relativeError(found, expected);
  assert.ok(error < 1e-4, `${what}: relative error ${error} >= 1e-4`);
}

/** Counts tensors the engine knows and buffers the active backend holds. */
function liveCounts(): [number, number] {
  return [tf.memory().numTensors, tf.engine().backend.numDataIds()];
}

/** Runs one kernel on `backend` (wasm with or without the BLAS) and reads the result. */
async function runOn(
  backend: "cpu" | "wasm" | "wasm+blas",
  kernelName: string,
  inputs: Record<string, { shape: number[]; values: Float32Array }>,
  attrs: Record<string, unknown>,
): Promise<{ shape: number[]; values: Float32Array }> {
  await tf.setBackend(backend === "cpu" ? "cpu" : "wasm");
  useNativeBlas(backend === "wasm+blas");
  try {
    const tensors = Object.fromEntries(
      Object.entries(inputs).map(([name, { shape, values }]) => [name, tf.tensor(values, shape)]),
    );
    const output = tf.engine().runKernel(
      kernelName,
      tensors,
      attrs as tf.NamedAttrMap,
    ) as tf.Tensor;
    const result = { shape: output.shape, values: await output.data() as Float32Array };
    tf.dispose([...Object.values(tensors), output]);
    return result;
  } finally {
    useNativeBlas(true);
  }
}

/** Checks the BLAS kernel against cpu, and that it runs twice to the same bytes. */
async function assertBlasMatchesCpu(
  kernelName: string,
  inputs: Record<string, { shape: number[]; values: Float32Array }>,
  attrs: Record<string, unknown>,
  what: string,
) {
  const expected = await runOn("cpu", kernelName, inputs, attrs);
  const found = await runOn("wasm+blas", kernelName, inputs, attrs);
  assert.deepEqual(found.shape, expected.shape, `${what}: shape`);
  assertClose(found.values, expected.values, what);
  const again = await runOn("wasm+blas", kernelName, inputs, attrs);
  assert.deepEqual(
    new Uint8Array(again.values.buffer),
    new Uint8Array(found.values.buffer),
    `${what}: the same bytes on a second run`,
  );
}

function operand(shape: number[], seed: number) {
  return { shape, values: randomValues(product(shape), seed) };
}

// Finding the library.

Deno.test("openNativeBlas is off when DNN_BLAS=off, and says so", () => {
  const search = openNativeBlas("off", 1);
  assert.equal(search.blas, undefined);
  assert.equal(search.reason, "turned off with DNN_BLAS=off");
});

Deno.test("openNativeBlas explains a library that cannot be opened", () => {
  assert.throws(() => openNativeBlas("/no/such/libblas.so", 1), (error: Error) => {
    assert.match(error.message, /^DNN_BLAS=\/no\/such\/libblas\.so: expected a library with/);
    assert.match(error.message, /set DNN_BLAS=off for the plain wasm kernels/);
    return true;
  });
  const none = openNativeBlas("auto", 1, "plan9");
  assert.match(none.reason!, /no native BLAS is searched for on plan9/);
});

Deno.test("findNativeBlas follows DNN_BLAS and records the library", BLAS_TEST, () => {
  const { blas } = SEARCH;
  assert.ok(blas);
  assert.equal(activeNativeBlas(), blas);
  if (blas.record.name === "openblas") {
    assert.match(blas.record.version, /^OpenBLAS \d+\.\d+/);
    assert.ok(blas.record.threads >= 1, `threads ${blas.record.threads}`);
  }
  assert.equal(backendLabel({ name: "wasm", nativeBlas: blas.record }), `wasm+${blas.record.name}`);
  assert.equal(useNativeBlas(false), undefined);
  assert.equal(activeNativeBlas(), undefined);
  assert.equal(useNativeBlas(true), blas);
});

Deno.test("no native BLAS is found with DNN_BLAS=off", { ignore: !!SEARCH.blas }, () => {
  // The fallback pass: every kernel is the plain wasm one.
  assert.equal(activeNativeBlas(), undefined);
  assert.equal(useNativeBlas(true), undefined);
  assert.ok(SEARCH.reason);
});

// BatchMatMul and _FusedMatMul.

Deno.test("matMulGeometry broadcasts batch dimensions and checks the inner size", () => {
  const g = matMulGeometry([3, 1, 2, 5], [4, 5, 6], false, false);
  assert.deepEqual(g.outShape, [3, 4, 2, 6]);
  assert.deepEqual(g.pairs.slice(0, 5), [[0, 0], [0, 1], [0, 2], [0, 3], [1, 0]]);
  assert.deepEqual(matMulGeometry([5, 2], [6, 5], true, true).outShape, [2, 6]);
  assert.throws(() => matMulGeometry([2, 3], [4, 5], false, false), {
    message: "BatchMatMul (wasm, BLAS): expected the inner dimensions to match, found 3 in a " +
      "[2,3] and 4 in b [4,5]",
  });
});

/** Matmul shapes: odd sizes, vectors, every transpose, broadcast batches. */
function matMulCases(): [number[], number[], boolean, boolean][] {
  const cases: [number[], number[], boolean, boolean][] = [];
  for (const [m, k, n] of [[1, 1, 1], [3, 5, 7], [64, 784, 10], [1, 9, 1], [37, 300, 129]]) {
    for (const transposeA of [false, true]) {
      for (const transposeB of [false, true]) {
        cases.push([
          transposeA ? [k, m] : [m, k],
          transposeB ? [n, k] : [k, n],
          transposeA,
          transposeB,
        ]);
      }
    }
  }
  cases.push(
    [[2, 5, 3], [2, 3, 4], false, false],
    [[1, 5, 3], [4, 3, 5], true, true],
    [[3, 1, 2, 5], [1, 6, 5], false, true],
    [[2, 7, 3], [3, 4], false, false],
  );
  return cases;
}

Deno.test("BLAS BatchMatMul matches the cpu kernel, deterministically", BLAS_TEST, async () => {
  for (const [aShape, bShape, transposeA, transposeB] of matMulCases()) {
    const what = `a [${aShape}]${transposeA ? "ᵀ" : ""} b [${bShape}]${transposeB ? "ᵀ" : ""}`;
    await assertBlasMatchesCpu(
      "BatchMatMul",
      { a: operand(aShape, 1), b: operand(bShape, 2) },
      { transposeA, transposeB },
      what,
    );
  }
});

Deno.test("BLAS BatchMatMul handles empty and zero-depth products", BLAS_TEST, async () => {
  const empty = await runOn("wasm+blas", "BatchMatMul", {
    a: operand([0, 3], 1),
    b: operand([3, 4], 2),
  }, { transposeA: false, transposeB: false });
  assert.deepEqual(empty.shape, [0, 4]);
  const zeroDepth = await runOn("wasm+blas", "BatchMatMul", {
    a: operand([2, 0], 1),
    b: operand([0, 3], 2),
  }, { transposeA: false, transposeB: false });
  assert.deepEqual(Array.from(zeroDepth.values), [0, 0, 0, 0, 0, 0]);
});

Deno.test("BLAS _FusedMatMul matches the cpu kernel for every activation", BLAS_TEST, async () => {
  const activations = ["linear", "relu", "relu6", "leakyrelu", "sigmoid", "elu", "prelu"];
  for (const activation of activations) {
    for (const [m, k, n, transposeB] of [[5, 7, 3, false], [64, 33, 129, true], [1, 4, 1, false]]) {
      const bias = operand([n as number], 3);
      bias.values = bias.values.map((v) => 4 * v); // some outputs past 6 and below 0
      const inputs: Record<string, { shape: number[]; values: Float32Array }> = {
        a: operand([m as number, k as number], 1),
        b: operand(transposeB ? [n as number, k as number] : [k as number, n as number], 2),
        bias,
      };
      if (activation === "prelu") inputs.preluActivationWeights = operand([n as number], 4);
      await assertBlasMatchesCpu(
        "_FusedMatMul",
        inputs,
        { transposeA: false, transposeB, activation, leakyreluAlpha: 0.3 },
        `${activation} [${m}x${k}]·[${k}x${n}]${transposeB ? "ᵀ" : ""}`,
      );
    }
  }
  // No bias, and a scalar one.
  await assertBlasMatchesCpu(
    "_FusedMatMul",
    { a: operand([3, 4], 1), b: operand([4, 5], 2) },
    { transposeA: false, transposeB: false, activation: "relu" },
    "no bias",
  );
  await assertBlasMatchesCpu(
    "_FusedMatMul",
    { a: operand([4, 3], 1), b: operand([4, 5], 2), bias: operand([1], 3) },
    { transposeA: true, transposeB: false, activation: "linear" },
    "scalar bias, a transposed",
  );
});

// The filter gradient.

type Pad = "same" | "valid" | number | [[0, 0], [number, number], [number, number], [0, 0]];

interface ConvCase {
  x: [number, number, number, number];
  kernel: [number, number];
  filters: number;
  strides: number | [number, number];
  pad: Pad;
}

const FIXED_CONV_CASES: ConvCase[] = [
  // LeNet-5's two convolutions.
  { x: [3, 28, 28, 1], kernel: [5, 5], filters: 6, strides: 1, pad: "same" },
  { x: [2, 14, 14, 6], kernel: [5, 5], filters: 16, strides: 1, pad: "valid" },
  { x: [1, 7, 9, 3], kernel: [3, 3], filters: 4, strides: 1, pad: "same" },
  { x: [2, 7, 9, 3], kernel: [3, 5], filters: 4, strides: 2, pad: "same" },
  { x: [1, 8, 6, 2], kernel: [3, 3], filters: 5, strides: 2, pad: "valid" },
  { x: [2, 11, 10, 2], kernel: [2, 3], filters: 3, strides: [2, 3], pad: 1 },
  {
    x: [2, 9, 9, 3],
    kernel: [3, 3],
    filters: 2,
    strides: 1,
    pad: [[0, 0], [1, 2], [0, 1], [0, 0]],
  },
  { x: [1, 5, 5, 4], kernel: [1, 1], filters: 3, strides: 1, pad: "valid" },
  { x: [1, 1, 1, 1], kernel: [1, 1], filters: 1, strides: 1, pad: "valid" },
  // Windows that leave the input's last rows and columns unread.
  { x: [2, 10, 9, 2], kernel: [4, 3], filters: 3, strides: 3, pad: "valid" },
];

/** Random shapes: odd sizes, strides 1 to 3, both paddings, batch 1 to 3, 1 to 8 channels. */
function randomConvCases(count: number, seed: number): ConvCase[] {
  const rng = createRng(seed);
  const pick = <T>(items: T[]): T => items[Math.floor(rng() * items.length)];
  const cases: ConvCase[] = [];
  while (cases.length < count) {
    const kernel: [number, number] = [pick([1, 2, 3, 5]), pick([1, 3, 4, 5])];
    const channels = pick([1, 2, 3, 5, 8]);
    cases.push({
      x: [pick([1, 2, 3]), kernel[0] + pick([0, 2, 4, 7]), kernel[1] + pick([1, 3, 6]), channels],
      kernel,
      filters: pick([1, 4, 6, 7]),
      strides: pick<number | [number, number]>([1, 2, [1, 2], 3]),
      pad: pick<Pad>(["same", "valid"]),
    });
  }
  return cases;
}

function convLabel(c: ConvCase): string {
  return `x [${c.x}] k ${c.kernel.join("x")}x${c.filters} s ${c.strides} pad ${
    JSON.stringify(c.pad)
  }`;
}

function convGeometry(c: ConvCase) {
  const filterShape: [number, number, number, number] = [...c.kernel, c.x[3], c.filters];
  const info = tf.backend_util.computeConv2DInfo(c.x, filterShape, c.strides, 1, c.pad);
  return { filterShape, outShape: info.outShape as number[] };
}

async function assertFilterGradientMatchesCpu(c: ConvCase, seed: number) {
  const { filterShape, outShape } = convGeometry(c);
  await assertBlasMatchesCpu(
    "Conv2DBackpropFilter",
    { x: operand(c.x, seed), dy: operand(outShape, seed + 1) },
    { filterShape, strides: c.strides, pad: c.pad, dataFormat: "NHWC" },
    `Conv2DBackpropFilter ${convLabel(c)}`,
  );
}

Deno.test("BLAS Conv2DBackpropFilter matches the cpu kernel", BLAS_TEST, async () => {
  for (const [i, c] of [...FIXED_CONV_CASES, ...randomConvCases(30, 9)].entries()) {
    await assertFilterGradientMatchesCpu(c, 30 + 2 * i);
  }
});

Deno.test("BLAS Conv2DBackpropFilter splits large batches into chunks", BLAS_TEST, async () => {
  // Columns of 5·5·8 rows and 16·16 positions a sample: 5 samples to a chunk, the last partial.
  await assertFilterGradientMatchesCpu(
    { x: [47, 12, 12, 8], kernel: [5, 5], filters: 6, strides: 1, pad: "same" },
    40,
  );
});

Deno.test("planForwardGrid plans 'same' and 'valid' grids and leaves NCHW to wasm", () => {
  const info = (x: number[], filter: number[], strides: number, pad: "same" | "valid") =>
    tf.backend_util.computeConv2DInfo(
      x as [number, number, number, number],
      filter as [number, number, number, number],
      strides,
      1,
      pad,
    );
  const same = planForwardGrid(info([2, 28, 28, 1], [5, 5, 1, 6], 1, "same"))!;
  assert.deepEqual([same.gridHeight, same.gridWidth, same.placeTop, same.placeLeft], [
    32,
    32,
    2,
    2,
  ]);
  // Stride 3, 'valid' 4x3 on 10x10: 3 outputs a row read columns 0 to 8 (the grid is 9 wide);
  // rows 0 to 9.
  const strided = planForwardGrid(info([1, 10, 10, 2], [4, 3, 2, 3], 3, "valid"))!;
  assert.deepEqual([strided.gridHeight, strided.gridWidth, strided.outWidth], [10, 9, 3]);
  const nchw = tf.backend_util.computeConv2DInfo(
    [1, 3, 8, 8],
    [3, 3, 3, 4],
    1,
    1,
    "same",
    undefined,
    false,
    "channelsFirst",
  );
  assert.equal(planForwardGrid(nchw), undefined);
});

Deno.test("BLAS Conv2DBackpropFilter hands NCHW to the wasm kernel", BLAS_TEST, async () => {
  await assertBlasMatchesCpu(
    "Conv2DBackpropFilter",
    { x: operand([2, 3, 7, 6], 52), dy: operand([2, 4, 7, 6], 53) },
    { filterShape: [3, 3, 3, 4], strides: 1, pad: "same", dataFormat: "NCHW" },
    "Conv2DBackpropFilter, NCHW",
  );
});

Deno.test("BLAS kernels leak no tensors and reject dy of the wrong shape", BLAS_TEST, async () => {
  await tf.setBackend("wasm");
  useNativeBlas(true);
  const before = liveCounts();
  const x = tf.tensor4d(randomValues(2 * 9 * 9 * 3, 60), [2, 9, 9, 3]);
  const w = tf.tensor4d(randomValues(3 * 3 * 3 * 4, 61), [3, 3, 3, 4]);
  const { value, grads } = tf.valueAndGrads((x: tf.Tensor, w: tf.Tensor) =>
    tf.sum(tf.square(tf.matMul(
      tf.reshape(tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, 2, "same"), [2, 25 * 4]),
      tf.ones([100, 3]),
    )))
  )([x, w]);
  tf.dispose([x, w, value, ...grads]);
  assert.deepEqual(liveCounts(), before);
  const dy = tf.zeros([1, 5, 5, 3]);
  const input = tf.zeros([1, 6, 6, 2]);
  assert.throws(
    () =>
      tf.engine().runKernel("Conv2DBackpropFilter", { x: input, dy }, {
        strides: 1,
        pad: "same",
        dataFormat: "NHWC",
        filterShape: [3, 3, 2, 3],
      }),
    {
      message: "Conv2DBackpropFilter (wasm, BLAS): expected dy of shape [1,6,6,3] for x of " +
        "shape [1,6,6,2] and filter [3,3,2,3], found [1,5,5,3]",
    },
  );
  tf.dispose([dy, input]);
  assert.deepEqual(liveCounts(), before);
});

// A training step: BLAS against plain wasm.

const LENET_SHAPES = [[5, 5, 1, 6], [6], [5, 5, 6, 16], [16], [256, 10], [10]];

function lenetLoss(params: tf.Tensor[], images: tf.Tensor4D, labels: tf.Tensor2D): tf.Scalar {
  const [w1, b1, w2, b2, w3, b3] = params;
  let h = tf.relu(tf.add(tf.conv2d(images, w1 as tf.Tensor4D, 1, "same"), b1)) as tf.Tensor4D;
  h = tf.maxPool(h, 2, 2, "valid"); // 28 -> 14
  h = tf.relu(tf.add(tf.conv2d(h, w2 as tf.Tensor4D, 1, "valid"), b2)) as tf.Tensor4D; // 10
  h = tf.maxPool(h, 2, 2, "valid"); // 5x5x16... cropped to 4x4x16 below
  const flat = tf.reshape(tf.slice(h, [0, 0, 0, 0], [-1, 4, 4, 16]), [images.shape[0], 256]);
  const logits = tf.add(tf.matMul(flat, w3), b3);
  return tf.losses.softmaxCrossEntropy(labels, logits) as tf.Scalar;
}

async function lenetGradients(backend: "cpu" | "wasm" | "wasm+blas"): Promise<Float32Array[]> {
  await tf.setBackend(backend === "cpu" ? "cpu" : "wasm");
  useNativeBlas(backend === "wasm+blas");
  try {
    const params = LENET_SHAPES.map((shape, i) =>
      tf.tensor(randomValues(product(shape), 100 + i).map((v) => v * 0.5), shape)
    );
    const images = tf.tensor4d(randomValues(5 * 28 * 28, 7), [5, 28, 28, 1]);
    const labels = tf.oneHot(tf.tensor1d([0, 3, 7, 9, 1], "int32"), 10) as tf.Tensor2D;
    const gradients = tf.grads((...p: tf.Tensor[]) => lenetLoss(p, images, labels))(params);
    const values = await Promise.all(gradients.map((g) => g.data() as Promise<Float32Array>));
    tf.dispose([...params, images, labels, ...gradients]);
    return values;
  } finally {
    useNativeBlas(true);
  }
}

Deno.test("LeNet-5 gradients with the BLAS match cpu and plain wasm", BLAS_TEST, async () => {
  const expected = await lenetGradients("cpu");
  const plain = await lenetGradients("wasm");
  const blas = await lenetGradients("wasm+blas");
  const again = await lenetGradients("wasm+blas");
  expected.forEach((values, i) => {
    const what = `gradient of parameter ${i} [${LENET_SHAPES[i]}]`;
    assertClose(blas[i], values, `${what}, BLAS against cpu`);
    assertClose(blas[i], plain[i], `${what}, BLAS against plain wasm`);
    assert.deepEqual(new Uint8Array(again[i].buffer), new Uint8Array(blas[i].buffer), what);
  });
});

Deno.test("plain wasm kernels run while the BLAS is off", OPEN_RESOURCES, async () => {
  const expected = await lenetGradients("cpu");
  const plain = await lenetGradients("wasm");
  expected.forEach((values, i) => assertClose(plain[i], values, `parameter ${i}, plain wasm`));
});

Deno.test("OpenBLAS on 2 threads gives the same bytes run after run", BLAS_TEST, () => {
  const blas = openNativeBlas("auto", 2).blas!;
  // Large enough for 2 threads; odd sizes so that the threads' shares differ.
  const [m, n, k] = [333, 777, 555];
  const a = randomValues(m * k, 70);
  const b = randomValues(k * n, 71);
  const products = [0, 1, 2].map(() => {
    const c = new Float32Array(m * n);
    blas.sgemm(true, false, m, n, k, 1, a, m, b, n, 0, c, n);
    return c;
  });
  assert.ok(m * n * k >= PARALLEL_MIN_PRODUCT);
  assert.deepEqual(products[1], products[0]);
  assert.deepEqual(products[2], products[0]);
  // The 1-thread handle in use is set back to 1 thread for its next product.
  const single = new Float32Array(m * n);
  SEARCH.blas!.sgemm(true, false, m, n, k, 1, a, m, b, n, 0, single, n);
  const expected = new Float32Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let sum = 0;
      for (let l = 0; l < k; l++) sum += a[l * m + i] * b[l * n + j];
      expected[i * n + j] = sum;
    }
  }
  assertClose(single, expected, "1 thread against a double-precision loop");
  assertClose(products[0], expected, "2 threads against a double-precision loop");
});
