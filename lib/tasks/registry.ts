/**
 * Every task kind an experiment can name.
 *
 * @module
 */

import type { Task } from "../experiment/task.ts";
import { classifyTask } from "./classify.ts";
import { historyTask } from "./history.ts";

/** Task kinds by name. Add a kind here to make it available to experiment files. */
export const TASKS = {
  classify: classifyTask,
  history: historyTask,
} as const;

/** A task kind's name. */
export type TaskKind = keyof typeof TASKS;

/** The kinds, for messages. */
export const TASK_KINDS: readonly string[] = Object.keys(TASKS);

/**
 * Looks up a task by kind.
 *
 * @param kind The `kind` an experiment names.
 * @returns The task, or `undefined` for an unknown kind.
 *
 * @example
 * ```ts
 * import { findTask } from "./registry.ts";
 * if (findTask("classify")?.kind !== "classify") throw new Error("missing");
 * ```
 */
export function findTask(kind: string): Task<unknown> | undefined {
  return Object.hasOwn(TASKS, kind) ? TASKS[kind as TaskKind] as Task<unknown> : undefined;
}
