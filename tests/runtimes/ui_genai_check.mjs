// Copyright 2026 the evalhooks authors. MIT license.
// `node ui_genai_check.mjs URI EXPERIMENT_ID OUT_DIR SPEC_JSON`: opens MLflow's GenAI pages of one
// experiment in headless Chromium and looks for what this client wrote: the Datasets page lists
// the evaluation dataset and its records, the Agent versions page lists the logged model and its
// Traces tab its traces, and the Sessions view shows one session holding both turns. SPEC_JSON is
// `{ dataset, record, model, session, turns: [request preview, …] }`. Saves screenshots and prints
// one JSON line of findings.
import { clickIfThere, findingsOf, openPage } from "./ui_browser.mjs";

const [uri, experimentId, outDir, specJson] = process.argv.slice(2);
const spec = JSON.parse(specJson);
const { browser, page } = await openPage({ width: 1600, height: 1000 });
const { findings, seen } = findingsOf();
const open = async (path) => {
  await page.goto("about:blank");
  await page.goto(`${uri}/#/experiments/${experimentId}/${path}`, {
    waitUntil: "domcontentloaded",
  });
  await page.waitForTimeout(1500);
  // MLflow 3.18 opens an assistant panel beside every page; close it for a clear view.
  await clickIfThere(page.getByRole("button", { name: "Close" }));
  await clickIfThere(page.getByRole("button", { name: "Got it" }));
};
try {
  await open("datasets");
  await seen(`datasets: ${spec.dataset}`, page.getByText(spec.dataset, { exact: true }));
  await clickIfThere(page.getByText(spec.dataset, { exact: true }));
  await seen(`dataset records: ${spec.record}`, page.getByText(spec.record, { exact: false }));
  await page.waitForTimeout(500);
  await page.screenshot({ path: `${outDir}/genai-dataset.png` });

  await open("models");
  await seen(`agent versions: ${spec.model}`, page.getByText(spec.model, { exact: true }));
  await clickIfThere(page.getByText(spec.model, { exact: true }));
  await page.waitForTimeout(1500);
  await clickIfThere(page.getByText("Traces", { exact: true }).last());
  await clickIfThere(page.getByRole("button", { name: "Got it" }));
  for (const turn of spec.turns) {
    await seen(`agent version traces: ${turn}`, page.getByText(turn, { exact: true }));
  }
  await page.waitForTimeout(500);
  await page.screenshot({ path: `${outDir}/genai-agent-version.png` });

  // The Sessions view (in 3.18, the Traces page grouped by session): one session, its turns.
  await open("traces?groupBy=session");
  await seen(`sessions: ${spec.session}`, page.getByText(spec.session, { exact: true }));
  await seen(
    `sessions: 1 session of ${spec.turns.length} traces`,
    page.getByText(
      new RegExp(`1 of 1 session\\W+${spec.turns.length} of ${spec.turns.length} traces`),
    ),
  );
  await page.waitForTimeout(500);
  await page.screenshot({ path: `${outDir}/genai-sessions.png` });
} finally {
  await browser.close();
}
console.log(JSON.stringify(findings));
