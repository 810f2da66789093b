// Copyright 2026 the evalhooks authors. MIT license.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createMlflow, type MlflowError, MlflowFlushError } from "../mod.ts";
import { freePort } from "../src/local_server/mlflow_server.ts";
import { trackingUri, uniqueName } from "./harness/server.ts";

const MOD = new URL("../mod.ts", import.meta.url).pathname;

test("lifecycle: with the server away, the queue is bounded; the excess is dropped, counted and reported once", async () => {
  const errors: MlflowError[] = [];
  const mlflow = createMlflow({
    trackingUri: `http://127.0.0.1:${await freePort()}`,
    maxQueuedItems: 1000,
    retry: { maxRetries: 0 },
    onError: (e) => errors.push(e),
  });
  const run = mlflow.startRun({ experimentId: "0" });
  for (let i = 0; i < 5000; i++) run.logMetric("m", i, { step: i });
  assert.equal(mlflow.stats().dropped, 4000);
  assert.equal(errors.filter((e) => e.errorCode === "QUEUE_FULL").length, 1);
  await assert.rejects(mlflow.flush(), (error: unknown) => {
    assert.ok(error instanceof MlflowFlushError);
    // 4000 dropped for room, and the 1000 queued ones, whose run could never be created.
    assert.equal(error.dropped, 5000);
    assert.ok(error.errors.some((e) => /1000 item\(s\) not logged/.test(e.message)));
    return true;
  });
  assert.equal(mlflow.stats().dropped, 0); // counted per flush
});

test("lifecycle: flushWith hands the flush to waitUntil, and the data lands", async () => {
  const mlflow = createMlflow({
    trackingUri: await trackingUri(),
    experimentName: uniqueName("waituntil"),
  });
  const run = mlflow.startRun({ runName: "edge" });
  run.logMetric("m", 1);
  run.end();
  const waited: Promise<unknown>[] = [];
  mlflow.flushWith((p) => waited.push(p));
  assert.equal(waited.length, 1);
  await waited[0];
  assert.equal((await mlflow.getRun(run)).info.status, "FINISHED");
});

test("lifecycle: background failures never become unhandled rejections", async () => {
  const unhandled: unknown[] = [];
  const onRejection = (event: unknown) => unhandled.push(event);
  const g = globalThis as {
    addEventListener?: (t: string, f: (e: Event) => void) => void;
    removeEventListener?: (t: string, f: (e: Event) => void) => void;
  };
  const proc = (globalThis as {
    process?: {
      on(t: string, f: (e: unknown) => void): void;
      off(t: string, f: (e: unknown) => void): void;
    };
  }).process;
  const onEvent = (e: Event) => {
    e.preventDefault();
    onRejection(e);
  };
  g.addEventListener?.("unhandledrejection", onEvent);
  proc?.on("unhandledRejection", onRejection);
  try {
    const mlflow = createMlflow({
      trackingUri: `http://127.0.0.1:${await freePort()}`,
      retry: { maxRetries: 0 },
      onError: () => {},
    });
    const parent = mlflow.startRun({ experimentName: "never" });
    const child = parent.startChildRun({ runName: "child" });
    child.logMetric("m", 1).logText("x", "x.txt").logTable([{ a: 1 }], "t.json");
    child.end();
    parent.end("FAILED");
    // Nobody awaits anything: let the failures play out.
    await new Promise((r) => setTimeout(r, 500));
    await mlflow.flush().catch(() => {});
  } finally {
    g.removeEventListener?.("unhandledrejection", onEvent);
    proc?.off("unhandledRejection", onRejection);
  }
  assert.deepEqual(unhandled, []);
});

// A script that logs and returns without flush(), run as its own process on each runtime.
function script(body: string): string {
  const dir = mkdtempSync(join(tmpdir(), "evalhooks-exit-"));
  const file = join(dir, "script.ts");
  writeFileSync(file, `import { createMlflow } from ${JSON.stringify(MOD)};\n${body}\n`);
  return file;
}

// Each runtime's child runs from that runtime's own phase of `deno task test`: spawning both from
// both phases ran every child case twice.
for (const runtime of ["Bun" in globalThis ? "bun" : "deno"]) {
  test(`lifecycle: a ${runtime} script that logs and returns without flush() exits by itself`, async () => {
    const experimentName = uniqueName(`exit-${runtime}`);
    const file = script(`
      const mlflow = createMlflow({ trackingUri: ${
      JSON.stringify(await trackingUri())
    }, experimentName: ${JSON.stringify(experimentName)} });
      const run = mlflow.startRun({ runName: "no-flush" });
      for (let i = 0; i < 3000; i++) run.logMetric("m", i, { step: i });
      run.end();
    `);
    const args = runtime === "deno" ? ["run", "-A", file] : [file];
    // A hang detector, not a speed target: the process must end on its own.
    const out = spawnSync(runtime, args, { encoding: "utf8", timeout: 60_000 });
    assert.equal(out.signal, null, `${runtime} did not exit by itself`);
    assert.equal(out.status, 0, out.stderr);
    // What was in flight when the script returned still landed: pending fetches hold the event
    // loop open on Deno and Bun. (On Workers they do not: use flushWith(ctx.waitUntil) there.)
    const reader = createMlflow({ trackingUri: await trackingUri() });
    const experiment = await reader.getExperimentByName(experimentName);
    const [run] = await reader.searchRuns({ experimentIds: [experiment!.experimentId] });
    assert.equal((await reader.getMetricHistory(run.info.runId, "m")).length, 3000);
    assert.equal(run.info.status, "FINISHED");
  });
}
