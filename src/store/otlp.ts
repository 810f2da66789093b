// Copyright 2026 the evalhooks authors. MIT license.
// This module is browser compatible.

// A trace's spans as OTLP/JSON for `POST /v1/traces`, where the spans of many traces go in one
// request and MLflow keeps them in its database; and those spans as `GET traces/get` gives them
// back. Nanosecond times stay exact both ways.

import { MlflowError } from "../base/errors.ts";
import type { RestClient } from "../transport/rest.ts";
import { parseKeepingNanos, safeJson, type SpanRecord, storedSpanData } from "./spans.ts";
import type { SpanData } from "./trace_types.ts";

const OTLP_TRACES = "/v1/traces";
const INT64_MAX = (1n << 63n) - 1n;

type AnyValue =
  | { stringValue: string }
  | { intValue: string }
  | { doubleValue: number }
  | { boolValue: boolean }
  | Record<string, never>;

/**
 * A span attribute as OTLP sends it. MLflow's server stores every attribute as JSON text and
 * unwraps one JSON layer of a string value that holds JSON text of a string, object or array:
 * so those go as their JSON text, and numbers, booleans and null go as native values (as JSON
 * text they would come back as strings).
 */
function attributeValue(value: unknown): AnyValue {
  if (value === null || value === undefined) return {};
  if (typeof value === "boolean") return { boolValue: value };
  if (typeof value === "number") {
    if (!Number.isFinite(value)) return {}; // JSON has no NaN or Infinity: null, as safeJson writes
    return Number.isInteger(value) && Number.isSafeInteger(value)
      ? { intValue: String(value) }
      : { doubleValue: value };
  }
  if (typeof value === "bigint" && value <= INT64_MAX && value >= -INT64_MAX - 1n) {
    return { intValue: String(value) };
  }
  return { stringValue: safeJson(value) };
}

/** An event attribute: strings as they are (as in `traces.json`), other values as JSON text. */
function eventValue(value: unknown): AnyValue {
  if (typeof value === "string") return { stringValue: value };
  return attributeValue(value);
}

function keyValues(
  entries: [string, unknown][],
  encode: (v: unknown) => AnyValue,
): { key: string; value: AnyValue }[] {
  return entries.map(([key, value]) => ({ key, value: encode(value) }));
}

/**
 * The span `s` of trace `trace` as an OTLP/JSON span (hex ids, nanoseconds as decimal strings),
 * with the attributes MLflow reads: span type, inputs, outputs.
 */
export function spanToOtlp(
  trace: { traceId: string; hexId: string },
  s: SpanRecord,
): Record<string, unknown> {
  const attributes: [string, unknown][] = Object.entries(s.attributes);
  attributes.push(["mlflow.traceRequestId", trace.traceId], ["mlflow.spanType", s.spanType]);
  if (s.hasInputs) attributes.push(["mlflow.spanInputs", s.inputs]);
  if (s.hasOutputs) attributes.push(["mlflow.spanOutputs", s.outputs]);
  const out: Record<string, unknown> = {
    traceId: trace.hexId,
    spanId: s.spanId,
    name: s.name,
    kind: 1, // SPAN_KIND_INTERNAL
    startTimeUnixNano: String(s.startTimeNs),
    endTimeUnixNano: String(s.endTimeNs ?? s.startTimeNs),
    attributes: keyValues(attributes, attributeValue),
    events: s.events.map((e) => ({
      name: e.name,
      timeUnixNano: String(e.timeNs),
      attributes: keyValues(Object.entries(e.attributes), eventValue),
    })),
    status: {
      code: s.status.code === "OK" ? 1 : s.status.code === "ERROR" ? 2 : 0,
      message: s.status.message ?? "",
    },
  };
  if (s.parentSpanId) out.parentSpanId = s.parentSpanId;
  return out;
}

/** The body of one `POST /v1/traces`: the given spans (each already OTLP/JSON text). */
export function otlpRequestText(spanTexts: readonly string[]): string {
  return `{"resourceSpans":[{"resource":{"attributes":[]},"scopeSpans":[{"scope":{"name":` +
    `"@evalhooks/mlflow"},"spans":[${spanTexts.join(",")}]}]}]}`;
}

/**
 * Sends spans of one experiment's traces to MLflow's OTLP endpoint. MLflow upserts spans by
 * (trace, span) id, so a re-sent request stores nothing twice.
 */
export async function exportOtlpSpans(
  rest: RestClient,
  experimentId: string,
  bodyText: string,
  key: string,
): Promise<void> {
  await rest.request({
    method: "POST",
    endpoint: OTLP_TRACES,
    jsonText: bodyText,
    headers: { "x-mlflow-experiment-id": experimentId },
    key,
  });
}

/**
 * True when `error` says the server has no OTLP/JSON endpoint (MLflow before it took JSON, a
 * file store, a proxy that does not route it): the spans then go as the `traces.json` artifact.
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
