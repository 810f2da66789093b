// Copyright 2026 the evalhooks authors. MIT license.
// This module is browser compatible.

import type { MlflowError } from "../../base/errors.ts";
import type { MlflowOptions, Run } from "../../client/types.ts";
import type { Mlflow } from "../../evaluate/create_mlflow.ts";
import type { HooksConfig } from "./config.ts";
import type {
  EvalSetEnd,
  EvalSetStart,
  ModelRetry,
  ModelUsageData,
  RunEnd,
  RunStart,
  SampleAttemptEnd,
  SampleAttemptStart,
  SampleEnd,
  SampleEvent,
  SampleStart,
  TaskEnd,
  TaskStart,
} from "./types.ts";

/**
 * Options of {@linkcode mlflowHooks}. Unset values come from the environment, as in
 * `inspect_mlflow` (see the README's table).
 *
 * @example Share a client and turn traces off
 * ```ts
 * import { createMlflow, mlflowHooks, type MlflowHooksOptions } from "@evalhooks/mlflow";
 *
 * const mlflow = createMlflow({ trackingUri: "http://127.0.0.1:5000", token: "my-token" });
 * const options: MlflowHooksOptions = { mlflow, experimentName: "nightly", tracing: false };
 * const hooks = mlflowHooks(options);
 * ```
 */
export interface MlflowHooksOptions extends Partial<HooksConfig> {
  /** A client to share; by default the hooks make their own from `trackingUri` and `client`. */
  mlflow?: Mlflow;
  /** Options for the hooks' own client (auth, fetch, retry, …). */
  client?: Omit<MlflowOptions, "trackingUri" | "onError">;
  /** Replaces the process environment when reading configuration. */
  env?: Record<string, string | undefined>;
  /**
   * Every failure: the hooks' own (a bad key from an odd scorer name) and the client's. The
   * default prints one concise warning per distinct error.
   */
  onError?: (error: MlflowError) => void;
  /**
   * Runs to log tasks into instead of creating them, by eval id: the log importer claims a task's
   * run (with `joinRun`, so two importers of one log cannot both import it) before replaying it.
   * The run is tagged and given params as a created one would be.
   */
  taskRuns?: ReadonlyMap<string, Run>;
}

/**
 * Inspect AI's hooks, logging to MLflow what the Python `inspect_mlflow` logs: a parent run per
 * eval run, a nested run per task with its config as params, per-sample scores as step metrics,
 * live event counters, token usage per model, JSON tables, and one trace per sample with the
 * scores as feedback. Every method returns at once and never throws: failures go to `onError`
 * and to `flush()`.
 *
 * @example Forward your runner's events
 * ```ts
 * import { type EvalHooks, mlflowHooks, type SampleEnd } from "@evalhooks/mlflow";
 *
 * const hooks: EvalHooks = mlflowHooks();
 * function sampleFinished(data: SampleEnd) {
 *   hooks.onSampleEnd(data); // returns at once; never throws
 * }
 * ```
 */
export interface EvalHooks {
  /** True when there is a tracking server to log to. */
  enabled(): boolean;
  /** `on_eval_set_start`. */
  onEvalSetStart(data: EvalSetStart): void;
  /** `on_eval_set_end`. */
  onEvalSetEnd(data: EvalSetEnd): void;
  /** `on_run_start`: the parent run. */
  onRunStart(data: RunStart): void;
  /** `on_run_end`: ends the parent run and any task run left open. */
  onRunEnd(data: RunEnd): void;
  /** `on_task_start`: the task's run, tags and params. */
  onTaskStart(data: TaskStart): void;
  /** `on_task_end`: task metrics, tables, status. */
  onTaskEnd(data: TaskEnd): void;
  /** `on_sample_start`. */
  onSampleStart(data: SampleStart): void;
  /** `on_sample_event`: live counters of model and tool calls. */
  onSampleEvent(data: SampleEvent): void;
  /** `on_sample_end`: per-sample score metrics and the sample's trace. */
  onSampleEnd(data: SampleEnd): void;
  /** `on_model_usage`: per-model totals (and HTTP `retries`, where given), logged live. */
  onModelUsage(data: ModelUsageData): void;
  /**
   * `on_model_retry`: counts `event/model_retry` (and `event/model_retry/<status_code>` where
   * the status is given) on the call's task run, with the backoff as `event/model_retry_wait`.
   * Optional: a hooks object written before it existed still works with {@linkcode replayLog}.
   */
  onModelRetry?(data: ModelRetry): void;
  /** `on_sample_attempt_start`: every attempt, the first included. Optional, as `onModelRetry`. */
  onSampleAttemptStart?(data: SampleAttemptStart): void;
  /**
   * `on_sample_attempt_end`: an attempt that will be retried counts `event/sample_retry`; the
   * sample itself is still counted once, at `onSampleEnd`. Optional, as `onModelRetry`.
   */
  onSampleAttemptEnd?(data: SampleAttemptEnd): void;
  /** Resolves when everything so far reached the server; rejects with every failure since the last flush. */
  flush(): Promise<void>;
  /** The client the hooks log through (undefined while disabled). */
  readonly mlflow: Mlflow | undefined;
}
