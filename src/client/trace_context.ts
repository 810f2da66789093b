// Copyright 2026 the evalhooks authors. MIT license.
// This module is browser compatible.

import type { MlflowError } from "../base/errors.ts";
import type { AssessmentSender } from "../store/assessments.ts";
import type { RestClient } from "../transport/rest.ts";
import type { SpanExporter } from "./span_export.ts";
import type { MlflowClient, Run, RunInfo } from "./types.ts";

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
  /** Sends finished traces' spans, many traces to a request. */
  spans: SpanExporter;
  /** Metadata on every trace this client starts, under the caller's own (source_tags.ts). */
  sourceTags: Record<string, string>;
  /** The client these traces belong to, for the active context (active.ts). */
  client(): MlflowClient;
  /** The active logged model (`setActiveModel`), whose id traces carry as `mlflow.modelId`. */
  activeModelId(): string | undefined;
}

/** The tracing half of the client: these methods of {@linkcode MlflowClient}, documented there. */
export type Tracer = Pick<
  MlflowClient,
  | "startTrace"
  | "trace"
  | "logFeedback"
  | "logExpectation"
  | "getTrace"
  | "searchTraces"
  | "setTraceTag"
  | "deleteTraceTag"
  | "deleteTraces"
  | "updateAssessment"
  | "overrideFeedback"
>;
