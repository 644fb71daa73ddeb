import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { shiftedBatches, shiftImage } from "../lib/train/augment.ts";
import { OPEN_RESOURCES, useBackend } from "./_backends.ts";

/** A 3×4 two-channel image whose values name their place: 100 row + 10 column + channel + 1. */
function labelled(): Float32Array {
  const image = new Float32Array(3 * 4 * 2);
  for (let row = 0; row < 3; row++) {
    for (let column = 0; column < 4; column++) {
      for (let c = 0; c < 2; c++) {
        image[(row * 4 + column) * 2 + c] = 100 * row + 10 * column + c + 1;
      }
    }
  }
  return image;
}

/** The value at (row, column, channel) of a 3×4×2 image. */
const at = (image: Float32Array, row: number, column: number, c: number) =>
  image[(row * 4 + column) * 2 + c];

Deno.test("shiftImage moves every pixel by (dx, dy) and writes nothing where no pixel lands", () => {
  const source = labelled();
  for (const [dx, dy] of [[1, 0], [0, -1], [-2, 1], [3, 2], [0, 0]]) {
    const target = new Float32Array(source.length).fill(Number.NaN);
    shiftImage(source, 0, target, 0, 3, 4, 2, dx, dy);
    for (let row = 0; row < 3; row++) {
      for (let column = 0; column < 4; column++) {
        for (let c = 0; c < 2; c++) {
          const [fromRow, fromColumn] = [row - dy, column - dx];
          const inside = fromRow >= 0 && fromRow < 3 && fromColumn >= 0 && fromColumn < 4;
          // Uncovered pixels keep the target's NaN: shiftedBatches's fresh buffer is all 0.
          const expected = inside ? at(source, fromRow, fromColumn, c) : Number.NaN;
          assert.deepEqual(
            at(target, row, column, c),
            expected,
            `(${dx}, ${dy}) at ${row},${column}`,
          );
        }
      }
    }
  }
});

Deno.test("shiftImage reads and writes at the given offsets", () => {
  const source = new Float32Array([9, 9, 1, 2, 3, 4]); // a 2×2 image after two other values
  const target = new Float32Array(5);
  shiftImage(source, 2, target, 1, 2, 2, 1, 1, 0);
  assert.deepEqual([...target], [0, 0, 1, 0, 3]);
});

/** Four 5×5 images, each a single lit pixel at the centre; labels 0 to 3. */
function centres() {
  const features = new Float32Array(4 * 25);
  for (let n = 0; n < 4; n++) features[n * 25 + 12] = n + 1;
  return { features, targets: Int32Array.from([0, 1, 2, 3]), count: 4 };
}

/** Where each image's lit pixel went: its offset (dx, dy) from the centre, and its value. */
async function offsets(x: tf.Tensor): Promise<{ dx: number; dy: number; value: number }[]> {
  const values = await x.data();
  return Array.from({ length: x.shape[0] }, (_, n) => {
    const image = values.subarray(n * 25, (n + 1) * 25);
    const index = image.findIndex((value) => value !== 0);
    return { dx: (index % 5) - 2, dy: Math.floor(index / 5) - 2, value: image[index] };
  });
}

Deno.test(
  "shiftedBatches shifts each image by at most `pixels`, keeps its label, and repeats per seed and step",
  OPEN_RESOURCES,
  async () => {
    await useBackend("cpu");
    const split = centres();
    const indices = Int32Array.from([2, 0, 3, 1]);
    const draw = async (seed: number, step: number) => {
      const { x, y } = shiftedBatches(split, [5, 5, 1], [], { kind: "shift", pixels: 2 }, seed)
        .batch(indices, { epoch: 1, step });
      const result = { shifts: await offsets(x), labels: [...await y.data()] };
      tf.dispose([x, y]);
      return result;
    };
    const first = await draw(7, 0);
    assert.deepEqual(first.labels, [2, 0, 3, 1], "labels follow their images");
    assert.deepEqual(first.shifts.map((s) => s.value), [3, 1, 4, 2], "each image is its own");
    const seen = new Set<string>();
    for (let step = 0; step < 30; step++) {
      for (const { dx, dy } of (await draw(7, step)).shifts) {
        assert.ok(Math.abs(dx) <= 2 && Math.abs(dy) <= 2, `shift (${dx}, ${dy}) beyond 2 pixels`);
        seen.add(`${dx},${dy}`);
      }
    }
    assert.equal(seen.size, 25, "every shift in [-2, 2]² occurs over 120 draws");
    assert.deepEqual(await draw(7, 0), first, "same seed and step, same shifts");
    assert.notDeepEqual((await draw(7, 1)).shifts, first.shifts, "a new draw at every step");
    assert.notDeepEqual((await draw(8, 0)).shifts, first.shifts, "another seed, other shifts");
    // The source images are left as they were.
    assert.deepEqual([...split.features].filter((v) => v !== 0), [1, 2, 3, 4]);
  },
);
