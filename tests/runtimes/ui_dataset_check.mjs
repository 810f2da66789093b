// Copyright 2026 the evalhooks authors. MIT license.
// `node ui_dataset_check.mjs URI EXPERIMENT_ID RUN_ID DATASET_NAME OUT_DIR DETAIL...`: opens the run
// page in MLflow's own UI in headless Chromium, finds the dataset in the run's Datasets section,
// opens it, looks for each DETAIL (source, profile, context) in its drawer, saves screenshots, and
// prints one JSON line of findings.
import { clickIfThere, findingsOf, openPage } from "./ui_browser.mjs";

const [uri, experimentId, runId, datasetName, outDir, ...details] = process.argv.slice(2);
const { browser, page } = await openPage({ width: 1440, height: 900 });
const { findings, seen } = findingsOf();
try {
  await page.goto(`${uri}/#/experiments/${experimentId}/runs/${runId}`, {
    waitUntil: "domcontentloaded",
  });
  await page.waitForTimeout(1500);
  // MLflow 3.18 opens an assistant panel beside every page; close it for a clear view.
  await clickIfThere(page.getByRole("button", { name: "Close" }));
  await seen("run page: Datasets section", page.getByText("Datasets", { exact: true }));
  const dataset = page.getByText(datasetName, { exact: false });
  await seen(`run page: dataset ${datasetName}`, dataset);
  await page.waitForTimeout(500);
  await page.screenshot({ path: `${outDir}/run-datasets.png` });
  // The dataset's drawer: its source, profile and context.
  await clickIfThere(dataset);
  for (const detail of details) {
    await seen(`dataset drawer: ${detail}`, page.getByText(detail, { exact: false }));
  }
  await page.waitForTimeout(500);
  await page.screenshot({ path: `${outDir}/dataset-drawer.png` });
} finally {
  await browser.close();
}
console.log(JSON.stringify(findings));
