// Copyright 2026 the evalhooks authors. MIT license.
// This module is browser compatible.

// What an evaluation logs once at the end: aggregate metrics and the results table.

import { percentile } from "../base/stats.ts";
import type { Run } from "../client/types.ts";
import type { RowResult } from "./types.ts";

/** Logs the aggregates of `rows` and the `eval_results.json` table to `run`; returns the metrics. */
export function logAggregates(run: Run, rows: RowResult[]): Record<string, number> {
  // Aggregates, computed here and logged once.
  const metrics: Record<string, number> = { rows: rows.length, error_count: 0 };
  const byName = new Map<string, (number | boolean | string)[]>();
  for (const r of rows) {
    if (r.error) metrics.error_count++;
    for (const [name, score] of Object.entries(r.scores)) {
      if (score.error) metrics.error_count++;
      else if (score.value !== undefined) {
        byName.set(name, [...(byName.get(name) ?? []), score.value]);
      }
    }
  }
  for (const [name, values] of byName) {
    if (values.every((v) => typeof v === "boolean")) {
      metrics[`${name}/pass_rate`] = values.filter(Boolean).length / values.length;
    } else if (values.every((v) => typeof v === "number")) {
      metrics[`${name}/mean`] = (values as number[]).reduce((a, b) => a + b, 0) / values.length;
    }
  }
  const latencies = rows.filter((r) => !r.error).map((r) => r.latencyMs).sort((a, b) => a - b);
  if (latencies.length > 0) {
    metrics["latency/p50_ms"] = percentile(latencies, 0.5);
    metrics["latency/p95_ms"] = percentile(latencies, 0.95);
  }
  run.logMetrics(metrics);
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
  return metrics;
}
