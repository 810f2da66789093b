// Copyright 2026 the evalhooks authors. MIT license.
// One of the 8 shard processes of bench/scaling.ts: joins the benchmark's run by its key and logs
// its slice of the metrics (steps unique across shards), then prints when its work started and
// ended (after the import, so the runtime's start-up is not counted) and its CPU time.
//
// Args: <trackingUri> <experimentId> <key> <shard> <shards> <metrics per shard>

import process from "node:process";
import { createMlflow } from "../mod.ts";

const [uri, experimentId, key, shardArg, shardsArg, perShardArg] = process.argv.slice(
  process.argv.findIndex((a) => a.endsWith("scaling_shard.ts")) + 1,
);
const shard = Number(shardArg);
const shards = Number(shardsArg);
const perShard = Number(perShardArg);
const cpu0 = process.cpuUsage();
const start = Date.now();
const mlflow = createMlflow({ trackingUri: uri, experimentId });
// Six runs per shard, as the single client has: the same per-run shape everywhere.
const runs = Array.from(
  { length: 6 },
  (_, r) => mlflow.joinRun({ key: `${key}/${r}`, shards, shard, runName: `scaling-${r}` }),
);
const perRun = perShard / runs.length;
runs.forEach((run, r) => {
  for (let i = 0; i < perRun; i++) {
    const step = shard * perRun + i;
    run.logMetric("m", step % 97, { step, timestamp: 1_700_000_000_000 + step });
  }
  void r;
});
await Promise.all(runs.map((run) => run.end()));
await mlflow.flush();
const cpu = process.cpuUsage(cpu0);
console.log(JSON.stringify({
  shard,
  start,
  end: Date.now(),
  cpuSeconds: (cpu.user + cpu.system) / 1e6,
  requests: mlflow.stats().requests,
}));
