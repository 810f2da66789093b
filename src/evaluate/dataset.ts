// Copyright 2026 the evalhooks authors. MIT license.
// This module is browser compatible.

// The dataset `evaluate()` logs as its run's input: what `mlflow.genai.evaluate` logs for a
// DataFrame (name `dataset`, a code source, the row count as `num_rows`), with a digest of the
// rows themselves, so two evaluations over the same rows name the same dataset and any change to
// a row makes a new one. Fields the caller gives win.

import { sha256Hex } from "../base/sha256.ts";
import type { DatasetInput } from "../client/dataset_types.ts";
import type { EvalRow } from "./types.ts";

/** The run input for an evaluation over `rows`; `given` fields replace the defaults. */
export function evalDataset(
  rows: readonly EvalRow[],
  given: Partial<DatasetInput> = {},
): DatasetInput {
  const dataset: DatasetInput = {
    name: "dataset",
    source: { tags: {} },
    profile: { num_rows: rows.length },
    context: "eval",
  };
  const digest = rowsDigest(rows);
  if (digest !== undefined) dataset.digest = digest;
  for (const [k, v] of Object.entries(given)) {
    if (v !== undefined) (dataset as unknown as Record<string, unknown>)[k] = v;
  }
  return dataset;
}

// The first 8 hex digits of SHA-256 over the rows' inputs, expectations and given outputs; none
// when a row cannot be written as JSON (then logInput's own digest, of name and source, is used).
function rowsDigest(rows: readonly EvalRow[]): string | undefined {
  try {
    const text = JSON.stringify(
      rows.map((r) => [r.inputs ?? null, r.expectations ?? null, r.outputs ?? null]),
    );
    return sha256Hex(text).slice(0, 8);
  } catch {
    return undefined;
  }
}
