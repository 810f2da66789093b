// Copyright 2026 the evalhooks authors. MIT license.
// This module is browser compatible.

import { artifactEndpoint, contentTypeFor, toJsonText, toSplitTable } from "./artifacts.ts";
import { toCsv } from "./evaluate/csv.ts";
import {
  batchSize,
  createPendingWrites,
  type LogBatch,
  onlyKey,
  pendingCount,
  type PendingWrites,
  splitBatch,
  takeBatch,
} from "./batcher.ts";
import { MlflowError, MlflowValidationError } from "./errors.ts";
import { LIMITS } from "./limits.ts";
import type { RestClient } from "./rest.ts";
import { createRunOnce } from "./run_create.ts";
import { createSerialQueue, type SerialQueue } from "./serial.ts";
import type {
  MetricOptions,
  MlflowStats,
  Run,
  RunInfo,
  RunStatus,
  StartRunOptions,
  Table,
} from "./types.ts";
import {
  limitLength,
  metricValueToWire,
  stringValue,
  validateArtifactPath,
  validateKey,
  validateStep,
  validateTimestamp,
} from "./validate.ts";

/** What a run needs from the client that owns it. */
export interface RunContext {
  /** Transport. */
  rest: RestClient;
  /** Cut long values (true) or throw (false). */
  truncateLongValues: boolean;
  /** A failure: kept for `flush()` and passed to `onError`. */
  report(error: MlflowError): void;
  /** A warning: passed to `onError` only. */
  warn(error: MlflowError): void;
  /** Reserves room for `count` queued items; false when the queue is full (the item is dropped). */
  reserve(count: number): boolean;
  /** Gives room back once items left the queue. */
  release(count: number): void;
  /** Asks for this run's pending writes to be sent at the end of the current tick. */
  schedule(state: RunState): void;
  /** Lets `flush()` wait for a background promise (which must not reject). */
  track(promise: Promise<unknown>): void;
  /** Resolves the run's experiment id. */
  experimentId(options: StartRunOptions): Promise<string>;
  /** Starts another run (for `startChildRun`). */
  startRun(options: StartRunOptions): Run;
  /** Throws once the client is closed. */
  assertOpen(call: string): void;
  /** Ids of the runs this client created (never taken for a duplicate). */
  ownRunIds: Set<string>;
  /** A start time later than any this client gave a run before (runs are told apart by it). */
  nextStartTime(): number;
  /** What has been logged, by kind. */
  logged: MlflowStats["logged"];
  /** Forgets a run once it has ended and everything it logged is sent. */
  forget(state: RunState): void;
}

/** Everything the client keeps about one run. */
export interface RunState {
  /** The public handle. */
  handle: Run;
  /** Create → writes in order → end. */
  queue: SerialQueue;
  /** The server's info once created; `undefined` if creation failed (already reported). */
  created: Promise<RunInfo | undefined>;
  /** Writes not yet taken into a request. */
  pending: PendingWrites;
  /** A drain task is already queued and has not started. */
  drainQueued: boolean;
  /** Artifact uploads under way (they run beside the queue, bounded by `maxInFlight`). */
  uploads: Set<Promise<void>>;
  /** Param values logged, to refuse a changed value at the call and skip a repeated one. */
  params: Map<string, string>;
  /** Tables logged, for the `mlflow.loggedArtifacts` tag. */
  tables: string[];
  /** The end, once asked for. */
  ended?: Promise<void>;
  /** The status and end time asked for by `end()` (the exit hooks send it ahead of the queue). */
  endRequest?: { status: RunStatus; endTime: number };
  /** Items in the request in flight, not answered yet (reported as such if the process stops). */
  sending: number;
  /** Sends what is pending now (queues a drain task if none is waiting). */
  drain(): void;
  /** Settles once everything logged on this run so far is sent (reads wait for it). */
  settled(): Promise<void>;
}

const LOG_BATCH = "/api/2.0/mlflow/runs/log-batch";

/** Starts a run: returns its state at once and creates it on the server in the background. */
export function startRunState(ctx: RunContext, options: StartRunOptions): RunState {
  const startTime = options.startTime ?? ctx.nextStartTime();
  if (options.startTime !== undefined) validateTimestamp("startTime", startTime, "startRun");
  const tags: { key: string; value: string }[] = [];
  for (const [key, value] of Object.entries(options.tags ?? {})) {
    const v = limitLength(
      key,
      stringValue(key, value, "startRun"),
      LIMITS.tagValueLength,
      ctx.truncateLongValues,
      "startRun",
    );
    if (v.warning) ctx.warn(v.warning);
    tags.push({ key: validateKey(key, "startRun"), value: v.value });
  }
  if (options.description !== undefined) {
    tags.push({ key: "mlflow.note.content", value: options.description });
  }

  const queue = createSerialQueue();
  const created = queue.push(() => createRun(ctx, options, startTime, tags)).catch(
    (error: unknown) => {
      ctx.report(asMlflowError(error, "create run"));
      return undefined;
    },
  );

  const drainTask = async (): Promise<void> => {
    state.drainQueued = false;
    const info = await created;
    // Items present now are this task's to send; newer ones may fill its last request.
    let remaining = pendingCount(state.pending);
    while (remaining > 0) {
      const batch = takeBatch(state.pending, info?.runId ?? "");
      if (!batch) break;
      const size = batchSize(batch);
      remaining -= size;
      ctx.release(size);
      if (!info) continue; // creation failed and was reported: these items cannot land
      state.sending = size;
      await sendBatch(ctx, info.runId, batch);
      state.sending = 0;
    }
  };

  const state: RunState = {
    handle: undefined as unknown as Run,
    queue,
    created,
    pending: createPendingWrites(),
    drainQueued: false,
    uploads: new Set(),
    params: new Map(),
    tables: [],
    sending: 0,
    drain() {
      if (state.drainQueued || pendingCount(state.pending) === 0) return;
      state.drainQueued = true;
      queue.push(drainTask);
    },
    async settled() {
      state.drain();
      await queue.settled();
      while (state.uploads.size > 0) await Promise.all(state.uploads);
    },
  };
  state.handle = createRunHandle(ctx, state);
  return state;
}

async function createRun(
  ctx: RunContext,
  options: StartRunOptions,
  startTime: number,
  tags: { key: string; value: string }[],
): Promise<RunInfo> {
  if (options.parent !== undefined) {
    const parentId = typeof options.parent === "string"
      ? options.parent
      : (await options.parent.info().catch(() => undefined))?.runId;
    if (parentId === undefined) {
      throw new MlflowError("create run: its parent run was not created", {
        errorCode: "PARENT_NOT_CREATED",
      });
    }
    tags.push({ key: "mlflow.parentRunId", value: parentId });
  }
  const experimentId = await ctx.experimentId(options);
  return createRunOnce(
    ctx.rest,
    { experimentId, runName: options.runName, startTime, tags },
    ctx.ownRunIds,
  );
}

/**
 * Sends one batch. If the server refuses it as invalid, halves it and sends each half, so that
 * every valid entry lands and only the refused one is reported, with its key.
 */
async function sendBatch(ctx: RunContext, runId: string, batch: LogBatch): Promise<void> {
  try {
    await ctx.rest.request({ method: "POST", endpoint: LOG_BATCH, jsonText: batch.body, runId });
  } catch (error) {
    const e = asMlflowError(error, "log batch");
    const invalid = e.status === 400 &&
      (e.errorCode === "INVALID_PARAMETER_VALUE" || e.errorCode === "BAD_REQUEST");
    const size = batchSize(batch);
    if (invalid && size > 1) {
      const [a, b] = splitBatch(runId, batch);
      await sendBatch(ctx, runId, a);
      await sendBatch(ctx, runId, b);
      return;
    }
    const key = size === 1 ? onlyKey(batch) : undefined;
    ctx.report(
      new MlflowError(
        size === 1 ? `${e.message} (key '${key}')` : `${e.message} (${size} items not logged)`,
        {
          errorCode: e.errorCode,
          status: e.status,
          method: e.method,
          endpoint: e.endpoint,
          key,
          runId,
          cause: e,
        },
      ),
    );
  }
}

function createRunHandle(ctx: RunContext, state: RunState): Run {
  const truncate = ctx.truncateLongValues;

  const enqueue = (count: number): boolean => {
    if (!ctx.reserve(count)) return false;
    ctx.schedule(state);
    return true;
  };

  const addMetric = (key: string, value: number, step: number, timestamp: number) => {
    const wireValue = metricValueToWire(key, value, "logMetric");
    if (enqueue(1)) {
      state.pending.metrics.push({ key, value: wireValue, timestamp, step });
      ctx.logged.metrics++;
    }
  };

  const addParam = (key: string, raw: unknown, call: string) => {
    validateKey(key, call);
    const limited = limitLength(
      key,
      stringValue(key, raw, call),
      LIMITS.paramValueLength,
      truncate,
      call,
    );
    const previous = state.params.get(key);
    if (previous !== undefined) {
      if (previous === limited.value) return; // already logged: the server would accept it, but why send
      throw new MlflowValidationError(
        `${call}: param '${key}' was already logged as ${
          JSON.stringify(previous.slice(0, 100))
        }; ` +
          "MLflow does not allow changing a param value",
        { key, rule: "param_changed", call },
      );
    }
    if (limited.warning) ctx.warn(limited.warning);
    if (enqueue(1)) {
      state.params.set(key, limited.value);
      state.pending.params.push({ key, value: limited.value });
      ctx.logged.params++;
    }
  };

  const addTag = (key: string, raw: unknown, call: string) => {
    validateKey(key, call);
    const limited = limitLength(
      key,
      stringValue(key, raw, call),
      LIMITS.tagValueLength,
      truncate,
      call,
    );
    if (limited.warning) ctx.warn(limited.warning);
    if (state.pending.tags.has(key)) {
      // Still unsent: the new value replaces it in place and needs no new room in the queue.
      state.pending.tags.set(key, limited.value);
      return;
    }
    if (enqueue(1)) {
      state.pending.tags.set(key, limited.value);
      ctx.logged.tags++;
    }
  };

  // Validates every entry, logs the valid ones, then throws for the first invalid one: a bad key
  // in a record must not cost the good ones.
  const each = <V>(record: Record<string, V>, call: string, add: (k: string, v: V) => void) => {
    let first: unknown;
    let bad = 0;
    for (const [k, v] of Object.entries(record)) {
      try {
        add(k, v);
      } catch (error) {
        bad++;
        first ??= error;
      }
    }
    if (first instanceof MlflowValidationError && bad > 1) {
      throw new MlflowValidationError(
        `${first.message} (and ${bad - 1} more invalid in this call)`,
        {
          key: first.key ?? "",
          rule: first.rule,
          call,
        },
      );
    }
    if (first !== undefined) throw first;
  };

  const upload = (path: string, body: Uint8Array | Blob | string, contentType: string) => {
    ctx.logged.artifacts++;
    const task = (async () => {
      const info = await state.created;
      if (!info) return;
      try {
        await ctx.rest.request({
          method: "PUT",
          endpoint: artifactEndpoint(info.artifactUri, path),
          body,
          contentType,
          key: path,
          runId: info.runId,
        });
      } catch (error) {
        ctx.report(asMlflowError(error, `upload artifact '${path}'`, path, info.runId));
      }
    })();
    state.uploads.add(task);
    ctx.track(task);
    task.finally(() => state.uploads.delete(task));
  };

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
      addMetric(key, value, step, timestamp);
      return handle;
    },
    logMetrics(metrics, options?: MetricOptions) {
      ctx.assertOpen("logMetrics");
      const step = options?.step === undefined ? 0 : validateStep("*", options.step, "logMetrics");
      const timestamp = options?.timestamp === undefined
        ? Date.now()
        : validateTimestamp("*", options.timestamp, "logMetrics");
      each(metrics, "logMetrics", (k, v) => {
        validateKey(k, "logMetrics");
        addMetric(k, v, step, timestamp);
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
      if (!path.endsWith(".json")) {
        throw new MlflowValidationError(`logTable: table path '${path}' must end in .json`, {
          key: path,
          rule: "artifact_path",
          call: "logTable",
        });
      }
      const text = toJsonText(toSplitTable(table as Table), path, "logTable");
      upload(path, text, "application/json");
      if (!state.tables.includes(path)) state.tables.push(path);
      addTag(
        "mlflow.loggedArtifacts",
        JSON.stringify(state.tables.map((p) => ({ path: p, type: "table" }))),
        "logTable",
      );
      return handle;
    },
    logPredictions({ inputs, outputs, prompts }) {
      ctx.assertOpen("logPredictions");
      if (
        !Array.isArray(inputs) || !Array.isArray(outputs) || inputs.length !== outputs.length ||
        (prompts !== undefined && (!Array.isArray(prompts) || prompts.length !== inputs.length))
      ) {
        throw new MlflowValidationError(
          "logPredictions: inputs, outputs (and prompts, if given) must be arrays of the same length",
          { key: "llm_predictions.csv", rule: "value_type", call: "logPredictions" },
        );
      }
      const columns = prompts ? ["inputs", "outputs", "prompts"] : ["inputs", "outputs"];
      const rows = inputs.map((input, i) =>
        prompts ? [input, outputs[i], prompts[i]] : [input, outputs[i]]
      );
      upload("llm_predictions.csv", toCsv(columns, rows), "text/csv; charset=utf-8");
      return handle;
    },
    startChildRun(options = {}) {
      return ctx.startRun({ ...options, parent: handle });
    },
    end(status: RunStatus = "FINISHED", options?: { endTime?: number }) {
      if (state.ended) return state.ended;
      const endTime = options?.endTime ?? Date.now();
      state.endRequest = { status, endTime };
      state.drain();
      state.ended = state.queue.push(async () => {
        const info = await state.created;
        while (state.uploads.size > 0) await Promise.all(state.uploads);
        if (!info) return;
        try {
          await ctx.rest.request({
            method: "POST",
            endpoint: "/api/2.0/mlflow/runs/update",
            json: { run_id: info.runId, status, end_time: endTime },
            runId: info.runId,
          });
        } catch (error) {
          ctx.report(asMlflowError(error, "end run", undefined, info.runId));
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

/** Any error as an {@linkcode MlflowError}, for reporting. */
export function asMlflowError(
  error: unknown,
  what: string,
  key?: string,
  runId?: string,
): MlflowError {
  if (error instanceof MlflowError) return error;
  return new MlflowError(`${what}: ${error instanceof Error ? error.message : String(error)}`, {
    errorCode: "INTERNAL_CLIENT_ERROR",
    key,
    runId,
    cause: error,
  });
}
