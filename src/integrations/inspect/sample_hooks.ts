// Copyright 2026 the evalhooks authors. MIT license.
// This module is browser compatible.

// A sample's live events (model and tool call counters) and its end (score metrics, latency,
// table rows, and its trace with the scores as feedback).

import { cutText } from "../../base/text.ts";
import { type HookContext, sampleTime, type TaskState, timeOf } from "./hook_context.ts";
import { traceSample } from "./sample_trace.ts";
import { scoreToNumeric, TEXT_LIMIT } from "./score.ts";
import { addSampleRows } from "./tables.ts";
import type { EvalSample, ModelEvent, SampleEvent, ToolEvent } from "./types.ts";

/** Counts a model or tool event once, as `event/*` step metrics of the task's run. */
export function logSampleEvent(ctx: HookContext, task: TaskState, data: SampleEvent): void {
  const event = data.event;
  if (event.pending) return;
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
    // HTTP retries before the call succeeded: totalled at the task's end.
    if (typeof e.retries === "number" && e.retries > 0) task.modelEventRetries += e.retries;
    task.run.logMetrics(metrics, at(step));
  } else {
    const e = event as ToolEvent;
    const step = task.toolCalls++;
    const metrics: Record<string, number> = { "event/tool_call": step };
    if (e.error) metrics["event/tool_error"] = 1;
    if (typeof e.working_time === "number") metrics["event/tool_time"] = e.working_time;
    task.run.logMetrics(metrics, at(step));
    ctx.each(
      "onSampleEvent",
      () =>
        task.run.logParam(`tool_call.${step}.function`, cutText(String(e.function), TEXT_LIMIT)),
    );
  }
}

/** Logs a finished sample's scores and times and adds its table rows. */
export function logSampleEnd(ctx: HookContext, task: TaskState, sample: EvalSample): void {
  const step = task.sampleIndex++;
  const at = { step, timestamp: sampleTime(sample) };
  for (const [scorer, score] of Object.entries(sample.scores ?? {})) {
    const numeric = scoreToNumeric(score?.value);
    if (numeric !== undefined) {
      ctx.each("onSampleEnd", () => task.run.logMetric(`sample/${scorer}`, numeric, at));
    }
  }
  if (typeof sample.total_time === "number") {
    task.run.logMetric("sample/total_time", sample.total_time, at);
    task.wallTimes.push(sample.total_time);
  }
  if (typeof sample.working_time === "number") task.workingTimes.push(sample.working_time);
  // A retried sample is one sample (one step, one row); its failed attempts are counted apart.
  const retries = sample.error_retries?.length ?? 0;
  if (retries > 0) {
    task.retriedSamples++;
    task.sampleRetries += retries;
  }
  if (ctx.config.logArtifacts) {
    ctx.each("onSampleEnd", () => addSampleRows(task.tables, task.evalId, task.spec.task, sample));
  }
}

/** The sample's trace, with each score as feedback on it. */
export function traceAndScore(ctx: HookContext, task: TaskState, sample: EvalSample): void {
  const traceId = traceSample(ctx.mlflow, { run: task.run, evalId: task.evalId }, sample);
  for (const [scorer, score] of Object.entries(sample.scores ?? {})) {
    ctx.each("onSampleEnd", () =>
      ctx.mlflow.logFeedback({
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
