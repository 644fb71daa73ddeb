/**
 * `deno task bench`: training, inference and matmul throughput on every backend, beside
 * PyTorch's on the same machine. Writes `reports/bench/bench.json` and the page
 * `reports/bench/index.html` beside it, and prints a table.
 *
 *     deno task bench                      # all backends, batches 64 and 512, 2 s each
 *     deno task bench --quick              # batch 64, matmul 1024², 0.5 s each
 *     deno task bench --backends wasm --no-peer --seconds 5
 *     deno task bench --threads 1          # wasm on one thread, as before threads were used
 *     DNN_BLAS=off deno task bench         # wasm without the native BLAS (no wasm+openblas rows)
 *
 * @module
 */

import { parseThreads, THREADS_HELP } from "../cli/thread_option.ts";
import { Command, InvalidArgumentError } from "@commander-js/extra-typings";
import { type BackendName, BACKENDS } from "../backend/select_backend.ts";
import { toCanonicalJson } from "../io/canonical_json.ts";
import { writeTextFileAtomic } from "../io/atomic_write.ts";
import { writeAssets } from "../report/assets.ts";
import { dirname } from "node:path";
import { renderBenchPage } from "./bench_page.ts";
import { describeBenchBlas, formatBenchTable, WORKLOADS } from "./records.ts";
import { runBench } from "./run_bench.ts";

/** Where the report goes. */
export const BENCH_JSON = "reports/bench/bench.json";

function parseBackends(value: string): BackendName[] {
  const names = value.split(",").map((name) => name.trim()).filter((name) => name !== "");
  const unknown = names.filter((name) => !BACKENDS.includes(name as BackendName));
  if (names.length === 0 || unknown.length > 0) {
    throw new InvalidArgumentError(
      `expected a comma-separated list of ${BACKENDS.join(", ")}, found ${JSON.stringify(value)}`,
    );
  }
  return names as BackendName[];
}
function parseSeconds(value: string): number {
  const seconds = Number(value);
  if (!(seconds > 0)) {
    throw new InvalidArgumentError(
      `expected a positive number of seconds, found ${JSON.stringify(value)}`,
    );
  }
  return seconds;
}

if (import.meta.main) {
  const program = new Command()
    .name("deno task bench")
    .description("Training, inference and matmul throughput per backend, beside PyTorch's.")
    .option("--backends <list>", "comma-separated backends", parseBackends, [...BACKENDS])
    .option("--seconds <seconds>", "timed seconds per measurement", parseSeconds)
    .option("--quick", "batch 64 only, matmul 1024² only, 0.5 s per measurement", false)
    .option("--no-peer", "skip the PyTorch peer")
    .option(
      "--threads <n>",
      THREADS_HELP,
      parseThreads,
    )
    .option("--out <path>", "the JSON report", BENCH_JSON)
    .parse(["deno", "bench", ...Deno.args]);
  const options = program.opts();
  const report = await runBench({
    backends: options.backends,
    workloads: WORKLOADS,
    batches: options.quick ? [64] : [64, 512],
    matmulSizes: options.quick ? [1024] : [1024, 2048],
    seconds: options.seconds ?? (options.quick ? 0.5 : 2),
    peer: options.peer,
    wasmThreads: options.threads,
    log: (line) => console.error(line),
  });
  await writeTextFileAtomic(options.out, toCanonicalJson(report));
  const page = options.out.replace(/[^/]*$/, "index.html");
  await writeTextFileAtomic(page, await renderBenchPage(report));
  // The page links the shared stylesheet in ../assets/, beside the other reports. A bundle run
  // on a machine without node_modules (a lent GPU machine) cannot copy the vega builds; the
  // measurements are written by then, so say so and go on.
  const assetsNote = await writeAssets(dirname(dirname(page))).then(
    () => undefined,
    (error: Error) => `the page's shared assets were not written: ${error.message}`,
  );
  console.log(formatBenchTable(report.records));
  if (assetsNote) console.log(assetsNote);
  const { peer, skippedBackends, skippedMeasurements, nativeBlas } = report.header;
  if ("torch" in peer) {
    console.log(`PyTorch ${peer.torch} on ${peer.device}, ${peer.threads} threads`);
  }
  if (nativeBlas) console.log(describeBenchBlas(nativeBlas));
  const { load, machine } = report.header;
  if (load) {
    console.log(
      `load average ${load.started.join(", ")} -> ${
        load.finished.join(", ")
      } on ${machine.cpuCores} cores`,
    );
  }
  if ("skipped" in peer) console.log(`PyTorch peer skipped: ${peer.skipped}`);
  for (const [name, reason] of Object.entries(skippedBackends)) {
    console.log(`${name} skipped: ${reason}`);
  }
  for (const note of skippedMeasurements) console.log(`skipped ${note}`);
  console.log(`wrote ${options.out} and ${page}`);
  Deno.exit(0);
}
