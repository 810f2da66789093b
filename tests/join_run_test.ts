// Copyright 2026 the evalhooks authors. MIT license.

// `joinRun` (issue #19, point 1): writers that join one key write into one run, never twins; the
// run ends with its last shard (or at finalize), FAILED if a shard failed, and the completing
// shard's summary is computed over every shard's points. Several clients in one process stand in
// for processes here (each has its own queues and creator, as a process would); the
// cross-process, PostgreSQL multi-worker version is tests/scale_out_test.ts.

import { test } from "node:test";
import assert from "node:assert/strict";
import { createMlflow, type MlflowClient, MlflowValidationError } from "../mod.ts";
import type { RunData } from "../src/store/types.ts";
import { trackingUri, uniqueName } from "./harness/server.ts";

async function runsOf(mlflow: MlflowClient, experimentName: string): Promise<RunData[]> {
  const id = (await mlflow.getExperimentByName(experimentName))!.experimentId;
  return await mlflow.searchRuns({ experimentIds: [id], runViewType: "ALL" });
}

const active = (runs: RunData[]) => runs.filter((r) => r.info.lifecycleStage !== "deleted");

test("joinRun: six writers racing on one key get one run, each logging its own steps", async () => {
  const uri = await trackingUri();
  const experimentName = uniqueName("join-race");
  const clients = Array.from(
    { length: 6 },
    () => createMlflow({ trackingUri: uri, experimentName }),
  );
  await clients[0].getOrCreateExperiment(experimentName);
  const runs = clients.map((mlflow, shard) => {
    const run = mlflow.joinRun({ key: "eval-1", shards: 6, shard, runName: "sharded" });
    for (let i = 0; i < 50; i++) {
      run.logMetric("sample/match", (shard + i) % 2, { step: shard * 50 + i });
    }
    return run;
  });
  const created = await Promise.all(runs.map((r) => r.created));
  assert.equal(created.filter(Boolean).length, 1, `one creator: ${created}`);
  const ids = new Set(await Promise.all(runs.map(async (r) => (await r.info()).runId)));
  assert.equal(ids.size, 1);
  // Five shards end: still running.
  await Promise.all(runs.slice(0, 5).map((r) => r.end()));
  const [id] = ids;
  assert.equal((await clients[0].getRun(id)).info.status, "RUNNING");
  await runs[5].end();
  await Promise.all(clients.map((c) => c.flush()));

  const all = await runsOf(clients[0], experimentName);
  const [run] = active(all);
  assert.equal(active(all).length, 1, "never a twin");
  assert.equal(run.info.runName, "sharded");
  assert.equal(run.info.status, "FINISHED");
  assert.equal(run.tags["evalhooks.joinState"], "confirmed");
  const history = await clients[0].getMetricHistory(id, "sample/match");
  assert.equal(history.length, 300);
  assert.deepEqual(history.map((p) => p.step).sort((a, b) => a - b), [...Array(300).keys()]);
  const ends = Object.keys(run.tags).filter((k) => k.startsWith("evalhooks.shard."));
  assert.equal(ends.length, 6);
  assert.equal(run.info.endTime, Math.max(...ends.map((k) => Number(run.tags[k].split(" ")[1]))));
  // Only losing candidates were deleted, and they carried our create id.
  for (const r of all.filter((r) => r.info.lifecycleStage === "deleted")) {
    assert.ok(r.tags["evalhooks.createId"]);
    assert.match(r.tags["evalhooks.joinState"], /^candidate:/);
  }
});

test("joinRun: FAILED if a shard failed; summarize runs over every shard's points", async () => {
  const uri = await trackingUri();
  const experimentName = uniqueName("join-summary");
  const summaries: string[] = [];
  const clients = Array.from(
    { length: 3 },
    () => createMlflow({ trackingUri: uri, experimentName }),
  );
  const runs = clients.map((mlflow, shard) =>
    mlflow.joinRun({
      key: "eval-2",
      shards: 3,
      shard,
      async summarize(runId) {
        summaries.push(runId);
        const points = await mlflow.getMetricHistory(runId, "sample/match");
        return { "match/accuracy": points.reduce((s, p) => s + p.value, 0) / points.length };
      },
    })
  );
  // Shard 0: all right; shard 1: all wrong; shard 2: half (and it fails).
  runs.forEach((run, shard) => {
    for (let i = 0; i < 10; i++) {
      const value = shard === 0 ? 1 : shard === 1 ? 0 : i % 2;
      run.logMetric("sample/match", value, { step: shard * 10 + i });
    }
  });
  await runs[0].end();
  await runs[2].end("FAILED");
  await runs[1].end();
  await Promise.all(clients.map((c) => c.flush()));
  const [run] = active(await runsOf(clients[0], experimentName));
  assert.equal(run.info.status, "FAILED");
  assert.ok(summaries.length >= 1 && summaries.every((s) => s === run.info.runId));
  assert.equal(run.metrics["match/accuracy"], 0.5);
});

test("joinRun: without shards the run ends with the last joined shard; finalize ends it now", async () => {
  const uri = await trackingUri();
  const experimentName = uniqueName("join-finalize");
  const a = createMlflow({ trackingUri: uri, experimentName });
  const b = createMlflow({ trackingUri: uri, experimentName });
  const first = a.joinRun({ key: "k" });
  const second = b.joinRun({ key: "k" });
  await Promise.all([first.info(), second.info()]); // both have joined
  await first.end();
  assert.equal((await a.getRun(first)).info.status, "RUNNING", "the second shard is running");
  await second.end("KILLED");
  assert.equal((await a.getRun(first)).info.status, "KILLED");

  // finalize: one shard of three expected has ended; the run is closed for everyone.
  const third = a.joinRun({ key: "k2", shards: 3 });
  await third.end();
  assert.equal((await a.getRun(third)).info.status, "RUNNING");
  assert.equal(await third.finalize(), "FINISHED");
  assert.equal((await a.getRun(third)).info.status, "FINISHED");
  await Promise.all([a.flush(), b.flush()]);
});

test("joinRun: a key is looked up under its parent; a hand-made look-alike is never adopted", async () => {
  const uri = await trackingUri();
  const experimentName = uniqueName("join-scope");
  const mlflow = createMlflow({ trackingUri: uri, experimentName });
  // Someone's run with the same key tag, made without our create id: never joined.
  const lookAlike = mlflow.startRun({ tags: { "evalhooks.joinKey": "task" } });
  await mlflow.flush();
  const lookAlikeId = (await lookAlike.info()).runId;
  // startRun sets a create id, so strip it as a hand-made run would not have one.
  await mlflow.startRun({ runId: lookAlikeId }).deleteTag("evalhooks.createId").end();
  await mlflow.flush();

  const parentA = mlflow.joinRun({ key: "eval-a" });
  const parentB = mlflow.joinRun({ key: "eval-b" });
  const taskA1 = mlflow.joinRun({ key: "task", parent: parentA });
  const other = createMlflow({ trackingUri: uri, experimentName });
  const taskA2 = other.joinRun({
    key: "task",
    parent: (await parentA.info()).runId,
  });
  const taskB = mlflow.joinRun({ key: "task", parent: parentB });
  const [a1, a2, b] = await Promise.all(
    [taskA1, taskA2, taskB].map(async (r) => (await r.info()).runId),
  );
  assert.equal(a1, a2);
  assert.notEqual(a1, b);
  assert.notEqual(a1, lookAlikeId);
  const a1Run = await mlflow.getRun(a1);
  assert.equal(a1Run.tags["mlflow.parentRunId"], (await parentA.info()).runId);
  await Promise.all([mlflow.close(), other.close()]);
});

test("joinRun: bad options throw at the call, naming the option and the rule", () => {
  const mlflow = createMlflow({ trackingUri: "http://127.0.0.1:9" });
  const cases: [Parameters<MlflowClient["joinRun"]>[0], string, string][] = [
    [{ key: "" }, "key", "non_empty_string"],
    [{ key: "k", shards: 0 }, "shards", "positive_integer"],
    [{ key: "k", shards: 1.5 }, "shards", "positive_integer"],
    [{ key: "k", shard: "a/b" }, "shard", "shard_name"],
    [{ key: "k", shard: "" }, "shard", "shard_name"],
  ];
  for (const [options, key, rule] of cases) {
    assert.throws(() => mlflow.joinRun(options), (error: unknown) => {
      assert.ok(error instanceof MlflowValidationError);
      assert.equal(error.key, key);
      assert.equal(error.rule, rule);
      return true;
    });
  }
});
