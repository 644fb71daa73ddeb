/**
 * Runs the PyTorch peer (`lib/bench/torch_peer.py`) and reads its one JSON object, so that each
 * tfjs figure can stand beside PyTorch's on the same machine.
 *
 * @module
 */

import { projectPath } from "../io/project_paths.ts";
import type { BenchRecord, Workload } from "./records.ts";
import { WORKLOADS } from "./records.ts";

/** What the peer printed, its records in {@linkcode BenchRecord} form. */
export interface PeerResult {
  torch: string;
  device: string;
  threads: number;
  records: BenchRecord[];
}

/** Interpreters tried, in order: Debian's system python3 has python3-torch. */
const PYTHON_CANDIDATES = ["/usr/bin/python3", "python3"];

/**
 * Finds a Python interpreter that can `import torch`.
 *
 * @returns Its command, or `undefined` when none can.
 */
export async function findTorchPython(): Promise<string | undefined> {
  for (const command of PYTHON_CANDIDATES) {
    try {
      const { success } = await new Deno.Command(command, {
        args: ["-c", "import torch"],
        stdout: "null",
        stderr: "null",
      }).output();
      if (success) return command;
    } catch {
      // Not installed: try the next one.
    }
  }
  return undefined;
}

/**
 * Parses the peer's output: one JSON object, on the last non-empty line of stdout.
 *
 * @param text The peer's stdout.
 * @returns Its records as {@linkcode BenchRecord}s, backend `pytorch`.
 * @throws {Error} When the output is not the object the peer documents.
 *
 * @example
 * ```ts
 * import { parsePeerOutput } from "./torch_peer.ts";
 * const peer = parsePeerOutput(JSON.stringify({
 *   peer: "pytorch", torch: "1.13.0", device: "cpu: x", threads: 2, seconds: 1,
 *   records: [{ workload: "matmul", size: 1024, value: 61.8, unit: "GFLOP/s", device: "cpu: x" }],
 * }));
 * if (peer.records[0].size !== 1024 || peer.records[0].backend !== "pytorch") throw new Error();
 * ```
 */
export function parsePeerOutput(text: string): PeerResult {
  const line = text.trim().split("\n").at(-1) ?? "";
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch {
    throw new Error(
      `torch_peer.py: expected one JSON object on the last line of its output, found ${
        JSON.stringify(line.slice(0, 80))
      }`,
    );
  }
  const object = parsed as Record<string, unknown>;
  if (object?.peer !== "pytorch" || !Array.isArray(object.records)) {
    throw new Error(
      `torch_peer.py: expected an object with peer "pytorch" and a records list, found keys ${
        Object.keys(object ?? {}).join(", ") || "none"
      }`,
    );
  }
  const records = (object.records as Record<string, unknown>[]).map((record, i) => {
    const { workload, batch, size, value, unit, device } = record;
    if (!WORKLOADS.includes(workload as Workload) || typeof value !== "number") {
      throw new Error(
        `torch_peer.py: record ${i}: expected a workload of ${WORKLOADS.join(", ")} and a ` +
          `numeric value, found ${JSON.stringify(record)}`,
      );
    }
    return {
      workload: workload as Workload,
      backend: "pytorch",
      device: String(device ?? object.device),
      ...(typeof batch === "number" ? { batch } : {}),
      ...(typeof size === "number" ? { size } : {}),
      value,
      unit: String(unit),
    };
  });
  return {
    torch: String(object.torch),
    device: String(object.device),
    threads: Number(object.threads),
    records,
  };
}

/**
 * Runs the peer on the same workloads, batches and duration.
 *
 * @param python The interpreter, from {@linkcode findTorchPython}.
 * @param options Workloads, batch sizes and seconds per workload.
 * @returns The peer's result.
 * @throws {Error} When the peer fails; the message carries its stderr's end.
 */
export async function runTorchPeer(
  python: string,
  options: { workloads: readonly Workload[]; batches: readonly number[]; seconds: number },
): Promise<PeerResult> {
  const script = projectPath("lib/bench/torch_peer.py");
  const output = await new Deno.Command(python, {
    args: [
      script,
      "--workloads",
      options.workloads.join(","),
      "--batches",
      options.batches.join(","),
      "--seconds",
      String(options.seconds),
    ],
    // OpenMP's threads spin while they wait: with a core busy elsewhere, PyTorch with 2 threads
    // on this 2-core machine ran at 540 img/s instead of 11k (MLP, batch 64). Passive waiting
    // keeps it near the idle-machine figure.
    env: { OMP_WAIT_POLICY: Deno.env.get("OMP_WAIT_POLICY") ?? "PASSIVE" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
  if (!output.success) {
    throw new Error(
      `${python} ${script}: expected exit code 0, found ${output.code}: ${
        decode(output.stderr).trim().slice(-500)
      }`,
    );
  }
  return parsePeerOutput(decode(output.stdout));
}
