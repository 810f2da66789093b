// Copyright 2026 the evalhooks authors. MIT license.
// This module is browser compatible.

// One row of an evaluation: predict (unless the row brings its outputs), score, and log the
// scores as feedback and step metrics and the expectations on the row's trace.

import { withActiveContext } from "../client/active.ts";
import type { MlflowClient, Run } from "../client/types.ts";
import type { EvalRow, EvaluateOptions, RowResult, RowScore } from "./types.ts";
import type { ScorerResult, ScoreValue } from "./scorers.ts";

/** Evaluates row `i` under its own trace, inside `run`. */
export async function evaluateRow(
  mlflow: MlflowClient,
  run: Run,
  options: EvaluateOptions,
  row: EvalRow,
  i: number,
): Promise<RowResult> {
  const root = mlflow.startTrace({
    name: `row:${i}`,
    run,
    inputs: row.inputs,
    metadata: { "eval.row": String(i) },
  });
  const result: RowResult = {
    index: i,
    inputs: row.inputs,
    expectations: row.expectations,
    scores: {},
    latencyMs: 0,
    traceId: root.traceId,
  };
  const started = performance.now();
  if (row.outputs !== undefined || !options.predict) {
    result.outputs = row.outputs;
  } else {
    const span = root.startSpan({ name: "predict", spanType: "CHAIN", inputs: row.inputs });
    try {
      // A wrapped SDK call inside predict lands in this span, and its usage in the run.
      const predict = options.predict;
      result.outputs = await withActiveContext(
        { mlflow, span, run },
        () => predict(row.inputs, { span, index: i }),
      );
      span.end({ outputs: result.outputs });
    } catch (error) {
      result.error = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      span.recordException(error);
      span.end();
    }
  }
  result.latencyMs = performance.now() - started;
  if (result.error === undefined) {
    for (const s of options.scorers) {
      try {
        // A judge's LLM calls show in the row's trace, beside predict.
        const out = await withActiveContext({ mlflow, span: root, run }, () =>
          s.fn({
            inputs: row.inputs,
            outputs: result.outputs,
            expectations: row.expectations,
            trace: { traceId: root.traceId },
            latencyMs: result.latencyMs,
          }));
        for (const [name, score] of normalize(s.name, out)) result.scores[name] = score;
      } catch (error) {
        result.scores[s.name] = { error: error instanceof Error ? error.message : String(error) };
      }
    }
  }
  root.end({
    outputs: result.outputs,
    status: result.error ? { code: "ERROR", message: result.error } : "OK",
  });
  for (const [name, score] of Object.entries(result.scores)) {
    mlflow.logFeedback({
      traceId: root.traceId,
      name,
      value: score.value ?? null,
      rationale: score.rationale,
      source: { sourceType: "CODE", sourceId: name.split("/")[0] },
      error: score.error ? { errorCode: "SCORER_ERROR", errorMessage: score.error } : undefined,
    });
    if (typeof score.value === "number" || typeof score.value === "boolean") {
      run.logMetric(name, Number(score.value), { step: i });
    }
  }
  if (row.expectations !== undefined) {
    const expectations =
      row.expectations && typeof row.expectations === "object" && !Array.isArray(row.expectations)
        ? Object.entries(row.expectations as Record<string, unknown>)
        : [["expected_response", row.expectations] as [string, unknown]];
    for (const [name, value] of expectations) {
      if (!name.includes(".")) mlflow.logExpectation({ traceId: root.traceId, name, value });
    }
  }
  run.logMetric("latency_ms", result.latencyMs, { step: i });
  return result;
}

function normalize(scorerName: string, result: ScorerResult): [string, RowScore][] {
  const one = (v: ScoreValue): RowScore =>
    typeof v === "object" && v !== null ? { value: v.value, rationale: v.rationale } : { value: v };
  const isSingle = typeof result !== "object" || result === null ||
    ("value" in result && Object.keys(result).every((k) => k === "value" || k === "rationale"));
  if (isSingle) return [[scorerName, one(result as ScoreValue)]];
  return Object.entries(result as Record<string, ScoreValue>).map((
    [k, v],
  ) => [`${scorerName}/${k}`, one(v)]);
}
