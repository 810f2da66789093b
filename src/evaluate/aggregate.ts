// Copyright 2026 the evalhooks authors. MIT license.
// This module is browser compatible.

// What an evaluation logs once at the end: aggregate metrics and the results table.

import { percentile } from "../base/stats.ts";
import type { Run } from "../client/types.ts";
import type { RowResult } from "./types.ts";

/**
 * Logs the aggregates of `rows` and the `eval_results.json` table to `run`; returns the metrics.
 *
 * The run's metrics are only the scores, `<scorer>/mean` (for pass/fail scores: the pass rate),
 * as `mlflow.genai.evaluate` logs them: MLflow's Evaluation runs view reads `<scorer>/mean` as
 * the scorer's, and charts every run metric between 0 and 1 as an assessment, so a count of 0
 * errors or a latency under 1 ms would show as a 0 % or 12 % score. The row count, error count
 * and latency percentiles go as tags (`eval.rows`, `eval.error_count`, `eval.latency_p50_ms`,
 * `eval.latency_p95_ms`). The returned metrics hold all of them under their earlier names, and
 * `<scorer>/pass_rate` for pass/fail scorers.
 */
export function logAggregates(
  run: Run,
  rows: RowResult[],
  modelId?: string,
): Record<string, number> {
  const scores: Record<string, number> = {};
  const summary: Record<string, number> = { rows: rows.length, error_count: 0 };
  const passRates: Record<string, number> = {};
  const byName = new Map<string, (number | boolean | string)[]>();
  for (const r of rows) {
    if (r.error) summary.error_count++;
    for (const [name, score] of Object.entries(r.scores)) {
      if (score.error) summary.error_count++;
      else if (score.value !== undefined) {
        const values = byName.get(name);
        if (values) values.push(score.value);
        else byName.set(name, [score.value]);
      }
    }
  }
  for (const [name, values] of byName) {
    if (values.every(isPassFail)) {
      scores[`${name}/mean`] = values.filter(passed).length / values.length;
      passRates[`${name}/pass_rate`] = scores[`${name}/mean`];
    } else if (values.every((v) => typeof v === "number")) {
      scores[`${name}/mean`] = (values as number[]).reduce((a, b) => a + b, 0) / values.length;
    }
  }
  const latencies = rows.filter((r) => !r.error).map((r) => r.latencyMs).sort((a, b) => a - b);
  if (latencies.length > 0) {
    summary["latency/p50_ms"] = percentile(latencies, 0.5);
    summary["latency/p95_ms"] = percentile(latencies, 0.95);
  }
  run.logMetrics(scores, { modelId });
  run.setTags(
    Object.fromEntries(
      Object.entries(summary).map(([k, v]) => [`eval.${k.replace("/", "_")}`, String(v)]),
    ),
  );
  const names = [...new Set(rows.flatMap((r) => Object.keys(r.scores)))];
  run.logTable(
    {
      columns: [
        "row",
        "trace_id",
        "inputs",
        "outputs",
        "expectations",
        ...names,
        "error",
        "latency_ms",
      ],
      data: rows.map((r) => [
        r.index,
        r.traceId,
        r.inputs,
        r.outputs ?? null,
        r.expectations ?? null,
        ...names.map((n) =>
          r.scores[n]?.value ?? (r.scores[n]?.error ? `error: ${r.scores[n].error}` : null)
        ),
        r.error ?? null,
        Math.round(r.latencyMs * 1000) / 1000,
      ]),
    },
    "eval_results.json",
  );
  return { ...summary, ...scores, ...passRates };
}

// "yes"/"no" is how MLflow's built-in judges log pass/fail, and Python's `<scorer>/mean` counts a
// "yes" as 1 and a "no" as 0 (mlflow/genai/scorers/aggregation.py); so does this.
function isPassFail(value: number | boolean | string): boolean {
  return typeof value === "boolean" ||
    (typeof value === "string" && /^(yes|no)$/i.test(value.trim()));
}

function passed(value: number | boolean | string): boolean {
  return value === true || (typeof value === "string" && value.trim().toLowerCase() === "yes");
}
