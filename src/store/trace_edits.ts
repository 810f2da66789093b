// Copyright 2026 the evalhooks authors. MIT license.
// This module is browser compatible.

// Changes to traces after the fact, as MLflow's review flow makes them: trace tags, deleting
// traces, and updating an assessment in place. Each is safe to repeat: a tag set twice has the
// same value, a tag or trace deleted twice is still gone, an update writes the same fields again.

import { MlflowError } from "../base/errors.ts";
import type { RestClient } from "../transport/rest.ts";
import { toAssessment, type WireAssessment } from "./traces.ts";
import type { Assessment } from "./trace_types.ts";

const TRACES = "/api/3.0/mlflow/traces";

/** Sets a trace tag (`PATCH traces/{id}/tags`). */
export async function setTraceTag(
  rest: RestClient,
  traceId: string,
  key: string,
  value: string,
): Promise<void> {
  await rest.request({
    method: "PATCH",
    endpoint: `${TRACES}/${encodeURIComponent(traceId)}/tags`,
    json: { key, value },
    key,
  });
}

/** Deletes a trace tag; one already absent counts as deleted (a retried delete finds none). */
export async function deleteTraceTag(
  rest: RestClient,
  traceId: string,
  key: string,
): Promise<void> {
  try {
    await rest.request({
      method: "DELETE",
      endpoint: `${TRACES}/${encodeURIComponent(traceId)}/tags`,
      json: { key },
      key,
    });
  } catch (error) {
    if (error instanceof MlflowError && error.errorCode === "RESOURCE_DOES_NOT_EXIST") return;
    throw error;
  }
}

/** Deletes the given traces, or those older than a time; returns how many the server deleted. */
export async function deleteTraces(
  rest: RestClient,
  request: {
    experimentId: string;
    traceIds?: readonly string[];
    maxTimestampMillis?: number;
    maxTraces?: number;
  },
): Promise<number> {
  const response = await rest.request<{ traces_deleted?: number }>({
    method: "POST",
    endpoint: `${TRACES}/delete-traces`,
    json: {
      experiment_id: request.experimentId,
      request_ids: request.traceIds,
      max_timestamp_millis: request.maxTimestampMillis,
      max_traces: request.maxTraces,
    },
  });
  return response.traces_deleted ?? 0;
}

/** Reads one assessment of a trace. */
export async function getAssessment(
  rest: RestClient,
  traceId: string,
  assessmentId: string,
): Promise<Assessment> {
  const response = await rest.request<{ assessment: WireAssessment }>({
    method: "GET",
    endpoint: `${TRACES}/${encodeURIComponent(traceId)}/assessments/${
      encodeURIComponent(assessmentId)
    }`,
  });
  return toAssessment(response.assessment);
}

/**
 * Updates the given fields of an assessment in place (`assessment` holds them in wire form;
 * `fields` names them, MLflow's update mask) and returns it as stored.
 */
export async function updateAssessment(
  rest: RestClient,
  traceId: string,
  assessmentId: string,
  assessment: Record<string, unknown>,
  fields: readonly string[],
): Promise<Assessment> {
  const response = await rest.request<{ assessment: WireAssessment }>({
    method: "PATCH",
    endpoint: `${TRACES}/${encodeURIComponent(traceId)}/assessments/${
      encodeURIComponent(assessmentId)
    }`,
    json: {
      assessment: { ...assessment, assessment_id: assessmentId, trace_id: traceId },
      update_mask: fields.join(","),
    },
  });
  return toAssessment(response.assessment);
}
