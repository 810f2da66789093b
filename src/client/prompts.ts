// Copyright 2026 the evalhooks authors. MIT license.
// This module is browser compatible.

// MLflow's prompt registry, in MLflow's own representation (a registered model tagged
// `mlflow.prompt.is_prompt`, each version tagged `mlflow.prompt.text`), so prompts registered
// here show in MLflow's Prompts UI and load in Python's `mlflow.genai.load_prompt`.

import { MlflowError } from "../base/errors.ts";
import type { RestClient } from "../transport/rest.ts";

/**
 * A prompt version, ready to fill.
 *
 * @example
 * ```ts
 * import { createMlflow } from "@evalhooks/mlflow";
 *
 * const mlflow = createMlflow({ trackingUri: "http://127.0.0.1:5000" });
 * const prompt = await mlflow.loadPrompt("prompts:/qa-answer/1");
 * console.log(prompt.format({ question: "What is 2 + 2?" }));
 * ```
 */
export interface Prompt {
  /** Prompt name. */
  name: string;
  /** Version number. */
  version: number;
  /** The template, with `{{variable}}` placeholders. */
  template: string;
  /** The commit message of this version. */
  commitMessage?: string;
  /** Version tags (MLflow's own `mlflow.*` and `_mlflow_*` tags left out). */
  tags: Record<string, string>;
  /** The placeholders the template uses. */
  variables: string[];
  /** Fills every `{{variable}}`; throws naming any variable not given. */
  format(values: Record<string, unknown>): string;
}

/**
 * Options of `registerPrompt`.
 *
 * @example
 * ```ts
 * import { createMlflow, type RegisterPromptOptions } from "@evalhooks/mlflow";
 *
 * const mlflow = createMlflow({ trackingUri: "http://127.0.0.1:5000" });
 * const options: RegisterPromptOptions = {
 *   name: "qa-answer",
 *   template: "Answer {{question}} in one word.",
 *   commitMessage: "shorter answers",
 *   tags: { team: "qa" },
 * };
 * const prompt = await mlflow.registerPrompt(options);
 * ```
 */
export interface RegisterPromptOptions {
  /** Prompt name (a registered model name). */
  name: string;
  /** Template with `{{variable}}` placeholders. */
  template: string;
  /** Why this version. */
  commitMessage?: string;
  /** Version tags. */
  tags?: Record<string, string>;
}

const PLACEHOLDER = /\{\{\s*([A-Za-z_][\w.-]*)\s*\}\}/g;

function makePrompt(
  name: string,
  version: number,
  template: string,
  commitMessage: string | undefined,
  tags: Record<string, string>,
): Prompt {
  const variables = [...new Set([...template.matchAll(PLACEHOLDER)].map((m) => m[1]))];
  return {
    name,
    version,
    template,
    commitMessage,
    tags,
    variables,
    format(values) {
      const missing = variables.filter((v) => !(v in values));
      if (missing.length > 0) {
        throw new TypeError(
          `prompt '${name}' v${version}: no value for ${missing.map((m) => `'${m}'`).join(", ")}`,
        );
      }
      return template.replace(PLACEHOLDER, (_m, key: string) => {
        const value = values[key];
        return typeof value === "string" ? value : JSON.stringify(value);
      });
    },
  };
}

interface WireVersion {
  name: string;
  version: string;
  description?: string;
  tags?: { key: string; value: string }[];
}

function fromVersion(v: WireVersion): Prompt {
  const tags = Object.fromEntries((v.tags ?? []).map((t) => [t.key, t.value]));
  const template = tags["mlflow.prompt.text"];
  if (template === undefined) {
    throw new MlflowError(
      `'${v.name}' version ${v.version} is not a prompt (no mlflow.prompt.text tag)`,
      {
        errorCode: "INVALID_PARAMETER_VALUE",
        key: v.name,
      },
    );
  }
  const own = Object.fromEntries(
    Object.entries(tags).filter(([k]) =>
      !k.startsWith("mlflow.") && !k.startsWith("_mlflow") && k !== WRITE_ID_TAG
    ),
  );
  return makePrompt(v.name, Number(v.version), template, v.description || undefined, own);
}

/** Registers a new version of a prompt, creating the prompt if needed. */
export async function registerPrompt(
  rest: RestClient,
  options: RegisterPromptOptions,
): Promise<Prompt> {
  const userTags = Object.entries(options.tags ?? {}).map(([key, value]) => ({ key, value }));
  try {
    await rest.request({
      method: "POST",
      endpoint: "/api/2.0/mlflow/registered-models/create",
      json: {
        name: options.name,
        description: options.commitMessage,
        tags: [{ key: "mlflow.prompt.is_prompt", value: "true" }, ...userTags],
      },
      key: options.name,
    });
  } catch (error) {
    if (!(error instanceof MlflowError && error.errorCode === "RESOURCE_ALREADY_EXISTS")) {
      throw error;
    }
  }
  // A version is not idempotent: a create whose answer was lost, sent again, makes a second
  // version. Each create carries its own id, and before a retry the versions are searched for it.
  const writeId = crypto.randomUUID();
  let landed: WireVersion | undefined;
  const response = await rest.request<{ model_version: WireVersion }>({
    method: "POST",
    endpoint: "/api/2.0/mlflow/model-versions/create",
    json: {
      name: options.name,
      source: "dummy-source", // what MLflow's own prompt registry writes: prompts have no model files
      description: options.commitMessage,
      tags: [
        ...userTags,
        { key: "mlflow.prompt.is_prompt", value: "true" },
        { key: "_mlflow_prompt_type", value: "text" },
        { key: "mlflow.prompt.text", value: options.template },
        { key: WRITE_ID_TAG, value: writeId },
      ],
    },
    key: options.name,
    beforeRetry: async () => {
      landed = await findVersion(rest, options.name, writeId).catch(() => undefined);
      return landed ? "stop" : "retry";
    },
  }).catch((error: unknown) => {
    if (!landed) throw error;
    return { model_version: landed };
  });
  // A runtime's fetch may re-send a POST whose connection reset, without telling us (Deno does):
  // then two versions carry our id. Registering a prompt is rare, so one search each time keeps
  // the first of them and deletes the others, which this create provably made.
  const ours = await findVersions(rest, options.name, writeId).catch(() => []);
  if (ours.length <= 1) return fromVersion(response.model_version);
  ours.sort((a, b) => Number(a.version) - Number(b.version));
  for (const twin of ours.slice(1)) {
    await rest.request({
      method: "DELETE",
      endpoint: "/api/2.0/mlflow/model-versions/delete",
      json: { name: options.name, version: twin.version },
      key: options.name,
    }).catch(() => {}); // an undeleted twin is a duplicate version, not lost data
  }
  return fromVersion(ours[0]);
}

/** The tag that names the create a prompt version came from. */
const WRITE_ID_TAG = "evalhooks.writeId";

/** The version of prompt `name` made by the create `writeId`, if it landed. */
async function findVersion(
  rest: RestClient,
  name: string,
  writeId: string,
): Promise<WireVersion | undefined> {
  return (await findVersions(rest, name, writeId, true))[0];
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
    endpoint: "/api/2.0/mlflow/model-versions/search",
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

/**
 * A prompt to load: `prompts:/name/3`, `prompts:/name@alias`, `prompts:/name` (latest version), or
 * `{ name, version }` / `{ name, alias }`.
 *
 * @example
 * ```ts
 * import { createMlflow, type PromptRef } from "@evalhooks/mlflow";
 *
 * const mlflow = createMlflow({ trackingUri: "http://127.0.0.1:5000" });
 * const ref: PromptRef = { name: "qa-answer", alias: "production" };
 * const prompt = await mlflow.loadPrompt(ref);
 * ```
 */
export type PromptRef = string | { name: string; version?: number | string; alias?: string };

/** Loads a prompt version. */
export async function loadPrompt(rest: RestClient, ref: PromptRef): Promise<Prompt> {
  let name: string;
  let version: string | undefined;
  let alias: string | undefined;
  if (typeof ref === "string") {
    const m = /^prompts:\/([^/@]+)(?:\/(\d+)|@([\w-]+))?$/.exec(ref);
    if (!m) {
      throw new TypeError(
        `not a prompt URI: '${ref}' (expected prompts:/name/version or prompts:/name@alias)`,
      );
    }
    [, name, version, alias] = m;
  } else {
    name = ref.name;
    version = ref.version === undefined ? undefined : String(ref.version);
    alias = ref.alias;
  }
  if (alias) {
    const { model_version } = await rest.request<{ model_version: WireVersion }>({
      method: "GET",
      endpoint: "/api/2.0/mlflow/registered-models/alias",
      query: { name, alias },
      key: name,
    });
    return fromVersion(model_version);
  }
  if (version === undefined) {
    // model-versions/search leaves prompts out; the registered model lists its latest versions.
    const { registered_model } = await rest.request<
      { registered_model: { latest_versions?: WireVersion[] } }
    >({
      method: "GET",
      endpoint: "/api/2.0/mlflow/registered-models/get",
      query: { name },
      key: name,
    });
    const latest = (registered_model.latest_versions ?? []).sort((a, b) =>
      Number(b.version) - Number(a.version)
    )[0];
    if (!latest) {
      throw new MlflowError(`prompt '${name}' has no versions`, {
        errorCode: "RESOURCE_DOES_NOT_EXIST",
        status: 404,
        key: name,
      });
    }
    version = latest.version;
  }
  const { model_version } = await rest.request<{ model_version: WireVersion }>({
    method: "GET",
    endpoint: "/api/2.0/mlflow/model-versions/get",
    query: { name, version },
    key: name,
  });
  return fromVersion(model_version);
}
