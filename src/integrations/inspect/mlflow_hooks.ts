// Copyright 2026 the evalhooks authors. MIT license.
// This module is browser compatible.

// The Inspect hooks: configuration, the client, and the guard around every hook body. What each
// hook logs is task_run.ts's (task runs) and sample_hooks.ts's (samples and events).

import { createMlflow, type Mlflow } from "../../evaluate/create_mlflow.ts";
import { asMlflowError, MlflowError, MlflowFlushError } from "../../base/errors.ts";
import { warnOnce } from "../../base/warn_once.ts";
import type { Run } from "../../client/types.ts";
import { resolveHooksConfig } from "./config.ts";
import type { EvalHooks, MlflowHooksOptions } from "./hook_types.ts";
import {
  type HookContext,
  type RetryCounts,
  type TaskState,
  timeOf,
  type UsageTotals,
} from "./hook_context.ts";
import { logSampleEnd, logSampleEvent, traceAndScore } from "./sample_hooks.ts";
import { endTaskRun, startTaskRun } from "./task_run.ts";
import { PARENT_KEY_TAG, PARENT_STATE_TAG, parentKeyOf } from "./parent_run.ts";
export type { EvalHooks, MlflowHooksOptions } from "./hook_types.ts";
import type {
  ModelRetry,
  ModelUsageData,
  RunEnd,
  RunStart,
  SampleAttemptEnd,
  SampleEnd,
  SampleEvent,
  TaskEnd,
  TaskStart,
} from "./types.ts";

/**
 * Creates the hooks. Reads configuration at once: a bad value is a {@linkcode MlflowConfigError}
 * here, not a silent default later.
 *
 * @example Drive them from your own eval loop
 * ```ts
 * import { mlflowHooks } from "@evalhooks/mlflow";
 *
 * const hooks = mlflowHooks({ trackingUri: "http://127.0.0.1:5000", experimentName: "qa" });
 * const spec = { eval_id: "e1", run_id: "r1", created: new Date().toISOString(), task: "qa", model: "my/model" };
 * hooks.onRunStart({ run_id: "r1", task_names: ["qa"] });
 * hooks.onTaskStart({ run_id: "r1", eval_id: "e1", spec });
 * hooks.onSampleEnd({
 *   run_id: "r1", eval_id: "e1", sample_id: "s1",
 *   sample: { id: 1, epoch: 1, input: "2 + 2?", target: "4", scores: { match: { value: "C" } }, total_time: 0.4 },
 * });
 * hooks.onTaskEnd({ run_id: "r1", eval_id: "e1", log: { status: "success", eval: spec } });
 * hooks.onRunEnd({ run_id: "r1", logs: [] });
 * await hooks.flush();
 * ```
 */
export function mlflowHooks(options: MlflowHooksOptions = {}): EvalHooks {
  const {
    mlflow: given,
    client: clientOptions,
    env,
    onError: userOnError,
    taskRuns,
    ...explicit
  } = options;
  const config = resolveHooksConfig(explicit, env);
  const onError = userOnError ?? warnOnce("[mlflow hooks]");
  const mlflow: Mlflow | undefined = given ??
    (config.trackingUri
      ? createMlflow({
        ...clientOptions,
        trackingUri: config.trackingUri,
        experimentName: config.experimentName,
        onError,
      })
      : undefined);

  let hookErrors: MlflowError[] = [];
  const report = (error: unknown, where: string) => {
    const e = asMlflowError(error, where, { errorCode: "HOOK_ERROR", endpoint: where });
    hookErrors.push(e);
    try {
      onError(e);
    } catch {
      // onError must not break the eval either.
    }
  };
  // Each hook body runs inside this: nothing it does may throw into the eval.
  const guard = <T>(where: string, body: (data: T) => void) => (data: T): void => {
    if (!mlflow) return;
    try {
      body(data);
    } catch (error) {
      report(error, where);
    }
  };
  // One item failing (a key MLflow refuses) must not cost the others.
  const each = (where: string, fn: () => void) => {
    try {
      fn();
    } catch (error) {
      report(error, where);
    }
  };
  // Built once: hook bodies run only when there is a client (guard checks), so it is defined there.
  const ctx: HookContext = { mlflow: mlflow!, config, each, taskRuns };

  let parent: Run | string | undefined = config.parentRunId;
  let ownParent: Run | undefined;
  const tasks = new Map<string, TaskState>();
  const usage = new Map<string, UsageTotals>();
  // Live retry counters, by the run they are logged to.
  const retries = new Map<Run, RetryCounts>();
  const retryCounts = (run: Run): RetryCounts => {
    let counts = retries.get(run);
    if (!counts) {
      retries.set(run, counts = { modelRetries: 0, byStatus: new Map(), sampleRetries: 0 });
    }
    return counts;
  };
  // The run a model call's data belongs to: its task's, else the eval run's, else the only task's.
  const runOf = (evalId: string | null | undefined): Run | undefined =>
    (evalId ? tasks.get(evalId)?.run : undefined) ?? ownParent ??
      (tasks.size === 1 ? [...tasks.values()][0].run : undefined);
  const background = new Set<Promise<unknown>>();
  let tracingReady: Promise<boolean> | undefined;

  const track = (promise: Promise<unknown>) => {
    const settled = promise.catch((error) => report(error, "background"));
    background.add(settled);
    settled.finally(() => background.delete(settled));
  };

  // Tracing is on by default, where the server has MLflow 3's trace API: asked once.
  const tracing = (): Promise<boolean> => {
    if (!config.tracing || !mlflow) return Promise.resolve(false);
    tracingReady ??= mlflow.getOrCreateExperiment(config.experimentName)
      .then((id) => mlflow.searchTraces({ experimentIds: [id], maxResults: 1 }))
      .then(() => true, (error: unknown) => {
        if (error instanceof MlflowError && error.status === 404) {
          onError(
            new MlflowError(
              "this MLflow server has no trace API (MLflow 3): sample traces are off for this run",
              {
                errorCode: "ENDPOINT_NOT_FOUND",
                status: 404,
                endpoint: "/api/3.0/mlflow/traces/search",
              },
            ),
          );
          return false;
        }
        return true; // another failure: try, and let the export report it
      });
    return tracingReady;
  };

  const hooks: EvalHooks = {
    get mlflow() {
      return mlflow;
    },
    enabled: () => mlflow !== undefined,
    onEvalSetStart: guard("onEvalSetStart", () => {}),
    onEvalSetEnd: guard("onEvalSetEnd", () => {}),

    onRunStart: guard<RunStart>("onRunStart", (data) => {
      if (config.parentRunId) {
        parent = config.parentRunId;
      } else {
        const tags: Record<string, string> = {
          "inspect.run_id": data.run_id,
          "inspect.task_count": String(data.task_names.length),
          "inspect.tasks": data.task_names.join(", "),
        };
        if (data.eval_set_id) tags["inspect.eval_set_id"] = data.eval_set_id;
        // So a later import of this run's logs finds this parent (parent_run.ts): the live hooks
        // know the whole eval run, so the parent is settled from the start.
        tags[PARENT_KEY_TAG] = parentKeyOf(data);
        tags[PARENT_STATE_TAG] = "confirmed";
        ownParent = mlflow!.startRun({
          experimentName: config.experimentName,
          runName: `inspect-${data.run_id.slice(0, 8)}`,
          tags,
          startTime: timeOf(data.started_at),
        });
        parent = ownParent;
      }
      void tracing();
    }),

    onRunEnd: guard<RunEnd>("onRunEnd", (data) => {
      const ends = (data.logs ?? []).map((log) => timeOf(log.stats?.completed_at)).filter((t) =>
        t !== undefined
      );
      const endTime = ends.length > 0 ? Math.max(...(ends as number[])) : undefined;
      for (const task of tasks.values()) task.run.end("FAILED", { endTime });
      tasks.clear();
      if (ownParent) ownParent.end(data.exception ? "FAILED" : "FINISHED", { endTime });
      ownParent = undefined;
      parent = config.parentRunId;
      usage.clear();
      retries.clear();
    }),

    onTaskStart: guard<TaskStart>("onTaskStart", (data) => {
      tasks.set(data.eval_id, startTaskRun(ctx, data, parent));
    }),

    onSampleStart: guard("onSampleStart", () => {}),

    onSampleEvent: guard<SampleEvent>("onSampleEvent", (data) => {
      const task = tasks.get(data.eval_id);
      if (task) logSampleEvent(ctx, task, data);
    }),

    onSampleEnd: guard<SampleEnd>("onSampleEnd", (data) => {
      const task = tasks.get(data.eval_id);
      task?.seen.delete(data.sample_id);
      if (!task) return;
      logSampleEnd(ctx, task, data.sample);
      track(
        tracing().then((on) => {
          if (on) traceAndScore(ctx, task, data.sample);
        }),
      );
    }),

    onModelUsage: guard<ModelUsageData>("onModelUsage", (data) => {
      const totals = usage.get(data.model_name) ?? {
        calls: 0,
        input_tokens: 0,
        output_tokens: 0,
        total_tokens: 0,
        duration: 0,
        retries: 0,
        retriesKnown: false,
      };
      usage.set(data.model_name, totals);
      totals.calls++;
      totals.input_tokens += data.usage.input_tokens ?? 0;
      totals.output_tokens += data.usage.output_tokens ?? 0;
      totals.total_tokens += data.usage.total_tokens ?? 0;
      totals.duration += data.call_duration ?? 0;
      if (typeof data.retries === "number") {
        totals.retries += data.retries;
        totals.retriesKnown = true;
      }
      const target = runOf(data.eval_id);
      if (!target) return;
      const prefix = `model_usage/${data.model_name}`;
      const metrics: Record<string, number> = {
        [`${prefix}/calls`]: totals.calls,
        [`${prefix}/input_tokens`]: totals.input_tokens,
        [`${prefix}/output_tokens`]: totals.output_tokens,
        [`${prefix}/total_tokens`]: totals.total_tokens,
        [`${prefix}/duration_seconds`]: totals.duration,
      };
      if (totals.retriesKnown) metrics[`${prefix}/retries`] = totals.retries;
      each("onModelUsage", () => target.logMetrics(metrics, { step: totals.calls - 1 }));
    }),

    onModelRetry: guard<ModelRetry>("onModelRetry", (data) => {
      const target = runOf(data.eval_id);
      if (!target) return;
      const counts = retryCounts(target);
      const step = counts.modelRetries++;
      const metrics: Record<string, number> = { "event/model_retry": counts.modelRetries };
      if (typeof data.wait_time === "number") metrics["event/model_retry_wait"] = data.wait_time;
      each("onModelRetry", () => target.logMetrics(metrics, { step }));
      if (typeof data.status_code === "number") {
        const key = String(data.status_code);
        const n = (counts.byStatus.get(key) ?? 0) + 1;
        counts.byStatus.set(key, n);
        each(
          "onModelRetry",
          () => target.logMetric(`event/model_retry/${key}`, n, { step: n - 1 }),
        );
      }
    }),

    onSampleAttemptStart: guard("onSampleAttemptStart", () => {}),

    onSampleAttemptEnd: guard<SampleAttemptEnd>("onSampleAttemptEnd", (data) => {
      const task = tasks.get(data.eval_id);
      if (!task || !data.will_retry) return;
      const counts = retryCounts(task.run);
      const step = counts.sampleRetries++;
      task.run.logMetric("event/sample_retry", counts.sampleRetries, {
        step,
        timestamp: timeOf(data.ended_at),
      });
    }),

    onTaskEnd: guard<TaskEnd>("onTaskEnd", (data) => {
      const task = tasks.get(data.eval_id);
      if (!task) return;
      tasks.delete(data.eval_id);
      endTaskRun(ctx, task, data.log);
    }),

    async flush() {
      while (background.size > 0) await Promise.all([...background]);
      let clientErrors: MlflowError[] = [];
      let dropped = 0;
      try {
        await mlflow?.flush();
      } catch (error) {
        if (error instanceof MlflowFlushError) {
          clientErrors = error.errors;
          dropped = error.dropped;
        } else throw error;
      }
      const all = [...hookErrors, ...clientErrors];
      hookErrors = [];
      if (all.length > 0 || dropped > 0) throw new MlflowFlushError(all, dropped);
    },
  };
  return hooks;
}
