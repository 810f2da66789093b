// Copyright 2026 the evalhooks authors. MIT license.
// This module is browser compatible.

import { MlflowError } from "../base/errors.ts";
import type { RestClient } from "../transport/rest.ts";
import type { Experiment } from "./types.ts";

interface WireExperiment {
  experiment_id: string;
  name: string;
  artifact_location?: string;
  lifecycle_stage?: string;
  tags?: { key: string; value: string }[];
}

/** The experiment named `name`, or `undefined` when there is none. */
export async function getExperimentByName(
  rest: RestClient,
  name: string,
): Promise<Experiment | undefined> {
  try {
    const { experiment } = await rest.request<{ experiment: WireExperiment }>({
      method: "GET",
      endpoint: "/api/2.0/mlflow/experiments/get-by-name",
      query: { experiment_name: name },
    });
    return {
      experimentId: experiment.experiment_id,
      name: experiment.name,
      artifactLocation: experiment.artifact_location ?? "",
      lifecycleStage: experiment.lifecycle_stage ?? "active",
      tags: Object.fromEntries((experiment.tags ?? []).map((t) => [t.key, t.value])),
    };
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
      endpoint: "/api/2.0/mlflow/experiments/create",
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
