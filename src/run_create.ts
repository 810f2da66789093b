// Copyright 2026 the evalhooks authors. MIT license.
// This module is browser compatible.

import type { RestClient } from "./rest.ts";
import type { RunInfo } from "./types.ts";
import { toRunInfo, type WireRunInfo } from "./wire.ts";

/** What identifies a run this client asks the server to create. */
export interface RunCreation {
  /** Experiment. */
  experimentId: string;
  /** Name, if the caller gave one (the server picks one otherwise). */
  runName?: string;
  /** Start time; unique among this client's runs unless the caller set it. */
  startTime: number;
  /** Tags sent with the create, `mlflow.parentRunId` included for nested runs. */
  tags: { key: string; value: string }[];
}

interface FoundRun {
  info: WireRunInfo;
  data?: { tags?: { key: string; value: string }[] };
}

/**
 * Creates a run exactly once. `runs/create` is the one write MLflow cannot take twice, and a
 * request can reach the server twice in two ways: our own retry after an answer was lost, and
 * the runtime's (Deno's fetch re-sends a POST when a reused keep-alive connection drops after
 * the request went out, without telling the caller). Runs that already match (a re-import of
 * the same log has the same start time, name and tags) are noted first and never touched. Before
 * our own retry, a run the lost attempt made is looked up and adopted; after the create, a twin
 * made by a silent re-send (a newcomer with the same experiment, start time, name and tags that
 * is not this client's run) is deleted. Two searches per run: runs are few, and losing or
 * doubling one is worse.
 */
export async function createRunOnce(
  rest: RestClient,
  creation: RunCreation,
  ownRunIds: Set<string>,
): Promise<RunInfo> {
  // Matching runs from before this create are not twins, whoever made them.
  const known = new Set(ownRunIds);
  for (const run of await findTwins(rest, creation, known)) known.add(run.info.run_id);
  let adopted: RunInfo | undefined;
  let info: RunInfo;
  try {
    const response = await rest.request<{ run: { info: WireRunInfo } }>({
      method: "POST",
      endpoint: "/api/2.0/mlflow/runs/create",
      json: {
        experiment_id: creation.experimentId,
        run_name: creation.runName,
        start_time: creation.startTime,
        tags: creation.tags,
      },
      beforeRetry: async () => {
        const twins = await findTwins(rest, creation, known).catch(() => []);
        adopted = twins.length === 1 ? toRunInfo(twins[0].info) : undefined;
        return adopted ? "stop" : "retry";
      },
    });
    info = toRunInfo(response.run.info);
  } catch (error) {
    if (!adopted) throw error;
    info = adopted;
  }
  ownRunIds.add(info.runId);
  known.add(info.runId);
  try {
    for (const twin of await findTwins(rest, creation, known)) {
      await rest.request({
        method: "POST",
        endpoint: "/api/2.0/mlflow/runs/delete",
        json: { run_id: twin.info.run_id },
      });
    }
  } catch {
    // The run we got is fine; an undeleted twin is an empty run, not lost data.
  }
  return info;
}

async function findTwins(
  rest: RestClient,
  creation: RunCreation,
  known: Set<string>,
): Promise<FoundRun[]> {
  let filter = `attributes.start_time = ${creation.startTime}`;
  if (creation.runName !== undefined) {
    filter += ` and attributes.run_name = '${creation.runName.replace(/'/g, "\\'")}'`;
  }
  const found = await rest.request<{ runs?: FoundRun[] }>({
    method: "POST",
    endpoint: "/api/2.0/mlflow/runs/search",
    json: { experiment_ids: [creation.experimentId], filter, max_results: 50 },
  });
  return (found.runs ?? []).filter((run) => {
    if (known.has(run.info.run_id)) return false;
    const tags = new Map((run.data?.tags ?? []).map((t) => [t.key, t.value]));
    return creation.tags.every((t) => tags.get(t.key) === t.value);
  });
}
