// Copyright 2026 the evalhooks authors. MIT license.
// This module is browser compatible.

// A run's dataset inputs on the wire: `POST runs/log-inputs` and the `inputs.dataset_inputs` that
// `runs/get` and `runs/search` return. MLflow 3.18 keeps one dataset row per (experiment, name,
// digest) and one input edge per (dataset, run), and reuses both when they exist, so sending the
// same dataset again, or a retry of a request that did land, adds nothing (checked against the
// real server in tests/inputs_test.ts). Input tags come with the edge: a repeat's tags are ignored.

import { MlflowError } from "../base/errors.ts";
import type { RestClient } from "../transport/rest.ts";
import type { RunDataset } from "./types.ts";

/** The input tag Python's `mlflow.log_input(dataset, context=…)` sets, and MLflow's UI shows. */
export const DATASET_CONTEXT_TAG = "mlflow.data.context";

/**
 * The server's limits on a dataset input (`mlflow/utils/validation.py`, and the database column
 * for the source type, which the server does not check itself but MySQL and PostgreSQL enforce).
 */
export const DATASET_LIMITS = {
  /** Characters in a dataset name. */
  name: 500,
  /** Characters in a digest. */
  digest: 36,
  /** Characters in a source type (`VARCHAR(36)`). */
  sourceType: 36,
  /** Characters in the source JSON. */
  source: 65_535,
  /** Characters in the schema. */
  schema: 1_048_575,
  /** Characters in the profile. */
  profile: 16_777_215,
  /** Characters in an input tag key. */
  tagKey: 255,
  /** Characters in an input tag value. */
  tagValue: 500,
} as const;

/** A dataset input as `runs/log-inputs` takes it and `runs/get` gives it back. */
export interface WireDatasetInput {
  /** The dataset. */
  dataset: {
    name: string;
    digest: string;
    source_type: string;
    source: string;
    schema?: string;
    profile?: string;
  };
  /** Input tags, such as `mlflow.data.context`. */
  tags?: { key: string; value: string }[];
}

/**
 * Sends `runs/log-inputs` with `datasets` (and logged models' ids, `models`) for run `runId`
 * (safe to retry: the server dedups both).
 */
export async function logInputs(
  rest: RestClient,
  runId: string,
  datasets: WireDatasetInput[],
  models: string[] = [],
): Promise<void> {
  for (let attempt = 1;; attempt++) {
    try {
      await rest.request({
        method: "POST",
        endpoint: "/api/2.0/mlflow/runs/log-inputs",
        json: models.length > 0
          ? { run_id: runId, datasets, models: models.map((id) => ({ model_id: id })) }
          : { run_id: runId, datasets },
        key: datasets.length === 1 ? datasets[0].dataset.name : models[0],
        runId,
      });
      return;
    } catch (error) {
      if (attempt >= INSERT_RACE_ATTEMPTS || !lostInsertRace(error)) throw error;
      // Sent again, the lookup finds the dataset the other run inserted and reuses it.
      await new Promise((resolve) => setTimeout(resolve, 20 * attempt + Math.random() * 30));
    }
  }
}

const INSERT_RACE_ATTEMPTS = 5;

/**
 * MLflow looks a dataset up by (experiment, name, digest) and inserts it when missing, with no
 * lock between the two: when two runs log the same new dataset at once, the slower insert breaks
 * the unique key and the server answers 400 with the database's message (SQLite, PostgreSQL or
 * MySQL wording). The request is idempotent, so it is sent again.
 */
function lostInsertRace(error: unknown): boolean {
  return error instanceof MlflowError && error.status === 400 &&
    /UNIQUE constraint failed: datasets\.|duplicate key value violates unique constraint|Duplicate entry .* for key/i
      .test(error.message);
}

/** The datasets of a run as `runs/get` returns them (`run.inputs`), in the library's shape. */
export function toRunDatasets(inputs?: { dataset_inputs?: WireDatasetInput[] }): RunDataset[] {
  return (inputs?.dataset_inputs ?? []).map(({ dataset, tags }) => {
    const out: RunDataset = {
      name: dataset.name,
      digest: dataset.digest,
      sourceType: dataset.source_type,
      source: dataset.source,
      tags: {},
    };
    if (dataset.schema) out.schema = dataset.schema;
    if (dataset.profile) out.profile = dataset.profile;
    for (const { key, value } of tags ?? []) {
      if (key === DATASET_CONTEXT_TAG) out.context = value;
      else out.tags[key] = value;
    }
    return out;
  });
}
