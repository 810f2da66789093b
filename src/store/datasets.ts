// Copyright 2026 the evalhooks authors. MIT license.
// This module is browser compatible.

// MLflow 3's evaluation datasets over REST (`/api/3.0/mlflow/datasets/…`), the calls Python's
// RestStore makes for `mlflow.genai.datasets`. Tags and records travel as JSON text inside the
// JSON body, as the server's handlers `json.loads` them.

import { createOnce } from "./create_once.ts";
import { MlflowError } from "../base/errors.ts";
import { wellFormedJson } from "../base/text.ts";
import type { RestClient } from "../transport/rest.ts";
import type { DatasetInfo, DatasetRecord, DatasetRecordSource } from "./dataset_types.ts";
import { readAllPages } from "./pages.ts";
import { CREATE_ID_TAG } from "./run_create.ts";

const DATASETS = "/api/3.0/mlflow/datasets";
const SEARCH_PAGE = 1000;
// Python reads records 1,000 a page; the server's own default too.
const RECORDS_PAGE = 1000;
// Records per upsert: each request is idempotent, so splitting only bounds the body size.
const UPSERT_CHUNK = 500;

interface WireDataset {
  dataset_id: string;
  name: string;
  tags?: string;
  schema?: string;
  profile?: string;
  digest?: string;
  created_time?: number | string;
  last_update_time?: number | string;
  created_by?: string;
  last_updated_by?: string;
  experiment_ids?: string[];
}

interface WireRecord {
  dataset_record_id: string;
  dataset_id: string;
  inputs?: Record<string, unknown>;
  outputs?: unknown;
  expectations?: Record<string, unknown>;
  tags?: Record<string, string>;
  source?: { source_type?: string; source_data?: Record<string, unknown> };
  source_id?: string;
  source_type?: string;
  created_time?: number | string;
  last_update_time?: number | string;
  created_by?: string;
  last_updated_by?: string;
}

/** A record as `UpsertDatasetRecords` takes it (Python's record dict). */
export interface WireRecordInput {
  /** Inputs: the record's identity. */
  inputs: Record<string, unknown>;
  /** Expectations, merged key by key into an existing record's. */
  expectations?: Record<string, unknown>;
  /** Tags, merged key by key. */
  tags?: Record<string, string>;
  /** `{ source_type, source_data }`. */
  source?: { source_type: string; source_data: Record<string, unknown> };
}

/** What a new dataset is made of, already checked. */
export interface DatasetCreation {
  /** Name. */
  name: string;
  /** Experiments it belongs to. */
  experimentIds: string[];
  /** Tags. */
  tags: Record<string, string>;
}

/** What to search for, already checked. */
export interface DatasetSearch {
  /** Experiments (all when empty). */
  experimentIds?: string[];
  /** MLflow's filter (`name = '…'`, `tags.team = '…'`, `created_time > …`). */
  filter?: string;
  /** Order, such as `["created_time DESC"]`. */
  orderBy?: string[];
  /** At most this many. */
  maxResults?: number;
}

function parseTags(text: string | undefined): Record<string, string> {
  if (!text) return {};
  try {
    const parsed = JSON.parse(text) as Record<string, unknown>;
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries(parsed ?? {})) {
      // Our create id is bookkeeping, not the caller's tag.
      if (k !== CREATE_ID_TAG) out[k] = typeof v === "string" ? v : JSON.stringify(v);
    }
    return out;
  } catch {
    return {};
  }
}

function toDataset(wire: WireDataset, experimentIds?: string[]): DatasetInfo {
  const out: DatasetInfo = {
    datasetId: wire.dataset_id,
    name: wire.name,
    digest: wire.digest ?? "",
    tags: parseTags(wire.tags),
    createdTime: Number(wire.created_time ?? 0),
    lastUpdateTime: Number(wire.last_update_time ?? 0),
  };
  if (wire.schema !== undefined) out.schema = wire.schema;
  if (wire.profile !== undefined) out.profile = wire.profile;
  if (wire.created_by !== undefined) out.createdBy = wire.created_by;
  if (wire.last_updated_by !== undefined) out.lastUpdatedBy = wire.last_updated_by;
  const ids = experimentIds ?? wire.experiment_ids;
  if (ids !== undefined) out.experimentIds = [...ids];
  return out;
}

function toRecord(wire: WireRecord): DatasetRecord {
  const out: DatasetRecord = {
    recordId: wire.dataset_record_id,
    datasetId: wire.dataset_id,
    inputs: wire.inputs ?? {},
    tags: wire.tags ?? {},
    createdTime: Number(wire.created_time ?? 0),
    lastUpdateTime: Number(wire.last_update_time ?? 0),
  };
  const outputs = unwrapOutputs(wire.outputs);
  if (outputs !== undefined) out.outputs = outputs;
  if (wire.expectations !== undefined && wire.expectations !== null) {
    out.expectations = wire.expectations;
  }
  if (wire.source?.source_type) {
    out.source = {
      sourceType: wire.source.source_type as DatasetRecordSource["sourceType"],
      sourceData: wire.source.source_data ?? {},
    };
  }
  if (wire.source_id !== undefined) out.sourceId = wire.source_id;
  if (wire.created_by !== undefined) out.createdBy = wire.created_by;
  if (wire.last_updated_by !== undefined) out.lastUpdatedBy = wire.last_updated_by;
  return out;
}

// The server answers `{}` for a record without outputs, and keeps a merged non-object output
// as `{"mlflow_wrapped": value}`.
function unwrapOutputs(outputs: unknown): unknown {
  if (outputs === undefined || outputs === null) return undefined;
  if (typeof outputs !== "object" || Array.isArray(outputs)) return outputs;
  const keys = Object.keys(outputs);
  if (keys.length === 0) return undefined;
  if (keys.length === 1 && keys[0] === "mlflow_wrapped") {
    return (outputs as Record<string, unknown>).mlflow_wrapped;
  }
  return outputs;
}

function datasetPath(datasetId: string): string {
  return `${DATASETS}/${encodeURIComponent(datasetId)}`;
}

/**
 * Creates a dataset. Names are not unique on the server, so a create that reaches it twice (our
 * retry after a lost answer, or the runtime's fetch re-sending a POST on a dropped keep-alive
 * connection) makes two. The create carries {@linkcode CREATE_ID_TAG} with an id of this call:
 * before our retry, a dataset of that name carrying it is taken as made; after the create, any
 * other dataset carrying it is a twin from a silent re-send and is deleted (create_once.ts). Only
 * datasets with this call's id are ever adopted or deleted.
 */
export async function createDataset(
  rest: RestClient,
  creation: DatasetCreation,
): Promise<DatasetInfo> {
  const made = await createOnce<WireDataset>({
    create: async (createId, beforeRetry) =>
      (await rest.request<{ dataset: WireDataset }>({
        method: "POST",
        endpoint: `${DATASETS}/create`,
        json: {
          name: creation.name,
          experiment_ids: creation.experimentIds,
          tags: wellFormedJson(JSON.stringify({ ...creation.tags, [CREATE_ID_TAG]: createId })),
        },
        key: creation.name,
        beforeRetry,
      })).dataset,
    findOwn: (createId, check) => findOwn(rest, creation.name, createId, check),
    idOf: (d) => d.dataset_id,
    remove: async (twin) => {
      await rest.request({ method: "DELETE", endpoint: datasetPath(twin.dataset_id) });
    },
  });
  return toDataset(made, creation.experimentIds);
}

// Datasets named `name` that carry this create's id: the filter narrows by name, and the tag is
// checked here, so a filter the server read differently could not widen what is adopted.
async function findOwn(
  rest: RestClient,
  name: string,
  createId: string,
  check = false,
): Promise<WireDataset[]> {
  const found: WireDataset[] = [];
  let pageToken: string | undefined;
  do {
    const page = await rest.request<{ datasets?: WireDataset[]; next_page_token?: string }>({
      method: "POST",
      endpoint: `${DATASETS}/search`,
      json: { filter_string: nameFilter(name), max_results: SEARCH_PAGE, page_token: pageToken },
      check,
    });
    for (const d of page.datasets ?? []) {
      if (tagOf(d, CREATE_ID_TAG) === createId) found.push(d);
    }
    pageToken = page.next_page_token || undefined;
  } while (pageToken);
  return found;
}

function tagOf(dataset: WireDataset, key: string): string | undefined {
  try {
    const tags = JSON.parse(dataset.tags ?? "{}") as Record<string, unknown>;
    return typeof tags[key] === "string" ? tags[key] as string : undefined;
  } catch {
    return undefined;
  }
}

/** MLflow's filter for an exact name, quoted as Python's `get_dataset(name=…)` quotes it. */
export function nameFilter(name: string): string {
  if (!name.includes('"')) return `name = "${name}"`;
  return `name = '${name.replaceAll("'", "''")}'`;
}

/** One dataset, with the experiments it belongs to. */
export async function getDataset(rest: RestClient, datasetId: string): Promise<DatasetInfo> {
  const [{ dataset }, experiments] = await Promise.all([
    rest.request<{ dataset: WireDataset }>({
      method: "GET",
      endpoint: datasetPath(datasetId),
      key: datasetId,
    }),
    rest.request<{ experiment_ids?: string[] }>({
      method: "GET",
      endpoint: `${datasetPath(datasetId)}/experiment-ids`,
      key: datasetId,
    }),
  ]);
  return toDataset(dataset, experiments.experiment_ids ?? []);
}

/** Every dataset matching `search`, following `next_page_token` until the end or `maxResults`. */
export async function searchDatasets(
  rest: RestClient,
  search: DatasetSearch,
): Promise<DatasetInfo[]> {
  return await readAllPages(async (pageToken, wanted) => {
    const page = await rest.request<{ datasets?: WireDataset[]; next_page_token?: string }>({
      method: "POST",
      endpoint: `${DATASETS}/search`,
      json: {
        experiment_ids: search.experimentIds,
        filter_string: search.filter,
        order_by: search.orderBy,
        max_results: Math.min(SEARCH_PAGE, wanted),
        page_token: pageToken,
      },
    });
    return {
      items: (page.datasets ?? []).map((d) => toDataset(d)),
      next: page.next_page_token,
    };
  }, search.maxResults);
}

/**
 * Inserts or updates records: the server keys them by their inputs (SHA-256 of the inputs as
 * sorted-key JSON), so a record whose inputs are already there updates it (expectations and tags
 * merged key by key) and a repeated request changes nothing more: retries are safe.
 */
export async function upsertRecords(
  rest: RestClient,
  datasetId: string,
  records: readonly WireRecordInput[],
): Promise<{ inserted: number; updated: number }> {
  let inserted = 0;
  let updated = 0;
  for (let i = 0; i < records.length; i += UPSERT_CHUNK) {
    const chunk = records.slice(i, i + UPSERT_CHUNK);
    const answer = await rest.request<{ inserted_count?: number; updated_count?: number }>({
      method: "POST",
      endpoint: `${datasetPath(datasetId)}/records`,
      // Record text is data: a lone surrogate in it becomes U+FFFD rather than failing the call.
      json: { records: wellFormedJson(JSON.stringify(chunk)) },
      key: datasetId,
    });
    inserted += Number(answer.inserted_count ?? 0);
    updated += Number(answer.updated_count ?? 0);
  }
  return { inserted, updated };
}

/** Every record of a dataset, all pages read. */
export async function readRecords(rest: RestClient, datasetId: string): Promise<DatasetRecord[]> {
  return await readAllPages(async (pageToken) => {
    const page = await rest.request<{ records?: string; next_page_token?: string }>({
      method: "GET",
      endpoint: `${datasetPath(datasetId)}/records`,
      query: { max_results: RECORDS_PAGE, page_token: pageToken },
      key: datasetId,
    });
    const records = page.records ? JSON.parse(page.records) as WireRecord[] : [];
    return { items: records.map(toRecord), next: page.next_page_token };
  });
}

/** Sets dataset tags, merged into the existing ones (the last value wins: a retry is harmless). */
export async function setDatasetTags(
  rest: RestClient,
  datasetId: string,
  tags: Record<string, string>,
): Promise<void> {
  await rest.request({
    method: "PATCH",
    endpoint: `${datasetPath(datasetId)}/tags`,
    json: { tags: wellFormedJson(JSON.stringify(tags)) },
    key: datasetId,
  });
}

/** Deletes one dataset tag; the server answers success when it is already gone. */
export async function deleteDatasetTag(
  rest: RestClient,
  datasetId: string,
  key: string,
): Promise<void> {
  await rest.request({
    method: "DELETE",
    endpoint: `${datasetPath(datasetId)}/tags/${encodeURIComponent(key)}`,
    key,
  });
}

/**
 * Deletes a dataset and its records, for good (MLflow has no trash for datasets). The server
 * answers success when it is already gone, so a retry is harmless.
 */
export async function deleteDataset(rest: RestClient, datasetId: string): Promise<void> {
  await rest.request({ method: "DELETE", endpoint: datasetPath(datasetId), key: datasetId });
}

/** True when `error` is the server's "no such dataset". */
export function isMissing(error: unknown): boolean {
  return error instanceof MlflowError && error.errorCode === "RESOURCE_DOES_NOT_EXIST";
}
