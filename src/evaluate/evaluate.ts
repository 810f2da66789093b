// Copyright 2026 the evalhooks authors. MIT license.
// This module is browser compatible.

import type { Span } from "../client/trace_types.ts";
import type { MlflowClient } from "../client/types.ts";
import { percentile } from "../base/stats.ts";
import type { Scorer, ScorerResult, ScoreValue } from "./scorers.ts";

/**
 * One row of an evaluation: inputs, optional expectations, and outputs if they are already known
 * (then `predict` is not needed).
 *
 * @example
 * ```ts
 * import type { EvalRow } from "@evalhooks/mlflow";
 *
 * const row: EvalRow = { inputs: { question: "2 + 2?" }, expectations: { expected_response: "4" } };
 * ```
 */
export interface EvalRow {
  /** What the model is asked. */
  inputs: unknown;
  /** The ground truth: a value, or a record (`expected_response`, …). */
  expectations?: unknown;
  /** Precomputed outputs. */
  outputs?: unknown;
}

/**
 * Options of `mlflow.evaluate`.
 *
 * @example
 * ```ts
 * import { createMlflow, exactMatch, type EvaluateOptions } from "@evalhooks/mlflow";
 *
 * const mlflow = createMlflow({ trackingUri: "http://127.0.0.1:5000" });
 * const options: EvaluateOptions = {
 *   data: [{ inputs: "2 + 2", expectations: "4" }],
 *   predict: async (inputs) => String(eval(String(inputs))),
 *   scorers: [exactMatch()],
 *   concurrency: 4,
 * };
 * const result = await mlflow.evaluate(options);
 * ```
 */
export interface EvaluateOptions {
  /** The rows: an array, iterable or async iterable. */
  data: Iterable<EvalRow> | AsyncIterable<EvalRow>;
  /** The model call; receives the row's inputs and the span to nest its own spans under. */
  predict?: (inputs: unknown, context: { span: Span; index: number }) => unknown | Promise<unknown>;
  /** Scorers, made with `scorer()`. */
  scorers: Scorer[];
  /** Experiment (the client's by default). */
  experimentName?: string;
  /** Run name. */
  runName?: string;
  /** Rows in flight at once. @default {4} */
  concurrency?: number;
  /** Stops starting new rows when aborted (rows under way finish). */
  signal?: AbortSignal;
  /** Called after each row. */
  onProgress?: (done: number) => void;
}

/**
 * One scored value of a row.
 *
 * @example
 * ```ts
 * import type { RowScore } from "@evalhooks/mlflow";
 *
 * const score: RowScore = { value: true, rationale: "matches" };
 * ```
 */
export interface RowScore {
  /** The value, or undefined when the scorer failed. */
  value?: number | boolean | string;
  /** Why. */
  rationale?: string;
  /** The scorer's error. */
  error?: string;
}

/**
 * What happened to one row.
 *
 * @example
 * ```ts
 * import type { RowResult } from "@evalhooks/mlflow";
 *
 * function failed(rows: RowResult[]) {
 *   return rows.filter((r) => r.error);
 * }
 * ```
 */
export interface RowResult {
  /** Position in the data. */
  index: number;
  /** Inputs. */
  inputs: unknown;
  /** Outputs (undefined when predict failed). */
  outputs?: unknown;
  /** Expectations. */
  expectations?: unknown;
  /** Scores by name (`<scorer>` or `<scorer>/<name>`). */
  scores: Record<string, RowScore>;
  /** predict's error. */
  error?: string;
  /** predict's time in ms. */
  latencyMs: number;
  /** The row's trace. */
  traceId: string;
}

/**
 * The evaluation's run, its aggregate metrics, and every row.
 *
 * @example
 * ```ts
 * import { createMlflow, exactMatch } from "@evalhooks/mlflow";
 *
 * const mlflow = createMlflow({ trackingUri: "http://127.0.0.1:5000" });
 * const { runId, metrics } = await mlflow.evaluate({ data: [{ inputs: "a", outputs: "a", expectations: "a" }], scorers: [exactMatch()] });
 * console.log(runId, metrics["exact_match/pass_rate"]);
 * ```
 */
export interface EvaluateResult {
  /** The run. */
  runId: string;
  /** `<score>/mean`, `<score>/pass_rate`, `error_count`, `latency/p50_ms`, `latency/p95_ms`, `rows`. */
  metrics: Record<string, number>;
  /** Every row, in data order. */
  rows: RowResult[];
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

/**
 * Runs an evaluation through any client: `mlflow.evaluate(options)` is `evaluate(mlflow,
 * options)`. See `Mlflow.evaluate`.
 *
 * @example
 * ```ts
 * import { createMlflow } from "@evalhooks/mlflow";
 * import { evaluate, exactMatch } from "@evalhooks/mlflow/evaluate";
 *
 * const mlflow = createMlflow({ trackingUri: "http://127.0.0.1:5000" });
 * const { metrics } = await evaluate(mlflow, {
 *   data: [{ inputs: "a", outputs: "a", expectations: "a" }],
 *   scorers: [exactMatch()],
 * });
 * ```
 */
export async function evaluate(
  mlflow: MlflowClient,
  options: EvaluateOptions,
): Promise<EvaluateResult> {
  const concurrency = options.concurrency ?? 4;
  if (!Number.isInteger(concurrency) || concurrency < 1) {
    throw new RangeError(`concurrency must be a positive integer: current value is ${concurrency}`);
  }
  if (!options.scorers?.length) throw new TypeError("evaluate: give at least one scorer");
  const run = mlflow.startRun({ experimentName: options.experimentName, runName: options.runName });
  const rows: RowResult[] = [];
  const iterator =
    (Symbol.asyncIterator in options.data
      ? (options.data as AsyncIterable<EvalRow>)[Symbol.asyncIterator]()
      : (options.data as Iterable<EvalRow>)[Symbol.iterator]()) as
        | AsyncIterator<EvalRow>
        | Iterator<EvalRow>;
  let index = 0;
  let done = 0;
  // One reader at a time: iterators are not safe to call concurrently.
  let reading = Promise.resolve();
  const nextRow = () => {
    const result = reading.then(() => iterator.next());
    reading = result.then(() => {}, () => {});
    return result;
  };

  const evaluateRow = async (row: EvalRow, i: number): Promise<RowResult> => {
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
        result.outputs = await options.predict(row.inputs, { span, index: i });
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
          const out = await s.fn({
            inputs: row.inputs,
            outputs: result.outputs,
            expectations: row.expectations,
            trace: { traceId: root.traceId },
            latencyMs: result.latencyMs,
          });
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
  };

  await Promise.all(Array.from({ length: concurrency }, async () => {
    for (;;) {
      if (options.signal?.aborted) return;
      const next = await nextRow();
      if (next.done) return;
      const i = index++;
      rows[i] = await evaluateRow(next.value, i);
      options.onProgress?.(++done);
    }
  }));

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
  // The run's own writes and its end are delivered before returning; traces and feedback go on
  // in the background (flush() waits for them).
  await run.end(options.signal?.aborted ? "KILLED" : "FINISHED");
  return { runId: (await run.info()).runId, metrics, rows };
}
