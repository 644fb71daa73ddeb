import { ok } from "node:assert/strict";
import { SERIES_COLORS } from "../lib/report/chart_config.ts";
import { DARK_COLORS, LIGHT_COLORS } from "../lib/report/style.ts";
import { contrast } from "./_contrast.ts";

Deno.test("SERIES_COLORS have 3:1 contrast on both page backgrounds", () => {
  for (const color of SERIES_COLORS) {
    ok(contrast(color, LIGHT_COLORS.background) >= 3, `${color} on light`);
    ok(contrast(color, DARK_COLORS.background) >= 3, `${color} on dark`);
  }
});
