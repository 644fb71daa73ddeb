/**
 * The `modelZoo` analysis (chapter 12, shared with chapter 1): the classic architectures'
 * parameters and multiply–adds, counted from their layers by the same code the history chapter
 * uses ({@linkcode ARCHITECTURES}, {@linkcode countArchitecture}), drawn over the years beside the
 * published ImageNet error (the ILSVRC winners of `data/ilsvrc.yaml` and the architectures' own
 * top-5 error where their papers give one). Nothing is trained.
 *
 * @module
 */

import { z } from "zod";
import type { Analysis, AnalysisOutput } from "./analysis.ts";
import { loadHistoryTable } from "../history/tables.ts";
import { type Architecture, ARCHITECTURES, countArchitecture } from "../models/architectures.ts";
import type { Artifact } from "../report/artifacts.ts";

const schema = z.strictObject({
  kind: z.literal("modelZoo"),
  /** Where the YAML tables are (the ILSVRC winners come from `ilsvrc.yaml`). */
  tables: z.string().min(1).default("data"),
});

/** The `modelZoo` analysis's settings. */
export type ModelZooSettings = z.output<typeof schema>;

/**
 * A metric name for one of an architecture's counts: `vgg16Parameters`, `resnet50MultiplyAdds`.
 * The slug is the history chapter's (`parameterMetric` in history.ts): lower case, a
 * parenthesised variant dropped, only letters and digits.
 *
 * @param name The architecture's display name.
 * @param count `Parameters` or `MultiplyAdds`.
 * @returns The metric's name.
 *
 * @example
 * ```ts
 * import { architectureMetric } from "./model_zoo.ts";
 * const name = architectureMetric("MobileNet v1 (1.0, 224)", "MultiplyAdds");
 * if (name !== "mobilenetv1MultiplyAdds") throw new Error(name);
 * ```
 */
export function architectureMetric(name: string, count: "Parameters" | "MultiplyAdds"): string {
  return `${name.toLowerCase().replace(/\(.*?\)/g, "").replace(/[^a-z0-9]+/g, "")}${count}`;
}

/** Group names of the charts' points. */
const COUNTED = "counted here";
const WINNER = "ILSVRC winner";
const ARCHITECTURE = "architecture";
const BOTH = "winner, counted";

/**
 * The error chart's points: each ILSVRC winner, marked as counted when an architecture of the
 * zoo is that entry (same year, same error), then the zoo's other published errors.
 */
function errorPoints(
  winners: readonly { year: number; team: string; top5ErrorPercent: number }[],
  architectures: readonly Architecture[],
) {
  const sameEntry = (row: (typeof winners)[number], architecture: Architecture) =>
    architecture.year === row.year && architecture.top5ErrorPercent === row.top5ErrorPercent;
  return [
    ...winners.map((row) => {
      const counted = architectures.find((architecture) => sameEntry(row, architecture));
      return {
        year: row.year,
        value: row.top5ErrorPercent,
        label: counted?.name ?? row.team,
        group: counted ? BOTH : WINNER,
      };
    }),
    ...architectures.filter((architecture) =>
      architecture.top5ErrorPercent !== undefined &&
      !winners.some((row) => sameEntry(row, architecture))
    ).map((architecture) => ({
      year: architecture.year,
      value: architecture.top5ErrorPercent!,
      label: architecture.name,
      group: ARCHITECTURE,
    })),
  ];
}

/** The `modelZoo` analysis. */
export const modelZoo: Analysis<ModelZooSettings> = {
  schema,
  description: "count the classic architectures and draw their size and error over the years",
  module: import.meta.url,
  metrics: () =>
    ARCHITECTURES.flatMap((architecture) => [
      architectureMetric(architecture.name, "Parameters"),
      architectureMetric(architecture.name, "MultiplyAdds"),
    ]),
  async prepare(settings) {
    await loadHistoryTable("ilsvrc", settings.tables);
  },
  async run(settings): Promise<AnalysisOutput> {
    const ilsvrc = await loadHistoryTable("ilsvrc", settings.tables);
    const zoo = ARCHITECTURES.map((architecture) => ({
      architecture,
      counted: countArchitecture(architecture),
    }));
    const final: Record<string, number> = {};
    for (const { architecture, counted } of zoo) {
      final[architectureMetric(architecture.name, "Parameters")] = counted.parameters;
      final[architectureMetric(architecture.name, "MultiplyAdds")] = counted.multiplyAdds;
    }
    const label = (name: string, year: number) => `${name} (${year})`;
    const number = (value: number) => value.toLocaleString("en-US");
    // The first network of the ImageNet era, and the one that computes the most.
    const first = zoo.find(({ architecture }) => architecture.input.join() === "224,224,3")!;
    const costliest = zoo.reduce((a, b) => b.counted.multiplyAdds > a.counted.multiplyAdds ? b : a);
    const largest = zoo.reduce((a, b) => (b.counted.parameters > a.counted.parameters ? b : a));
    const winners = [...ilsvrc.rows].sort((a, b) => a.year - b.year);
    const artifacts: Record<string, Artifact> = {
      zooParameters: {
        kind: "timeSeries",
        title: "Parameters of the classic architectures over the years",
        description: `Trainable parameters counted from each architecture's layers (no weights ` +
          `downloaded), log scale: from ${number(zoo[0].counted.parameters)} (${
            label(zoo[0].architecture.name, zoo[0].architecture.year)
          }) up to ${number(largest.counted.parameters)} (${
            label(largest.architecture.name, largest.architecture.year)
          }); the later networks have fewer parameters and lower error.`,
        yTitle: "Parameters (log scale)",
        points: zoo.map(({ architecture, counted }) => ({
          year: architecture.year,
          value: counted.parameters,
          label: architecture.name,
          group: COUNTED,
        })),
        order: 10,
      },
      zooMultiplyAdds: {
        kind: "timeSeries",
        title: "Multiply–adds per image of the classic architectures over the years",
        description: "Multiply–adds for one forward pass of one image at the architecture's " +
          "input size, counted from its layers, log scale. From " +
          `${first.architecture.name} to ${costliest.architecture.name} the multiply–adds grew ${
            (costliest.counted.multiplyAdds / first.counted.multiplyAdds).toFixed(1)
          }-fold and the parameters ${
            (costliest.counted.parameters / first.counted.parameters).toFixed(1)
          }-fold; the later networks compute less.`,
        yTitle: "Multiply–adds per image (log scale)",
        points: zoo.map(({ architecture, counted }) => ({
          year: architecture.year,
          value: counted.multiplyAdds,
          label: architecture.name,
          group: COUNTED,
        })),
        order: 20,
      },
      zooError: {
        kind: "timeSeries",
        title: "Published ImageNet top-5 error over the years",
        description:
          `The ILSVRC classification winners' top-5 error (${
            winners.map((row) => `${row.year} ${row.top5ErrorPercent} %`).join(", ")
          }, data/ilsvrc.yaml) and the top-5 error the architectures' own papers report, log ` +
          "scale; AlexNet and GoogLeNet won their years with the error their papers report.",
        yTitle: "Top-5 error, % (log scale)",
        points: errorPoints(winners, zoo.map(({ architecture }) => architecture)),
        groupOrder: [WINNER, ARCHITECTURE, BOTH],
        order: 30,
      },
      zooTable: {
        kind: "table",
        title: "The classic architectures: size, cost and published error",
        description: "Counted parameters and multiply–adds per image beside the published ones " +
          "(lib/models/architectures.ts names each implementation and source), and the top-5 " +
          "error where the architecture's paper reports one.",
        columns: [
          "architecture",
          "year",
          "input",
          "parameters",
          "published",
          "multiply–adds",
          "published",
          "multiply–adds per parameter",
          "top-5 error (%)",
        ],
        rows: zoo.map(({ architecture: a, counted }) => [
          label(a.name, a.year),
          a.year,
          a.input.join("×"),
          number(counted.parameters),
          number(a.published.parameters),
          number(counted.multiplyAdds),
          a.published.multiplyAdds === undefined ? "" : number(a.published.multiplyAdds),
          (counted.multiplyAdds / counted.parameters).toFixed(1),
          a.top5ErrorPercent ?? "",
        ]),
        order: 40,
      },
    };
    return { final, artifacts };
  },
};
