// Copyright 2026 the evalhooks authors. MIT license.

// run.logImage (#22): an image series is stored as MLflow 3's Python `log_image(key=, step=)`
// stores it (checked against files and tags Python itself writes on the same server), and it
// reads back with MLflow's own Python client; a path image lands at its path; bad input throws
// a typed error at the call and leaves everything valid around it logged.

import { test } from "node:test";
import assert from "node:assert/strict";
import { createMlflow, MlflowValidationError } from "../mod.ts";
import { imageSeriesPaths, parseImageSeriesPath, sniffImageFormat } from "../src/store/images.ts";
import { png } from "./harness/png.ts";
import { mlflowPython } from "./harness/mlflow_python.ts";
import { trackingUri, uniqueName } from "./harness/server.ts";

function python(code: string, uri: string): string {
  return mlflowPython(code, { MLFLOW_TRACKING_URI: uri });
}

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/;
const withoutUuid = (path: string) => path.replace(UUID, "<uuid>");
// Step n's image: its top-left pixel is corner(n), so a decoded image tells which step it is.
const corner = (step: number): [number, number, number] => [40 + step * 60, 0, 255 - step * 60];
const red = (step: number) =>
  png(48, 32, (x) => [corner(step)[0], x * 4, corner(step)[2]] as [number, number, number]);

test("images: file names are MLflow 3's, and read back the way MLflow's UI reads them", () => {
  const paths = imageSeriesPaths("eval/attention map", 12, 1_700_000_000_123, "u-1");
  assert.deepEqual(paths, {
    image: "images/eval~attention map+step+12+timestamp+1700000000123+u-1.png",
    thumbnail: "images/eval~attention map+step+12+timestamp+1700000000123+u-1+compressed.png",
  });
  assert.deepEqual(parseImageSeriesPath(paths.thumbnail), {
    key: "eval/attention map",
    step: 12,
    timestamp: 1_700_000_000_123,
    id: "u-1",
    compressed: true,
    extension: "png",
  });
  // MLflow 2.x wrote `%` and `#`; the UI still reads them.
  assert.equal(parseImageSeriesPath("images/a#b%step%3%timestamp%5%x.png")?.key, "a/b");
  assert.equal(parseImageSeriesPath("images/loose.png"), undefined);
  assert.equal(sniffImageFormat(red(0)), "png");
  assert.equal(sniffImageFormat(new Uint8Array([0xff, 0xd8, 0xff, 0xe0])), "jpeg");
  assert.equal(sniffImageFormat(new TextEncoder().encode("GIF89a")), undefined);
});

test("images: a series and path images land as Python's log_image lays them out, read back by MLflow's Python client; bad input throws typed errors and loses nothing", async () => {
  const uri = await trackingUri();
  const experimentName = uniqueName("images");
  const mlflow = createMlflow({ trackingUri: uri, experimentName });
  const experimentId = await mlflow.getOrCreateExperiment(experimentName);
  // A real JPEG, made by Python's PIL (the client never decodes images).
  const jpeg = Uint8Array.from(
    atob(python(
      `import io, base64
from PIL import Image
b = io.BytesIO(); Image.new("RGB", (20, 10), (10, 200, 30)).save(b, "JPEG")
print(base64.b64encode(b.getvalue()).decode())`,
      uri,
    )),
    (c) => c.charCodeAt(0),
  );
  assert.equal(sniffImageFormat(jpeg), "jpeg");

  const base = 1_690_000_000_000;
  const run = mlflow.startRun({ runName: "series" });
  run.logTable([{ q: "2+2", a: "4" }], "eval/results.json");
  run.logImage(red(0), { key: "eval/attention", step: 0, timestamp: base });
  run.logImage(new Blob([red(1)], { type: "image/png" }), {
    key: "eval/attention",
    step: 1,
    timestamp: base + 123,
  });

  // Each bad call throws at once, naming the rule; nothing of it is queued.
  const refused = (rule: string, call: () => unknown) =>
    assert.throws(call, (e: unknown) => {
      assert.ok(e instanceof MlflowValidationError, String(e));
      assert.equal(e.rule, rule, e.message);
      assert.equal(e.endpoint, "logImage");
      return true;
    });
  const text = new TextEncoder().encode("not an image at all");
  refused("image_format", () => run.logImage(text, { key: "eval/attention", step: 5 }));
  refused("image_format", () => run.logImage(new Uint8Array(), "figures/empty.png"));
  refused(
    "image_format",
    () => run.logImage(new Blob(["x"], { type: "text/plain" }), { key: "eval/attention" }),
  );
  refused("value_type", () => run.logImage("png" as unknown as Uint8Array, { key: "k" }));
  refused("key_chars", () => run.logImage(red(0), { key: "bad:key" }));
  refused("key_chars", () => run.logImage(red(0), { key: "a+b" }));
  refused("key_chars", () => run.logImage(red(0), { key: "" }));
  refused("key_type", () => run.logImage(red(0), {} as { key: string }));
  refused("key_length", () => run.logImage(red(0), { key: "k".repeat(200) }));
  refused("step", () => run.logImage(red(0), { key: "eval/attention", step: -1 }));
  refused("step", () => run.logImage(red(0), { key: "eval/attention", step: 1.5 }));
  refused("timestamp", () => run.logImage(red(0), { key: "eval/attention", timestamp: -5 }));
  refused("artifact_path", () => run.logImage(red(0), "figures/chart.jpg"));
  refused("artifact_path", () => run.logImage(jpeg, "figures/photo.png"));
  refused("artifact_path", () => run.logImage(red(0), "figures/chart"));
  refused("artifact_path", () => run.logImage(red(0), "images/loose.png"));
  refused("artifact_path", () => run.logImage(red(0), "../escape.png"));
  refused("value_type", () => run.logImage(red(0), 7 as unknown as string));

  run.logImage(red(2), { key: "eval/attention", step: 2, timestamp: base + 456 });
  run.logImage(jpeg, { key: "photos", step: 0, timestamp: base });
  run.logImage(red(0), { key: "eval/attention", step: 1, timestamp: 1_700_000_000_123 });
  run.logImage(red(3), "figures/chart.png");
  run.logImage(new Blob([jpeg]), "figures/photo.jpg"); // no type: taken as it is
  run.logImage(jpeg, "images/nested/photo.jpeg"); // a folder under images/ is not listed
  await run.end();
  await mlflow.flush(); // resolves: nothing failed, nothing was dropped
  const runId = (await run.info()).runId;

  // Ours, read by us.
  const listed = await mlflow.listArtifacts(run, "images");
  const files = listed.filter((f) => !f.isDir).map((f) => f.path).sort();
  assert.equal(files.length, 10, files.join("\n"));
  const series = files.map((f) => ({ path: f, ...parseImageSeriesPath(f)! }));
  assert.ok(series.every((s) => s.key !== undefined), "every file parses as the UI parses it");
  const attention = series.filter((s) => s.key === "eval/attention" && !s.compressed);
  assert.deepEqual(attention.map((s) => [s.step, s.timestamp]).sort(), [
    [0, base],
    [1, base + 123],
    [1, 1_700_000_000_123],
    [2, base + 456],
  ]);
  for (const s of series) {
    const pair = series.find((o) => o.id === s.id && o.compressed !== s.compressed);
    assert.ok(pair, `${s.path} has its ${s.compressed ? "full image" : "thumbnail"}`);
  }
  const step2 = series.find((s) => s.step === 2)!;
  assert.deepEqual(await mlflow.downloadArtifact(run, step2.path), red(2));
  assert.deepEqual(await mlflow.downloadArtifact(run, "figures/photo.jpg"), jpeg);
  assert.deepEqual(await mlflow.downloadArtifact(run, "images/nested/photo.jpeg"), jpeg);
  const tags = (await mlflow.getRun(run)).tags;
  assert.equal(tags["mlflow.loggedImages"], "True");
  // Images do not touch the table list MLflow's UI and load_table read.
  assert.deepEqual(JSON.parse(tags["mlflow.loggedArtifacts"]), [
    { path: "eval/results.json", type: "table" },
  ]);

  // Ours, read by MLflow's Python client: the listing, the tag, and each image decoded by PIL.
  const read = JSON.parse(python(
    `import json, mlflow
from mlflow import MlflowClient
c = MlflowClient()
run = c.get_run("${runId}")
files = sorted(f.path for f in c.list_artifacts("${runId}", "images") if not f.is_dir)
images = {}
for p in files + ["figures/chart.png", "figures/photo.jpg"]:
    img = mlflow.artifacts.load_image(f"runs:/${runId}/{p}")
    images[p] = [img.format, img.size[0], img.size[1], list(img.convert("RGB").getpixel((0, 0)))]
mlflow.set_experiment(experiment_id="${experimentId}")
table = mlflow.load_table("eval/results.json", run_ids=["${runId}"])
print(json.dumps({"tags": run.data.tags, "files": files, "images": images, "rows": len(table)}))`,
    uri,
  ));
  assert.equal(read.tags["mlflow.loggedImages"], "True");
  assert.deepEqual(read.files, files);
  assert.equal(read.rows, 1);
  for (const s of series) {
    if (s.key === "photos") {
      assert.deepEqual(read.images[s.path].slice(0, 3), ["JPEG", 20, 10]);
    } else {
      const step = s.timestamp === 1_700_000_000_123 ? 0 : s.step;
      assert.deepEqual(read.images[s.path], ["PNG", 48, 32, corner(step)]);
    }
  }
  assert.deepEqual(read.images["figures/chart.png"], ["PNG", 48, 32, corner(3)]);
  assert.deepEqual(read.images["figures/photo.jpg"].slice(0, 3), ["JPEG", 20, 10]);

  // Python's own log_image on the same server: the same layout, the same tag.
  const pyRunId = python(
    `import mlflow, numpy as np
mlflow.set_experiment(experiment_id="${experimentId}")
with mlflow.start_run() as run:
    img = np.zeros((32, 48, 3), dtype=np.uint8)
    mlflow.log_image(img, key="eval/attention", step=1, timestamp=1700000000123, synchronous=True)
    mlflow.log_image(img, artifact_file="figures/chart.png")
print(run.info.run_id)`,
    uri,
  );
  const pyFiles = (await mlflow.listArtifacts(pyRunId, "images")).map((f) => f.path).sort();
  const oursAtSameStep = series.filter((s) => s.timestamp === 1_700_000_000_123).map((s) => s.path)
    .sort();
  assert.deepEqual(pyFiles.map(withoutUuid), [
    "images/eval~attention+step+1+timestamp+1700000000123+<uuid>+compressed.webp",
    "images/eval~attention+step+1+timestamp+1700000000123+<uuid>.png",
  ]);
  // The full image's name is Python's exactly; the thumbnail differs only in its extension.
  assert.deepEqual(oursAtSameStep.map(withoutUuid), [
    "images/eval~attention+step+1+timestamp+1700000000123+<uuid>+compressed.png",
    "images/eval~attention+step+1+timestamp+1700000000123+<uuid>.png",
  ]);
  const pySeries = pyFiles.map((f) => parseImageSeriesPath(f)!);
  assert.deepEqual(
    pySeries.map(({ key, step, timestamp, compressed }) => ({ key, step, timestamp, compressed })),
    [
      { key: "eval/attention", step: 1, timestamp: 1_700_000_000_123, compressed: true },
      { key: "eval/attention", step: 1, timestamp: 1_700_000_000_123, compressed: false },
    ],
  );
  const pyTags = (await mlflow.getRun(pyRunId)).tags;
  assert.equal(pyTags["mlflow.loggedImages"], tags["mlflow.loggedImages"]);
  assert.equal(pyTags["mlflow.loggedArtifacts"], undefined); // Python's log_image leaves it alone
  const pyFull = await mlflow.downloadArtifact(pyRunId, pyFiles[1]);
  assert.equal(sniffImageFormat(pyFull), "png");
  assert.deepEqual(
    (await mlflow.listArtifacts(pyRunId, "figures")).map((f) => f.path),
    (await mlflow.listArtifacts(run, "figures")).map((f) => f.path).filter((p) =>
      p.endsWith(".png")
    ),
  );
  await mlflow.close();
});
