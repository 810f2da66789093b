// Copyright 2026 the evalhooks authors. MIT license.
// This module is browser compatible.

// What the Inspect hooks' parts share: the client, the configuration, the per-task state, and
// the guard that turns a throw into a reported error.

import type { Mlflow } from "../../evaluate/create_mlflow.ts";
import type { Run, RunStatus } from "../../client/types.ts";
import type { HooksConfig } from "./config.ts";
import type { TaskTables } from "./tables.ts";
import type { EvalLog, EvalSample, EvalSpec } from "./types.ts";

/** What every hook body needs. */
export interface HookContext {
  mlflow: Mlflow;
  config: HooksConfig;
  /** Runs given for tasks, by eval id (MlflowHooksOptions.taskRuns). */
  taskRuns?: ReadonlyMap<string, Run>;
  /** Runs `fn`; a throw is reported (onError, flush), never thrown into the eval. */
  each(where: string, fn: () => void): void;
}

/** One task's run and what the hooks collect for its end. */
export interface TaskState {
  evalId: string;
  spec: EvalSpec;
  run: Run;
  sampleIndex: number;
  modelCalls: number;
  toolCalls: number;
  eventsSeen: boolean;
  seen: Map<string, Set<string>>;
  tables: TaskTables;
  wallTimes: number[];
  workingTimes: number[];
  /** Samples Inspect retried (`error_retries`), and their failed attempts. */
  retriedSamples: number;
  sampleRetries: number;
  /** `retries` of the model events seen (HTTP retries before each call succeeded). */
  modelEventRetries: number;
  /** Whether the plan artifact was written. */
  planLogged: boolean;
}

/** Live retry counters of a run (`on_model_retry`, `on_sample_attempt_end`). */
export interface RetryCounts {
  modelRetries: number;
  byStatus: Map<string, number>;
  sampleRetries: number;
}

/** A model's usage so far in the eval run. */
export interface UsageTotals {
  calls: number;
  input_tokens: number;
  output_tokens: number;
  total_tokens: number;
  duration: number;
  /** HTTP retries (`ModelUsageData.retries`), and whether any call said. */
  retries: number;
  retriesKnown: boolean;
}

/** Milliseconds since the epoch of an ISO time, or undefined. */
export function timeOf(iso: string | null | undefined): number | undefined {
  if (!iso) return undefined;
  const t = Date.parse(iso);
  return Number.isNaN(t) ? undefined : t;
}

/** When a sample finished: `completed_at`, else its last event's time. */
export function sampleTime(sample: EvalSample): number | undefined {
  const completed = timeOf(sample.completed_at);
  if (completed !== undefined) return completed;
  // Older logs have no completed_at: the last event is when the sample finished.
  const events = sample.events ?? [];
  for (let i = events.length - 1; i >= 0; i--) {
    const t = timeOf(events[i].timestamp);
    if (t !== undefined) return t;
  }
  return undefined;
}

/** A task log's status as an MLflow run status. */
export function statusOf(log: EvalLog): RunStatus {
  if (log.status === "success") return "FINISHED";
  if (log.status === "cancelled") return "KILLED";
  return "FAILED";
}

/** The sum of `values`. */
export function sum(values: readonly number[]): number {
  let total = 0;
  for (const v of values) total += v;
  return total;
}
