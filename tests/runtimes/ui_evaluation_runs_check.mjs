// Copyright 2026 the evalhooks authors. MIT license.
// `node ui_evaluation_runs_check.mjs URI EXPERIMENT_ID OUT_DIR COLUMN RUN...`: opens the
// experiment's Evaluation runs page in MLflow's own UI in headless Chromium, reads the COLUMN cell
// of each named RUN's row, saves a screenshot, and prints one JSON line: `{ "<run>": "<cell>" }`
// (null for a run or column not found).
import { clickIfThere, openPage } from "./ui_browser.mjs";

const [uri, experimentId, outDir, column, ...runs] = process.argv.slice(2);
const { browser, page } = await openPage({ width: 1600, height: 900 });
const cells = Object.fromEntries(runs.map((r) => [r, null]));
try {
  await page.goto(`${uri}/#/experiments/${experimentId}/evaluation-runs`, {
    waitUntil: "domcontentloaded",
  });
  // MLflow 3.18 opens an assistant panel beside every page; close it for a clear view.
  await page.waitForTimeout(1500);
  await clickIfThere(page.getByRole("button", { name: "Close" }));
  await page.getByRole("columnheader", { name: column }).first().waitFor({ timeout: 30_000 });
  for (const run of runs) {
    await page.getByRole("row").filter({ hasText: run }).first().waitFor({ timeout: 30_000 });
  }
  await page.waitForTimeout(800);
  const headers = await page.getByRole("columnheader").allInnerTexts();
  const at = headers.findIndex((h) => h.trim() === column);
  for (const run of runs) {
    const row = page.getByRole("row").filter({ hasText: run }).first();
    const texts = await row.getByRole("cell").allInnerTexts();
    // A row has one cell per header (the selection box included).
    if (at >= 0 && texts.length === headers.length) cells[run] = texts[at].trim();
  }
  await page.screenshot({ path: `${outDir}/evaluation-runs.png` });
} finally {
  await browser.close();
}
console.log(JSON.stringify(cells));
