import assert from "node:assert/strict";
import { chooseBackend, isHardwareGpu } from "../lib/backend/select_backend.ts";

const LAVAPIPE = {
  vendor: "mesa",
  architecture: "",
  device: "0",
  description: "llvmpipe (LLVM 15.0.6, 256 bits)",
  isFallbackAdapter: true,
};
const H100 = {
  vendor: "nvidia",
  architecture: "",
  device: "0x2330",
  description: "NVIDIA H100 80GB HBM3",
  isFallbackAdapter: false,
};
const NONE_MISSING = { webgpu: [], wasm: [], cpu: [] };

Deno.test("isHardwareGpu tells lavapipe from a real GPU", () => {
  assert.equal(isHardwareGpu(LAVAPIPE), false);
  assert.equal(isHardwareGpu({ ...LAVAPIPE, isFallbackAdapter: false }), false);
  assert.equal(isHardwareGpu({ ...H100, description: "SwiftShader Device" }), false);
  assert.equal(isHardwareGpu(H100), true);
});

Deno.test("chooseBackend auto takes a hardware GPU", () => {
  const choice = chooseBackend("auto", H100, NONE_MISSING);
  assert.equal(choice.name, "webgpu");
  assert.equal(choice.reason, "hardware GPU adapter found: NVIDIA H100 80GB HBM3");
});

Deno.test("chooseBackend auto treats lavapipe as a CPU path and prefers wasm", () => {
  const choice = chooseBackend("auto", LAVAPIPE, NONE_MISSING);
  assert.equal(choice.name, "wasm");
  assert.match(choice.reason, /software renderer \(llvmpipe.*\), so it counts as a CPU path/);
});

Deno.test("chooseBackend auto skips a CPU path that lacks a kernel and says so", () => {
  const choice = chooseBackend("auto", LAVAPIPE, {
    webgpu: [],
    wasm: ["Conv2DBackpropFilter"],
    cpu: [],
  });
  assert.equal(choice.name, "webgpu");
  assert.match(choice.reason, /skipped wasm \(lacks Conv2DBackpropFilter\)/);
  const noGpu = chooseBackend("auto", undefined, { webgpu: [], wasm: ["X"], cpu: [] });
  assert.equal(noGpu.name, "cpu");
});

Deno.test("chooseBackend refuses a requested backend that cannot run the experiment", () => {
  assert.throws(
    () => chooseBackend("webgpu", undefined, NONE_MISSING),
    /expected a WebGPU adapter, found none/,
  );
  assert.throws(
    () => chooseBackend("wasm", undefined, { webgpu: [], wasm: ["Conv2DBackpropFilter"], cpu: [] }),
    {
      message:
        "--backend wasm: this experiment needs kernels the wasm backend lacks: Conv2DBackpropFilter",
    },
  );
  assert.equal(chooseBackend("cpu", H100, NONE_MISSING).name, "cpu");
});
