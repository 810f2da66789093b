// Copyright 2026 the evalhooks authors. MIT license.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createMlflow, type MlflowError } from "../mod.ts";
import { startFaultProxy } from "./harness/fault_proxy.ts";
import { trackingUri, uniqueName } from "./harness/server.ts";

// A server stopped mid-run and restarted on the same store (metrics, tags, artifacts and a param
// logged before, during and after; the final status) is tests/capacity_test.ts's 120 s outage,
// on Deno and on Bun.

test("outage: pending requests wait on one probe, not one retry loop each, and all land", async () => {
  const upstream = await trackingUri();
  let down = false;
  const proxy = await startFaultProxy(upstream, () => (down ? "reset-before" : undefined));
  try {
    const errors: MlflowError[] = [];
    const mlflow = createMlflow({
      trackingUri: proxy.uri,
      experimentName: uniqueName("outage-probe"),
      onError: (e) => errors.push(e),
    });
    const RUNS = 20;
    const runs = Array.from({ length: RUNS }, (_, r) => mlflow.startRun({ runName: `probe-${r}` }));
    await mlflow.flush(); // every run exists before the outage
    down = true;
    const before = proxy.requests;
    for (const run of runs) for (let i = 0; i < 100; i++) run.logMetric("m", i, { step: i });
    await new Promise((r) => setTimeout(r, 8_000));
    const duringOutage = proxy.requests - before;
    down = false;
    for (const run of runs) run.end();
    await mlflow.flush();
    assert.deepEqual(errors.map((e) => e.message), []);
    // One probe on the backoff schedule (0.5, 1, 2, 4 s: 5 attempts in 8 s) plus the first
    // attempt of each of the 20 batches, which were already on their way: about 25. Deno's fetch
    // may re-send an attempt on a reset connection by itself, which the proxy counts twice (30
    // seen on a busy machine). Without the shared recovery each batch retried on its own
    // schedule: 99.
    assert.ok(duringOutage <= 45, `${duringOutage} requests during an 8 s outage`);
    console.log(`outage of 8 s with ${RUNS} pending batches: ${duringOutage} requests`);
    const reader = createMlflow({ trackingUri: upstream });
    for (const run of runs) {
      assert.equal((await reader.getMetricHistory(run, "m")).length, 100);
      assert.equal((await reader.getRun(run)).info.status, "FINISHED");
    }
  } finally {
    await proxy.close();
  }
});
