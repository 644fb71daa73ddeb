/**
 * Backend choice. `auto` takes WebGPU when Deno exposes a hardware GPU adapter; otherwise the
 * fastest CPU path that has every kernel the experiment needs. WebGPU on a software adapter (Mesa's
 * lavapipe/llvmpipe, SwiftShader) is a CPU path, never mistaken for a GPU.
 *
 * CPU paths, fastest first, as measured for LeNet-5 training at batch 64 on a 2-core machine
 * (see `deno task bench`): wasm with the framework's Conv2DBackpropFilter, then WebGPU on
 * lavapipe, then tfjs's pure-JavaScript cpu backend.
 *
 * @module
 */

import * as tf from "@tensorflow/tfjs";
import "@tensorflow/tfjs-backend-webgpu";
import { setWasmPaths } from "@tensorflow/tfjs-backend-wasm";
import type { BackendRecord } from "../experiment/records.ts";
import { registerFastKernels } from "./kernels/register_kernels.ts";
import { activeNativeBlas, findNativeBlas } from "./native_blas.ts";
import { wasmDistDirectory } from "./wasm_paths.ts";
import { requestWasmThreads, runningWasmThreads, startWasmBackend } from "./wasm_threads.ts";

/** The backends the framework can run on. */
export const BACKENDS = ["webgpu", "wasm", "cpu"] as const;
/** A backend name. */
export type BackendName = typeof BACKENDS[number];
/** What `--backend` accepts. */
export type BackendRequest = BackendName | "auto";

/** CPU paths in order of measured speed. */
export const CPU_PREFERENCE: readonly BackendName[] = ["wasm", "webgpu", "cpu"];

/** A WebGPU adapter's description. */
export type AdapterRecord = NonNullable<BackendRecord["adapter"]>;

const SOFTWARE_ADAPTER = /llvmpipe|lavapipe|swiftshader|software|softpipe|warp/i;

/**
 * Asks Deno for a WebGPU adapter.
 *
 * @returns The adapter's description, or `undefined` when there is none.
 */
export async function probeWebGpu(): Promise<AdapterRecord | undefined> {
  // Mesa's Vulkan loader complains on every adapter request when this is unset (CI, containers).
  if (!Deno.env.get("XDG_RUNTIME_DIR")) Deno.env.set("XDG_RUNTIME_DIR", Deno.makeTempDirSync());
  const gpu = (globalThis.navigator as { gpu?: GPU } | undefined)?.gpu;
  if (!gpu) return undefined;
  const adapter = await gpu.requestAdapter({ powerPreference: "high-performance" }).catch(() =>
    null
  );
  if (!adapter) return undefined;
  const info = adapter.info;
  return {
    vendor: info.vendor,
    architecture: info.architecture,
    device: info.device,
    description: info.description,
    isFallbackAdapter: (info as { isFallbackAdapter?: boolean }).isFallbackAdapter ??
      (adapter as { isFallbackAdapter?: boolean }).isFallbackAdapter ?? false,
  };
}

/**
 * Whether an adapter is a hardware GPU: not a fallback adapter and not a known software renderer.
 *
 * @param adapter The adapter's description.
 * @returns True for a hardware GPU.
 *
 * @example
 * ```ts
 * import { isHardwareGpu } from "./select_backend.ts";
 * const lavapipe = {
 *   vendor: "mesa", architecture: "", device: "0",
 *   description: "llvmpipe (LLVM 15.0.6, 256 bits)", isFallbackAdapter: true,
 * };
 * if (isHardwareGpu(lavapipe)) throw new Error("lavapipe is a CPU");
 * ```
 */
export function isHardwareGpu(adapter: AdapterRecord): boolean {
  if (adapter.isFallbackAdapter) return false;
  const text = [adapter.vendor, adapter.architecture, adapter.device, adapter.description].join(
    " ",
  );
  return !SOFTWARE_ADAPTER.test(text);
}

/**
 * Decides which backend to use, without initialising anything. Pure, so it can be tested.
 *
 * @param request What the user asked for.
 * @param adapter The WebGPU adapter, if any.
 * @param missingKernels For each backend, the required kernels it lacks.
 * @returns The backend name and one sentence saying why.
 * @throws {Error} When the requested backend cannot run the experiment.
 *
 * @example
 * ```ts
 * import { chooseBackend } from "./select_backend.ts";
 * const choice = chooseBackend("auto", undefined, { webgpu: [], wasm: [], cpu: [] });
 * if (choice.name !== "wasm") throw new Error(choice.reason);
 * ```
 */
export function chooseBackend(
  request: BackendRequest,
  adapter: AdapterRecord | undefined,
  missingKernels: Record<BackendName, string[]>,
): { name: BackendName; reason: string } {
  const available = (name: BackendName) => name !== "webgpu" || adapter !== undefined;
  if (request !== "auto") {
    if (!available(request)) {
      throw new Error(
        `--backend webgpu: expected a WebGPU adapter, found none (on a machine without a GPU, install Mesa's Vulkan drivers: apt-get install mesa-vulkan-drivers)`,
      );
    }
    if (missingKernels[request].length > 0) {
      throw new Error(
        `--backend ${request}: this experiment needs kernels the ${request} backend lacks: ${
          missingKernels[request].join(", ")
        }`,
      );
    }
    return { name: request, reason: `requested with --backend ${request}` };
  }
  if (adapter && isHardwareGpu(adapter) && missingKernels.webgpu.length === 0) {
    return { name: "webgpu", reason: `hardware GPU adapter found: ${adapter.description}` };
  }
  const gpuNote = adapter
    ? `the WebGPU adapter is a software renderer (${adapter.description}), so it counts as a CPU path`
    : "no WebGPU adapter";
  const skipped: string[] = [];
  for (const name of CPU_PREFERENCE) {
    if (!available(name)) continue;
    if (missingKernels[name].length === 0) {
      const skippedNote = skipped.length > 0 ? `; skipped ${skipped.join("; ")}` : "";
      return {
        name,
        reason:
          `${gpuNote}; ${name} is the fastest CPU path with every kernel needed${skippedNote}`,
      };
    }
    skipped.push(`${name} (lacks ${missingKernels[name].join(", ")})`);
  }
  throw new Error(`No backend has every kernel this experiment needs: ${skipped.join("; ")}`);
}

/**
 * Chooses a backend, initialises it and registers the framework's kernels on it.
 *
 * @param request What the user asked for.
 * @param requiredKernels Kernels the experiment needs.
 * @param wasmThreads Threads for the wasm backend, if it is chosen (default: one per core).
 * @returns The record that goes into `run.json`.
 */
export async function selectBackend(
  request: BackendRequest,
  requiredKernels: readonly string[],
  wasmThreads?: number,
): Promise<BackendRecord> {
  if (wasmThreads !== undefined) requestWasmThreads(wasmThreads);
  // PROD silences tfjs's console banners (e.g. "install tfjs-node" on the cpu backend, which does
  // not apply to Deno) and skips its debug-mode checks.
  tf.env().set("PROD", true);
  const adapter = await probeWebGpu();
  for (const name of BACKENDS) registerFastKernels(name);
  const missingKernels = Object.fromEntries(
    BACKENDS.map((name) => [name, requiredKernels.filter((kernel) => !tf.getKernel(kernel, name))]),
  ) as Record<BackendName, string[]>;
  const choice = chooseBackend(request, adapter, missingKernels);
  await activateBackend(choice.name);
  const blas = choice.name === "wasm" ? activeNativeBlas()?.record : undefined;
  return {
    name: choice.name,
    reason: choice.name === "wasm" ? `${choice.reason}; ${describeNativeBlas()}` : choice.reason,
    hardwareGpu: choice.name === "webgpu" && adapter !== undefined && isHardwareGpu(adapter),
    adapter,
    ...(choice.name === "wasm" ? { threads: runningWasmThreads() } : {}),
    ...(blas ? { nativeBlas: blas } : {}),
  };
}

/**
 * Makes `name` the active tfjs backend, initialising it if needed.
 *
 * @param name The backend.
 * @throws {Error} When it fails to initialise.
 */
export async function activateBackend(name: BackendName): Promise<void> {
  if (tf.getBackend() === name) return;
  let ok: boolean;
  if (name === "wasm") {
    setWasmPaths(wasmDistDirectory());
    ok = await startWasmBackend();
    // The wasm kernels use the BLAS from here on, if there is one.
    findNativeBlas();
  } else {
    ok = await tf.setBackend(name);
  }
  await tf.ready();
  if (!ok || tf.getBackend() !== name) {
    throw new Error(
      `Expected the ${name} backend to initialise, but tfjs is on ${tf.getBackend()}`,
    );
  }
  if (name === "webgpu") watchDeviceLoss();
}

/**
 * One clause on the wasm backend's BLAS, for the backend's reason and the progress line.
 *
 * @returns E.g. `matmuls and filter gradients on OpenBLAS 0.3.21, Haswell kernels, 1 thread
 *   (native, through FFI)`, or why the plain wasm kernels run.
 */
export function describeNativeBlas(): string {
  const search = findNativeBlas();
  const blas = activeNativeBlas();
  if (blas) {
    const { version, threads } = blas.record;
    const threadNote = threads > 0 ? `, ${threads} thread${threads === 1 ? "" : "s"}` : "";
    return `matmuls and filter gradients on ${version}${threadNote} (native, through FFI)`;
  }
  return `plain wasm kernels: ${search.reason ?? "the native BLAS is turned off in this process"}`;
}

let deviceLost: string | undefined;
const watched = new WeakSet<object>();

/** Notes it when the WebGPU device goes away (a driver reset, a GPU removed, destroy()). */
function watchDeviceLoss(): void {
  const device = (tf.backend() as unknown as { device?: GPUDevice }).device;
  if (!device || watched.has(device)) return;
  watched.add(device);
  device.lost.then((info) => {
    deviceLost = `${info.reason ?? "unknown reason"}${info.message ? `: ${info.message}` : ""}`;
  });
}

/**
 * Why the WebGPU device was lost, if it was: after that, its results cannot be trusted.
 *
 * @returns The reason, or `undefined` while the device is fine (or WebGPU is not in use).
 *
 * @example
 * ```ts
 * import { webGpuDeviceLost } from "./select_backend.ts";
 * if (webGpuDeviceLost() !== undefined) throw new Error("no device was used yet");
 * ```
 */
export function webGpuDeviceLost(): string | undefined {
  return deviceLost;
}

/**
 * Whether a failure was the WebGPU device going away: the device reports its loss a moment
 * after the operation that found it gone fails, so this waits briefly for the report.
 *
 * @returns The reason, or `undefined` when the device is fine.
 */
export async function deviceLossAfterError(): Promise<string | undefined> {
  for (let i = 0; i < 10 && deviceLost === undefined; i++) {
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return deviceLost;
}
