// Copyright 2026 the evalhooks authors. MIT license.
// This module is browser compatible.

/**
 * The tracking server's limits, as MLflow 3.x enforces them (`mlflow/utils/validation.py`).
 * The batcher and the validator read them from here so that one change keeps both in step.
 *
 * @example Chunk your own params the way the batcher does
 * ```ts
 * import { LIMITS } from "@evalhooks/mlflow";
 *
 * console.log(`${LIMITS.metricsPerBatch} metrics per request, params up to ${LIMITS.paramValueLength} characters`);
 * ```
 */
export const LIMITS = {
  /** Metrics in one `runs/log-batch` request. */
  metricsPerBatch: 1000,
  /** Params in one request. */
  paramsPerBatch: 100,
  /** Tags in one request. */
  tagsPerBatch: 100,
  /** Metrics + params + tags in one request. */
  entitiesPerBatch: 1000,
  /** Bytes of JSON in one request. */
  batchBytes: 1_000_000,
  /** Characters in a metric, param or tag key. */
  keyLength: 250,
  /** Characters in a param value. */
  paramValueLength: 6000,
  /** Characters in a tag value. */
  tagValueLength: 8000,
  /** Characters in an experiment name. */
  experimentNameLength: 500,
  /** Characters in an experiment tag value (refused above it, never cut). */
  experimentTagValueLength: 20_000,
} as const;
