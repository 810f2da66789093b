// Copyright 2026 the evalhooks authors. MIT license.
// This module is browser compatible.

// What the server holds for an MLflow 3 evaluation dataset (`mlflow.genai.datasets`) and its
// records, in the library's shape. The handle with methods is the client's (genai_dataset_types).

/**
 * Where a dataset record came from, as MLflow records it: `HUMAN` (a test case written by a
 * person), `CODE` (generated), `TRACE` (taken from a trace; `sourceData.trace_id`), `DOCUMENT`.
 *
 * @example
 * ```ts
 * import type { DatasetRecordSource } from "@evalhooks/mlflow";
 *
 * const source: DatasetRecordSource = { sourceType: "TRACE", sourceData: { trace_id: "tr-1" } };
 * ```
 */
export interface DatasetRecordSource {
  /** The kind of source. */
  sourceType: "TRACE" | "HUMAN" | "DOCUMENT" | "CODE" | "UNSPECIFIED";
  /** Details, such as `{ trace_id }` for a trace. */
  sourceData?: Record<string, unknown>;
}

/**
 * One record of an evaluation dataset, as read back.
 *
 * @example
 * ```ts
 * import { createMlflow, type DatasetRecord } from "@evalhooks/mlflow";
 *
 * const mlflow = createMlflow({ trackingUri: "http://127.0.0.1:5000" });
 * const dataset = await mlflow.getDataset("d-0123456789abcdef0123456789abcdef");
 * const records: DatasetRecord[] = await dataset.records();
 * console.log(records.map((r) => r.inputs));
 * ```
 */
export interface DatasetRecord {
  /** The record's id (`dr-…`). */
  recordId: string;
  /** The dataset's id. */
  datasetId: string;
  /** The inputs: the record's identity (a merge with the same inputs updates it). */
  inputs: Record<string, unknown>;
  /** Outputs, when the record holds some. */
  outputs?: unknown;
  /** Expectations (ground truth), when given. */
  expectations?: Record<string, unknown>;
  /** Record tags. */
  tags: Record<string, string>;
  /** Where it came from, when known. */
  source?: DatasetRecordSource;
  /** The source's id (a trace id for `TRACE`). */
  sourceId?: string;
  /** Created, ms since the epoch. */
  createdTime: number;
  /** Last changed, ms since the epoch. */
  lastUpdateTime: number;
  /** Who created it (`mlflow.user`), when known. */
  createdBy?: string;
  /** Who changed it last, when known. */
  lastUpdatedBy?: string;
}

/**
 * An evaluation dataset's metadata, as the server holds it.
 *
 * @example
 * ```ts
 * import { createMlflow, type DatasetInfo } from "@evalhooks/mlflow";
 *
 * const mlflow = createMlflow({ trackingUri: "http://127.0.0.1:5000" });
 * const info: DatasetInfo = await mlflow.getDataset("d-0123456789abcdef0123456789abcdef");
 * console.log(info.name, info.digest, info.profile);
 * ```
 */
export interface DatasetInfo {
  /** The dataset's id (`d-` and 32 hex digits). */
  datasetId: string;
  /** Name (not unique: two datasets may share one). */
  name: string;
  /** Changes with every change to the records (MLflow computes it from name and update time). */
  digest: string;
  /** Dataset tags (MLflow adds `mlflow.user`). */
  tags: Record<string, string>;
  /** MLflow's schema of the records, as JSON text; absent before the first record. */
  schema?: string;
  /** MLflow's profile (`{"num_records": n}`), as JSON text; absent before the first record. */
  profile?: string;
  /** Created, ms since the epoch. */
  createdTime: number;
  /** Last changed, ms since the epoch. */
  lastUpdateTime: number;
  /** Who created it, when known. */
  createdBy?: string;
  /** Who changed it last, when known. */
  lastUpdatedBy?: string;
  /**
   * The experiments it belongs to (listed in their Datasets tab). Read by `createDataset` and
   * `getDataset`; absent in `searchDatasets` results, where it would cost a request per dataset.
   */
  experimentIds?: string[];
}
