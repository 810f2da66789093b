// Copyright 2026 the evalhooks authors. MIT license.

// MLflow's server drops every field after a string holding a lone UTF-16 surrogate and still
// answers 200. A property test over the public API: random text full of astral-plane characters
// (and some lone surrogates), at lengths around every cut the client makes, in every field; then
// everything is read back from the real server and each value, and each field sent after it, is
// checked.

import { test } from "node:test";
import assert from "node:assert/strict";
import { createMlflow, type MlflowError } from "../mod.ts";
import { truncate } from "../src/integrations/inspect/score.ts";
import { cutText, cutWithEllipsis } from "../src/base/text.ts";
import { seededRandom } from "./harness/fault_proxy.ts";
import { trackingUri, uniqueName } from "./harness/server.ts";

const ASTRAL = ["😀", "𝒜", "🧪", "𐍈", "🀄"];
const BMP = ["a", "é", "ß", "中", " "];

function randomText(random: () => number, length: number, lone: boolean): string {
  let out = "";
  while (out.length < length) {
    const r = random();
    if (lone && r < 0.01) out += random() < 0.5 ? "\ud83d" : "\ude00";
    else if (r < 0.6) out += ASTRAL[Math.floor(random() * ASTRAL.length)];
    else out += BMP[Math.floor(random() * BMP.length)];
  }
  return out;
}

const expected = (text: string, limit: number) => cutText(text.toWellFormed(), limit);

test("well-formed: cuts never split a surrogate pair (unit)", () => {
  const random = seededRandom(7);
  for (let i = 0; i < 2000; i++) {
    const text = randomText(random, 1 + Math.floor(random() * 40), false);
    const max = Math.floor(random() * 45);
    for (const cut of [cutText(text, max), cutWithEllipsis(text, Math.max(max, 3))]) {
      assert.ok(cut.isWellFormed(), JSON.stringify({ text, max, cut }));
    }
    assert.ok(cutText(text, max).length <= max);
    assert.ok(truncate(text, Math.max(max, 3)).isWellFormed());
  }
});

test("well-formed: params, tags, names and trace fields with astral text all land, and so does all that follows", async () => {
  const uri = await trackingUri();
  const random = seededRandom(2026);
  const warnings: MlflowError[] = [];
  const mlflow = createMlflow({
    trackingUri: uri,
    experimentName: uniqueName("astral"),
    onError: (e) => warnings.push(e),
  });
  const runName = randomText(random, 30, true);
  const run = mlflow.startRun({ runName, tags: { start: randomText(random, 50, true) } });
  const params: Record<string, string> = {};
  const tags: Record<string, string> = {};
  for (let i = 0; i < 20; i++) {
    // Lengths around the cut: the limit ± a few units, so pairs land across it.
    params[`p${i}`] = randomText(random, 6000 - 3 + Math.floor(random() * 8), i % 3 === 0);
    tags[`t${i}`] = randomText(random, 8000 - 3 + Math.floor(random() * 8), i % 4 === 0);
  }
  run.logParams(params);
  run.setTags(tags);
  run.logParam("after", "still here");
  run.setTag("after", "still here");
  run.logTable({ columns: ["x"], data: [[randomText(random, 20, true)]] }, "astral.json");
  const inputs = { q: randomText(random, 1500, true) };
  const root = mlflow.startTrace({
    name: randomText(random, 20, true),
    inputs,
    run,
    metadata: { note: randomText(random, 40, true), after: "still here" },
    tags: { tag: randomText(random, 40, true), after: "still here" },
  });
  root.end({ outputs: randomText(random, 1500, true) });
  run.end();
  await mlflow.flush();

  const data = await mlflow.getRun(run);
  assert.equal(data.info.runName, runName.toWellFormed());
  for (const [k, v] of Object.entries(params)) assert.equal(data.params[k], expected(v, 6000), k);
  for (const [k, v] of Object.entries(tags)) assert.equal(data.tags[k], expected(v, 8000), k);
  assert.equal(data.params.after, "still here");
  assert.equal(data.tags.after, "still here");
  assert.ok(data.tags["mlflow.loggedArtifacts"]?.includes("astral.json"));
  assert.ok(warnings.every((w) => "truncated" in w && w.truncated), "only warnings");
  assert.ok(warnings.some((w) => "rule" in w && w.rule === "well_formed"));

  const { info } = await mlflow.getTrace(root.traceId);
  assert.ok(info.requestPreview.isWellFormed());
  assert.ok(info.requestPreview.length > 900);
  assert.equal(info.metadata.after, "still here");
  assert.equal(info.metadata["mlflow.sourceRun"], (await run.info()).runId);
  assert.equal(info.tags.after, "still here");
  await mlflow.close();
});
