// Copyright 2026 the evalhooks authors. MIT license.

// One shard of a sharded eval (tests/scale_out_test.ts), run as its own Deno or Bun process:
// joins the eval's parent run and its two task runs by key, logs `sample/match` for its slice of
// the samples at their global index as step, ends its part, and the shard that completes a task
// run summarizes `match/accuracy` over every shard's points. Prints one JSON line.
//
// Args: <trackingUri> <experimentName> <evalId> <shard> <shards> <samplesPerTask> <skewMs>

import process from "node:process";
import { createMlflow } from "../../mod.ts";

const [uri, experimentName, evalId, shardArg, shardsArg, perTaskArg, skewArg] = process.argv.slice(
  process.argv.findIndex((a) => a.endsWith("shard_worker.ts")) + 1,
);
const shard = Number(shardArg);
const shards = Number(shardsArg);
const perTask = Number(perTaskArg);
const TASKS = ["arith", "capitals"];

/** The score of a sample: deterministic, so the test knows every accuracy. */
export function scoreOf(task: string, index: number): number {
  return (index * (task === "arith" ? 7 : 3)) % 10 < (task === "arith" ? 6 : 8) ? 1 : 0;
}

await new Promise((resolve) => setTimeout(resolve, Number(skewArg)));
const mlflow = createMlflow({ trackingUri: uri, experimentName });
const parent = mlflow.joinRun({
  key: evalId,
  shards,
  shard,
  runName: `eval-${evalId.slice(0, 8)}`,
  tags: { "eval.tasks": TASKS.join(", ") },
});
const created: Record<string, boolean> = {};
const summarized: string[] = [];
for (const task of TASKS) {
  const run = mlflow.joinRun({
    key: `${evalId}/${task}`,
    parent,
    shards,
    shard,
    runName: task,
    async summarize(runId) {
      summarized.push(task);
      const points = await mlflow.getMetricHistory(runId, "sample/match");
      const total = points.reduce((sum, p) => sum + p.value, 0);
      return { "match/accuracy": total / points.length, "samples": points.length };
    },
  });
  for (let index = shard; index < perTask; index += shards) {
    run.logMetric("sample/match", scoreOf(task, index), { step: index });
  }
  created[task] = await run.created;
  await run.end();
}
created.parent = await parent.created;
await parent.end();
await mlflow.flush();
console.log(JSON.stringify({ shard, created, summarized, stats: mlflow.stats().requests }));
