// Copyright 2026 the evalhooks authors. MIT license.
// This module is browser compatible.

import type { Run } from "./run_types.ts";
import type {
  Assessment,
  AssessmentSource,
  SearchTracesOptions,
  SpanData,
  SpanStatus,
  TraceInfo,
} from "../store/trace_types.ts";

// What the server holds is the store's; re-exported so the public types stay in one place.
export type { Assessment, AssessmentSource, SearchTracesOptions, SpanData, SpanStatus, TraceInfo };

/**
 * Span types as MLflow defines them (`mlflow.entities.SpanType`); any other string is kept as is.
 *
 * @example
 * ```ts
 * import { createMlflow, type SpanType } from "@evalhooks/mlflow";
 *
 * const mlflow = createMlflow({ trackingUri: "http://127.0.0.1:5000" });
 * const root = mlflow.startTrace({ name: "agent" });
 * const type: SpanType = "TOOL";
 * root.startSpan({ name: "search", spanType: type }).end();
 * root.end();
 * ```
 */
export type SpanType =
  | "LLM"
  | "CHAT_MODEL"
  | "CHAIN"
  | "AGENT"
  | "TOOL"
  | "RETRIEVER"
  | "EMBEDDING"
  | "RERANKER"
  | "PARSER"
  | "MEMORY"
  | "EVALUATOR"
  | "UNKNOWN"
  | (string & Record<never, never>);

/**
 * Options of `mlflow.startTrace`.
 *
 * @example
 * ```ts
 * import { createMlflow, type StartTraceOptions } from "@evalhooks/mlflow";
 *
 * const mlflow = createMlflow({ trackingUri: "http://127.0.0.1:5000" });
 * const options: StartTraceOptions = {
 *   name: "answer-question",
 *   inputs: { question: "What is 2 + 2?" },
 *   metadata: { "dataset.row": "17" },
 *   tags: { suite: "qa" },
 * };
 * const root = mlflow.startTrace(options);
 * root.end({ outputs: { answer: "4" } });
 * ```
 */
export interface StartTraceOptions {
  /** Name of the trace and its root span. */
  name: string;
  /** Experiment; defaults to the run's, then the client's. */
  experimentId?: string;
  /** Run the trace belongs to (`mlflow.sourceRun`); it then lands in that run's experiment. */
  run?: Run | string;
  /** Root span inputs (the trace's request). */
  inputs?: unknown;
  /** Root span type. @default {"CHAIN"} */
  spanType?: SpanType;
  /** Root span attributes. */
  attributes?: Record<string, unknown>;
  /** Trace metadata (string values; immutable once logged). */
  metadata?: Record<string, string>;
  /** Trace tags. */
  tags?: Record<string, string>;
  /**
   * The conversation or session the trace belongs to: the metadata `mlflow.trace.session`, by
   * which MLflow's Sessions view groups traces (one multi-turn chat, one sample's epochs).
   */
  session?: string;
  /** The end user the trace served: the metadata `mlflow.trace.user`. */
  user?: string;
  /**
   * The logged model (agent version) that made it: the metadata `mlflow.modelId`, by which MLflow's
   * Agent versions view lists a version's traces. @default {the active model (`setActiveModel`)}
   */
  modelId?: string;
  /** Start time in ns since the epoch. @default {now} */
  startTimeNs?: bigint;
  /**
   * Continues a trace begun in another process: its W3C `traceparent` header value, or the
   * `Headers` or `Request` that carry it. This process's spans then join that trace under the
   * remote span, and the trace's info stays the other process's to write (so `run`, `metadata`
   * and `tags` are not sent; scores logged on it go on their own once its spans are stored).
   * Needs MLflow's OTLP endpoint (`/v1/traces`, MLflow 3.x).
   */
  traceparent?: string | Headers | { headers: Headers };
}

/**
 * Options of `span.startSpan`.
 *
 * @example
 * ```ts
 * import { createMlflow, type StartSpanOptions } from "@evalhooks/mlflow";
 *
 * const mlflow = createMlflow({ trackingUri: "http://127.0.0.1:5000" });
 * const root = mlflow.startTrace({ name: "eval-row" });
 * const options: StartSpanOptions = {
 *   name: "model:gpt-4o-mini",
 *   spanType: "CHAT_MODEL",
 *   inputs: { messages: [{ role: "user", content: "Hi" }] },
 * };
 * root.startSpan(options).end({ outputs: { choices: [{ message: { role: "assistant", content: "Hello" } }] } });
 * root.end();
 * ```
 */
export interface StartSpanOptions {
  /** Span name. */
  name: string;
  /** Span type. @default {"UNKNOWN"} */
  spanType?: SpanType;
  /** Inputs (`mlflow.spanInputs`). */
  inputs?: unknown;
  /** Attributes. */
  attributes?: Record<string, unknown>;
  /** Start time in ns since the epoch. @default {now} */
  startTimeNs?: bigint;
}

/**
 * Options of `span.end`.
 *
 * @example
 * ```ts
 * import { createMlflow, type EndSpanOptions } from "@evalhooks/mlflow";
 *
 * const mlflow = createMlflow({ trackingUri: "http://127.0.0.1:5000" });
 * const root = mlflow.startTrace({ name: "row" });
 * const options: EndSpanOptions = { outputs: "done", status: "OK" };
 * root.end(options);
 * ```
 */
export interface EndSpanOptions {
  /** Outputs (`mlflow.spanOutputs`). */
  outputs?: unknown;
  /** Status; `OK` unless an exception was recorded. */
  status?: SpanStatus | SpanStatus["code"];
  /** End time in ns since the epoch. @default {now} */
  endTimeNs?: bigint;
}

/**
 * A span of a trace. Children are made from their parent explicitly (no hidden global context),
 * so concurrent work never mixes traces. Ending the root span exports the whole trace.
 *
 * @example
 * ```ts
 * import { createMlflow } from "@evalhooks/mlflow";
 *
 * const mlflow = createMlflow({ trackingUri: "http://127.0.0.1:5000" });
 * const root = mlflow.startTrace({ name: "agent", inputs: { task: "weather in Paris" } });
 * const tool = root.startSpan({ name: "tool:get_weather", spanType: "TOOL", inputs: { city: "Paris" } });
 * tool.recordException(new Error("upstream timeout"));
 * tool.end();
 * root.end({ outputs: { answer: "unknown" } });
 * await mlflow.flush();
 * ```
 */
export interface Span {
  /** The trace id (`tr-` and 32 hex digits). */
  readonly traceId: string;
  /** This span's id (16 hex digits). */
  readonly spanId: string;
  /** Starts a child span. */
  startSpan(options: StartSpanOptions): Span;
  /** Sets attributes (any JSON value). */
  setAttributes(attributes: Record<string, unknown>): Span;
  /** Sets the inputs. */
  setInputs(inputs: unknown): Span;
  /** Sets the outputs. */
  setOutputs(outputs: unknown): Span;
  /** Adds a timestamped event. */
  addEvent(name: string, options?: { attributes?: Record<string, unknown>; timeNs?: bigint }): Span;
  /** Records an exception event and marks the span `ERROR`. */
  recordException(error: unknown): Span;
  /** Ends the span; ending the root exports the trace. Ending twice does nothing. */
  end(options?: EndSpanOptions): void;
  /**
   * The W3C `traceparent` header pointing at this span, for an HTTP call whose handler continues
   * the trace (`startTrace({ traceparent })` here, or MLflow Python's
   * `set_tracing_context_from_http_request_headers`): `fetch(url, { headers: span.traceHeaders() })`.
   */
  traceHeaders(): { traceparent: string };
}

/**
 * Options of `mlflow.trace`.
 *
 * @example
 * ```ts
 * import { createMlflow, type TraceFnOptions } from "@evalhooks/mlflow";
 *
 * const mlflow = createMlflow({ trackingUri: "http://127.0.0.1:5000" });
 * const options: TraceFnOptions = { spanType: "RETRIEVER", inputs: { query: "mlflow" } };
 * const docs = await mlflow.trace("retrieve", async () => ["doc-1", "doc-2"], options);
 * ```
 */
export interface TraceFnOptions {
  /** Span type. @default {"CHAIN"} for a new trace, {"UNKNOWN"} for a child */
  spanType?: SpanType;
  /** Parent span; without one, a new trace is started. */
  parent?: Span;
  /** Inputs to record. */
  inputs?: unknown;
  /** Attributes. */
  attributes?: Record<string, unknown>;
  /** For a new trace: the run it belongs to. */
  run?: Run | string;
  /** For a new trace: its experiment. */
  experimentId?: string;
  /** For a new trace: its session (`mlflow.trace.session`). */
  session?: string;
  /** For a new trace: its user (`mlflow.trace.user`). */
  user?: string;
}

/**
 * A feedback (a score) on a trace, as `mlflow.log_feedback` logs it.
 *
 * @example
 * ```ts
 * import { createMlflow, type FeedbackOptions } from "@evalhooks/mlflow";
 *
 * const mlflow = createMlflow({ trackingUri: "http://127.0.0.1:5000" });
 * const feedback: FeedbackOptions = {
 *   traceId: "tr-0123456789abcdef0123456789abcdef",
 *   name: "correctness",
 *   value: true,
 *   rationale: "matches the reference answer",
 *   source: { sourceType: "CODE", sourceId: "exact_match" },
 * };
 * mlflow.logFeedback(feedback);
 * ```
 */
export interface FeedbackOptions {
  /** The trace. */
  traceId: string;
  /** Assessment name (no `.`; it becomes a column in MLflow's Traces view). */
  name: string;
  /** The value: number, boolean, string, or any JSON. */
  value: unknown;
  /** Who made it. @default {{ sourceType: "CODE", sourceId: "evalhooks" }} */
  source?: AssessmentSource;
  /** Why. */
  rationale?: string;
  /** String metadata. */
  metadata?: Record<string, string>;
  /** A span of the trace it is about. */
  spanId?: string;
  /**
   * The run that made it (a handle or an id): written as the metadata
   * `mlflow.assessment.sourceRunId` once the run exists, which MLflow's Evaluation runs view
   * reads to show a run's scores.
   */
  run?: Run | string;
  /** An error instead of a value (the scorer failed); the stack is cut to 2,000 characters. */
  error?: { errorCode?: string; errorMessage: string; stackTrace?: string };
}

/**
 * An expectation (ground truth) on a trace, as `mlflow.log_expectation` logs it.
 *
 * @example
 * ```ts
 * import { createMlflow, type ExpectationOptions } from "@evalhooks/mlflow";
 *
 * const mlflow = createMlflow({ trackingUri: "http://127.0.0.1:5000" });
 * const expectation: ExpectationOptions = {
 *   traceId: "tr-0123456789abcdef0123456789abcdef",
 *   name: "expected_answer",
 *   value: "Paris",
 * };
 * mlflow.logExpectation(expectation);
 * ```
 */
export interface ExpectationOptions {
  /** The trace. */
  traceId: string;
  /** Name (no `.`). */
  name: string;
  /** The expected value (any JSON). */
  value: unknown;
  /** Who set it. @default {{ sourceType: "HUMAN", sourceId: "evalhooks" }} */
  source?: AssessmentSource;
  /** String metadata. */
  metadata?: Record<string, string>;
  /** A span of the trace it is about. */
  spanId?: string;
  /** The run that set it: the metadata `mlflow.assessment.sourceRunId`, as on feedback. */
  run?: Run | string;
}
