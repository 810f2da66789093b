// Copyright 2026 the evalhooks authors. MIT license.
// This module is browser compatible.

import { asMlflowError, MlflowError } from "../base/errors.ts";
import {
  batchSize,
  describeBatch,
  type LogBatch,
  onlyKey,
  splitBatch,
} from "../delivery/batcher.ts";
import { keyValueBytes, metricBytes } from "../delivery/budget.ts";
import { logBatch } from "../store/runs.ts";
import type { RunContext } from "./run_context.ts";

/**
 * Sends one batch. If the server refuses it as invalid, halves it and sends each half, so that
 * every valid entry lands and only the refused one is reported, with its key.
 */
export async function sendBatch(ctx: RunContext, runId: string, batch: LogBatch): Promise<void> {
  try {
    await logBatch(ctx.rest, runId, batch.body);
  } catch (error) {
    const e = asMlflowError(error, "log batch");
    const invalid = e.status === 400 &&
      (e.errorCode === "INVALID_PARAMETER_VALUE" || e.errorCode === "BAD_REQUEST");
    const size = batchSize(batch);
    if (invalid && size > 1) {
      const [a, b] = splitBatch(runId, batch);
      await sendBatch(ctx, runId, a);
      await sendBatch(ctx, runId, b);
      return;
    }
    const key = size === 1 ? onlyKey(batch) : undefined;
    ctx.report(
      new MlflowError(
        size === 1
          ? `${e.message} (key '${key}')`
          : `${e.message} (${size} items not logged: ${describeBatch(batch)})`,
        {
          errorCode: e.errorCode,
          status: e.status,
          method: e.method,
          endpoint: e.endpoint,
          key,
          runId,
          cause: e,
        },
      ),
    );
  }
}

/** The queue-budget bytes a batch held (released once it is answered). */
export function batchBytes(batch: LogBatch): number {
  let bytes = 0;
  for (const m of batch.metrics) bytes += metricBytes(m.key);
  for (const p of batch.params) bytes += keyValueBytes(p.key, p.value);
  for (const t of batch.tags) bytes += keyValueBytes(t.key, t.value);
  return bytes;
}
