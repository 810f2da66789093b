// Copyright 2026 the evalhooks authors. MIT license.
// The npm `mlflow` client (2.0.7) at its best: logBatch with 1,000 metrics a call, one run after
// another (its API has no queue or concurrency of its own). It prints every request body with
// console.log, so stdout is discarded by the caller; only the last JSON line goes to stderr.
// `node npm_peer.mjs URI EXPERIMENT_ID RUNS METRICS_PER_RUN`
import { createRequire } from "node:module";
const require = createRequire(import.meta.url);
const Mlflow = require("mlflow").default ?? require("mlflow");

const [uri, experimentId, runs, perRun] = process.argv.slice(2).map((
  v,
  i,
) => (i < 2 ? v : Number(v)));
const client = new Mlflow({ endpoint: uri });
const t0 = performance.now();
const runIds = [];
await Promise.all(Array.from({ length: runs }, async () => {
  const { run } = await client.Runs.create({
    experiment_id: experimentId,
    user_id: "bench",
    start_time: Date.now(),
    tags: [{ key: "peer", value: "npm" }],
  });
  runIds.push(run.info.run_id);
  for (let start = 0; start < perRun; start += 1000) {
    const metrics = [];
    for (let i = start; i < Math.min(perRun, start + 1000); i++) {
      metrics.push({ key: "m", value: i % 97, timestamp: 1_700_000_000_000 + i, step: i });
    }
    await client.Runs.logBatch({ run_id: run.info.run_id, metrics });
  }
}));
const seconds = (performance.now() - t0) / 1000;
console.error(JSON.stringify({ seconds, runIds }));
