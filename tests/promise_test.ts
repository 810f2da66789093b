// Copyright 2026 the evalhooks authors. MIT license.

// The promise, case by case: every flush that waited for a failed write rejects, writes after
// end() land, a trace bigger than the budget is dropped and counted, and a re-sent assessment
// POST leaves one assessment.

import { test } from "node:test";
import assert from "node:assert/strict";
import { createMlflow, type MlflowError, MlflowFlushError } from "../mod.ts";
import { startFaultProxy } from "./harness/fault_proxy.ts";
import { trackingUri, uniqueName } from "./harness/server.ts";

test("promise: ten concurrent flushes all reject when a write fails for good", async () => {
  const mlflow = createMlflow({
    trackingUri: await trackingUri(),
    experimentName: uniqueName("flushes"),
    onError: () => {},
  });
  const run = mlflow.startRun({ runName: "p" });
  run.logParam("p", "a");
  await mlflow.flush();
  // Another writer changes the param: the server refuses our second value for good.
  const info = await run.info();
  const raw = await fetch(`${await trackingUri()}/api/2.0/mlflow/runs/log-batch`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ run_id: info.runId, params: [{ key: "q", value: "theirs" }] }),
  });
  assert.equal(raw.status, 200);
  run.logParam("q", "ours");
  const results = await Promise.allSettled(Array.from({ length: 10 }, () => mlflow.flush()));
  assert.deepEqual(results.map((r) => r.status), Array(10).fill("rejected"));
  for (const r of results) {
    assert.ok(r.status === "rejected" && r.reason instanceof MlflowFlushError);
    assert.equal(r.reason.errors[0].key, "q");
  }
  await mlflow.flush(); // delivered: the next flush starts clean
});

test("promise: a metric logged after end() lands, and the flush of the same tick waits for it", async () => {
  const mlflow = createMlflow({
    trackingUri: await trackingUri(),
    experimentName: uniqueName("after-end"),
  });
  const run = mlflow.startRun({ runName: "ended" });
  run.logMetric("m", 1);
  await run.end();
  run.logMetric("late", 2);
  await mlflow.flush();
  const data = await mlflow.getRun(run);
  assert.equal(data.info.status, "FINISHED");
  assert.equal(data.metrics.late, 2);
  assert.equal(mlflow.stats().queued, 0);
});

test("promise: traces and artifacts count against maxQueuedBytes; the excess is dropped and counted", async () => {
  const mlflow = createMlflow({
    trackingUri: "http://127.0.0.1:9", // nothing listens: everything waits
    maxQueuedBytes: 1_000_000,
    retry: { maxRetries: 0 },
    onError: () => {},
  });
  const run = mlflow.startRun({ experimentId: "0" });
  for (let i = 0; i < 10; i++) run.logText("x".repeat(200_000), `big-${i}.txt`);
  for (let i = 0; i < 10; i++) {
    mlflow.startTrace({ name: "t", inputs: { text: "y".repeat(200_000) } }).end();
  }
  assert.ok(mlflow.stats().queuedBytes <= 1_000_000);
  assert.ok(mlflow.stats().dropped >= 14, `dropped ${mlflow.stats().dropped}`);
  await assert.rejects(mlflow.flush(), MlflowFlushError);
});

test("promise: scores that ride in a trace's request land once when that request is re-sent", async () => {
  const uri = await trackingUri();
  const paths: string[] = [];
  let fired = 0;
  const proxy = await startFaultProxy(uri, ({ path, method }) => {
    paths.push(`${method} ${path}`);
    // The trace-info POST reaches the server, which stores the trace and its assessments; the
    // answer is lost, so the client sends it again.
    if (method === "POST" && path.endsWith("/api/3.0/mlflow/traces") && fired < 2) {
      fired++;
      return "reset-after";
    }
  });
  try {
    const mlflow = createMlflow({
      trackingUri: proxy.uri,
      experimentName: uniqueName("ride-once"),
      retry: { baseDelayMs: 10, maxDelayMs: 50 },
    });
    const root = mlflow.startTrace({ name: "row", inputs: "q" });
    root.end({ outputs: "a" });
    // Scored in the same tick as the end, as evaluate() and the Inspect hooks do.
    mlflow.logFeedback({ traceId: root.traceId, name: "score", value: 1 });
    mlflow.logFeedback({ traceId: root.traceId, name: "passed", value: true });
    mlflow.logExpectation({ traceId: root.traceId, name: "truth", value: { answer: "a" } });
    await mlflow.flush();
    assert.equal(fired, 2, "the trace-info POST was re-sent twice");
    assert.equal(
      paths.filter((p) => p.endsWith("/assessments")).length,
      0,
      "no assessment request of its own: they rode in the trace's request",
    );
    const { info } = await createMlflow({ trackingUri: uri }).getTrace(root.traceId);
    assert.deepEqual(info.assessments.map((a) => a.name).sort(), ["passed", "score", "truth"]);
    const byName = Object.fromEntries(info.assessments.map((a) => [a.name, a]));
    assert.equal(byName.score.value, 1);
    assert.deepEqual(byName.truth.value, { answer: "a" });
    assert.match(byName.score.metadata["evalhooks.writeId"], /^[0-9a-f-]{36}$/);
  } finally {
    await proxy.close();
  }
});

test("promise: an assessment POST whose answer is lost lands once", async () => {
  const uri = await trackingUri();
  let fired = 0;
  const proxy = await startFaultProxy(uri, ({ path, method }) => {
    if (method === "POST" && path.endsWith("/assessments") && fired < 2) {
      fired++;
      return "reset-after";
    }
  });
  try {
    const mlflow = createMlflow({
      trackingUri: proxy.uri,
      experimentName: uniqueName("assess-once"),
      retry: { baseDelayMs: 10, maxDelayMs: 50 },
    });
    const root = mlflow.startTrace({ name: "row" });
    root.end();
    await mlflow.flush();
    mlflow.logFeedback({ traceId: root.traceId, name: "score", value: 1 });
    mlflow.logExpectation({ traceId: root.traceId, name: "truth", value: "x" });
    await mlflow.flush();
    const { info } = await createMlflow({ trackingUri: uri }).getTrace(root.traceId);
    assert.deepEqual(info.assessments.map((a) => a.name).sort(), ["score", "truth"]);
    assert.equal(fired, 2);
  } finally {
    await proxy.close();
  }
});

test("promise: a batch lost for good is reported with its keys and step ranges", async () => {
  const upstream = await trackingUri();
  const proxy = await startFaultProxy(
    upstream,
    ({ path }) => path.includes("/runs/log-batch") ? "503" : undefined,
  );
  try {
    const errors: MlflowError[] = [];
    const mlflow = createMlflow({
      trackingUri: proxy.uri,
      experimentName: uniqueName("loss-report"),
      retry: { maxRetries: 0, maxElapsedMs: 500, baseDelayMs: 50 },
      onError: (e) => errors.push(e),
      exitFlushMs: false,
    });
    const run = mlflow.startRun({ runName: "loss" });
    for (let i = 0; i < 300; i++) run.logMetric("sample/score", 1, { step: 40 + i });
    run.logParam("model", "m");
    await assert.rejects(mlflow.flush());
    const lost = errors.find((e) => e.endpoint?.includes("log-batch"));
    assert.ok(lost, errors.map((e) => e.message).join("\n"));
    assert.match(
      lost.message,
      /301 items not logged: metrics 'sample\/score' steps 40–339 \(300\); params 'model'/,
    );
    await mlflow.close().catch(() => {});
  } finally {
    await proxy.close();
  }
});

test("promise: writes in the same tick as end(), before and after a flush() call, all land", async () => {
  const mlflow = createMlflow({
    trackingUri: await trackingUri(),
    experimentName: uniqueName("same-tick"),
  });
  const run = mlflow.startRun({ runName: "same-tick" });
  run.logMetric("m", 1);
  const ended = run.end();
  run.logMetric("late", 2); // same tick as end(), no await in between
  run.setTag("late.tag", "yes");
  const flushed = mlflow.flush();
  run.logMetric("later", 3); // after the flush began, still the same tick
  await Promise.all([ended, flushed]);
  await mlflow.flush();
  const data = await mlflow.getRun(run);
  assert.equal(data.info.status, "FINISHED");
  assert.equal(data.metrics.late, 2);
  assert.equal(data.metrics.later, 3);
  assert.equal(data.tags["late.tag"], "yes");
  assert.equal(mlflow.stats().queued, 0);
  await mlflow.close();
});

test("promise: a prompt version whose create answer is lost is registered once", async () => {
  const upstream = await trackingUri();
  let resets = 0;
  let creates = 0;
  const proxy = await startFaultProxy(upstream, ({ path }) => {
    if (path.includes("/model-versions/create")) creates++;
    if (path.includes("/model-versions/create") && resets === 0) {
      resets++;
      return "reset-after"; // the version is made; the answer never arrives
    }
    return undefined;
  });
  try {
    const mlflow = createMlflow({
      trackingUri: proxy.uri,
      retry: { baseDelayMs: 10 },
      exitFlushMs: false,
    });
    const name = uniqueName("prompt-once");
    const prompt = await mlflow.registerPrompt({ name, template: "Answer {{question}}" });
    assert.equal(resets, 1);
    // Deno's fetch re-sends the create itself (2 creates, the twin deleted after); on Bun our
    // retry finds the landed version first (1 create).
    assert.ok(creates >= 1 && creates <= 2, `${creates} creates`);
    assert.equal(prompt.version, 1);
    assert.deepEqual(prompt.tags, {});
    const search = new URL(`${upstream}/api/2.0/mlflow/model-versions/search`);
    search.searchParams.set(
      "filter",
      `name = '${name}' AND tags.\`mlflow.prompt.is_prompt\` = 'true'`,
    );
    const found = await (await fetch(search)).json() as { model_versions?: unknown[] };
    assert.equal(found.model_versions?.length, 1, "exactly one version on the server");
    await mlflow.close();
  } finally {
    await proxy.close();
  }
});
