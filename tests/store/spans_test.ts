// Copyright 2026 the evalhooks authors. MIT license.
import { test } from "node:test";
import assert from "node:assert/strict";
import { parseSpans, safeJson, type SpanRecord, spanToWire } from "../../src/store/spans.ts";
import { stringifyWithBigInt } from "../../src/store/trace_ids.ts";

const trace = {
  traceId: "tr-0123456789abcdef0123456789abcdef",
  hexId: "0123456789abcdef0123456789abcdef",
};

function record(overrides: Partial<SpanRecord> = {}): SpanRecord {
  return {
    spanId: "00112233aabbccdd",
    name: "predict",
    spanType: "LLM",
    // Past 2^53: a double would round these.
    startTimeNs: 1_733_150_000_123_456_789n,
    endTimeNs: 1_733_150_001_987_654_321n,
    status: { code: "OK" },
    attributes: { "mlflow.chat.tokenUsage": { input_tokens: 3, output_tokens: 5 } },
    events: [{ name: "exception", timeNs: 1_733_150_000_500_000_001n, attributes: { n: 1 } }],
    inputs: { question: "2 + 2?" },
    outputs: "4",
    hasInputs: true,
    hasOutputs: true,
    ...overrides,
  };
}

test("spans: traces.json written and parsed back keeps nanosecond times, ids, inputs and outputs", () => {
  const root = record();
  const child = record({ spanId: "ffeeddccbbaa9988", parentSpanId: root.spanId, name: "tool" });
  const text = stringifyWithBigInt({ spans: [root, child].map((s) => spanToWire(trace, s)) });
  const [a, b] = parseSpans(text);
  assert.equal(a.spanId, root.spanId);
  assert.equal(a.startTimeNs, root.startTimeNs);
  assert.equal(a.endTimeNs, root.endTimeNs);
  assert.equal(a.events[0].timeNs, 1_733_150_000_500_000_001n);
  assert.deepEqual(a.inputs, { question: "2 + 2?" });
  assert.equal(a.outputs, "4");
  assert.equal(a.spanType, "LLM");
  assert.deepEqual(a.attributes["mlflow.chat.tokenUsage"], { input_tokens: 3, output_tokens: 5 });
  assert.equal(a.parentSpanId, undefined);
  assert.equal(b.parentSpanId, root.spanId);
  assert.deepEqual(a.status, { code: "OK" });
});

test("spans: a value with a cycle is written as its string form instead of failing the trace", () => {
  const cyclic: Record<string, unknown> = {};
  cyclic.self = cyclic;
  assert.equal(safeJson(cyclic), JSON.stringify("[object Object]"));
  assert.equal(safeJson(undefined), "null");
  assert.equal(safeJson(12n), "12");
});
