// Copyright 2026 the evalhooks authors. MIT license.
// This module is browser compatible.

// A trace's spans in OTLP's binary form for `POST /v1/traces`, where the spans of many traces go
// in one request and MLflow keeps them in its database; and those spans as `GET traces/get`
// gives them back. Nanosecond times stay exact both ways. Binary, not OTLP/JSON: MLflow parses a
// JSON body in pure Python (about 2 ms of server time per 13-span trace, measured on 3.18, where
// the binary parse takes microseconds), and MLflow 3 servers older than its JSON support take
// only the binary form. Field numbers are those of opentelemetry-proto's trace.proto.

import { MlflowError } from "../base/errors.ts";
import {
  protoBytes,
  type ProtoMessage,
  protoMessage,
  writeBytes,
  writeDouble,
  writeEncoded,
  writeFixed64,
  writeMessage,
  writeString,
  writeVarint,
} from "../base/protobuf.ts";
import type { RestClient } from "../transport/rest.ts";
import { parseKeepingNanos, safeJson, type SpanRecord, storedSpanData } from "./spans.ts";
import type { SpanData } from "./trace_types.ts";

const OTLP_TRACES = "/v1/traces";
const INT64_MAX = (1n << 63n) - 1n;
const SCOPE_NAME = "@evalhooks/mlflow";

/**
 * A span attribute as an OTLP AnyValue. MLflow's server stores every attribute as JSON text and
 * unwraps one JSON layer of a string value that holds JSON text of a string, object or array:
 * so those go as their JSON text, and numbers, booleans and null go as native values (as JSON
 * text they would come back as strings). Null is an AnyValue with nothing set.
 */
function attributeValue(value: unknown): ProtoMessage {
  const m = protoMessage();
  if (value === null || value === undefined) return m;
  if (typeof value === "boolean") writeVarint(m, 2, value ? 1 : 0);
  else if (typeof value === "number") {
    // JSON has no NaN or Infinity: null, as safeJson writes them.
    if (!Number.isFinite(value)) return m;
    if (Number.isInteger(value) && Number.isSafeInteger(value)) writeVarint(m, 3, value);
    else writeDouble(m, 4, value);
  } else if (typeof value === "bigint" && value <= INT64_MAX && value >= -INT64_MAX - 1n) {
    writeVarint(m, 3, value);
  } else writeString(m, 1, safeJson(value));
  return m;
}

/** An event attribute: strings as they are (as in `traces.json`), other values as JSON text. */
function eventValue(value: unknown): ProtoMessage {
  if (typeof value !== "string") return attributeValue(value);
  const m = protoMessage();
  writeString(m, 1, value);
  return m;
}

function writeKeyValues(
  m: ProtoMessage,
  field: number,
  entries: [string, unknown][],
  encode: (v: unknown) => ProtoMessage,
): void {
  for (const [key, value] of entries) {
    const kv = protoMessage();
    writeString(kv, 1, key);
    writeMessage(kv, 2, encode(value));
    writeMessage(m, field, kv);
  }
}

function idBytes(hex: string): Uint8Array {
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return out;
}

/**
 * The span `s` of trace `trace`, encoded as the `spans` field of an OTLP ScopeSpans (so the
 * spans of many traces join by concatenation), with the attributes MLflow reads: span type,
 * inputs, outputs.
 */
export function spanToOtlp(trace: { traceId: string; hexId: string }, s: SpanRecord): Uint8Array {
  const attributes: [string, unknown][] = Object.entries(s.attributes);
  attributes.push(["mlflow.traceRequestId", trace.traceId], ["mlflow.spanType", s.spanType]);
  if (s.hasInputs) attributes.push(["mlflow.spanInputs", s.inputs]);
  if (s.hasOutputs) attributes.push(["mlflow.spanOutputs", s.outputs]);
  const span = protoMessage();
  writeBytes(span, 1, idBytes(trace.hexId));
  writeBytes(span, 2, idBytes(s.spanId));
  if (s.parentSpanId) writeBytes(span, 4, idBytes(s.parentSpanId));
  writeString(span, 5, s.name);
  writeVarint(span, 6, 1); // SPAN_KIND_INTERNAL
  writeFixed64(span, 7, s.startTimeNs);
  writeFixed64(span, 8, s.endTimeNs ?? s.startTimeNs);
  writeKeyValues(span, 9, attributes, attributeValue);
  for (const e of s.events) {
    const event = protoMessage();
    writeFixed64(event, 1, e.timeNs);
    writeString(event, 2, e.name);
    writeKeyValues(event, 3, Object.entries(e.attributes), eventValue);
    writeMessage(span, 11, event);
  }
  const status = protoMessage();
  if (s.status.message) writeString(status, 2, s.status.message);
  const code = s.status.code === "OK" ? 1 : s.status.code === "ERROR" ? 2 : 0;
  if (code) writeVarint(status, 3, code);
  writeMessage(span, 15, status);
  const field = protoMessage();
  writeMessage(field, 2, span); // ScopeSpans.spans
  return protoBytes(field);
}

/**
 * The body of one `POST /v1/traces` (an ExportTraceServiceRequest): the given spans, each as
 * {@linkcode spanToOtlp} encoded it, under one resource and scope.
 */
export function otlpRequestBody(spans: readonly Uint8Array[]): Uint8Array {
  const scope = protoMessage();
  writeString(scope, 1, SCOPE_NAME);
  const scopeSpans = protoMessage();
  writeMessage(scopeSpans, 1, scope);
  for (const s of spans) writeEncoded(scopeSpans, s);
  const resourceSpans = protoMessage();
  writeMessage(resourceSpans, 1, protoMessage()); // a resource with no attributes
  writeMessage(resourceSpans, 2, scopeSpans);
  const request = protoMessage();
  writeMessage(request, 1, resourceSpans);
  return protoBytes(request);
}

/**
 * Sends spans of one experiment's traces to MLflow's OTLP endpoint. MLflow upserts spans by
 * (trace, span) id, so a re-sent request stores nothing twice.
 */
export async function exportOtlpSpans(
  rest: RestClient,
  experimentId: string,
  body: Uint8Array,
  key: string,
): Promise<void> {
  await rest.request({
    method: "POST",
    endpoint: OTLP_TRACES,
    body,
    contentType: "application/x-protobuf",
    headers: { "x-mlflow-experiment-id": experimentId },
    key,
  });
}

/**
 * True when `error` says the server has no OTLP endpoint (MLflow before 3, a file store, a proxy
 * that does not route it or refuses its content type): the spans then go as the `traces.json`
 * artifact.
 */
export function isOtlpUnavailable(error: unknown): boolean {
  if (!(error instanceof MlflowError)) return false;
  if ([404, 405, 415, 501].includes(error.status)) return true;
  return error.status === 400 && /content-type/i.test(error.message);
}

type WireAnyValue = {
  string_value?: string;
  int_value?: string | number;
  double_value?: number | string;
  bool_value?: boolean;
  bytes_value?: string;
  array_value?: { values?: WireAnyValue[] };
  kvlist_value?: { values?: { key: string; value?: WireAnyValue }[] };
};

function decodeAnyValue(v: WireAnyValue | undefined): unknown {
  if (!v) return null;
  if (v.string_value !== undefined) return v.string_value;
  if (v.int_value !== undefined) return Number(v.int_value);
  if (v.double_value !== undefined) return Number(v.double_value);
  if (v.bool_value !== undefined) return v.bool_value;
  if (v.bytes_value !== undefined) return v.bytes_value;
  if (v.array_value) return (v.array_value.values ?? []).map(decodeAnyValue);
  if (v.kvlist_value) {
    return Object.fromEntries(
      (v.kvlist_value.values ?? []).map((kv) => [kv.key, decodeAnyValue(kv.value)]),
    );
  }
  return null;
}

function decodeAttributes(
  list: { key: string; value?: WireAnyValue }[] | undefined,
): Record<string, unknown> {
  return Object.fromEntries((list ?? []).map((kv) => [kv.key, decodeAnyValue(kv.value)]));
}

/**
 * The spans of a `GET /api/3.0/mlflow/traces/get` answer (OTLP protobuf as JSON: base64 ids,
 * typed attribute values), read from its raw text so nanosecond integers are not rounded.
 */
export function parseStoredSpans(text: string): SpanData[] {
  const data = parseKeepingNanos(text) as { trace?: { spans?: Record<string, unknown>[] } };
  return (data.trace?.spans ?? []).map((s) =>
    storedSpanData(
      s,
      decodeAttributes(s.attributes as { key: string; value?: WireAnyValue }[]),
      (attributes) => decodeAttributes(attributes as { key: string; value?: WireAnyValue }[]),
    )
  );
}
