/**
 * Chapter 1: introduction and history. The course's comparisons — brains, the three waves of
 * neural networks, GPUs and their price per TFLOP/s, data sets, connections per neuron, network
 * sizes, ImageNet error, software libraries — redrawn from sourced tables, with the classic
 * architectures' sizes and connections per neuron computed from their layers and this machine's
 * measured throughput on the GPU chart.
 */

import { defineExperiment } from "../mod.ts";

export default defineExperiment({
  id: "history",
  chapter: 1,
  title: "How far the field has come: brains, data, networks, accuracy and hardware",
  reproduces: {
    claim: "Networks, data sets and hardware have grown exponentially while ImageNet error fell " +
      "from 28% (2010) to 3.6% (2015); the classic architectures have the sizes their papers and " +
      "reference implementations state (VGG-16 138M parameters, ResNet-50 25.6M, MobileNet 4.3M); " +
      "their connections per neuron reach the order of 10^3, as Fig. 1.10 plots; in 2017 the " +
      "course's GPUs cost 73 to 128 € per FP32 TFLOP/s.",
    source: "Goodfellow, Bengio & Courville 2016, Deep Learning, ch. 1, Figs. 1.8, 1.10, 1.11, " +
      "1.12; Zell, Deep Neural Networks, ch. 1; Keras Applications and torchvision model tables",
    url: "https://www.deeplearningbook.org/contents/intro.html",
  },
  kind: "compute",
  seeds: [1], // nothing is random; one trial
  analysis: {
    kind: "history",
    tables: "data", // the sourced YAML tables
    throughput: {
      backends: ["webgpu", "wasm", "cpu"], // each one this machine has is measured
      matmulSizes: [256, 512, 1024], // square fp32 matmuls, n x n
      batchSize: 64, // LeNet-5 training and inference batch
      seconds: 1, // per measurement: long enough to be stable, short enough for CI
    },
  },
  variants: [{ name: "history", label: "Chapter 1" }],
  profiles: {
    ci: { "analysis.throughput.seconds": 0.3, "analysis.throughput.matmulSizes": [256, 512] },
    smoke: {
      "analysis.throughput.seconds": 0.1,
      "analysis.throughput.matmulSizes": [128],
      "analysis.throughput.backends": ["wasm"],
    },
  },
  expect: [
    {
      variant: "history",
      metric: "vgg16Parameters",
      published: 138_357_544,
      source: "Keras Applications (VGG16); Simonyan & Zisserman 2015",
      atLeast: 138_357_544,
      atMost: 138_357_544,
    },
    {
      variant: "history",
      metric: "resnet50Parameters",
      published: 25_636_712,
      source: "Keras Applications (ResNet50); He et al. 2016",
      atLeast: 25_636_712,
      atMost: 25_636_712,
    },
    {
      variant: "history",
      metric: "mobilenetv1Parameters",
      published: 4_253_864,
      source: "Keras Applications (MobileNet 1.0, 224); Howard et al. 2017",
      atLeast: 4_253_864,
      atMost: 4_253_864,
    },
    {
      variant: "history",
      metric: "alexnetParameters",
      published: 61_100_840,
      source: "torchvision alexnet (single-GPU variant); Krizhevsky et al. 2012 state 60M",
      atLeast: 61_100_840,
      atMost: 61_100_840,
    },
    {
      variant: "history",
      metric: "alexnetConnectionsPerNeuron",
      // 714,188,480 multiply-adds over 494,184 units, counted from the layers.
      published: 1_000,
      source: "Goodfellow et al. 2016, Fig. 1.10: network 8 (the multi-GPU convolutional " +
        "network, AlexNet) lies in the decade from 10^3 to 10^4 connections per neuron; an order " +
        "of magnitude as recalled from the plot, not measured on it (the book gives no number)",
      atLeast: 1_000,
      atMost: 10_000,
    },
    {
      variant: "history",
      metric: "googlenetConnectionsPerNeuron",
      published: 1.5e9 / 3_227_160,
      source: "Szegedy et al. 2015: about 1.5 billion multiply-adds (sec. 5) over the 3,227,160 " +
        "units of the layers with weights in Table 1 (summed by hand in data/network_sizes.yaml); " +
        "bounds for 1.45 to 1.55 billion",
      atLeast: 1.45e9 / 3_227_160,
      atMost: 1.55e9 / 3_227_160,
    },
    {
      variant: "history",
      metric: "gtx1080tiEurosPerTflop",
      published: 835 / 11.47,
      source: "course slides, chapter 1 (heise.de, 2017-03-01): ca. 835 €, 11.47 TFLOP/s",
      atLeast: 72.79,
      atMost: 72.80,
    },
    {
      variant: "history",
      metric: "titanxpascalEurosPerTflop",
      published: 1300 / 10.16,
      source: "course slides, chapter 1 (heise.de, 2017-03-01): 1,300 €, 10.16 TFLOP/s",
      atLeast: 127.95,
      atMost: 127.96,
    },
    {
      variant: "history",
      metric: "gtx1080EurosPerTflop",
      published: 600 / 8.23,
      source: "course slides, chapter 1 (heise.de, 2017-03-01): 600 €, 8.23 TFLOP/s",
      atLeast: 72.90,
      atMost: 72.91,
    },
    {
      variant: "history",
      metric: "ilsvrcErrorFactor",
      published: 28.2 / 3.57,
      source: "Russakovsky et al. 2015; He et al. 2016, Table 5 (28.2% in 2010 to 3.57% in 2015)",
      atLeast: 7,
    },
  ],
});
