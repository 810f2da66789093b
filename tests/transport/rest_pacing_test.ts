// Copyright 2026 the evalhooks authors. MIT license.
// The transport against a simulated hosted server (47 log-batch/s, 429 + Retry-After: 1 above),
// with no MLflow behind it: the rate limit is reached whatever the machine's load.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createRestClient } from "../../src/transport/rest.ts";
import { createLimiter } from "../../src/transport/limiter.ts";
import { resolveRetryOptions, retryDelay } from "../../src/transport/retry_timing.ts";
import { createPacer, resolveRateLimits } from "../../src/transport/pacer.ts";
import { slidingWindowLimit } from "../harness/rate_limit.ts";

async function hammer(maxRequestsPerSecond?: { logBatch: number }) {
  const limit = slidingWindowLimit(47, "/runs/log-batch");
  let n = 0;
  const fakeFetch: typeof fetch = async (input, init) => {
    const path = new URL(String(input)).pathname;
    const fault = limit.policy({ method: init?.method ?? "GET", path, n: n++, body: "" });
    await new Promise((resolve) => setTimeout(resolve, 5)); // a fast server
    return fault === "429"
      ? new Response('{"error_code":"REQUEST_LIMIT_EXCEEDED"}', {
        status: 429,
        headers: { "Retry-After": "1" },
      })
      : new Response("{}", { status: 200 });
  };
  const retry = resolveRetryOptions({});
  const rest = createRestClient({
    baseUrl: "http://mlflow.test",
    headers: new Headers(),
    fetch: fakeFetch,
    retry,
    limiter: createLimiter(6),
    secrets: [],
    pacer: createPacer({
      limits: resolveRateLimits(maxRequestsPerSecond),
      backoff: (strike) => retryDelay(strike, retry),
    }),
  });
  // 8 runs, each sending its batches one after another for 4 s (each alone could do ~200/s).
  const end = performance.now() + 4000;
  let sent = 0;
  await Promise.all(Array.from({ length: 8 }, async () => {
    while (performance.now() < end) {
      await rest.request({ method: "POST", endpoint: "/api/2.0/mlflow/runs/log-batch", json: {} });
      sent++;
    }
  }));
  return {
    sent,
    requests: limit.arrivals.length,
    refused: limit.refused.length,
    maxPerSecond: limit.maxInWindow(),
    maxRefusedPerSecond: limit.maxInWindow(limit.refused),
  };
}

test("rest pacing: at 40/s a 47/s server never answers 429", async () => {
  const r = await hammer({ logBatch: 40 });
  console.log("paced:", r);
  assert.equal(r.refused, 0);
  assert.ok(r.maxPerSecond <= 41, `${r.maxPerSecond} in one second`);
  assert.ok(r.sent >= 120, `only ${r.sent} sent in 4 s`);
});

test("rest pacing: unpaced, the first 429s slow every run down: no retry storm", async () => {
  const r = await hammer();
  console.log("adaptive:", r);
  assert.ok(r.refused > 0, "the limit was never reached");
  assert.ok(r.refused < r.requests * 0.1, `${r.refused} of ${r.requests} refused`);
  // Only the requests in flight when the first 429 came back (maxInFlight) meet one.
  assert.ok(r.maxRefusedPerSecond <= 6, `${r.maxRefusedPerSecond} 429s in one second`);
  assert.ok(r.maxPerSecond <= 47 + 6, `${r.maxPerSecond} in one second`);
});
