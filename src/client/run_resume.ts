// Copyright 2026 the evalhooks authors. MIT license.
// This module is browser compatible.

// `startRun({ runId })`: continue a run that exists, as Python's `start_run(run_id=…)` does.
// The run is read first, so a deleted run, or one of another experiment, is refused before
// anything is written to it.

import { MlflowError, MlflowValidationError } from "../base/errors.ts";
import { buildBatch } from "../delivery/batcher.ts";
import { getExperimentByName } from "../store/experiments.ts";
import { LIMITS } from "../store/limits.ts";
import { getRun } from "../store/read.ts";
import { reopenRun } from "../store/runs.ts";
import { adoptLoggedTables } from "./run_artifacts.ts";
import type { RunContext, RunState } from "./run_context.ts";
import { sendBatch } from "./run_send.ts";
import type { RunInfo, StartRunOptions } from "./types.ts";

/** Checks at the call what cannot go with `runId`. */
export function validateResume(options: StartRunOptions): string {
  const { runId } = options;
  if (typeof runId !== "string" || !/^[0-9A-Za-z_-]+$/.test(runId)) {
    throw new MlflowValidationError(
      `startRun: runId must be a run id string, got ${
        typeof runId === "string" ? JSON.stringify(runId) : typeof runId
      }`,
      { key: "runId", rule: "run_id", call: "startRun" },
    );
  }
  for (const option of ["parent", "startTime"] as const) {
    if (options[option] !== undefined) {
      throw new MlflowValidationError(
        `startRun: ${option} cannot be given with runId (the run exists already)`,
        { key: option, rule: "resume", call: "startRun" },
      );
    }
  }
  return runId;
}

/** Reads run `runId`, marks it RUNNING (renamed if asked) and sets the start tags on it. */
export async function resumeRun(
  ctx: RunContext,
  state: RunState,
  runId: string,
  options: StartRunOptions,
  tags: { key: string; value: string }[],
): Promise<RunInfo> {
  const run = await getRun(ctx.rest, runId);
  if (run.info.lifecycleStage === "deleted") {
    throw new MlflowError(`run ${runId} is deleted; restoreRun it first`, {
      errorCode: "INVALID_STATE",
      runId,
    });
  }
  let expected = options.experimentId;
  if (expected === undefined && options.experimentName !== undefined) {
    expected = (await getExperimentByName(ctx.rest, options.experimentName))?.experimentId ?? "";
  }
  if (expected !== undefined && expected !== run.info.experimentId) {
    throw new MlflowError(
      `run ${runId} belongs to experiment ${run.info.experimentId}, not the one asked for`,
      { errorCode: "INVALID_PARAMETER_VALUE", runId },
    );
  }
  await reopenRun(ctx.rest, runId, options.runName);
  // Params the run has are known, so a changed value is refused at the call, as for our own.
  for (const [key, value] of Object.entries(run.params)) {
    if (!state.params.has(key)) state.params.set(key, value);
  }
  adoptLoggedTables(ctx, state, run.tags["mlflow.loggedArtifacts"]);
  for (let i = 0; i < tags.length; i += LIMITS.tagsPerBatch) {
    await sendBatch(ctx, runId, buildBatch(runId, [], [], tags.slice(i, i + LIMITS.tagsPerBatch)));
  }
  return {
    ...run.info,
    status: "RUNNING",
    runName: options.runName ?? run.info.runName,
  };
}
