// Copyright 2026 the evalhooks authors. MIT license.
// This module is browser compatible.

// The dataset `evaluate()` logs as its run's input: what `mlflow.genai.evaluate` logs for a
// list of rows (name `dataset`, a `code` source holding the source tags, the column schema as
// `mlflow_colspec`, `num_rows` and `num_elements`), with a digest of the rows themselves, so two
// evaluations over the same rows name the same dataset and any change to a row makes a new one.
// Fields the caller gives win.

import { sha256Hex } from "../base/sha256.ts";
import type { DatasetInput } from "../client/dataset_types.ts";
import { rowsSchema } from "./schema.ts";
import type { EvalRow } from "./types.ts";

/**
 * The run input for an evaluation over `rows`; `given` fields replace the defaults. `sourceTags`
 * (the client's) go in the source, as Python puts its run's context tags there.
 */
export function evalDataset(
  rows: readonly EvalRow[],
  given: Partial<DatasetInput> = {},
  sourceTags: Readonly<Record<string, string>> = {},
): DatasetInput {
  const { columns, schema } = rowsSchema(rows);
  const dataset: DatasetInput = {
    name: "dataset",
    // A source object naming neither url nor uri is typed `code` by logInput, as Python types it;
    // a caller's own source keeps its own type.
    source: { tags: { ...sourceTags } },
    schema,
    profile: { num_rows: rows.length, num_elements: rows.length * columns },
  };
  const digest = rowsDigest(rows, schema);
  if (digest !== undefined) dataset.digest = digest;
  for (const [k, v] of Object.entries(given)) {
    if (v !== undefined) (dataset as unknown as Record<string, unknown>)[k] = v;
  }
  return dataset;
}

// The first 8 hex digits of SHA-256 over the rows' inputs, expectations and given outputs and
// the schema; none when a row cannot be written as JSON (then logInput's own digest, of name and
// source, is used). The schema is in it because MLflow keeps the first dataset of a name and
// digest: one logged before schemas were written would otherwise hide the schema for good.
function rowsDigest(rows: readonly EvalRow[], schema: unknown): string | undefined {
  try {
    const text = JSON.stringify([
      rows.map((r) => [r.inputs ?? null, r.expectations ?? null, r.outputs ?? null]),
      schema ?? null,
    ]);
    return sha256Hex(text).slice(0, 8);
  } catch {
    return undefined;
  }
}
