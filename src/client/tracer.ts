// Copyright 2026 the evalhooks authors. MIT license.
// This module is browser compatible.

import { artifactEndpoint } from "../store/artifacts.ts";
import { asMlflowError, MlflowError } from "../base/errors.ts";
import type { AssessmentSender } from "../store/assessments.ts";
import type { RestClient } from "../transport/rest.ts";
import { cutWithEllipsis } from "../base/text.ts";
import {
  base64ToHex,
  hexToBase64,
  nowNs,
  nsToDuration,
  nsToRfc3339,
  randomHex,
  stringifyWithBigInt,
} from "./trace_ids.ts";
import type {
  Assessment,
  EndSpanOptions,
  ExpectationOptions,
  FeedbackOptions,
  SearchTracesOptions,
  Span,
  SpanData,
  SpanStatus,
  StartSpanOptions,
  StartTraceOptions,
  TraceFnOptions,
  TraceInfo,
} from "./trace_types.ts";
import type { Run, RunInfo } from "./types.ts";

/** What tracing needs from the client. */
export interface TraceContext {
  /** Transport. */
  rest: RestClient;
  /** Reports a failure (onError and flush). */
  report(error: MlflowError): void;
  /** Lets flush wait for a promise that never rejects. */
  track(promise: Promise<unknown>): void;
  /** Counts an exported trace. */
  counted(): void;
  /** The client's default experiment. */
  defaultExperimentId(): Promise<string>;
  /** A run's info, or undefined if it was never created. */
  runInfo(run: Run | string): Promise<RunInfo | undefined>;
  /** Throws once the client is closed. */
  assertOpen(call: string): void;
  /** Reserves room in the queue budget; false when the trace must be dropped. */
  reserve(count: number, bytes: number): boolean;
  /** Gives room back. */
  release(count: number, bytes: number): void;
  /** Sends assessments exactly once. */
  assessments: AssessmentSender;
}

/** The tracing half of the client. */
export interface Tracer {
  /** Starts a trace; returns its root span. */
  startTrace(options: StartTraceOptions): Span;
  /** Runs `fn` inside a span, recording inputs, outputs and errors. */
  trace<T>(name: string, fn: (span: Span) => Promise<T> | T, options?: TraceFnOptions): Promise<T>;
  /** Logs feedback on a trace (after the trace is exported, if it is this client's). */
  logFeedback(options: FeedbackOptions): void;
  /** Logs an expectation on a trace. */
  logExpectation(options: ExpectationOptions): void;
  /** Reads a trace: info and spans. */
  getTrace(traceId: string): Promise<{ info: TraceInfo; spans: SpanData[] }>;
  /** Searches traces, all pages. */
  searchTraces(options: SearchTracesOptions): Promise<TraceInfo[]>;
}

interface SpanRecord {
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

interface TraceRecord {
  traceId: string;
  hexId: string;
  options: StartTraceOptions;
  spans: SpanRecord[];
  /** Settles true once the trace is on the server (false if its export failed, reported). */
  exported?: Promise<boolean>;
  /** Assessments logged while the trace was open: sent right after its export. */
  waiting: (() => Promise<void>)[];
  /** Export and every assessment sent with it. */
  done?: Promise<void>;
}

const PREVIEW_CHARS = 1000;
const TRACES = "/api/3.0/mlflow/traces";

/** Creates the tracing half of the client. */
export function createTracer(ctx: TraceContext): Tracer {
  // Traces this client made, so assessments wait for their export. Forgotten once exported.
  const ours = new Map<string, TraceRecord>();

  function makeSpan(trace: TraceRecord, record: SpanRecord): Span {
    const span: Span = {
      traceId: trace.traceId,
      spanId: record.spanId,
      startSpan(options: StartSpanOptions): Span {
        const child = newRecord(
          options.name,
          options.spanType ?? "UNKNOWN",
          options.startTimeNs,
          record.spanId,
        );
        if (options.inputs !== undefined) setInputs(child, options.inputs);
        Object.assign(child.attributes, options.attributes);
        trace.spans.push(child);
        return makeSpan(trace, child);
      },
      setAttributes(attributes) {
        Object.assign(record.attributes, attributes);
        return span;
      },
      setInputs(inputs) {
        setInputs(record, inputs);
        return span;
      },
      setOutputs(outputs) {
        record.outputs = outputs;
        record.hasOutputs = true;
        return span;
      },
      addEvent(name, options) {
        record.events.push({
          name,
          timeNs: options?.timeNs ?? nowNs(),
          attributes: options?.attributes ?? {},
        });
        return span;
      },
      recordException(error) {
        const e = error instanceof Error ? error : new Error(String(error));
        record.events.push({
          name: "exception",
          timeNs: nowNs(),
          attributes: {
            "exception.type": e.name,
            "exception.message": e.message,
            "exception.stacktrace": e.stack ?? "",
          },
        });
        record.status = { code: "ERROR", message: `${e.name}: ${e.message}` };
        return span;
      },
      end(options?: EndSpanOptions) {
        if (record.endTimeNs !== undefined) return;
        record.endTimeNs = options?.endTimeNs ?? nowNs();
        if (options?.outputs !== undefined) span.setOutputs(options.outputs);
        if (options?.status !== undefined) {
          record.status = typeof options.status === "string"
            ? { code: options.status }
            : options.status;
        } else if (record.status.code === "UNSET") {
          record.status = { code: "OK" };
        }
        if (record.parentSpanId === undefined) exportOnRootEnd(trace, record);
      },
    };
    return span;
  }

  function exportOnRootEnd(trace: TraceRecord, root: SpanRecord): void {
    // Children still open when the root ends end with it, their status left unknown.
    for (const s of trace.spans) if (s.endTimeNs === undefined) s.endTimeNs = root.endTimeNs;
    // Serialised now: the text is what waits in memory until it is sent, and what is counted.
    const spansJson = stringifyWithBigInt({ spans: trace.spans.map((s) => spanToWire(trace, s)) });
    const bytes = spansJson.length + 4 * PREVIEW_CHARS;
    if (!ctx.reserve(1, bytes)) {
      ours.delete(trace.traceId);
      trace.exported = Promise.resolve(false);
      trace.waiting.splice(0);
      return;
    }
    ctx.counted();
    trace.exported = exportTrace(trace, root, spansJson).finally(() => ctx.release(1, bytes)).then(
      () => true,
      (error: unknown) => {
        ctx.report(asMlflowError(error, `export trace ${trace.traceId}`));
        return false;
      },
    );
    trace.done = trace.exported.then(async (ok) => {
      const waiting = trace.waiting.splice(0);
      if (ok) await Promise.all(waiting.map((send) => send()));
    }).finally(() => ours.delete(trace.traceId));
    ctx.track(trace.done);
  }

  async function exportTrace(
    trace: TraceRecord,
    root: SpanRecord,
    spansJson: string,
  ): Promise<void> {
    const { options } = trace;
    let experimentId = options.experimentId;
    let runId: string | undefined;
    if (options.run !== undefined) {
      const info = await ctx.runInfo(options.run);
      if (!info) throw new MlflowError("its run was not created", { errorCode: "RUN_NOT_CREATED" });
      runId = info.runId;
      experimentId ??= info.experimentId;
    }
    experimentId ??= await ctx.defaultExperimentId();

    const usage = { input_tokens: 0, output_tokens: 0, total_tokens: 0 };
    let hasUsage = false;
    for (const s of trace.spans) {
      const u = s.attributes["mlflow.chat.tokenUsage"] as Partial<typeof usage> | undefined;
      if (u && typeof u === "object") {
        hasUsage = true;
        usage.input_tokens += Number(u.input_tokens ?? 0);
        usage.output_tokens += Number(u.output_tokens ?? 0);
        usage.total_tokens += Number(
          u.total_tokens ?? (Number(u.input_tokens ?? 0) + Number(u.output_tokens ?? 0)),
        );
      }
    }
    const requestPreview = preview(root.inputs);
    const responsePreview = preview(root.outputs);
    const metadata: Record<string, string> = {
      ...options.metadata,
      "mlflow.trace_schema.version": "3",
      "mlflow.traceInputs": requestPreview,
      "mlflow.traceOutputs": responsePreview,
    };
    if (runId) metadata["mlflow.sourceRun"] = runId;
    if (hasUsage) metadata["mlflow.trace.tokenUsage"] = JSON.stringify(usage);
    metadata["mlflow.trace.sizeBytes"] = String(new TextEncoder().encode(spansJson).length);

    const response = await ctx.rest.request<
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
              mlflow_experiment: { experiment_id: experimentId },
            },
            request_time: nsToRfc3339(root.startTimeNs),
            execution_duration: nsToDuration(
              (root.endTimeNs ?? root.startTimeNs) - root.startTimeNs,
            ),
            state: root.status.code === "ERROR" ? "ERROR" : "OK",
            request_preview: requestPreview,
            response_preview: responsePreview,
            trace_metadata: metadata,
            tags: { "mlflow.traceName": root.name, ...options.tags },
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
    await ctx.rest.request({
      method: "PUT",
      endpoint: artifactEndpoint(location, "traces.json"),
      body: spansJson,
      contentType: "application/json",
      key: trace.traceId,
      runId,
    });
  }

  function logAssessment(traceId: string, assessment: Record<string, unknown>, what: string): void {
    const send = () =>
      ctx.assessments.send(traceId, assessment).then(
        () => {},
        (error: unknown) => ctx.report(asMlflowError(error, what)),
      );
    const trace = ours.get(traceId);
    if (trace && !trace.exported) {
      // Still open: the trace does not exist on the server yet. It goes out with the export, and
      // flush() does not wait for a trace whose root has not ended.
      trace.waiting.push(send);
    } else if (trace?.exported) {
      ctx.track(trace.exported.then((ok) => ok ? send() : undefined));
    } else {
      ctx.track(send());
    }
  }

  const tracer: Tracer = {
    startTrace(options) {
      ctx.assertOpen("startTrace");
      const hexId = randomHex(16);
      const trace: TraceRecord = {
        traceId: `tr-${hexId}`,
        hexId,
        options,
        spans: [],
        waiting: [],
      };
      ours.set(trace.traceId, trace);
      const root = newRecord(
        options.name,
        options.spanType ?? "CHAIN",
        options.startTimeNs,
        undefined,
      );
      if (options.inputs !== undefined) setInputs(root, options.inputs);
      Object.assign(root.attributes, options.attributes);
      trace.spans.push(root);
      return makeSpan(trace, root);
    },
    async trace(name, fn, options = {}) {
      ctx.assertOpen("trace");
      const span = options.parent
        ? options.parent.startSpan({
          name,
          spanType: options.spanType,
          inputs: options.inputs,
          attributes: options.attributes,
        })
        : tracer.startTrace({
          name,
          spanType: options.spanType,
          inputs: options.inputs,
          attributes: options.attributes,
          run: options.run,
          experimentId: options.experimentId,
        });
      try {
        const result = await fn(span);
        span.end({ outputs: result });
        return result;
      } catch (error) {
        span.recordException(error);
        span.end();
        throw error;
      }
    },
    logFeedback(options) {
      ctx.assertOpen("logFeedback");
      checkAssessmentName(options.name, "logFeedback");
      const feedback: Record<string, unknown> = options.error
        ? {
          error: {
            error_code: options.error.errorCode ?? "ERROR",
            error_message: options.error.errorMessage,
          },
        }
        : { value: options.value };
      logAssessment(options.traceId, {
        assessment_name: options.name,
        span_id: options.spanId,
        source: wireSource(options.source ?? { sourceType: "CODE", sourceId: "evalhooks" }),
        feedback,
        rationale: options.rationale,
        metadata: options.metadata,
      }, `log feedback '${options.name}' on ${options.traceId}`);
    },
    logExpectation(options) {
      ctx.assertOpen("logExpectation");
      checkAssessmentName(options.name, "logExpectation");
      const value = options.value;
      // Structured expectations travel serialised, as MLflow's Python client sends them.
      const expectation = value !== null && typeof value === "object"
        ? {
          serialized_value: { serialization_format: "JSON_FORMAT", value: JSON.stringify(value) },
        }
        : { value };
      logAssessment(options.traceId, {
        assessment_name: options.name,
        span_id: options.spanId,
        source: wireSource(options.source ?? { sourceType: "HUMAN", sourceId: "evalhooks" }),
        expectation,
        metadata: options.metadata,
      }, `log expectation '${options.name}' on ${options.traceId}`);
    },
    async getTrace(traceId) {
      const trace = ours.get(traceId);
      if (trace?.done) await trace.done; // read your own writes
      const response = await ctx.rest.request<{ trace: { trace_info: WireTraceInfo } }>({
        method: "GET",
        endpoint: `${TRACES}/${encodeURIComponent(traceId)}`,
        key: traceId,
      });
      const info = toTraceInfo(response.trace.trace_info);
      const location = info.tags["mlflow.artifactLocation"];
      let spans: SpanData[] = [];
      if (location) {
        const bytes = await ctx.rest.request<Uint8Array>({
          method: "GET",
          endpoint: artifactEndpoint(location, "traces.json"),
          responseType: "bytes",
          key: traceId,
        });
        spans = parseSpans(new TextDecoder().decode(bytes));
      }
      return { info, spans };
    },
    async searchTraces(options) {
      const out: TraceInfo[] = [];
      const limit = options.maxResults ?? Infinity;
      let pageToken: string | undefined;
      do {
        const page = await ctx.rest.request<{ traces?: WireTraceInfo[]; next_page_token?: string }>(
          {
            method: "POST",
            endpoint: `${TRACES}/search`,
            json: {
              locations: options.experimentIds.map((id) => ({
                type: "MLFLOW_EXPERIMENT",
                mlflow_experiment: { experiment_id: id },
              })),
              filter: options.filter,
              order_by: options.orderBy,
              max_results: Math.min(500, limit - out.length),
              page_token: pageToken,
            },
          },
        );
        for (const t of page.traces ?? []) out.push(toTraceInfo(t));
        pageToken = page.next_page_token || undefined;
      } while (pageToken && out.length < limit);
      return out;
    },
  };
  return tracer;
}

function newRecord(
  name: string,
  spanType: string,
  startTimeNs: bigint | undefined,
  parentSpanId: string | undefined,
): SpanRecord {
  return {
    spanId: randomHex(8),
    parentSpanId,
    name,
    spanType,
    startTimeNs: startTimeNs ?? nowNs(),
    status: { code: "UNSET" },
    attributes: {},
    events: [],
    hasInputs: false,
    hasOutputs: false,
  };
}

function setInputs(record: SpanRecord, inputs: unknown): void {
  record.inputs = inputs;
  record.hasInputs = true;
}

// Span attributes hold JSON text (that is how MLflow's Python SDK stores and reads them).
function spanToWire(trace: TraceRecord, s: SpanRecord): Record<string, unknown> {
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

function safeJson(value: unknown): string {
  try {
    return stringifyWithBigInt(value === undefined ? null : value);
  } catch {
    return JSON.stringify(String(value)); // a cycle: keep something readable rather than fail the trace
  }
}

function preview(value: unknown): string {
  if (value === undefined) return "";
  const text = typeof value === "string" ? value : safeJson(value);
  return cutWithEllipsis(text, PREVIEW_CHARS);
}

function checkAssessmentName(name: string, call: string): void {
  if (typeof name !== "string" || name === "" || name.includes(".")) {
    throw new MlflowError(
      `${call}: assessment name ${JSON.stringify(name)} must be non-empty and contain no '.'`,
      {
        errorCode: "INVALID_PARAMETER_VALUE",
        endpoint: call,
        key: String(name),
      },
    );
  }
}

function wireSource(source: { sourceType: string; sourceId: string }) {
  return { source_type: source.sourceType, source_id: source.sourceId };
}

interface WireAssessment {
  assessment_id?: string;
  assessment_name: string;
  source?: { source_type: "CODE" | "HUMAN" | "LLM_JUDGE"; source_id: string };
  feedback?: { value?: unknown };
  expectation?: { value?: unknown; serialized_value?: { value: string } };
  rationale?: string;
  metadata?: Record<string, string>;
  span_id?: string;
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

function toAssessment(a: WireAssessment): Assessment {
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
  return out;
}

/** Parses `traces.json`, keeping nanosecond times exact. */
export function parseSpans(text: string): SpanData[] {
  // Quote the nanosecond integers before JSON.parse rounds them to doubles.
  const quoted = text.replace(/"((?:start_|end_)?time_unix_nano)"\s*:\s*(-?\d+)/g, '"$1":"$2"');
  const data = JSON.parse(quoted) as { spans?: Record<string, unknown>[] };
  const decode = (v: unknown) => {
    if (typeof v !== "string") return v;
    try {
      return JSON.parse(v);
    } catch {
      return v;
    }
  };
  return (data.spans ?? []).map((s) => {
    const attributes = Object.fromEntries(
      Object.entries((s.attributes ?? {}) as Record<string, unknown>).map((
        [k, v],
      ) => [k, decode(v)]),
    );
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
      events: ((s.events ?? []) as {
        name: string;
        time_unix_nano: string;
        attributes?: Record<string, unknown>;
      }[])
        .map((e) => ({
          name: e.name,
          timeNs: BigInt(e.time_unix_nano),
          attributes: e.attributes ?? {},
        })),
    };
    if (s.parent_span_id) out.parentSpanId = base64ToHex(String(s.parent_span_id));
    return out;
  });
}
