// Copyright 2026 the evalhooks authors. MIT license.
// Peak memory while logging 1,000,000 metrics with the server unreachable: the queue must stay
// bounded by maxQueuedItems (the excess is dropped and counted). Prints one JSON line.

import { createMlflow, DEFAULT_MAX_QUEUED_ITEMS } from "../mod.ts";
import { freePort, startLocalMlflow } from "../src/testing/mlflow_server.ts";

const N = 1_000_000;
const rss = () => Deno.memoryUsage().rss;
const base = rss();
let peak = base;
const mlflow = createMlflow({
  trackingUri: `http://127.0.0.1:${await freePort()}`,
  retry: { maxRetries: 0 },
  onError: () => {},
});
const run = mlflow.startRun({ experimentId: "0" });
const t0 = performance.now();
for (let i = 0; i < N; i++) {
  run.logMetric("sample/accuracy", i % 2, { step: i });
  if (i % 50_000 === 0) peak = Math.max(peak, rss());
}
peak = Math.max(peak, rss());
const seconds = (performance.now() - t0) / 1000;
const { dropped, queued } = mlflow.stats();
await mlflow.flush().catch(() => {});

// The same million to a healthy server, 10,000 per tick, pausing while more than 200,000 wait.
const server = await startLocalMlflow();
const healthyBase = rss();
let healthyPeak = healthyBase;
const healthy = createMlflow({ trackingUri: server.uri, experimentName: "bench-memory" });
const healthyRun = healthy.startRun({ runName: "million" });
const h0 = performance.now();
for (let i = 0; i < N; i++) {
  healthyRun.logMetric("sample/accuracy", i % 2, { step: i });
  if (i % 10_000 === 9_999) {
    healthyPeak = Math.max(healthyPeak, rss());
    await new Promise((r) => setTimeout(r, 0));
    // One sqlite server takes ~10,000 metrics/s: wait for it rather than fill the queue bound.
    while (healthy.stats().queued > 200_000) await new Promise((r) => setTimeout(r, 50));
  }
}
await healthy.flush();
const healthySeconds = (performance.now() - h0) / 1000;
healthyPeak = Math.max(healthyPeak, rss());
await server.close();

console.log(JSON.stringify({
  healthyPeakRssMiB: healthyPeak / 2 ** 20,
  healthyBaseRssMiB: healthyBase / 2 ** 20,
  healthySeconds,
  metrics: N,
  maxQueuedItems: DEFAULT_MAX_QUEUED_ITEMS,
  queued,
  dropped,
  baseRssMiB: base / 2 ** 20,
  peakRssMiB: peak / 2 ** 20,
  bytesPerQueuedItem: (peak - base) / queued,
  seconds,
}));
