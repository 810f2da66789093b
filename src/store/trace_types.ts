// Copyright 2026 the evalhooks authors. MIT license.
// This module is browser compatible.

// What the server holds about traces, as this client returns it: read back by the store.

/**
 * A span's outcome.
 *
 * @example
 * ```ts
 * import { createMlflow, type SpanStatus } from "@evalhooks/mlflow";
 *
 * const mlflow = createMlflow({ trackingUri: "http://127.0.0.1:5000" });
 * const span = mlflow.startTrace({ name: "call" });
 * const status: SpanStatus = { code: "ERROR", message: "rate limited" };
 * span.end({ status });
 * ```
 */
export interface SpanStatus {
  /** `OK`, `ERROR`, or `UNSET` (not known). */
  code: "OK" | "ERROR" | "UNSET";
  /** Why, for errors. */
  message?: string;
}

/**
 * Who made an assessment.
 *
 * @example
 * ```ts
 * import type { AssessmentSource } from "@evalhooks/mlflow";
 *
 * const source: AssessmentSource = { sourceType: "CODE", sourceId: "exact_match" };
 * ```
 */
export interface AssessmentSource {
  /** `CODE`, `HUMAN` or `LLM_JUDGE`. */
  sourceType: "CODE" | "HUMAN" | "LLM_JUDGE";
  /** Which scorer, person or judge. */
  sourceId: string;
}

/**
 * An assessment as read back.
 *
 * @example
 * ```ts
 * import { createMlflow } from "@evalhooks/mlflow";
 *
 * const mlflow = createMlflow({ trackingUri: "http://127.0.0.1:5000" });
 * const { info } = await mlflow.getTrace("tr-0123456789abcdef0123456789abcdef");
 * for (const a of info.assessments) console.log(a.name, a.kind, a.value, a.rationale);
 * ```
 */
export interface Assessment {
  /** Assessment id. */
  assessmentId: string;
  /** Name. */
  name: string;
  /** `feedback` or `expectation`. */
  kind: "feedback" | "expectation";
  /** The value. */
  value: unknown;
  /** Who made it. */
  source?: AssessmentSource;
  /** Why. */
  rationale?: string;
  /** Metadata. */
  metadata: Record<string, string>;
  /** The span it is about. */
  spanId?: string;
  /** A feedback's error instead of a value (its scorer failed). */
  error?: { errorCode: string; errorMessage: string; stackTrace?: string };
  /** The assessment this one overrides (`overrideFeedback`). */
  overrides?: string;
  /** False once another assessment overrides this one. */
  valid?: boolean;
}

/**
 * A trace's info as read back.
 *
 * @example
 * ```ts
 * import { createMlflow } from "@evalhooks/mlflow";
 *
 * const mlflow = createMlflow({ trackingUri: "http://127.0.0.1:5000" });
 * const traces = await mlflow.searchTraces({ experimentIds: ["1"] });
 * for (const t of traces) console.log(t.traceId, t.state, t.executionDurationMs, t.metadata["mlflow.sourceRun"]);
 * ```
 */
export interface TraceInfo {
  /** `tr-…`. */
  traceId: string;
  /** Experiment. */
  experimentId: string;
  /** Start, ms since the epoch. */
  requestTime: number;
  /** Duration in ms. */
  executionDurationMs: number;
  /** `OK`, `ERROR` or `IN_PROGRESS`. */
  state: string;
  /** Preview of the inputs. */
  requestPreview: string;
  /** Preview of the outputs. */
  responsePreview: string;
  /** Trace metadata. */
  metadata: Record<string, string>;
  /** Trace tags. */
  tags: Record<string, string>;
  /** Assessments. */
  assessments: Assessment[];
}

/**
 * A span as read back: times exact, attributes decoded from their JSON form.
 *
 * @example
 * ```ts
 * import { createMlflow } from "@evalhooks/mlflow";
 *
 * const mlflow = createMlflow({ trackingUri: "http://127.0.0.1:5000" });
 * const { spans } = await mlflow.getTrace("tr-0123456789abcdef0123456789abcdef");
 * for (const s of spans) console.log(s.name, s.spanType, s.status.code, s.endTimeNs - s.startTimeNs);
 * ```
 */
export interface SpanData {
  /** Span id (hex). */
  spanId: string;
  /** Parent span id (hex), absent for the root. */
  parentSpanId?: string;
  /** Name. */
  name: string;
  /** `mlflow.spanType`. */
  spanType: string;
  /** Start, ns since the epoch. */
  startTimeNs: bigint;
  /** End, ns since the epoch. */
  endTimeNs: bigint;
  /** Status. */
  status: SpanStatus;
  /** `mlflow.spanInputs`. */
  inputs: unknown;
  /** `mlflow.spanOutputs`. */
  outputs: unknown;
  /** Every attribute, decoded. */
  attributes: Record<string, unknown>;
  /** Events. */
  events: { name: string; timeNs: bigint; attributes: Record<string, unknown> }[];
}

/**
 * Options of `searchTraces`.
 *
 * @example
 * ```ts
 * import { createMlflow, type SearchTracesOptions } from "@evalhooks/mlflow";
 *
 * const mlflow = createMlflow({ trackingUri: "http://127.0.0.1:5000" });
 * const options: SearchTracesOptions = {
 *   experimentIds: ["1"],
 *   filter: "metadata.`mlflow.sourceRun` = '0123456789abcdef0123456789abcdef'",
 *   orderBy: ["timestamp_ms DESC"],
 * };
 * const traces = await mlflow.searchTraces(options);
 * ```
 */
export interface SearchTracesOptions {
  /** Experiments to search. */
  experimentIds: string[];
  /** MLflow trace filter. */
  filter?: string;
  /** Ordering, e.g. `["timestamp_ms DESC"]`. */
  orderBy?: string[];
  /** Stop after this many (every page is read otherwise). */
  maxResults?: number;
}
