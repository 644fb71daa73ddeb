import assert from "node:assert/strict";
import { eckartYoung, projectionError, truncationErrors } from "../lib/analyses/eckart_young.ts";
import { jacobiSvd } from "../lib/linalg/jacobi_svd.ts";
import { matrix } from "../lib/linalg/matrix.ts";
import { createProgress } from "../lib/train/progress.ts";
import { gaussianMatrix } from "./_random_matrix.ts";

Deno.test("truncationErrors equals √(Σ_{i>k} σ_i²) for every k of a random matrix", () => {
  const a = gaussianMatrix(12, 20, 3);
  const svd = jacobiSvd(a);
  for (let k = 1; k < 12; k++) {
    const { truncation, discarded } = truncationErrors(a, svd, k);
    assert.ok(Math.abs(truncation - discarded) < 1e-12 * discarded, `k = ${k}`);
  }
  assert.ok(truncationErrors(a, svd, 12).truncation < 1e-12);
});

Deno.test("truncationErrors on a diagonal matrix drops the smallest entries", () => {
  const a = matrix(3, 3, Float64Array.of(3, 0, 0, 0, -2, 0, 0, 0, 1));
  const { truncation, discarded } = truncationErrors(a, jacobiSvd(a), 1);
  assert.ok(
    Math.abs(truncation - Math.sqrt(5)) < 1e-15 && Math.abs(discarded - Math.sqrt(5)) < 1e-15,
  );
});

Deno.test("projectionError on random subspaces never beats the rank-k truncation (Eckart–Young)", () => {
  const a = gaussianMatrix(10, 15, 8);
  const svd = jacobiSvd(a);
  for (const k of [1, 3, 6]) {
    const best = truncationErrors(a, svd, k).truncation;
    for (let seed = 1; seed <= 5; seed++) {
      assert.ok(projectionError(a, gaussianMatrix(k, 15, 100 * k + seed)) >= best);
    }
    // The span of the top k right singular vectors is the truncation itself.
    const top = matrix(k, 15, svd.right.data.slice(0, k * 15));
    assert.ok(Math.abs(projectionError(a, top) - best) < 1e-12);
  }
});

Deno.test("eckartYoung on 40 digits reports the theorem's checks", async () => {
  const settings = eckartYoung.schema.parse({ kind: "eckartYoung", images: 40, ranks: [1, 5, 20] });
  const { final } = await eckartYoung.run(settings, {
    seed: 1,
    backend: "cpu",
    progress: createProgress("quiet"),
  });
  assert.ok(final.maxRelativeDifference < 1e-10);
  assert.ok(final.singularValueDifference < 1e-10);
  assert.ok(final.reconstructionError < 1e-12);
  for (const name of ["randomDirectionsRatio", "sampleDigitsRatio", "activePixelsRatio"]) {
    assert.ok(final[name] >= 1, `${name} ${final[name]}`);
  }
});

Deno.test("eckartYoung's settings refuse a rank with nothing left to discard", () => {
  const parsed = eckartYoung.schema.safeParse({ kind: "eckartYoung", images: 10, ranks: [10] });
  assert.equal(parsed.success, false);
  assert.match(
    parsed.error!.issues[0].message,
    /expected a rank below min\(images, 784\) = 10 .*found 10/,
  );
});
