/**
 * Where the wasm backend's `.wasm` binaries are on disk.
 *
 * @module
 */

import { projectPath } from "../io/project_paths.ts";

/**
 * The folder that holds tfjs-backend-wasm's `.wasm` binaries, as a plain filesystem path ending
 * with a slash: the form `setWasmPaths` needs under Deno, which reads the binaries from disk and
 * does not accept a `file://` URL.
 *
 * @returns The absolute path of `node_modules/@tensorflow/tfjs-backend-wasm/dist/` in this project.
 *
 * @example
 * ```ts
 * import { wasmDistDirectory } from "./wasm_paths.ts";
 * const directory = wasmDistDirectory();
 * if (!directory.endsWith("/tfjs-backend-wasm/dist/")) throw new Error(directory);
 * ```
 */
export function wasmDistDirectory(): string {
  // With the trailing separator: setWasmPaths appends the file name to it.
  return projectPath("node_modules/@tensorflow/tfjs-backend-wasm/dist/");
}

/**
 * The folder that holds tfjs-backend-wasm's emscripten glue (`wasm-out/`): the threaded build's
 * module factory and its pthread worker script, which the framework's worker loads by path.
 *
 * @returns The absolute path of `node_modules/@tensorflow/tfjs-backend-wasm/wasm-out/`.
 *
 * @example
 * ```ts
 * import { wasmGlueDirectory } from "./wasm_paths.ts";
 * if (!wasmGlueDirectory().endsWith("/tfjs-backend-wasm/wasm-out/")) throw new Error();
 * ```
 */
export function wasmGlueDirectory(): string {
  return projectPath("node_modules/@tensorflow/tfjs-backend-wasm/wasm-out/");
}
