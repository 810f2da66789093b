// Copyright 2026 the evalhooks authors. MIT license.
// This module is browser compatible.

import { readEnv } from "./env.ts";
import { MlflowError, MlflowFlushError, MlflowValidationError } from "./errors.ts";
import { getExperimentByName, getOrCreateExperiment } from "./experiments.ts";
import { createLimiter } from "./limiter.ts";
import { resolveConnection } from "./options.ts";
import * as read from "./read.ts";
import { createRestClient, type RestClient } from "./rest.ts";
import { resolveRetryOptions } from "./retry_timing.ts";
import { pendingCount } from "./batcher.ts";
import { type RunContext, type RunState, startRunState } from "./run.ts";
import { createTracer } from "./traces.ts";
import { evaluate } from "./evaluate/evaluate.ts";
import { DEFAULT_EXIT_FLUSH_MS, registerExitParticipant } from "./exit_hooks.ts";
import { createFinalFlush } from "./final_flush.ts";
import { loadPrompt, registerPrompt } from "./evaluate/prompts.ts";
import type { Mlflow, MlflowOptions, Run, RunInfo, StartRunOptions } from "./types.ts";

/**
 * Default of {@linkcode MlflowOptions.maxInFlight}.
 *
 * @example
 * ```ts
 * import { createMlflow, DEFAULT_MAX_IN_FLIGHT } from "@evalhooks/mlflow";
 *
 * const mlflow = createMlflow({ trackingUri: "http://127.0.0.1:5000", maxInFlight: DEFAULT_MAX_IN_FLIGHT * 2 });
 * ```
 */
export const DEFAULT_MAX_IN_FLIGHT = 6;
/**
 * Default of {@linkcode MlflowOptions.maxQueuedItems}.
 *
 * @example
 * ```ts
 * import { createMlflow, DEFAULT_MAX_QUEUED_ITEMS } from "@evalhooks/mlflow";
 *
 * // A memory-tight edge function: keep at most a tenth of the default waiting.
 * const mlflow = createMlflow({
 *   trackingUri: "http://127.0.0.1:5000",
 *   maxQueuedItems: DEFAULT_MAX_QUEUED_ITEMS / 10,
 * });
 * ```
 */
export const DEFAULT_MAX_QUEUED_ITEMS = 500_000;

/**
 * Creates a client for an MLflow tracking server.
 *
 * Logging never waits for the network: everything logged in one synchronous stretch is sent at
 * the end of the tick as `runs/log-batch` requests packed to MLflow's limits (5,000 metrics are 5
 * requests), each run's writes in the order they were made, different runs concurrently (at most
 * `maxInFlight` requests at once). Transient failures are retried with backoff; what fails for
 * good reaches `onError` and makes the next `flush()` reject.
 *
 * A script that returns without `flush()` still sends everything before it exits on Deno, Bun and
 * Node (requests in flight hold the process open), but `await mlflow.close()` is what tells you
 * whether it all landed. On SIGINT, SIGTERM, or `exit()` while something is unsent, open runs are
 * ended `KILLED` and a final flush of at most `exitFlushMs` (5 s) runs before the process stops;
 * what it could not send is reported on stderr. `close()` removes the client from those hooks.
 *
 * @example Log a run and wait for it to land
 * ```ts
 * import { createMlflow } from "@evalhooks/mlflow";
 *
 * const mlflow = createMlflow({ trackingUri: "http://127.0.0.1:5000", experimentName: "demo" });
 * const run = mlflow.startRun({ runName: "first" });
 * run.logParams({ model: "gpt-4o-mini", temperature: 0.2 });
 * for (let step = 0; step < 100; step++) run.logMetric("loss", 1 / (step + 1), { step });
 * run.end();
 * await mlflow.flush();
 * ```
 *
 * @throws {TypeError} when there is no tracking URI, or it is not http(s).
 * @throws {RangeError} when a numeric option is out of range.
 */
export function createMlflow(options: MlflowOptions = {}): Mlflow {
  const connection = resolveConnection(options);
  const maxInFlight = options.maxInFlight ?? DEFAULT_MAX_IN_FLIGHT;
  const maxQueued = options.maxQueuedItems ?? DEFAULT_MAX_QUEUED_ITEMS;
  if (!Number.isInteger(maxQueued) || maxQueued < 1) {
    throw new RangeError(
      `maxQueuedItems must be a positive integer: current value is ${maxQueued}`,
    );
  }
  const rest: RestClient = createRestClient({
    baseUrl: connection.baseUrl,
    headers: connection.headers,
    fetch: options.fetch ?? ((input, init) => fetch(input, init)),
    retry: resolveRetryOptions(options.retry),
    limiter: createLimiter(maxInFlight),
    secrets: connection.secrets,
  });
  const defaultExperimentId = options.experimentId ?? readEnv("MLFLOW_EXPERIMENT_ID");
  const defaultExperimentName = options.experimentName ?? readEnv("MLFLOW_EXPERIMENT_NAME");
  const truncateLongValues = options.truncateLongValues ?? true;

  // Failures since the last flush, and what onError has been told.
  let errors: MlflowError[] = [];
  let dropped = 0;
  let droppedReported = false;
  let queued = 0;
  let closed = false;
  const warned = new Set<string>();
  const onError = options.onError ?? ((error: MlflowError) => {
    const id = `${error.errorCode}|${error.endpoint}|${error.key ?? ""}`;
    if (warned.has(id)) return;
    warned.add(id);
    console.warn(`[mlflow] ${rest.redact(error.message)}`);
  });
  const notify = (error: MlflowError) => {
    try {
      onError(error);
    } catch {
      // A throwing onError must not take the delivery loop down with it.
    }
  };

  const runs = new Set<RunState>();
  const states = new WeakMap<Run, RunState>();
  const background = new Set<Promise<unknown>>();
  const dirty = new Set<RunState>();
  let tickScheduled = false;
  const experiments = new Map<string, Promise<string>>();
  const ownRunIds = new Set<string>();
  const logged = { runs: 0, metrics: 0, params: 0, tags: 0, artifacts: 0, traces: 0 };
  let lastStartTime = 0;

  const experimentIdFor = (name: string): Promise<string> => {
    let id = experiments.get(name);
    if (!id) {
      id = getOrCreateExperiment(rest, name);
      // A failed lookup is not cached: the next run retries it.
      id.catch(() => experiments.delete(name));
      experiments.set(name, id);
    }
    return id;
  };

  const ctx: RunContext = {
    rest,
    truncateLongValues,
    report(error) {
      errors.push(error);
      notify(error);
    },
    warn: notify,
    reserve(count) {
      if (queued + count > maxQueued) {
        dropped += count;
        if (!droppedReported) {
          droppedReported = true;
          notify(
            new MlflowError(
              `queue full (${maxQueued} items waiting): new metrics, params and tags are dropped ` +
                "until the server catches up",
              { errorCode: "QUEUE_FULL" },
            ),
          );
        }
        return false;
      }
      queued += count;
      return true;
    },
    release(count) {
      queued -= count;
      if (queued < maxQueued) droppedReported = false;
    },
    schedule(state) {
      dirty.add(state);
      if (tickScheduled) return;
      tickScheduled = true;
      // One microtask per tick hands every run's writes to its queue, after the synchronous
      // code that logged them has finished: that is what makes 5,000 metrics five requests.
      queueMicrotask(() => {
        tickScheduled = false;
        for (const s of dirty) s.drain();
        dirty.clear();
      });
    },
    track(promise) {
      background.add(promise);
      promise.finally(() => background.delete(promise));
    },
    experimentId(opts) {
      if (opts.experimentId !== undefined) return Promise.resolve(opts.experimentId);
      if (opts.experimentName !== undefined) return experimentIdFor(opts.experimentName);
      if (defaultExperimentId !== undefined) return Promise.resolve(defaultExperimentId);
      if (defaultExperimentName !== undefined) return experimentIdFor(defaultExperimentName);
      return Promise.resolve("0"); // MLflow's "Default" experiment, as the Python client uses
    },
    startRun: (opts) => startRun(opts),
    assertOpen(call) {
      if (closed) {
        throw new MlflowValidationError(`${call}: the client is closed`, {
          key: "",
          rule: "closed",
          call,
        });
      }
    },
    ownRunIds,
    logged,
    nextStartTime() {
      lastStartTime = Math.max(Date.now(), lastStartTime + 1);
      return lastStartTime;
    },
    forget(state) {
      runs.delete(state);
    },
  };

  function startRun(opts: StartRunOptions = {}): Run {
    ctx.assertOpen("startRun");
    const state = startRunState(ctx, opts);
    logged.runs++;
    runs.add(state);
    states.set(state.handle, state);
    ctx.track(state.created);
    exitHooks?.watch(state, opts.runName);
    return state.handle;
  }

  async function runIdOf(run: Run | string): Promise<string> {
    if (typeof run === "string") return run;
    const state = states.get(run);
    if (state) await state.settled(); // read your own writes
    return (await run.info()).runId;
  }

  async function flush(): Promise<void> {
    for (const state of runs) state.drain();
    dirty.clear();
    const waits: Promise<unknown>[] = [...runs].map((s) => s.queue.settled());
    waits.push(...background);
    await Promise.all(waits);
    // Uploads started by tasks that ran meanwhile (none are started by later calls).
    while (background.size > 0) await Promise.all([...background]);
    const failed = errors;
    const lost = dropped;
    errors = [];
    dropped = 0;
    if (failed.length > 0 || lost > 0) throw new MlflowFlushError(failed, lost);
  }

  const traceTasks = new Set<Promise<unknown>>();
  const tracer = createTracer({
    rest,
    report: ctx.report,
    track(promise) {
      ctx.track(promise);
      traceTasks.add(promise);
      promise.finally(() => traceTasks.delete(promise));
    },
    counted: () => logged.traces++,
    defaultExperimentId: () => ctx.experimentId({}),
    async runInfo(run): Promise<RunInfo | undefined> {
      if (typeof run === "string") return (await read.getRun(rest, run)).info;
      const state = states.get(run);
      return state ? await state.created : await run.info();
    },
  });

  // Exit hooks (src/exit_hooks.ts): on SIGINT, SIGTERM or exit(), end open runs KILLED, make a
  // bounded final flush and report on stderr what could not be sent.
  const exitFlushMs = resolveExitFlushMs(options.exitFlushMs);
  const exitHooks = exitFlushMs > 0
    ? createFinalFlush({
      rest,
      runs,
      background,
      traces: traceTasks,
      drainAll: () => runs.forEach((state) => state.drain()),
      flushMs: exitFlushMs,
    })
    : undefined;
  const unregisterExit = exitHooks ? registerExitParticipant(exitHooks) : () => {};

  const mlflow: Mlflow = {
    ...tracer,
    trackingUri: connection.baseUrl,
    startRun,
    async run<T>(opts: StartRunOptions, fn: (run: Run) => Promise<T> | T): Promise<T> {
      const run = startRun(opts);
      try {
        const result = await fn(run);
        run.end("FINISHED");
        return result;
      } catch (error) {
        run.end("FAILED");
        throw error;
      }
    },
    flush,
    flushWith(waitUntil) {
      waitUntil(
        flush().catch((error: unknown) => {
          if (!(error instanceof MlflowFlushError)) notify(error as MlflowError);
        }),
      );
    },
    async close() {
      if (closed) return flush();
      for (const state of runs) if (!state.ended) state.handle.end("FINISHED");
      closed = true;
      try {
        await flush();
      } finally {
        unregisterExit();
      }
    },
    getRun: async (run) => read.getRun(rest, await runIdOf(run)),
    searchRuns: (opts) => read.searchRuns(rest, opts),
    getMetricHistory: async (run, key) => read.getMetricHistory(rest, await runIdOf(run), key),
    listArtifacts: async (run, path) => read.listArtifacts(rest, await runIdOf(run), path),
    downloadArtifact: async (run, path) => {
      const runId = await runIdOf(run);
      const info = typeof run === "string"
        ? (await read.getRun(rest, runId)).info
        : await run.info();
      return read.downloadArtifact(rest, info.artifactUri, path);
    },
    getExperimentByName: (name) => getExperimentByName(rest, name),
    getOrCreateExperiment: (name) => experimentIdFor(name),
    evaluate: (opts) => evaluate(mlflow, opts),
    registerPrompt: (opts) => registerPrompt(rest, opts),
    loadPrompt: (ref) => loadPrompt(rest, ref),
    stats: () => ({
      requests: rest.requestCount,
      queued: [...runs].reduce((n, s) => n + pendingCount(s.pending), 0),
      dropped,
      logged: { ...logged },
    }),
  };
  return mlflow;
}

function resolveExitFlushMs(value: number | false | undefined): number {
  if (value === undefined) return DEFAULT_EXIT_FLUSH_MS;
  if (value === false) return 0;
  if (typeof value !== "number" || !Number.isFinite(value) || value < 0) {
    throw new RangeError(
      `exitFlushMs must be a non-negative number of milliseconds or false: current value is ${value}`,
    );
  }
  return value;
}
