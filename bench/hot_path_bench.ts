// Copyright 2026 the evalhooks authors. MIT license.
// `deno bench bench/hot_path_bench.ts`: the cost of a logging call, network excluded. Each
// iteration makes 1,000 calls; the flush between iterations is outside the timed part.

import { createMlflow } from "../mod.ts";

const okFetch: typeof fetch = () => Promise.resolve(new Response("{}", { status: 200 }));
const mlflow = createMlflow({ trackingUri: "http://bench.invalid", fetch: okFetch });
const run = mlflow.startRun({ runName: "bench", experimentId: "0" });

const CALLS = 1000;
const keys = Array.from({ length: 10 }, (_, i) => `sample/score_${i}`);
const ten = Object.fromEntries(keys.map((k) => [k, 0.5]));

Deno.bench(`logMetric ×${CALLS}`, { group: "hot path", baseline: true }, async (b) => {
  b.start();
  for (let i = 0; i < CALLS; i++) run.logMetric("sample/accuracy", 0.5, { step: i });
  b.end();
  await mlflow.flush().catch(() => {});
});

Deno.bench(`logMetrics (10 keys) ×${CALLS}`, { group: "hot path" }, async (b) => {
  b.start();
  for (let i = 0; i < CALLS; i++) run.logMetrics(ten, { step: i });
  b.end();
  await mlflow.flush().catch(() => {});
});

Deno.bench(`setTag ×${CALLS}`, { group: "hot path" }, async (b) => {
  b.start();
  for (let i = 0; i < CALLS; i++) run.setTag("status", i & 1 ? "a" : "b");
  b.end();
  await mlflow.flush().catch(() => {});
});
