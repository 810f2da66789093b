// Copyright 2026 the evalhooks authors. MIT license.
// This module is browser compatible.

// Evalite writes every run, eval, result, score and LLM call through its storage as they happen,
// one at a time; its reporters are fixed. So the integration point is the storage: a wrapper that
// writes through to the storage Evalite would use (which answers every read) and mirrors the
// writes to MLflow. A result is traced once its scores and LLM calls are in, which is when the
// next result or eval write comes; an eval's run ends when Evalite marks the eval done, and that
// write resolves once everything of it is on the server: Evalite may exit right after.

import { MlflowFlushError } from "../../base/errors.ts";
import { createClient } from "../../client/client.ts";
import { readEnv } from "../../client/env.ts";
import type { MlflowClient, Run } from "../../client/types.ts";
import type { RowResult } from "../../evaluate/types.ts";
import { traceRunnerCase } from "../runner/case_trace.ts";
import { endSuiteRun } from "../runner/suite_run.ts";
import { type PendingResult, resultCase } from "./result_case.ts";
import type { EvaliteStorage } from "./types.ts";

/**
 * Options of {@linkcode mlflowStorage}.
 *
 * @example
 * ```ts
 * import type { MlflowStorageOptions } from "@evalhooks/mlflow/evalite";
 *
 * const options: MlflowStorageOptions = { experimentName: "evalite", tags: { branch: "main" } };
 * ```
 */
export interface MlflowStorageOptions {
  /** Experiment. @default {env MLFLOW_EXPERIMENT_NAME, else "evalite"} */
  experimentName?: string;
  /** Tracking server, when no `mlflow` client is given. @default {env MLFLOW_TRACKING_URI} */
  trackingUri?: string;
  /** A client to log with; else one is made. */
  mlflow?: MlflowClient;
  /** Tags on every run. */
  tags?: Record<string, string>;
}

interface EvalRun {
  run: Run;
  parentId: number;
  name: string;
  rows: RowResult[];
  failed: number;
  startMs: number;
  endMs: number;
}

/**
 * Wraps an Evalite storage so that what Evalite writes is also logged to MLflow as it runs: each
 * Evalite run (one `evalite` invocation, or a watch-mode rerun) is a parent run `evalite-<id>`,
 * each `evalite()` eval (and variant) a child run named after it (`mlflow.runType =
 * genai_evaluate`), each data row (and trial) a trace in it (request = the input, response = the
 * output, the expected value as an expectation, reported LLM calls as LLM spans), each scorer's
 * score feedback named after the scorer. An eval's run gets `<scorer>/mean`, the `eval.*` tags
 * (rows, errors, latency percentiles), `evalite.failed`, `evalite.duration_ms` and
 * `eval_results.json` when Evalite marks the eval done, and that write waits until everything of
 * the eval is on the server. Reads go to `storage` alone. Logging failures are reported by the
 * client's `onError` and never fail the evals. Throws a TypeError when there is no tracking URI.
 *
 * @example evalite.config.ts
 * ```ts ignore
 * import { defineConfig } from "evalite/config";
 * import { createInMemoryStorage } from "evalite/in-memory-storage";
 * import { mlflowStorage } from "@evalhooks/mlflow/evalite";
 *
 * export default defineConfig({
 *   storage: () => mlflowStorage(createInMemoryStorage(), { experimentName: "evalite" }),
 * });
 * ```
 */
export function mlflowStorage<S extends EvaliteStorage>(
  storage: S,
  options: MlflowStorageOptions = {},
): S {
  const experimentName = options.experimentName ?? readEnv("MLFLOW_EXPERIMENT_NAME") ??
    "evalite";
  const mlflow = options.mlflow ??
    createClient({ trackingUri: options.trackingUri, experimentName });
  const parents = new Map<number, { run: Run; open: number; evals: number }>();
  const evals = new Map<number, EvalRun>();
  // A result's update names only the result: its eval and order are those it was created with.
  const created = new Map<number, { evalId: number; order?: number }>();
  let pending: PendingResult | undefined;

  const tracePending = () => {
    const p = pending;
    pending = undefined;
    const e = p && evals.get(p.evalId);
    if (!p || !e) return;
    const c = resultCase(p, e.name);
    const row = traceRunnerCase(mlflow, e.run, c);
    e.rows.push(row);
    if (row.error) e.failed++;
    e.startMs = Math.min(e.startMs, c.startMs);
    e.endMs = Math.max(e.endMs, c.startMs + row.latencyMs, p.at);
  };

  const hold = (id: number, evalId: number, result: PendingResult["result"]) => {
    tracePending();
    if (result.status !== "running") {
      pending = { id, evalId, result, scores: [], traces: [], at: Date.now() };
    }
  };

  const endEval = async (id: number, status: string) => {
    tracePending();
    const e = evals.get(id);
    if (!e || status === "running") return;
    evals.delete(id);
    endSuiteRun(e.run, e.rows, {
      tags: {
        "evalite.status": status,
        "evalite.failed": String(e.failed),
        "evalite.duration_ms": String(Math.round(Math.max(0, e.endMs - e.startMs))),
      },
    });
    const parent = parents.get(e.parentId);
    if (parent && --parent.open === 0) {
      // Evalite says nothing when a run is over: the parent ends whenever none of its evals is
      // running, and is ended again if a later eval joins it.
      parent.run.setTags({ "evalite.evals": String(parent.evals) });
      void parent.run.end("FINISHED").catch(() => {});
    }
    try {
      await mlflow.flush();
    } catch (error) {
      // Already reported, item by item, to the client's onError: the evals' outcome stands.
      if (!(error instanceof MlflowFlushError)) throw error;
    }
  };

  const wrapped: EvaliteStorage = {
    runs: {
      async create(opts) {
        tracePending();
        const run = await storage.runs.create(opts);
        parents.set(run.id, {
          run: mlflow.startRun({
            experimentName,
            runName: `evalite-${run.id}`,
            tags: {
              "evalite.run_id": String(run.id),
              "evalite.run_type": String(opts.runType),
              ...options.tags,
            },
          }),
          open: 0,
          evals: 0,
        });
        return run;
      },
      getMany: (opts) => storage.runs.getMany(opts),
    },
    evals: {
      async create(opts) {
        tracePending();
        const entity = await storage.evals.create(opts);
        let parent = parents.get(opts.runId);
        if (parent && parent.open === 0 && parent.evals > 0) {
          // The parent was ended when its evals were; continue it for this one.
          parent.run = mlflow.startRun({ runId: (await parent.run.info()).runId });
        }
        if (!parent) {
          parent = {
            run: mlflow.startRun({ experimentName, runName: `evalite-${opts.runId}` }),
            open: 0,
            evals: 0,
          };
          parents.set(opts.runId, parent);
        }
        parent.open++;
        parent.evals++;
        const now = Date.now();
        evals.set(entity.id, {
          run: mlflow.startRun({
            experimentName,
            parent: parent.run,
            runName: opts.name,
            tags: {
              // An evaluation run to MLflow's GenAI views, as evaluate()'s runs are.
              "mlflow.runType": "genai_evaluate",
              "evalite.run_id": String(opts.runId),
              "evalite.eval_id": String(entity.id),
              "evalite.file": opts.filepath,
              ...(opts.variantName ? { "evalite.variant_name": opts.variantName } : {}),
              ...(opts.variantGroup ? { "evalite.variant_group": opts.variantGroup } : {}),
              ...options.tags,
            },
          }),
          parentId: opts.runId,
          name: opts.name,
          rows: [],
          failed: 0,
          startMs: now,
          endMs: now,
        });
        return entity;
      },
      async update(opts) {
        const updated = await storage.evals.update(opts);
        await endEval(opts.id, opts.status);
        return updated;
      },
      getMany: (opts) => storage.evals.getMany(opts),
    },
    results: {
      async create(opts) {
        const entity = await storage.results.create(opts);
        created.set(entity.id, { evalId: opts.evalId, order: opts.order });
        hold(entity.id, opts.evalId, opts);
        return entity;
      },
      async update(opts) {
        const entity = await storage.results.update(opts);
        const first = created.get(opts.id);
        if (first) hold(opts.id, first.evalId, { order: first.order, ...opts });
        return entity;
      },
      getMany: (opts) => storage.results.getMany(opts),
    },
    scores: {
      async create(opts) {
        const entity = await storage.scores.create(opts);
        if (pending?.id === opts.resultId) pending.scores.push(opts);
        return entity;
      },
      getMany: (opts) => storage.scores.getMany(opts),
    },
    traces: {
      async create(opts) {
        const entity = await storage.traces.create(opts);
        if (pending?.id === opts.resultId) pending.traces.push(opts);
        return entity;
      },
      getMany: (opts) => storage.traces.getMany(opts),
    },
    async close() {
      for (const id of [...evals.keys()]) await endEval(id, "success");
      await storage.close();
    },
  };
  // Evalite's storage is also `await using`-able.
  const dispose = { [Symbol.asyncDispose]: () => wrapped.close() };
  return Object.assign(wrapped, dispose) as unknown as S;
}
