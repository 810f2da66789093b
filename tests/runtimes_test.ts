// Copyright 2026 the evalhooks authors. MIT license.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import * as lib from "../mod.ts";
import { trackingUri, uniqueName } from "./harness/server.ts";
import { bundle } from "./harness/bundle.ts";
import { REPLY_TEXT, startLlmProvider } from "./harness/llm_provider.ts";
// @ts-types="./runtimes/smoke.d.mts"
import { smoke } from "./runtimes/smoke.mjs";

const ROOT = new URL("../", import.meta.url).pathname;
const RUNTIMES = join(ROOT, "tests/runtimes");
const here = "Bun" in globalThis ? "bun" : "deno";

/** The test-only npm tools (miniflare); installed by .ci/run, or here on first use. */
function runtimeTools(): ReturnType<typeof createRequire> {
  if (!existsSync(join(RUNTIMES, "node_modules/miniflare"))) {
    const npm = spawnSync("npm", ["install", "--no-audit", "--no-fund"], {
      cwd: RUNTIMES,
      encoding: "utf8",
    });
    assert.equal(npm.status, 0, npm.stderr);
  }
  return createRequire(join(RUNTIMES, "package.json"));
}

test(`runtimes: end-to-end smoke on ${here} (run, params, metrics, table, trace, feedback, read back)`, async () => {
  const result = await smoke(lib, await trackingUri(), uniqueName(`smoke-${here}`), here);
  assert.match(result.traceId, /^tr-/);
});

test("runtimes: the core, bundled to plain ESM, runs on Node", async () => {
  const core = bundle("mod.ts");
  // The core must not reach for any runtime's own API beyond the guarded environment lookup.
  const text = readFileSync(core, "utf8");
  assert.doesNotMatch(text, /from\s*["']node:|require\(["']node:|Bun\./);
  const out = spawnSync("node", [
    join(RUNTIMES, "node_smoke.mjs"),
    core,
    await trackingUri(),
    uniqueName("smoke-node"),
  ], {
    encoding: "utf8",
    timeout: 120_000,
  });
  assert.equal(out.status, 0, out.stderr);
  assert.equal(JSON.parse(out.stdout.trim()).runtime, "node");
});

test("runtimes: the core runs inside workerd (Cloudflare Workers), including the waitUntil path", async () => {
  const { Miniflare } = runtimeTools()("miniflare");
  const worker = readFileSync(bundle("tests/runtimes/worker.mjs"), "utf8");
  const experiment = uniqueName("smoke-workerd");
  const mf = new Miniflare({
    modules: [{ type: "ESModule", path: "worker.mjs", contents: worker }],
    compatibilityDate: "2026-07-01",
    bindings: { MLFLOW_TRACKING_URI: await trackingUri(), EXPERIMENT: experiment },
  });
  try {
    const smokeResponse = await mf.dispatchFetch("http://worker/smoke");
    assert.equal(smokeResponse.status, 200, await smokeResponse.clone().text());
    assert.equal((await smokeResponse.json()).runtime, "workerd");
    // waitUntil: the response comes first; the data lands after it.
    const response = await mf.dispatchFetch("http://worker/");
    assert.equal(await response.text(), "logged");
    const reader = lib.createMlflow({ trackingUri: await trackingUri() });
    const deadline = Date.now() + 30_000;
    let found: lib.RunData | undefined;
    while (!found && Date.now() < deadline) {
      const id = (await reader.getExperimentByName(experiment))?.experimentId;
      const runs = id
        ? await reader.searchRuns({
          experimentIds: [id],
          filter: "attributes.run_name = 'waituntil'",
        })
        : [];
      found = runs.find((r) => r.info.status === "FINISHED" && r.metrics.answered === 1);
      if (!found) await new Promise((r) => setTimeout(r, 200));
    }
    assert.ok(found, "the waitUntil flush delivered the run");
  } finally {
    await mf.dispose();
  }
});

test("runtimes: the web-only Inspect entry reads a .eval from bytes and logs it inside workerd", async () => {
  const { Miniflare } = runtimeTools()("miniflare");
  const worker = readFileSync(bundle("tests/runtimes/worker_inspect.mjs"), "utf8");
  assert.doesNotMatch(worker, /from\s*["']node:/, "the bundle imports no node: module");
  const experiment = uniqueName("inspect-workerd");
  const mf = new Miniflare({
    modules: [{ type: "ESModule", path: "worker.mjs", contents: worker }],
    compatibilityDate: "2026-07-01", // and no nodejs_compat flag
    bindings: { MLFLOW_TRACKING_URI: await trackingUri(), EXPERIMENT: experiment },
  });
  try {
    const log = readFileSync(join(ROOT, "tests/fixtures/inspect/deflate.eval"));
    const response = await mf.dispatchFetch("http://worker/", { method: "POST", body: log });
    assert.equal(response.status, 200, await response.clone().text());
    const result = await response.json();
    assert.equal(result.status, "imported", JSON.stringify(result));
    assert.equal(result.samples, 1, JSON.stringify(result));
    const reader = lib.createMlflow({ trackingUri: await trackingUri() });
    const id = (await reader.getExperimentByName(experiment))?.experimentId;
    assert.ok(id, "the experiment was created");
    const runs = await reader.searchRuns({
      experimentIds: [id],
      filter: `tags.\`inspect.eval_id\` = '${result.evalId}'`,
    });
    assert.equal(runs.length, 1, "one task run for the log");
    assert.equal(runs[0].info.status, "FINISHED");
    assert.equal(runs[0].tags["inspect.task"], result.task);
  } finally {
    await mf.dispose();
  }
});

// An SDK integration inside workerd: the REAL openai SDK, bundled into the worker with the
// web-only `@evalhooks/mlflow/openai` entry, calling the loopback provider. With nodejs_compat the
// worker has AsyncLocalStorage, and the call nests under the worker's trace; without it, the call
// is its own trace.
for (const compat of [true, false]) {
  test(`runtimes: wrapOpenAI inside workerd ${compat ? "with" : "without"} nodejs_compat`, async () => {
    const { Miniflare } = runtimeTools()("miniflare");
    const worker = readFileSync(bundle("tests/runtimes/worker_openai.mjs"), "utf8");
    assert.doesNotMatch(worker, /from\s*["']node:/, "the bundle imports no node: module");
    const provider = await startLlmProvider();
    const experiment = uniqueName("openai-workerd");
    const mf = new Miniflare({
      modules: [{ type: "ESModule", path: "worker.mjs", contents: worker }],
      compatibilityDate: "2026-07-01",
      compatibilityFlags: compat ? ["nodejs_compat"] : [],
      bindings: {
        MLFLOW_TRACKING_URI: await trackingUri(),
        EXPERIMENT: experiment,
        PROVIDER_URL: provider.openaiBaseUrl,
      },
    });
    try {
      const response = await mf.dispatchFetch("http://worker/");
      assert.equal(response.status, 200, await response.clone().text());
      const { traceId, text } = await response.json();
      assert.equal(text, REPLY_TEXT);
      const reader = lib.createMlflow({ trackingUri: await trackingUri() });
      const { spans } = await reader.getTrace(traceId);
      if (compat) {
        assert.deepEqual(spans.map((s) => s.spanType), ["CHAIN", "CHAT_MODEL"]);
        assert.equal(spans[1].parentSpanId, spans[0].spanId);
        assert.ok(spans[1].attributes["mlflow.chat.tokenUsage"]);
      } else {
        assert.deepEqual(spans.map((s) => s.spanType), ["CHAIN"], "no context: not nested");
        const id = (await reader.getExperimentByName(experiment))!.experimentId;
        const traces = await reader.searchTraces({ experimentIds: [id] });
        assert.equal(traces.length, 2, "the call made its own trace");
      }
    } finally {
      await mf.dispose();
      await provider.close();
    }
  });
}
