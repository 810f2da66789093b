// Copyright 2026 the evalhooks authors. MIT license.
// This module is browser compatible.

// What an evaluation logs once at the end: aggregate metrics and the results table.

import { percentile } from "../base/stats.ts";
import type { Run } from "../client/types.ts";
import type { RowResult } from "./types.ts";

/**
 * Logs the aggregates of `rows` and the `eval_results.json` table to `run`; returns the metrics.
 *
 * Every scorer's aggregate is `<scorer>/mean` (for pass/fail scores: the pass rate), the one key
 * MLflow's Evaluation runs view reads as the scorer's, as `mlflow.genai.evaluate` logs it. The
 * returned metrics also hold `<scorer>/pass_rate` for pass/fail scorers, as earlier versions
 * logged it; it is not logged, since the view would chart it as a second assessment.
 */
export function logAggregates(run: Run, rows: RowResult[]): Record<string, number> {
  const logged: Record<string, number> = { rows: rows.length, error_count: 0 };
  const passRates: Record<string, number> = {};
  const byName = new Map<string, (number | boolean | string)[]>();
  for (const r of rows) {
    if (r.error) logged.error_count++;
    for (const [name, score] of Object.entries(r.scores)) {
      if (score.error) logged.error_count++;
      else if (score.value !== undefined) {
        byName.set(name, [...(byName.get(name) ?? []), score.value]);
      }
    }
  }
  for (const [name, values] of byName) {
    if (values.every((v) => typeof v === "boolean")) {
      logged[`${name}/mean`] = values.filter(Boolean).length / values.length;
      passRates[`${name}/pass_rate`] = logged[`${name}/mean`];
    } else if (values.every((v) => typeof v === "number")) {
      logged[`${name}/mean`] = (values as number[]).reduce((a, b) => a + b, 0) / values.length;
    }
  }
  const latencies = rows.filter((r) => !r.error).map((r) => r.latencyMs).sort((a, b) => a - b);
  if (latencies.length > 0) {
    logged["latency/p50_ms"] = percentile(latencies, 0.5);
    logged["latency/p95_ms"] = percentile(latencies, 0.95);
  }
  run.logMetrics(logged);
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
  return { ...logged, ...passRates };
}
