// Copyright 2026 the evalhooks authors. MIT license.
// This module is browser compatible.

import type { RunInfo, RunStatus } from "./types.ts";

/** A run's info as the REST API returns it. */
export interface WireRunInfo {
  /** Run id. */
  run_id: string;
  /** Experiment id. */
  experiment_id: string;
  /** Run name. */
  run_name?: string;
  /** Artifact URI. */
  artifact_uri: string;
  /** Status. */
  status: RunStatus;
  /** ms. */
  start_time?: number | string;
  /** ms. */
  end_time?: number | string;
  /** `active` or `deleted`. */
  lifecycle_stage?: "active" | "deleted";
}

/** Converts a wire run info to {@linkcode RunInfo}. */
export function toRunInfo(info: WireRunInfo): RunInfo {
  const out: RunInfo = {
    runId: info.run_id,
    experimentId: info.experiment_id,
    runName: info.run_name ?? "",
    artifactUri: info.artifact_uri,
    status: info.status,
    startTime: Number(info.start_time ?? 0),
  };
  if (info.end_time !== undefined) out.endTime = Number(info.end_time);
  if (info.lifecycle_stage !== undefined) out.lifecycleStage = info.lifecycle_stage;
  return out;
}

/** A metric value as protobuf JSON wants it: non-finite numbers as the strings MLflow parses. */
export type WireMetricValue = number | "NaN" | "Infinity" | "-Infinity";
