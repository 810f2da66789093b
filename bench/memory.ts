// Copyright 2026 the evalhooks authors. MIT license.
// Memory with the default options. 1) 1,000,000 metrics logged in one tick with the server
// unreachable: the queue is bounded by maxQueuedBytes (the excess would be dropped and counted).
// 2) 1,000,000 metrics logged in one tick to a healthy server: all must land (read back).
// Prints one JSON line.

import { createMlflow, DEFAULT_MAX_QUEUED_BYTES } from "../mod.ts";
import { freePort, startLocalMlflow } from "../src/local_server/mlflow_server.ts";

const N = 1_000_000;
const rss = () => Deno.memoryUsage().rss;
const base = rss();
let peak = base;
const mlflow = createMlflow({
  trackingUri: `http://127.0.0.1:${await freePort()}`,
  retry: { maxRetries: 0 },
  exitFlushMs: false,
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
const { dropped, queued, queuedBytes } = mlflow.stats();
await mlflow.flush().catch(() => {});

// The same million to a healthy server, in one tick, default options, then read back.
const server = await startLocalMlflow();
const healthyBase = rss();
let healthyPeak = healthyBase;
const healthy = createMlflow({ trackingUri: server.uri, experimentName: "bench-memory" });
const healthyRun = healthy.startRun({ runName: "million" });
const h0 = performance.now();
for (let i = 0; i < N; i++) healthyRun.logMetric("sample/accuracy", i % 2, { step: i });
const sampler = setInterval(() => (healthyPeak = Math.max(healthyPeak, rss())), 250);
healthyRun.end();
await healthy.flush();
clearInterval(sampler);
const healthySeconds = (performance.now() - h0) / 1000;
healthyPeak = Math.max(healthyPeak, rss());
const landed = (await healthy.getMetricHistory(healthyRun, "sample/accuracy")).length;
const healthyDropped = healthy.stats().dropped;
await server.close();

console.log(JSON.stringify({
  metrics: N,
  maxQueuedBytes: DEFAULT_MAX_QUEUED_BYTES,
  queued,
  queuedMiB: queuedBytes / 2 ** 20,
  dropped,
  baseRssMiB: base / 2 ** 20,
  peakRssMiB: peak / 2 ** 20,
  bytesPerQueuedItem: (peak - base) / queued,
  seconds,
  healthyPeakRssMiB: healthyPeak / 2 ** 20,
  healthyBaseRssMiB: healthyBase / 2 ** 20,
  healthySeconds,
  healthyLanded: landed,
  healthyDropped,
}));
if (landed !== N || healthyDropped !== 0) Deno.exitCode = 1;
