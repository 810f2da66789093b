// Copyright 2026 the evalhooks authors. MIT license.
// This module is browser compatible.

import type { EvalLog, EvalSample } from "./types.ts";
import { compareCompletion, finishedAt, sampleSortKey } from "./sample_order.ts";
import type { EvalHooks } from "./mlflow_hooks.ts";

/**
 * Options of {@linkcode replayLog}.
 *
 * @example Stream samples from your own reader
 * ```ts
 * import { type EvalLog, type EvalSample, mlflowHooks, replayLog, type ReplayOptions } from "@evalhooks/mlflow";
 *
 * declare const header: EvalLog;
 * declare function readSamples(): AsyncIterable<EvalSample>;
 * const options: ReplayOptions = { samples: readSamples() };
 * await replayLog(header, mlflowHooks(), options);
 * ```
 */
export interface ReplayOptions {
  /**
   * The samples, when they are not in `log.samples`: an iterable or async iterable, so a large
   * log can be streamed one sample at a time. They are replayed in the order given (a reader's
   * `samples({ order: "completion" })` gives the order they finished in); `log.samples` are
   * replayed in the order they finished.
   */
  samples?: Iterable<EvalSample> | AsyncIterable<EvalSample>;
}

/**
 * Emits the hook calls Inspect would have made while producing a finished log: run start, task
 * start (with the log's plan), then for each sample, in the order the samples finished, its
 * start, its attempts (one per retried error in `error_retries`, then the last), each completed
 * event and its end, then task end and run end. The hooks do the rest, so a replayed log lands in
 * MLflow as a live eval would: steps are arrival indices, as live.
 *
 * @example
 * ```ts
 * import { mlflowHooks, parseInspectJson, replayLog, type EvalLog } from "@evalhooks/mlflow";
 *
 * const log = parseInspectJson(await Deno.readTextFile("logs/my-eval.json")) as EvalLog;
 * const hooks = mlflowHooks({ trackingUri: "http://127.0.0.1:5000" });
 * await replayLog(log, hooks);
 * await hooks.flush();
 * ```
 */
export async function replayLog(
  log: EvalLog,
  hooks: EvalHooks,
  options: ReplayOptions = {},
): Promise<void> {
  const spec = { ...log.eval, eval_id: evalIdOf(log) };
  const ids = { run_id: spec.run_id, eval_set_id: spec.eval_set_id ?? undefined };
  const { samples: embedded, ...rest } = log;
  const header = { ...rest, eval: spec };
  const startedAt = log.stats?.started_at || spec.created;
  hooks.onRunStart({ ...ids, task_names: [spec.task], started_at: startedAt });
  hooks.onTaskStart({
    ...ids,
    eval_id: spec.eval_id,
    spec: { ...spec, created: startedAt },
    plan: log.plan ?? undefined,
  });
  let n = 0;
  try {
    for await (const sample of options.samples ?? inCompletionOrder(embedded ?? [])) {
      const sampleId = sample.uuid ?? `${sample.id}_epoch_${sample.epoch}`;
      const base = { ...ids, eval_id: spec.eval_id, sample_id: sampleId };
      const summary = { id: sample.id, epoch: sample.epoch };
      hooks.onSampleStart({ ...base, summary });
      // Attempts that failed and were retried: their errors are all the log keeps of them.
      const retried = sample.error_retries ?? [];
      const startedAt = sample.started_at ?? undefined;
      for (const [i, error] of retried.entries()) {
        hooks.onSampleAttemptStart?.({ ...base, summary, attempt: i + 1 });
        hooks.onSampleAttemptEnd?.({
          ...base,
          summary,
          attempt: i + 1,
          error,
          will_retry: true,
          ended_at: error.events?.at(-1)?.timestamp ?? startedAt,
        });
      }
      hooks.onSampleAttemptStart?.({ ...base, summary, attempt: retried.length + 1 });
      for (const event of sample.events ?? []) {
        if (!event.pending) hooks.onSampleEvent({ ...base, event });
      }
      hooks.onSampleAttemptEnd?.({
        ...base,
        summary,
        attempt: retried.length + 1,
        error: sample.error ?? null,
        will_retry: false,
        ended_at: sample.completed_at,
      });
      hooks.onSampleEnd({ ...base, sample });
      // Let a long replay breathe: queued writes go out while the next samples are read.
      if (++n % 100 === 0) await new Promise((resolve) => setTimeout(resolve, 0));
    }
  } catch (error) {
    // A log that breaks part way: what landed stays, and its runs end FAILED, as a crashed
    // eval's would.
    const message = error instanceof Error ? error.message : String(error);
    const failed = { ...header, status: "error", error: { message } } as EvalLog;
    hooks.onTaskEnd({ ...ids, eval_id: spec.eval_id, log: failed });
    hooks.onRunEnd({ ...ids, logs: [failed], exception: error });
    throw error;
  }
  hooks.onTaskEnd({ ...ids, eval_id: spec.eval_id, log: header as EvalLog });
  hooks.onRunEnd({
    ...ids,
    logs: [header as EvalLog],
    exception: log.status === "error" ? (log.error ?? "error") : undefined,
  });
}

/**
 * The eval id of a log. Logs written before Inspect had `eval_id` (format 2, early 2025 and
 * before) identify the eval by `task_id`; Inspect itself would invent a random id when reading
 * them, which would make every replay of the same file a different eval.
 *
 * @example
 * ```ts
 * import { evalIdOf, type EvalLog } from "@evalhooks/mlflow";
 *
 * declare const log: EvalLog;
 * console.log(evalIdOf(log));
 * ```
 */
export function evalIdOf(log: EvalLog): string {
  return log.eval.eval_id ?? log.eval.task_id ?? `${log.eval.run_id}-${log.eval.task}`;
}

// The samples in the order they finished (ties, and samples without a time, in Inspect's order).
function inCompletionOrder(samples: readonly EvalSample[]): EvalSample[] {
  return samples
    .map((sample, index) => ({
      sample,
      index,
      epoch: sample.epoch ?? 0,
      key: sampleSortKey(sample.id ?? ""),
      time: finishedAt(sample),
    }))
    .sort((a, b) => compareCompletion(a, b) || a.index - b.index)
    .map((s) => s.sample);
}
