// Copyright 2026 the evalhooks authors. MIT license.
// This module is browser compatible.

// The parts of Evalite's storage interface (`Evalite.Storage`, evalite 0.19 and later) that
// mlflowStorage() wraps, duck-typed so the library does not depend on evalite. Evalite's own
// storages (`createInMemoryStorage`, `createSqliteStorage`) and any custom one fit.

/**
 * A record of Evalite's storage: it has a numeric id.
 *
 * @example
 * ```ts
 * import type { EvaliteEntity } from "@evalhooks/mlflow/evalite";
 *
 * const ids = (entities: EvaliteEntity[]) => entities.map((e) => e.id);
 * ```
 */
export interface EvaliteEntity {
  /** Its id. */
  id: number;
}

/**
 * Evalite's `results.create`/`results.update` options (the fields read here).
 *
 * @example
 * ```ts
 * import type { EvaliteResultWrite } from "@evalhooks/mlflow/evalite";
 *
 * const done = (r: EvaliteResultWrite) => r.status !== "running";
 * ```
 */
export interface EvaliteResultWrite {
  /** The result, on update. */
  id?: number;
  /** The eval, on create. */
  evalId?: number;
  /** Position in the eval's data. */
  order?: number;
  /** The data's input. */
  input: unknown;
  /** The data's expected value. */
  expected?: unknown;
  /** The task's output (its error, when it failed). */
  output: unknown;
  /** The case's duration in ms. */
  duration: number;
  /** `running` when it starts, then `success` or `fail`. */
  status: string;
  /** Trial number with `trialCount`. */
  trialIndex?: number | null;
}

/**
 * Evalite's `scores.create` options.
 *
 * @example
 * ```ts
 * import type { EvaliteScoreWrite } from "@evalhooks/mlflow/evalite";
 *
 * const score: EvaliteScoreWrite = { resultId: 1, name: "Exact", score: 1, metadata: null };
 * ```
 */
export interface EvaliteScoreWrite {
  /** The result. */
  resultId: number;
  /** Scorer name. */
  name: string;
  /** 0 to 1. */
  score: number;
  /** The scorer's description. */
  description?: string;
  /** What the scorer returned beside the score. */
  metadata: unknown;
}

/**
 * Evalite's `traces.create` options: one reported LLM call.
 *
 * @example
 * ```ts
 * import type { EvaliteTraceWrite } from "@evalhooks/mlflow/evalite";
 *
 * const ms = (t: EvaliteTraceWrite) => t.end - t.start;
 * ```
 */
export interface EvaliteTraceWrite {
  /** The result. */
  resultId: number;
  /** The prompt. */
  input: unknown;
  /** The response. */
  output: unknown;
  /** Start, ms since the epoch. */
  start: number;
  /** End, ms since the epoch. */
  end: number;
  /** Prompt tokens. */
  inputTokens?: number;
  /** Completion tokens. */
  outputTokens?: number;
  /** All tokens. */
  totalTokens?: number;
  /** Position in the result. */
  order: number;
}

/**
 * An Evalite storage, as `storage` in `evalite.config.ts` returns it: what
 * {@linkcode mlflowStorage} wraps.
 *
 * @example
 * ```ts
 * import type { EvaliteStorage } from "@evalhooks/mlflow/evalite";
 *
 * const closeAll = (storages: EvaliteStorage[]) => Promise.all(storages.map((s) => s.close()));
 * ```
 */
export interface EvaliteStorage {
  /** Runs: one per `evalite` invocation (and watch-mode rerun). */
  runs: {
    create(opts: { runType: string }): Promise<EvaliteEntity>;
    getMany(opts?: object): Promise<unknown[]>;
  };
  /** Evals: one per `evalite()` (and variant) in a run. */
  evals: {
    create(opts: {
      runId: number;
      name: string;
      filepath: string;
      variantName?: string;
      variantGroup?: string;
    }): Promise<EvaliteEntity>;
    update(opts: { id: number; status: string }): Promise<unknown>;
    getMany(opts?: object): Promise<unknown[]>;
  };
  /** Results: one per data row (and trial). */
  results: {
    create(opts: EvaliteResultWrite & { evalId: number }): Promise<EvaliteEntity>;
    update(opts: EvaliteResultWrite & { id: number }): Promise<EvaliteEntity>;
    getMany(opts?: object): Promise<unknown[]>;
  };
  /** Scores: one per scorer and result. */
  scores: {
    create(opts: EvaliteScoreWrite): Promise<unknown>;
    getMany(opts?: object): Promise<unknown[]>;
  };
  /** Traces: the LLM calls a task reported. */
  traces: {
    create(opts: EvaliteTraceWrite): Promise<unknown>;
    getMany(opts?: object): Promise<unknown[]>;
  };
  /** Closes the storage. */
  close(): Promise<void>;
}
