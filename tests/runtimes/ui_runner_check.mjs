// Copyright 2026 the evalhooks authors. MIT license.
// `node ui_runner_check.mjs URI EXPERIMENT_ID RUN_ID RUN_NAME OUT_DIR CASES_JSON`: opens the
// Evaluation runs page of MLflow's own UI in headless Chromium, clicks the eval runner's run as a
// user does, and checks its page: every case listed as a trace (by its request), each scorer an
// assessment column with its average in the header, and each case's score in its row. CASES_JSON
// is `[{ request, scores: { <scorer>: <value> } }]`. Saves a screenshot and prints one JSON line of
// findings.
import { clickIfThere, findingsOf, openPage } from "./ui_browser.mjs";

const [uri, experimentId, runId, runName, outDir, casesJson] = process.argv
  .slice(2);
const cases = JSON.parse(casesJson);
const scorers = Object.keys(cases[0].scores);
// The header's average, as the UI rounds it: 0.6667 → 0.67, 1 → 1.
const average = (name) =>
  String(
    Number(
      (cases.reduce((n, c) => n + c.scores[name], 0) / cases.length).toFixed(2),
    ),
  );
const { browser, page } = await openPage({ width: 1920, height: 1000 });
const { findings, seen } = findingsOf();
try {
  await page.goto(`${uri}/#/experiments/${experimentId}/evaluation-runs`, {
    waitUntil: "domcontentloaded",
  });
  await page.waitForTimeout(1500);
  // MLflow 3.18 opens an assistant panel beside every page; close it for a clear view.
  await clickIfThere(page.getByRole("button", { name: "Close" }));
  await clickIfThere(page.getByRole("button", { name: "Got it" }));
  // The run is listed as an evaluation run; its name opens its traces. The page lists the newest
  // first, so with earlier runs of the same name in the experiment this one is still the first.
  const link = page.getByRole("link", { name: runName, exact: true });
  await seen(`evaluation runs: ${runName}`, link);
  await clickIfThere(link);
  await page.waitForTimeout(1500);
  findings["run page: opened by its name"] = page.url().includes(
    `/evaluation-runs/${runId}/details`,
  );
  await seen(
    `run page: ${cases.length} of ${cases.length} traces`,
    page.getByText(`${cases.length} of ${cases.length} traces`),
  );
  for (const c of cases) {
    await seen(
      `run page: trace of ${c.request}`,
      page.getByRole("row").filter({ hasText: c.request }),
      5_000,
    );
  }
  // A header reads "<scorer> AVG <average>"; a row has one cell per header (the checkbox too).
  const headers = (await page.getByRole("columnheader").allInnerTexts()).map((
    h,
  ) => h.split("\n").map((s) => s.trim()));
  for (const name of scorers) {
    const header = headers.find((h) => h[0] === name);
    findings[`column ${name}`] = header !== undefined;
    findings[`column ${name}: AVG ${average(name)}`] = header?.[1] === "AVG" &&
      header?.[2] === average(name);
  }
  for (const c of cases) {
    const texts = await page.getByRole("row").filter({ hasText: c.request })
      .first().getByRole(
        "cell",
      ).allInnerTexts();
    for (const name of scorers) {
      const at = headers.findIndex((h) => h[0] === name);
      findings[`${c.request}: ${name} ${c.scores[name]}`] = texts.length === headers.length &&
        texts[at]?.trim() === String(c.scores[name]);
    }
  }
  await page.screenshot({ path: `${outDir}/runner-traces.png` });
} finally {
  await browser.close();
}
console.log(JSON.stringify(findings));
