// Copyright 2026 the evalhooks authors. MIT license.
// This module is browser compatible.

// Writes to an existing run: the log-batch request (its body is packed by the batcher) and the
// run's end. Creation, which must happen exactly once, is run_create.ts's.

import { MlflowError } from "../base/errors.ts";
import type { RestClient } from "../transport/rest.ts";
import type { RunStatus } from "./types.ts";

const RUNS = "/api/2.0/mlflow/runs";

/** Sends one `runs/log-batch` request whose JSON body the batcher already packed. */
export async function logBatch(rest: RestClient, runId: string, body: string): Promise<void> {
  await rest.request({ method: "POST", endpoint: `${RUNS}/log-batch`, jsonText: body, runId });
}

/** Ends a run: `runs/update` with its final status and end time (idempotent, so retried). */
export async function updateRun(
  rest: RestClient,
  runId: string,
  status: RunStatus,
  endTime: number,
): Promise<void> {
  await rest.request({
    method: "POST",
    endpoint: `${RUNS}/update`,
    json: { run_id: runId, status, end_time: endTime },
    runId,
  });
}

/** Moves a run to the trash (`lifecycleStage` `deleted`); idempotent on the server. */
export async function deleteRun(rest: RestClient, runId: string): Promise<void> {
  await rest.request({
    method: "POST",
    endpoint: `${RUNS}/delete`,
    json: { run_id: runId },
    runId,
  });
}

/** Brings a deleted run back; idempotent on the server. */
export async function restoreRun(rest: RestClient, runId: string): Promise<void> {
  await rest.request({
    method: "POST",
    endpoint: `${RUNS}/restore`,
    json: { run_id: runId },
    runId,
  });
}

/**
 * Deletes a run's tag. A tag the run does not have (`RESOURCE_DOES_NOT_EXIST`) counts as deleted:
 * that is also what a second copy of the request meets, whether sent by our retry or re-sent by
 * the runtime's fetch on a dropped keep-alive connection, which the caller cannot see.
 */
export async function deleteRunTag(rest: RestClient, runId: string, key: string): Promise<void> {
  try {
    await rest.request({
      method: "POST",
      endpoint: `${RUNS}/delete-tag`,
      json: { run_id: runId, key },
      runId,
      key,
    });
  } catch (error) {
    if (error instanceof MlflowError && error.errorCode === "RESOURCE_DOES_NOT_EXIST") return;
    throw error;
  }
}

/** Renames a run and sets its status (Python's `start_run(run_id=…)` marks it RUNNING again). */
export async function reopenRun(rest: RestClient, runId: string, runName?: string): Promise<void> {
  await rest.request({
    method: "POST",
    endpoint: `${RUNS}/update`,
    json: { run_id: runId, status: "RUNNING", run_name: runName },
    runId,
  });
}
