// Copyright 2026 the evalhooks authors. MIT license.
// This module is browser compatible.

// A trace's spans in MLflow's `traces.json` (OpenTelemetry JSON with MLflow's attributes):
// written at export, parsed when a trace is read. Nanosecond times stay bigint both ways.

import { base64ToHex, hexToBase64, stringifyWithBigInt } from "./trace_ids.ts";
import type { SpanData, SpanStatus } from "./trace_types.ts";

/** A span as the client holds it until its trace is exported. */
export interface SpanRecord {
  spanId: string;
  parentSpanId?: string;
  name: string;
  spanType: string;
  startTimeNs: bigint;
  endTimeNs?: bigint;
  status: SpanStatus;
  attributes: Record<string, unknown>;
  events: { name: string; timeNs: bigint; attributes: Record<string, unknown> }[];
  inputs?: unknown;
  outputs?: unknown;
  hasInputs: boolean;
  hasOutputs: boolean;
}

/**
 * The span `s` of trace `traceId` (hex id `hexId`) in `traces.json` form. Attributes hold JSON
 * text: that is how MLflow's Python SDK stores and reads them.
 */
export function spanToWire(
  trace: { traceId: string; hexId: string },
  s: SpanRecord,
): Record<string, unknown> {
  const attributes: Record<string, string> = {};
  for (const [k, v] of Object.entries(s.attributes)) attributes[k] = safeJson(v);
  attributes["mlflow.traceRequestId"] = JSON.stringify(trace.traceId);
  attributes["mlflow.spanType"] = JSON.stringify(s.spanType);
  if (s.hasInputs) attributes["mlflow.spanInputs"] = safeJson(s.inputs);
  if (s.hasOutputs) attributes["mlflow.spanOutputs"] = safeJson(s.outputs);
  return {
    trace_id: hexToBase64(trace.hexId),
    span_id: hexToBase64(s.spanId),
    parent_span_id: s.parentSpanId ? hexToBase64(s.parentSpanId) : "",
    name: s.name,
    kind: "SPAN_KIND_INTERNAL",
    start_time_unix_nano: s.startTimeNs,
    end_time_unix_nano: s.endTimeNs ?? s.startTimeNs,
    status: { code: `STATUS_CODE_${s.status.code}`, message: s.status.message ?? "" },
    attributes,
    events: s.events.map((e) => ({
      name: e.name,
      time_unix_nano: e.timeNs,
      attributes: Object.fromEntries(
        Object.entries(e.attributes).map(([k, v]) => [k, typeof v === "string" ? v : safeJson(v)]),
      ),
    })),
    links: [],
  };
}

/** `value` as JSON text, bigints as numbers; a cycle becomes its string form. */
export function safeJson(value: unknown): string {
  try {
    return stringifyWithBigInt(value === undefined ? null : value);
  } catch {
    return JSON.stringify(String(value)); // a cycle: keep something readable rather than fail the trace
  }
}

/** Parses `traces.json`, keeping nanosecond times exact. */
export function parseSpans(text: string): SpanData[] {
  const data = parseKeepingNanos(text) as { spans?: Record<string, unknown>[] };
  const decode = (v: unknown) => {
    if (typeof v !== "string") return v;
    try {
      return JSON.parse(v);
    } catch {
      return v;
    }
  };
  return (data.spans ?? []).map((s) =>
    storedSpanData(
      s,
      Object.fromEntries(
        Object.entries((s.attributes ?? {}) as Record<string, unknown>).map((
          [k, v],
        ) => [k, decode(v)]),
      ),
      (attributes) => (attributes ?? {}) as Record<string, unknown>,
    )
  );
}

/** JSON text parsed with its nanosecond integers kept as strings, before doubles round them. */
export function parseKeepingNanos(text: string): unknown {
  return JSON.parse(text.replace(/"((?:start_|end_)?time_unix_nano)"\s*:\s*(-?\d+)/g, '"$1":"$2"'));
}

/**
 * A span as MLflow stores it (OTLP field names, base64 ids, times as exact strings) in this
 * client's terms; `attributes` are the span's, already decoded, and `eventAttributes` decodes an
 * event's, since `traces.json` and a get-trace answer write them differently.
 */
export function storedSpanData(
  s: Record<string, unknown>,
  attributes: Record<string, unknown>,
  eventAttributes: (attributes: unknown) => Record<string, unknown>,
): SpanData {
  const status = s.status as { code?: string; message?: string } | undefined;
  const code = (status?.code ?? "STATUS_CODE_UNSET").replace(
    "STATUS_CODE_",
    "",
  ) as SpanStatus["code"];
  const out: SpanData = {
    spanId: base64ToHex(String(s.span_id)),
    name: String(s.name),
    spanType: String(attributes["mlflow.spanType"] ?? "UNKNOWN"),
    startTimeNs: BigInt(String(s.start_time_unix_nano)),
    endTimeNs: BigInt(String(s.end_time_unix_nano ?? s.start_time_unix_nano)),
    status: status?.message ? { code, message: status.message } : { code },
    inputs: attributes["mlflow.spanInputs"],
    outputs: attributes["mlflow.spanOutputs"],
    attributes,
    events: ((s.events ?? []) as { name: string; time_unix_nano: string; attributes?: unknown }[])
      .map((e) => ({
        name: e.name,
        timeNs: BigInt(e.time_unix_nano),
        attributes: eventAttributes(e.attributes),
      })),
  };
  if (s.parent_span_id) out.parentSpanId = base64ToHex(String(s.parent_span_id));
  return out;
}
