// Copyright 2026 the evalhooks authors. MIT license.
// This module is browser compatible.

import type { MlflowError } from "../base/errors.ts";
import type { AssessmentSender } from "../store/assessments.ts";
import type { RestClient } from "../transport/rest.ts";
import type {
  ExpectationOptions,
  FeedbackOptions,
  SearchTracesOptions,
  Span,
  SpanData,
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
