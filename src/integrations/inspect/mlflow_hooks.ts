// Copyright 2026 the evalhooks authors. MIT license.
// This module is browser compatible.

import { createMlflow, type Mlflow } from "../../evaluate/create_mlflow.ts";
import { asMlflowError, MlflowError, MlflowFlushError } from "../../base/errors.ts";
import type {
  EvalLog,
  EvalSample,
  EvalSetEnd,
  EvalSetStart,
  EvalSpec,
  ModelEvent,
  ModelUsageData,
  RunEnd,
  RunStart,
  SampleEnd,
  SampleEvent,
  SampleStart,
  TaskEnd,
  TaskStart,
  ToolEvent,
} from "./types.ts";
import type { MlflowOptions, Run, RunStatus } from "../../client/types.ts";
import { type HooksConfig, resolveHooksConfig } from "./config.ts";
import { traceSample } from "./sample_trace.ts";
import { percentile } from "../../base/stats.ts";
import { scoreToNumeric } from "./score.ts";
import { addSampleRows, createTaskTables, TABLE_NAMES, type TaskTables } from "./tables.ts";
import { cutText, cutWithEllipsis } from "../../base/text.ts";

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
  /** `on_model_usage`: per-model totals, logged live. */
  onModelUsage(data: ModelUsageData): void;
  /** Resolves when everything so far reached the server; rejects with every failure since the last flush. */
  flush(): Promise<void>;
  /** The client the hooks log through (undefined while disabled). */
  readonly mlflow: Mlflow | undefined;
}

interface TaskState {
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
}

interface UsageTotals {
  calls: number;
  input_tokens: number;
  output_tokens: number;
  total_tokens: number;
  duration: number;
}

const PARAM_LIMIT = 6000;

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
  const { mlflow: given, client: clientOptions, env, onError: userOnError, ...explicit } = options;
  const config = resolveHooksConfig(explicit, env);
  const warned = new Set<string>();
  const onError = userOnError ?? ((error: MlflowError) => {
    const id = `${error.errorCode}|${error.endpoint}|${error.key ?? ""}`;
    if (warned.has(id)) return;
    warned.add(id);
    console.warn(`[mlflow hooks] ${error.message}`);
  });
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

  let parent: Run | string | undefined = config.parentRunId;
  let ownParent: Run | undefined;
  const tasks = new Map<string, TaskState>();
  const usage = new Map<string, UsageTotals>();
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
    }),

    onTaskStart: guard<TaskStart>("onTaskStart", (data) => {
      const spec = data.spec;
      const run = mlflow!.startRun({
        experimentName: config.experimentName,
        runName: spec.task,
        parent,
        startTime: timeOf(spec.created),
        tags: {
          "inspect.eval_id": data.eval_id,
          "inspect.run_id": data.run_id,
          "inspect.task": spec.task,
          "inspect.model": spec.model,
        },
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
      };
      tasks.set(data.eval_id, task);
      const params: Record<string, unknown> = {
        task: spec.task,
        model: spec.model,
        task_version: String(spec.task_version ?? 0),
        "dataset.name": spec.dataset?.name ?? "",
        "dataset.samples": spec.dataset?.samples == null ? "" : String(spec.dataset.samples),
        solver: spec.solver ?? "",
      };
      for (const [k, v] of Object.entries(spec.task_args_passed ?? {})) params[`task_arg.${k}`] = v;
      const generate = spec.model_generate_config ?? {};
      for (const k of ["temperature", "top_p", "max_tokens"] as const) {
        if (generate[k] !== null && generate[k] !== undefined) params[k] = generate[k];
      }
      if (spec.tags?.length) params.tags = spec.tags.join(", ");
      for (const [k, v] of Object.entries(params)) {
        each("onTaskStart", () => run.logParam(k, paramValue(v)));
      }
    }),

    onSampleStart: guard("onSampleStart", () => {}),

    onSampleEvent: guard<SampleEvent>("onSampleEvent", (data) => {
      const event = data.event;
      if (event.pending) return;
      const task = tasks.get(data.eval_id);
      if (!task) return;
      task.eventsSeen = true;
      if (event.event !== "model" && event.event !== "tool") return;
      // Inspect can hand the same event over again once it completes: count it once.
      if (event.uuid) {
        let seen = task.seen.get(data.sample_id);
        if (!seen) task.seen.set(data.sample_id, seen = new Set());
        if (seen.has(event.uuid)) return;
        seen.add(event.uuid);
      }
      const timestamp = timeOf(event.timestamp);
      const at = (step: number) => ({ step, timestamp });
      if (event.event === "model") {
        const e = event as ModelEvent;
        const step = task.modelCalls++;
        const metrics: Record<string, number> = { "event/model_call": step };
        const u = e.output?.usage;
        if (u) {
          metrics["event/input_tokens"] = u.input_tokens;
          metrics["event/output_tokens"] = u.output_tokens;
        }
        if (typeof e.working_time === "number") metrics["event/model_time"] = e.working_time;
        task.run.logMetrics(metrics, at(step));
      } else {
        const e = event as ToolEvent;
        const step = task.toolCalls++;
        const metrics: Record<string, number> = { "event/tool_call": step };
        if (e.error) metrics["event/tool_error"] = 1;
        if (typeof e.working_time === "number") metrics["event/tool_time"] = e.working_time;
        task.run.logMetrics(metrics, at(step));
        each(
          "onSampleEvent",
          () => task.run.logParam(`tool_call.${step}.function`, cutText(String(e.function), 500)),
        );
      }
    }),

    onSampleEnd: guard<SampleEnd>("onSampleEnd", (data) => {
      const task = tasks.get(data.eval_id);
      task?.seen.delete(data.sample_id);
      if (!task) return;
      const sample = data.sample;
      const step = task.sampleIndex++;
      const at = { step, timestamp: sampleTime(sample) };
      for (const [scorer, score] of Object.entries(sample.scores ?? {})) {
        const numeric = scoreToNumeric(score?.value);
        if (numeric !== undefined) {
          each("onSampleEnd", () => task.run.logMetric(`sample/${scorer}`, numeric, at));
        }
      }
      if (typeof sample.total_time === "number") {
        task.run.logMetric("sample/total_time", sample.total_time, at);
        task.wallTimes.push(sample.total_time);
      }
      if (typeof sample.working_time === "number") task.workingTimes.push(sample.working_time);
      if (config.logArtifacts) {
        each("onSampleEnd", () => addSampleRows(task.tables, task.evalId, task.spec.task, sample));
      }
      track(
        tracing().then((on) => {
          if (on) traceAndScore(task, sample);
        }),
      );
    }),

    onModelUsage: guard<ModelUsageData>("onModelUsage", (data) => {
      const totals = usage.get(data.model_name) ??
        { calls: 0, input_tokens: 0, output_tokens: 0, total_tokens: 0, duration: 0 };
      usage.set(data.model_name, totals);
      totals.calls++;
      totals.input_tokens += data.usage.input_tokens ?? 0;
      totals.output_tokens += data.usage.output_tokens ?? 0;
      totals.total_tokens += data.usage.total_tokens ?? 0;
      totals.duration += data.call_duration ?? 0;
      const target = (data.eval_id ? tasks.get(data.eval_id)?.run : undefined) ?? ownParent ??
        (tasks.size === 1 ? [...tasks.values()][0].run : undefined);
      if (!target) return;
      const prefix = `model_usage/${data.model_name}`;
      logUsage(target, {
        [`${prefix}/calls`]: totals.calls,
        [`${prefix}/input_tokens`]: totals.input_tokens,
        [`${prefix}/output_tokens`]: totals.output_tokens,
        [`${prefix}/total_tokens`]: totals.total_tokens,
        [`${prefix}/duration_seconds`]: totals.duration,
      }, totals.calls - 1);
    }),

    onTaskEnd: guard<TaskEnd>("onTaskEnd", (data) => {
      const task = tasks.get(data.eval_id);
      if (!task) return;
      tasks.delete(data.eval_id);
      const log = data.log;
      const timestamp = timeOf(log.stats?.completed_at);
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
        wall = log.samples.map((s) => s.total_time).filter((t): t is number =>
          typeof t === "number"
        );
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
      for (const [k, v] of Object.entries(metrics)) {
        each("onTaskEnd", () => task.run.logMetric(k, v, { timestamp }));
      }
      if (config.logArtifacts) logArtifacts(task, log);
      task.run.end(statusOf(log), { endTime: timestamp });
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

  function logUsage(run: Run, metrics: Record<string, number>, step: number) {
    each("onModelUsage", () => run.logMetrics(metrics, { step }));
  }

  function traceAndScore(task: TaskState, sample: EvalSample) {
    const traceId = traceSample(mlflow!, { run: task.run, evalId: task.evalId }, sample);
    for (const [scorer, score] of Object.entries(sample.scores ?? {})) {
      each("onSampleEnd", () =>
        mlflow!.logFeedback({
          traceId,
          // Assessment names may not contain '.'.
          name: `inspect/${scorer.replace(/\./g, "_")}`,
          value: scoreToNumeric(score?.value) ?? score?.value ?? null,
          source: { sourceType: "CODE", sourceId: "inspect_ai" },
          rationale: score?.explanation ?? undefined,
          metadata: { sample_id: String(sample.id) },
        }));
    }
  }

  function logArtifacts(task: TaskState, log: EvalLog) {
    const tables = task.tables;
    // A TaskEnd log can carry samples the hooks never saw (no sample hooks were called).
    if (tables.samples.length === 0 && log.samples?.length) {
      for (const sample of log.samples) addSampleRows(tables, task.evalId, task.spec.task, sample);
    }
    for (const name of TABLE_NAMES) {
      const rows = tables[name];
      if (rows.length > 0) each("onTaskEnd", () => task.run.logTable(rows, `inspect/${name}.json`));
    }
    if (tables.sampleResults.length > 0) {
      each(
        "onTaskEnd",
        () =>
          task.run.logJson(
            tables.sampleResults,
            `sample_results/sample_results_${task.evalId}.json`,
          ),
      );
    }
    const { samples: _samples, ...header } = log;
    each("onTaskEnd", () => task.run.logJson(header, `eval_logs/eval_log_${task.evalId}.json`));
  }

  return hooks;
}

function paramValue(value: unknown): string {
  const text = typeof value === "string"
    ? value
    : typeof value === "boolean"
    ? (value ? "True" : "False")
    : typeof value === "number"
    ? String(value)
    : JSON.stringify(value) ?? String(value);
  return cutWithEllipsis(text, PARAM_LIMIT);
}

function timeOf(iso: string | null | undefined): number | undefined {
  if (!iso) return undefined;
  const t = Date.parse(iso);
  return Number.isNaN(t) ? undefined : t;
}

function sampleTime(sample: EvalSample): number | undefined {
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

function statusOf(log: EvalLog): RunStatus {
  if (log.status === "success") return "FINISHED";
  if (log.status === "cancelled") return "KILLED";
  return "FAILED";
}

function sum(values: readonly number[]): number {
  let total = 0;
  for (const v of values) total += v;
  return total;
}
