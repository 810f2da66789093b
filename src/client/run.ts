// Copyright 2026 the evalhooks authors. MIT license.
// This module is browser compatible.

import { artifactEndpoint, contentTypeFor, toJsonText, toSplitTable } from "../store/artifacts.ts";
import { toCsv } from "./csv.ts";
import {
  batchSize,
  createPendingWrites,
  describeBatch,
  type LogBatch,
  onlyKey,
  pendingCount,
  type PendingWrites,
  splitBatch,
  takeBatch,
} from "../delivery/batcher.ts";
import { bodyBytes, keyValueBytes, metricBytes } from "../delivery/budget.ts";
import { asMlflowError, MlflowError, MlflowValidationError } from "../base/errors.ts";
import { LIMITS } from "../store/limits.ts";
import type { RestClient } from "../transport/rest.ts";
import type { RunCreator } from "../store/run_create.ts";
import { createSerialQueue, type SerialQueue } from "../delivery/serial.ts";
import type {
  MetricOptions,
  MlflowStats,
  Run,
  RunInfo,
  RunStatus,
  StartRunOptions,
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
  /** Reserves room for `count` queued items of `bytes`; false when full (they are dropped). */
  reserve(count: number, bytes: number): boolean;
  /** Gives room back once items left the queue. */
  release(count: number, bytes: number): void;
  /** Counts items that cannot be sent (their run was never created) as not logged. */
  lose(count: number): void;
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
  /** Creates runs exactly once. */
  creator: RunCreator;
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
  /** The oldest tables were left out of that tag (warned once). */
  tablesTrimmed?: boolean;
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
  /** Ended, with nothing pending or uploading: the client may forget it. */
  idle(): boolean;
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
  const name = options.runName === undefined ? "(unnamed)" : `'${options.runName}'`;
  const created = queue.push(() => createRun(ctx, options, startTime, tags)).catch(
    (error: unknown) => {
      const e = asMlflowError(error, "create run");
      ctx.report(
        new MlflowError(`run ${name} could not be created: ${e.message}`, {
          errorCode: e.errorCode,
          status: e.status,
          method: e.method,
          endpoint: e.endpoint,
          cause: e,
        }),
      );
      return undefined;
    },
  );

  const drainTask = async (): Promise<void> => {
    state.drainQueued = false;
    const info = await created;
    // Items present now are this task's to send; newer ones may fill its last request.
    let remaining = pendingCount(state.pending);
    let lost = 0;
    while (remaining > 0) {
      const batch = takeBatch(state.pending, info?.runId ?? "");
      if (!batch) break;
      const size = batchSize(batch);
      remaining -= size;
      if (!info) {
        // Creation failed and was reported: these items cannot land. They are counted as not
        // logged, and said so, by run.
        lost += size;
        ctx.release(size, batchBytes(batch));
        continue;
      }
      state.sending = size;
      try {
        await sendBatch(ctx, info.runId, batch);
      } finally {
        state.sending = 0;
        ctx.release(size, batchBytes(batch));
      }
    }
    if (lost > 0) {
      ctx.lose(lost);
      ctx.report(
        new MlflowError(`run ${name} could not be created: ${lost} item(s) not logged`, {
          errorCode: "RUN_NOT_CREATED",
        }),
      );
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
    idle() {
      return state.ended !== undefined && pendingCount(state.pending) === 0 &&
        state.uploads.size === 0 && !state.drainQueued;
    },
    async settled() {
      state.drain();
      await queue.settled();
      while (state.uploads.size > 0) await Promise.all(state.uploads);
    },
  };
  state.handle = createRunHandle(ctx, state, name);
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
  return ctx.creator.create({ experimentId, runName: options.runName, startTime, tags });
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
        size === 1
          ? `${e.message} (key '${key}')`
          : `${e.message} (${size} items not logged: ${describeBatch(batch)})`,
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

/**
 * The `mlflow.loggedArtifacts` tag, kept valid JSON within the tag limit: MLflow's `load_table`
 * fails on a run whose tag was cut mid-JSON, so the oldest tables leave the list instead (their
 * files stay), with one warning per run.
 */
function loggedArtifactsTag(ctx: RunContext, state: RunState): string {
  const tagOf = () => JSON.stringify(state.tables.map((p) => ({ path: p, type: "table" })));
  let tag = tagOf();
  if (tag.length <= LIMITS.tagValueLength) return tag;
  while (tag.length > LIMITS.tagValueLength && state.tables.length > 1) {
    state.tables.shift();
    tag = tagOf();
  }
  if (!state.tablesTrimmed) {
    state.tablesTrimmed = true;
    ctx.warn(
      new MlflowValidationError(
        "logTable: mlflow.loggedArtifacts would exceed 8000 characters; the oldest tables " +
          "are left out of it (their files are kept)",
        { key: "mlflow.loggedArtifacts", rule: "value_length", call: "logTable", truncated: true },
      ),
    );
  }
  return tag;
}

function batchBytes(batch: LogBatch): number {
  let bytes = 0;
  for (const m of batch.metrics) bytes += metricBytes(m.key);
  for (const p of batch.params) bytes += keyValueBytes(p.key, p.value);
  for (const t of batch.tags) bytes += keyValueBytes(t.key, t.value);
  return bytes;
}

function createRunHandle(ctx: RunContext, state: RunState, name: string): Run {
  const truncate = ctx.truncateLongValues;

  const enqueue = (count: number, bytes: number): boolean => {
    if (!ctx.reserve(count, bytes)) return false;
    ctx.schedule(state);
    return true;
  };

  const addMetric = (key: string, value: number, step: number, timestamp: number) => {
    const wireValue = metricValueToWire(key, value, "logMetric");
    if (enqueue(1, metricBytes(key))) {
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
    if (enqueue(1, keyValueBytes(key, limited.value))) {
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
    const unsent = state.pending.tags.get(key);
    if (unsent !== undefined) {
      // Still unsent: the new value replaces it in place, in the old one's room.
      ctx.release(0, keyValueBytes(key, unsent));
      if (ctx.reserve(0, keyValueBytes(key, limited.value))) {
        state.pending.tags.set(key, limited.value);
      } else ctx.reserve(0, keyValueBytes(key, unsent));
      return;
    }
    if (enqueue(1, keyValueBytes(key, limited.value))) {
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
    const bytes = bodyBytes(body);
    if (!ctx.reserve(1, bytes)) return;
    ctx.logged.artifacts++;
    const task = (async () => {
      const info = await state.created;
      if (!info) {
        ctx.lose(1);
        ctx.report(
          new MlflowError(`run ${name} could not be created: artifact '${path}' not logged`, {
            errorCode: "RUN_NOT_CREATED",
            key: path,
          }),
        );
        return;
      }
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
        ctx.report(
          asMlflowError(error, `upload artifact '${path}'`, { key: path, runId: info.runId }),
        );
      }
    })().finally(() => ctx.release(1, bytes));
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
      const text = toJsonText(toSplitTable(table, path, "logTable"), path, "logTable");
      upload(path, text, "application/json");
      if (!state.tables.includes(path)) state.tables.push(path);
      addTag("mlflow.loggedArtifacts", loggedArtifactsTag(ctx, state), "logTable");
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
