// Copyright 2026 the evalhooks authors. MIT license.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createMlflow, MlflowError, MlflowFlushError } from "../mod.ts";
import { runChaos } from "./harness/chaos.ts";
import { ALL_FAULTS, type Fault, startFaultProxy } from "./harness/fault_proxy.ts";
import { trackingUri, uniqueName } from "./harness/server.ts";

const FAST_RETRY = { maxRetries: 6, baseDelayMs: 10, maxDelayMs: 100, timeoutMs: 1500 };

test("reliability: chaos (5 runs, 10k metrics, 20% mixed faults): 0 lost, 0 duplicated", async () => {
  const report = await runChaos(await trackingUri(), {
    runs: 5,
    metrics: 10_000,
    params: 50,
    tags: 100,
    artifacts: 20,
    faultRate: 0.2,
    seed: 42,
  });
  const injected = Object.values(report.faults).reduce((a, b) => a + b, 0);
  assert.ok(injected >= 10, `only ${injected} faults injected`);
  assert.deepEqual(report.errors.map((e) => e.message), []);
  assert.equal(report.lost, 0);
  assert.equal(report.duplicated, 0);
  assert.equal(report.badArtifacts, 0);
  assert.equal(report.badStatuses, 0);
  assert.deepEqual(report.landed, report.logged);
});

// One fault on the first request of a kind, then none: what each one does to each write.
async function withFault(fault: Fault, target: string) {
  let fired = false;
  const proxy = await startFaultProxy(await trackingUri(), ({ path }) => {
    if (!fired && path.includes(target)) {
      fired = true;
      return fault;
    }
  });
  const errors: MlflowError[] = [];
  const experimentName = uniqueName(`fault-${fault}`);
  const mlflow = createMlflow({
    trackingUri: proxy.uri,
    experimentName,
    retry: FAST_RETRY,
    onError: (e) => errors.push(e),
  });
  const run = mlflow.startRun({ runName: "target" });
  for (let i = 0; i < 300; i++) run.logMetric("m", i, { step: i });
  run.logParam("p", "v");
  run.logText("hello", "a.txt");
  run.end();
  await mlflow.flush();
  await proxy.close();
  assert.ok(fired, `${fault} never fired on ${target}`);
  assert.deepEqual(errors, []);
  const direct = createMlflow({ trackingUri: await trackingUri() });
  const experiment = await direct.getExperimentByName(experimentName);
  const runs = await direct.searchRuns({ experimentIds: [experiment!.experimentId] });
  assert.equal(runs.length, 1, `runs after ${fault} on ${target}`);
  const runId = runs[0].info.runId;
  assert.equal(runs[0].info.status, "FINISHED");
  assert.equal(runs[0].params.p, "v");
  assert.equal((await direct.getMetricHistory(runId, "m")).length, 300);
  assert.equal(new TextDecoder().decode(await direct.downloadArtifact(runId, "a.txt")), "hello");
}

for (const fault of ALL_FAULTS) {
  for (const target of ["/runs/create", "/runs/log-batch", "/mlflow-artifacts/", "/runs/update"]) {
    test(`reliability: ${fault} on ${target} loses and duplicates nothing`, () =>
      withFault(fault, target));
  }
}

test("reliability: a proxy's HTML error page becomes a clear error after the retries", async () => {
  const proxy = await startFaultProxy(await trackingUri(), () => "502");
  const mlflow = createMlflow({
    trackingUri: proxy.uri,
    retry: { ...FAST_RETRY, maxRetries: 2 },
    onError: () => {},
  });
  await assert.rejects(mlflow.getExperimentByName("x"), (error: unknown) => {
    assert.ok(error instanceof MlflowError);
    assert.equal(error.status, 502);
    assert.match(error.message, /502/);
    assert.match(error.message, /from the proxy/);
    assert.doesNotMatch(error.message, /<h1>/);
    return true;
  });
  // Background writes: flush settles and rejects with the failure; it never hangs.
  mlflow.startRun({ runName: "doomed" }).logMetric("m", 1);
  await assert.rejects(mlflow.flush(), MlflowFlushError);
  await proxy.close();
});

test("reliability: stalls beyond the timeout are aborted and retried; flush always settles", async () => {
  const proxy = await startFaultProxy(await trackingUri(), () => "stall");
  const mlflow = createMlflow({
    trackingUri: proxy.uri,
    retry: { maxRetries: 1, baseDelayMs: 10, maxDelayMs: 10, timeoutMs: 300 },
    onError: () => {},
  });
  mlflow.startRun({ runName: "stalled" }).logMetric("m", 1);
  await assert.rejects(mlflow.flush(), (error: unknown) => {
    assert.ok(error instanceof MlflowFlushError);
    assert.equal(error.errors[0].errorCode, "TIMEOUT");
    return true;
  });
  assert.ok(proxy.requests >= 2, "the stalled request was retried");
  await proxy.close();
});
