// Copyright 2026 the evalhooks authors. MIT license.
// This module is browser compatible.

import type { DatasetInfo, DatasetRecord, DatasetRecordSource } from "../store/dataset_types.ts";

export type { DatasetInfo, DatasetRecord, DatasetRecordSource };

/**
 * A record to merge into an evaluation dataset: Python's `merge_records` row. The inputs are
 * its identity: merging a row whose inputs are already in the dataset updates that record
 * (expectations and tags merged key by key) instead of adding one.
 *
 * @example
 * ```ts
 * import type { DatasetRecordInput } from "@evalhooks/mlflow";
 *
 * const row: DatasetRecordInput = {
 *   inputs: { question: "What is MLflow?" },
 *   expectations: { expected_response: "An open source ML platform" },
 *   tags: { topic: "basics" },
 * };
 * ```
 */
export interface DatasetRecordInput {
  /** The inputs, a record of named values (what `predict` receives). */
  inputs: Record<string, unknown>;
  /** Ground truth, a record such as `{ expected_response }`. */
  expectations?: Record<string, unknown>;
  /**
   * Where the row came from.
   * @default {`HUMAN` when it has expectations, else `CODE`, as Python infers it}
   */
  source?: DatasetRecordSource;
  /** Record tags. */
  tags?: Record<string, string | number | boolean>;
}

/**
 * What `mergeRecords` did: records added, and records whose inputs were there already.
 *
 * @example
 * ```ts
 * import type { MergeRecordsResult } from "@evalhooks/mlflow";
 *
 * const result: MergeRecordsResult = { inserted: 2, updated: 0 };
 * ```
 */
export interface MergeRecordsResult {
  /** New records. */
  inserted: number;
  /** Existing records updated (same inputs). */
  updated: number;
}

/**
 * An MLflow 3 evaluation dataset (`mlflow.genai.datasets`): its metadata, and the calls on its
 * records and tags. The metadata is a snapshot, refreshed by `mergeRecords` (as Python's
 * `merge_records` refreshes it); pass the dataset to `mlflow.evaluate({ data: dataset })` to
 * evaluate its records and link the run to it.
 *
 * @example
 * ```ts
 * import { createMlflow, exactMatch } from "@evalhooks/mlflow";
 *
 * const mlflow = createMlflow({ trackingUri: "http://127.0.0.1:5000", experimentName: "qa" });
 * const dataset = await mlflow.createDataset({ name: "qa-golden" });
 * await dataset.mergeRecords([{ inputs: { q: "2 + 2" }, expectations: { expected_response: "4" } }]);
 * console.log((await dataset.records()).length);
 * await mlflow.evaluate({ data: dataset, predict: () => "4", scorers: [exactMatch()] });
 * ```
 */
export interface EvaluationDataset extends DatasetInfo {
  /**
   * Inserts new records and updates those whose inputs are already there; all rows are checked
   * before any is sent. Merging the same rows again adds nothing. Refreshes this object's
   * `digest`, `schema`, `profile` and update time.
   */
  mergeRecords(rows: readonly DatasetRecordInput[]): Promise<MergeRecordsResult>;
  /** Every record, all pages read. */
  records(): Promise<DatasetRecord[]>;
  /** Sets tags, merged into the existing ones (this object's `tags` too). */
  setTags(tags: Record<string, string | number | boolean>): Promise<void>;
  /** Deletes one tag (nothing happens if it is not there). */
  deleteTag(key: string): Promise<void>;
}

/**
 * Options of `createDataset`.
 *
 * @example
 * ```ts
 * import { createMlflow, type CreateDatasetOptions } from "@evalhooks/mlflow";
 *
 * const mlflow = createMlflow({ trackingUri: "http://127.0.0.1:5000" });
 * const options: CreateDatasetOptions = { name: "qa-golden", experimentIds: ["1"], tags: { v: 2 } };
 * const dataset = await mlflow.createDataset(options);
 * ```
 */
export interface CreateDatasetOptions {
  /** Name (not unique: MLflow allows two datasets of one name). */
  name: string;
  /**
   * Experiments it belongs to.
   * @default {the client's experiment (`experimentId`, `experimentName`, their environment variables, else `0`), as Python uses the active one}
   */
  experimentIds?: string[];
  /** Dataset tags. */
  tags?: Record<string, string | number | boolean>;
}

/**
 * Options of `searchDatasets`.
 *
 * @example
 * ```ts
 * import { createMlflow, type SearchDatasetsOptions } from "@evalhooks/mlflow";
 *
 * const mlflow = createMlflow({ trackingUri: "http://127.0.0.1:5000" });
 * const options: SearchDatasetsOptions = { experimentIds: ["1"], filter: "name LIKE 'qa-%'" };
 * const found = await mlflow.searchDatasets(options);
 * ```
 */
export interface SearchDatasetsOptions {
  /** Only datasets of these experiments. @default {all} */
  experimentIds?: string[];
  /** MLflow's filter: `name = 'x'`, `name LIKE 'qa-%'`, `tags.team = 'x'`, `created_time > 0`. */
  filter?: string;
  /** Order, e.g. `["created_time DESC"]` (`name`, `created_time`, `last_update_time`). */
  orderBy?: string[];
  /** At most this many. @default {all} */
  maxResults?: number;
}
