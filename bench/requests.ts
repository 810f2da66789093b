// Copyright 2026 the evalhooks authors. MIT license.
// Requests the client sends, counted by a proxy in front of a real MLflow server: N metrics
// logged in one tick (against the minimum MLflow's limits allow, ceil(N / 1000)), and 10,000
// metrics logged one per `await` (the in-flight coalescing case). Prints one JSON line.

import { createMlflow } from "../mod.ts";
import { startLocalMlflow } from "../src/local_server/mlflow_server.ts";
import { startFaultProxy } from "../tests/harness/fault_proxy.ts";

const server = await startLocalMlflow();
let batches = 0;
const proxy = await startFaultProxy(server.uri, ({ path }) => {
  if (path.includes("/runs/log-batch")) batches++;
  return undefined;
});
const rows: {
  case: string;
  metrics: number;
  requests: number;
  minimum: number;
  landed: number;
  seconds: number;
}[] = [];
try {
  const cases: [string, number, boolean][] = [
    ["one tick", 1, false],
    ["one tick", 10, false],
    ["one tick", 1_000, false],
    ["one tick", 10_000, false],
    ["one tick", 100_000, false],
    ["one per await", 10_000, true],
  ];
  for (const [name, n, awaited] of cases) {
    const mlflow = createMlflow({ trackingUri: proxy.uri, experimentName: "bench-requests" });
    const run = mlflow.startRun({ runName: `${name}-${n}` });
    await run.info();
    batches = 0;
    const t0 = performance.now();
    for (let i = 0; i < n; i++) {
      run.logMetric("m", i, { step: i });
      if (awaited) await Promise.resolve();
    }
    await mlflow.flush();
    const seconds = (performance.now() - t0) / 1000;
    const landed = (await mlflow.getMetricHistory(run, "m")).length;
    rows.push({
      case: name,
      metrics: n,
      requests: batches,
      minimum: Math.ceil(n / 1000),
      landed,
      seconds,
    });
  }
} finally {
  await proxy.close();
  await server.close();
}
console.log(JSON.stringify(rows));
