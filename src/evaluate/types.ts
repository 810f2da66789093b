// Copyright 2026 the evalhooks authors. MIT license.
// This module is browser compatible.

import type { DatasetInput } from "../client/dataset_types.ts";
import type { EvaluationDataset } from "../client/genai_dataset_types.ts";
import type { Span } from "../client/trace_types.ts";
import type { Scorer } from "./scorers.ts";

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
  /**
   * The rows: an array, iterable or async iterable; or an MLflow evaluation dataset (from
   * `createDataset`/`getDataset`), whose records are read as the rows and which the run is
   * linked to, as `mlflow.genai.evaluate(data=dataset)` does.
   */
  data: Iterable<EvalRow> | AsyncIterable<EvalRow> | EvaluationDataset;
  /**
   * The model call; receives the row's inputs and the row's root span (named after the function,
   * as Python names it) to nest its own spans under.
   */
  predict?: (inputs: unknown, context: { span: Span; index: number }) => unknown | Promise<unknown>;
  /** Scorers, made with `scorer()`. */
  scorers: Scorer[];
  /** Experiment (the client's by default). */
  experimentName?: string;
  /** Run name. */
  runName?: string;
  /**
   * The run's dataset input (`run.logInput`): fields given here replace the defaults, `false`
   * logs none.
   * @default {name `dataset`, a `code` source with the client's source tags, the rows' `mlflow_colspec` schema, `{ num_rows, num_elements }`, a digest of the rows}
   */
  dataset?: Partial<DatasetInput> | false;
  /**
   * Also log each row's scores and latency as step series `row/<scorer>` and `row/latency_ms`
   * (step = row). Off by default: rows live in the traces and `eval_results.json`, and MLflow's
   * Evaluation runs view lists every run metric as a column.
   * @default {false}
   */
  rowMetrics?: boolean;
  /**
   * The logged model (agent version) under evaluation, as `mlflow.genai.evaluate(model_id=…)`:
   * the run lists it as an input, its traces carry it (`mlflow.modelId`) and its
   * `<scorer>/mean` metrics are linked to it, so MLflow's Agent versions view shows them beside
   * the version. @default {the active model (`setActiveModel`), if any}
   */
  modelId?: string;
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
  /**
   * As logged: `<score>/mean` (for pass/fail scores, the pass rate), `error_count`,
   * `latency/p50_ms`, `latency/p95_ms`, `rows`; and, not logged, `<score>/pass_rate` for
   * pass/fail scores (the same value, kept for earlier callers).
   */
  metrics: Record<string, number>;
  /** Every row, in data order. */
  rows: RowResult[];
}
