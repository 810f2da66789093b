// Copyright 2026 the evalhooks authors. MIT license.
// This module is browser compatible.

/**
 * A dataset for `run.logInput`: what MLflow's run page lists under Datasets, with its lineage
 * (where it came from), and what Python's `mlflow.log_input(dataset, context=…)` logs.
 *
 * Source, schema and profile are JSON text on the server: give them as objects (written as
 * Python's `json.dumps` writes them, byte for byte) or as JSON text (kept as it is). A `source`
 * string that is not JSON is taken as a location: `https://…` becomes `{"url": …}` (type `http`),
 * anything else `{"uri": …}` (type `local` for a path or `file:`, else the URI's scheme: `s3`,
 * `gs`, …), the forms MLflow's UI reads.
 *
 * @example An eval set on S3, with its size and schema
 * ```ts
 * import { createMlflow, type DatasetInput } from "@evalhooks/mlflow";
 *
 * const mlflow = createMlflow({ trackingUri: "http://127.0.0.1:5000" });
 * const dataset: DatasetInput = {
 *   name: "qa-golden",
 *   source: "s3://evals/qa-golden/v3.jsonl",
 *   profile: { num_rows: 120 },
 *   schema: { mlflow_colspec: [{ type: "string", name: "question", required: true }] },
 *   context: "eval",
 *   tags: { version: "v3" },
 * };
 * mlflow.startRun({ runName: "qa" }).logInput(dataset);
 * ```
 */
export interface DatasetInput {
  /** Name (at most 500 characters); with the digest, the dataset's identity in its experiment. */
  name: string;
  /**
   * Where the data came from: an object such as `{ url }` or `{ uri }`, JSON text of one, or a
   * location (URL, URI or path). At most 65,535 characters as JSON.
   */
  source: string | Record<string, unknown>;
  /**
   * Source type: `http`, `local`, `s3`, `code`, … (at most 36 characters).
   * @default {`http` for a `url`, the URI's scheme for a `uri` (`local` for a path or `file:`), else `code`}
   */
  sourceType?: string;
  /**
   * A hash or version of the data (at most 36 characters). The same name and digest in the same
   * experiment is the same dataset: MLflow keeps the first one's source, schema and profile.
   * @default {the first 8 hex digits of SHA-256 over the name, source, source type and schema, as Python's `MetaDataset` computes it}
   */
  digest?: string;
  /** Schema, e.g. MLflow's `{ mlflow_colspec: [{ type, name, required }] }` (shown as a table). */
  schema?: string | Record<string, unknown> | unknown[];
  /** Profile: summary figures such as `{ num_rows: 120 }` (each shown on the run page). */
  profile?: string | Record<string, unknown>;
  /**
   * What the run used it for: `eval`, `training`, `testing`, … (the input tag
   * `mlflow.data.context`, at most 500 characters).
   */
  context?: string;
  /** Input tags: keys up to 255 characters, values up to 500. */
  tags?: Record<string, string | number | boolean>;
}
