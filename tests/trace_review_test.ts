// Copyright 2026 the evalhooks authors. MIT license.
// Traces after the fact (tags, deletes, assessment updates and overrides) and sessions, against
// the real server, read back over REST and by MLflow's own Python client.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createMlflow, type Mlflow, MlflowValidationError } from "../mod.ts";
import { mlflowPython } from "./harness/mlflow_python.ts";
import { trackingUri, uniqueName } from "./harness/server.ts";

async function client(): Promise<Mlflow> {
  return createMlflow({
    trackingUri: await trackingUri(),
    experimentName: uniqueName("review"),
    onError: () => {},
  });
}

function rejectsWith(rule: string): (error: unknown) => boolean {
  return (error) => error instanceof MlflowValidationError && error.rule === rule;
}

test("sessions: traces of one conversation carry mlflow.trace.session and .user, as Python reads them", async () => {
  const uri = await trackingUri();
  const mlflow = await client();
  const ids: string[] = [];
  for (const [turn, question] of ["Hi", "And Japan?"].entries()) {
    const root = mlflow.startTrace({
      name: "chat",
      inputs: { messages: [{ role: "user", content: question }] },
      session: "conversation-7",
      user: "alice",
      metadata: { turn: String(turn) },
    });
    root.end({ outputs: "..." });
    ids.push(root.traceId);
  }
  await mlflow.trace("one-off", () => "ok", { session: "conversation-8", user: "bob" });
  await mlflow.flush();
  const { info } = await mlflow.getTrace(ids[1]);
  assert.equal(info.metadata["mlflow.trace.session"], "conversation-7");
  assert.equal(info.metadata["mlflow.trace.user"], "alice");
  const py = JSON.parse(mlflowPython(
    `import json, mlflow
ts = mlflow.search_traces(locations=[${JSON.stringify(info.experimentId)}], return_type="list")
print("OUT:" + json.dumps(sorted([t.info.trace_metadata.get("mlflow.trace.session"), t.info.trace_metadata.get("mlflow.trace.user")] for t in ts)))`,
    { MLFLOW_TRACKING_URI: uri },
  ));
  assert.deepEqual(py, [["conversation-7", "alice"], ["conversation-7", "alice"], [
    "conversation-8",
    "bob",
  ]]);
  assert.throws(
    () => mlflow.startTrace({ name: "x", session: "" }),
    rejectsWith("non_empty_string"),
  );
  await mlflow.close();
});

test("trace tags after the fact: set on a trace still being sent, delete twice, bad input refused", async () => {
  const mlflow = await client();
  const root = mlflow.startTrace({ name: "reviewed", inputs: "q" });
  // Still open: there is nothing on the server to tag yet.
  await assert.rejects(mlflow.setTraceTag(root.traceId, "k", "v"), rejectsWith("trace_open"));
  root.end({ outputs: "a" });
  // Not flushed: the call waits for the trace's export.
  await mlflow.setTraceTag(root.traceId, "review", "approved");
  await mlflow.setTraceTag(root.traceId, "reviewer", "alice");
  await mlflow.deleteTraceTag(root.traceId, "reviewer");
  await mlflow.deleteTraceTag(root.traceId, "reviewer"); // already gone: still deleted
  const { info } = await mlflow.getTrace(root.traceId);
  assert.equal(info.tags.review, "approved");
  assert.equal(info.tags.reviewer, undefined);
  await assert.rejects(
    mlflow.setTraceTag(root.traceId, "big", "x".repeat(8001)),
    rejectsWith("max_length"),
  );
  await assert.rejects(mlflow.setTraceTag(root.traceId, "", "v"), rejectsWith("non_empty_string"));
  await assert.rejects(
    mlflow.setTraceTag(root.traceId, "n", 5 as unknown as string),
    rejectsWith("value_type"),
  );
  await mlflow.close();
});

test("updateAssessment and overrideFeedback: a judge's score corrected in place, and overridden by a human", async () => {
  const uri = await trackingUri();
  const mlflow = await client();
  const root = mlflow.startTrace({ name: "judged", inputs: "capital of Australia?" });
  root.end({ outputs: "Canberra" });
  mlflow.logFeedback({
    traceId: root.traceId,
    name: "correct",
    value: false,
    rationale: "judge thinks Sydney",
    source: { sourceType: "LLM_JUDGE", sourceId: "gpt-judge" },
  });
  mlflow.logExpectation({ traceId: root.traceId, name: "expected", value: { city: "Canberra" } });
  await mlflow.flush();
  const before = (await mlflow.getTrace(root.traceId)).info.assessments;
  const judged = before.find((a) => a.name === "correct")!;
  const expected = before.find((a) => a.name === "expected")!;

  // In place: the value and rationale change, the source stays.
  const updated = await mlflow.updateAssessment({
    traceId: root.traceId,
    assessmentId: expected.assessmentId,
    value: { city: "Canberra", country: "Australia" },
  });
  assert.deepEqual(updated.value, { city: "Canberra", country: "Australia" });
  assert.equal(updated.kind, "expectation");

  const corrected = await mlflow.overrideFeedback({
    traceId: root.traceId,
    assessmentId: judged.assessmentId,
    value: true,
    rationale: "Canberra is the capital",
    source: { sourceType: "HUMAN", sourceId: "reviewer@example.com" },
  });
  assert.equal(corrected.name, "correct");
  assert.equal(corrected.value, true);
  assert.equal(corrected.overrides, judged.assessmentId);
  assert.equal(corrected.source?.sourceType, "HUMAN");
  const after = (await mlflow.getTrace(root.traceId)).info.assessments;
  assert.equal(after.find((a) => a.assessmentId === judged.assessmentId)?.valid, false);
  assert.equal(after.filter((a) => a.name === "correct").length, 2, "the judge's is kept");

  // Python's client sees the same: the override, and the judge's marked invalid.
  const py = JSON.parse(mlflowPython(
    `import json, mlflow
t = mlflow.get_trace(${JSON.stringify(root.traceId)})
print("OUT:" + json.dumps(sorted([a.source.source_type, a.valid, a.overrides, a.value] for a in t.info.assessments if a.name == "correct")))`,
    { MLFLOW_TRACKING_URI: uri },
  ));
  assert.deepEqual(py, [["HUMAN", true, judged.assessmentId, true], [
    "LLM_JUDGE",
    false,
    null,
    false,
  ]]);

  await assert.rejects(
    mlflow.overrideFeedback({
      traceId: root.traceId,
      assessmentId: expected.assessmentId,
      value: 1,
    }),
    rejectsWith("feedback_only"),
  );
  await mlflow.close();
});

test("deleteTraces: the listed traces or those before a time; exactly one selection, or nothing is deleted", async () => {
  const mlflow = await client();
  const ids: string[] = [];
  for (let i = 0; i < 4; i++) {
    const root = mlflow.startTrace({ name: `t${i}`, inputs: i });
    root.end({ outputs: i });
    ids.push(root.traceId);
  }
  await mlflow.flush();
  const experimentId = (await mlflow.getTrace(ids[0])).info.experimentId;
  await assert.rejects(
    mlflow.deleteTraces({ experimentId } as never),
    rejectsWith("one_of"),
  );
  await assert.rejects(
    mlflow.deleteTraces({ experimentId, traceIds: [ids[0]], maxTimestampMs: 1 } as never),
    rejectsWith("one_of"),
  );
  await assert.rejects(
    mlflow.deleteTraces({ experimentId, traceIds: [] }),
    rejectsWith("non_empty"),
  );
  assert.equal((await mlflow.searchTraces({ experimentIds: [experimentId] })).length, 4);

  assert.equal(await mlflow.deleteTraces({ experimentId, traceIds: [ids[0], ids[1]] }), 2);
  const left = await mlflow.searchTraces({ experimentIds: [experimentId] });
  assert.deepEqual(left.map((t) => t.traceId).sort(), [ids[2], ids[3]].sort());
  assert.equal(
    await mlflow.deleteTraces({ experimentId, maxTimestampMs: Date.now() + 1000, maxTraces: 1 }),
    1,
  );
  assert.equal((await mlflow.searchTraces({ experimentIds: [experimentId] })).length, 1);
  await mlflow.close();
});
