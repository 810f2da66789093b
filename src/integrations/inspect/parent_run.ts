// Copyright 2026 the evalhooks authors. MIT license.
// This module is browser compatible.

// One parent run per Inspect eval run, across log files, CLI calls and processes. The live hooks
// see the whole eval run in on_run_start; an import sees one task log at a time, so it finds the
// parent by a key tag, or creates it so that two importers racing end up with one. See the README
// ("One parent per eval run") for the scheme and its failure modes.

import type { MlflowClient } from "../../client/types.ts";
import type { RunData, RunStatus } from "../../store/types.ts";
import { type ElectionStore, type ElectionTimings, electRun } from "../../client/run_election.ts";
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
export type ParentTimings = ElectionTimings;

const quote = (s: string) => s.replace(/\\/g, "\\\\").replace(/'/g, "\\'");

/**
 * The id of the parent run of `key` in the experiment: a confirmed one this client made (live or
 * by an import), else one created now, by the election of run_election.ts. Task runs go only
 * under the returned parent.
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
  const { experimentId, key } = options;
  const store: ElectionStore = {
    search: (filter) => mlflow.searchRuns({ experimentIds: [experimentId], filter }),
    async create(tags) {
      const run = mlflow.startRun({
        experimentId,
        runName: options.runName,
        startTime: options.startTime,
        tags: { ...options.tags, ...tags },
      });
      const { runId } = await run.info();
      // Ends the handle without touching the run's status (a resumed handle sets status and
      // end time later): else close() or an exit would end our parent while others still
      // import into it.
      await run.end("RUNNING").catch(() => {});
      return runId;
    },
    async confirm(runId) {
      const run = mlflow.startRun({ runId, tags: { [PARENT_STATE_TAG]: "confirmed" } });
      await run.end("RUNNING").catch(() => {});
      const check = await mlflow.getRun(runId);
      if (check.tags[PARENT_STATE_TAG] !== "confirmed") {
        throw new Error(`could not confirm parent run ${runId} of ${key}`);
      }
    },
    remove: (runId) => mlflow.deleteRun(runId),
  };
  const elected = await electRun(store, {
    key,
    keyTag: PARENT_KEY_TAG,
    stateTag: PARENT_STATE_TAG,
    settleMs: options.settleMs,
    waitMs: options.waitMs,
    staleMs: options.staleMs,
  });
  return elected.runId;
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
