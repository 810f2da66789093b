// Copyright 2026 the evalhooks authors. MIT license.
// This module is browser compatible.

// Agent versions: MLflow's LoggedModels, and the active model whose id this client's traces
// carry (`mlflow.modelId`), as Python's `mlflow.set_active_model` does. With a model active,
// MLflow's Agent versions view lists each version with its traces, and `evaluate()` links its run
// and its scores to it, so versions compare side by side.

import { MlflowValidationError } from "../base/errors.ts";
import {
  createLoggedModel as createRequest,
  finalizeLoggedModel,
  getLoggedModel as getRequest,
  type LoggedModel,
  searchLoggedModels as searchRequest,
} from "../store/logged_models.ts";
import type { RestClient } from "../transport/rest.ts";
import type { Run } from "./run_types.ts";
import { stringValue } from "./validate.ts";

export type { LoggedModel } from "../store/logged_models.ts";

/**
 * A new agent or model version.
 *
 * @example
 * ```ts
 * import { createMlflow, type CreateLoggedModelOptions } from "@evalhooks/mlflow";
 *
 * const mlflow = createMlflow({ trackingUri: "http://127.0.0.1:5000", experimentName: "support" });
 * const options: CreateLoggedModelOptions = {
 *   name: "support-agent",
 *   params: { model: "gpt-4o-mini", temperature: 0.2, prompt: "prompts:/support/3" },
 *   modelType: "agent",
 * };
 * const version = await mlflow.createLoggedModel(options);
 * ```
 */
export interface CreateLoggedModelOptions {
  /** Name; several versions may share it (each gets its own id). */
  name: string;
  /** Experiment id. @default {the client's experiment} */
  experimentId?: string;
  /** Experiment name, created if missing (instead of `experimentId`). */
  experimentName?: string;
  /** What defines the version: model, prompt, temperature… (values written as strings). */
  params?: Record<string, string | number | boolean>;
  /** Tags. */
  tags?: Record<string, string>;
  /** A type of your own, such as `agent`. */
  modelType?: string;
  /** The run that produced it. */
  sourceRun?: Run | string;
}

/**
 * Which model `setActiveModel` makes active: one by id, or the latest of a name (created when
 * there is none, with `params`).
 *
 * @example
 * ```ts
 * import { type ActiveModelOptions, createMlflow } from "@evalhooks/mlflow";
 *
 * const mlflow = createMlflow({ trackingUri: "http://127.0.0.1:5000", experimentName: "support" });
 * const byName: ActiveModelOptions = { name: "support-agent-v3", params: { temperature: 0 } };
 * await mlflow.setActiveModel(byName);
 * ```
 */
export interface ActiveModelOptions {
  /** Name: the newest model of this name in the experiment, or a new one. */
  name?: string;
  /** Id of an existing model (with `name`, the two must agree). */
  modelId?: string;
  /** Experiment id. @default {the client's experiment} */
  experimentId?: string;
  /** Experiment name (instead of `experimentId`). */
  experimentName?: string;
  /** Params of a model created here. */
  params?: Record<string, string | number | boolean>;
}

/**
 * Options of `searchLoggedModels`.
 *
 * @example
 * ```ts
 * import { createMlflow, type SearchLoggedModelsOptions } from "@evalhooks/mlflow";
 *
 * const mlflow = createMlflow({ trackingUri: "http://127.0.0.1:5000" });
 * const options: SearchLoggedModelsOptions = { filter: "name = 'support-agent'" };
 * const versions = await mlflow.searchLoggedModels(options);
 * ```
 */
export interface SearchLoggedModelsOptions {
  /** Experiments. @default {the client's experiment} */
  experimentIds?: string[];
  /** MLflow's filter syntax, e.g. `name = 'x'`, `params.temperature = '0.2'`. */
  filter?: string;
  /** At most this many. */
  maxResults?: number;
}

/** The logged-model half of the client: these methods of `MlflowClient`, documented there. */
export interface LoggedModels {
  /** See `MlflowClient.createLoggedModel`. */
  createLoggedModel(options: CreateLoggedModelOptions): Promise<LoggedModel>;
  /** See `MlflowClient.getLoggedModel`. */
  getLoggedModel(modelId: string): Promise<LoggedModel>;
  /** See `MlflowClient.searchLoggedModels`. */
  searchLoggedModels(options?: SearchLoggedModelsOptions): Promise<LoggedModel[]>;
  /** See `MlflowClient.setActiveModel`. */
  setActiveModel(options: ActiveModelOptions | null): Promise<LoggedModel | undefined>;
  /** See `MlflowClient.activeModelId`. */
  activeModelId(): string | undefined;
}

/** What the logged-model calls need from the client. */
export interface LoggedModelContext {
  /** Transport. */
  rest: RestClient;
  /** An experiment's id from an id, a name (created if missing), or the client's default. */
  experimentId(options: { experimentId?: string; experimentName?: string }): Promise<string>;
  /** A run's id. */
  runIdOf(run: Run | string): Promise<string>;
  /** Source tags, written on models made here as Python's context tags are. */
  sourceTags: Record<string, string>;
  /** Throws once the client is closed. */
  assertOpen(call: string): void;
}

/** Creates the logged-model calls and the active model's state. */
export function createLoggedModels(ctx: LoggedModelContext): LoggedModels {
  let active: string | undefined;

  async function create(options: CreateLoggedModelOptions, call: string): Promise<LoggedModel> {
    checkName(options?.name, call);
    const params: Record<string, string> = {};
    for (const [key, value] of Object.entries(options.params ?? {})) {
      params[key] = stringValue(key, value, call);
    }
    const experimentId = await ctx.experimentId(options);
    const created = await createRequest(ctx.rest, {
      experimentId,
      name: options.name,
      // No artifacts: the model lives elsewhere, which Python's create_external_model marks so.
      tags: { ...ctx.sourceTags, "mlflow.model.isExternal": "true", ...options.tags },
      params,
      modelType: options.modelType,
      sourceRunId: options.sourceRun === undefined
        ? undefined
        : await ctx.runIdOf(options.sourceRun),
    });
    return await finalizeLoggedModel(ctx.rest, created.modelId);
  }

  return {
    createLoggedModel(options) {
      ctx.assertOpen("createLoggedModel");
      return create(options, "createLoggedModel");
    },
    getLoggedModel(modelId) {
      ctx.assertOpen("getLoggedModel");
      checkName(modelId, "getLoggedModel", "modelId");
      return getRequest(ctx.rest, modelId);
    },
    async searchLoggedModels(options = {}) {
      ctx.assertOpen("searchLoggedModels");
      const experimentIds = options.experimentIds ?? [await ctx.experimentId({})];
      return await searchRequest(ctx.rest, { ...options, experimentIds });
    },
    async setActiveModel(options) {
      ctx.assertOpen("setActiveModel");
      if (options === null) {
        active = undefined;
        return undefined;
      }
      if (options?.name === undefined && options?.modelId === undefined) {
        throw new MlflowValidationError("setActiveModel: give a name or a modelId", {
          key: "name",
          rule: "one_of",
          call: "setActiveModel",
        });
      }
      let model: LoggedModel;
      if (options.modelId !== undefined) {
        checkName(options.modelId, "setActiveModel", "modelId");
        model = await getRequest(ctx.rest, options.modelId);
        if (options.name !== undefined && model.name !== options.name) {
          throw new MlflowValidationError(
            `setActiveModel: model ${options.modelId} is named '${model.name}', not '${options.name}'`,
            { key: "name", rule: "name_mismatch", call: "setActiveModel" },
          );
        }
      } else {
        checkName(options.name, "setActiveModel");
        const experimentId = await ctx.experimentId(options);
        // The newest of that name, as Python picks it; two processes creating the first one at
        // the same instant may make two versions of one name (Python's race too): each is valid.
        const [latest] = await searchRequest(ctx.rest, {
          experimentIds: [experimentId],
          filter: `name = '${options.name!.replaceAll("'", "\\'")}'`,
          maxResults: 1,
        });
        model = latest ??
          await create(
            { name: options.name!, experimentId, params: options.params },
            "setActiveModel",
          );
      }
      active = model.modelId;
      return model;
    },
    activeModelId: () => active,
  };
}

function checkName(name: unknown, call: string, key = "name"): void {
  if (typeof name !== "string" || name.trim() === "") {
    throw new MlflowValidationError(`${call}: ${key} must be a non-empty string`, {
      key,
      rule: "non_empty_string",
      call,
    });
  }
}
