// Copyright 2026 the evalhooks authors. MIT license.
// This module is browser compatible.

// MLflow's prompt registry on the wire: a prompt is a registered model tagged
// `mlflow.prompt.is_prompt`, each version a model version tagged `mlflow.prompt.text`. This file
// knows those endpoints and shapes; what a prompt is to the user lives in client/prompts.ts.

import { MlflowError } from "../base/errors.ts";
import type { RestClient } from "../transport/rest.ts";

/** A prompt version as the registry stores it: the tags still hold the template. */
export interface PromptVersionRecord {
  name: string;
  version: string;
  description?: string;
  tags: Record<string, string>;
}

interface WireVersion {
  name: string;
  version: string;
  description?: string;
  tags?: { key: string; value: string }[];
}

/** The tag that names the create a prompt version came from. */
export const WRITE_ID_TAG = "evalhooks.writeId";

const REGISTERED_MODELS = "/api/2.0/mlflow/registered-models";
const MODEL_VERSIONS = "/api/2.0/mlflow/model-versions";

function toRecord(v: WireVersion): PromptVersionRecord {
  const tags = Object.fromEntries((v.tags ?? []).map((t) => [t.key, t.value]));
  return { name: v.name, version: v.version, description: v.description, tags };
}

const wireTags = (tags: Record<string, string>) =>
  Object.entries(tags).map(([key, value]) => ({ key, value }));

/** Creates the prompt's registered model; one that exists already is fine. */
export async function createPromptModel(
  rest: RestClient,
  name: string,
  description: string | undefined,
  tags: Record<string, string>,
): Promise<void> {
  try {
    await rest.request({
      method: "POST",
      endpoint: `${REGISTERED_MODELS}/create`,
      json: {
        name,
        description,
        tags: [{ key: "mlflow.prompt.is_prompt", value: "true" }, ...wireTags(tags)],
      },
      key: name,
    });
  } catch (error) {
    if (!(error instanceof MlflowError && error.errorCode === "RESOURCE_ALREADY_EXISTS")) {
      throw error;
    }
  }
}

/**
 * Creates one version of prompt `name` holding `template`, exactly once. A version create is not
 * idempotent: one whose answer was lost, sent again, makes a second version. So each create
 * carries its own id, the versions are searched for it before a retry, and a twin made by a
 * runtime's silent re-send (Deno re-sends a POST whose connection reset) is deleted after.
 */
export async function createPromptVersion(
  rest: RestClient,
  version: { name: string; template: string; description?: string; tags: Record<string, string> },
): Promise<PromptVersionRecord> {
  const { name } = version;
  const writeId = crypto.randomUUID();
  let landed: WireVersion | undefined;
  const response = await rest.request<{ model_version: WireVersion }>({
    method: "POST",
    endpoint: `${MODEL_VERSIONS}/create`,
    json: {
      name,
      source: "dummy-source", // what MLflow's own prompt registry writes: prompts have no model files
      description: version.description,
      tags: [
        ...wireTags(version.tags),
        { key: "mlflow.prompt.is_prompt", value: "true" },
        { key: "_mlflow_prompt_type", value: "text" },
        { key: "mlflow.prompt.text", value: version.template },
        { key: WRITE_ID_TAG, value: writeId },
      ],
    },
    key: name,
    beforeRetry: async () => {
      landed = (await findVersions(rest, name, writeId, true).catch(() => []))[0];
      return landed ? "stop" : "retry";
    },
  }).catch((error: unknown) => {
    if (!landed) throw error;
    return { model_version: landed };
  });
  // Registering a prompt is rare, so one search each time keeps the first version carrying our
  // id and deletes the others, which this create provably made.
  const ours = await findVersions(rest, name, writeId).catch(() => []);
  if (ours.length <= 1) return toRecord(response.model_version);
  ours.sort((a, b) => Number(a.version) - Number(b.version));
  for (const twin of ours.slice(1)) {
    await rest.request({
      method: "DELETE",
      endpoint: `${MODEL_VERSIONS}/delete`,
      json: { name, version: twin.version },
      key: name,
    }).catch(() => {}); // an undeleted twin is a duplicate version, not lost data
  }
  return toRecord(ours[0]);
}

/** Every version of prompt `name` made by the create `writeId` (two if it was sent twice). */
async function findVersions(
  rest: RestClient,
  name: string,
  writeId: string,
  check = false,
): Promise<WireVersion[]> {
  const quote = (text: string) => `'${text.replace(/\\/g, "\\\\").replace(/'/g, "\\'")}'`;
  // MLflow 3 leaves prompts out of a version search unless the filter asks for them.
  const { model_versions } = await rest.request<{ model_versions?: WireVersion[] }>({
    method: "GET",
    endpoint: `${MODEL_VERSIONS}/search`,
    query: {
      filter: `name = ${quote(name)} AND tags.\`mlflow.prompt.is_prompt\` = 'true' AND ` +
        `tags.\`${WRITE_ID_TAG}\` = ${quote(writeId)}`,
    },
    check,
  });
  return (model_versions ?? []).filter((v) =>
    v.name === name && (v.tags ?? []).some((t) => t.key === WRITE_ID_TAG && t.value === writeId)
  );
}

/** The version of prompt `name` that `alias` points at. */
export async function getPromptVersionByAlias(
  rest: RestClient,
  name: string,
  alias: string,
): Promise<PromptVersionRecord> {
  const { model_version } = await rest.request<{ model_version: WireVersion }>({
    method: "GET",
    endpoint: `${REGISTERED_MODELS}/alias`,
    query: { name, alias },
    key: name,
  });
  return toRecord(model_version);
}

/** The newest version number of prompt `name`, or `undefined` when it has none. */
export async function latestPromptVersion(
  rest: RestClient,
  name: string,
): Promise<string | undefined> {
  // model-versions/search leaves prompts out; the registered model lists its latest versions.
  const { registered_model } = await rest.request<
    { registered_model: { latest_versions?: WireVersion[] } }
  >({
    method: "GET",
    endpoint: `${REGISTERED_MODELS}/get`,
    query: { name },
    key: name,
  });
  const versions = (registered_model.latest_versions ?? []).map((v) => Number(v.version));
  return versions.length === 0 ? undefined : String(Math.max(...versions));
}

/** Version `version` of prompt `name`. */
export async function getPromptVersion(
  rest: RestClient,
  name: string,
  version: string,
): Promise<PromptVersionRecord> {
  const { model_version } = await rest.request<{ model_version: WireVersion }>({
    method: "GET",
    endpoint: `${MODEL_VERSIONS}/get`,
    query: { name, version },
    key: name,
  });
  return toRecord(model_version);
}
