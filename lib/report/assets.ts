/**
 * The files every report shares under `reports/assets/`: the stylesheet, the interactive-view
 * script, and the Vega and Vega-Lite builds it loads (copied from `node_modules`, so reports work
 * offline from `file://`).
 *
 * @module
 */

import { writeFileAtomic } from "../io/atomic_write.ts";
import { projectPath } from "../io/project_paths.ts";
import { REPORT_SCRIPT } from "./report_script.ts";
import { STYLESHEET } from "./style.ts";

/** The names of the shared assets. */
export const ASSET_NAMES = ["style.css", "report.js", "vega.min.js", "vega-lite.min.js"] as const;

async function readBuild(specifier: "vega" | "vega-lite", file: string): Promise<Uint8Array> {
  // From the project's node_modules, not import.meta.resolve: that also works from a bundle.
  const path = projectPath(`node_modules/${specifier}/build/${file}`);
  try {
    return await Deno.readFile(path);
  } catch (error) {
    throw new Error(
      `report assets: expected the ${specifier} build at ${path}, found none (${
        (error as Error).message
      }); run \`deno install\` so node_modules holds it`,
    );
  }
}

/**
 * The contents of every shared asset.
 *
 * @returns Asset name -> bytes.
 *
 * @example
 * ```ts
 * import { assetContents } from "./assets.ts";
 * const assets = await assetContents();
 * if (!assets.has("vega.min.js")) throw new Error("no vega");
 * ```
 */
export async function assetContents(): Promise<Map<string, Uint8Array>> {
  const encoder = new TextEncoder();
  return new Map<string, Uint8Array>([
    ["style.css", encoder.encode(STYLESHEET)],
    ["report.js", encoder.encode(REPORT_SCRIPT)],
    ["vega.min.js", await readBuild("vega", "vega.min.js")],
    ["vega-lite.min.js", await readBuild("vega-lite", "vega-lite.min.js")],
  ]);
}

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * Writes the shared assets into `<reportsDirectory>/assets/`, leaving files that are already
 * up to date untouched.
 *
 * @param reportsDirectory Usually `reports`.
 *
 * @example
 * ```ts
 * import { writeAssets } from "./assets.ts";
 * const dir = await Deno.makeTempDir();
 * await writeAssets(dir);
 * await Deno.stat(`${dir}/assets/style.css`);
 * ```
 */
export async function writeAssets(reportsDirectory: string): Promise<void> {
  for (const [name, bytes] of await assetContents()) {
    const path = `${reportsDirectory.replace(/\/+$/, "")}/assets/${name}`;
    const existing = await Deno.readFile(path).catch(() => undefined);
    if (existing && equalBytes(existing, bytes)) continue;
    await writeFileAtomic(path, bytes);
  }
}
