import assert from "node:assert/strict";
import { imageCovariance } from "../lib/linalg/image_covariance.ts";
import { createRng } from "../lib/random/seed.ts";

Deno.test("imageCovariance equals the dense two-pass float64 covariance of sparse byte images", () => {
  const count = 50;
  const pixels = 12;
  const rng = createRng(4);
  // Mostly blank images, like MNIST's digits; one pixel is always 0.
  const images = Uint8Array.from(
    { length: count * pixels },
    (_, i) => i % pixels === 3 || rng() < 0.6 ? 0 : Math.floor(rng() * 256),
  );
  const { mean, covariance } = imageCovariance(images, count, pixels, 1 / 255);
  const x = (n: number, p: number) => images[n * pixels + p] / 255;
  for (let a = 0; a < pixels; a++) {
    let m = 0;
    for (let n = 0; n < count; n++) m += x(n, a) / count;
    assert.ok(Math.abs(mean[a] - m) < 1e-15);
  }
  for (let a = 0; a < pixels; a++) {
    for (let b = 0; b < pixels; b++) {
      let sum = 0;
      for (let n = 0; n < count; n++) sum += (x(n, a) - mean[a]) * (x(n, b) - mean[b]);
      assert.ok(Math.abs(covariance.data[a * pixels + b] - sum / (count - 1)) < 1e-15);
    }
  }
  assert.equal(covariance.data[3 * pixels + 3], 0);
});

Deno.test("imageCovariance rejects one image or too few bytes", () => {
  assert.throws(() => imageCovariance(new Uint8Array(4), 1, 4), {
    name: "RangeError",
    message: "Expected count to be an integer of at least 2 but found 1",
  });
  assert.throws(() => imageCovariance(new Uint8Array(7), 2, 4), {
    name: "RangeError",
    message: "Expected at least 8 bytes (2 images of 4 pixels) but found 7",
  });
});
