/**
 * `deno task compare A B`: two results trees, metric by metric, with tolerances. Exits non-zero
 * where they differ beyond them.
 *
 * @module
 */

import { type Command, InvalidArgumentError } from "@commander-js/extra-typings";
import { loadResults, ReportInputError } from "../report/load_results.ts";
import type { CheckResult } from "../experiment/records.ts";

/** One difference between two result trees. */
export interface Difference {
  /** The experiment. */
  experiment: string;
  /** Where: `trial lenet5 seed 1`, `summary lenet5`, or the experiment itself. */
  where: string;
  /** The metric, if any. */
  metric?: string;
  /** A's value. */
  a?: number;
  /** B's value. */
  b?: number;
  /** What differs, in words. */
  note: string;
}

/**
 * Whether two numbers agree: |a − b| <= atol + rtol · |b|.
 *
 * @param a One value.
 * @param b The other.
 * @param rtol Relative tolerance.
 * @param atol Absolute tolerance.
 * @returns True when they agree.
 *
 * @example
 * ```ts
 * import { close } from "./compare.ts";
 * if (!close(1.0001, 1, 1e-3, 0) || close(1.1, 1, 1e-3, 0)) throw new Error();
 * ```
 */
export function close(a: number, b: number, rtol: number, atol: number): boolean {
  return Math.abs(a - b) <= atol + rtol * Math.abs(b);
}

async function experimentsIn(tree: string): Promise<string[]> {
  const ids: string[] = [];
  try {
    for await (const entry of Deno.readDir(tree)) {
      if (!entry.isDirectory) continue;
      const hasMetrics = await Deno.stat(`${tree}/${entry.name}/metrics.json`).then(
        () => true,
        () => false,
      );
      if (hasMetrics) ids.push(entry.name);
    }
  } catch {
    throw new ReportInputError(
      tree,
      "expected a results tree (a folder with one folder of records per experiment), found nothing there",
    );
  }
  return ids.sort();
}

/**
 * Compares two results trees.
 *
 * @param a The first tree.
 * @param b The second.
 * @param rtol Relative tolerance.
 * @param atol Absolute tolerance.
 * @returns Every difference beyond the tolerances, and the experiments compared.
 *
 * @example
 * ```ts
 * import { compareTrees } from "./compare.ts";
 * const { compared, differences } = await compareTrees("reports", "reports", 0, 0);
 * if (!compared.includes("cnn") || differences.length > 0) throw new Error("a tree differs from itself");
 * ```
 */
export async function compareTrees(
  a: string,
  b: string,
  rtol: number,
  atol: number,
): Promise<{ compared: string[]; differences: Difference[] }> {
  const idsA = await experimentsIn(a);
  const idsB = await experimentsIn(b);
  const differences: Difference[] = [];
  for (const id of idsA.filter((id) => !idsB.includes(id))) {
    differences.push({ experiment: id, where: "experiment", note: `only in ${a}` });
  }
  for (const id of idsB.filter((id) => !idsA.includes(id))) {
    differences.push({ experiment: id, where: "experiment", note: `only in ${b}` });
  }
  const both = idsA.filter((id) => idsB.includes(id));
  for (const id of both) {
    const left = (await loadResults(`${a}/${id}`)).metrics;
    const right = (await loadResults(`${b}/${id}`)).metrics;
    if (left.profile !== right.profile) {
      differences.push({
        experiment: id,
        where: "experiment",
        note: `profile ${left.profile} against ${right.profile}`,
      });
    }
    const trialsB = new Map(
      right.trials.map((trial) => [`${trial.variant} seed ${trial.seed}`, trial]),
    );
    for (const trial of left.trials) {
      const name = `${trial.variant} seed ${trial.seed}`;
      const other = trialsB.get(name);
      if (!other) {
        differences.push({ experiment: id, where: `trial ${name}`, note: `only in ${a}` });
        continue;
      }
      trialsB.delete(name);
      const metrics = new Set([...Object.keys(trial.final), ...Object.keys(other.final)]);
      for (const metric of [...metrics].sort()) {
        const x = trial.final[metric];
        const y = other.final[metric];
        if (x === undefined || y === undefined) {
          differences.push({
            experiment: id,
            where: `trial ${name}`,
            metric,
            note: `only in ${x === undefined ? b : a}`,
          });
        } else if (!close(x, y, rtol, atol)) {
          differences.push({
            experiment: id,
            where: `trial ${name}`,
            metric,
            a: x,
            b: y,
            note: "differs",
          });
        }
      }
    }
    for (const name of trialsB.keys()) {
      differences.push({ experiment: id, where: `trial ${name}`, note: `only in ${b}` });
    }
    for (const check of left.checks) {
      const label = "kind" in check
        ? (check.kind === "beats"
          ? `${check.better.variant} beats ${check.worse.variant}`
          : check.name)
        : `${check.variant} ${check.metric}`;
      const match = right.checks.find((other) =>
        JSON.stringify(keyOf(other)) === JSON.stringify(keyOf(check))
      );
      if (match && match.pass !== check.pass) {
        differences.push({
          experiment: id,
          where: `check ${label}`,
          note: `${check.pass ? "passes" : "fails"} in ${a}, ${
            match.pass ? "passes" : "fails"
          } in ${b}`,
        });
      }
    }
  }
  return { compared: both, differences };
}

function keyOf(check: CheckResult): unknown[] {
  if (!("kind" in check)) return [check.variant, check.metric];
  return check.kind === "beats"
    ? ["beats", check.better.variant, check.worse.variant, check.better.metric]
    : ["derived", check.name];
}

function parseTolerance(value: string): number {
  const number = Number(value);
  if (value.trim() === "" || !Number.isFinite(number) || number < 0) {
    throw new InvalidArgumentError(`expected a number >= 0, found "${value}"`);
  }
  return number;
}

/**
 * Adds the `compare` command.
 *
 * @param program The command-line program.
 */
export function compareCommand(program: Command) {
  program.command("compare")
    .description(
      "diff two results trees metric by metric; exit 1 where they differ beyond tolerance",
    )
    .argument("<a>", "a results tree, e.g. reports")
    .argument("<b>", "another, e.g. .runs/full")
    .option("--rtol <x>", "relative tolerance", parseTolerance, 0)
    .option("--atol <y>", "absolute tolerance", parseTolerance, 0)
    .action(async (a, b, options) => {
      const { compared, differences } = await compareTrees(a, b, options.rtol, options.atol);
      for (const d of differences) {
        const values = d.a !== undefined ? `: ${d.a} against ${d.b}` : "";
        console.log(
          `${d.experiment}\t${d.where}${d.metric ? `\t${d.metric}` : ""}\t${d.note}${values}`,
        );
      }
      console.log(
        `${compared.length} experiments compared (rtol ${options.rtol}, atol ${options.atol}): ${
          differences.length === 0 ? "no differences" : `${differences.length} differences`
        }`,
      );
      if (differences.length > 0) Deno.exitCode = 1;
    });
}
