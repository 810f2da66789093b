// Copyright 2026 the evalhooks authors. MIT license.
// 2,000 runs started in one tick, each logging a metric, a param and a tag and ending: every
// request counted by endpoint by a proxy in front of a real MLflow server, against the minimum
// (one create, one log-batch and one update per run, and one experiment lookup). Prints one
// JSON line.

import { createMlflow } from "../mod.ts";
import { startLocalMlflow } from "../src/local_server/mlflow_server.ts";
import { startFaultProxy } from "../tests/harness/fault_proxy.ts";

const RUNS = Number(Deno.env.get("RUNS") ?? 2000);
const server = await startLocalMlflow();
const byEndpoint: Record<string, number> = {};
const proxy = await startFaultProxy(server.uri, ({ path }) => {
  const endpoint = path.split("?")[0].replace("/api/2.0/mlflow/", "");
  byEndpoint[endpoint] = (byEndpoint[endpoint] ?? 0) + 1;
  return undefined;
});
try {
  const mlflow = createMlflow({ trackingUri: proxy.uri, experimentName: "bench-runs-tick" });
  const t0 = performance.now();
  for (let r = 0; r < RUNS; r++) {
    const run = mlflow.startRun({ runName: `tick-${r}` });
    run.logMetric("m", r);
    run.logParam("p", r);
    run.setTag("t", "x");
    run.end();
  }
  await mlflow.flush();
  const seconds = (performance.now() - t0) / 1000;
  const requests = Object.values(byEndpoint).reduce((a, b) => a + b, 0);
  const minimum = 3 * RUNS + 1;
  console.log(JSON.stringify({
    runs: RUNS,
    requests,
    minimum,
    overhead: requests - minimum,
    perRun: (requests - minimum) / RUNS,
    byEndpoint,
    seconds,
  }));
} finally {
  await proxy.close();
  await server.close();
}
