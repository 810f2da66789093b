// Copyright 2026 the evalhooks authors. MIT license.
// This module is browser compatible.

// Spans as the user holds them: each call records into the span's record; ending the root span
// hands the whole trace to the exporter.

import type { SpanRecord } from "../store/spans.ts";
import { nowNs, randomHex } from "../store/trace_ids.ts";
import { formatTraceparent, type RemoteParent } from "./traceparent.ts";
import type { EndSpanOptions, Span, StartSpanOptions, StartTraceOptions } from "./trace_types.ts";

/** A trace this client is building, until its export is done. */
export interface TraceRecord {
  traceId: string;
  hexId: string;
  options: StartTraceOptions;
  /** Its spans in this process; the first is this process's root. */
  spans: SpanRecord[];
  /**
   * Set when the trace was begun in another process: the root hangs under that process's span,
   * and the trace's info is that process's to write.
   */
  remote?: RemoteParent;
  /** Settles true once the trace is on the server (false if its export failed, reported). */
  exported?: Promise<boolean>;
  /**
   * Assessments logged before the trace-info request was built (while the trace was open, or in
   * the same tick as its end): they ride in that request, each with an id of ours, so one
   * request carries a scored trace and a re-sent one cannot duplicate them.
   */
  riding: Record<string, unknown>[];
  /** The trace-info request is built: later assessments are sent on their own. */
  sealed: boolean;
  /** Export and every assessment sent with it. */
  done?: Promise<void>;
}

/** The handle of span `record` of `trace`. */
export function makeSpan(
  trace: TraceRecord,
  record: SpanRecord,
  onRootEnd: (trace: TraceRecord, root: SpanRecord) => void,
): Span {
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
      return makeSpan(trace, child, onRootEnd);
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
      if (record === trace.spans[0]) onRootEnd(trace, record);
    },
    traceHeaders() {
      return { traceparent: formatTraceparent(trace.hexId, record.spanId) };
    },
  };
  return span;
}

/** A new open span record; its start is now unless given. */
export function newRecord(
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

/** Sets a span's inputs (undefined inputs are still inputs once set). */
export function setInputs(record: SpanRecord, inputs: unknown): void {
  record.inputs = inputs;
  record.hasInputs = true;
}
