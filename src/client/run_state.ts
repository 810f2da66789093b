// Copyright 2026 the evalhooks authors. MIT license.
// This module is browser compatible.

// A run's life on the client: its creation on the server (in the background, first in its serial
// queue) and the drain task that sends its pending writes, batch by batch, in order.

import { asMlflowError, MlflowError } from "../base/errors.ts";
import { cutText, toWellFormed } from "../base/text.ts";
import { batchSize, createPendingWrites, pendingCount, takeBatch } from "../delivery/batcher.ts";
import { createSerialQueue } from "../delivery/serial.ts";
import { LIMITS } from "../store/limits.ts";
import type { RunContext, RunState } from "./run_context.ts";
import { createRunHandle } from "./run_handle.ts";
import { resumeRun, validateResume } from "./run_resume.ts";
import { sourceTagsForRun } from "./source_tags.ts";
import { batchBytes, sendBatch } from "./run_send.ts";
import type { Run, RunInfo, StartRunOptions } from "./types.ts";
import { limitLength, stringValue, validateKey, validateTimestamp } from "./validate.ts";

/**
 * How a run other than a plain one comes to exist: `joinRun` finds or creates it (run_join.ts).
 * Given the state, the start tags (source tags included) and the start time.
 */
export type RunMaker = (
  state: RunState,
  tags: { key: string; value: string }[],
  startTime: number,
) => Promise<RunInfo>;

/** Starts a run: returns its state at once and creates it on the server in the background. */
export function startRunState(
  ctx: RunContext,
  options: StartRunOptions,
  make?: RunMaker,
): RunState {
  const resumeId = options.runId === undefined ? undefined : validateResume(options);
  const startTime = options.startTime ?? ctx.nextStartTime();
  if (options.startTime !== undefined) validateTimestamp("startTime", startTime, "startRun");
  const tags: { key: string; value: string }[] = [];
  for (const [key, value] of Object.entries(options.tags ?? {})) {
    const v = limitLength(
      key,
      stringValue(key, value, "startRun"),
      LIMITS.tagValueLength,
      ctx.truncateLongValues,
      "startRun",
    );
    if (v.warning) ctx.warn(v.warning);
    tags.push({ key: validateKey(key, "startRun"), value: v.value });
  }
  if (options.description !== undefined) {
    tags.push({ key: "mlflow.note.content", value: options.description });
  }
  if (resumeId === undefined) {
    for (const [key, value] of sourceTagsForRun(ctx.sourceTags, options.tags)) {
      tags.push({ key, value: cutText(toWellFormed(value), LIMITS.tagValueLength) });
    }
  }

  const queue = createSerialQueue();
  const verb = resumeId === undefined ? "created" : "resumed";
  const name = resumeId !== undefined
    ? resumeId
    : options.runName === undefined
    ? "(unnamed)"
    : `'${options.runName}'`;
  const created = queue.push(() =>
    make
      ? make(state, tags, startTime)
      : resumeId === undefined
      ? createRun(ctx, options, startTime, tags)
      : resumeRun(ctx, state, resumeId, options, tags)
  ).catch(
    (error: unknown) => {
      const e = asMlflowError(error, "create run");
      ctx.report(
        new MlflowError(`run ${name} could not be ${verb}: ${e.message}`, {
          errorCode: e.errorCode,
          status: e.status,
          method: e.method,
          endpoint: e.endpoint,
          cause: e,
        }),
      );
      return undefined;
    },
  );

  const drainTask = async (): Promise<void> => {
    state.drainQueued = false;
    const info = await created;
    // Items present now are this task's to send; newer ones may fill its last request.
    let remaining = pendingCount(state.pending);
    let lost = 0;
    while (remaining > 0) {
      const batch = takeBatch(state.pending, info?.runId ?? "");
      if (!batch) break;
      const size = batchSize(batch);
      remaining -= size;
      if (!info) {
        // Creation failed and was reported: these items cannot land. They are counted as not
        // logged, and said so, by run.
        lost += size;
        ctx.release(size, batchBytes(batch));
        continue;
      }
      state.sending = size;
      try {
        await sendBatch(ctx, info.runId, batch);
      } finally {
        state.sending = 0;
        ctx.release(size, batchBytes(batch));
      }
    }
    if (lost > 0) {
      ctx.lose(lost);
      ctx.report(
        new MlflowError(`run ${name} could not be created: ${lost} item(s) not logged`, {
          errorCode: "RUN_NOT_CREATED",
        }),
      );
    }
  };

  const state: RunState = {
    handle: undefined as unknown as Run,
    queue,
    created,
    pending: createPendingWrites(),
    drainQueued: false,
    uploads: new Set(),
    params: new Map(),
    tables: [],
    sending: 0,
    drain() {
      if (state.drainQueued || pendingCount(state.pending) === 0) return;
      state.drainQueued = true;
      queue.push(drainTask);
    },
    idle() {
      return state.ended !== undefined && pendingCount(state.pending) === 0 &&
        state.uploads.size === 0 && !state.drainQueued;
    },
    async settled() {
      state.drain();
      await queue.settled();
      while (state.uploads.size > 0) await Promise.all(state.uploads);
    },
  };
  state.handle = createRunHandle(ctx, state, name);
  return state;
}

/** The parent's run id, or a PARENT_NOT_CREATED error. */
export async function parentIdOf(parent: Run | string): Promise<string> {
  const parentId = typeof parent === "string"
    ? parent
    : (await parent.info().catch(() => undefined))?.runId;
  if (parentId === undefined) {
    throw new MlflowError("create run: its parent run was not created", {
      errorCode: "PARENT_NOT_CREATED",
    });
  }
  return parentId;
}

async function createRun(
  ctx: RunContext,
  options: StartRunOptions,
  startTime: number,
  tags: { key: string; value: string }[],
): Promise<RunInfo> {
  if (options.parent !== undefined) {
    tags.push({ key: "mlflow.parentRunId", value: await parentIdOf(options.parent) });
  }
  const experimentId = await ctx.experimentId(options);
  return ctx.creator.create({ experimentId, runName: options.runName, startTime, tags });
}
