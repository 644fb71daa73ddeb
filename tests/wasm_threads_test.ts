import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { activateBackend } from "../lib/backend/select_backend.ts";
import {
  checkWasmThreads,
  MAX_WASM_THREADS,
  requestWasmThreads,
  runningWasmThreads,
} from "../lib/backend/wasm_threads.ts";
import { describeBackend } from "../lib/experiment/records.ts";

Deno.test("checkWasmThreads accepts 1 to 8 and names what it found otherwise", () => {
  for (let threads = 1; threads <= MAX_WASM_THREADS; threads++) {
    assert.equal(checkWasmThreads(threads), threads);
  }
  for (const bad of [0, 9, 1.5, NaN]) {
    assert.throws(() => checkWasmThreads(bad), {
      name: "RangeError",
      message: `Expected the wasm thread count to be an integer from 1 to 8 but found ${bad}`,
    });
  }
});

Deno.test("describeBackend names wasm's threads and nothing else's", () => {
  const base = { reason: "", hardwareGpu: false };
  assert.equal(describeBackend({ ...base, name: "wasm", threads: 2 }), "wasm on 2 threads");
  assert.equal(describeBackend({ ...base, name: "wasm", threads: 1 }), "wasm on 1 thread");
  assert.equal(describeBackend({ ...base, name: "cpu" }), "cpu");
});

Deno.test("wasm on 2 threads computes what 1 thread computes, bit for bit, and exits by itself", async () => {
  // A fresh process per count: the pool is fixed when the backend starts.
  const script = `
    import * as tf from "@tensorflow/tfjs";
    import { activateBackend } from "./lib/backend/select_backend.ts";
    import { registerFastKernels } from "./lib/backend/kernels/register_kernels.ts";
    import { requestWasmThreads, runningWasmThreads } from "./lib/backend/wasm_threads.ts";
    requestWasmThreads(Number(Deno.args[0]));
    registerFastKernels("wasm");
    await activateBackend("wasm");
    const x = tf.randomNormal([8, 28, 28, 3], 0, 1, "float32", 11);
    const w = tf.randomNormal([5, 5, 3, 16], 0, 1, "float32", 12);
    const a = tf.randomNormal([300, 257], 0, 1, "float32", 13);
    const y = tf.conv2d(x, w, 1, "same");
    const [dx, dw] = tf.grads((x, w) => tf.conv2d(x, w, 1, "same").square().sum())([x, w]);
    const outputs = [y, dx, dw, tf.matMul(a, a, false, true)];
    const bytes = outputs.map((t) => new Uint8Array(t.dataSync().buffer));
    const hash = await crypto.subtle.digest("SHA-256", await new Blob(bytes).arrayBuffer());
    console.log(JSON.stringify({ threads: runningWasmThreads(), hash: Array.from(new Uint8Array(hash)).join(",") }));
  `;
  const results = [];
  for (const threads of [1, 2]) {
    const command = new Deno.Command(Deno.execPath(), {
      args: ["eval", "--ext=ts", script, String(threads)],
      stdout: "piped",
      stderr: "piped",
      signal: AbortSignal.timeout(60_000),
    });
    const output = await command.output();
    const stderr = new TextDecoder().decode(output.stderr);
    assert.equal(output.code, 0, `a process on ${threads} threads did not exit cleanly: ${stderr}`);
    results.push(JSON.parse(new TextDecoder().decode(output.stdout)));
  }
  assert.deepEqual(results.map((result) => result.threads), [1, 2]);
  assert.equal(results[1].hash, results[0].hash);
});

Deno.test("requestWasmThreads refuses another count once the pool runs", async () => {
  await activateBackend("wasm");
  const running = runningWasmThreads();
  assert.ok(running !== undefined && running >= 1);
  requestWasmThreads(running);
  const other = running === 1 ? 2 : 1;
  assert.throws(() => requestWasmThreads(other), {
    message:
      `Expected to run wasm on ${other} threads, but it already runs on ${running} in this process; the count is fixed when the backend starts`,
  });
  assert.equal(tf.getBackend(), "wasm");
});
