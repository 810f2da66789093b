// Copyright 2026 the evalhooks authors. MIT license.
// This module is browser compatible.

// One parent run per Inspect eval run, across log files, CLI calls and processes. The live hooks
// see the whole eval run in on_run_start; an import sees one task log at a time, so it finds the
// parent by a key tag, or creates it so that two importers racing end up with one. See the README
// ("One parent per eval run") for the scheme and its failure modes.

import type { MlflowClient } from "../../client/types.ts";
import type { RunData, RunStatus } from "../../store/types.ts";
import { CREATE_ID_TAG } from "../../store/run_create.ts";
import { timeOf } from "./hook_context.ts";
import type { EvalSpec } from "./types.ts";

/** The tag that says which eval run a parent stands for: `eval_set:<id>` or `run:<run_id>`. */
export const PARENT_KEY_TAG = "evalhooks.parentKey";
/** `candidate:<ms>` while an importer is deciding, `confirmed` once children may go under it. */
export const PARENT_STATE_TAG = "evalhooks.parentState";

/** The eval run a task log belongs to: its eval set, else its run. */
export function parentKeyOf(spec: Pick<EvalSpec, "run_id" | "eval_set_id">): string {
  return spec.eval_set_id ? `eval_set:${spec.eval_set_id}` : `run:${spec.run_id}`;
}

/** Timings of {@linkcode findOrCreateParent} (tests shorten them). */
export interface ParentTimings {
  /**
   * Wait after our candidate looked like the winner, before confirming it.
   * @default {three times our own create-and-search round trip, between 150 ms and 1 s}
   */
  settleMs?: number;
  /** How long to wait for another importer's candidate to be confirmed. @default {30000} */
  waitMs?: number;
  /** A candidate older than this was left by an importer that died: ignored. @default {120000} */
  staleMs?: number;
}

interface Candidate {
  run: RunData;
  confirmed: boolean;
  claimedAt: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const quote = (s: string) => s.replace(/\\/g, "\\\\").replace(/'/g, "\\'");

/**
 * The parents of `key` this client made (they carry the key tag and our create id; a parent
 * made by Python's hook has neither and is never taken), fresh candidates and confirmed ones.
 */
async function parentsOf(
  mlflow: MlflowClient,
  experimentId: string,
  key: string,
  staleMs: number,
): Promise<Candidate[]> {
  const runs = await mlflow.searchRuns({
    experimentIds: [experimentId],
    filter: `tags.\`${PARENT_KEY_TAG}\` = '${quote(key)}'`,
  });
  const now = Date.now();
  const found: Candidate[] = [];
  for (const run of runs) {
    if (run.tags[PARENT_KEY_TAG] !== key || !run.tags[CREATE_ID_TAG]) continue;
    const state = run.tags[PARENT_STATE_TAG] ?? "confirmed";
    const confirmed = state === "confirmed";
    const claimedAt = confirmed ? run.info.startTime : Number(state.slice("candidate:".length));
    if (!confirmed && !(now - claimedAt < staleMs)) continue;
    found.push({ run, confirmed, claimedAt });
  }
  return found.sort(byRank);
}

// Confirmed parents first (the earliest start, then the lowest id), then candidates by the time
// they were claimed, then id: every importer ranks the same set the same way.
function byRank(a: Candidate, b: Candidate): number {
  if (a.confirmed !== b.confirmed) return a.confirmed ? -1 : 1;
  const ta = a.confirmed ? a.run.info.startTime : a.claimedAt;
  const tb = b.confirmed ? b.run.info.startTime : b.claimedAt;
  if (ta !== tb) return ta - tb;
  return a.run.info.runId < b.run.info.runId ? -1 : a.run.info.runId > b.run.info.runId ? 1 : 0;
}

async function waitForConfirmed(
  mlflow: MlflowClient,
  experimentId: string,
  key: string,
  t: Required<ParentTimings>,
): Promise<string | undefined> {
  const deadline = Date.now() + t.waitMs;
  while (Date.now() < deadline) {
    const found = await parentsOf(mlflow, experimentId, key, t.staleMs);
    if (found[0]?.confirmed) return found[0].run.info.runId;
    // Nobody left racing (their candidates were deleted or went stale): create ours.
    if (found.length === 0) return undefined;
    await sleep(100 + Math.random() * 150);
  }
  return undefined;
}

/**
 * The id of the parent run of `key` in the experiment: a confirmed one this client made (live or
 * by an import), else one created now. Race-safe across processes: our candidate is created,
 * then the parents of the key are searched and ranked; a candidate that is not first is deleted
 * (we made it and nothing is under it yet) and the first is waited for until confirmed; the
 * first waits `settleMs`, looks once more, and confirms itself. Task runs go only under a
 * confirmed parent, and only our own unconfirmed candidate is ever deleted.
 */
export async function findOrCreateParent(
  mlflow: MlflowClient,
  options: {
    experimentId: string;
    key: string;
    runName: string;
    tags: Record<string, string>;
    startTime?: number;
  } & ParentTimings,
): Promise<string> {
  const t: Required<ParentTimings> = {
    settleMs: options.settleMs ?? -1, // -1: from the round trip, below
    waitMs: options.waitMs ?? 30_000,
    staleMs: options.staleMs ?? 120_000,
  };
  const { experimentId, key } = options;
  for (let attempt = 0; attempt < 3; attempt++) {
    const found = await parentsOf(mlflow, experimentId, key, t.staleMs);
    if (found[0]?.confirmed) return found[0].run.info.runId;
    if (found.length > 0) {
      // Another importer is deciding: wait for its verdict rather than add a twin.
      const confirmed = await waitForConfirmed(mlflow, experimentId, key, t);
      if (confirmed) return confirmed;
    }
    const claimedAt = Date.now();
    const run = mlflow.startRun({
      experimentId,
      runName: options.runName,
      startTime: options.startTime,
      tags: {
        ...options.tags,
        [PARENT_KEY_TAG]: key,
        [PARENT_STATE_TAG]: `candidate:${claimedAt}`,
      },
    });
    const ownId = (await run.info()).runId;
    // Ends the handle without touching the run (a resumed handle sets status and end time
    // later): else close() or an exit would end our parent while others still import into it.
    const release = () => run.end("RUNNING").catch(() => {});
    let first = await parentsOf(mlflow, experimentId, key, t.staleMs);
    if (first[0]?.run.info.runId === ownId) {
      // A rival that claimed before us shows up once its create lands, which takes about as long
      // as ours did: three of our round trips cover it, without making every import of a new
      // eval (the common case: no rival) wait a fixed second.
      const roundTripMs = Date.now() - claimedAt;
      await sleep(t.settleMs >= 0 ? t.settleMs : Math.min(1000, Math.max(150, 3 * roundTripMs)));
      first = await parentsOf(mlflow, experimentId, key, t.staleMs);
    }
    if (first[0]?.run.info.runId === ownId) {
      run.setTag(PARENT_STATE_TAG, "confirmed");
      await release();
      await mlflow.flush().catch(() => {});
      const check = await mlflow.getRun(ownId);
      if (check.tags[PARENT_STATE_TAG] !== "confirmed") {
        throw new Error(`could not confirm parent run ${ownId} of ${key}`);
      }
      return ownId;
    }
    // We lost: our candidate is a twin we made and nothing is under it. Remove it.
    await release();
    await mlflow.deleteRun(ownId);
    const winner = first.find((c) => c.run.info.runId !== ownId);
    if (winner?.confirmed) return winner.run.info.runId;
    const confirmed = await waitForConfirmed(mlflow, experimentId, key, t);
    if (confirmed) return confirmed;
  }
  throw new Error(`no parent run could be settled for ${key}`);
}

/**
 * Brings the parent in line with its task runs: `inspect.task_count` and `inspect.tasks` (one
 * per task run, by eval id, in start order), its status (`RUNNING` while a task run is, `FAILED`
 * if one failed, else `FINISHED`) and end time (the latest task's). Written, read back and
 * written again until what is on the server matches what its children say, so that of two
 * importers finishing at once the last write holds every task.
 */
export async function settleParent(
  mlflow: MlflowClient,
  experimentId: string,
  parentId: string,
): Promise<void> {
  for (let round = 0; round < 5; round++) {
    const children = await mlflow.searchRuns({
      experimentIds: [experimentId],
      filter: `tags.\`mlflow.parentRunId\` = '${quote(parentId)}'`,
      orderBy: ["attributes.start_time ASC"],
    });
    const byEval = new Map<string, RunData>();
    for (const child of children) {
      const evalId = child.tags["inspect.eval_id"];
      if (evalId && !byEval.has(evalId)) byEval.set(evalId, child);
    }
    const tasks = [...byEval.values()];
    const names = tasks.map((c) => c.tags["inspect.task"] ?? c.info.runName);
    const status: RunStatus = tasks.some((c) => c.info.status === "RUNNING")
      ? "RUNNING"
      : tasks.some((c) => c.info.status === "FAILED")
      ? "FAILED"
      : "FINISHED";
    const ends = tasks.map((c) => c.info.endTime).filter((e): e is number => e !== undefined);
    const endTime = ends.length > 0 ? Math.max(...ends) : undefined;
    const want = { "inspect.task_count": String(tasks.length), "inspect.tasks": names.join(", ") };
    const now = await mlflow.getRun(parentId);
    const same = now.tags["inspect.task_count"] === want["inspect.task_count"] &&
      now.tags["inspect.tasks"] === want["inspect.tasks"] && now.info.status === status &&
      (status === "RUNNING" || now.info.endTime === endTime);
    if (same && round > 0) return;
    const handle = mlflow.startRun({ runId: parentId, tags: want });
    await handle.end(status, status === "RUNNING" ? {} : { endTime });
    await mlflow.flush().catch(() => {});
  }
}

/** The parent's start: the log's start, as the live hook's parent starts with the eval run. */
export function parentStartOf(spec: EvalSpec, startedAt?: string | null): number | undefined {
  return timeOf(startedAt || spec.created);
}
