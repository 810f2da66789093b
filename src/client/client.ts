// Copyright 2026 the evalhooks authors. MIT license.
// This module is browser compatible.

import { readEnv } from "./env.ts";
import { MlflowError, MlflowFlushError, MlflowValidationError } from "../base/errors.ts";
import { getExperimentByName, getOrCreateExperiment } from "../store/experiments.ts";
import { createLimiter } from "../transport/limiter.ts";
import { resolveConnection } from "./options.ts";
import * as read from "../store/read.ts";
import { createRestClient, type RestClient } from "../transport/rest.ts";
import { resolveRetryOptions } from "../transport/retry_timing.ts";
import { pendingCount } from "../delivery/batcher.ts";
import { createQueueBudget } from "../delivery/budget.ts";
import { type RunContext, type RunState, startRunState } from "./run.ts";
import { createRunCreator } from "../store/run_create.ts";
import { createAssessmentSender } from "../store/assessments.ts";
import { createTracer } from "./tracer.ts";
import { evaluate } from "../evaluate/evaluate.ts";
import { DEFAULT_EXIT_FLUSH_MS, registerExitParticipant } from "./exit_hooks.ts";
import { createFinalFlush } from "./final_flush.ts";
import { loadPrompt, registerPrompt } from "./prompts.ts";
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
 * Default of {@linkcode MlflowOptions.maxQueuedBytes}: 256 MiB, where a process can hold a burst
 * of a million metrics (about 70 MB) with room to spare; 32 MiB inside Cloudflare Workers, whose
 * isolates have 128 MB in all.
 *
 * @example
 * ```ts
 * import { createMlflow, DEFAULT_MAX_QUEUED_BYTES } from "@evalhooks/mlflow";
 *
 * const mlflow = createMlflow({
 *   trackingUri: "http://127.0.0.1:5000",
 *   maxQueuedBytes: DEFAULT_MAX_QUEUED_BYTES / 4,
 * });
 * ```
 */
export const DEFAULT_MAX_QUEUED_BYTES: number =
  (globalThis.navigator?.userAgent ?? "").startsWith("Cloudflare-Workers")
    ? 32 * 1024 * 1024
    : 256 * 1024 * 1024;

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
  const maxQueued = options.maxQueuedItems ?? Infinity;
  if (maxQueued !== Infinity && (!Number.isInteger(maxQueued) || maxQueued < 1)) {
    throw new RangeError(
      `maxQueuedItems must be a positive integer: current value is ${maxQueued}`,
    );
  }
  const maxQueuedBytes = options.maxQueuedBytes ?? DEFAULT_MAX_QUEUED_BYTES;
  if (!Number.isSafeInteger(maxQueuedBytes) || maxQueuedBytes < 1) {
    throw new RangeError(
      `maxQueuedBytes must be a positive integer: current value is ${maxQueuedBytes}`,
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

  // Failures not yet thrown by a finished flush. Every flush throws each failure reported while
  // it waited (and the ones pending when it started), so concurrent flushes all see a failure;
  // entries are trimmed only when no flush is running, so their indexes stay valid.
  let failures: MlflowError[] = [];
  let delivered = 0;
  let droppedDelivered = 0;
  let activeFlushes = 0;
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
  const creator = createRunCreator(rest, crypto.randomUUID());
  // A failed duplicate check leaves at worst a second copy of an assessment: a warning.
  const assessments = createAssessmentSender(rest, (error) => notify(error));
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

  const budget = createQueueBudget({
    maxBytes: maxQueuedBytes,
    maxItems: maxQueued,
    onFull: ({ byItems }) =>
      notify(
        new MlflowError(
          `queue full (${
            byItems ? `${maxQueued} items` : `${maxQueuedBytes} bytes`
          } waiting): new items are dropped until the server catches up; ` +
            "await mlflow.drain() to wait instead",
          { errorCode: "QUEUE_FULL" },
        ),
      ),
  });

  const ctx: RunContext = {
    rest,
    truncateLongValues,
    report(error) {
      failures.push(error);
      notify(error);
    },
    warn: notify,
    reserve: (count, bytes) => budget.reserve(count, bytes),
    release: (count, bytes) => budget.release(count, bytes),
    lose: (count) => budget.lose(count),
    schedule(state) {
      // A run that ended and was forgotten comes back while it has writes to send.
      runs.add(state);
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
    creator,
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
    const from = delivered;
    const droppedFrom = droppedDelivered;
    activeFlushes++;
    try {
      for (const state of runs) state.drain();
      for (const state of dirty) state.drain();
      dirty.clear();
      const waits: Promise<unknown>[] = [...runs].map((s) => s.queue.settled());
      waits.push(...background);
      await Promise.all(waits);
      // Uploads and checks started by tasks that ran meanwhile (none by later calls).
      do {
        await Promise.all([...background]);
        await creator.settled();
        await assessments.settled();
      } while (background.size > 0);
    } finally {
      activeFlushes--;
    }
    const to = failures.length;
    const failed = failures.slice(from, to);
    const lost = budget.dropped - droppedFrom;
    delivered = Math.max(delivered, to);
    droppedDelivered = Math.max(droppedDelivered, budget.dropped);
    if (activeFlushes === 0) {
      failures = failures.slice(delivered);
      delivered = 0;
      for (const state of runs) if (state.idle()) runs.delete(state);
    }
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
    assertOpen: ctx.assertOpen,
    reserve: ctx.reserve,
    release: ctx.release,
    assessments,
    counted: () => logged.traces++,
    defaultExperimentId: () => ctx.experimentId({}),
    async runInfo(run): Promise<RunInfo | undefined> {
      if (typeof run === "string") return (await read.getRun(rest, run)).info;
      const state = states.get(run);
      return state ? await state.created : await run.info();
    },
  });

  // Exit hooks (exit_hooks.ts): on SIGINT, SIGTERM or exit(), end open runs KILLED, make a
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
    async drain(opts) {
      const below = opts?.below ?? maxQueuedBytes / 2;
      for (const state of dirty) state.drain();
      dirty.clear();
      await budget.waitBelow(below);
    },
    stats: () => ({
      requests: rest.requestCount,
      queued: [...runs].reduce((n, s) => n + pendingCount(s.pending), 0),
      queuedBytes: budget.bytes,
      dropped: budget.dropped - droppedDelivered,
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
