// Copyright 2026 the evalhooks authors. MIT license.
// This module is browser compatible.

import type { RestClient } from "../transport/rest.ts";
import type { RunInfo } from "./types.ts";
import { toRunInfo, type WireRunInfo } from "./wire.ts";

/**
 * The tag that marks every run this client creates with an id of its own making:
 * `<client id>-<sequence>`. It is the only proof that a run is ours, so it is the only thing that
 * lets a run be adopted or deleted.
 */
export const CREATE_ID_TAG = "evalhooks.createId";

/** What a run this client asks the server to create is made of. */
export interface RunCreation {
  /** Experiment. */
  experimentId: string;
  /** Name, if the caller gave one (the server picks one otherwise). */
  runName?: string;
  /** Start time in milliseconds. */
  startTime: number;
  /** Tags sent with the create, `mlflow.parentRunId` included for nested runs. */
  tags: { key: string; value: string }[];
}

/** Creates runs exactly once; see {@linkcode createRunCreator}. */
export interface RunCreator {
  /** Creates one run; resolves with the run the server made for this call. */
  create(creation: RunCreation): Promise<RunInfo>;
  /** Twin checks started so far, for `flush()` to wait on; never rejects. */
  settled(): Promise<void>;
  /** Requests spent on twin checks (searches and deletes), for the benchmarks. */
  readonly checkRequests: number;
}

interface FoundRun {
  info: WireRunInfo;
  data?: { tags?: { key: string; value: string }[] };
}

interface Created {
  experimentId: string;
  createId: string;
  runId: string;
  startTime: number;
}

// A check waits for this many creates at most, so a burst of runs shares its searches.
const CHECK_EVERY = 500;
const SEARCH_PAGE = 1000;

/**
 * Creates runs so that each `create` call yields exactly one run. `runs/create` is the one write
 * MLflow cannot take twice, and a request can reach the server twice: by our own retry after an
 * answer was lost, and by the runtime's (Deno's fetch re-sends a POST when a reused keep-alive
 * connection drops after the request went out, without telling the caller).
 *
 * Each create carries {@linkcode CREATE_ID_TAG} with an id no other create has. Before our own
 * retry, a run carrying that id is looked for and adopted instead of creating another. After the
 * create, any other run carrying the id is a twin from a re-send and is deleted. Nothing else is
 * ever adopted or deleted: the tag is checked on the client side, so a filter the server might
 * drop cannot widen it. The twin check is off the write path (a new run's first write waits for
 * the create alone) and shared: one search covers every create that finished since the last one,
 * at most {@linkcode CHECK_EVERY} of them, so a tick of 2,000 runs costs a handful of searches.
 */
export function createRunCreator(rest: RestClient, clientId: string): RunCreator {
  let sequence = 0;
  let inFlight = 0;
  let checkRequests = 0;
  let waiting: Created[] = [];
  const checks = new Set<Promise<void>>();

  const searchOwn = async (
    experimentId: string,
    createIds: ReadonlySet<string>,
    since: number,
    check = false,
  ): Promise<FoundRun[]> => {
    const found: FoundRun[] = [];
    let pageToken: string | undefined;
    do {
      checkRequests++;
      const page = await rest.request<{ runs?: FoundRun[]; next_page_token?: string }>({
        method: "POST",
        endpoint: "/api/2.0/mlflow/runs/search",
        json: {
          experiment_ids: [experimentId],
          filter: `tags.\`${CREATE_ID_TAG}\` LIKE '${clientId}-%' and ` +
            `attributes.start_time >= ${since}`,
          max_results: SEARCH_PAGE,
          page_token: pageToken,
        },
        check,
      });
      for (const run of page.runs ?? []) {
        if (createIds.has(createIdOf(run) ?? "")) found.push(run);
      }
      pageToken = page.next_page_token || undefined;
    } while (pageToken);
    return found;
  };

  const deleteTwins = async (batch: Created[]): Promise<void> => {
    const byExperiment = new Map<string, Created[]>();
    for (const c of batch) {
      const list = byExperiment.get(c.experimentId) ?? [];
      list.push(c);
      byExperiment.set(c.experimentId, list);
    }
    for (const [experimentId, created] of byExperiment) {
      const keep = new Map(created.map((c) => [c.createId, c.runId]));
      const since = Math.min(...created.map((c) => c.startTime));
      try {
        for (const run of await searchOwn(experimentId, new Set(keep.keys()), since)) {
          if (run.info.run_id === keep.get(createIdOf(run)!)) continue;
          checkRequests++;
          await rest.request({
            method: "POST",
            endpoint: "/api/2.0/mlflow/runs/delete",
            json: { run_id: run.info.run_id },
          });
        }
      } catch {
        // The runs we got are fine; an undeleted twin is an empty run, not lost data.
      }
    }
  };

  const maybeCheck = () => {
    if (waiting.length === 0 || (inFlight > 0 && waiting.length < CHECK_EVERY)) return;
    const batch = waiting;
    waiting = [];
    const check = deleteTwins(batch);
    checks.add(check);
    check.finally(() => checks.delete(check));
  };

  async function create(creation: RunCreation): Promise<RunInfo> {
    const createId = `${clientId}-${++sequence}`;
    let adopted: RunInfo | undefined;
    let info: RunInfo;
    inFlight++;
    try {
      try {
        const response = await rest.request<{ run: { info: WireRunInfo } }>({
          method: "POST",
          endpoint: "/api/2.0/mlflow/runs/create",
          json: {
            experiment_id: creation.experimentId,
            run_name: creation.runName,
            start_time: creation.startTime,
            tags: [...creation.tags, { key: CREATE_ID_TAG, value: createId }],
          },
          beforeRetry: async () => {
            // The lost attempt may have made the run: then it is ours, and is taken.
            const own = await searchOwn(
              creation.experimentId,
              new Set([createId]),
              creation.startTime,
              true,
            ).catch(() => []);
            adopted = own.length > 0 ? toRunInfo(own[0].info) : undefined;
            return adopted ? "stop" : "retry";
          },
        });
        info = toRunInfo(response.run.info);
      } catch (error) {
        if (!adopted) throw error;
        info = adopted;
      }
      waiting.push({
        experimentId: creation.experimentId,
        createId,
        runId: info.runId,
        startTime: creation.startTime,
      });
      return info;
    } finally {
      inFlight--;
      maybeCheck();
    }
  }

  return {
    create,
    async settled() {
      while (checks.size > 0) await Promise.all(checks);
    },
    get checkRequests() {
      return checkRequests;
    },
  };
}

function createIdOf(run: FoundRun): string | undefined {
  return run.data?.tags?.find((t) => t.key === CREATE_ID_TAG)?.value;
}
