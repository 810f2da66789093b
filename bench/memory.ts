// Copyright 2026 the evalhooks authors. MIT license.
// Peak memory while logging 1,000,000 metrics with the server unreachable: the queue must stay
// bounded by maxQueuedItems (the excess is dropped and counted). Prints one JSON line.

import { createMlflow, DEFAULT_MAX_QUEUED_ITEMS } from "../mod.ts";
import { freePort } from "../src/testing/mlflow_server.ts";

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
console.log(JSON.stringify({
  metrics: N,
  maxQueuedItems: DEFAULT_MAX_QUEUED_ITEMS,
  queued,
  dropped,
  baseRssMiB: base / 2 ** 20,
  peakRssMiB: peak / 2 ** 20,
  bytesPerQueuedItem: (peak - base) / queued,
  seconds,
}));
