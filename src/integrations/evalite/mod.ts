// Copyright 2026 the evalhooks authors. MIT license.
// This module is browser compatible.

/**
 * Log [Evalite](https://github.com/mattpocock/evalite) evals to MLflow as they run, through
 * Evalite's storage: wrap the storage in `evalite.config.ts` with {@linkcode mlflowStorage}. One
 * parent run per Evalite run, one child run per `evalite()` eval, one trace per data row with its
 * scores as feedback, `<scorer>/mean` per eval. Web-only and duck-typed: it depends on no
 * evalite package.
 *
 * @example evalite.config.ts
 * ```ts ignore
 * import { defineConfig } from "evalite/config";
 * import { createInMemoryStorage } from "evalite/in-memory-storage";
 * import { mlflowStorage } from "@evalhooks/mlflow/evalite";
 *
 * export default defineConfig({ storage: () => mlflowStorage(createInMemoryStorage()) });
 * ```
 *
 * @module
 */

export { mlflowStorage, type MlflowStorageOptions } from "./storage.ts";
export type {
  EvaliteEntity,
  EvaliteResultWrite,
  EvaliteScoreWrite,
  EvaliteStorage,
  EvaliteTraceWrite,
} from "./types.ts";
export type { MlflowClient } from "../../client/types.ts";
