// Copyright 2026 the evalhooks authors. MIT license.
// This module is browser compatible.

import type { EvalLog, EvalSample } from "./types.ts";
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
   * log can be streamed one sample at a time.
   */
  samples?: Iterable<EvalSample> | AsyncIterable<EvalSample>;
}

/**
 * Emits the hook calls Inspect would have made while producing a finished log: run start, task
 * start, then for each sample its start, each completed event and its end, then task end and run
 * end. The hooks do the rest, so a replayed log lands in MLflow exactly as a live eval would.
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
  hooks.onTaskStart({ ...ids, eval_id: spec.eval_id, spec: { ...spec, created: startedAt } });
  let n = 0;
  try {
    for await (const sample of options.samples ?? embedded ?? []) {
      const sampleId = sample.uuid ?? `${sample.id}_epoch_${sample.epoch}`;
      const base = { ...ids, eval_id: spec.eval_id, sample_id: sampleId };
      hooks.onSampleStart({ ...base, summary: { id: sample.id, epoch: sample.epoch } });
      for (const event of sample.events ?? []) {
        if (!event.pending) hooks.onSampleEvent({ ...base, event });
      }
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
