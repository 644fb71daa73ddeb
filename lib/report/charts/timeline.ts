/**
 * A timeline: labelled events by year, one row each, grouped in lanes, with shaded phases and
 * their characteristics written above the rows.
 *
 * @module
 */

import type { TopLevelSpec } from "vega-lite";
import { INK } from "../chart_config.ts";
import { colorScale, header, order, WIDTH } from "./_common.ts";
import type { ChartText } from "./chart_text.ts";

/** One event of {@linkcode timeline}. */
export interface TimelineEvent {
  /** Where the event sits on the time axis. */
  year: number;
  /** Written beside the event. */
  label: string;
  /** The lane; events without one share a lane. */
  group?: string;
  /** More about the event, for its tooltip. */
  detail?: string;
  /** A second year for the same event (e.g. the year a slide gives), drawn as a ring. */
  alternative?: { year: number; label: string };
}

/** One phase of {@linkcode timeline}: a shaded span of years. */
export interface TimelinePhase {
  /** First year. */
  from: number;
  /** Last year, not before `from`. */
  to: number;
  /** The phase's name, written in bold above the rows. */
  label: string;
  /** Short lines under the name: the phase's characteristics. */
  details?: readonly string[];
}

/** Input of {@linkcode timeline}. */
export interface TimelineInput extends ChartText {
  /** The events, one row each. */
  events: readonly TimelineEvent[];
  /** Shaded spans of years with their characteristics. */
  phases?: readonly TimelinePhase[];
  /** Lane order; lanes not named here follow in order of appearance. */
  groupOrder?: readonly string[];
  /** Title of the time axis; `year` unless given. */
  xTitle?: string;
}

/** Height of one event row, and of a lane's title row, in pixels. */
const ROW = 16;
/** Height of one line of a phase's text, in pixels. */
const LINE = 14;
/** Space between lanes, in pixels. */
const LANE_GAP = 6;
/** Space between phase texts side by side, in pixels. */
const PHASE_GAP = 12;
/**
 * How far a label or a phase's text may run past the plot's right edge, in pixels: a late event
 * keeps its label whole and a late phase keeps its text above its own span.
 */
const OVERFLOW = 160;
/** Gap between a point and its label, in pixels. */
const LABEL_GAP = 7;
/**
 * Width of one character of 11-pixel chart text, in pixels: a generous average for the
 * system-ui fonts, used to keep labels and phase texts inside the plot and apart.
 */
const CHAR_WIDTH = 6.2;

/** The estimated width of a line of chart text, in pixels. */
function textWidth(text: string): number {
  return text.length * CHAR_WIDTH;
}

/**
 * Where an event's label goes: right of the event when it fits there (up to `OVERFLOW` past
 * the plot's edge), else left when it fits there, else on the roomier side, cut at a word with
 * an ellipsis to fit (the full label stays in the event's tooltip and spoken text).
 */
function placeLabel(
  label: string,
  roomLeft: number,
  roomRight: number,
): [string, "left" | "right"] {
  const fits = (room: number) => textWidth(label) <= room;
  const side = fits(roomRight) || (!fits(roomLeft) && roomRight >= roomLeft) ? "right" : "left";
  const room = side === "right" ? roomRight : roomLeft;
  if (fits(room)) return [label, side];
  const keep = Math.max(1, Math.floor(room / CHAR_WIDTH) - 1);
  const cut = label.slice(0, keep);
  const atWord = cut.replace(/\s+\S*$/, "");
  return [`${atWord.length >= keep / 2 ? atWord : cut}…`, side];
}

/** A phase's text block, placed: left edge in pixels and its tier (row of blocks). */
interface PlacedPhase {
  left: number;
  tier: number;
  lines: string[];
}

/**
 * Places the phases' texts above the rows: each starts at its phase's first year, shifted left
 * where it would run more than `OVERFLOW` past the plot's right edge, and moves to a lower
 * tier where it would overlap a text already placed.
 */
function placePhases(phases: readonly TimelinePhase[], x: (year: number) => number) {
  const placed: PlacedPhase[] = [];
  const tierEnds: number[] = [];
  const sorted = [...phases].sort((a, b) => a.from - b.from);
  for (const phase of sorted) {
    const lines = [phase.label, ...(phase.details ?? [])];
    const width = Math.max(...lines.map(textWidth));
    const left = Math.max(0, Math.min(x(phase.from), WIDTH + OVERFLOW - width));
    let tier = tierEnds.findIndex((end) => end + PHASE_GAP <= left);
    if (tier === -1) tier = tierEnds.push(0) - 1;
    tierEnds[tier] = left + width;
    placed.push({ left, tier, lines });
  }
  const tierLines = tierEnds.map((_, tier) =>
    Math.max(...placed.filter((p) => p.tier === tier).map((p) => p.lines.length))
  );
  const tierTops = tierLines.map((_, tier) =>
    tierLines.slice(0, tier).reduce((sum, lines) => sum + lines * LINE + 4, 0)
  );
  const height = tierLines.reduce((sum, lines) => sum + lines * LINE + 4, 0);
  return { placed, tierTops, height };
}

/**
 * A timeline: one row per event, rows grouped in lanes (each lane titled), each event a point at
 * its year with its label beside it (right of the point, or left where it would not fit there;
 * cut with an ellipsis where it fits on neither side); an event's `alternative` year is a ring
 * joined to the point by a dotted line. Phases are shaded spans of years across all rows, their
 * names and characteristics written above the rows. Every position is computed here, so the same
 * input gives the same chart.
 *
 * @param input The events, phases and text.
 * @returns A Vega-Lite spec.
 *
 * @example
 * ```ts
 * import { timeline } from "./timeline.ts";
 * const spec = timeline({
 *   title: "Deep-learning libraries",
 *   description: "From Theano (2009) to PyTorch (2017).",
 *   events: [
 *     { year: 2009, label: "Theano" },
 *     { year: 2019, label: "TensorFlow 2.0", alternative: { year: 2017, label: "slide's year" } },
 *   ],
 *   phases: [{ from: 2012, to: 2020, label: "Third wave", details: ["deep networks"] }],
 * });
 * if (!("layer" in spec)) throw new Error("expected a layered spec");
 * ```
 */
export function timeline(input: TimelineInput): TopLevelSpec {
  const phases = input.phases ?? [];
  const years = [
    ...input.events.flatMap((event) => [event.year, event.alternative?.year ?? event.year]),
    ...phases.flatMap((phase) => [phase.from, phase.to]),
  ];
  // With nothing to place, an empty axis from 0 to 1.
  const low = years.length === 0 ? 0 : Math.min(...years);
  const high = years.length === 0 ? 1 : Math.max(...years);
  const pad = Math.max(1, Math.ceil((high - low) * 0.03));
  const domain = [Math.floor(low) - pad, Math.ceil(high) + pad];
  const x = (year: number) => (year - domain[0]) / (domain[1] - domain[0]) * WIDTH;
  const yearAt = (pixels: number) => domain[0] + pixels / WIDTH * (domain[1] - domain[0]);

  const { placed, tierTops, height: phaseHeight } = placePhases(phases, x);
  const lanes = order(input.events.map((event) => event.group ?? ""), input.groupOrder);
  const titled = lanes.some((lane) => lane !== "");
  let top = phaseHeight + (phases.length > 0 ? 6 : 0);
  const laneTitles: { lane: string; y: number; year: number }[] = [];
  const rows: Record<string, string | number>[] = [];
  for (const [laneIndex, lane] of lanes.entries()) {
    if (laneIndex > 0) top += LANE_GAP;
    if (titled) {
      laneTitles.push({ lane, y: top + ROW / 2, year: domain[0] });
      top += ROW;
    }
    const events = input.events.map((event, index) => ({ event, index }))
      .filter(({ event }) => (event.group ?? "") === lane)
      .sort((a, b) => a.event.year - b.event.year || a.index - b.index);
    for (const { event } of events) {
      const first = Math.min(event.year, event.alternative?.year ?? event.year);
      const last = Math.max(event.year, event.alternative?.year ?? event.year);
      const [label, side] = placeLabel(
        event.label,
        x(first) - LABEL_GAP,
        WIDTH + OVERFLOW - x(last) - LABEL_GAP,
      );
      rows.push({
        year: event.year,
        y: top + ROW / 2,
        label,
        fullLabel: event.label,
        spoken: `${event.label}, ${event.year}${lane === "" ? "" : `, ${lane}`}${
          event.alternative ? `; ${event.alternative.label}: ${event.alternative.year}` : ""
        }`,
        lane,
        detail: event.detail ?? "",
        side,
        anchor: side === "right" ? last : first,
        ...(event.alternative
          ? { alternativeYear: event.alternative.year, alternativeLabel: event.alternative.label }
          : {}),
      });
      top += ROW;
    }
  }
  const height = top + 4;

  const xEncoding = {
    field: "year",
    type: "quantitative" as const,
    title: input.xTitle ?? "year",
    scale: { domain, nice: false, zero: false },
    axis: { format: "d", tickMinStep: 1, grid: true },
  };
  const y = (field: string) => ({
    field,
    type: "quantitative" as const,
    scale: { domain: [0, height], range: [0, height] },
    axis: null,
  });
  const color = {
    field: "lane",
    type: "nominal" as const,
    scale: colorScale(lanes),
    legend: null,
  };
  const alternatives = rows.filter((row) => row.alternativeYear !== undefined);
  const phaseText = placed.flatMap(({ lines, left, tier }) =>
    lines.map((line, i) => ({
      year: yearAt(left),
      y: tierTops[tier] + (i + 0.5) * LINE,
      text: line,
      bold: i === 0,
    }))
  );
  const layer: unknown[] = [];
  if (phases.length > 0) {
    layer.push(
      {
        name: "phases",
        data: {
          values: phases.map((phase) => ({
            year: phase.from,
            to: phase.to,
            phase: phase.label,
            spoken: [phase.label, ...(phase.details ?? [])].join("; "),
          })),
        },
        mark: { type: "rect", color: INK, opacity: 0.08 },
        encoding: {
          x: xEncoding,
          x2: { field: "to" },
          description: { field: "spoken" },
          tooltip: [{ field: "phase" }],
        },
      },
      {
        // Layers named *_labels get a halo of the page's colour in the report.
        name: "phase_labels",
        data: { values: phaseText.filter((line) => line.bold) },
        mark: {
          type: "text",
          align: "left",
          baseline: "middle",
          fontWeight: 600,
          color: INK,
          aria: false,
        },
        encoding: { x: xEncoding, y: y("y"), text: { field: "text" } },
      },
      {
        name: "phase_detail_labels",
        data: { values: phaseText.filter((line) => !line.bold) },
        mark: { type: "text", align: "left", baseline: "middle", color: INK, aria: false },
        encoding: { x: xEncoding, y: y("y"), text: { field: "text" } },
      },
    );
  }
  if (titled) {
    layer.push({
      name: "lane_labels",
      data: { values: laneTitles },
      mark: {
        type: "text",
        align: "left",
        baseline: "middle",
        fontWeight: 600,
        color: INK,
        aria: false,
      },
      encoding: { x: xEncoding, y: y("y"), text: { field: "lane" } },
    });
  }
  if (alternatives.length > 0) {
    layer.push(
      {
        name: "alternative_links",
        data: { values: alternatives },
        mark: { type: "rule", strokeDash: [2, 2], strokeWidth: 1.5, aria: false },
        encoding: { x: xEncoding, x2: { field: "alternativeYear" }, y: y("y"), color },
      },
      {
        name: "alternatives",
        data: { values: alternatives },
        mark: { type: "point", filled: false, size: 50, strokeWidth: 1.5, opacity: 1, aria: false },
        encoding: {
          x: { ...xEncoding, field: "alternativeYear" },
          y: y("y"),
          color,
          tooltip: [
            { field: "fullLabel", title: "what" },
            { field: "alternativeLabel", title: "note" },
            { field: "alternativeYear", title: "year" },
          ],
        },
      },
    );
  }
  layer.push({
    name: "events",
    data: { values: rows },
    mark: { type: "point", filled: true, size: 50, opacity: 1 },
    encoding: {
      x: xEncoding,
      y: y("y"),
      color,
      // What a screen reader says for the point, instead of its pixel position.
      description: { field: "spoken" },
      tooltip: [
        { field: "fullLabel", title: "what" },
        { field: "year", title: "year" },
        ...(titled ? [{ field: "lane", title: "lane" }] : []),
        { field: "detail", title: "detail" },
      ],
    },
  });
  for (const side of ["right", "left"] as const) {
    const values = rows.filter((row) => row.side === side);
    if (values.length === 0) continue;
    layer.push({
      name: `${side}_labels`,
      data: { values },
      mark: {
        type: "text",
        align: side === "right" ? "left" : "right",
        baseline: "middle",
        dx: side === "right" ? LABEL_GAP : -LABEL_GAP,
        color: INK,
        aria: false,
      },
      encoding: { x: { ...xEncoding, field: "anchor" }, y: y("y"), text: { field: "label" } },
    });
  }
  return { ...header(input), width: WIDTH, height, layer } as TopLevelSpec;
}
