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
  beginMessage,
  endMessage,
  protoBytes,
  type ProtoWriter,
  protoWriter,
  writeBytes,
  writeDouble,
  writeEncoded,
  writeFixed64,
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
 * Writes a span attribute as an OTLP AnyValue (field `field`). MLflow's server stores every
 * attribute as JSON text and unwraps one JSON layer of a string value that holds JSON text of a
 * string, object or array: so those go as their JSON text, and numbers, booleans and null go as
 * native values (as JSON text they would come back as strings). Null is an empty AnyValue.
 */
function writeAttributeValue(w: ProtoWriter, field: number, value: unknown): void {
  const mark = beginMessage(w, field);
  if (typeof value === "boolean") writeVarint(w, 2, value ? 1 : 0);
  else if (typeof value === "number") {
    // JSON has no NaN or Infinity: null, as safeJson writes them.
    if (Number.isSafeInteger(value)) writeVarint(w, 3, value);
    else if (Number.isFinite(value)) writeDouble(w, 4, value);
  } else if (typeof value === "bigint" && value <= INT64_MAX && value >= -INT64_MAX - 1n) {
    writeVarint(w, 3, value);
  } else if (value !== null && value !== undefined) writeString(w, 1, safeJson(value));
  endMessage(w, mark);
}

/** An event attribute: strings as they are (as in `traces.json`), other values as JSON text. */
function writeEventValue(w: ProtoWriter, field: number, value: unknown): void {
  if (typeof value !== "string") return writeAttributeValue(w, field, value);
  const mark = beginMessage(w, field);
  writeString(w, 1, value);
  endMessage(w, mark);
}

function writeKeyValue(
  w: ProtoWriter,
  field: number,
  key: string,
  value: unknown,
  writeValue: (w: ProtoWriter, field: number, value: unknown) => void,
): void {
  const mark = beginMessage(w, field);
  writeString(w, 1, key);
  writeValue(w, 2, value);
  endMessage(w, mark);
}

function idBytes(hex: string): Uint8Array {
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return out;
}

// Spans are encoded one at a time and synchronously, so one buffer serves them all.
const spanWriter = protoWriter(16 * 1024);

/**
 * The span `s` of trace `trace`, encoded as the `spans` field of an OTLP ScopeSpans (so the
 * spans of many traces join by concatenation), with the attributes MLflow reads: span type,
 * inputs, outputs.
 */
export function spanToOtlp(trace: { traceId: string; hexId: string }, s: SpanRecord): Uint8Array {
  const w = spanWriter;
  w.pos = 0;
  const span = beginMessage(w, 2); // ScopeSpans.spans
  writeBytes(w, 1, idBytes(trace.hexId));
  writeBytes(w, 2, idBytes(s.spanId));
  if (s.parentSpanId) writeBytes(w, 4, idBytes(s.parentSpanId));
  writeString(w, 5, s.name);
  writeVarint(w, 6, 1); // SPAN_KIND_INTERNAL
  writeFixed64(w, 7, s.startTimeNs);
  writeFixed64(w, 8, s.endTimeNs ?? s.startTimeNs);
  for (const [key, value] of Object.entries(s.attributes)) {
    writeKeyValue(w, 9, key, value, writeAttributeValue);
  }
  writeKeyValue(w, 9, "mlflow.traceRequestId", trace.traceId, writeAttributeValue);
  writeKeyValue(w, 9, "mlflow.spanType", s.spanType, writeAttributeValue);
  if (s.hasInputs) writeKeyValue(w, 9, "mlflow.spanInputs", s.inputs, writeAttributeValue);
  if (s.hasOutputs) writeKeyValue(w, 9, "mlflow.spanOutputs", s.outputs, writeAttributeValue);
  for (const e of s.events) {
    const event = beginMessage(w, 11);
    writeFixed64(w, 1, e.timeNs);
    writeString(w, 2, e.name);
    for (const [key, value] of Object.entries(e.attributes)) {
      writeKeyValue(w, 3, key, value, writeEventValue);
    }
    endMessage(w, event);
  }
  const status = beginMessage(w, 15);
  if (s.status.message) writeString(w, 2, s.status.message);
  const code = s.status.code === "OK" ? 1 : s.status.code === "ERROR" ? 2 : 0;
  if (code) writeVarint(w, 3, code);
  endMessage(w, status);
  endMessage(w, span);
  return protoBytes(w);
}

/**
 * The body of one `POST /v1/traces` (an ExportTraceServiceRequest): the given spans, each as
 * {@linkcode spanToOtlp} encoded it, under one resource and scope.
 */
export function otlpRequestBody(spans: readonly Uint8Array[]): Uint8Array {
  let bytes = 64;
  for (const s of spans) bytes += s.length;
  const w = protoWriter(bytes);
  const resourceSpans = beginMessage(w, 1);
  endMessage(w, beginMessage(w, 1)); // a resource with no attributes
  const scopeSpans = beginMessage(w, 2);
  const scope = beginMessage(w, 1);
  writeString(w, 1, SCOPE_NAME);
  endMessage(w, scope);
  for (const s of spans) writeEncoded(w, s);
  endMessage(w, scopeSpans);
  endMessage(w, resourceSpans);
  return protoBytes(w);
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
