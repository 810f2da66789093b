// Copyright 2026 the evalhooks authors. MIT license.
// The OTLP protobuf this client writes, read by the protobuf library MLflow's server parses it
// with (opentelemetry-proto in MLflow's own venv): every field, every kind of attribute value,
// the edge cases of varints and doubles, and text that is not ASCII or not well-formed.

import { test } from "node:test";
import assert from "node:assert/strict";
import { otlpRequestBody, spanToOtlp } from "../../src/store/otlp.ts";
import type { SpanRecord } from "../../src/store/spans.ts";
import { mlflowPython } from "../harness/mlflow_python.ts";

const trace = {
  traceId: "tr-0af7651916cd43dd8448eb211c80319c",
  hexId: "0af7651916cd43dd8448eb211c80319c",
};

const root: SpanRecord = {
  spanId: "b7ad6b7169203331",
  name: "root ✓ 🎯",
  spanType: "CHAIN",
  startTimeNs: 1_765_000_000_123_456_789n,
  endTimeNs: 1_765_000_001_987_654_321n,
  status: { code: "ERROR", message: "boom \ud800 lone" },
  attributes: {
    "int": 42,
    "negative": -7,
    "float": 0.1,
    "bigint": -(1n << 62n),
    "huge": 1n << 70n, // past int64: sent as JSON text
    "bool": false,
    "null": null,
    "nan": NaN,
    "object": { a: [1, "x"], "é": true },
    "text": "plain",
  },
  events: [{
    name: "exception",
    timeNs: 1_765_000_001_000_000_001n,
    attributes: { "exception.message": "bad", "exception.count": 3 },
  }],
  inputs: { question: "2+2?" },
  outputs: "4",
  hasInputs: true,
  hasOutputs: true,
};
const child: SpanRecord = {
  spanId: "00f067aa0ba902b7",
  parentSpanId: "b7ad6b7169203331",
  name: "llm",
  spanType: "CHAT_MODEL",
  startTimeNs: 1_765_000_000_200_000_000n,
  endTimeNs: undefined,
  status: { code: "UNSET" },
  attributes: {},
  events: [],
  hasInputs: false,
  hasOutputs: false,
};

test("otlp: the protobuf request parses with opentelemetry-proto into exactly the spans sent", () => {
  const body = otlpRequestBody([spanToOtlp(trace, root), spanToOtlp(trace, child)]);
  const hex = Array.from(body, (b) => b.toString(16).padStart(2, "0")).join("");
  const parsed = JSON.parse(mlflowPython(`
import json
from google.protobuf.json_format import MessageToDict
from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import ExportTraceServiceRequest
r = ExportTraceServiceRequest()
r.ParseFromString(bytes.fromhex("${hex}"))
print("OUT:" + json.dumps(MessageToDict(r)))
`));
  const [resourceSpans] = parsed.resourceSpans;
  assert.deepEqual(resourceSpans.resource ?? {}, {});
  const [scopeSpans] = resourceSpans.scopeSpans;
  assert.deepEqual(scopeSpans.scope, { name: "@evalhooks/mlflow" });
  const [r, c] = scopeSpans.spans;
  const b64 = (h: string) =>
    btoa(String.fromCharCode(...h.match(/../g)!.map((x) => parseInt(x, 16))));
  assert.equal(r.traceId, b64(trace.hexId));
  assert.equal(r.spanId, b64(root.spanId));
  assert.equal(r.parentSpanId, undefined);
  assert.equal(r.name, "root ✓ 🎯");
  assert.equal(r.kind, "SPAN_KIND_INTERNAL");
  assert.equal(r.startTimeUnixNano, "1765000000123456789");
  assert.equal(r.endTimeUnixNano, "1765000001987654321");
  // A lone surrogate is never sent: it arrives as U+FFFD.
  assert.deepEqual(r.status, { code: "STATUS_CODE_ERROR", message: "boom \ufffd lone" });
  const attrs = Object.fromEntries(
    r.attributes.map((a: { key: string; value: unknown }) => [a.key, a.value]),
  );
  assert.deepEqual(attrs, {
    int: { intValue: "42" },
    negative: { intValue: "-7" },
    float: { doubleValue: 0.1 },
    bigint: { intValue: String(-(1n << 62n)) },
    huge: { stringValue: String(1n << 70n) },
    bool: { boolValue: false },
    null: {},
    nan: {},
    object: { stringValue: '{"a":[1,"x"],"é":true}' },
    text: { stringValue: '"plain"' },
    "mlflow.traceRequestId": { stringValue: '"tr-0af7651916cd43dd8448eb211c80319c"' },
    "mlflow.spanType": { stringValue: '"CHAIN"' },
    "mlflow.spanInputs": { stringValue: '{"question":"2+2?"}' },
    "mlflow.spanOutputs": { stringValue: '"4"' },
  });
  assert.deepEqual(r.events, [{
    timeUnixNano: "1765000001000000001",
    name: "exception",
    attributes: [
      { key: "exception.message", value: { stringValue: "bad" } },
      { key: "exception.count", value: { intValue: "3" } },
    ],
  }]);
  assert.equal(c.parentSpanId, b64(root.spanId));
  assert.equal(c.traceId, b64(trace.hexId));
  // An open span ends when it started; UNSET is the default, so the status is empty.
  assert.equal(c.endTimeUnixNano, c.startTimeUnixNano);
  assert.deepEqual(c.status, {});
  assert.deepEqual(
    c.attributes.map((a: { key: string }) => a.key),
    ["mlflow.traceRequestId", "mlflow.spanType"],
  );
});
