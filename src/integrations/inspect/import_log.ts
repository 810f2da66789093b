// Copyright 2026 the evalhooks authors. MIT license.
// This module is browser compatible.

// Importing an Inspect log that is already open: no file system, so Workers can import what
// they are sent. node/import.ts opens files and calls this.

import { createMlflow, type Mlflow } from "../../evaluate/create_mlflow.ts";
import { asMlflowError, type MlflowError, MlflowFlushError } from "../../base/errors.ts";
import type { JoinedRun, MlflowOptions } from "../../client/types.ts";
import { resolveExperimentName, resolveHooksConfig } from "./config.ts";
import { type ImportProgress, trackProgress } from "./import_progress.ts";
import { mlflowHooks } from "./mlflow_hooks.ts";
import { findOrCreateParent, parentKeyOf, parentStartOf, settleParent } from "./parent_run.ts";
import { evalIdOf, replayLog } from "./replay.ts";
import { timeOf } from "./hook_context.ts";
import { revisionTags } from "./task_run.ts";
import type { InspectLogReader } from "./read_log.ts";
import type { EvalSample } from "./types.ts";

/**
 * Options of {@linkcode importInspectLog} and {@linkcode importInspectReader}.
 *
 * @example
 * ```ts
 * import { importInspectLog, type ImportOptions } from "@evalhooks/mlflow/inspect";
 *
 * const options: ImportOptions = { experimentName: "imported", traces: false, force: true };
 * await importInspectLog("logs/run.eval", options);
 * ```
 */
export interface ImportOptions {
  /** A client to log through (its stats then count every import). */
  mlflow?: Mlflow;
  /** Tracking server, when no client is given. @default {env MLFLOW_TRACKING_URI} */
  trackingUri?: string;
  /** Client options (auth, retry, …) when no client is given. */
  client?: Omit<MlflowOptions, "trackingUri">;
  /** Experiment. @default {env INSPECT_MLFLOW_EXPERIMENT_NAME / MLFLOW_EXPERIMENT_NAME, else "inspect_ai"} */
  experimentName?: string;
  /** Upload tables and JSON artifacts. @default {true} */
  artifacts?: boolean;
  /** One trace per sample with scores as feedback. @default {true} */
  traces?: boolean;
  /** Read and check the log, write nothing. @default {false} */
  dryRun?: boolean;
  /** Import even if the log's eval already has a task run in the experiment. @default {false} */
  force?: boolean;
  /** Called after each sample is handed to the hooks (read, not yet sent: see `onProgress`). */
  onSample?: (done: number, total: number) => void;
  /**
   * Called as samples are read and as their writes reach the server; the last call, with
   * `sent === read`, comes once everything the import wrote is there.
   */
  onProgress?: (progress: ImportProgress) => void;
  /** Environment to read configuration from instead of the process's. */
  env?: Record<string, string | undefined>;
  /**
   * Timings of finding or creating the eval run's parent when importers race (see the README's
   * "One parent per eval run"); tests shorten them.
   */
  parentTimings?: {
    /** Wait before confirming our own parent. @default {1000} */
    settleMs?: number;
    /** Wait for another importer's parent to be confirmed. @default {30000} */
    waitMs?: number;
    /** Age after which an unconfirmed parent is ignored. @default {120000} */
    staleMs?: number;
  };
}

/**
 * What happened to one log.
 *
 * @example
 * ```ts
 * import { importInspectLog } from "@evalhooks/mlflow/inspect";
 *
 * const result = await importInspectLog("logs/run.eval");
 * if (result.status === "failed") console.error(result.error);
 * ```
 */
export interface ImportResult {
  /** The file (or the `name` given to {@linkcode importInspectReader}). */
  path: string;
  /** `imported`, `skipped` (already there, or not an Inspect log), `failed`, or `checked` (dry run). */
  status: "imported" | "skipped" | "failed" | "checked";
  /** Why it was skipped or failed. */
  reason?: string;
  /** The log's eval id. */
  evalId?: string;
  /** Task name. */
  task?: string;
  /** Samples read. */
  samples: number;
  /** Seconds taken. */
  seconds: number;
}

/**
 * Imports one Inspect log that is already open (read from bytes with `readEvalLog`, or from text
 * with `readJsonLog`) into MLflow by replaying it through {@linkcode mlflowHooks}, so it lands
 * exactly as the live hooks would have logged it, with the log's own timestamps. Web-only: this
 * is how a Worker or a browser imports a log it was sent. A log whose eval already has a task
 * run in the experiment is skipped (`force` re-imports into new runs). A log that breaks part
 * way leaves its runs `FAILED`; the result says why. Never throws for a bad log: read `status`.
 *
 * @example Import a `.eval` file posted to a Worker
 * ```ts
 * import { bytesSource, importInspectReader, readEvalLog } from "@evalhooks/mlflow/inspect/web";
 *
 * export default {
 *   async fetch(request: Request): Promise<Response> {
 *     const bytes = new Uint8Array(await request.arrayBuffer());
 *     const reader = await readEvalLog(bytesSource(bytes));
 *     const result = await importInspectReader(reader, {
 *       name: "upload.eval",
 *       trackingUri: "https://mlflow.example.com",
 *     });
 *     return Response.json(result);
 *   },
 * };
 * ```
 */
export async function importInspectReader(
  reader: InspectLogReader,
  options: ImportOptions & { name?: string } = {},
): Promise<ImportResult> {
  const started = performance.now();
  const result = (
    status: ImportResult["status"],
    extra: Partial<ImportResult> = {},
  ): ImportResult => ({
    path: options.name ?? "",
    status,
    samples: 0,
    seconds: (performance.now() - started) / 1000,
    ...extra,
  });
  const header = reader.header;
  const evalId = evalIdOf(header);
  const info = { evalId, task: header.eval?.task };
  if (options.dryRun) {
    let n = 0;
    for await (const _sample of reader.samples()) {
      // Counted apart from the callback: `onSample?.(++n)` skips the ++ when there is none.
      n++;
      options.onSample?.(n, reader.sampleCount);
    }
    return result("checked", { ...info, samples: n });
  }
  const errors: MlflowError[] = [];
  const mlflow = options.mlflow ??
    createMlflow({
      ...options.client,
      trackingUri: options.trackingUri,
      onError: (e) => errors.push(e),
    });
  const experimentName = resolveExperimentName(options.experimentName, options.env);
  if (!options.force) {
    const experimentId = (await mlflow.getExperimentByName(experimentName))?.experimentId;
    if (experimentId) {
      const existing = await mlflow.searchRuns({
        experimentIds: [experimentId],
        filter: `tags.\`inspect.eval_id\` = '${evalId.replace(/'/g, "\\'")}'`,
        maxResults: 1,
      });
      if (existing.length > 0) {
        return result("skipped", {
          ...info,
          reason: `already imported (run ${existing[0].info.runId}); --force re-imports`,
        });
      }
    }
  }
  // The task logs of one eval run share one parent, found by its key or created race-safely;
  // an explicit INSPECT_MLFLOW_PARENT_RUN_ID wins, as live.
  const given = resolveHooksConfig({ experimentName: options.experimentName }, options.env);
  let parent: { id: string; experimentId: string } | undefined;
  if (!given.parentRunId) {
    try {
      const spec = header.eval;
      const experimentId = await mlflow.getOrCreateExperiment(experimentName);
      const tags: Record<string, string> = { "inspect.run_id": spec.run_id };
      if (spec.eval_set_id) tags["inspect.eval_set_id"] = spec.eval_set_id;
      const id = await findOrCreateParent(mlflow, {
        experimentId,
        key: parentKeyOf(spec),
        runName: `inspect-${spec.run_id.slice(0, 8)}`,
        tags,
        startTime: parentStartOf(spec, header.stats?.started_at),
        ...options.parentTimings,
      });
      parent = { id, experimentId };
    } catch (error) {
      return result("failed", {
        ...info,
        reason: `no parent run: ${(error as Error).message ?? String(error)}`,
      });
    }
  }
  // The task's run is claimed before anything is logged: of two importers of this log at the
  // same time, one creates it and imports; the other finds it made and skips. (--force makes a
  // new run, as it always did.)
  let taskRun: JoinedRun | undefined;
  const parentId = parent?.id ?? given.parentRunId;
  if (!options.force && parentId) {
    const spec = header.eval;
    taskRun = mlflow.joinRun({
      key: `inspect.eval_id:${evalId}`,
      experimentName,
      parent: parentId,
      runName: spec.task,
      // As replay.ts starts the task: at the log's start.
      startTime: timeOf(header.stats?.started_at || spec.created),
      // The log's git revision, at creation: it replaces the importing checkout's git tags.
      tags: { "inspect.eval_id": evalId, ...revisionTags(spec) },
      ...(options.parentTimings?.settleMs !== undefined
        ? { settleMs: options.parentTimings.settleMs }
        : {}),
    });
    if (!(await taskRun.created)) {
      const runId = await taskRun.info().then((i) => i.runId, () => undefined);
      await taskRun.leave(); // the other importer's run: we write nothing to it
      if (runId === undefined) {
        return result("failed", { ...info, reason: "the task's run could not be claimed" });
      }
      return result("skipped", {
        ...info,
        reason: `already imported, or being imported by another process (run ${runId})`,
      });
    }
  }
  const hooks = mlflowHooks({
    mlflow,
    taskRuns: taskRun ? new Map([[evalId, taskRun]]) : undefined,
    env: options.env,
    experimentName: options.experimentName,
    logArtifacts: options.artifacts,
    tracing: options.traces,
    parentRunId: parent?.id ?? given.parentRunId,
    onError: (e) => errors.push(e),
  });
  let n = 0;
  const progress = trackProgress(mlflow, reader.sampleCount, options.onProgress);
  // In the order the samples finished, as the live hooks saw them end: their `sample/*` and
  // `event/*` steps are arrival indices.
  const counted = (async function* () {
    for await (const sample of reader.samples({ order: "completion" })) {
      yield sample as EvalSample;
      // Resumed when the hooks ask for the next sample: this one's writes are queued.
      n++;
      options.onSample?.(n, reader.sampleCount);
      progress.read();
    }
  })();
  let failure: unknown;
  await replayLog(header, hooks, { samples: counted }).catch((error) => failure = error);
  try {
    await hooks.flush();
  } catch (error) {
    if (!(error instanceof MlflowFlushError)) throw error;
  }
  if (parent) {
    // task_count, tasks, status and end time of the eval run, as far as its imported logs tell.
    await settleParent(mlflow, parent.experimentId, parent.id).catch((error) =>
      errors.push(
        asMlflowError(error, "parent", { errorCode: "PARENT_RUN", endpoint: "parent" }),
      )
    );
  }
  progress.done();
  if (failure !== undefined) {
    return result("failed", {
      ...info,
      samples: n,
      reason: (failure as Error).message ?? String(failure),
    });
  }
  if (errors.length > 0) {
    return result("failed", {
      ...info,
      samples: n,
      reason: `${errors.length} write(s) failed; first: ${errors[0].message}`,
    });
  }
  return result("imported", { ...info, samples: n });
}
