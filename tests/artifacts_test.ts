import { deepEqual, equal, ok, throws } from "node:assert/strict";
import { ARTIFACT_KINDS, artifactSchema, isArtifact } from "../lib/report/artifacts.ts";
import { METRICS_SCHEMA, ReportInputError, validateRecord } from "../lib/report/load_results.ts";
import { sampleArtifactEntries } from "../lib/report/sample_results.ts";

/** A metrics.json with one trial holding `artifacts`. */
function metricsWith(artifacts: Record<string, unknown>) {
  return {
    experiment: "e",
    profile: "ci",
    backend: "cpu",
    trials: [{ variant: "v", seed: 1, final: {}, curve: [], artifacts }],
    summary: {},
    checks: [],
    reproduced: true,
  };
}

function problemOf(artifacts: Record<string, unknown>): string {
  try {
    validateRecord("metrics.json", metricsWith(artifacts), METRICS_SCHEMA);
  } catch (error) {
    ok(error instanceof ReportInputError);
    return error.message;
  }
  throw new Error("expected a ReportInputError");
}

const TEXT = { kind: "text", title: "Names", description: "Two names.", lines: ["ada", "alan"] };

Deno.test("artifactSchema accepts an artifact of every kind as it is", () => {
  const artifacts = sampleArtifactEntries().map((entry) => entry.artifact);
  deepEqual(new Set(artifacts.map((artifact) => artifact.kind)), new Set(ARTIFACT_KINDS));
  deepEqual(ARTIFACT_KINDS.length, 13);
  for (const artifact of artifacts) {
    deepEqual(artifactSchema.parse(JSON.parse(JSON.stringify(artifact))), artifact, artifact.kind);
  }
});

Deno.test("artifactSchema rejects an unknown kind, naming the path and the kinds there are", () => {
  equal(
    problemOf({ names: { ...TEXT, kind: "txt" } }),
    'metrics.json: trials[0].artifacts.names.kind: expected one of "table", "lines", "bars", "timeSeries", "scatter", "imageGrid", "heatmap", "decisionRegions", "density", "logLogFit", "contour", "timeline", "text", found "txt"',
  );
});

Deno.test("artifactSchema rejects unknown keys, naming the keys allowed there", () => {
  equal(
    problemOf({ names: { ...TEXT, colour: "red" } }),
    'metrics.json: trials[0].artifacts.names: unexpected key "colour"; expected only kind, title, description, order, lines',
  );
  const loss = {
    kind: "lines",
    title: "Loss",
    description: "d",
    xTitle: "step",
    yTitle: "loss",
    series: [{ name: "a", points: [{ x: 0, y: 1, error: 0.1 }] }],
  };
  equal(
    problemOf({ loss }),
    'metrics.json: trials[0].artifacts.loss.series[0].points[0]: unexpected key "error"; expected only x, y, low, high',
  );
});

Deno.test("artifactSchema rejects a wrong type deep inside, and a grid of the wrong shape", () => {
  const loss = {
    kind: "lines",
    title: "Loss",
    description: "d",
    xTitle: "step",
    yTitle: "loss",
    series: [{ name: "a", points: [{ x: 0, y: 1 }, { x: 1, y: "0.5" }] }],
  };
  equal(
    problemOf({ loss }),
    'metrics.json: trials[0].artifacts.loss.series[0].points[1].y: expected a number, found "0.5"',
  );
  const field = {
    kind: "contour",
    title: "t",
    description: "d",
    x: { min: 0, max: 1, count: 3 },
    y: { min: 0, max: 1, count: 2 },
    values: [[1, 2, 3], [4, 5]],
    paths: [],
  };
  equal(
    problemOf({ field }),
    "metrics.json: trials[0].artifacts.field.values[1]: expected 3 values (x.count), found 2",
  );
  equal(
    problemOf({
      field: { ...field, x: { min: 1, max: 1, count: 3 }, values: [[1, 2, 3], [4, 5, 6]] },
    }),
    "metrics.json: trials[0].artifacts.field.x: expected max greater than min, found min 1 and max 1",
  );
});

Deno.test("artifactSchema rejects a timeline phase that ends before it starts", () => {
  const phases = { kind: "timeline", title: "t", description: "d", events: [] };
  equal(
    problemOf({ phases: { ...phases, phases: [{ from: 1985, to: 1970, label: "second" }] } }),
    "metrics.json: trials[0].artifacts.phases.phases[0].to: expected to not before from, found from 1985 and to 1970",
  );
});

Deno.test("the report still accepts untyped artifacts without a kind (temporary fallback)", () => {
  const record = metricsWith({ tables: { gpus: [{ year: 2012 }] }, list: [1, 2], names: TEXT });
  deepEqual(validateRecord("metrics.json", record, METRICS_SCHEMA), record);
});

Deno.test("isArtifact tells a valid artifact from anything else", () => {
  ok(isArtifact(TEXT));
  ok(!isArtifact({ ...TEXT, lines: undefined }));
  ok(!isArtifact({ tables: [] }));
  ok(!isArtifact(null));
  throws(() => artifactSchema.parse({ ...TEXT, title: 1 }));
});
