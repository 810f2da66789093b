// Copyright 2026 the evalhooks authors. MIT license.
// This module is browser compatible.

// The core client: wires transport, store, delivery and the run and trace handles together.
// `createMlflow` (evaluate/create_mlflow.ts) is this client with `evaluate()` added.

import { loadTableOf } from "./load_table.ts";
import { readEnv } from "./env.ts";
import { MlflowError, MlflowFlushError, MlflowValidationError } from "../base/errors.ts";
import { warnOnce } from "../base/warn_once.ts";
import { getExperimentByName, getOrCreateExperiment } from "../store/experiments.ts";
import { createLimiter } from "../transport/limiter.ts";
import { resolveConnection } from "./options.ts";
import * as read from "../store/read.ts";
import { createRestClient, type RestClient } from "../transport/rest.ts";
import { resolveRetryOptions, retryDelay } from "../transport/retry_timing.ts";
import { createPacer, resolveRateLimits } from "../transport/pacer.ts";
import { pendingCount } from "../delivery/batcher.ts";
import { createQueueBudget } from "../delivery/budget.ts";
import { createTickScheduler } from "../delivery/scheduler.ts";
import { type RunContext, type RunState, startRunState } from "./run.ts";
import { joinRunState } from "./run_join.ts";
import { createRunCreator } from "../store/run_create.ts";
import { createAssessmentSender } from "../store/assessments.ts";
import { createSpanExporter } from "./span_export.ts";
import { withActiveContext } from "./active.ts";
import { createTracer } from "./tracer.ts";
import { registerExitParticipant } from "./exit_hooks.ts";
import { createFinalFlush } from "./final_flush.ts";
import { createFlusher } from "./flush.ts";
import { resolveClientLimits } from "./defaults.ts";
import { loadPrompt, registerPrompt } from "./prompts.ts";
import { createManagement } from "./manage.ts";
import { createLoggedModels } from "./logged_models.ts";
import { createGenaiDatasets } from "./genai_datasets.ts";
import { resolveSourceTags } from "./source_tags.ts";
import type {
  JoinedRun,
  JoinRunOptions,
  MlflowClient,
  MlflowOptions,
  Run,
  RunInfo,
  StartRunOptions,
} from "./types.ts";

export {
  DEFAULT_MAX_IN_FLIGHT,
  DEFAULT_MAX_QUEUED_BYTES,
  DEFAULT_MAX_QUEUED_ITEMS,
} from "./defaults.ts";

/**
 * Creates the core client (everything of `createMlflow` but `evaluate()`); see
 * `createMlflow` for what it does.
 *
 * @throws {TypeError} when there is no tracking URI, or it is not http(s).
 * @throws {RangeError} when a numeric option is out of range.
 */
export function createClient(options: MlflowOptions = {}): MlflowClient {
  const connection = resolveConnection(options);
  const limits = resolveClientLimits(options);
  const { maxQueuedBytes, maxQueuedItems: maxQueued } = limits;
  const retry = resolveRetryOptions(options.retry);
  const rest: RestClient = createRestClient({
    baseUrl: connection.baseUrl,
    headers: connection.headers,
    fetch: options.fetch ?? ((input, init) => fetch(input, init)),
    retry,
    limiter: createLimiter(limits.maxInFlight),
    secrets: connection.secrets,
    auth: connection.auth,
    pacer: createPacer({
      limits: resolveRateLimits(
        options.maxRequestsPerSecond,
        readEnv("MLFLOW_MAX_REQUESTS_PER_SECOND"),
      ),
      backoff: (strike) => retryDelay(strike, retry),
    }),
  });
  const defaultExperimentId = options.experimentId ?? readEnv("MLFLOW_EXPERIMENT_ID");
  const defaultExperimentName = options.experimentName ?? readEnv("MLFLOW_EXPERIMENT_NAME");
  const truncateLongValues = options.truncateLongValues ?? true;
  const sourceTags = resolveSourceTags(options.sourceTags);

  let closed = false;
  const onError = options.onError ?? warnOnce("[mlflow]", (text) => rest.redact(text));
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
  const scheduler = createTickScheduler<RunState>();
  const experiments = new Map<string, Promise<string>>();
  const creator = createRunCreator(rest, crypto.randomUUID());
  // A failed duplicate check leaves at worst a second copy of an assessment: a warning.
  const assessments = createAssessmentSender(rest, (error) => notify(error));
  const logged = {
    runs: 0,
    metrics: 0,
    params: 0,
    tags: 0,
    artifacts: 0,
    traces: 0,
    inputs: 0,
  };
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
      flusher.record(error);
      notify(error);
    },
    warn: notify,
    reserve: (count, bytes) => budget.reserve(count, bytes),
    release: (count, bytes) => budget.release(count, bytes),
    lose: (count) => budget.lose(count),
    schedule(state) {
      // A run that ended and was forgotten comes back while it has writes to send.
      runs.add(state);
      scheduler.schedule(state);
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
    sourceTags,
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

  function joinRun(opts: JoinRunOptions): JoinedRun {
    ctx.assertOpen("joinRun");
    const state = joinRunState(ctx, opts);
    logged.runs++;
    runs.add(state);
    states.set(state.handle, state);
    ctx.track(state.created);
    exitHooks?.watch(state, opts.runName);
    return state.handle as JoinedRun;
  }

  async function downloadArtifact(run: Run | string, path: string): Promise<Uint8Array> {
    const runId = await runIdOf(run);
    const info = typeof run === "string" ? (await read.getRun(rest, runId)).info : await run.info();
    return read.downloadArtifact(rest, info.artifactUri, path);
  }

  async function runIdOf(run: Run | string): Promise<string> {
    if (typeof run === "string") return run;
    const state = states.get(run);
    if (state) await state.settled(); // read your own writes
    return (await run.info()).runId;
  }

  const flusher = createFlusher({ runs, scheduler, background, creator, assessments, budget });
  const flush = flusher.flush;

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
    spans: createSpanExporter(rest),
    counted: () => logged.traces++,
    sourceTags,
    client: () => mlflow,
    // Read when a trace is exported, by which time the client is built.
    activeModelId: () => loggedModels.activeModelId(),
    defaultExperimentId: () => ctx.experimentId({}),
    async runInfo(run): Promise<RunInfo | undefined> {
      if (typeof run === "string") return (await read.getRun(rest, run)).info;
      const state = states.get(run);
      return state ? await state.created : await run.info();
    },
  });

  // Exit hooks (exit_hooks.ts): on SIGINT, SIGTERM or exit(), end open runs KILLED, make a
  // bounded final flush and report on stderr what could not be sent.
  const exitFlushMs = limits.exitFlushMs;
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

  const management = createManagement({
    rest,
    runIdOf,
    forgetExperiments: () => experiments.clear(),
  });
  const loggedModels = createLoggedModels({
    rest,
    experimentId: (opts) => ctx.experimentId(opts),
    runIdOf,
    sourceTags,
    assertOpen: ctx.assertOpen,
  });

  const mlflow: MlflowClient = {
    ...tracer,
    ...management,
    ...loggedModels,
    ...createGenaiDatasets({
      rest,
      defaultExperimentId: () => ctx.experimentId({}),
      sourceTags,
    }),
    trackingUri: connection.baseUrl,
    sourceTags: Object.freeze({ ...sourceTags }),
    startRun,
    joinRun,
    async run<T>(opts: StartRunOptions, fn: (run: Run) => Promise<T> | T): Promise<T> {
      const run = startRun(opts);
      try {
        const result = await withActiveContext({ mlflow, run }, () => fn(run));
        run.end("FINISHED");
        return result;
      } catch (error) {
        run.end("FAILED");
        throw error;
      }
    },
    flush,
    delivered: () => flusher.delivered(),
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
    downloadArtifact,
    loadTable: (runs, path) => loadTableOf(downloadArtifact, runIdOf, runs, path),
    getExperimentByName: (name) => getExperimentByName(rest, name),
    getOrCreateExperiment: (name) => experimentIdFor(name),
    registerPrompt: (opts) => registerPrompt(rest, opts),
    loadPrompt: (ref) => loadPrompt(rest, ref),
    async drain(opts) {
      const below = opts?.below ?? maxQueuedBytes / 2;
      scheduler.drainNow();
      await budget.waitBelow(below);
    },
    stats: () => ({
      requests: rest.requestCount,
      queued: [...runs].reduce((n, s) => n + pendingCount(s.pending), 0),
      queuedBytes: budget.bytes,
      dropped: flusher.droppedSinceFlush(),
      logged: { ...logged },
    }),
  };
  return mlflow;
}
