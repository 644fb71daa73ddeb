import assert from "node:assert/strict";
import {
  attachPeer,
  benchChartData,
  type BenchRecord,
  formatBenchTable,
  WORKLOADS,
} from "../lib/bench/records.ts";
import { renderBenchPage } from "../lib/bench/bench_page.ts";
import { runBench } from "../lib/bench/run_bench.ts";
import { findNativeBlas } from "../lib/backend/native_blas.ts";
import { parsePeerOutput } from "../lib/bench/torch_peer.ts";

// Only shapes and arithmetic: no timing assertions (STYLE.md: benchmarks are never timed tests).

const OPEN_RESOURCES = { sanitizeResources: false, sanitizeOps: false };

const PEER_OUTPUT = JSON.stringify({
  device: "cpu: AMD EPYC",
  peer: "pytorch",
  records: [
    { batch: 8, device: "cpu: AMD EPYC", unit: "img/s", value: 400, workload: "mlp-train" },
    { device: "cpu: AMD EPYC", size: 1024, unit: "GFLOP/s", value: 62.5, workload: "matmul" },
  ],
  seconds: 0.05,
  threads: 2,
  torch: "1.13.0",
}) + "\n";

Deno.test("parsePeerOutput reads the peer's records as pytorch records", () => {
  const peer = parsePeerOutput(`some warning\n${PEER_OUTPUT}`);
  assert.equal(peer.torch, "1.13.0");
  assert.equal(peer.threads, 2);
  assert.deepEqual(peer.records, [
    {
      workload: "mlp-train",
      backend: "pytorch",
      device: "cpu: AMD EPYC",
      batch: 8,
      value: 400,
      unit: "img/s",
    },
    {
      workload: "matmul",
      backend: "pytorch",
      device: "cpu: AMD EPYC",
      size: 1024,
      value: 62.5,
      unit: "GFLOP/s",
    },
  ]);
});

Deno.test("parsePeerOutput rejects output that is not the peer's object", () => {
  assert.throws(() => parsePeerOutput("Traceback (most recent call last):"), {
    name: "Error",
    message:
      'torch_peer.py: expected one JSON object on the last line of its output, found "Traceback (most recent call last):"',
  });
  assert.throws(() => parsePeerOutput('{"records": []}'), {
    name: "Error",
    message:
      'torch_peer.py: expected an object with peer "pytorch" and a records list, found keys records',
  });
  assert.throws(
    () => parsePeerOutput('{"peer": "pytorch", "records": [{"workload": "resnet", "value": 1}]}'),
    {
      name: "Error",
      message: `torch_peer.py: record 0: expected a workload of ${
        WORKLOADS.join(", ")
      } and a numeric value, found {"workload":"resnet","value":1}`,
    },
  );
});

Deno.test("attachPeer divides ours by the peer's value for the same workload and batch or size", () => {
  const ours: BenchRecord[] = [
    { workload: "mlp-train", backend: "wasm", device: "cpu", batch: 8, value: 100, unit: "img/s" },
    { workload: "mlp-train", backend: "wasm", device: "cpu", batch: 64, value: 100, unit: "img/s" },
    { workload: "matmul", backend: "wasm", device: "cpu", size: 1024, value: 25, unit: "GFLOP/s" },
  ];
  const [batch8, batch64, matmul] = attachPeer(ours, parsePeerOutput(PEER_OUTPUT).records);
  assert.equal(batch8.peer, 400);
  assert.equal(batch8.ratioToPeer, 0.25);
  assert.deepEqual(batch64, ours[1], "no peer figure at batch 64: unchanged");
  assert.equal(matmul.ratioToPeer, 0.4);
});

Deno.test("formatBenchTable and benchChartData show every record", () => {
  const records = attachPeer([
    { workload: "mlp-train", backend: "wasm", device: "cpu", batch: 8, value: 100, unit: "img/s" },
    { workload: "mlp-train", backend: "cpu", device: "cpu", batch: 8, value: 20, unit: "img/s" },
  ], parsePeerOutput(PEER_OUTPUT).records);
  const lines = formatBenchTable(records).split("\n");
  assert.equal(lines.length, 4);
  assert.match(lines[2], /^mlp-train\s+wasm\s+8\s+100\s+img\/s\s+400\s+0\.25\s+cpu$/);
  assert.deepEqual(benchChartData(records), [{
    key: "mlp-train@8",
    title: "mlp-train, batch 8",
    unit: "img/s",
    bars: [{ label: "wasm", value: 100 }, { label: "cpu", value: 20 }],
    reference: { label: "PyTorch", value: 400 },
  }]);
});

Deno.test(
  "runBench returns one well-formed record per backend, workload and batch",
  OPEN_RESOURCES,
  async () => {
    const search = findNativeBlas();
    const blas = search.blas?.record.name;
    const report = await runBench({
      backends: ["wasm", "cpu"],
      workloads: ["mlp-train", "matmul"],
      batches: [8],
      matmulSizes: [64],
      seconds: 0.05,
      peer: false,
    });
    assert.deepEqual(
      report.records.map(({ workload, backend, batch, size, unit }) => ({
        workload,
        backend,
        batch,
        size,
        unit,
      })),
      [
        // With a native BLAS, wasm is measured with its BLAS kernels first, then without.
        ...(blas
          ? [
            {
              workload: "mlp-train",
              backend: `wasm+${blas}`,
              batch: 8,
              size: undefined,
              unit: "img/s",
            },
            {
              workload: "matmul",
              backend: `wasm+${blas}`,
              batch: undefined,
              size: 64,
              unit: "GFLOP/s",
            },
          ]
          : []),
        { workload: "mlp-train", backend: "wasm", batch: 8, size: undefined, unit: "img/s" },
        { workload: "matmul", backend: "wasm", batch: undefined, size: 64, unit: "GFLOP/s" },
        { workload: "mlp-train", backend: "cpu", batch: 8, size: undefined, unit: "img/s" },
        { workload: "matmul", backend: "cpu", batch: undefined, size: 64, unit: "GFLOP/s" },
      ],
    );
    const nativeBlas = report.header.nativeBlas!;
    assert.ok(nativeBlas, "the header says whether wasm had a native BLAS");
    assert.equal("skipped" in nativeBlas, !blas);
    // The load the run met, which slows PyTorch's threads more than ours.
    const { started, finished } = report.header.load!;
    assert.equal(started.length, 3);
    assert.ok(finished.every((value) => value >= 0));
    for (const record of report.records) {
      assert.ok(record.value > 0 && Number.isFinite(record.value), `${record.workload} value`);
      assert.match(record.device, /^cpu: /);
      assert.equal(record.peer, undefined);
    }
    assert.deepEqual(report.header.peer, { skipped: "--no-peer" });
    assert.equal(report.header.seconds, 0.05);
    assert.deepEqual(report.header.skippedMeasurements, []);
  },
);

Deno.test("renderBenchPage draws a chart per workload and batch, with PyTorch as reference", async () => {
  const records = attachPeer([
    { workload: "mlp-train", backend: "wasm", device: "cpu", batch: 8, value: 100, unit: "img/s" },
    { workload: "mlp-train", backend: "cpu", device: "cpu", batch: 8, value: 20, unit: "img/s" },
    { workload: "matmul", backend: "wasm", device: "cpu", size: 1024, value: 25, unit: "GFLOP/s" },
  ], parsePeerOutput(PEER_OUTPUT).records);
  const html = await renderBenchPage({
    header: {
      versions: { deno: "2.9.6", v8: "1", typescript: "5", tfjs: "4.22.0" },
      machine: { cpuModel: "AMD EPYC", cpuCores: 2, os: "linux", memoryGiB: 8 },
      date: "2026-01-01T00:00:00.000Z",
      seconds: 0.05,
      peer: { torch: "1.13.0", device: "cpu: AMD EPYC", threads: 2 },
      skippedBackends: { webgpu: "no WebGPU adapter" },
      skippedMeasurements: [],
    },
    records,
  });
  assert.equal(html.match(/<svg/g)?.length, 2);
  assert.match(html, /<title>mlp-train, batch 8<\/title>/);
  assert.match(html, /PyTorch 400/);
  assert.match(html, /webgpu skipped: no WebGPU adapter/);
  assert.match(html, /<td class="number">0\.25<\/td>/);
});
