import assert from "node:assert/strict";
import { cachePath, readCachedTrial, writeCachedTrial } from "../lib/store/trial_cache.ts";
import { diskCheckpoints } from "../lib/store/checkpoint_store.ts";
import {
  checkWritable,
  OutputError,
  recoverResultDirectory,
  writeResultDirectory,
} from "../lib/store/result_directory.ts";
import { codeHash, moduleClosure, relativeImports } from "../lib/store/code_hash.ts";

const trial = {
  variant: "a",
  seed: 1,
  final: { loss: 0.1234567891234 },
  curve: [{ step: 1, epoch: 1, trainLoss: 1 / 3 }],
  artifacts: {},
};

Deno.test("writeCachedTrial keeps full precision and readCachedTrial gives it back", async () => {
  const store = await Deno.makeTempDir();
  await writeCachedTrial(store, {
    hash: "abcd",
    trial,
    run: { variant: "a", seed: 1, wallSeconds: 2 },
  });
  const found = await readCachedTrial(store, "abcd");
  assert.equal(found.status, "hit");
  if (found.status !== "hit") return;
  // Summaries from cached trials must equal those from fresh ones, bit for bit.
  assert.equal(found.entry.trial.final.loss, 0.1234567891234);
  assert.equal(found.entry.trial.curve[0].trainLoss, 1 / 3);
  assert.equal((await readCachedTrial(store, "ffff")).status, "miss");
});

Deno.test("readCachedTrial rejects a truncated or altered entry", async () => {
  const store = await Deno.makeTempDir();
  await writeCachedTrial(store, {
    hash: "abcd",
    trial,
    run: { variant: "a", seed: 1, wallSeconds: 2 },
  });
  const path = cachePath(store, "abcd");
  const text = await Deno.readTextFile(path);
  await Deno.writeTextFile(path, text.replace("0.1234567891234", "0.2234567891234"));
  const altered = await readCachedTrial(store, "abcd");
  assert.equal(altered.status, "corrupt");
  assert.match((altered as { reason: string }).reason, /checksum .* does not match/);
  await Deno.writeTextFile(path, text.slice(0, text.length / 2));
  const truncated = await readCachedTrial(store, "abcd");
  assert.equal(truncated.status, "corrupt");
  assert.match((truncated as { reason: string }).reason, /not JSON/);
});

Deno.test("diskCheckpoints saves atomically, keeps only the last epoch and ignores a damaged one", async () => {
  const store = await Deno.makeTempDir();
  const checkpoints = diskCheckpoints(store, "h1");
  assert.equal(await checkpoints.load(), undefined);
  const tensors = (value: number) => ({
    w: { shape: [3], dtype: "float32" as const, values: Float32Array.of(value, -value, 0.5) },
    n: { shape: [], dtype: "int32" as const, values: Int32Array.of(7) },
  });
  await checkpoints.save({ epoch: 1, state: { step: 4 }, tensors: tensors(1) });
  await checkpoints.save({ epoch: 2, state: { step: 8 }, tensors: tensors(2) });
  const loaded = await checkpoints.load();
  assert.equal(loaded?.epoch, 2);
  assert.deepEqual(loaded?.state, { step: 8 });
  assert.deepEqual([...loaded!.tensors.w.values], [2, -2, 0.5]);
  assert.deepEqual([...loaded!.tensors.n.values], [7]);
  const files = [...Deno.readDirSync(`${store}/checkpoints/h1`)].map((e) => e.name).sort();
  assert.deepEqual(files, ["checkpoint.json", "epoch-2.bin"]);
  // A flipped byte in the tensors: the checkpoint is not used (the trial starts over).
  const bin = `${store}/checkpoints/h1/epoch-2.bin`;
  const bytes = await Deno.readFile(bin);
  bytes[0] ^= 1;
  await Deno.writeFile(bin, bytes);
  assert.equal(await checkpoints.load(), undefined);
  await checkpoints.clear();
  assert.equal(await Deno.stat(`${store}/checkpoints/h1`).then(() => true, () => false), false);
});

Deno.test("writeResultDirectory replaces results as one unit and archives the old ones", async () => {
  const root = await Deno.makeTempDir();
  const target = `${root}/reports/cnn`;
  await writeResultDirectory(
    target,
    { "config.json": "old config", "metrics.json": "old" },
    `${root}/archive/1`,
  );
  await writeResultDirectory(
    target,
    { "config.json": "new config", "metrics.json": "new" },
    `${root}/archive/2`,
  );
  assert.equal(await Deno.readTextFile(`${target}/metrics.json`), "new");
  assert.equal(await Deno.readTextFile(`${root}/archive/2/metrics.json`), "old");
  assert.equal(await Deno.readTextFile(`${root}/archive/2/config.json`), "old config");
  assert.deepEqual([...Deno.readDirSync(`${root}/reports`)].map((e) => e.name), ["cnn"]);
});

Deno.test("recoverResultDirectory finishes a swap a crash interrupted", async () => {
  const root = await Deno.makeTempDir();
  // The crash came after the old results moved to the archive, before the new ones moved in.
  await Deno.mkdir(`${root}/cnn.tmp-1-abc`);
  await Deno.writeTextFile(`${root}/cnn.tmp-1-abc/metrics.json`, "new");
  await Deno.writeTextFile(`${root}/cnn.tmp-1-abc/.complete`, "");
  // An incomplete temporary folder (the crash came while writing it) is left alone.
  await Deno.mkdir(`${root}/cnn.tmp-2-def`);
  await recoverResultDirectory(`${root}/cnn`);
  assert.equal(await Deno.readTextFile(`${root}/cnn/metrics.json`), "new");
  assert.equal(await Deno.stat(`${root}/cnn/.complete`).then(() => true, () => false), false);
});

Deno.test("checkWritable names an unwritable place before anything runs", async () => {
  const file = await Deno.makeTempFile();
  for (
    const [path, reason] of [
      [`${file}/cnn`, /not writable \(.*\); choose another place with --out/],
      ["/proc/experiment-results/cnn", /not writable/],
    ] as const
  ) {
    await assert.rejects(checkWritable(path, "cnn"), (error: Error) => {
      assert.ok(error instanceof OutputError);
      assert.match(error.message, reason);
      return true;
    });
  }
  const other = await Deno.makeTempDir();
  await Deno.writeTextFile(`${other}/config.json`, JSON.stringify({ experiment: "history" }));
  await assert.rejects(
    checkWritable(other, "cnn"),
    /expected this experiment's \(cnn\) results or an empty folder, found the results of "history"/,
  );
  await Deno.writeTextFile(`${other}/config.json`, JSON.stringify({ experiment: "cnn" }));
  await checkWritable(other, "cnn");
});

Deno.test("writeResultDirectory leaves the previous results whole when it cannot write", async () => {
  const root = await Deno.makeTempDir();
  await writeResultDirectory(`${root}/cnn`, { "metrics.json": "old" }, `${root}/archive/1`);
  // A file in the way of the temporary folder's parent makes every write fail.
  await assert.rejects(
    writeResultDirectory(
      `${root}/cnn/metrics.json/inner`,
      { "metrics.json": "new" },
      `${root}/a/2`,
    ),
    OutputError,
  );
  assert.equal(await Deno.readTextFile(`${root}/cnn/metrics.json`), "old");
});

Deno.test("relativeImports follows run-time imports and skips type-only ones", () => {
  const source = `import type { A } from "./a.ts";
import { b, type C } from "../b.ts";
export { d } from "./d.ts";
export type { E } from "./e.ts";
import {
  f,
} from "./f.ts";
import "./g.ts";
import * as tf from "@tensorflow/tfjs";`;
  assert.deepEqual(relativeImports(source), ["../b.ts", "./d.ts", "./f.ts", "./g.ts"]);
});

Deno.test("codeHash changes when a module in the closure changes, and only then", async () => {
  const root = await Deno.makeTempDir();
  await Deno.writeTextFile(
    `${root}/main.ts`,
    'import { x } from "./dep.ts";\nexport const y = x;\n',
  );
  await Deno.writeTextFile(`${root}/dep.ts`, "export const x = 1;\n");
  await Deno.writeTextFile(`${root}/other.ts`, "export const z = 1;\n");
  const first = await codeHash([`${root}/main.ts`]);
  assert.deepEqual((await moduleClosure([`${root}/main.ts`])).map((f) => f.slice(root.length)), [
    "/dep.ts",
    "/main.ts",
  ]);
  await Deno.writeTextFile(`${root}/other.ts`, "export const z = 2;\n");
  assert.equal((await codeHash([`${root}/main.ts`])).hash, first.hash);
  await Deno.writeTextFile(`${root}/dep.ts`, "export const x = 2;\n");
  assert.notEqual((await codeHash([`${root}/main.ts`])).hash, first.hash);
});
