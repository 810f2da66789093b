// Copyright 2026 the evalhooks authors. MIT license.
// This module is browser compatible.

// `joinRun`: one run written by several shards (processes, CI jobs, edge invocations). The run is
// found or created by the caller's key through run_election.ts; each shard records its own end in
// a tag of its own (`evalhooks.shard.<name>`: no shard overwrites another's), then reads them all
// back: the shard that sees every expected end sets the run's status. Writing first and reading
// second means that of two shards ending at once at least one sees both ends.

import { MlflowError, MlflowValidationError } from "../base/errors.ts";
import { buildBatch, type WireMetric } from "../delivery/batcher.ts";
import { LIMITS } from "../store/limits.ts";
import { getRun, searchRuns } from "../store/read.ts";
import { deleteRun, deleteRunTag, updateRun } from "../store/runs.ts";
import type { RunContext, RunState } from "./run_context.ts";
import { type ElectionStore, electRun, filterLiteral } from "./run_election.ts";
import { resumeRun } from "./run_resume.ts";
import { sendBatch } from "./run_send.ts";
import { parentIdOf, type RunMaker, startRunState } from "./run_state.ts";
import type { JoinedRun, JoinRunOptions, RunInfo, RunStatus } from "./types.ts";
import { metricValueToWire, validateKey } from "./validate.ts";

/** The tag with the key a joined run was created for. */
export const JOIN_KEY_TAG = "evalhooks.joinKey";
/** `candidate:<ms>` while the writers elect the run, `confirmed` after. */
export const JOIN_STATE_TAG = "evalhooks.joinState";
/** Prefix of the per-shard tags: `<status> <ms>` (`RUNNING <start>` until the shard ends). */
export const SHARD_TAG_PREFIX = "evalhooks.shard.";

const CALL = "joinRun";

function invalid(key: string, rule: string, message: string): MlflowValidationError {
  return new MlflowValidationError(`${CALL}: ${message}`, { key, rule, call: CALL });
}

function validateJoin(options: JoinRunOptions): { shardName: string } {
  if (typeof options?.key !== "string" || options.key === "") {
    throw invalid("key", "non_empty_string", "key must be a non-empty string");
  }
  if (options.key.length > LIMITS.tagValueLength) {
    throw invalid("key", "max_length", `key is longer than ${LIMITS.tagValueLength} characters`);
  }
  if (
    options.shards !== undefined &&
    (!Number.isInteger(options.shards) || options.shards < 1 || options.shards > 100_000)
  ) {
    throw invalid("shards", "positive_integer", "shards must be an integer from 1 to 100000");
  }
  const shardName = options.shard === undefined
    ? crypto.randomUUID().slice(0, 13)
    : String(options.shard);
  if (!/^[\w.\- ]{1,200}$/.test(shardName)) {
    throw invalid(
      "shard",
      "shard_name",
      "shard must be 1-200 letters, digits, spaces or _ . - (it names a tag)",
    );
  }
  if (options.summarize !== undefined && typeof options.summarize !== "function") {
    throw invalid("summarize", "function", "summarize must be a function");
  }
  return { shardName };
}

interface ShardEnd {
  status: RunStatus | "RUNNING";
  time: number;
}

function shardsOf(tags: Record<string, string>): ShardEnd[] {
  const found: ShardEnd[] = [];
  for (const [key, value] of Object.entries(tags)) {
    if (!key.startsWith(SHARD_TAG_PREFIX)) continue;
    const [status, time] = value.split(" ");
    found.push({ status: status as ShardEnd["status"], time: Number(time) });
  }
  return found;
}

/**
 * Starts a joined run: its state at once, the election and the join in the background, first in
 * the run's queue (so writes wait for the run like a plain run's do).
 */
export function joinRunState(ctx: RunContext, options: JoinRunOptions): RunState {
  const { shardName } = validateJoin(options);
  const shardTag = `${SHARD_TAG_PREFIX}${shardName}`;
  let resolveCreated: (created: boolean) => void = () => {};
  const created = new Promise<boolean>((resolve) => resolveCreated = resolve);
  const ownTagKeys = new Set([...Object.keys(options.tags ?? {})]);

  const make: RunMaker = async (state, tags, startTime) => {
    try {
      const experimentId = await ctx.experimentId(options);
      const parentId = options.parent === undefined ? undefined : await parentIdOf(options.parent);
      const scope = parentId === undefined
        ? undefined
        : `tags.\`mlflow.parentRunId\` = ${filterLiteral(parentId)}`;
      let ours: RunInfo | undefined;
      const store: ElectionStore = {
        search: (filter) => searchRuns(ctx.rest, { experimentIds: [experimentId], filter }),
        async create(electionTags) {
          const all = [...tags];
          for (const [key, value] of Object.entries(electionTags)) all.push({ key, value });
          if (parentId !== undefined) all.push({ key: "mlflow.parentRunId", value: parentId });
          ours = await ctx.creator.create({
            experimentId,
            runName: options.runName,
            startTime,
            tags: all,
          });
          return ours.runId;
        },
        async confirm(runId) {
          const confirmed = [{ key: JOIN_STATE_TAG, value: "confirmed" }];
          await sendBatch(ctx, runId, buildBatch(runId, [], [], confirmed));
          const check = await getRun(ctx.rest, runId);
          if (check.tags[JOIN_STATE_TAG] !== "confirmed") {
            throw new MlflowError(`run ${runId} of key ${options.key} could not be confirmed`, {
              errorCode: "JOIN_NOT_CONFIRMED",
              runId,
            });
          }
        },
        remove: (runId) => deleteRun(ctx.rest, runId),
      };
      const elected = await electRun(store, {
        key: options.key,
        keyTag: JOIN_KEY_TAG,
        stateTag: JOIN_STATE_TAG,
        scope,
        settleMs: options.settleMs,
      });
      const info = elected.created && ours
        ? { ...ours, status: "RUNNING" as const }
        // Someone else's: reopened (a late shard makes it RUNNING again) with our own tags only,
        // not our source tags over the creator's.
        : await resumeRun(
          ctx,
          state,
          elected.runId,
          { runName: options.runName },
          tags.filter((t) => ownTagKeys.has(t.key) || t.key === "mlflow.note.content"),
        );
      const joined = [{ key: shardTag, value: `RUNNING ${startTime}` }];
      await sendBatch(ctx, info.runId, buildBatch(info.runId, [], [], joined));
      resolveCreated(elected.created);
      return info;
    } catch (error) {
      resolveCreated(false);
      throw error;
    }
  };

  /** Sets the run's status if every expected shard has ended (or `force`); returns it. */
  const complete = async (runId: string, force: boolean): Promise<RunStatus> => {
    const run = await getRun(ctx.rest, runId);
    const shards = shardsOf(run.tags);
    const ended = shards.filter((s) => s.status !== "RUNNING");
    const done = force ||
      (options.shards !== undefined
        ? ended.length >= options.shards
        : ended.length > 0 && ended.length === shards.length);
    if (!done) return "RUNNING";
    const status: RunStatus = ended.some((s) => s.status === "FAILED")
      ? "FAILED"
      : ended.some((s) => s.status === "KILLED")
      ? "KILLED"
      : "FINISHED";
    const times = ended.map((s) => s.time).filter(Number.isFinite);
    const endTime = times.length > 0 ? Math.max(...times) : Date.now();
    const summary = await options.summarize?.(runId);
    if (summary) await logSummary(ctx, runId, summary, endTime);
    await updateRun(ctx.rest, runId, status, endTime);
    return status;
  };

  const state = startRunState(ctx, options, make);
  state.endShard = async (runId, status, endTime) => {
    const end = [{ key: shardTag, value: `${status} ${endTime}` }];
    await sendBatch(ctx, runId, buildBatch(runId, [], [], end));
    await complete(runId, false);
  };
  const handle = state.handle as JoinedRun;
  Object.assign(handle, {
    created,
    leave(): Promise<void> {
      if (state.ended) return state.ended;
      // The others may all have ended while this shard was still listed: then it is this
      // shard's leaving that completes the run.
      state.endShard = async (runId) => {
        await deleteRunTag(ctx.rest, runId, shardTag);
        await complete(runId, false);
      };
      return handle.end("RUNNING");
    },
    finalize(): Promise<RunStatus> {
      state.drain();
      return state.queue.push(async () => {
        const info = await state.created;
        if (!info) {
          throw new MlflowError(`run of key ${options.key} was never joined`, {
            errorCode: "RUN_NOT_CREATED",
          });
        }
        return await complete(info.runId, true);
      });
    },
  });
  return state;
}

/** The summary's metrics, at step 0 and the run's end time, in batches the server takes. */
async function logSummary(
  ctx: RunContext,
  runId: string,
  summary: Record<string, number>,
  timestamp: number,
): Promise<void> {
  const metrics: WireMetric[] = Object.entries(summary).map(([key, value]) => ({
    key: validateKey(key, "summarize"),
    value: metricValueToWire(key, value, "summarize"),
    timestamp,
    step: 0,
  }));
  for (let i = 0; i < metrics.length; i += LIMITS.metricsPerBatch) {
    const slice = metrics.slice(i, i + LIMITS.metricsPerBatch);
    await sendBatch(ctx, runId, buildBatch(runId, slice, [], []));
  }
}
