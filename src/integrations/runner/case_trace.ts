// Copyright 2026 the evalhooks authors. MIT license.
// This module is browser compatible.

// One eval case of a test-runner-style eval framework (vitest-evals, Evalite) as one MLflow
// trace, the way evaluate() traces a row: the root span's request is the case's input and its
// response the output, the expected value is an expectation, each score is feedback on the root
// span naming the run, and the framework's own LLM calls or spans become child spans.

import type { SpanType } from "../../client/trace_types.ts";
import type { MlflowClient, Run } from "../../client/types.ts";
import type { RowResult, RowScore } from "../../evaluate/types.ts";
import { feedbackName, uniqueNames } from "./names.ts";

/** One score of a case. */
export interface RunnerScore {
  /** Scorer name (made a valid feedback name here). */
  name: string;
  /** The value; null is "no score": logged without a value, left out of the mean. */
  value: number | boolean | null;
  /** Why. */
  rationale?: string;
  /** Who scored it: the feedback source's id. @default {the name} */
  sourceId?: string;
  /** String metadata. */
  metadata?: Record<string, string>;
}

/** A span the framework recorded inside the case (an LLM call, a tool call). */
export interface RunnerSpan {
  /** Span name. */
  name: string;
  /** Span type. */
  spanType: SpanType;
  /** Start, ms since the epoch. */
  startMs: number;
  /** End, ms since the epoch. */
  endMs: number;
  /** Inputs. */
  inputs?: unknown;
  /** Outputs. */
  outputs?: unknown;
  /** Attributes (token usage as `mlflow.chat.tokenUsage`). */
  attributes?: Record<string, unknown>;
  /** Its error, if it failed. */
  error?: string;
}

/** One case, read from the framework's record of it. */
export interface RunnerCase {
  /** Position in its suite. */
  index: number;
  /** Trace name: the case's test name. */
  name: string;
  /** The request. */
  inputs: unknown;
  /** The response. */
  outputs?: unknown;
  /** The ground truth, when the framework knows it. */
  expectations?: unknown;
  /** Start, ms since the epoch. */
  startMs: number;
  /** The case's duration in ms. */
  durationMs: number;
  /** The task's error (not a failed score or assertion). */
  error?: string;
  /** Scores, in order. */
  scores: RunnerScore[];
  /** Child spans. */
  spans?: RunnerSpan[];
  /** Root span attributes. */
  attributes?: Record<string, unknown>;
  /** Trace metadata. */
  metadata?: Record<string, string>;
}

const ns = (ms: number) => BigInt(Math.round(ms * 1000)) * 1_000n;

/**
 * Traces `c` in `run` and logs its scores as feedback and its expected value as expectations;
 * returns it as a row of evaluate()'s results, which the run's aggregates are computed from.
 */
export function traceRunnerCase(mlflow: MlflowClient, run: Run, c: RunnerCase): RowResult {
  const startMs = Number.isFinite(c.startMs) ? c.startMs : Date.now();
  const endMs = startMs + Math.max(0, Number.isFinite(c.durationMs) ? c.durationMs : 0);
  const root = mlflow.startTrace({
    name: c.name || `case:${c.index}`,
    run,
    inputs: c.inputs,
    attributes: c.attributes,
    startTimeNs: ns(startMs),
    metadata: { "eval.row": String(c.index), ...c.metadata },
    tags: { "mlflow.eval.requestId": crypto.randomUUID() },
  });
  for (const s of c.spans ?? []) {
    root.startSpan({
      name: s.name,
      spanType: s.spanType,
      inputs: s.inputs,
      attributes: s.attributes,
      startTimeNs: ns(s.startMs),
    }).end({
      outputs: s.outputs,
      status: s.error ? { code: "ERROR", message: s.error } : "OK",
      endTimeNs: ns(Math.max(s.endMs, s.startMs)),
    });
  }
  root.end({
    outputs: c.outputs,
    status: c.error ? { code: "ERROR", message: c.error } : "OK",
    endTimeNs: ns(endMs),
  });
  const unique = uniqueNames();
  const scores: Record<string, RowScore> = {};
  for (const score of c.scores) {
    const name = unique(feedbackName(score.name));
    scores[name] = { value: score.value ?? undefined, rationale: score.rationale };
    mlflow.logFeedback({
      traceId: root.traceId,
      spanId: root.spanId,
      run,
      name,
      value: score.value,
      rationale: score.rationale,
      source: { sourceType: "CODE", sourceId: score.sourceId ?? score.name },
      metadata: score.metadata && Object.keys(score.metadata).length ? score.metadata : undefined,
    });
  }
  if (c.expectations !== undefined) {
    // As evaluate() logs a row's: a record's fields by name, anything else as expected_response.
    const expectations =
      c.expectations && typeof c.expectations === "object" && !Array.isArray(c.expectations)
        ? Object.entries(c.expectations as Record<string, unknown>)
        : [["expected_response", c.expectations] as [string, unknown]];
    for (const [name, value] of expectations) {
      if (!name.includes(".") && value !== undefined) {
        mlflow.logExpectation({ traceId: root.traceId, spanId: root.spanId, run, name, value });
      }
    }
  }
  return {
    index: c.index,
    inputs: c.inputs,
    outputs: c.outputs,
    expectations: c.expectations,
    scores,
    error: c.error,
    latencyMs: endMs - startMs,
    traceId: root.traceId,
  };
}
