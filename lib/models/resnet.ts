/**
 * He et al. 2016's networks for small images (§4.2): a 3×3 convolution, three stages of `n`
 * blocks of two 3×3 convolutions each — the later stages start with a stride-2 convolution that
 * halves the map and doubles the filters — then global average pooling and the output layer:
 * `6n + 2` layers with weights. The residual network adds an identity shortcut around every block
 * (a 1×1 projection where the shape changes, their option B); the plain network is the same stack
 * without shortcuts, so both start from the same weights in every layer they share.
 *
 * @module
 */

import { z } from "zod";
import type { Activation, LayerSpec } from "./layer_spec.ts";

const positiveInteger = () => z.number().int().min(1);

/**
 * The `resnet` model preset's options.
 *
 * @example
 * ```ts
 * import { resnetModelSchema } from "./resnet.ts";
 * const model = resnetModelSchema.parse({ kind: "resnet", depth: 20 });
 * if (model.widths.join() !== "16,32,64" || model.shortcuts !== "identity") throw new Error();
 * if (resnetModelSchema.safeParse({ kind: "resnet", depth: 21 }).success) throw new Error("6n + 2");
 * ```
 */
export const resnetModelSchema = z.strictObject({
  kind: z.literal("resnet"),
  /** Layers with weights, 6n + 2: He et al. train 20, 32, 44, 56 and 110 on CIFAR-10. */
  depth: z.number().int().min(8).refine((depth) => (depth - 2) % 6 === 0, {
    error: "expected 6n + 2 layers (8, 14, 20, 26, 32, …): three stages of n blocks of two",
  }),
  /** Filters in each of the three stages; He et al. use 16, 32 and 64. */
  widths: z.tuple([positiveInteger(), positiveInteger(), positiveInteger()]).default([16, 32, 64]),
  /**
   * `identity`: a shortcut around every block (He et al.'s residual network); `none`: the same
   * layers without shortcuts (their plain network).
   */
  shortcuts: z.enum(["identity", "none"]).default("identity"),
  /**
   * Batch normalisation after every convolution, before its activation, as He et al. place it;
   * the convolutions then have no bias (the normalisation's shift replaces it). Without it, every
   * convolution has a bias.
   */
  batchNorm: z.boolean().default(true),
  /** The running statistics' momentum; 0.9 (PyTorch's 0.1) suits short runs better than 0.99. */
  batchNormMomentum: z.number().min(0).lt(1).default(0.9),
  /** Stride of the first convolution: 2 halves the input first, which saves three quarters of the work. */
  stemStride: positiveInteger().default(1),
});

/** The `resnet` preset, parsed. */
export type ResnetModel = z.output<typeof resnetModelSchema>;

/**
 * The layers of a `resnet` preset, without the output layer. Names: `stem` (and `stem_bn`,
 * `stem_relu`); each block `stage<s>_block<b>` (from 1) holds `…_conv1`, `…_bn1`, `…_relu1`,
 * `…_conv2`, `…_bn2`; the residual block applies ReLU after the addition, the plain one has an
 * activation layer `…_relu2` instead; a projection is `…_projection` (and `…_projection_bn`);
 * then `pool`.
 *
 * @param model The preset's options, parsed.
 * @returns The layers, named, up to and including the global pooling.
 *
 * @example
 * ```ts
 * import { resnetLayers, resnetModelSchema } from "./resnet.ts";
 * const plain = resnetLayers(resnetModelSchema.parse({ kind: "resnet", depth: 8, shortcuts: "none" }));
 * const convolutions = plain.filter((layer) => layer.kind === "conv").length;
 * if (convolutions !== 7) throw new Error(`6n + 1 convolutions for n = 1, found ${convolutions}`);
 * ```
 */
export function resnetLayers(model: ResnetModel): LayerSpec[] {
  const blocks = (model.depth - 2) / 6;
  // A convolution, then its batch normalisation `normName` when the model has them.
  const conv = (
    name: string,
    normName: string,
    filters: number,
    kernel: number,
    stride: number,
  ): LayerSpec[] => [
    {
      kind: "conv",
      name,
      filters,
      kernel,
      stride,
      padding: "same",
      activation: "linear",
      bias: !model.batchNorm,
      groups: 1,
    },
    ...(model.batchNorm
      ? [{
        kind: "batchNorm" as const,
        name: normName,
        momentum: model.batchNormMomentum,
        epsilon: 0.001,
        countsRunningStatistics: true,
      }]
      : []),
  ];
  const relu = (name: string): LayerSpec => ({
    kind: "activation",
    name,
    activation: "relu" as Activation,
  });
  const layers: LayerSpec[] = [
    ...conv("stem", "stem_bn", model.widths[0], 3, model.stemStride),
    relu("stem_relu"),
  ];
  let channels = model.widths[0];
  model.widths.forEach((filters, stage) => {
    for (let block = 0; block < blocks; block++) {
      const name = `stage${stage + 1}_block${block + 1}`;
      const stride = stage > 0 && block === 0 ? 2 : 1;
      const main = [
        ...conv(`${name}_conv1`, `${name}_bn1`, filters, 3, stride),
        relu(`${name}_relu1`),
        ...conv(`${name}_conv2`, `${name}_bn2`, filters, 3, 1),
      ];
      if (model.shortcuts === "identity") {
        const projects = stride !== 1 || channels !== filters;
        layers.push({
          kind: "residual",
          name,
          main,
          shortcut: projects
            ? conv(`${name}_projection`, `${name}_projection_bn`, filters, 1, stride)
            : [],
          activation: "relu",
        });
      } else {
        layers.push(...main, relu(`${name}_relu2`));
      }
      channels = filters;
    }
  });
  layers.push({ kind: "globalPool", name: "pool", mode: "avg" });
  return layers;
}
