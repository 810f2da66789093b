// Copyright 2026 the evalhooks authors. MIT license.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createMlflow, type MlflowError } from "../mod.ts";
import { startFaultProxy } from "./harness/fault_proxy.ts";
import { slidingWindowLimit } from "./harness/rate_limit.ts";
import { trackingUri, uniqueName } from "./harness/server.ts";

// A hosted server's limit: 47 log-batch requests per second, 429 + Retry-After: 1 above it.
const LIMIT = 47;
const RUNS = 16;
const TICKS = 200;
const PER_TICK = 10;

/** 16 runs logging small ticks at once through the limiting proxy; everything read back. */
async function scenario(maxRequestsPerSecond?: { logBatch: number }) {
  const upstream = await trackingUri();
  const limit = slidingWindowLimit(LIMIT, "/runs/log-batch");
  const proxy = await startFaultProxy(upstream, limit.policy);
  const errors: MlflowError[] = [];
  const experimentName = uniqueName("rate-limit");
  const mlflow = createMlflow({
    trackingUri: proxy.uri,
    experimentName,
    maxRequestsPerSecond,
    maxInFlight: RUNS, // every run's next batch may be in flight: an unpaced client can go fast
    onError: (e) => errors.push(e),
  });
  const started = performance.now();
  const runIds = await Promise.all(Array.from({ length: RUNS }, async (_, r) => {
    const run = mlflow.startRun({ runName: `shard-${r}` });
    for (let t = 0; t < TICKS; t++) {
      for (let k = 0; k < PER_TICK; k++) {
        const step = t * PER_TICK + k;
        run.logMetric("m", (step * 7 + r) % 13, { step });
      }
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    run.end();
    return (await run.info()).runId;
  }));
  await mlflow.flush();
  const seconds = (performance.now() - started) / 1000;
  await proxy.close();
  assert.deepEqual(errors.map((e) => e.message), []);

  const direct = createMlflow({ trackingUri: upstream });
  for (const [r, runId] of runIds.entries()) {
    const history = await direct.getMetricHistory(runId, "m");
    const steps = new Set(history.map((m) => m.step));
    assert.equal(history.length, TICKS * PER_TICK, `run ${r}: ${history.length} points`);
    assert.equal(steps.size, TICKS * PER_TICK, `run ${r}: duplicated or missing steps`);
    for (const m of history) assert.equal(m.value, (m.step * 7 + r) % 13);
  }
  const requests = limit.arrivals.length;
  const result = {
    seconds: Math.round(seconds * 10) / 10,
    requests,
    refused: limit.refused.length,
    maxPerSecond: limit.maxInWindow(),
    maxRefusedPerSecond: limit.maxInWindow(limit.refused),
    meanPerSecond: Math.round(requests / seconds),
  };
  console.log(`rate limit (${maxRequestsPerSecond ? "paced" : "adaptive"}):`, result);
  return result;
}

test("rate limit: paced at 40 log-batch/s, a 47/s server never answers 429, nothing lost", async () => {
  const r = await scenario({ logBatch: 40 });
  assert.ok(r.maxPerSecond <= 41, `observed ${r.maxPerSecond} log-batch requests in 1 s`);
  assert.equal(r.refused, 0);
});

test("rate limit: unpaced, 429s slow the family down: few 429s, no retry storm, nothing lost", async () => {
  const r = await scenario();
  assert.ok(r.refused < r.requests * 0.1, `${r.refused} of ${r.requests} requests refused`);
  // The requests already in flight when the first 429 came back, no more: nobody retries alone.
  assert.ok(r.maxRefusedPerSecond <= RUNS, `${r.maxRefusedPerSecond} 429s within one second`);
});
