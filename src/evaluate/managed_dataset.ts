// Copyright 2026 the evalhooks authors. MIT license.
// This module is browser compatible.

// `evaluate({ data: dataset })` over an MLflow evaluation dataset, as `mlflow.genai.evaluate(
// data=dataset)` does it: the rows are the dataset's records, and the run's dataset input is the
// dataset itself, named and digested by the server, with a `mlflow_evaluation_dataset` source
// holding its id (`{"dataset_id": "d-…"}`), its schema and profile as the server computed them,
// and no context tag. That input is what links the run to the dataset in MLflow's UI and in
// Python (`get_run(…).inputs.dataset_inputs`, `EvaluationDatasetSource`).

import type { DatasetInput } from "../client/dataset_types.ts";
import type { EvaluationDataset } from "../client/genai_dataset_types.ts";
import type { MlflowClient } from "../client/types.ts";
import type { EvalRow } from "./types.ts";

/** The source type Python's `EvaluationDatasetSource` writes. */
export const EVALUATION_DATASET_SOURCE_TYPE = "mlflow_evaluation_dataset";

/** A managed dataset's rows, and the run input that links an evaluation to it. */
export interface ManagedData {
  /** The records as evaluation rows, in the server's order. */
  rows: EvalRow[];
  /** The run input; `given` fields replace the defaults. */
  input: DatasetInput;
}

/**
 * Reads `dataset` again (its digest, schema and profile change with every merge, so the input
 * names the records evaluated now) and its records, as rows.
 */
export async function readManagedData(
  mlflow: MlflowClient,
  dataset: EvaluationDataset,
  given: Partial<DatasetInput> = {},
): Promise<ManagedData> {
  const now = await mlflow.getDataset(dataset.datasetId);
  const records = await now.records();
  const rows = records.map((record) => {
    const row: EvalRow = { inputs: record.inputs };
    if (record.expectations !== undefined && Object.keys(record.expectations).length > 0) {
      row.expectations = record.expectations;
    }
    if (record.outputs !== undefined) row.outputs = record.outputs;
    return row;
  });
  const input: DatasetInput = {
    name: now.name,
    source: { dataset_id: now.datasetId },
    sourceType: EVALUATION_DATASET_SOURCE_TYPE,
  };
  if (now.digest) input.digest = now.digest;
  if (now.schema !== undefined) input.schema = now.schema;
  if (now.profile !== undefined) input.profile = now.profile;
  for (const [k, v] of Object.entries(given)) {
    if (v !== undefined) (input as unknown as Record<string, unknown>)[k] = v;
  }
  return { rows, input };
}
