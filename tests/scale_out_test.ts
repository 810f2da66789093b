// Copyright 2026 the evalhooks authors. MIT license.

// Scale out (issue #19): 8 processes, Deno and Bun mixed, each log a shard of a 2,000-sample,
// 2-task eval into one eval, all at once, against MLflow on PostgreSQL with 4 server workers:
// exactly one parent, two task runs, every sample's metric once, aggregates over all shards,
// FINISHED; 5 rounds with random start skew, never a twin. Then the same server loses one of its
// workers mid-run, and nothing is lost. Runs once, from the Deno phase (the children are both
// runtimes either way).

import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import process from "node:process";
import { createMlflow } from "../mod.ts";
import { type LocalMlflowServer, startLocalMlflow } from "../src/local_server/mlflow_server.ts";
import type { RunData } from "../src/store/types.ts";
import { uniqueName } from "./harness/server.ts";
import { onceFromDeno } from "./harness/checks.ts";

const WORKER = new URL("./fixtures_shards/shard_worker.ts", import.meta.url).pathname;
const SHARDS = 8;
const PER_TASK = 1_000;
const ROUNDS = 5;
const TASKS = ["arith", "capitals"];
const once = onceFromDeno("with Deno and Bun children");

function scoreOf(task: string, index: number): number {
  return (index * (task === "arith" ? 7 : 3)) % 10 < (task === "arith" ? 6 : 8) ? 1 : 0;
}

interface ShardReport {
  shard: number;
  created: Record<string, boolean>;
  summarized: string[];
}

function runShard(runtime: string, args: string[]): Promise<ShardReport> {
  const argv = runtime === "deno" ? ["run", "-A", WORKER, ...args] : ["run", WORKER, ...args];
  const child = spawn(runtime, argv, { stdio: ["ignore", "pipe", "pipe"], env: process.env });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk) => (stdout += chunk));
  child.stderr.on("data", (chunk) => (stderr += chunk));
  return new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code) => {
      const line = stdout.split("\n").find((l) => l.startsWith("{"));
      if (code !== 0 || !line) {
        reject(new Error(`${runtime} shard ${args[3]} exited ${code}:\n${stdout}\n${stderr}`));
      } else resolve(JSON.parse(line));
    });
  });
}

let server: LocalMlflowServer | undefined;
before(async () => {
  if (!once) server = await startLocalMlflow({ backend: "postgres", workers: 4 });
});
after(async () => await server?.close());

async function checkEval(uri: string, experimentName: string, evalId: string): Promise<void> {
  const mlflow = createMlflow({ trackingUri: uri });
  const experimentId = (await mlflow.getExperimentByName(experimentName))!.experimentId;
  const all = (await mlflow.searchRuns({ experimentIds: [experimentId], runViewType: "ALL" }))
    .filter((r) => (r.tags["evalhooks.joinKey"] ?? "").startsWith(evalId));
  const active = all.filter((r) => r.info.lifecycleStage !== "deleted");
  const parents = active.filter((r) => r.tags["evalhooks.joinKey"] === evalId);
  assert.equal(parents.length, 1, `one parent, got ${parents.length}`);
  const [parent] = parents;
  assert.equal(parent.info.status, "FINISHED");
  const children = active.filter((r) => r.tags["mlflow.parentRunId"] === parent.info.runId);
  assert.deepEqual(children.map((c) => c.info.runName).sort(), TASKS, "two task runs");
  assert.equal(active.length, 3, "nothing else of this eval: no twin anywhere");
  // Nothing was ever put under a run that is now deleted (only empty losing candidates are).
  const deleted = new Set(
    all.filter((r) => r.info.lifecycleStage === "deleted").map((r) => r.info.runId),
  );
  assert.ok(all.every((r) => !deleted.has(r.tags["mlflow.parentRunId"] ?? "")));
  for (const r of all.filter((r) => deleted.has(r.info.runId))) {
    assert.match(r.tags["evalhooks.joinState"] ?? "", /^candidate:/);
  }
  for (const child of children as RunData[]) {
    const task = child.info.runName!;
    assert.equal(child.info.status, "FINISHED", task);
    const points = await mlflow.getMetricHistory(child.info.runId, "sample/match");
    assert.equal(points.length, PER_TASK, `${task}: every sample once`);
    const steps = points.map((p) => p.step).sort((a, b) => a - b);
    assert.deepEqual(steps, [...Array(PER_TASK).keys()], `${task}: steps unique across shards`);
    for (const p of points) assert.equal(p.value, scoreOf(task, p.step));
    const expected = points.reduce((s, p) => s + p.value, 0) / PER_TASK;
    assert.equal(child.metrics["match/accuracy"], expected, `${task}: accuracy over all shards`);
    assert.equal(child.metrics["samples"], PER_TASK);
    const ends = Object.keys(child.tags).filter((k) => k.startsWith("evalhooks.shard."));
    assert.equal(ends.length, SHARDS);
  }
}

test(
  "scale out: 8 Deno and Bun processes log one 2,000-sample, 2-task eval on PostgreSQL with 4 workers, 5 rounds, never a twin",
  { skip: once },
  async () => {
    const uri = server!.uri;
    const experimentName = uniqueName("scale-out");
    await createMlflow({ trackingUri: uri }).getOrCreateExperiment(experimentName);
    for (let round = 0; round < ROUNDS; round++) {
      const evalId = crypto.randomUUID();
      const reports = await Promise.all(
        Array.from({ length: SHARDS }, (_, shard) =>
          runShard(shard % 2 === 0 ? "deno" : "bun", [
            uri,
            experimentName,
            evalId,
            String(shard),
            String(SHARDS),
            String(PER_TASK),
            String(Math.floor(Math.random() * 400)),
          ])),
      );
      for (const key of ["parent", ...TASKS]) {
        const creators = reports.filter((r) => r.created[key]).length;
        assert.equal(creators, 1, `round ${round}: one creator of ${key}, got ${creators}`);
      }
      for (const task of TASKS) {
        assert.ok(reports.some((r) => r.summarized.includes(task)), `${task} summarized`);
      }
      await checkEval(uri, experimentName, evalId);
    }
  },
);

test(
  "scale out: a server worker killed mid-run loses nothing (uvicorn starts another)",
  { skip: once },
  async () => {
    const uri = server!.uri;
    const experimentName = uniqueName("worker-kill");
    await createMlflow({ trackingUri: uri }).getOrCreateExperiment(experimentName);
    const evalId = crypto.randomUUID();
    const shards = Array.from(
      { length: SHARDS },
      (_, shard) =>
        runShard(shard % 2 === 0 ? "deno" : "bun", [
          uri,
          experimentName,
          evalId,
          String(shard),
          String(SHARDS),
          String(PER_TASK),
          String(shard * 150),
        ]),
    );
    await new Promise((resolve) => setTimeout(resolve, 900));
    const workers = server!.workerPids();
    assert.equal(workers.length, 4, `four workers: ${workers}`);
    process.kill(workers[0], "SIGKILL");
    await Promise.all(shards);
    await checkEval(uri, experimentName, evalId);
    // uvicorn's supervisor notices the dead worker on its next health check and starts another,
    // which takes a while on a loaded machine: wait for it (up to a minute).
    for (let i = 0; i < 120 && server!.workerPids().length < 4; i++) {
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    assert.equal(server!.workerPids().length, 4, "uvicorn replaced the worker");
  },
);

// The reliability and parity suites once more against this server (a CI-sized subset): the
// retry and promise suites (every fault against every kind of write, through the fault proxy
// in front of it) and the live-Python parity test, with MLFLOW_TRACKING_URI pointing here.
const SUBSET = ["tests/retry_test.ts", "tests/promise_test.ts", "tests/parity_test.ts"];
test(
  `scale out: ${SUBSET.join(", ")} pass against MLflow on PostgreSQL with 4 workers`,
  { skip: once },
  async () => {
    const root = new URL("../", import.meta.url).pathname;
    const child = spawn("deno", ["test", "-A", ...SUBSET], {
      cwd: root,
      env: { ...process.env, MLFLOW_TRACKING_URI: server!.uri, NO_COLOR: "1" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (out += d));
    const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
    const summary = /(\d+) passed \| (\d+) failed/.exec(out);
    assert.equal(code, 0, out.slice(-4000));
    assert.ok(summary && Number(summary[1]) >= 17 && summary[2] === "0", out.slice(-2000));
  },
);
