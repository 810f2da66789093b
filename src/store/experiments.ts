// Copyright 2026 the evalhooks authors. MIT license.
// This module is browser compatible.

import { MlflowError } from "../base/errors.ts";
import type { RestClient } from "../transport/rest.ts";
import { readAllPages } from "./pages.ts";
import { CREATE_ID_TAG } from "./run_create.ts";
import type { Experiment, SearchExperimentsOptions } from "./types.ts";

const EXPERIMENTS = "/api/2.0/mlflow/experiments";
const SEARCH_PAGE = 1000;

interface WireExperiment {
  experiment_id: string;
  name: string;
  artifact_location?: string;
  lifecycle_stage?: string;
  creation_time?: number | string;
  last_update_time?: number | string;
  tags?: { key: string; value: string }[];
}

function toExperiment(experiment: WireExperiment): Experiment {
  const out: Experiment = {
    experimentId: experiment.experiment_id,
    name: experiment.name,
    artifactLocation: experiment.artifact_location ?? "",
    lifecycleStage: experiment.lifecycle_stage ?? "active",
    tags: Object.fromEntries((experiment.tags ?? []).map((t) => [t.key, t.value])),
  };
  if (experiment.creation_time !== undefined) out.creationTime = Number(experiment.creation_time);
  if (experiment.last_update_time !== undefined) {
    out.lastUpdateTime = Number(experiment.last_update_time);
  }
  return out;
}

/** The experiment named `name`, or `undefined` when there is none. */
export async function getExperimentByName(
  rest: RestClient,
  name: string,
): Promise<Experiment | undefined> {
  try {
    const { experiment } = await rest.request<{ experiment: WireExperiment }>({
      method: "GET",
      endpoint: `${EXPERIMENTS}/get-by-name`,
      query: { experiment_name: name },
    });
    return toExperiment(experiment);
  } catch (error) {
    if (error instanceof MlflowError && error.errorCode === "RESOURCE_DOES_NOT_EXIST") {
      return undefined;
    }
    throw error;
  }
}

/**
 * The id of the experiment named `name`, created if missing. Two processes creating it at once
 * is normal (parallel CI jobs): the loser's 400 `RESOURCE_ALREADY_EXISTS` means "read it back".
 */
export async function getOrCreateExperiment(rest: RestClient, name: string): Promise<string> {
  const existing = await getExperimentByName(rest, name);
  if (existing) {
    if (existing.lifecycleStage === "deleted") {
      throw new MlflowError(
        `experiment '${name}' is deleted; restore it in MLflow or use another name`,
        { errorCode: "INVALID_STATE", key: name },
      );
    }
    return existing.experimentId;
  }
  try {
    const created = await rest.request<{ experiment_id: string }>({
      method: "POST",
      endpoint: `${EXPERIMENTS}/create`,
      json: { name },
    });
    return created.experiment_id;
  } catch (error) {
    if (error instanceof MlflowError && error.errorCode === "RESOURCE_ALREADY_EXISTS") {
      const raced = await getExperimentByName(rest, name);
      if (raced) return raced.experimentId;
    }
    throw error;
  }
}

/** Every experiment matching `search`, following `next_page_token` until the end or `maxResults`. */
export async function searchExperiments(
  rest: RestClient,
  search: SearchExperimentsOptions,
): Promise<Experiment[]> {
  return await readAllPages(async (pageToken, wanted) => {
    const page = await rest.request<{ experiments?: WireExperiment[]; next_page_token?: string }>({
      method: "POST",
      endpoint: `${EXPERIMENTS}/search`,
      json: {
        filter: search.filter ?? "",
        order_by: search.orderBy,
        view_type: search.viewType ?? "ACTIVE_ONLY",
        max_results: Math.min(SEARCH_PAGE, wanted),
        page_token: pageToken,
      },
    });
    return { items: (page.experiments ?? []).map(toExperiment), next: page.next_page_token };
  }, search.maxResults);
}

/** One experiment by id (deleted ones too). */
export async function getExperiment(rest: RestClient, experimentId: string): Promise<Experiment> {
  const { experiment } = await rest.request<{ experiment: WireExperiment }>({
    method: "GET",
    endpoint: `${EXPERIMENTS}/get`,
    query: { experiment_id: experimentId },
    key: experimentId,
  });
  return toExperiment(experiment);
}

/** What a new experiment is made of. */
export interface ExperimentCreation {
  /** Unique name. */
  name: string;
  /** Tags, already checked. */
  tags: Record<string, string>;
  /** Where its runs' artifacts go (the server's default when absent). */
  artifactLocation?: string;
}

/**
 * Creates an experiment and returns its id. Names are unique, so a create reaching the server
 * twice cannot make two; but a second copy of the request meets `RESOURCE_ALREADY_EXISTS` for
 * the experiment the first made. The create carries {@linkcode CREATE_ID_TAG}, and only an
 * experiment carrying this call's id is taken as the one it made: anyone else's experiment of
 * that name is `RESOURCE_ALREADY_EXISTS`, as without a retry.
 */
export async function createExperiment(
  rest: RestClient,
  creation: ExperimentCreation,
): Promise<string> {
  const createId = crypto.randomUUID();
  try {
    const created = await rest.request<{ experiment_id: string }>({
      method: "POST",
      endpoint: `${EXPERIMENTS}/create`,
      json: {
        name: creation.name,
        artifact_location: creation.artifactLocation,
        tags: [...wireTags(creation.tags), { key: CREATE_ID_TAG, value: createId }],
      },
      key: creation.name,
    });
    return created.experiment_id;
  } catch (error) {
    // A second copy of our create (our retry, or the runtime's fetch re-sending a POST on a
    // dropped keep-alive connection, unseen by us) meets the experiment the first one made.
    if (isCode(error, "RESOURCE_ALREADY_EXISTS")) {
      const existing = await getExperimentByName(rest, creation.name);
      if (existing?.tags[CREATE_ID_TAG] === createId) return existing.experimentId;
    }
    throw error;
  }
}

/**
 * Moves an experiment (and its runs) to the trash: `lifecycleStage` becomes `deleted`, as
 * Python's `mlflow.delete_experiment` does; `restoreExperiment` brings it back.
 */
export function deleteExperiment(rest: RestClient, experimentId: string): Promise<void> {
  return changeStage(rest, experimentId, "delete", "deleted");
}

/** Brings a deleted experiment (and its runs) back. */
export function restoreExperiment(rest: RestClient, experimentId: string): Promise<void> {
  return changeStage(rest, experimentId, "restore", "active");
}

/**
 * Delete and restore are not idempotent on the server: the second of two answers
 * `RESOURCE_DOES_NOT_EXIST`, and a request can reach it twice (our retry, or the runtime's fetch
 * re-sending it unseen). So that answer is checked: an experiment already in the stage asked for
 * is what the call wanted, and resolves; a missing one rejects.
 */
async function changeStage(
  rest: RestClient,
  experimentId: string,
  action: "delete" | "restore",
  stage: "deleted" | "active",
): Promise<void> {
  try {
    await rest.request({
      method: "POST",
      endpoint: `${EXPERIMENTS}/${action}`,
      json: { experiment_id: experimentId },
      key: experimentId,
    });
  } catch (error) {
    if (isCode(error, "RESOURCE_DOES_NOT_EXIST")) {
      const now = await getExperiment(rest, experimentId).catch(() => undefined);
      if (now?.lifecycleStage === stage) return;
    }
    throw error;
  }
}

/** Sets one experiment tag (the last value wins, so a retry is harmless). */
export async function setExperimentTag(
  rest: RestClient,
  experimentId: string,
  key: string,
  value: string,
): Promise<void> {
  await rest.request({
    method: "POST",
    endpoint: `${EXPERIMENTS}/set-experiment-tag`,
    json: { experiment_id: experimentId, key, value },
    key,
  });
}

function wireTags(tags: Record<string, string>): { key: string; value: string }[] {
  return Object.entries(tags).map(([key, value]) => ({ key, value }));
}

function isCode(error: unknown, code: string): boolean {
  return error instanceof MlflowError && error.errorCode === code;
}
