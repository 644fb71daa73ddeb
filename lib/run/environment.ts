/**
 * The machine, versions and commit a run happened on, for `run.json`.
 *
 * @module
 */

import * as tf from "@tensorflow/tfjs";
import type { RunRecord } from "../experiment/records.ts";

/**
 * Describes this machine and its software.
 *
 * @returns Versions, machine and git state.
 */
export async function describeEnvironment(): Promise<
  Pick<RunRecord, "versions" | "machine" | "git">
> {
  return {
    versions: {
      deno: Deno.version.deno,
      v8: Deno.version.v8,
      typescript: Deno.version.typescript,
      tfjs: tf.version.tfjs,
    },
    machine: {
      cpuModel: await cpuModel(),
      cpuCores: navigator.hardwareConcurrency,
      os: `${Deno.build.os} ${Deno.osRelease()} ${Deno.build.arch}`,
      memoryGiB: Math.round(Deno.systemMemoryInfo().total / 2 ** 30),
    },
    git: await gitState(),
  };
}

/**
 * The CPU's model name, from /proc/cpuinfo where there is one.
 *
 * @returns E.g. `AMD EPYC 7B13`; the architecture when the model is unknown.
 */
export async function cpuModel(): Promise<string> {
  try {
    const text = await Deno.readTextFile("/proc/cpuinfo");
    return text.match(/^model name\s*:\s*(.+)$/m)?.[1]?.trim() ?? Deno.build.arch;
  } catch {
    return Deno.build.arch;
  }
}

async function gitState(): Promise<RunRecord["git"]> {
  const run = async (...args: string[]) => {
    const output = await new Deno.Command("git", { args, stdout: "piped", stderr: "null" })
      .output();
    return output.success ? new TextDecoder().decode(output.stdout).trim() : undefined;
  };
  try {
    const commit = await run("rev-parse", "HEAD");
    const status = await run("status", "--porcelain", "--untracked-files=no");
    return { commit: commit ?? "unknown", dirty: status === undefined ? false : status !== "" };
  } catch {
    return { commit: "unknown", dirty: false };
  }
}
