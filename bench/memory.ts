// Copyright 2026 the evalhooks authors. MIT license.
// Memory with the default options. 1) 1,000,000 metrics logged in one tick with the server
// unreachable: the queue is bounded by maxQueuedBytes (the excess would be dropped and counted).
// 2) 1,000,000 metrics logged in one tick to a healthy server: all must land (read back).
// Prints one JSON line.

import { createMlflow, DEFAULT_MAX_QUEUED_BYTES } from "../mod.ts";
import { freePort, startLocalMlflow } from "../src/local_server/mlflow_server.ts";
import { logMillionInOneTick } from "../tests/harness/million.ts";

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
const healthy = await logMillionInOneTick(server.uri, N);
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
  healthyPeakRssMiB: healthy.peakRssMiB,
  healthyBaseRssMiB: healthy.baseRssMiB,
  healthySeconds: healthy.seconds,
  healthyLanded: healthy.landed,
  healthyDropped: healthy.dropped,
}));
if (healthy.landed !== N || healthy.dropped !== 0) Deno.exitCode = 1;
