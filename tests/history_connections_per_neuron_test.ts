import assert from "node:assert/strict";
import {
  connectionsPerNeuron,
  connectionsPerNeuronPoints,
  countArchitectureConnections,
  countConnections,
  countDenseConnections,
} from "../lib/history/connections_per_neuron.ts";
import { loadHistoryTable } from "../lib/history/tables.ts";

const DATA = new URL("../data", import.meta.url).pathname;

Deno.test("countConnections counts the framework's LeNet-5 as computed by hand", () => {
  const count = countConnections([28, 28, 1], [
    { kind: "conv", filters: 6, kernel: 5, padding: "same" },
    { kind: "pool", mode: "max", size: 2 },
    { kind: "conv", filters: 16, kernel: 5 },
    { kind: "pool", mode: "max", size: 2 },
    { kind: "flatten" },
    { kind: "dense", units: 120 },
    { kind: "dense", units: 84 },
    { kind: "dense", units: 10 },
  ]);
  // conv1: 28·28·6 units with 5·5·1 inputs; conv2: 10·10·16 units with 5·5·6 inputs;
  // dense: 400·120 + 120·84 + 84·10. Pooling has no weights, so its outputs are not neurons.
  const connections = 28 * 28 * 6 * 25 + 10 * 10 * 16 * 150 + 400 * 120 + 120 * 84 + 84 * 10;
  const neurons = 28 * 28 * 6 + 10 * 10 * 16 + 120 + 84 + 10;
  assert.deepEqual(count, { connections, neurons });
  assert.deepEqual(count, { connections: 416_520, neurons: 6_518 });
  assert.ok(Math.abs(connectionsPerNeuron(count) - 63.904) < 1e-3);
});

Deno.test("countDenseConnections counts Ciresan et al. 2010's MLP as computed by hand", () => {
  const count = countDenseConnections([784, 2500, 2000, 1500, 1000, 500, 10]);
  assert.deepEqual(count, {
    connections: 784 * 2500 + 2500 * 2000 + 2000 * 1500 + 1500 * 1000 + 1000 * 500 + 500 * 10,
    neurons: 2500 + 2000 + 1500 + 1000 + 500 + 10,
  });
  assert.equal(count.neurons, 7510); // data/network_sizes.yaml's count for the same network
  assert.ok(Math.abs(connectionsPerNeuron(count) - 1593.209) < 1e-3);
});

Deno.test("countDenseConnections and connectionsPerNeuron reject impossible input", () => {
  assert.throws(() => countDenseConnections([784]), {
    name: "RangeError",
    message: "layerSizes: expected at least two sizes (input and output), found 1",
  });
  assert.throws(() => connectionsPerNeuron({ connections: 10, neurons: 0 }), {
    name: "RangeError",
    message: "neurons: expected a positive number, found 0",
  });
});

Deno.test("countArchitectureConnections counts GoogLeNet's units as Szegedy et al. 2015's Table 1", () => {
  const count = countArchitectureConnections("GoogLeNet (Inception v1)");
  // The same sum as data/network_sizes.yaml's derived count (tests/history_tables_test.ts).
  assert.equal(count.neurons, 3_227_160);
  // The paper: about 1.5 billion multiply-adds (torchvision's 3x3 in the "5x5" branch: fewer).
  assert.ok(count.connections > 1.4e9 && count.connections < 1.6e9, String(count.connections));
});

Deno.test("countArchitectureConnections counts torchvision's AlexNet as computed by hand", () => {
  const count = countArchitectureConnections("AlexNet");
  // 55·55·64 + 27·27·192 + 13·13·(384 + 256 + 256) + 4096 + 4096 + 1000 units.
  assert.equal(count.neurons, 193_600 + 139_968 + 151_424 + 9_192);
  // conv 64@11x11x3, 192@5x5x64, 384@3x3x192, 256@3x3x384, 256@3x3x256, dense 9216-4096-4096-1000.
  const connections = 193_600 * 363 + 139_968 * 1_600 + 64_896 * 1_728 + 43_264 * 3_456 +
    43_264 * 2_304 + 9_216 * 4_096 + 4_096 * 4_096 + 4_096 * 1_000;
  assert.equal(count.connections, connections);
  assert.throws(() => countArchitectureConnections("Alexnet"), {
    name: "RangeError",
    message: /^architecture: expected one of LeNet-5, AlexNet, .*, found "Alexnet"$/,
  });
});

Deno.test("connectionsPerNeuronPoints computes the counted networks and keeps the estimates", async () => {
  const table = await loadHistoryTable("connections_per_neuron", DATA);
  const points = connectionsPerNeuronPoints(table);
  assert.deepEqual(
    points.map((point) => [point.number, point.origin]),
    [
      [1, "denseLayers"],
      [2, "table"],
      [3, "table"],
      [4, "table"],
      [5, "table"],
      [6, "denseLayers"],
      [7, "table"],
      [8, "architecture"],
      [9, "table"],
      [10, "architecture"],
    ],
  );
  const byNumber = (number: number) => points.find((point) => point.number === number)!;
  assert.equal(byNumber(1).connectionsPerNeuron, 16); // Adaline: 16 inputs into one neuron
  assert.equal(byNumber(1).unverified, true);
  assert.ok(Math.abs(byNumber(6).connectionsPerNeuron - 11_965_000 / 7_510) < 1e-9);
  const alexNet = byNumber(8);
  assert.equal(alexNet.connectionsPerNeuron, alexNet.count!.connections / alexNet.count!.neurons);
  for (const point of points.filter((point) => point.origin === "table")) {
    assert.equal(point.estimate, true, point.name);
    assert.equal(point.count, undefined, point.name);
  }
});
