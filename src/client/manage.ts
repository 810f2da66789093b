// Copyright 2026 the evalhooks authors. MIT license.
// This module is browser compatible.

// Managing experiments and runs (create, search, delete, restore, tag): the calls a CI job or a
// porting user makes around an eval. Unlike logging they are awaited, so bad input rejects with
// a typed error and the server's answer is the result.

import { MlflowValidationError } from "../base/errors.ts";
import { isWellFormed } from "../base/text.ts";
import * as experiments from "../store/experiments.ts";
import { LIMITS } from "../store/limits.ts";
import * as read from "../store/read.ts";
import { deleteRun, restoreRun } from "../store/runs.ts";
import type { RestClient } from "../transport/rest.ts";
import type { MlflowClient, Run } from "./types.ts";
import { stringValue, validateKey } from "./validate.ts";

/** The management calls of the client: these methods of {@linkcode MlflowClient}, documented there. */
export type Management = Pick<
  MlflowClient,
  | "searchExperiments"
  | "getExperiment"
  | "createExperiment"
  | "deleteExperiment"
  | "restoreExperiment"
  | "setExperimentTag"
  | "setExperimentTags"
  | "deleteRun"
  | "restoreRun"
  | "getParentRun"
>;

/** What the management calls need from the client. */
export interface ManagementContext {
  /** Transport. */
  rest: RestClient;
  /** A run's id, once its pending writes are sent (reads and deletes see the caller's writes). */
  runIdOf(run: Run | string): Promise<string>;
  /** Experiments changed stage: names the client resolved before may now point elsewhere. */
  forgetExperiments(): void;
}

/** The management calls, on `ctx`. */
export function createManagement(ctx: ManagementContext): Management {
  const { rest } = ctx;
  // Names the client resolved may point to an experiment that changed stage: forgotten either way.
  const changeStage = (
    call: string,
    change: (rest: RestClient, experimentId: string) => Promise<void>,
  ) =>
  async (experimentId: string): Promise<void> => {
    const id = experimentIdArg(experimentId, call);
    try {
      await change(rest, id);
    } finally {
      ctx.forgetExperiments();
    }
  };
  return {
    async searchExperiments(options = {}) {
      if (options.maxResults !== undefined) {
        positiveInteger(options.maxResults, "maxResults", "searchExperiments");
      }
      return await experiments.searchExperiments(rest, options);
    },
    async getExperiment(experimentId) {
      return await experiments.getExperiment(rest, experimentIdArg(experimentId, "getExperiment"));
    },
    async createExperiment(options) {
      const call = "createExperiment";
      const name = experimentName(options?.name, call);
      const tags: Record<string, string> = {};
      for (const [key, value] of Object.entries(options.tags ?? {})) {
        tags[validateKey(key, call)] = experimentTagValue(key, value, call);
      }
      if (options.artifactLocation !== undefined && typeof options.artifactLocation !== "string") {
        throw new MlflowValidationError(`${call}: artifactLocation must be a string`, {
          key: "artifactLocation",
          rule: "value_type",
          call,
        });
      }
      return await experiments.createExperiment(rest, {
        name,
        tags,
        artifactLocation: options.artifactLocation,
      });
    },
    deleteExperiment: changeStage("deleteExperiment", experiments.deleteExperiment),
    restoreExperiment: changeStage("restoreExperiment", experiments.restoreExperiment),
    async setExperimentTag(experimentId, key, value) {
      const call = "setExperimentTag";
      const id = experimentIdArg(experimentId, call);
      validateKey(key, call);
      await experiments.setExperimentTag(rest, id, key, experimentTagValue(key, value, call));
    },
    async setExperimentTags(experimentId, tags) {
      const call = "setExperimentTags";
      const id = experimentIdArg(experimentId, call);
      // Every tag is checked before any is sent, so one bad tag sets none.
      const checked = Object.entries(tags ?? {}).map(([key, value]) =>
        [validateKey(key, call), experimentTagValue(key, value, call)] as const
      );
      for (const [key, value] of checked) {
        await experiments.setExperimentTag(rest, id, key, value);
      }
    },
    async deleteRun(run) {
      await deleteRun(rest, await ctx.runIdOf(runArg(run, "deleteRun")));
    },
    async restoreRun(run) {
      await restoreRun(rest, await ctx.runIdOf(runArg(run, "restoreRun")));
    },
    async getParentRun(run) {
      const child = await read.getRun(rest, await ctx.runIdOf(runArg(run, "getParentRun")));
      const parentId = child.tags["mlflow.parentRunId"];
      return parentId === undefined ? undefined : read.getRun(rest, parentId);
    },
  };
}

function experimentName(name: unknown, call: string): string {
  if (typeof name !== "string" || name.trim() === "") {
    throw new MlflowValidationError(`${call}: name must be a non-empty string`, {
      key: "name",
      rule: "value_type",
      call,
    });
  }
  if (name.length > LIMITS.experimentNameLength) {
    throw new MlflowValidationError(
      `${call}: name is ${name.length} characters; the limit is ${LIMITS.experimentNameLength}`,
      { key: "name", rule: "value_length", call },
    );
  }
  if (!isWellFormed(name)) {
    throw new MlflowValidationError(`${call}: name holds a lone UTF-16 surrogate`, {
      key: "name",
      rule: "well_formed",
      call,
    });
  }
  return name;
}

/** An experiment tag value: never cut (MLflow refuses, not truncates, one over 20,000). */
function experimentTagValue(key: string, value: unknown, call: string): string {
  const text = stringValue(key, value, call);
  if (!isWellFormed(text)) {
    // Awaited, so refused rather than silently changed as a background tag would be.
    throw new MlflowValidationError(`${call}: value of '${key}' holds a lone UTF-16 surrogate`, {
      key,
      rule: "well_formed",
      call,
    });
  }
  if (text.length > LIMITS.experimentTagValueLength) {
    throw new MlflowValidationError(
      `${call}: value of '${key}' is ${text.length} characters; the limit is ${LIMITS.experimentTagValueLength}`,
      { key, rule: "value_length", call },
    );
  }
  return text;
}

function experimentIdArg(id: unknown, call: string): string {
  if (typeof id !== "string" || !/^[0-9A-Za-z_-]+$/.test(id)) {
    throw new MlflowValidationError(
      `${call}: experimentId must be an experiment id string such as "12", got ${
        typeof id === "string" ? JSON.stringify(id) : typeof id
      }`,
      { key: "experimentId", rule: "experiment_id", call },
    );
  }
  return id;
}

function runArg(run: unknown, call: string): Run | string {
  if (typeof run === "string" ? run === "" : typeof run !== "object" || run === null) {
    throw new MlflowValidationError(`${call}: run must be a Run handle or a run id`, {
      key: "run",
      rule: "run",
      call,
    });
  }
  return run as Run | string;
}

function positiveInteger(value: unknown, key: string, call: string): void {
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < 1) {
    throw new MlflowValidationError(`${call}: ${key} must be a positive integer`, {
      key,
      rule: "positive_integer",
      call,
    });
  }
}
