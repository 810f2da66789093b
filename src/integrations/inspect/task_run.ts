// Copyright 2026 the evalhooks authors. MIT license.
// This module is browser compatible.

// A task's run: started with the task's config as params (on_task_start), ended with the task's
// metrics, tables and status (on_task_end), as `inspect_mlflow` logs them.

import { stripUrlCredentials } from "../../base/url_credentials.ts";
import { percentile } from "../../base/stats.ts";
import type { Run } from "../../client/types.ts";
import { type HookContext, statusOf, sum, type TaskState, timeOf } from "./hook_context.ts";
import { inspectDataset } from "./dataset_input.ts";
import { paramValue } from "./score.ts";
import { numberLiteral, writtenKeys } from "../../base/json_floats.ts";
import { addSampleRows, createTaskTables, TABLE_NAMES } from "./tables.ts";
import type { EvalLog, EvalPlan, TaskStart } from "./types.ts";

/** Starts the task's run under `parent` and logs the task's config as params. */
export function startTaskRun(
  ctx: HookContext,
  data: TaskStart,
  parent: Run | string | undefined,
): TaskState {
  const spec = data.spec;
  const tags = {
    "inspect.eval_id": data.eval_id,
    "inspect.run_id": data.run_id,
    "inspect.task": spec.task,
    "inspect.model": spec.model,
    ...revisionTags(spec),
  };
  const given = ctx.taskRuns?.get(data.eval_id);
  const run = given ? given.setTags(tags) : ctx.mlflow.startRun({
    experimentName: ctx.config.experimentName,
    runName: spec.task,
    parent,
    startTime: timeOf(spec.created),
    tags,
  });
  const task: TaskState = {
    evalId: data.eval_id,
    spec,
    run,
    sampleIndex: 0,
    modelCalls: 0,
    toolCalls: 0,
    eventsSeen: false,
    seen: new Map(),
    tables: createTaskTables(data.eval_id, spec),
    wallTimes: [],
    workingTimes: [],
    retriedSamples: 0,
    sampleRetries: 0,
    modelEventRetries: 0,
    planLogged: false,
  };
  // The solvers and their params (Python's hook does not log them): one JSON artifact.
  if (data.plan && ctx.config.logArtifacts) logPlan(ctx, task, data.plan);
  // Values as Python's str() writes them (score.ts paramValue), with `or ""` where Python has it.
  const params: Record<string, string> = {
    task: spec.task,
    model: spec.model,
    task_version: paramValue(spec.task_version ?? 0),
    "dataset.name": spec.dataset?.name || "",
    "dataset.samples": paramValue(spec.dataset?.samples || ""),
    solver: spec.solver || "",
  };
  // A task arg's number keeps the form the log wrote it in (`1.0` stays `1.0`); live, a whole
  // JavaScript number is an int unless the caller marked it (markFloat).
  const args = spec.task_args_passed ?? {};
  for (const k of writtenKeys(args)) {
    params[`task_arg.${k}`] = paramValue(args[k], { literal: numberLiteral(args, k) });
  }
  const generate = spec.model_generate_config ?? {};
  // GenerateConfig types temperature and top_p as floats: Python holds 0 as 0.0.
  for (const k of ["temperature", "top_p", "max_tokens"] as const) {
    const v = generate[k];
    if (v !== null && v !== undefined) {
      params[k] = paramValue(v, { float: k !== "max_tokens", literal: numberLiteral(generate, k) });
    }
  }
  if (spec.tags?.length) params.tags = paramValue(spec.tags.join(", "));
  for (const [k, v] of Object.entries(params)) {
    ctx.each("onTaskStart", () => run.logParam(k, paramValue(v)));
  }
  // The same dataset as a run input too, so MLflow's run page lists it with its lineage.
  ctx.each("onTaskStart", () => run.logInput(inspectDataset(spec)));
  return task;
}

/** Logs the task's metrics and artifacts and ends its run with the log's status. */
export function endTaskRun(ctx: HookContext, task: TaskState, log: EvalLog): void {
  const timestamp = timeOf(log.stats?.completed_at);
  const metrics = taskMetrics(task, log, timestamp);
  for (const [k, v] of Object.entries(metrics)) {
    ctx.each("onTaskEnd", () => task.run.logMetric(k, v, { timestamp }));
  }
  if (ctx.config.logArtifacts) logArtifacts(ctx, task, log);
  task.run.end(statusOf(log), { endTime: timestamp });
}

/** Scores, sample counts, usage and cost, latency and call counts at the end of a task. */
function taskMetrics(
  task: TaskState,
  log: EvalLog,
  timestamp: number | undefined,
): Record<string, number> {
  const metrics: Record<string, number> = {};
  for (const score of log.results?.scores ?? []) {
    for (const [name, metric] of Object.entries(score.metrics ?? {})) {
      if (typeof metric?.value === "number") metrics[`${score.name}/${name}`] = metric.value;
    }
  }
  if (log.results) {
    metrics.total_samples = log.results.total_samples;
    metrics.completed_samples = log.results.completed_samples;
  }
  let cost = 0;
  let costKnown = false;
  for (const [model, u] of Object.entries(log.stats?.model_usage ?? {})) {
    metrics[`usage/${model}/input_tokens`] = u.input_tokens;
    metrics[`usage/${model}/output_tokens`] = u.output_tokens;
    metrics[`usage/${model}/total_tokens`] = u.total_tokens;
    if (typeof u.total_cost === "number") {
      metrics[`usage/${model}/total_cost_usd`] = u.total_cost;
      cost += u.total_cost;
      costKnown = true;
    }
  }
  if (costKnown) metrics["cost/total_usd"] = cost;
  // Latency from the samples this task delivered, or from the log when none came through hooks.
  let wall = task.wallTimes;
  let working = task.workingTimes;
  if (wall.length === 0 && log.samples?.length) {
    wall = log.samples.map((s) => s.total_time).filter((t): t is number => typeof t === "number");
    working = log.samples.map((s) => s.working_time).filter((t): t is number =>
      typeof t === "number"
    );
  }
  if (wall.length > 0) {
    const sorted = [...wall].sort((a, b) => a - b);
    metrics["latency/per_sample_mean_seconds"] = sum(wall) / wall.length;
    metrics["latency/per_sample_p50_seconds"] = percentile(sorted, 0.5);
    metrics["latency/per_sample_p95_seconds"] = percentile(sorted, 0.95);
  }
  if (working.length > 0) {
    metrics["latency/per_sample_working_mean_seconds"] = sum(working) / working.length;
  }
  const started = timeOf(log.stats?.started_at);
  if (started !== undefined && timestamp !== undefined) {
    metrics["latency/total_seconds"] = (timestamp - started) / 1000;
  }
  if (task.eventsSeen) {
    metrics.total_model_calls = task.modelCalls;
    metrics.total_tool_calls = task.toolCalls;
  }
  // Only where there were retries, so a log without any lands as Python's hook logs it.
  if (task.modelEventRetries > 0) metrics.total_model_retries = task.modelEventRetries;
  if (task.retriedSamples > 0) {
    metrics.retried_samples = task.retriedSamples;
    metrics.total_sample_retries = task.sampleRetries;
  }
  return metrics;
}

function logArtifacts(ctx: HookContext, task: TaskState, log: EvalLog): void {
  const tables = task.tables;
  // A TaskEnd log can carry samples the hooks never saw (no sample hooks were called).
  if (tables.samples.length === 0 && log.samples?.length) {
    for (const sample of log.samples) addSampleRows(tables, task.evalId, task.spec.task, sample);
  }
  for (const name of TABLE_NAMES) {
    const rows = tables[name];
    if (rows.length > 0) {
      ctx.each("onTaskEnd", () => task.run.logTable(rows, `inspect/${name}.json`));
    }
  }
  if (tables.sampleResults.length > 0) {
    ctx.each(
      "onTaskEnd",
      () =>
        task.run.logJson(
          tables.sampleResults,
          `sample_results/sample_results_${task.evalId}.json`,
        ),
    );
  }
  if (!task.planLogged && log.plan) logPlan(ctx, task, log.plan);
  const { samples: _samples, ...header } = log;
  ctx.each("onTaskEnd", () => task.run.logJson(header, `eval_logs/eval_log_${task.evalId}.json`));
}

function logPlan(ctx: HookContext, task: TaskState, plan: EvalPlan): void {
  task.planLogged = true;
  ctx.each("onTaskStart", () => task.run.logJson(plan, `plan/plan_${task.evalId}.json`));
}

/**
 * The git state the eval ran at, as Inspect recorded it: it wins over the importing process's
 * own source tags, which describe the machine that imported the log, not the one that ran it.
 */
export function revisionTags(spec: TaskStart["spec"]): Record<string, string> {
  const revision = spec.revision;
  if (revision?.type !== "git" || !revision.commit) return {};
  const tags: Record<string, string> = { "mlflow.source.git.commit": revision.commit };
  if (revision.origin) tags["mlflow.source.git.repoURL"] = stripUrlCredentials(revision.origin);
  return tags;
}
