// Copyright 2026 the evalhooks authors. MIT license.

// Never delete or adopt a run this client cannot prove it created: two clients racing on one
// experiment, one client starting runs with one explicit start time, a run name the server's
// search filter cannot hold, and runs made by someone else with the same name and time.

import { test } from "node:test";
import assert from "node:assert/strict";
import { createMlflow, type MlflowError } from "../mod.ts";
import { startFaultProxy } from "./harness/fault_proxy.ts";
import { trackingUri, uniqueName } from "./harness/server.ts";

async function activeRuns(uri: string, experimentName: string): Promise<number> {
  const reader = createMlflow({ trackingUri: uri });
  const id = await reader.getOrCreateExperiment(experimentName);
  return (await reader.searchRuns({ experimentIds: [id], maxResults: 1000 })).length;
}

test("ownership: two clients racing in one experiment never lose a run (20 rounds, random skew)", async () => {
  const uri = await trackingUri();
  const experimentName = uniqueName("race");
  const errors: MlflowError[] = [];
  let started = 0;
  for (let round = 0; round < 20; round++) {
    const a = createMlflow({ trackingUri: uri, experimentName, onError: (e) => errors.push(e) });
    const b = createMlflow({ trackingUri: uri, experimentName, onError: (e) => errors.push(e) });
    const startTime = Date.now();
    const skew = Math.floor(Math.random() * 3);
    // Unnamed runs with the very same start time and tags, from both clients at once.
    for (let i = 0; i < 3; i++) {
      a.startRun({ startTime, tags: { round: String(round) } }).end();
      b.startRun({ startTime: startTime + (i === 0 ? 0 : skew), tags: { round: String(round) } })
        .end();
      started += 2;
    }
    await Promise.all([a.close(), b.close()]);
  }
  assert.deepEqual(errors.map((e) => e.message), []);
  assert.equal(await activeRuns(uri, experimentName), started);
});

test("ownership: runs made by someone else with the same name, time and tags stay", async () => {
  const uri = await trackingUri();
  const experimentName = uniqueName("others");
  const startTime = Date.now() - 60_000;
  const other = createMlflow({ trackingUri: uri, experimentName });
  for (let i = 0; i < 3; i++) other.startRun({ runName: "same", startTime, tags: { t: "1" } });
  await other.flush();
  // Through a proxy that drops the answer of the first create: our retry must look for our own
  // run, and must not take one of the three for it.
  let dropped = false;
  const proxy = await startFaultProxy(uri, ({ path }) => {
    if (!dropped && path.includes("/runs/create")) {
      dropped = true;
      return "reset-after";
    }
  });
  try {
    const mlflow = createMlflow({
      trackingUri: proxy.uri,
      experimentName,
      retry: { baseDelayMs: 10, maxDelayMs: 50 },
    });
    const run = mlflow.startRun({ runName: "same", startTime, tags: { t: "1" } });
    run.logMetric("mine", 1);
    await mlflow.close();
    assert.equal(await activeRuns(uri, experimentName), 4);
    const reader = createMlflow({ trackingUri: uri });
    assert.equal((await reader.getRun(run)).metrics.mine, 1);
  } finally {
    await proxy.close();
  }
});

test("ownership: a run name with a lone surrogate deletes nothing else in the experiment", async () => {
  const uri = await trackingUri();
  const experimentName = uniqueName("surrogate-name");
  const other = createMlflow({ trackingUri: uri, experimentName });
  const startTime = Date.now();
  for (let i = 0; i < 3; i++) other.startRun({ runName: `bystander-${i}`, startTime });
  await other.close();
  const mlflow = createMlflow({ trackingUri: uri, experimentName, onError: () => {} });
  const run = mlflow.startRun({ runName: "bad \ud800 name", startTime });
  run.setTag("after", "still here");
  await mlflow.close();
  assert.equal(await activeRuns(uri, experimentName), 4);
  const data = await createMlflow({ trackingUri: uri }).getRun(run);
  assert.equal(data.info.runName, "bad \ufffd name");
  assert.equal(data.tags.after, "still here");
});

test("ownership: one client starting many runs with one explicit start time keeps them all", async () => {
  const uri = await trackingUri();
  const experimentName = uniqueName("same-start");
  const mlflow = createMlflow({ trackingUri: uri, experimentName });
  const startTime = 1_700_000_000_000;
  for (let i = 0; i < 10; i++) mlflow.startRun({ runName: "import", startTime }).end();
  await mlflow.close();
  assert.equal(await activeRuns(uri, experimentName), 10);
});
