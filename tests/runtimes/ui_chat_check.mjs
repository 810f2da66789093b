// Copyright 2026 the evalhooks authors. MIT license.
// `node ui_chat_check.mjs URI EXPERIMENT_ID OUT_DIR CASES_JSON`: opens MLflow's own UI in headless
// Chromium on traces of wrapped LLM SDK calls and checks what a user sees: the Traces view's
// Tokens column, and, in each trace, its LLM span rendered as a chat (role cards with the
// messages) with its token count. CASES_JSON: [{ name, row, span, texts: [..] }], `row` a text of its row (its model). Saves a
// screenshot per case and prints one JSON line of findings.
import { clickIfThere, clickPastDialogs, findingsOf, openPage } from "./ui_browser.mjs";

const [uri, experimentId, outDir, casesJson] = process.argv.slice(2);
const cases = JSON.parse(casesJson);
const { browser, page } = await openPage({ width: 1600, height: 1000 });
// The first thing looked for on a page waits for the page to draw; the rest are there or not.
const { findings, seen } = findingsOf();
try {
  await page.goto(`${uri}/#/experiments/${experimentId}/traces`, {
    waitUntil: "domcontentloaded",
  });
  await page.waitForTimeout(1500);
  await clickIfThere(page.getByRole("button", { name: "Close" }));
  await clickIfThere(page.getByRole("button", { name: "Got it" }));
  await seen(
    "traces: Tokens column",
    page.getByRole("columnheader", { name: "Tokens" }),
  );
  await seen(
    `traces: ${cases.length} of ${cases.length} traces`,
    page.getByText(`${cases.length} of ${cases.length} traces`),
  );
  for (const c of cases) {
    // Open the trace as a user does, from its row (the drawer's own close button shares the
    // assistant panel's name, so "Close" is clicked only on the first load above).
    await page.goto("about:blank");
    await page.goto(`${uri}/#/experiments/${experimentId}/traces`, {
      waitUntil: "domcontentloaded",
    });
    await clickPastDialogs(page, page.getByText(c.row, { exact: false }));
    await page.waitForTimeout(1500);
    await clickIfThere(page.getByText(c.span, { exact: true }));
    for (const [i, text] of c.texts.entries()) {
      await seen(
        `${c.name}: ${text}`,
        page.getByText(text, { exact: true }),
        i === 0 ? 30_000 : 3_000,
      );
    }
    await page.waitForTimeout(500);
    await page.screenshot({ path: `${outDir}/chat-${c.name}.png` });
  }
} finally {
  await browser.close();
}
console.log(JSON.stringify(findings));
