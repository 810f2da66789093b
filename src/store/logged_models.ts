// Copyright 2026 the evalhooks authors. MIT license.
// This module is browser compatible.

// MLflow's LoggedModels (the GenAI UI's "Agent versions"): create, finalize, read, search.
// Creating is not idempotent (two models may share a name): see create_once.ts.

import { MlflowError } from "../base/errors.ts";
import type { RestClient } from "../transport/rest.ts";
import { createOnce } from "./create_once.ts";
import { readAllPages } from "./pages.ts";

const MODELS = "/api/2.0/mlflow/logged-models";

/** The tag that proves a logged model was made by one `createLoggedModel` call of this client. */
export const MODEL_CREATE_ID_TAG = "evalhooks.createId";

/**
 * A logged model as read back: one version of an agent or model in MLflow's Agent versions view.
 *
 * @example
 * ```ts
 * import { createMlflow, type LoggedModel } from "@evalhooks/mlflow";
 *
 * const mlflow = createMlflow({ trackingUri: "http://127.0.0.1:5000" });
 * const model: LoggedModel = await mlflow.setActiveModel({ name: "support-agent-v2" });
 * console.log(model.modelId, model.status);
 * ```
 */
export interface LoggedModel {
  /** Id (`m-…`). */
  modelId: string;
  /** Name (several models may share one). */
  name: string;
  /** Experiment. */
  experimentId: string;
  /** `LOGGED_MODEL_PENDING`, `LOGGED_MODEL_READY` or `LOGGED_MODEL_UPLOAD_FAILED`. */
  status: string;
  /** A user-defined type, such as `agent`. */
  modelType: string;
  /** The run that produced it, if any. */
  sourceRunId?: string;
  /** Creation time, ms since the epoch. */
  creationTime: number;
  /** Tags. */
  tags: Record<string, string>;
  /** Params. */
  params: Record<string, string>;
  /** Metrics linked to it (latest per key), e.g. an evaluation's `<scorer>/mean`. */
  metrics: Record<string, number>;
}

interface WireLoggedModel {
  info: {
    model_id: string;
    experiment_id: string;
    name: string;
    creation_timestamp_ms?: number;
    status?: string;
    model_type?: string;
    source_run_id?: string;
    tags?: { key: string; value: string }[];
  };
  data?: {
    params?: { key: string; value: string }[];
    metrics?: { key: string; value: number; timestamp?: number }[];
  };
}

/** What a new logged model is made with. */
export interface NewLoggedModel {
  /** Experiment. */
  experimentId: string;
  /** Name. */
  name: string;
  /** Tags (the create id is added). */
  tags: Record<string, string>;
  /** Params. */
  params: Record<string, string>;
  /** Type. */
  modelType?: string;
  /** Producing run. */
  sourceRunId?: string;
}

/**
 * Creates a logged model, once even when the create lands twice (create_once.ts: adopted or
 * deduplicated by this call's create id), and returns it (still pending).
 */
export async function createLoggedModel(
  rest: RestClient,
  model: NewLoggedModel,
): Promise<LoggedModel> {
  return await createOnce<LoggedModel>({
    create: async (createId, beforeRetry) =>
      toLoggedModel(
        (await rest.request<{ model: WireLoggedModel }>({
          method: "POST",
          endpoint: MODELS,
          json: {
            experiment_id: model.experimentId,
            name: model.name,
            model_type: model.modelType,
            source_run_id: model.sourceRunId,
            tags: wirePairs({ ...model.tags, [MODEL_CREATE_ID_TAG]: createId }),
            params: wirePairs(model.params),
          },
          key: model.name,
          beforeRetry,
        })).model,
      ),
    // The filter narrows; the tag is checked here, so a filter read differently adopts nothing.
    findOwn: async (createId, check) =>
      (await searchLoggedModels(rest, {
        experimentIds: [model.experimentId],
        filter: `tags.\`${MODEL_CREATE_ID_TAG}\` = '${createId}'`,
        check, // from beforeRetry: must not wait on the outage this request may be probing
      })).filter((m) => m.tags[MODEL_CREATE_ID_TAG] === createId),
    idOf: (m) => m.modelId,
    remove: async (twin) => {
      await rest.request({
        method: "DELETE",
        endpoint: `${MODELS}/${encodeURIComponent(twin.modelId)}`,
        key: twin.modelId,
      });
    },
  });
}

/** Marks a logged model ready (a status write: safe to repeat). */
export async function finalizeLoggedModel(
  rest: RestClient,
  modelId: string,
  status = "LOGGED_MODEL_READY",
): Promise<LoggedModel> {
  const response = await rest.request<{ model: WireLoggedModel }>({
    method: "PATCH",
    endpoint: `${MODELS}/${encodeURIComponent(modelId)}`,
    json: { model_id: modelId, status },
    key: modelId,
  });
  return toLoggedModel(response.model);
}

/** Reads one logged model. */
export async function getLoggedModel(rest: RestClient, modelId: string): Promise<LoggedModel> {
  const response = await rest.request<{ model: WireLoggedModel }>({
    method: "GET",
    endpoint: `${MODELS}/${encodeURIComponent(modelId)}`,
    key: modelId,
  });
  return toLoggedModel(response.model);
}

/** Searches logged models, newest first unless ordered otherwise, every page up to `maxResults`. */
export async function searchLoggedModels(
  rest: RestClient,
  options: { experimentIds: string[]; filter?: string; maxResults?: number; check?: boolean },
): Promise<LoggedModel[]> {
  return await readAllPages(async (pageToken, wanted) => {
    const page = await rest.request<{ models?: WireLoggedModel[]; next_page_token?: string }>({
      method: "POST",
      endpoint: `${MODELS}/search`,
      json: {
        experiment_ids: options.experimentIds,
        filter: options.filter,
        max_results: Math.min(100, wanted),
        page_token: pageToken,
        order_by: [{ field_name: "creation_timestamp", ascending: false }],
      },
      check: options.check,
    });
    return { items: (page.models ?? []).map(toLoggedModel), next: page.next_page_token };
  }, options.maxResults);
}

function toLoggedModel(wire: WireLoggedModel): LoggedModel {
  const { info, data } = wire;
  if (!info?.model_id) {
    throw new MlflowError("the server answered without a logged model", {
      errorCode: "BAD_RESPONSE",
    });
  }
  const model: LoggedModel = {
    modelId: info.model_id,
    name: info.name,
    experimentId: info.experiment_id,
    status: info.status ?? "",
    modelType: info.model_type ?? "",
    creationTime: Number(info.creation_timestamp_ms ?? 0),
    tags: Object.fromEntries((info.tags ?? []).map((t) => [t.key, t.value])),
    params: Object.fromEntries((data?.params ?? []).map((p) => [p.key, p.value])),
    metrics: {},
  };
  if (info.source_run_id) model.sourceRunId = info.source_run_id;
  // The latest value of each key, as a run's metrics are read.
  const latest = new Map<string, { value: number; timestamp: number }>();
  for (const m of data?.metrics ?? []) {
    const at = Number(m.timestamp ?? 0);
    const seen = latest.get(m.key);
    if (!seen || at >= seen.timestamp) latest.set(m.key, { value: Number(m.value), timestamp: at });
  }
  for (const [key, { value }] of latest) model.metrics[key] = value;
  return model;
}

function wirePairs(record: Record<string, string>): { key: string; value: string }[] {
  return Object.entries(record).map(([key, value]) => ({ key, value }));
}
