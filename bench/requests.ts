// Copyright 2026 the evalhooks authors. MIT license.
// Requests the client sends for N metrics logged in one tick, against a real MLflow server,
// next to the minimum MLflow's log-batch limits allow (ceil(N / 1000)). Prints one JSON line.

import { createMlflow } from "../mod.ts";
import { startLocalMlflow } from "../src/testing/mlflow_server.ts";

const given = Deno.env.get("MLFLOW_TRACKING_URI");
const server = given ? undefined : await startLocalMlflow();
const uri = given ?? server!.uri;
const rows: {
  metrics: number;
  requests: number;
  minimum: number;
  landed: number;
  seconds: number;
}[] = [];
try {
  for (const n of [1, 10, 1_000, 10_000, 100_000]) {
    let requests = 0;
    const mlflow = createMlflow({
      trackingUri: uri,
      experimentName: "bench-requests",
      fetch: (input, init) => {
        if (String(input).includes("/runs/log-batch")) requests++;
        return fetch(input, init);
      },
    });
    const run = mlflow.startRun({ runName: `one-tick-${n}` });
    await run.info();
    const t0 = performance.now();
    for (let i = 0; i < n; i++) run.logMetric("m", i, { step: i });
    await mlflow.flush();
    const seconds = (performance.now() - t0) / 1000;
    const landed = (await mlflow.getMetricHistory(run, "m")).length;
    rows.push({ metrics: n, requests, minimum: Math.ceil(n / 1000), landed, seconds });
  }
} finally {
  await server?.close();
}
console.log(JSON.stringify(rows));
