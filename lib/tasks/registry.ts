/**
 * The built-in task kinds, and the lookup that adds the kinds an experiment file brings itself.
 *
 * @module
 */

import type { Task } from "../experiment/task.ts";
import type { TaskLookup } from "../experiment/resolve.ts";
import { ConfigError } from "../experiment/config_error.ts";
import { fitTask } from "./fit.ts";
import { minimizeTask } from "./minimize.ts";
import { computeTask } from "./compute.ts";

/** The built-in task kinds by name. */
export const BUILT_IN_TASKS: Readonly<Record<string, Task<unknown>>> = {
  fit: fitTask as Task<unknown>,
  minimize: minimizeTask as Task<unknown>,
  compute: computeTask as Task<unknown>,
};

/**
 * The task kinds an experiment can name: the built-in ones plus those its file exports in
 * `tasks` (an open registry: a user's kind needs no change to the framework).
 *
 * @param own The kinds the experiment's module exports, if any.
 * @param file The experiment's file, for messages.
 * @returns The lookup.
 * @throws {ConfigError} When an exported task is not a task or reuses a built-in kind's name.
 *
 * @example
 * ```ts
 * import { taskLookup } from "./registry.ts";
 * const lookup = taskLookup();
 * if (lookup.find("fit")?.kind !== "fit" || !lookup.kinds.includes("compute")) throw new Error();
 * ```
 */
export function taskLookup(own: readonly unknown[] = [], file = "(code)"): TaskLookup {
  const tasks: Record<string, Task<unknown>> = { ...BUILT_IN_TASKS };
  own.forEach((task, i) => {
    const candidate = task as Partial<Task<unknown>> | null;
    const valid = candidate !== null && typeof candidate === "object" &&
      typeof candidate.kind === "string" && typeof candidate.runTrial === "function" &&
      typeof candidate.metricNames === "function" && candidate.settingsSchema !== undefined &&
      typeof candidate.modules === "function" && typeof candidate.requiredKernels === "function";
    if (!valid) {
      throw new ConfigError([
        `${file}: tasks[${i}]: expected a task made with defineTask({ kind, description, settingsSchema, metricNames, requiredKernels, modules, runTrial }), found ${
          candidate === null ? "null" : typeof candidate
        }`,
      ]);
    }
    if (!candidate.kind!.includes("-")) {
      throw new ConfigError([
        `${file}: tasks[${i}].kind: expected a name with a '-' (e.g. "lab-${candidate.kind}"), found "${candidate.kind}"; your own kinds' names contain one, so they never clash with a built-in kind (${
          Object.keys(BUILT_IN_TASKS).join(", ")
        })`,
      ]);
    }
    tasks[candidate.kind!] = candidate as Task<unknown>;
  });
  return {
    find: (kind) => Object.hasOwn(tasks, kind) ? tasks[kind] : undefined,
    kinds: Object.keys(tasks),
  };
}
