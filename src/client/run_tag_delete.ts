// Copyright 2026 the evalhooks authors. MIT license.
// This module is browser compatible.

// `run.deleteTag`: a delete that keeps its place among the run's tag writes. A value set before
// it and still unsent is simply not sent; a value set after it waits for the delete and is sent
// by the same queued task, so the last call made always decides what the server keeps.

import { asMlflowError } from "../base/errors.ts";
import { buildBatch } from "../delivery/batcher.ts";
import { keyValueBytes } from "../delivery/budget.ts";
import { deleteRunTag } from "../store/runs.ts";
import type { RunContext, RunState, TagDelete } from "./run_context.ts";
import { reportNotLogged } from "./run_lost.ts";
import { sendBatch } from "./run_send.ts";

/** Queues the delete of tag `key` of run `name` (`key` already checked). */
export function deleteTag(ctx: RunContext, state: RunState, name: string, key: string): void {
  const deletes = state.tagDeletes ??= new Map();
  const queued = deletes.get(key);
  if (queued) {
    // A delete is queued: a value set since then is dropped from the send, and that is all.
    if (queued.held !== undefined) ctx.release(1, keyValueBytes(key, queued.held));
    queued.held = undefined;
    return;
  }
  const unsent = state.pending.tags.get(key);
  if (unsent !== undefined) {
    state.pending.tags.delete(key);
    ctx.release(1, keyValueBytes(key, unsent));
  }
  const entry: TagDelete = {};
  deletes.set(key, entry);
  state.drain(); // what was logged before goes first
  const task = state.queue.push(async () => {
    const info = await state.created;
    deletes.delete(key);
    const held = entry.held;
    if (!info) {
      if (held === undefined) return; // creation failed, and was reported
      ctx.release(1, keyValueBytes(key, held));
      return reportNotLogged(ctx, name, `tag '${key}'`, key);
    }
    try {
      await deleteRunTag(ctx.rest, info.runId, key);
    } catch (error) {
      ctx.report(asMlflowError(error, "delete tag", { key, runId: info.runId }));
    }
    if (held !== undefined) {
      try {
        await sendBatch(ctx, info.runId, buildBatch(info.runId, [], [], [{ key, value: held }]));
      } finally {
        ctx.release(1, keyValueBytes(key, held));
      }
    }
  });
  ctx.track(task);
}
