// Copyright 2026 the evalhooks authors. MIT license.
// This module is browser compatible.

// The public Run handle: each call checks its input at once and queues; nothing here waits for
// the network except `info()` and the promise `end()` returns.

import { asMlflowError, MlflowError, MlflowValidationError } from "../base/errors.ts";
import { pendingCount } from "../delivery/batcher.ts";
import { contentTypeFor, toJsonText } from "../store/artifacts.ts";
import { updateRun } from "../store/runs.ts";
import { createRunArtifacts } from "./run_artifacts.ts";
import { createRunImages } from "./run_images.ts";
import type { RunContext, RunState } from "./run_context.ts";
import { createRunWrites } from "./run_writes.ts";
import { logDatasetInput, logModelInput } from "./run_input.ts";
import { deleteTag } from "./run_tag_delete.ts";
import type { MetricOptions, Run, RunStatus } from "./types.ts";
import { validateArtifactPath, validateKey, validateStep, validateTimestamp } from "./validate.ts";

/** The handle of run `state`; `name` names the run in errors. */
export function createRunHandle(ctx: RunContext, state: RunState, name: string): Run {
  const { addMetric, addParam, addTag, each } = createRunWrites(ctx, state);
  const artifacts = createRunArtifacts(ctx, state, name);
  const upload = artifacts.upload;
  const logImage = createRunImages({
    upload,
    addTag: (key, value) => addTag(key, value, "logImage"),
  });

  const handle: Run = {
    info: async () => {
      const info = await state.created;
      if (!info) {
        throw new MlflowError("the run could not be created (see onError/flush for why)", {
          errorCode: "RUN_NOT_CREATED",
        });
      }
      return info;
    },
    logParam(key, value) {
      ctx.assertOpen("logParam");
      addParam(key, value, "logParam");
      return handle;
    },
    logParams(params) {
      ctx.assertOpen("logParams");
      each(params, "logParams", (k, v) => addParam(k, v, "logParams"));
      return handle;
    },
    logMetric(key, value, options?: MetricOptions) {
      ctx.assertOpen("logMetric");
      validateKey(key, "logMetric");
      const step = options?.step === undefined ? 0 : validateStep(key, options.step, "logMetric");
      const timestamp = options?.timestamp === undefined
        ? Date.now()
        : validateTimestamp(key, options.timestamp, "logMetric");
      addMetric(key, value, step, timestamp, modelIdOption(options, "logMetric"));
      return handle;
    },
    logMetrics(metrics, options?: MetricOptions) {
      ctx.assertOpen("logMetrics");
      const step = options?.step === undefined ? 0 : validateStep("*", options.step, "logMetrics");
      const timestamp = options?.timestamp === undefined
        ? Date.now()
        : validateTimestamp("*", options.timestamp, "logMetrics");
      const modelId = modelIdOption(options, "logMetrics");
      each(metrics, "logMetrics", (k, v) => {
        validateKey(k, "logMetrics");
        addMetric(k, v, step, timestamp, modelId);
      });
      return handle;
    },
    setTag(key, value) {
      ctx.assertOpen("setTag");
      addTag(key, value, "setTag");
      return handle;
    },
    setTags(tags) {
      ctx.assertOpen("setTags");
      each(tags, "setTags", (k, v) => addTag(k, v, "setTags"));
      return handle;
    },
    deleteTag(key) {
      ctx.assertOpen("deleteTag");
      deleteTag(ctx, state, name, validateKey(key, "deleteTag"));
      return handle;
    },
    logText(text, path) {
      ctx.assertOpen("logText");
      validateArtifactPath(path, "logText");
      upload(path, text, "text/plain; charset=utf-8");
      return handle;
    },
    logJson(value, path) {
      ctx.assertOpen("logJson");
      validateArtifactPath(path, "logJson");
      upload(path, toJsonText(value, path, "logJson"), "application/json");
      return handle;
    },
    logDict(value, path) {
      ctx.assertOpen("logDict");
      validateArtifactPath(path, "logDict");
      upload(path, toJsonText(value, path, "logDict"), "application/json");
      return handle;
    },
    logArtifact(content, path, options) {
      ctx.assertOpen("logArtifact");
      validateArtifactPath(path, "logArtifact");
      if (
        typeof content !== "string" && !(content instanceof Uint8Array) &&
        !(content instanceof Blob)
      ) {
        throw new MlflowValidationError(
          `logArtifact: content of '${path}' must be a Uint8Array, Blob or string`,
          { key: path, rule: "value_type", call: "logArtifact" },
        );
      }
      upload(path, content, options?.contentType ?? contentTypeFor(path));
      return handle;
    },
    logTable(table, path) {
      ctx.assertOpen("logTable");
      validateArtifactPath(path, "logTable");
      artifacts.logTable(table, path, (key, value) => addTag(key, value, "logTable"));
      return handle;
    },
    logImage(image, target) {
      ctx.assertOpen("logImage");
      logImage(image, target);
      return handle;
    },
    logPredictions({ inputs, outputs, prompts }) {
      ctx.assertOpen("logPredictions");
      artifacts.logPredictions(inputs, outputs, prompts);
      return handle;
    },
    logInput(dataset) {
      ctx.assertOpen("logInput");
      logDatasetInput(ctx, state, name, dataset);
      return handle;
    },
    linkModel(modelId) {
      ctx.assertOpen("linkModel");
      logModelInput(ctx, state, name, modelId);
      return handle;
    },
    startChildRun(options = {}) {
      return ctx.startRun({ ...options, parent: handle });
    },
    end(status: RunStatus = "FINISHED", options?: { endTime?: number }) {
      const endRun = (runId: string, s: RunStatus, t: number) => updateRun(ctx.rest, runId, s, t);
      if (state.ended) return state.ended;
      const endTime = options?.endTime ?? Date.now();
      state.endRequest = { status, endTime };
      state.drain();
      state.ended = state.queue.push(async () => {
        const info = await state.created;
        while (state.uploads.size > 0) await Promise.all(state.uploads);
        if (!info) return;
        try {
          await (state.endShard ?? endRun)(info.runId, status, endTime);
        } catch (error) {
          ctx.report(asMlflowError(error, "end run", { runId: info.runId }));
        }
      }).finally(() => {
        if (pendingCount(state.pending) === 0 && state.uploads.size === 0) ctx.forget(state);
      });
      ctx.track(state.ended);
      return state.ended;
    },
    async [Symbol.asyncDispose]() {
      await handle.end("FINISHED");
      await state.settled();
    },
  };
  return handle;
}

function modelIdOption(options: MetricOptions | undefined, call: string): string | undefined {
  const modelId = options?.modelId;
  if (modelId === undefined) return undefined;
  if (typeof modelId !== "string" || modelId === "") {
    throw new MlflowValidationError(`${call}: modelId must be a non-empty string`, {
      key: "modelId",
      rule: "non_empty_string",
      call,
    });
  }
  return modelId;
}
