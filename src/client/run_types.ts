// Copyright 2026 the evalhooks authors. MIT license.
// This module is browser compatible.

// The run handle's types. Apart from types.ts so that trace_types.ts can name a Run without a
// cycle (types.ts names the trace types).

import type { RunInfo, RunStatus } from "../store/types.ts";

/**
 * Options of `startRun`.
 *
 * @example
 * ```ts
 * import { createMlflow, type StartRunOptions } from "@evalhooks/mlflow";
 *
 * const mlflow = createMlflow({ trackingUri: "http://127.0.0.1:5000" });
 * const options: StartRunOptions = {
 *   experimentName: "qa-evals",
 *   runName: "gpt-4o-mini / run 3",
 *   tags: { suite: "qa" },
 *   description: "Nightly QA eval",
 * };
 * const run = mlflow.startRun(options);
 * ```
 */
export interface StartRunOptions {
  /** Experiment by name (got or created). Defaults to the client's. */
  experimentName?: string;
  /** Experiment by id; wins over `experimentName`. */
  experimentId?: string;
  /** Run name; the server picks one when absent. */
  runName?: string;
  /** Tags set when the run is created. */
  tags?: Record<string, string>;
  /** Parent run (handle or id): makes this a nested run (`mlflow.parentRunId`). */
  parent?: Run | string;
  /** Run description (tag `mlflow.note.content`, shown in MLflow's UI). */
  description?: string;
  /** Start time in ms since the epoch (for importing past runs). @default {Date.now()} */
  startTime?: number;
}

/**
 * Step and timestamp of a metric.
 *
 * @example
 * ```ts
 * import { createMlflow } from "@evalhooks/mlflow";
 *
 * const mlflow = createMlflow({ trackingUri: "http://127.0.0.1:5000" });
 * const run = mlflow.startRun();
 * run.logMetric("accuracy", 0.82, { step: 3, timestamp: Date.parse("2026-01-01T00:00:00Z") });
 * ```
 */
export interface MetricOptions {
  /** Step. @default {0} */
  step?: number;
  /** Timestamp in ms since the epoch. @default {Date.now() at the call} */
  timestamp?: number;
}

/**
 * A table for `logTable`: MLflow's split form, or rows as objects.
 *
 * @example Both forms
 * ```ts
 * import { createMlflow, type Table } from "@evalhooks/mlflow";
 *
 * const mlflow = createMlflow({ trackingUri: "http://127.0.0.1:5000" });
 * const run = mlflow.startRun();
 * const split: Table = { columns: ["question", "answer"], data: [["2+2?", "4"]] };
 * const rows: Table = [{ question: "2+2?", answer: "4", correct: true }];
 * run.logTable(split, "split.json").logTable(rows, "rows.json");
 * ```
 */
export type Table =
  | { columns: readonly string[]; data: readonly (readonly unknown[])[] }
  | readonly Record<string, unknown>[];

/**
 * A run. Every logging method returns at once (the run is created, and writes are sent, in the
 * background, in order) and never throws for server-side failures: those go to `onError` and to
 * `flush()`. Input the client can judge by itself throws {@linkcode MlflowValidationError} at the
 * call.
 *
 * @example
 * ```ts
 * import { createMlflow } from "@evalhooks/mlflow";
 *
 * const mlflow = createMlflow({ trackingUri: "http://127.0.0.1:5000" });
 * const run = mlflow.startRun({ runName: "eval" });
 * run.logParams({ model: "gpt-4o-mini" })
 *   .logMetric("accuracy", 0.9)
 *   .setTag("suite", "qa")
 *   .logJson({ prompt: "Answer briefly." }, "config/prompt.json");
 * const task = run.startChildRun({ runName: "task-1" });
 * task.end();
 * run.end();
 * await mlflow.flush();
 * ```
 */
export interface Run {
  /** The run's id, experiment and artifact URI, once the server created it. */
  info(): Promise<RunInfo>;
  /** Logs a param. The same key again with the same value is fine; another value throws. */
  logParam(key: string, value: string | number | boolean): Run;
  /** Logs several params. */
  logParams(params: Record<string, string | number | boolean>): Run;
  /** Logs a metric point. NaN and ±Infinity are kept. */
  logMetric(key: string, value: number, options?: MetricOptions): Run;
  /** Logs several metrics at one step and timestamp. */
  logMetrics(metrics: Record<string, number>, options?: MetricOptions): Run;
  /** Sets a tag (the last value wins). */
  setTag(key: string, value: string | number | boolean): Run;
  /** Sets several tags. */
  setTags(tags: Record<string, string | number | boolean>): Run;
  /** Uploads `text` as a UTF-8 artifact at `path`. */
  logText(text: string, path: string): Run;
  /** Uploads `value` as JSON at `path`. Throws for values JSON cannot hold (cycles, bigint). */
  logJson(value: unknown, path: string): Run;
  /** Uploads bytes, a Blob or a string as an artifact at `path`. */
  logArtifact(
    content: Uint8Array | Blob | string,
    path: string,
    options?: { contentType?: string },
  ): Run;
  /** Uploads a table as MLflow's split JSON and records it so MLflow's UI shows it as a table. */
  logTable(table: Table, path: string): Run;
  /**
   * Uploads `llm_predictions.csv` (columns inputs, outputs, prompts), as MLflow's
   * `mlflow.llm.log_predictions` writes it. The arrays must be of equal length; non-string
   * values are written as JSON, and CSV quoting keeps commas, quotes and line breaks intact.
   */
  logPredictions(predictions: { inputs: unknown[]; outputs: unknown[]; prompts?: unknown[] }): Run;
  /** Starts a run nested under this one. */
  startChildRun(options?: Omit<StartRunOptions, "parent">): Run;
  /**
   * Ends the run once everything logged before has been sent. The promise resolves when the end
   * reached the server (or failed for good, reported); it never rejects, and need not be awaited.
   */
  end(status?: RunStatus, options?: { endTime?: number }): Promise<void>;
  /** Ends the run `FINISHED` and waits for it, for `await using run = mlflow.startRun()`. */
  [Symbol.asyncDispose](): Promise<void>;
}
