// Copyright 2026 the evalhooks authors. MIT license.
// This module is browser compatible.

// One row of an evaluation, traced as `mlflow.genai.evaluate` traces it: one trace whose root
// span is the predict call (named after the function; `root_span` when the row brings its own
// outputs), the scores as feedback on that span and the expectations beside them, each naming
// the run that made it (`mlflow.assessment.sourceRunId`, which the Evaluation runs view reads).

import { withActiveContext } from "../client/active.ts";
import type { MlflowClient, Run } from "../client/types.ts";
import { scorerDigest } from "./lineage.ts";
import type { EvalRow, EvaluateOptions, RowResult, RowScore } from "./types.ts";
import type { Scorer, ScorerResult, ScoreValue } from "./scorers.ts";

/** Evaluates row `i` under its own trace, inside `run`. */
export async function evaluateRow(
  mlflow: MlflowClient,
  run: Run,
  options: EvaluateOptions,
  row: EvalRow,
  i: number,
): Promise<RowResult> {
  const predict = row.outputs !== undefined ? undefined : options.predict;
  const root = mlflow.startTrace({
    name: predict ? predict.name || "predict" : "root_span",
    spanType: predict ? "UNKNOWN" : "CHAIN",
    run,
    inputs: row.inputs,
    metadata: { "eval.row": String(i) },
    tags: { "mlflow.eval.requestId": crypto.randomUUID() },
    modelId: options.modelId,
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
  if (!predict) {
    result.outputs = row.outputs;
  } else {
    try {
      // A wrapped SDK call inside predict lands in the row's trace, and its usage in the run.
      result.outputs = await withActiveContext(
        { mlflow, span: root, run },
        () => predict(row.inputs, { span: root, index: i }),
      );
    } catch (error) {
      result.error = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      root.recordException(error);
    }
  }
  result.latencyMs = performance.now() - started;
  // Per score name: the scorer that made it, and a failed scorer's stack.
  const madeBy = new Map<string, Scorer>();
  const stacks = new Map<string, string>();
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
        for (const [name, score] of normalize(s.name, out)) {
          result.scores[name] = score;
          madeBy.set(name, s);
        }
      } catch (error) {
        result.scores[s.name] = { error: error instanceof Error ? error.message : String(error) };
        madeBy.set(s.name, s);
        if (error instanceof Error && error.stack) stacks.set(s.name, error.stack);
      }
    }
  }
  root.end({
    outputs: result.outputs,
    status: result.error ? { code: "ERROR", message: result.error } : "OK",
  });
  for (const [name, score] of Object.entries(result.scores)) {
    const by = madeBy.get(name);
    const digest = by && scorerDigest(by);
    mlflow.logFeedback({
      traceId: root.traceId,
      spanId: root.spanId,
      run,
      name,
      value: score.value ?? null,
      rationale: score.rationale,
      source: by?.source ?? { sourceType: "CODE", sourceId: name.split("/")[0] },
      metadata: digest ? { "mlflow.assessment.scorerDigest": digest } : undefined,
      error: score.error
        ? { errorCode: "SCORER_ERROR", errorMessage: score.error, stackTrace: stacks.get(name) }
        : undefined,
    });
    if (
      options.rowMetrics && (typeof score.value === "number" || typeof score.value === "boolean")
    ) {
      run.logMetric(`row/${name}`, Number(score.value), { step: i });
    }
  }
  if (row.expectations !== undefined) {
    const expectations =
      row.expectations && typeof row.expectations === "object" && !Array.isArray(row.expectations)
        ? Object.entries(row.expectations as Record<string, unknown>)
        : [["expected_response", row.expectations] as [string, unknown]];
    for (const [name, value] of expectations) {
      if (!name.includes(".")) {
        mlflow.logExpectation({ traceId: root.traceId, spanId: root.spanId, run, name, value });
      }
    }
  }
  if (options.rowMetrics) run.logMetric("row/latency_ms", result.latencyMs, { step: i });
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
