import { deepEqual, ok } from "node:assert/strict";
import { type Browser, chromium, type Page } from "playwright-core";
import {
  sampleResults,
  sampleSections,
  writeSampleResults,
} from "../../lib/report/sample_results.ts";
import { writeExperimentReport, writeIndex } from "../../lib/report/write_report.ts";

const CHROMIUM = "/usr/bin/chromium";
const HAS_CHROMIUM = await Deno.stat(CHROMIUM).then(() => true, () => false);
const SCREENSHOTS = new URL("../../reports/_screenshots/", import.meta.url);

async function buildReports(): Promise<string> {
  const root = await Deno.makeTempDir({ prefix: "report_browser_" });
  await writeSampleResults(`${root}/cnn`);
  await writeExperimentReport(`${root}/cnn`, { extraSections: sampleSections() });
  const header = sampleResults().config.header;
  await writeIndex(root, [header, { ...header, id: "history", chapter: 1, title: "History" }]);
  return root;
}

async function launch(): Promise<Browser> {
  return await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}

/** Opens a page and records console errors, uncaught exceptions and failed requests. */
async function open(browser: Browser, url: string, colorScheme: "light" | "dark") {
  const page = await browser.newPage({ colorScheme, viewport: { width: 1100, height: 900 } });
  const problems: string[] = [];
  const requests: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error" || message.type() === "warning") {
      problems.push(`console ${message.type()}: ${message.text()}`);
    }
  });
  page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
  page.on("requestfailed", (request) => problems.push(`request failed: ${request.url()}`));
  page.on("request", (request) => requests.push(request.url()));
  await page.goto(url, { waitUntil: "load" });
  return { page, problems, requests };
}

async function markCounts(page: Page, selector: string): Promise<number[]> {
  return await page.$$eval(
    selector,
    (elements) =>
      elements.map((element) =>
        element.querySelectorAll("g.role-mark path, g.role-mark rect, g.role-mark line").length
      ),
  );
}

async function screenshot(page: Page, name: string): Promise<void> {
  await Deno.mkdir(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: new URL(`${name}.png`, SCREENSHOTS).pathname, fullPage: true });
}

/**
 * A test that opens freshly built reports in chromium: skipped without chromium; the browser and
 * the reports' folder are removed afterwards.
 */
function browserTest(name: string, body: (root: string, browser: Browser) => Promise<void>) {
  Deno.test({
    name,
    ignore: !HAS_CHROMIUM,
    sanitizeResources: false,
    sanitizeOps: false,
    async fn() {
      const root = await buildReports();
      const browser = await launch();
      try {
        await body(root, browser);
      } finally {
        await browser.close();
        await Deno.remove(root, { recursive: true });
      }
    },
  });
}

browserTest(
  "experiment report shows every chart as SVG from file:// with no errors, light and dark",
  async (root, browser) => {
    for (const scheme of ["light", "dark"] as const) {
      const url = `file://${root}/cnn/index.html`;
      const { page, problems, requests } = await open(browser, url, scheme);
      const counts = await markCounts(page, "figure.chart .chart-svg svg");
      deepEqual(
        counts.length,
        21,
        "1 checks chart + 4 curve charts + 4 extra charts + 12 artifact charts",
      );
      ok(counts.every((count) => count > 0), `marks per chart: ${counts}`);
      const background = await page.evaluate("getComputedStyle(document.body).backgroundColor");
      deepEqual(background, scheme === "light" ? "rgb(255, 255, 255)" : "rgb(22, 24, 29)");
      ok(
        requests.every((request) => request.startsWith("file://")),
        `only local files: ${requests.filter((request) => !request.startsWith("file://"))}`,
      );
      await screenshot(page, `experiment-${scheme}`);
      deepEqual(problems, []);
      await page.close();
    }
  },
);

browserTest(
  "experiment report's interactive view renders each chart with the shipped Vega build",
  async (root, browser) => {
    const { page, problems, requests } = await open(
      browser,
      `file://${root}/cnn/index.html`,
      "light",
    );
    const buttons = page.locator("figure.chart button.chart-interactive");
    const count = await buttons.count();
    deepEqual(count, 21);
    for (let i = 0; i < count; i++) {
      await buttons.nth(i).click();
      await page.locator("figure.chart").nth(i).locator(".chart-live svg").waitFor();
    }
    const live = await markCounts(page, "figure.chart .chart-live svg");
    deepEqual(live.length, 21);
    ok(live.every((marks) => marks > 0), `marks per live chart: ${live}`);
    const staticHidden = await page.$$eval(
      "figure.chart .chart-svg",
      (elements) => elements.every((element) => element.hasAttribute("hidden")),
    );
    ok(staticHidden, "the static SVG is hidden while the live view shows");
    ok(requests.some((request) => request.endsWith("/assets/vega-lite.min.js")));
    deepEqual(problems, []);
    await buttons.first().click();
    deepEqual(await page.locator("figure.chart").first().locator(".chart-live").count(), 0);
  },
);

browserTest(
  "index page links each report and loads from file:// with no errors, light and dark",
  async (root, browser) => {
    for (const scheme of ["light", "dark"] as const) {
      const { page, problems } = await open(browser, `file://${root}/index.html`, scheme);
      const statuses = await page.$$eval(
        "td:nth-child(2) .status",
        (cells) => cells.map((cell) => cell.textContent),
      );
      deepEqual(statuses, ["– not run", "✗ not reproduced"]);
      await page.click("text=LeNet-5 against a fully connected network on MNIST");
      await page.waitForURL(/\/cnn\/index\.html$/);
      await page.goBack();
      await screenshot(page, `index-${scheme}`);
      deepEqual(problems, []);
      await page.close();
    }
  },
);
