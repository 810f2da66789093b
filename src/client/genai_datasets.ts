// Copyright 2026 the evalhooks authors. MIT license.
// This module is browser compatible.

// MLflow 3 evaluation datasets (`mlflow.genai.datasets`) as the user sees them: a handle with
// its records and tags, made from the store's calls (store/datasets.ts). Like the management
// calls they are awaited, so bad input rejects with a typed error before anything is sent, and
// rows are written as Python's `merge_records` writes them (source inferred, `mlflow.user` tag)
// so both clients read the same dataset the same way.

import { MlflowValidationError } from "../base/errors.ts";
import { isWellFormed } from "../base/text.ts";
import * as store from "../store/datasets.ts";
import type { DatasetInfo } from "../store/dataset_types.ts";
import type { RestClient } from "../transport/rest.ts";
import type {
  DatasetRecordInput,
  EvaluationDataset,
  MergeRecordsResult,
} from "./genai_dataset_types.ts";
import type { MlflowClient } from "./types.ts";
import { stringValue } from "./validate.ts";
import { isRecord as isPlainRecord } from "../base/records.ts";

/** The dataset calls of the client: these methods of {@linkcode MlflowClient}, documented there. */
export type GenaiDatasets = Pick<
  MlflowClient,
  "createDataset" | "getDataset" | "searchDatasets" | "deleteDataset"
>;

/** What the dataset calls need from the client. */
export interface GenaiDatasetsContext {
  /** Transport. */
  rest: RestClient;
  /** The client's experiment, for a dataset that names none. */
  defaultExperimentId(): Promise<string>;
  /** The client's source tags (`mlflow.user` goes on datasets and records, as Python puts it). */
  sourceTags: Readonly<Record<string, string>>;
}

// MLflow's columns: name and tag key String(255), tag value String(5000).
const NAME_LENGTH = 255;
const TAG_KEY_LENGTH = 255;
const TAG_VALUE_LENGTH = 5000;
const USER_TAG = "mlflow.user";
const SOURCE_TYPES = new Set(["TRACE", "HUMAN", "DOCUMENT", "CODE", "UNSPECIFIED"]);

/** The dataset calls, on `ctx`. */
export function createGenaiDatasets(ctx: GenaiDatasetsContext): GenaiDatasets {
  const { rest } = ctx;
  const user = ctx.sourceTags[USER_TAG];

  const handle = (info: DatasetInfo): EvaluationDataset => {
    const dataset: EvaluationDataset = {
      ...info,
      async mergeRecords(rows) {
        const call = "mergeRecords";
        const records = checkRows(rows, call, user);
        const result: MergeRecordsResult = await store.upsertRecords(
          rest,
          dataset.datasetId,
          records,
        );
        // The upsert changed digest, schema and profile on the server: read them back, so this
        // object names what its records now are when logged as a run input.
        const now = await store.getDataset(rest, dataset.datasetId);
        Object.assign(dataset, {
          digest: now.digest,
          schema: now.schema,
          profile: now.profile,
          lastUpdateTime: now.lastUpdateTime,
          lastUpdatedBy: now.lastUpdatedBy,
        });
        return result;
      },
      records: () => store.readRecords(rest, dataset.datasetId),
      async setTags(tags) {
        const checked = checkTags(tags, "setTags");
        await store.setDatasetTags(rest, dataset.datasetId, checked);
        dataset.tags = { ...dataset.tags, ...checked };
      },
      async deleteTag(key) {
        const checked = tagKey(key, "deleteTag");
        await store.deleteDatasetTag(rest, dataset.datasetId, checked);
        const { [checked]: _gone, ...kept } = dataset.tags;
        dataset.tags = kept;
      },
    };
    return dataset;
  };

  return {
    async createDataset(options) {
      const call = "createDataset";
      if (typeof options !== "object" || options === null) {
        throw new MlflowValidationError(`${call}: give { name }`, {
          key: "options",
          rule: "value_type",
          call,
        });
      }
      const name = datasetName(options.name, call);
      const tags = checkTags(options.tags ?? {}, call);
      // As Python's client does: the creator is recorded unless the caller named one.
      if (user !== undefined && !(USER_TAG in tags)) tags[USER_TAG] = user;
      const experimentIds = options.experimentIds === undefined
        ? [await ctx.defaultExperimentId()]
        : idList(options.experimentIds, "experimentIds", call);
      return handle(await store.createDataset(rest, { name, experimentIds, tags }));
    },
    async getDataset(ref) {
      const call = "getDataset";
      if (typeof ref === "object" && ref !== null && "name" in ref) {
        const name = datasetName(ref.name, call);
        // By name as Python's `get_dataset(name=…)` does: exactly one must match.
        const found = await store.searchDatasets(rest, {
          filter: store.nameFilter(name),
          orderBy: ["created_time DESC"],
          maxResults: 2,
        });
        if (found.length !== 1) {
          throw new MlflowValidationError(
            found.length === 0
              ? `${call}: no dataset is named ${JSON.stringify(name)}`
              : `${call}: several datasets are named ${JSON.stringify(name)}; use its id`,
            { key: "name", rule: found.length === 0 ? "not_found" : "ambiguous", call },
          );
        }
        return handle(await store.getDataset(rest, found[0].datasetId));
      }
      return handle(await store.getDataset(rest, datasetId(ref, call)));
    },
    async searchDatasets(options = {}) {
      const call = "searchDatasets";
      const { maxResults, filter, orderBy } = options;
      if (maxResults !== undefined && (!Number.isInteger(maxResults) || maxResults < 1)) {
        throw new MlflowValidationError(`${call}: maxResults must be a positive integer`, {
          key: "maxResults",
          rule: "positive_integer",
          call,
        });
      }
      if (filter !== undefined) wellFormedText(filter, "filter", call);
      const found = await store.searchDatasets(rest, {
        experimentIds: options.experimentIds === undefined
          ? undefined
          : idList(options.experimentIds, "experimentIds", call),
        filter,
        orderBy: orderBy?.map((o) => wellFormedText(o, "orderBy", call)),
        maxResults,
      });
      return found.map(handle);
    },
    async deleteDataset(id) {
      await store.deleteDataset(rest, datasetId(id, "deleteDataset"));
    },
  };
}

/**
 * True for a dataset handle of this client (what `evaluate({ data })` reads as a managed
 * dataset rather than as rows).
 */
export function isEvaluationDataset(value: unknown): value is EvaluationDataset {
  if (typeof value !== "object" || value === null) return false;
  const v = value as Partial<EvaluationDataset>;
  return typeof v.datasetId === "string" && typeof v.records === "function" &&
    typeof v.mergeRecords === "function";
}

/** Rows checked and made into Python's record dicts; throws before anything is sent. */
function checkRows(
  rows: readonly DatasetRecordInput[],
  call: string,
  user: string | undefined,
): store.WireRecordInput[] {
  if (!Array.isArray(rows)) {
    throw new MlflowValidationError(`${call}: rows must be an array`, {
      key: "rows",
      rule: "value_type",
      call,
    });
  }
  return rows.map((row: DatasetRecordInput, i) => {
    const at = `rows[${i}]`;
    if (!isPlainRecord(row)) fail(at, "value_type", "must be an object { inputs, … }", call);
    if (!isPlainRecord(row.inputs)) {
      fail(`${at}.inputs`, "value_type", "must be an object of named inputs", call);
    }
    jsonable(row.inputs, `${at}.inputs`, call);
    const record: store.WireRecordInput = { inputs: row.inputs };
    if (row.expectations !== undefined) {
      if (!isPlainRecord(row.expectations)) {
        fail(
          `${at}.expectations`,
          "value_type",
          "must be an object such as { expected_response }",
          call,
        );
      }
      jsonable(row.expectations, `${at}.expectations`, call);
      record.expectations = row.expectations;
    }
    const tags = checkTags(row.tags ?? {}, call, `${at}.tags`);
    // As Python's `merge_records`: the user first, so a row's own tag of that key wins.
    const withUser = user === undefined ? tags : { [USER_TAG]: user, ...tags };
    if (Object.keys(withUser).length > 0) record.tags = withUser;
    if (row.source !== undefined) {
      const source = row.source;
      if (!isPlainRecord(source) || !SOURCE_TYPES.has(String(source.sourceType).toUpperCase())) {
        fail(
          `${at}.source`,
          "value_type",
          "must be { sourceType: TRACE | HUMAN | DOCUMENT | CODE, sourceData? }",
          call,
        );
      }
      if (source.sourceData !== undefined && !isPlainRecord(source.sourceData)) {
        fail(`${at}.source.sourceData`, "value_type", "must be an object", call);
      }
      jsonable(source.sourceData ?? {}, `${at}.source.sourceData`, call);
      record.source = {
        source_type: String(source.sourceType).toUpperCase(),
        source_data: source.sourceData ?? {},
      };
    } else if (row.expectations !== undefined && Object.keys(row.expectations).length > 0) {
      // Python's inference: ground truth is written by a person, bare inputs by code.
      record.source = { source_type: "HUMAN", source_data: {} };
    } else if (row.expectations === undefined) {
      record.source = { source_type: "CODE", source_data: {} };
    }
    return record;
  });
}

function checkTags(
  tags: Record<string, string | number | boolean>,
  call: string,
  where = "tags",
): Record<string, string> {
  if (!isPlainRecord(tags)) fail(where, "value_type", "must be a record of strings", call);
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(tags)) {
    const k = tagKey(key, call, `${where} key '${key}'`);
    const v = stringValue(`${where}.${key}`, value, call);
    wellFormedText(v, `${where}.${key}`, call);
    if (v.length > TAG_VALUE_LENGTH) {
      fail(
        `${where}.${key}`,
        "value_length",
        `is ${v.length} characters; the limit is ${TAG_VALUE_LENGTH}`,
        call,
      );
    }
    out[k] = v;
  }
  return out;
}

function tagKey(key: unknown, call: string, where = "key"): string {
  if (typeof key !== "string" || key === "") {
    fail(where, "value_type", "must be a non-empty string", call);
  }
  const k = key as string;
  wellFormedText(k, where, call);
  if (k.length > TAG_KEY_LENGTH) {
    fail(where, "key_length", `is ${k.length} characters; the limit is ${TAG_KEY_LENGTH}`, call);
  }
  return k;
}

function datasetName(name: unknown, call: string): string {
  if (typeof name !== "string" || name.trim() === "") {
    fail("name", "value_type", "must be a non-empty string", call);
  }
  const n = name as string;
  wellFormedText(n, "name", call);
  if (n.length > NAME_LENGTH) {
    fail("name", "value_length", `is ${n.length} characters; the limit is ${NAME_LENGTH}`, call);
  }
  return n;
}

// A dataset id goes into the URL path: only the characters MLflow's ids use.
function datasetId(id: unknown, call: string): string {
  if (typeof id !== "string" || !/^[0-9A-Za-z_-]+$/.test(id)) {
    fail(
      "datasetId",
      "dataset_id",
      `must be a dataset id such as "d-0123…", got ${
        typeof id === "string" ? JSON.stringify(id.slice(0, 60)) : typeof id
      }`,
      call,
    );
  }
  return id as string;
}

function idList(ids: unknown, key: string, call: string): string[] {
  if (
    !Array.isArray(ids) || ids.some((id) => typeof id !== "string" || !/^[0-9A-Za-z_-]+$/.test(id))
  ) {
    fail(key, "experiment_id", 'must be an array of experiment id strings such as ["1"]', call);
  }
  return [...(ids as string[])];
}

// Names, keys and filters are identities: a lone surrogate is refused, not silently changed.
function wellFormedText(text: string, key: string, call: string): string {
  if (typeof text !== "string") fail(key, "value_type", "must be a string", call);
  if (!isWellFormed(text)) fail(key, "well_formed", "holds a lone UTF-16 surrogate", call);
  return text;
}

function jsonable(value: unknown, key: string, call: string): void {
  try {
    JSON.stringify(value);
  } catch (error) {
    fail(key, "json", `cannot be written as JSON: ${(error as Error).message}`, call);
  }
}

function fail(key: string, rule: string, what: string, call: string): never {
  throw new MlflowValidationError(`${call}: ${key} ${what}`, { key, rule, call });
}
