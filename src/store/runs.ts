// Copyright 2026 the evalhooks authors. MIT license.
// This module is browser compatible.

// Writes to an existing run: the log-batch request (its body is packed by the batcher) and the
// run's end. Creation, which must happen exactly once, is run_create.ts's.

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
