// Copyright 2026 the evalhooks authors. MIT license.
// `node ui_check.mjs URI EXPERIMENT_ID PARENT_RUN TASK_RUN TASK_NAME SCORER SAMPLES OUT_DIR`: opens MLflow's own UI
// in headless Chromium on what the hooks logged, checks what a user sees, saves screenshots, and
// prints one JSON line of findings.
import { clickIfThere, openPage } from "./ui_browser.mjs";

const [
  uri,
  experimentId,
  parentRun,
  taskRun,
  taskName,
  scorer,
  samples,
  outDir,
] = process.argv
  .slice(2);
const { browser, page } = await openPage({ width: 1440, height: 900 });
const findings = {};
const visit = async (name, path, expectText, prepare = async () => {}) => {
  await page.goto(`${uri}/#${path}`, { waitUntil: "domcontentloaded" });
  await page.waitForTimeout(1500);
  // MLflow 3.18 opens an assistant panel beside every page; close it for a clear view.
  await clickIfThere(page.getByRole("button", { name: "Close" }));
  await prepare();
  for (const text of expectText) {
    try {
      await page.getByText(text, { exact: false }).first().waitFor({
        timeout: 30_000,
      });
      findings[`${name}: ${text}`] = true;
    } catch {
      findings[`${name}: ${text}`] = false;
    }
  }
  await page.waitForTimeout(800); // let charts and tables finish drawing
  await page.screenshot({ path: `${outDir}/${name}.png` });
};
try {
  // The parent run, expanded to show its nested task run.
  await visit(
    "run-tree",
    `/experiments/${experimentId}/runs`,
    [taskName],
    async () => {
      await page.getByText("inspect-").first().waitFor({ timeout: 30_000 });
      await clickIfThere(
        page.locator('button[data-component-id*="runnamecellrenderer"]'),
      );
    },
  );
  // The task run's per-sample score chart.
  await visit(
    "task-metrics",
    `/experiments/${experimentId}/runs/${taskRun}/model-metrics`,
    [
      scorer,
    ],
    async () => {
      await page.getByPlaceholder("Search metric charts").fill("sample/");
    },
  );
  await visit(
    "samples-table",
    `/experiments/${experimentId}/runs/${taskRun}/artifacts/inspect/samples.json`,
    ["sample_id", "events_count"],
  );
  // One trace per sample, with the score as an assessment column. The traces carry the log's
  // own (past) times, so the default "last 7 days" filter is widened.
  await page.setViewportSize({ width: 1920, height: 900 }); // room for the assessment column
  await visit(
    "traces",
    `/experiments/${experimentId}/traces`,
    [`${samples} of ${samples} traces`],
    async () => {
      await clickIfThere(page.getByRole("button", { name: "Got it" }));
      await clickIfThere(page.getByRole("button", { name: "View All" }));
    },
  );
  findings[`traces: assessment column inspect/${scorer}`] = (await page.getByRole("columnheader", {
    name: new RegExp(`inspect/${scorer}`),
  }).count()) > 0;
  findings.parentRun = parentRun;
} finally {
  await browser.close();
}
console.log(JSON.stringify(findings));
