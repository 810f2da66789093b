// Copyright 2026 the evalhooks authors. MIT license.
// This module is browser compatible.

// MLflow 3 traces on the wire: the trace info (`POST /api/3.0/mlflow/traces`), its spans as the
// `traces.json` artifact (otlp.ts sends them in bulk instead), reading a trace back and searching.

import { MlflowError } from "../base/errors.ts";
import { readAllPages } from "./pages.ts";
import type { RestClient } from "../transport/rest.ts";
import { artifactEndpoint } from "./artifacts.ts";
import { parseStoredSpans } from "./otlp.ts";
import { parseSpans } from "./spans.ts";
import { nsToDuration, nsToRfc3339 } from "./trace_ids.ts";
import type { Assessment, SearchTracesOptions, SpanData, TraceInfo } from "./trace_types.ts";

const TRACES = "/api/3.0/mlflow/traces";

/** The trace info an export sends. */
export interface TraceStart {
  traceId: string;
  experimentId: string;
  startTimeNs: bigint;
  endTimeNs: bigint;
  state: "OK" | "ERROR";
  requestPreview: string;
  responsePreview: string;
  metadata: Record<string, string>;
  tags: Record<string, string>;
  /** Assessment bodies (with their ids) stored with the trace, in the same request. */
  assessments?: Record<string, unknown>[];
}

/**
 * Creates a finished trace's info (an upsert keyed by the trace id; assessments given with their
 * own ids upsert too, checked against MLflow 3.18: a re-sent request leaves one copy of each, so
 * a retry is safe). Answers with where the trace's `traces.json` artifact would go. `runId` only
 * labels errors.
 */
export async function startTrace(
  rest: RestClient,
  trace: TraceStart,
  runId: string | undefined,
): Promise<string> {
  const response = await rest.request<
    { trace?: { trace_info?: { tags?: Record<string, string> } } }
  >({
    method: "POST",
    endpoint: TRACES,
    json: {
      trace: {
        trace_info: {
          trace_id: trace.traceId,
          trace_location: {
            type: "MLFLOW_EXPERIMENT",
            mlflow_experiment: { experiment_id: trace.experimentId },
          },
          request_time: nsToRfc3339(trace.startTimeNs),
          execution_duration: nsToDuration(trace.endTimeNs - trace.startTimeNs),
          state: trace.state,
          request_preview: trace.requestPreview,
          response_preview: trace.responsePreview,
          trace_metadata: trace.metadata,
          tags: trace.tags,
          assessments: trace.assessments?.length ? trace.assessments : undefined,
        },
      },
    },
    key: trace.traceId,
    runId,
  });
  const location = response.trace?.trace_info?.tags?.["mlflow.artifactLocation"];
  if (!location) {
    throw new MlflowError("the server gave no artifact location for the trace's spans", {
      errorCode: "BAD_RESPONSE",
      key: trace.traceId,
    });
  }
  return location;
}

/**
 * Puts a trace's spans as its `traces.json` artifact at `location`: where every MLflow 3 server
 * reads them, for servers without the OTLP endpoint. A PUT replaces, so a retry is safe.
 */
export async function putSpansArtifact(
  rest: RestClient,
  location: string,
  spansJson: string,
  traceId: string,
  runId: string | undefined,
): Promise<void> {
  await rest.request({
    method: "PUT",
    endpoint: artifactEndpoint(location, "traces.json"),
    body: spansJson,
    contentType: "application/json",
    key: traceId,
    runId,
  });
}

/** Reads a trace: its info and, when the server has them, its spans. */
export async function getTrace(
  rest: RestClient,
  traceId: string,
): Promise<{ info: TraceInfo; spans: SpanData[] }> {
  const response = await rest.request<{ trace: { trace_info: WireTraceInfo } }>({
    method: "GET",
    endpoint: `${TRACES}/${encodeURIComponent(traceId)}`,
    key: traceId,
  });
  const info = toTraceInfo(response.trace.trace_info);
  const location = info.tags["mlflow.artifactLocation"];
  let spans: SpanData[] = [];
  if (info.tags["mlflow.trace.spansLocation"] === "TRACKING_STORE") {
    // Spans sent over OTLP live in the server's database; `traces/get` reads them from there.
    const bytes = await rest.request<Uint8Array>({
      method: "GET",
      endpoint: `${TRACES}/get`,
      query: { trace_id: traceId, allow_partial: true },
      responseType: "bytes",
      key: traceId,
    });
    spans = parseStoredSpans(new TextDecoder().decode(bytes));
  } else if (location) {
    const bytes = await rest.request<Uint8Array>({
      method: "GET",
      endpoint: artifactEndpoint(location, "traces.json"),
      responseType: "bytes",
      key: traceId,
    });
    spans = parseSpans(new TextDecoder().decode(bytes));
  }
  return { info, spans };
}

/** Searches traces, every page up to `maxResults`. */
export async function searchTraces(
  rest: RestClient,
  options: SearchTracesOptions,
): Promise<TraceInfo[]> {
  return await readAllPages(async (pageToken, wanted) => {
    const page = await rest.request<{ traces?: WireTraceInfo[]; next_page_token?: string }>({
      method: "POST",
      endpoint: `${TRACES}/search`,
      json: {
        locations: options.experimentIds.map((id) => ({
          type: "MLFLOW_EXPERIMENT",
          mlflow_experiment: { experiment_id: id },
        })),
        filter: options.filter,
        order_by: options.orderBy,
        max_results: Math.min(500, wanted),
        page_token: pageToken,
      },
    });
    return { items: (page.traces ?? []).map(toTraceInfo), next: page.next_page_token };
  }, options.maxResults);
}

/** An assessment on the wire. */
export interface WireAssessment {
  assessment_id?: string;
  assessment_name: string;
  source?: { source_type: "CODE" | "HUMAN" | "LLM_JUDGE"; source_id: string };
  feedback?: {
    value?: unknown;
    error?: { error_code?: string; error_message?: string; stack_trace?: string };
  };
  expectation?: { value?: unknown; serialized_value?: { value: string } };
  rationale?: string;
  metadata?: Record<string, string>;
  span_id?: string;
  overrides?: string;
  valid?: boolean;
}

interface WireTraceInfo {
  trace_id: string;
  trace_location?: { mlflow_experiment?: { experiment_id: string } };
  request_time?: string;
  execution_duration?: string;
  state?: string;
  request_preview?: string;
  response_preview?: string;
  trace_metadata?: Record<string, string>;
  tags?: Record<string, string>;
  assessments?: WireAssessment[];
}

function toTraceInfo(t: WireTraceInfo): TraceInfo {
  return {
    traceId: t.trace_id,
    experimentId: t.trace_location?.mlflow_experiment?.experiment_id ?? "",
    requestTime: t.request_time ? Date.parse(t.request_time) : 0,
    executionDurationMs: t.execution_duration ? parseFloat(t.execution_duration) * 1000 : 0,
    state: t.state ?? "",
    requestPreview: t.request_preview ?? "",
    responsePreview: t.response_preview ?? "",
    metadata: t.trace_metadata ?? {},
    tags: t.tags ?? {},
    assessments: (t.assessments ?? []).map(toAssessment),
  };
}

/** An assessment as the server answers it, read into our shape. */
export function toAssessment(a: WireAssessment): Assessment {
  const kind = a.expectation ? "expectation" : "feedback";
  let value: unknown = a.feedback?.value ?? a.expectation?.value;
  if (a.expectation?.serialized_value) value = JSON.parse(a.expectation.serialized_value.value);
  const out: Assessment = {
    assessmentId: a.assessment_id ?? "",
    name: a.assessment_name,
    kind,
    value,
    metadata: a.metadata ?? {},
  };
  if (a.source) out.source = { sourceType: a.source.source_type, sourceId: a.source.source_id };
  if (a.rationale !== undefined) out.rationale = a.rationale;
  if (a.span_id) out.spanId = a.span_id;
  if (a.overrides) out.overrides = a.overrides;
  if (a.valid !== undefined) out.valid = a.valid;
  const error = a.feedback?.error;
  if (error) {
    out.error = { errorCode: error.error_code ?? "", errorMessage: error.error_message ?? "" };
    if (error.stack_trace) out.error.stackTrace = error.stack_trace;
  }
  return out;
}
