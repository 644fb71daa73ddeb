/**
 * The backends the framework may select, set up as training sets them up (the framework's kernels
 * registered), for tests that must hold on each of them.
 *
 * @module
 */

import * as tf from "@tensorflow/tfjs";
import { registerFastKernels } from "../lib/backend/kernels/register_kernels.ts";
import { activateBackend, type BackendName, probeWebGpu } from "../lib/backend/select_backend.ts";

tf.env().set("PROD", true);

/** Whether a WebGPU adapter exists here (lavapipe counts). */
export const HAS_WEBGPU = (await probeWebGpu()) !== undefined;

/** Every backend the framework may select, fastest CPU path first. */
export const ALL_BACKENDS: readonly BackendName[] = ["cpu", "wasm", "webgpu"];

/** The wasm module, its threads and the WebGPU device stay open for the whole file. */
export const OPEN_RESOURCES = { sanitizeResources: false, sanitizeOps: false };

/**
 * Options for a test on `backend`: resources left open, and ignored (reported as such) on webgpu
 * when there is no adapter.
 */
export function backendTestOptions(backend: BackendName) {
  return { ...OPEN_RESOURCES, ignore: backend === "webgpu" && !HAS_WEBGPU };
}

/** Makes `backend` the active one, with the framework's kernels registered as in training. */
export async function useBackend(backend: BackendName): Promise<void> {
  registerFastKernels(backend);
  await activateBackend(backend);
}
