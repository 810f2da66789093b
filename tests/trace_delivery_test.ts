// Copyright 2026 the evalhooks authors. MIT license.

// How finished traces reach a real MLflow 3.18 server: each trace's info (with the scores logged
// by then) in its own request, the spans of many traces together over OTLP, exactly once however
// often a request is re-sent, and as `traces.json` artifacts on a server without OTLP.

import { test } from "node:test";
import assert from "node:assert/strict";
import { createMlflow } from "../mod.ts";
import { startFaultProxy } from "./harness/fault_proxy.ts";
import { countingFetch, trackingUri, uniqueName } from "./harness/server.ts";

const ATTRIBUTES = {
  count: 3,
  ratio: 1.5,
  ok: true,
  none: null,
  digits: "3",
  jsonText: '{"a":1}',
  nested: { a: [1, "x", null] },
};

test("trace delivery: 30 traces ended together cost 30 trace-info requests and one OTLP request", async () => {
  const counter = countingFetch();
  const mlflow = createMlflow({
    trackingUri: await trackingUri(),
    experimentName: uniqueName("otlp-batch"),
    fetch: counter.fetch,
  });
  const run = mlflow.startRun({ runName: "batched" });
  await run.info();
  counter.reset();
  const ids: string[] = [];
  for (let i = 0; i < 30; i++) {
    const root = mlflow.startTrace({ name: `sample:${i}`, run, inputs: i });
    const llm = root.startSpan({ name: "model", spanType: "LLM", attributes: ATTRIBUTES });
    llm.end({ outputs: "3" });
    root.end({ outputs: { answer: String(i) } });
    mlflow.logFeedback({ traceId: root.traceId, name: "score", value: i / 30 });
    ids.push(root.traceId);
  }
  await mlflow.flush();
  assert.equal(counter.count("/api/3.0/mlflow/traces"), 30);
  assert.equal(counter.count("/v1/traces"), 1, "every trace's spans in one request");
  assert.equal(counter.count("/artifacts/"), 0);
  assert.equal(counter.count("/assessments"), 0, "the scores rode in the trace-info requests");
  assert.equal(counter.count(), 31);

  const { info, spans } = await mlflow.getTrace(ids[7]);
  assert.equal(info.tags["mlflow.trace.spansLocation"], "TRACKING_STORE");
  assert.equal(info.metadata["mlflow.sourceRun"], (await run.info()).runId);
  assert.deepEqual(info.assessments.map((a) => [a.name, a.value]), [["score", 7 / 30]]);
  const byName = Object.fromEntries(spans.map((s) => [s.name, s]));
  assert.equal(spans.length, 2);
  assert.equal(byName.model.parentSpanId, byName["sample:7"].spanId);
  assert.equal(byName.model.spanType, "LLM");
  // Values keep their JSON types through MLflow's decoding of OTLP attributes.
  for (const [key, value] of Object.entries(ATTRIBUTES)) {
    assert.deepEqual(byName.model.attributes[key], value, key);
  }
  assert.equal(byName.model.outputs, "3", "a string of digits stays a string");
  assert.equal(byName["sample:7"].inputs, 7, "a number stays a number");
  assert.deepEqual(byName["sample:7"].outputs, { answer: "7" });
  run.end();
  await mlflow.close();
});

test("trace delivery: every trace, span and assessment request re-sent once lands exactly once", async () => {
  const uri = await trackingUri();
  const seen = new Set<string>();
  const resent: Record<string, number> = {};
  // The first time each request is seen, it reaches the server, which commits it, and its
  // answer is lost: the client sends the same request again.
  const proxy = await startFaultProxy(uri, ({ method, path, body }) => {
    if (method !== "POST") return;
    const kind = path === "/v1/traces"
      ? "otlp"
      : path.endsWith("/assessments")
      ? "assessment"
      : path === "/api/3.0/mlflow/traces"
      ? "trace"
      : undefined;
    if (!kind || seen.has(body)) return;
    seen.add(body);
    resent[kind] = (resent[kind] ?? 0) + 1;
    return "reset-after";
  });
  try {
    const experimentName = uniqueName("resend-once");
    const mlflow = createMlflow({
      trackingUri: proxy.uri,
      experimentName,
      retry: { baseDelayMs: 10, maxDelayMs: 50 },
    });
    const ids: string[] = [];
    for (let i = 0; i < 12; i++) {
      const root = mlflow.startTrace({ name: `row:${i}`, inputs: { i } });
      root.startSpan({ name: "step", spanType: "TOOL" }).end({ outputs: i });
      root.end({ outputs: "done" });
      mlflow.logFeedback({ traceId: root.traceId, name: "match", value: i % 2 === 0 });
      mlflow.logExpectation({ traceId: root.traceId, name: "truth", value: { i } });
      ids.push(root.traceId);
    }
    await mlflow.flush();
    // A late label, after the traces are on the server: the single-assessment path.
    for (const traceId of ids) {
      mlflow.logFeedback({
        traceId,
        name: "human",
        value: "ok",
        source: { sourceType: "HUMAN", sourceId: "rater" },
      });
    }
    await mlflow.flush();
    assert.equal(resent.trace, 12);
    assert.ok(resent.otlp >= 1);
    assert.equal(resent.assessment, 12);

    const reader = createMlflow({ trackingUri: uri });
    const experimentId = (await reader.getExperimentByName(experimentName))!.experimentId;
    const found = await reader.searchTraces({ experimentIds: [experimentId] });
    assert.deepEqual(found.map((t) => t.traceId).sort(), [...ids].sort(), "each trace once");
    for (const traceId of ids) {
      const { info, spans } = await reader.getTrace(traceId);
      assert.deepEqual(info.assessments.map((a) => a.name).sort(), ["human", "match", "truth"]);
      assert.deepEqual(spans.map((s) => s.name).sort(), ["row:" + ids.indexOf(traceId), "step"]);
    }
    await mlflow.close();
  } finally {
    await proxy.close();
  }
});

test("trace delivery: a server without the OTLP endpoint gets each trace's spans as traces.json", async () => {
  const uri = await trackingUri();
  const calls: string[] = [];
  const proxy = await startFaultProxy(uri, ({ method, path }) => {
    calls.push(`${method} ${path}`);
    if (path === "/v1/traces") return "404";
  });
  try {
    const mlflow = createMlflow({ trackingUri: proxy.uri, experimentName: uniqueName("no-otlp") });
    const ids: string[] = [];
    for (let round = 0; round < 2; round++) {
      for (let i = 0; i < 3; i++) {
        const root = mlflow.startTrace({ name: `r${round}:${i}` });
        root.startSpan({ name: "child", attributes: ATTRIBUTES }).end();
        root.end({ outputs: 42 });
        ids.push(root.traceId);
      }
      await mlflow.flush();
    }
    assert.equal(calls.filter((c) => c.includes("/v1/traces")).length, 1, "learnt once");
    assert.equal(calls.filter((c) => c.startsWith("PUT") && c.endsWith("/traces.json")).length, 6);
    for (const traceId of ids) {
      const { info, spans } = await mlflow.getTrace(traceId);
      assert.notEqual(info.tags["mlflow.trace.spansLocation"], "TRACKING_STORE");
      assert.equal(spans.length, 2);
      const child = spans.find((s) => s.name === "child")!;
      for (const [key, value] of Object.entries(ATTRIBUTES)) {
        assert.deepEqual(child.attributes[key], value, key);
      }
    }
    await mlflow.close();
  } finally {
    await proxy.close();
  }
});
