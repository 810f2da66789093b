// Copyright 2026 the evalhooks authors. MIT license.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { createRequire } from "node:module";
import { join } from "node:path";
import { createMlflow } from "../mod.ts";
import { readInspectLog } from "../src/integrations/inspect/mod.ts";
import { trackingUri, uniqueName } from "./harness/server.ts";
import { bundle } from "./harness/bundle.ts";
import { fixtureNames, FIXTURES } from "./harness/fixtures.ts";

const ROOT = new URL("../", import.meta.url).pathname;

// Every example the README names runs as documented, against the test server.
for (const example of ["examples/eval_hooks.ts", "examples/tracing.ts", "examples/evaluate.ts"]) {
  test(`examples: ${example} runs`, async () => {
    const out = spawnSync("deno", ["run", "-A", example], {
      cwd: new URL("../", import.meta.url).pathname,
      encoding: "utf8",
      env: { ...process.env, MLFLOW_TRACKING_URI: await trackingUri() },
      timeout: 120_000,
    });
    assert.equal(out.status, 0, `${out.stdout}\n${out.stderr}`);
    assert.doesNotMatch(out.stderr, /\[mlflow/); // no warnings
  });
}

test("examples: examples/bun-quickstart.ts runs on Bun", async () => {
  const out = spawnSync("bun", ["examples/bun-quickstart.ts"], {
    cwd: ROOT,
    encoding: "utf8",
    env: { ...process.env, MLFLOW_TRACKING_URI: await trackingUri() },
    timeout: 120_000,
  });
  assert.equal(out.status, 0, `${out.stdout}\n${out.stderr}`);
  assert.match(out.stdout, /accuracy 0\.67/);
});

test("examples: examples/inspect-import.sh imports the fixtures", async () => {
  const out = spawnSync("bash", ["examples/inspect-import.sh"], {
    cwd: ROOT,
    encoding: "utf8",
    env: {
      ...process.env,
      MLFLOW_TRACKING_URI: await trackingUri(),
      EXPERIMENT: uniqueName("example-import"),
    },
    timeout: 240_000,
  });
  assert.equal(out.status, 0, out.stderr);
  // One import per distinct eval; a second file of the same eval is skipped as already imported.
  const files = [...fixtureNames(".eval"), ...fixtureNames(".json")];
  const evalIds = new Set<string>();
  for (const name of files) {
    const log = await readInspectLog(join(FIXTURES, name));
    evalIds.add(log.header.eval.eval_id);
    await log.close();
  }
  assert.ok(evalIds.size < files.length); // the fixtures hold one log in several files
  assert.match(
    out.stdout,
    new RegExp(`logs: ${evalIds.size} imported, ${files.length - evalIds.size} skipped, 0 failed`),
  );
});

test("examples: examples/cloudflare-worker.ts answers and logs after the response, in workerd", async () => {
  const bundled = bundle("examples/cloudflare-worker.ts");
  const { Miniflare } = createRequire(join(ROOT, "tests/runtimes/package.json"))("miniflare");
  const experiment = uniqueName("example-worker");
  const mf = new Miniflare({
    modules: [{
      type: "ESModule",
      path: "worker.mjs",
      contents: (await import("node:fs")).readFileSync(bundled, "utf8"),
    }],
    compatibilityDate: "2026-07-01",
    bindings: { MLFLOW_TRACKING_URI: await trackingUri(), EXPERIMENT: experiment },
  });
  try {
    const response = await mf.dispatchFetch("http://worker/?q=What%20is%202%20%2B%202%3F");
    assert.deepEqual(await response.json(), { question: "What is 2 + 2?", answer: "4" });
    const reader = createMlflow({ trackingUri: await trackingUri() });
    const deadline = Date.now() + 30_000;
    let landed = false;
    while (!landed && Date.now() < deadline) {
      const id = (await reader.getExperimentByName(experiment))?.experimentId;
      const runs = id ? await reader.searchRuns({ experimentIds: [id] }) : [];
      const traces = id ? await reader.searchTraces({ experimentIds: [id] }) : [];
      landed = runs.some((r) => r.info.status === "FINISHED" && r.metrics.answered === 1) &&
        traces.length === 1;
      if (!landed) await new Promise((r) => setTimeout(r, 200));
    }
    assert.ok(landed, "the run and its trace landed after the response");
    const evaluated = await mf.dispatchFetch("http://worker/evaluate");
    const metrics = await evaluated.json();
    assert.equal(metrics["exact_match/pass_rate"], 0.5);
  } finally {
    await mf.dispose();
  }
});
