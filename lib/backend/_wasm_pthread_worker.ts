/**
 * One pthread of tfjs-backend-wasm's threaded build, run in a `node:worker_threads` worker.
 *
 * Under Deno, tfjs's emscripten glue runs in its Node mode. That mode starts each pthread with
 * `new Worker(url)` on a blob URL, which Deno's `node:worker_threads` refuses, and its worker
 * script loads the module factory from a Blob with a synchronous file read. This file is what
 * starts instead (see `wasm_threads.ts`): it evaluates tfjs's own worker script unchanged, and
 * hands it the factory's file path in place of the Blob.
 *
 * @module
 */

import { createRequire } from "node:module";
import * as workerThreads from "node:worker_threads";
import { wasmGlueDirectory } from "./wasm_paths.ts";

const GLUE = wasmGlueDirectory();
const FACTORY = `${GLUE}tfjs-backend-wasm-threaded-simd.js`;
const requireModule = createRequire(import.meta.url);
const { wasmWorkerContents } = requireModule(`${GLUE}tfjs-backend-wasm-threaded-simd.worker.js`);

const port = workerThreads.parentPort;
if (!port) throw new Error("_wasm_pthread_worker.ts must run in a node:worker_threads worker");

/** The parent port as the worker script sees it: "load" messages name the factory's file. */
const portForScript = {
  on(event: string, handler: (data: unknown) => void) {
    port.on(event, (data: { cmd?: string }) => {
      handler(data?.cmd === "load" ? { ...data, urlOrBlob: FACTORY } : data);
    });
  },
  postMessage: (message: unknown) => port.postMessage(message),
};

const scope = globalThis as Record<string, unknown>;
// The script assigns these on the global object (Object.assign(global, {...})); in a Deno worker
// some of them are getters only.
for (const name of ["self", "location", "performance", "postMessage"]) {
  Object.defineProperty(scope, name, {
    value: scope[name],
    writable: true,
    configurable: true,
    enumerable: true,
  });
}
scope.global = globalThis;
scope.__filename = FACTORY;
scope.__dirname = GLUE;
scope.require = (name: string) =>
  name === "worker_threads" ? { ...workerThreads, parentPort: portForScript } : requireModule(name);

// The script is shipped as the contents of a template literal, so its "\n" escapes arrived as
// newlines; tfjs escapes them the same way before it makes its Blob.
(0, eval)(wasmWorkerContents.replace(/\n/g, "\\n"));
