// Copyright 2026 the evalhooks authors. MIT license.
// This module is browser compatible.

// Prompts as the user sees them: a template with `{{variable}}` placeholders, stored in MLflow's
// own representation (store/prompts.ts), so prompts registered here show in MLflow's Prompts UI
// and load in Python's `mlflow.genai.load_prompt`.

import { MlflowError } from "../base/errors.ts";
import type { RestClient } from "../transport/rest.ts";
import {
  createPromptModel,
  createPromptVersion,
  getPromptVersion,
  getPromptVersionByAlias,
  latestPromptVersion,
  type PromptVersionRecord,
  WRITE_ID_TAG,
} from "../store/prompts.ts";

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

function fromVersion(v: PromptVersionRecord): Prompt {
  const template = v.tags["mlflow.prompt.text"];
  if (template === undefined) {
    throw new MlflowError(
      `'${v.name}' version ${v.version} is not a prompt (no mlflow.prompt.text tag)`,
      { errorCode: "INVALID_PARAMETER_VALUE", key: v.name },
    );
  }
  const own = Object.fromEntries(
    Object.entries(v.tags).filter(([k]) =>
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
  const tags = options.tags ?? {};
  await createPromptModel(rest, options.name, options.commitMessage, tags);
  return fromVersion(
    await createPromptVersion(rest, {
      name: options.name,
      template: options.template,
      description: options.commitMessage,
      tags,
    }),
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
  const { name, version, alias } = parsePromptRef(ref);
  if (alias) return fromVersion(await getPromptVersionByAlias(rest, name, alias));
  const wanted = version ?? await latestPromptVersion(rest, name);
  if (wanted === undefined) {
    throw new MlflowError(`prompt '${name}' has no versions`, {
      errorCode: "RESOURCE_DOES_NOT_EXIST",
      status: 404,
      key: name,
    });
  }
  return fromVersion(await getPromptVersion(rest, name, wanted));
}

function parsePromptRef(ref: PromptRef): { name: string; version?: string; alias?: string } {
  if (typeof ref !== "string") {
    return {
      name: ref.name,
      version: ref.version === undefined ? undefined : String(ref.version),
      alias: ref.alias,
    };
  }
  const m = /^prompts:\/([^/@]+)(?:\/(\d+)|@([\w-]+))?$/.exec(ref);
  if (!m) {
    throw new TypeError(
      `not a prompt URI: '${ref}' (expected prompts:/name/version or prompts:/name@alias)`,
    );
  }
  return { name: m[1], version: m[2], alias: m[3] };
}
