// Copyright 2026 the evalhooks authors. MIT license.
// What the UI checks share: headless Chromium kept off the network, one page, and a click that
// may find nothing (MLflow's UI shows some panels only on a first visit).
import { chromium } from "playwright-core";

/** Launches Chromium ($CHROMIUM or Debian's) and opens one page of `viewport`. */
export async function openPage(viewport) {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    headless: true,
    // Root in a container needs --no-sandbox; the rest keep Chromium off the (closed) network.
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
  return { browser, page: await browser.newPage({ viewport }) };
}

/** Clicks the first match if it shows within 2 s; nothing otherwise. */
export async function clickIfThere(locator) {
  try {
    await locator.first().click({ timeout: 2000 });
  } catch { /* not shown this time */ }
}

/**
 * Clicks the first match of `locator`. MLflow's UI opens some dialogs on its own, late when the
 * machine is busy (a first-visit panel drawn after the page), and a dialog makes the rest of the
 * page ignore clicks: when a click is refused, any such dialog is closed (Escape, its Close or
 * "Got it") and the click tried again, until `timeout` ms have passed.
 */
export async function clickPastDialogs(page, locator, timeout = 30_000) {
  const deadline = Date.now() + timeout;
  for (;;) {
    try {
      await locator.first().click({
        timeout: Math.max(1, Math.min(5_000, deadline - Date.now())),
      });
      return;
    } catch (error) {
      if (Date.now() >= deadline) throw error;
      await page.keyboard.press("Escape");
      await clickIfThere(
        page.getByRole("dialog").getByRole("button", { name: "Close" }),
      );
      await clickIfThere(page.getByRole("button", { name: "Got it" }));
    }
  }
}

/**
 * What a check saw: `findings` maps each thing looked for to whether it showed, and
 * `seen(what, locator, timeout)` waits up to `timeout` ms (30 s by default) for `locator` to show
 * and records the answer under `what`, never throwing, so one check's report lists every miss.
 */
export function findingsOf() {
  const findings = {};
  const seen = async (what, locator, timeout = 30_000) => {
    try {
      await locator.first().waitFor({ timeout });
      findings[what] = true;
    } catch {
      findings[what] = false;
    }
  };
  return { findings, seen };
}
