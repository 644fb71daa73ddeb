/**
 * The classic image-classification architectures as structure only — layer specs, no weights —
 * with their published parameter counts and multiply–adds, so their size and cost can be compared
 * in milliseconds. Each follows one named implementation exactly (torchvision or Keras
 * Applications), since the implementations differ in details that change the count: biases before
 * batch norm, whether batch norm's running statistics count as parameters, and kernel sizes.
 *
 * @module
 */

import { countModel } from "./count_model.ts";
import type { LayerSpecInput, Padding } from "./layer_spec.ts";
import { expandModel } from "./presets.ts";

/** A published figure an architecture's count is compared with. */
export interface PublishedCounts {
  /** Published number of trainable parameters. */
  parameters: number;
  /** Where the parameter count comes from. */
  parametersSource: string;
  /** Published multiply–adds for one forward pass of one input. */
  multiplyAdds?: number;
  /** Where the multiply–add count comes from. */
  multiplyAddsSource?: string;
  /** How far the computed multiply–adds may be from `multiplyAdds`, relative (0.05 = 5 %). */
  multiplyAddsTolerance?: number;
}

/** An architecture as structure: its input, layers and the published figures it must match. */
export interface Architecture {
  /** Display name, e.g. `AlexNet`. */
  name: string;
  /** Year of publication. */
  year: number;
  /** The implementation the layers follow, e.g. `torchvision alexnet`. */
  implementation: string;
  /** ILSVRC top-5 error, percent, where the paper reports one for this network. */
  top5ErrorPercent?: number;
  /** Where the top-5 error comes from. */
  top5ErrorSource?: string;
  /** The input shape the counts assume, e.g. `[224, 224, 3]`. */
  input: number[];
  /** The published figures the computed counts must match. */
  published: PublishedCounts;
  /** The layers in order, enough to count parameters and multiply–adds. */
  layers: LayerSpecInput[];
}

const IMAGENET = [224, 224, 3];

function conv(
  filters: number,
  kernel: number,
  options: { stride?: number; padding?: Padding; bias?: boolean } = {},
): LayerSpecInput {
  return { kind: "conv", filters, kernel, ...options };
}

const maxPool = (size: number, stride = size, padding: Padding = "valid"): LayerSpecInput => ({
  kind: "pool",
  mode: "max",
  size,
  stride,
  padding,
});
const dense = (units: number): LayerSpecInput => ({ kind: "dense", units });
/** Keras counts batch norm's moving mean and variance in `countParams`: 4 per channel. */
const kerasBatchNorm: LayerSpecInput = { kind: "batchNorm", countsRunningStatistics: true };
/** torchvision's `parameters()` holds only scale and shift: 2 per channel. */
const torchBatchNorm: LayerSpecInput = { kind: "batchNorm", countsRunningStatistics: false };

/** The framework's LeNet-5 preset (`lib/models/presets.ts`) on 28x28 MNIST. */
const LENET_5: Architecture = {
  name: "LeNet-5",
  year: 1998,
  implementation:
    "this framework's lenet5: conv 6@5x5 same, pool, conv 16@5x5 valid, pool, dense 120-84-10",
  input: [28, 28, 1],
  published: {
    parameters: 61_706,
    parametersSource:
      "the built model's countParams(); LeCun et al. 1998 report about 60,000 for the 32x32 original",
  },
  layers: expandModel({ kind: "lenet5" }, { input: [28, 28, 1], outputs: 10 }),
};

/** torchvision's single-tower AlexNet (64-192-384-256-256 filters; the paper split 96 over two GPUs). */
const ALEXNET: Architecture = {
  name: "AlexNet",
  year: 2012,
  implementation: "torchvision alexnet (single-GPU variant after Krizhevsky 2014)",
  top5ErrorPercent: 16.4,
  top5ErrorSource:
    "Krizhevsky, Sutskever & Hinton 2012, ILSVRC-2012 test, five-network ensemble (15.3 with extra data)",
  input: IMAGENET,
  published: {
    parameters: 61_100_840,
    parametersSource: "torchvision model table (the paper: 60 million)",
    multiplyAdds: 0.71e9,
    multiplyAddsSource: "torchvision model table, 0.71 GFLOPS (counted as multiply–adds)",
    multiplyAddsTolerance: 0.02,
  },
  layers: [
    conv(64, 11, { stride: 4, padding: 2 }),
    maxPool(3, 2),
    conv(192, 5, { padding: 2 }),
    maxPool(3, 2),
    conv(384, 3, { padding: 1 }),
    conv(256, 3, { padding: 1 }),
    conv(256, 3, { padding: 1 }),
    maxPool(3, 2),
    // torchvision's AdaptiveAvgPool2d((6, 6)) is the identity at 224x224 input.
    { kind: "flatten" },
    dense(4096),
    dense(4096),
    dense(1000),
  ],
};

function vggBlock(filters: number, convolutions: number): LayerSpecInput[] {
  return [
    ...Array.from({ length: convolutions }, () => conv(filters, 3, { padding: "same" })),
    maxPool(2),
  ];
}

/** Keras Applications' VGG16 with its classifier. */
const VGG_16: Architecture = {
  name: "VGG-16",
  year: 2014,
  implementation: "Keras Applications VGG16 (include_top)",
  input: IMAGENET,
  published: {
    parameters: 138_357_544,
    parametersSource: "Keras Applications (Simonyan & Zisserman 2015: 138 million)",
    multiplyAdds: 15.5e9,
    multiplyAddsSource:
      "torchvision model table, 15.47 GFLOPS; 15.3 G is also quoted (source unverified)",
    multiplyAddsTolerance: 0.02,
  },
  layers: [
    ...vggBlock(64, 2),
    ...vggBlock(128, 2),
    ...vggBlock(256, 3),
    ...vggBlock(512, 3),
    ...vggBlock(512, 3),
    { kind: "flatten" },
    dense(4096),
    dense(4096),
    dense(1000),
  ],
};

/** torchvision's BasicConv2d: a convolution without bias, then batch norm. */
function torchConv(
  filters: number,
  kernel: number,
  stride = 1,
  padding: Padding = 0,
): LayerSpecInput[] {
  return [conv(filters, kernel, { stride, padding, bias: false }), torchBatchNorm];
}

/** An Inception module; torchvision uses 3x3 (not the paper's 5x5) in the third branch. */
function inception(
  ch1x1: number,
  ch3x3Reduce: number,
  ch3x3: number,
  ch5x5Reduce: number,
  ch5x5: number,
  poolProjection: number,
): LayerSpecInput {
  return {
    kind: "concat",
    branches: [
      torchConv(ch1x1, 1),
      [...torchConv(ch3x3Reduce, 1), ...torchConv(ch3x3, 3, 1, 1)],
      [...torchConv(ch5x5Reduce, 1), ...torchConv(ch5x5, 3, 1, 1)],
      [
        { kind: "pool", mode: "max", size: 3, stride: 1, padding: 1, ceilMode: true },
        ...torchConv(poolProjection, 1),
      ],
    ],
  };
}

const ceilMaxPool = (size: number, stride: number): LayerSpecInput => ({
  kind: "pool",
  mode: "max",
  size,
  stride,
  ceilMode: true,
});

/** torchvision's GoogLeNet, without the auxiliary classifiers (absent at inference). */
const GOOGLENET: Architecture = {
  name: "GoogLeNet (Inception v1)",
  year: 2014,
  implementation:
    "torchvision googlenet, aux_logits=False (batch norm, 3x3 in the '5x5' branch, as its weights)",
  top5ErrorPercent: 6.66,
  top5ErrorSource:
    "Szegedy et al. 2015 (6.67, seven-network ensemble, ILSVRC 2014 test); He et al. 2016, Table 5",
  input: IMAGENET,
  published: {
    parameters: 6_624_904,
    parametersSource: "torchvision model table",
    multiplyAdds: 1.5e9,
    multiplyAddsSource: "Szegedy et al. 2015, sec. 5: about 1.5 billion multiply-adds",
    // torchvision's 3x3 in place of the paper's 5x5 and the rounded "about" leave 5 %.
    multiplyAddsTolerance: 0.05,
  },
  layers: [
    ...torchConv(64, 7, 2, 3),
    ceilMaxPool(3, 2),
    ...torchConv(64, 1),
    ...torchConv(192, 3, 1, 1),
    ceilMaxPool(3, 2),
    inception(64, 96, 128, 16, 32, 32),
    inception(128, 128, 192, 32, 96, 64),
    ceilMaxPool(3, 2),
    inception(192, 96, 208, 16, 48, 64),
    inception(160, 112, 224, 24, 64, 64),
    inception(128, 128, 256, 24, 64, 64),
    inception(112, 144, 288, 32, 64, 64),
    inception(256, 160, 320, 32, 128, 128),
    ceilMaxPool(2, 2),
    inception(256, 160, 320, 32, 128, 128),
    inception(384, 192, 384, 48, 128, 128),
    { kind: "globalPool", mode: "avg" },
    dense(1000),
  ],
};

/** torchvision's BasicBlock: two 3x3 convolutions, a projection shortcut when the shape changes. */
function basicBlock(inChannels: number, filters: number, stride: number): LayerSpecInput {
  const projects = stride !== 1 || inChannels !== filters;
  return {
    kind: "residual",
    main: [...torchConv(filters, 3, stride, 1), ...torchConv(filters, 3, 1, 1)],
    shortcut: projects ? torchConv(filters, 1, stride) : [],
  };
}

/** torchvision's ResNet-18. */
const RESNET_18: Architecture = {
  name: "ResNet-18",
  year: 2015,
  implementation: "torchvision resnet18",
  input: IMAGENET,
  published: {
    parameters: 11_689_512,
    parametersSource: "torchvision model table",
    multiplyAdds: 1.8e9,
    multiplyAddsSource: "He et al. 2016, Table 1: 1.8 x 10^9 FLOPs (multiply-adds)",
    multiplyAddsTolerance: 0.02,
  },
  layers: [
    ...torchConv(64, 7, 2, 3),
    maxPool(3, 2, 1),
    basicBlock(64, 64, 1),
    basicBlock(64, 64, 1),
    basicBlock(64, 128, 2),
    basicBlock(128, 128, 1),
    basicBlock(128, 256, 2),
    basicBlock(256, 256, 1),
    basicBlock(256, 512, 2),
    basicBlock(512, 512, 1),
    { kind: "globalPool", mode: "avg" },
    dense(1000),
  ],
};

/**
 * Keras's bottleneck block (ResNet v1: the stride sits on the first 1x1 convolution; every
 * convolution has a bias, though batch norm follows).
 */
function bottleneck(filters: number, stride: number, projects: boolean): LayerSpecInput {
  const kerasConv = (units: number, kernel: number, convStride = 1): LayerSpecInput[] => [
    conv(units, kernel, { stride: convStride, padding: "same" }),
    kerasBatchNorm,
  ];
  return {
    kind: "residual",
    main: [
      ...kerasConv(filters, 1, stride),
      ...kerasConv(filters, 3),
      ...kerasConv(4 * filters, 1),
    ],
    shortcut: projects ? kerasConv(4 * filters, 1, stride) : [],
  };
}

function bottleneckStage(filters: number, blocks: number, stride: number): LayerSpecInput[] {
  return Array.from(
    { length: blocks },
    (_, i) => bottleneck(filters, i === 0 ? stride : 1, i === 0),
  );
}

/** Keras Applications' ResNet50. */
const RESNET_50: Architecture = {
  name: "ResNet-50",
  year: 2015,
  implementation:
    "Keras Applications ResNet50 (conv biases; batch-norm moving statistics counted; torchvision's resnet50, without conv biases and moving statistics, has 25,557,032)",
  input: IMAGENET,
  published: {
    parameters: 25_636_712,
    parametersSource: "Keras Applications",
    multiplyAdds: 3.8e9,
    multiplyAddsSource: "He et al. 2016, Table 1: 3.8 x 10^9 FLOPs (multiply-adds)",
    multiplyAddsTolerance: 0.03,
  },
  layers: [
    conv(64, 7, { stride: 2, padding: 3 }),
    kerasBatchNorm,
    maxPool(3, 2, 1),
    ...bottleneckStage(64, 3, 1),
    ...bottleneckStage(128, 4, 2),
    ...bottleneckStage(256, 6, 2),
    ...bottleneckStage(512, 3, 2),
    { kind: "globalPool", mode: "avg" },
    dense(1000),
  ],
};

/** MobileNet's depthwise-separable block: depthwise 3x3, then pointwise 1x1, each batch-normed. */
function separable(filters: number, stride: number): LayerSpecInput[] {
  return [
    { kind: "depthwiseConv", kernel: 3, stride, padding: "same", bias: false },
    kerasBatchNorm,
    conv(filters, 1, { bias: false }),
    kerasBatchNorm,
  ];
}

/** Keras Applications' MobileNet, alpha 1.0, 224x224. */
const MOBILENET_V1: Architecture = {
  name: "MobileNet v1 (1.0, 224)",
  year: 2017,
  implementation:
    "Keras Applications MobileNet(alpha=1.0) with its classifier (a 1x1 convolution with bias, counted as dense)",
  input: IMAGENET,
  published: {
    parameters: 4_253_864,
    parametersSource: "Keras Applications (Howard et al. 2017, Table 8: 4.2 million)",
    multiplyAdds: 569e6,
    multiplyAddsSource: "Howard et al. 2017, Table 8: 569 million mult-adds",
    multiplyAddsTolerance: 0.01,
  },
  layers: [
    conv(32, 3, { stride: 2, padding: "same", bias: false }),
    kerasBatchNorm,
    ...separable(64, 1),
    ...separable(128, 2),
    ...separable(128, 1),
    ...separable(256, 2),
    ...separable(256, 1),
    ...separable(512, 2),
    ...Array.from({ length: 5 }, () => separable(512, 1)).flat(),
    ...separable(1024, 2),
    ...separable(1024, 1),
    { kind: "globalPool", mode: "avg" },
    dense(1000),
  ],
};

/**
 * The classic architectures, oldest first.
 *
 * @example
 * ```ts
 * import { ARCHITECTURES } from "./architectures.ts";
 * if (ARCHITECTURES[0].name !== "LeNet-5" || ARCHITECTURES.length < 7) throw new Error();
 * ```
 */
export const ARCHITECTURES: readonly Architecture[] = [
  LENET_5,
  ALEXNET,
  VGG_16,
  GOOGLENET,
  RESNET_18,
  RESNET_50,
  MOBILENET_V1,
];

/**
 * Counts an architecture's parameters and multiply–adds per image from its layer specs.
 *
 * @param architecture One of {@linkcode ARCHITECTURES}, or any of the same shape.
 * @returns Parameters and multiply–adds per example.
 *
 * @example
 * ```ts
 * import { ARCHITECTURES, countArchitecture } from "./architectures.ts";
 * const vgg = ARCHITECTURES.find((a) => a.name === "VGG-16")!;
 * if (countArchitecture(vgg).parameters !== 138_357_544) throw new Error("wrong count");
 * ```
 */
export function countArchitecture(
  architecture: Architecture,
): { parameters: number; multiplyAdds: number } {
  const { parameters, multiplyAdds } = countModel(architecture.input, architecture.layers);
  return { parameters, multiplyAdds };
}
