// Copyright 2026 the evalhooks authors. MIT license.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { createMlflow, type Mlflow } from "../mod.ts";
import { ensureMlflowVenv } from "../src/local_server/mlflow_server.ts";
import { trackingUri, uniqueName } from "./harness/server.ts";

async function client(): Promise<Mlflow> {
  return createMlflow({
    trackingUri: await trackingUri(),
    experimentName: uniqueName("traces"),
    onError: () => {},
  });
}

// Past 2^53 ns (~104 days after the epoch), where a double would lose the last digits.
const T0 = 1_764_000_000_123_456_789n;

test("traces: a hand-built trace round-trips exactly (spans, parents, types, statuses, I/O, ns times)", async () => {
  const mlflow = await client();
  const run = mlflow.startRun({ runName: "traced" });
  const root = mlflow.startTrace({
    name: "sample:1",
    run,
    inputs: { question: "What is 2+2?" },
    metadata: { "inspect.sample_id": "1" },
    tags: { suite: "math" },
    startTimeNs: T0,
  });
  const llm = root.startSpan({
    name: "model:gpt-4o-mini",
    spanType: "CHAT_MODEL",
    inputs: { messages: [{ role: "user", content: "What is 2+2?" }] },
    attributes: {
      "mlflow.chat.tokenUsage": { input_tokens: 12, output_tokens: 3, total_tokens: 15 },
    },
    startTimeNs: T0 + 1_000n,
  });
  llm.end({
    outputs: { choices: [{ message: { role: "assistant", content: "4" } }] },
    endTimeNs: T0 + 250_000_001n,
  });
  const tool = root.startSpan({
    name: "tool:calculator",
    spanType: "TOOL",
    inputs: { expr: "2+2" },
    startTimeNs: T0 + 300_000_000n,
  });
  const inner = tool.startSpan({ name: "parse", startTimeNs: T0 + 300_000_001n });
  inner.addEvent("tokenized", { attributes: { count: 3 }, timeNs: T0 + 300_000_002n });
  inner.end({ endTimeNs: T0 + 300_000_003n });
  tool.recordException(new RangeError("division by zero"));
  tool.end({ endTimeNs: T0 + 400_000_000n });
  root.end({ outputs: "4", endTimeNs: T0 + 500_000_000n });
  run.end();
  await mlflow.flush();

  const { info, spans } = await mlflow.getTrace(root.traceId);
  assert.equal(info.traceId, root.traceId);
  assert.match(root.traceId, /^tr-[0-9a-f]{32}$/);
  assert.equal(info.state, "OK");
  assert.equal(info.executionDurationMs, 500);
  assert.equal(info.metadata["mlflow.sourceRun"], (await run.info()).runId);
  assert.equal(info.metadata["inspect.sample_id"], "1");
  assert.deepEqual(JSON.parse(info.metadata["mlflow.trace.tokenUsage"]), {
    input_tokens: 12,
    output_tokens: 3,
    total_tokens: 15,
  });
  assert.equal(info.tags.suite, "math");
  assert.equal(info.tags["mlflow.traceName"], "sample:1");
  // As Python's client writes a preview: json.dumps' spacing, non-ASCII kept.
  assert.equal(info.requestPreview, '{"question": "What is 2+2?"}');
  assert.equal(info.metadata["mlflow.traceInputs"], '{"question": "What is 2+2?"}');

  const byName = Object.fromEntries(spans.map((s) => [s.name, s]));
  assert.equal(spans.length, 4);
  assert.equal(byName["sample:1"].parentSpanId, undefined);
  assert.equal(byName["sample:1"].spanType, "CHAIN");
  assert.equal(byName["model:gpt-4o-mini"].parentSpanId, root.spanId);
  assert.equal(byName["tool:calculator"].parentSpanId, root.spanId);
  assert.equal(byName.parse.parentSpanId, tool.spanId);
  assert.equal(byName["model:gpt-4o-mini"].spanType, "CHAT_MODEL");
  assert.equal(byName.parse.spanType, "UNKNOWN");
  assert.deepEqual(byName["model:gpt-4o-mini"].inputs, {
    messages: [{ role: "user", content: "What is 2+2?" }],
  });
  assert.deepEqual(byName["model:gpt-4o-mini"].outputs, {
    choices: [{ message: { role: "assistant", content: "4" } }],
  });
  assert.equal(byName["sample:1"].outputs, "4");
  assert.deepEqual(byName["tool:calculator"].status, {
    code: "ERROR",
    message: "RangeError: division by zero",
  });
  assert.equal(byName["tool:calculator"].events[0].name, "exception");
  assert.equal(
    byName["tool:calculator"].events[0].attributes["exception.message"],
    "division by zero",
  );
  assert.deepEqual(byName["model:gpt-4o-mini"].status, { code: "OK" });
  // Nanoseconds exact, beyond 2^53.
  assert.equal(byName["sample:1"].startTimeNs, T0);
  assert.equal(byName["model:gpt-4o-mini"].startTimeNs, T0 + 1_000n);
  assert.equal(byName["model:gpt-4o-mini"].endTimeNs, T0 + 250_000_001n);
  assert.equal(byName.parse.events[0].timeNs, T0 + 300_000_002n);
  assert.equal(byName.parse.endTimeNs, T0 + 300_000_003n);

  // MLflow's own Python client reads what we wrote.
  const bin = ensureMlflowVenv();
  const py = spawnSync(join(bin, "python"), [
    "-c",
    `import json, mlflow
mlflow.set_tracking_uri(${JSON.stringify(await trackingUri())})
t = mlflow.get_trace(${JSON.stringify(root.traceId)})
print(json.dumps({"names": sorted(s.name for s in t.data.spans), "start": str([s.start_time_ns for s in t.data.spans if s.name == "sample:1"][0]),
  "status": [s.status.status_code.value for s in t.data.spans if s.name == "tool:calculator"][0],
  "parent": [s.parent_id for s in t.data.spans if s.name == "parse"][0] == [s.span_id for s in t.data.spans if s.name == "tool:calculator"][0],
  "request": t.data.request}))`,
  ], { encoding: "utf8", env: { ...process.env, MLFLOW_TRACKING_URI: "" } });
  assert.equal(py.status, 0, py.stderr);
  const fromPython = JSON.parse(py.stdout.trim().split("\n").at(-1)!);
  assert.deepEqual(fromPython.names, spans.map((s) => s.name).sort());
  assert.equal(BigInt(fromPython.start), T0);
  assert.equal(fromPython.status, "ERROR");
  assert.equal(fromPython.parent, true);
});

test("traces: feedback and expectations land as assessments on the trace", async () => {
  const mlflow = await client();
  const root = mlflow.startTrace({ name: "scored", inputs: "q" });
  root.end({ outputs: "a" });
  mlflow.logFeedback({
    traceId: root.traceId,
    name: "inspect/match",
    value: 1,
    rationale: "exact match",
    metadata: { sample_id: "7" },
    source: { sourceType: "CODE", sourceId: "inspect_ai" },
  });
  mlflow.logFeedback({ traceId: root.traceId, name: "passed", value: true });
  mlflow.logFeedback({ traceId: root.traceId, name: "grade", value: "C" });
  mlflow.logFeedback({
    traceId: root.traceId,
    name: "broken",
    value: null,
    error: { errorMessage: "scorer crashed" },
  });
  mlflow.logExpectation({
    traceId: root.traceId,
    name: "expected",
    value: { answer: "4", aliases: ["four"] },
  });
  mlflow.logExpectation({ traceId: root.traceId, name: "expected_text", value: "4" });
  assert.throws(
    () => mlflow.logFeedback({ traceId: root.traceId, name: "has.dot", value: 1 }),
    /'\.'/,
  );
  await mlflow.flush();

  const { info } = await mlflow.getTrace(root.traceId);
  const byName = Object.fromEntries(info.assessments.map((a) => [a.name, a]));
  assert.equal(info.assessments.length, 6);
  assert.equal(byName["inspect/match"].value, 1);
  assert.equal(byName["inspect/match"].rationale, "exact match");
  // Beside the caller's metadata, the write id that makes a re-sent POST detectable.
  const { "evalhooks.writeId": writeId, ...metadata } = byName["inspect/match"].metadata;
  assert.match(writeId, /^[0-9a-f-]{36}$/);
  assert.deepEqual(metadata, { sample_id: "7" });
  assert.deepEqual(byName["inspect/match"].source, { sourceType: "CODE", sourceId: "inspect_ai" });
  assert.equal(byName.passed.value, true);
  assert.equal(byName.grade.value, "C");
  assert.equal(byName.expected.kind, "expectation");
  assert.deepEqual(byName.expected.value, { answer: "4", aliases: ["four"] });
  assert.equal(byName.expected_text.value, "4");
});

test("traces: mlflow.trace wraps a function, nests by explicit parent, marks errors", async () => {
  const mlflow = await client();
  let traceId = "";
  const answer = await mlflow.trace("pipeline", async (span) => {
    traceId = span.traceId;
    const docs = await mlflow.trace("retrieve", () => ["d1", "d2"], {
      parent: span,
      spanType: "RETRIEVER",
      inputs: { q: "x" },
    });
    await assert.rejects(
      mlflow.trace("flaky", () => {
        throw new Error("boom");
      }, { parent: span, spanType: "TOOL" }),
      /boom/,
    );
    return `${docs.length} docs`;
  }, { inputs: { q: "x" } });
  assert.equal(answer, "2 docs");
  await mlflow.flush();
  const { info, spans } = await mlflow.getTrace(traceId);
  assert.equal(info.state, "OK");
  const byName = Object.fromEntries(spans.map((s) => [s.name, s]));
  assert.deepEqual(byName.retrieve.outputs, ["d1", "d2"]);
  assert.equal(byName.retrieve.spanType, "RETRIEVER");
  assert.equal(byName.flaky.status.code, "ERROR");
  assert.equal(byName.pipeline.outputs, "2 docs");
});

test("traces: searchTraces finds a run's traces, across pages", async () => {
  const mlflow = await client();
  const run = mlflow.startRun({ runName: "many-traces" });
  for (let i = 0; i < 12; i++) {
    mlflow.startTrace({ name: `row-${i}`, run, inputs: i }).end({ outputs: i * 2 });
  }
  run.end();
  await mlflow.flush();
  const { runId, experimentId } = await run.info();
  const found = await mlflow.searchTraces({
    experimentIds: [experimentId],
    filter: `metadata.\`mlflow.sourceRun\` = '${runId}'`,
  });
  assert.equal(found.length, 12);
  const limited = await mlflow.searchTraces({ experimentIds: [experimentId], maxResults: 5 });
  assert.equal(limited.length, 5);
});

test("traces: feedback logged while its trace is open lands once the trace is exported", async () => {
  const mlflow = await client();
  const root = mlflow.startTrace({ name: "open" });
  mlflow.logFeedback({ traceId: root.traceId, name: "early", value: 0.5 });
  const never = mlflow.startTrace({ name: "never-ended" });
  mlflow.logFeedback({ traceId: never.traceId, name: "orphan", value: 1 });
  await mlflow.flush(); // settles although one trace is still open
  root.end();
  await mlflow.flush();
  const { info } = await mlflow.getTrace(root.traceId);
  assert.deepEqual(info.assessments.map((a) => [a.name, a.value]), [["early", 0.5]]);
});
