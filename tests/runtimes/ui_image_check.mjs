// Copyright 2026 the evalhooks authors. MIT license.
// `node ui_image_check.mjs URI EXPERIMENT_ID RUN_ID OUT_DIR SPEC`: opens the run's Model metrics
// view in MLflow's own UI (headless Chromium) and checks the image cards `run.logImage` made: the
// card of each key, the image of step 0, the step slider moving through the series (each step's
// image told apart by its top-left pixel), a JPEG series, and the full-size preview. Saves
// `image-series.png` and prints one JSON line of findings. SPEC is JSON:
// { key, width, pixels: { "<step>": [r, g, b] }, jpegKey, jpegWidth }.
import { clickIfThere, openPage } from "./ui_browser.mjs";

const [uri, experimentId, runId, outDir, specJson] = process.argv.slice(2);
const spec = JSON.parse(specJson);
const steps = Object.keys(spec.pixels).map(Number).sort((a, b) => a - b);
const { browser, page } = await openPage({ width: 1440, height: 1000 });
const findings = {};
const fetched = [];
page.on("request", (request) => {
  const name = decodeURIComponent(request.url().split("/").pop() ?? "");
  if (name.includes("+step+")) fetched.push(name);
});

// Every decoded image on the page: its natural width and its top-left pixel (blob URLs are
// same-origin, so a canvas may read them).
const images = () =>
  page.locator("img").evaluateAll((els) =>
    els.filter((e) => e.complete && e.naturalWidth > 0).map((e) => {
      const canvas = document.createElement("canvas");
      canvas.width = e.naturalWidth;
      canvas.height = e.naturalHeight;
      const g = canvas.getContext("2d");
      g.drawImage(e, 0, 0);
      return { width: e.naturalWidth, pixel: [...g.getImageData(0, 0, 1, 1).data].slice(0, 3) };
    })
  );
const shows = async (width, pixel, timeout = 15_000) => {
  const until = Date.now() + timeout;
  while (Date.now() < until) {
    const found = (await images()).some((i) =>
      i.width === width && i.pixel.every((c, n) => Math.abs(c - pixel[n]) <= 2)
    );
    if (found) return true;
    await page.waitForTimeout(250);
  }
  return false;
};

try {
  await page.goto(`${uri}/#/experiments/${experimentId}/runs/${runId}/model-metrics`, {
    waitUntil: "domcontentloaded",
  });
  await page.waitForTimeout(1500);
  // MLflow 3.18 opens an assistant panel beside every page; close it for a clear view.
  await clickIfThere(page.getByRole("button", { name: "Close" }));
  for (const key of [spec.key, spec.jpegKey]) {
    try {
      await page.getByText(key, { exact: true }).first().waitFor({ timeout: 30_000 });
      findings[`image card '${key}'`] = true;
    } catch {
      findings[`image card '${key}'`] = false;
    }
  }
  findings[`step ${steps[0]} image of '${spec.key}' shown`] = await shows(
    spec.width,
    spec.pixels[steps[0]],
  );
  // The JPEG series: stored under MLflow's `.png` names, decoded by its bytes.
  const jpeg = (await images()).find((i) => i.width === spec.jpegWidth);
  findings[`JPEG image of '${spec.jpegKey}' shown`] = jpeg !== undefined &&
    jpeg.pixel[1] > jpeg.pixel[0] && jpeg.pixel[1] > jpeg.pixel[2];

  // The step slider of the series spans its steps; the keyboard moves it step by step.
  const slider = page.locator(
    `[role="slider"][aria-valuemin="${steps[0]}"][aria-valuemax="${steps.at(-1)}"]`,
  ).first();
  findings[`step slider ${steps[0]}..${steps.at(-1)}`] = (await slider.count()) === 1;
  await slider.click();
  for (const step of steps.slice(1)) {
    await page.keyboard.press("ArrowRight");
    findings[`slider to step ${step} shows its image`] =
      (await slider.getAttribute("aria-valuenow")) === String(step) &&
      await shows(spec.width, spec.pixels[step]);
  }
  const back = steps.at(-2);
  await page.keyboard.press("ArrowLeft");
  findings[`slider back to step ${back} shows its image`] = await shows(
    spec.width,
    spec.pixels[back],
  );
  await page.mouse.move(0, 0);
  await page.waitForTimeout(800);
  await page.screenshot({ path: `${outDir}/image-series.png` });

  // A click opens the full-size image: the file without `+compressed`.
  const before = fetched.length;
  await page.locator("img").first().click();
  const until = Date.now() + 15_000;
  while (
    Date.now() < until && !fetched.slice(before).some((f) => !f.includes("+compressed"))
  ) {
    await page.waitForTimeout(250);
  }
  findings["full-size image fetched on click"] = fetched.slice(before).some((f) =>
    !f.includes("+compressed")
  );
  findings["thumbnails fetched"] = fetched.filter((f) => f.includes("+compressed")).length;
} finally {
  await browser.close();
}
console.log(JSON.stringify(findings));
