// Copyright 2026 the evalhooks authors. MIT license.
// This module is browser compatible.

import { artifactEndpoint } from "./artifacts.ts";
import { readAllPages } from "./pages.ts";
import { toRunDatasets, type WireDatasetInput } from "./inputs.ts";
import type { RestClient } from "../transport/rest.ts";
import { toRunInfo, type WireRunInfo } from "./wire.ts";
import type { ArtifactEntry, MetricPoint, RunData, SearchRunsOptions } from "./types.ts";

interface WireRun {
  info: WireRunInfo;
  data?: {
    metrics?: { key: string; value: number | string }[];
    params?: { key: string; value: string }[];
    tags?: { key: string; value: string }[];
  };
  inputs?: { dataset_inputs?: WireDatasetInput[] };
}

/** A metric value from the wire: the server writes NaN as the string "NaN". */
export function wireToNumber(value: number | string): number {
  if (typeof value === "number") return value;
  if (value === "NaN") return NaN;
  if (value === "Infinity") return Infinity;
  if (value === "-Infinity") return -Infinity;
  return Number(value);
}

function toRunData(run: WireRun): RunData {
  const pairs = (list?: { key: string; value: string }[]) =>
    Object.fromEntries((list ?? []).map((x) => [x.key, x.value]));
  return {
    info: toRunInfo(run.info),
    metrics: Object.fromEntries(
      (run.data?.metrics ?? []).map((m) => [m.key, wireToNumber(m.value)]),
    ),
    params: pairs(run.data?.params),
    tags: pairs(run.data?.tags),
    datasets: toRunDatasets(run.inputs),
  };
}

/** Reads one run. */
export async function getRun(rest: RestClient, runId: string): Promise<RunData> {
  const { run } = await rest.request<{ run: WireRun }>({
    method: "GET",
    endpoint: "/api/2.0/mlflow/runs/get",
    query: { run_id: runId },
  });
  return toRunData(run);
}

/** Every matching run, following `next_page_token` until the end or `maxResults`. */
export async function searchRuns(
  rest: RestClient,
  options: SearchRunsOptions,
): Promise<RunData[]> {
  return await readAllPages(async (pageToken, wanted) => {
    const page = await rest.request<{ runs?: WireRun[]; next_page_token?: string }>({
      method: "POST",
      endpoint: "/api/2.0/mlflow/runs/search",
      json: {
        experiment_ids: options.experimentIds,
        filter: options.filter ?? "",
        order_by: options.orderBy,
        run_view_type: options.runViewType ?? "ACTIVE_ONLY",
        max_results: Math.min(1000, wanted),
        page_token: pageToken,
      },
    });
    return { items: (page.runs ?? []).map(toRunData), next: page.next_page_token };
  }, options.maxResults);
}

/** Every point of one metric, all pages. */
export async function getMetricHistory(
  rest: RestClient,
  runId: string,
  key: string,
): Promise<MetricPoint[]> {
  return await readAllPages(async (pageToken) => {
    const page = await rest.request<{
      metrics?: {
        key: string;
        value: number | string;
        timestamp: number | string;
        step?: number | string;
      }[];
      next_page_token?: string;
    }>({
      method: "GET",
      endpoint: "/api/2.0/mlflow/metrics/get-history",
      query: { run_id: runId, metric_key: key, max_results: 25_000, page_token: pageToken },
    });
    const items = (page.metrics ?? []).map((m) => ({
      key: m.key,
      value: wireToNumber(m.value),
      timestamp: Number(m.timestamp),
      step: Number(m.step ?? 0),
    }));
    return { items, next: page.next_page_token };
  });
}

/** Lists artifacts under `path`. */
export async function listArtifacts(
  rest: RestClient,
  runId: string,
  path?: string,
): Promise<ArtifactEntry[]> {
  return await readAllPages(async (pageToken) => {
    const page = await rest.request<{
      files?: { path: string; is_dir?: boolean; file_size?: number | string }[];
      next_page_token?: string;
    }>({
      method: "GET",
      endpoint: "/api/2.0/mlflow/artifacts/list",
      query: { run_id: runId, path, page_token: pageToken },
    });
    const items = (page.files ?? []).map((f) => {
      const entry: ArtifactEntry = { path: f.path, isDir: f.is_dir ?? false };
      if (f.file_size !== undefined) entry.fileSize = Number(f.file_size);
      return entry;
    });
    return { items, next: page.next_page_token };
  });
}

/** Downloads one artifact through the server's artifact proxy. */
export function downloadArtifact(
  rest: RestClient,
  artifactUri: string,
  path: string,
): Promise<Uint8Array> {
  return rest.request<Uint8Array>({
    method: "GET",
    endpoint: artifactEndpoint(artifactUri, path),
    responseType: "bytes",
    key: path,
  });
}
