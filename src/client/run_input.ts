// Copyright 2026 the evalhooks authors. MIT license.
// This module is browser compatible.

// `run.logInput`: a dataset checked at the call, then sent as one `runs/log-inputs` request in the
// run's serial queue (after its creation and the writes logged before it, before its end). The
// call returns at once; a failure goes to onError and flush(), never to the caller.

import { asMlflowError, MlflowValidationError } from "../base/errors.ts";
import { logInputs } from "../store/inputs.ts";
import { prepareDatasetInput } from "./dataset_input.ts";
import type { DatasetInput } from "./dataset_types.ts";
import type { RunContext, RunState } from "./run_context.ts";
import { reportNotLogged } from "./run_lost.ts";

/** Checks `dataset` and queues it on run `state`; `runName` names the run in errors. */
export function logDatasetInput(
  ctx: RunContext,
  state: RunState,
  runName: string,
  dataset: DatasetInput,
): void {
  const wire = prepareDatasetInput(dataset, "logInput");
  const key = wire.dataset.name;
  const bytes = JSON.stringify(wire).length;
  if (!ctx.reserve(1, bytes)) return; // dropped and counted by the budget
  ctx.logged.inputs++;
  // Writes logged before this call go out first, as end() does.
  state.drain();
  const task = state.queue.push(async () => {
    const info = await state.created;
    if (!info) return reportNotLogged(ctx, runName, `dataset '${key}'`, key);
    try {
      await logInputs(ctx.rest, info.runId, [wire]);
    } catch (error) {
      ctx.report(asMlflowError(error, `log input '${key}'`, { key, runId: info.runId }));
    }
  }).finally(() => ctx.release(1, bytes));
  ctx.track(task);
}

/** Queues logged model `modelId` as an input of run `state` (`run.linkModel`). */
export function logModelInput(
  ctx: RunContext,
  state: RunState,
  runName: string,
  modelId: string,
): void {
  if (typeof modelId !== "string" || modelId === "") {
    throw new MlflowValidationError("linkModel: modelId must be a non-empty string", {
      key: "modelId",
      rule: "non_empty_string",
      call: "linkModel",
    });
  }
  const bytes = 64 + modelId.length;
  if (!ctx.reserve(1, bytes)) return; // dropped and counted by the budget
  state.drain();
  const task = state.queue.push(async () => {
    const info = await state.created;
    if (!info) return reportNotLogged(ctx, runName, `model input '${modelId}'`, modelId);
    try {
      await logInputs(ctx.rest, info.runId, [], [modelId]);
    } catch (error) {
      ctx.report(
        asMlflowError(error, `link model '${modelId}'`, { key: modelId, runId: info.runId }),
      );
    }
  }).finally(() => ctx.release(1, bytes));
  ctx.track(task);
}
