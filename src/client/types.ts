// Copyright 2026 the evalhooks authors. MIT license.
// This module is browser compatible.

import type { MlflowError } from "../base/errors.ts";
import type { LoadedTable } from "./load_table.ts";
import type { RetryOptions } from "../transport/retry_timing.ts";
import type { MaxRequestsPerSecond } from "../transport/pacer.ts";
import type { DatabricksOptions } from "./databricks.ts";
import type { Prompt, PromptRef, RegisterPromptOptions } from "./prompts.ts";
import type {
  CreateDatasetOptions,
  EvaluationDataset,
  SearchDatasetsOptions,
} from "./genai_dataset_types.ts";
import type {
  ActiveModelOptions,
  CreateLoggedModelOptions,
  LoggedModel,
  SearchLoggedModelsOptions,
} from "./logged_models.ts";
import type {
  DeleteTracesOptions,
  OverrideFeedbackOptions,
  UpdateAssessmentOptions,
} from "./trace_review.ts";
import type {
  Assessment,
  ExpectationOptions,
  FeedbackOptions,
  SearchTracesOptions,
  Span,
  SpanData,
  StartTraceOptions,
  TraceFnOptions,
  TraceInfo,
} from "./trace_types.ts";
import type {
  ArtifactEntry,
  CreateExperimentOptions,
  Experiment,
  MetricPoint,
  RunData,
  RunInfo,
  RunStatus,
  SearchExperimentsOptions,
  SearchRunsOptions,
} from "../store/types.ts";

import type {
  JoinedRun,
  JoinRunOptions,
  MetricOptions,
  Run,
  StartRunOptions,
  Table,
} from "./run_types.ts";

// What the server returns is the store's, and the run handle's types are run_types.ts's;
// re-exported so the public types stay in one place.
export type { JoinedRun, JoinRunOptions, MetricOptions, Run, StartRunOptions, Table };
export type {
  ArtifactEntry,
  CreateExperimentOptions,
  Experiment,
  MetricPoint,
  RunData,
  RunInfo,
  RunStatus,
  SearchExperimentsOptions,
  SearchRunsOptions,
};

/**
 * Options of {@linkcode createMlflow}. Every option has an environment fallback where MLflow's
 * Python client has one, read only where the runtime has an environment (Deno with
 * `--allow-env`, Bun, Node).
 *
 * @example Authenticated server, own error handling
 * ```ts
 * import { createMlflow, type MlflowOptions } from "@evalhooks/mlflow";
 *
 * const options: MlflowOptions = {
 *   trackingUri: "https://mlflow.example.com",
 *   token: "my-token",
 *   experimentName: "nightly-evals",
 *   retry: { maxRetries: 4, timeoutMs: 10_000 },
 *   onError: (error) => console.error(error.errorCode, error.message),
 * };
 * const mlflow = createMlflow(options);
 * ```
 */
export interface MlflowOptions {
  /**
   * The tracking server, e.g. `http://127.0.0.1:5000`. `http(s)://user:pass@host` works too: the
   * credentials become Basic auth and are removed from the URL.
   * @default {env MLFLOW_TRACKING_URI}
   */
  trackingUri?: string;
  /** Sent as `Authorization: Bearer <token>`. @default {env MLFLOW_TRACKING_TOKEN} */
  token?: string;
  /** Basic auth user; with `password`, wins over `token`. @default {env MLFLOW_TRACKING_USERNAME} */
  username?: string;
  /** Basic auth password. @default {env MLFLOW_TRACKING_PASSWORD} */
  password?: string;
  /** Extra headers for every request (a proxy's auth, a tenant header). */
  headers?: HeadersInit;
  /**
   * Host and credentials for `trackingUri: "databricks"` (or `"databricks://<profile>"`): a
   * personal access token, or OAuth client credentials whose token is fetched from
   * `<host>/oidc/v1/token`, cached and refreshed before it expires. `databricksConfig()` of the
   * `./node` entry reads them from `~/.databrickscfg`.
   * @default {env DATABRICKS_HOST, DATABRICKS_TOKEN, DATABRICKS_CLIENT_ID, DATABRICKS_CLIENT_SECRET}
   */
  databricks?: DatabricksOptions;
  /** MLflow workspace, sent as the `X-MLFLOW-WORKSPACE` header. @default {env MLFLOW_WORKSPACE} */
  workspace?: string;
  /** The fetch to use (for tests, proxies, or a runtime's own). @default {globalThis.fetch} */
  fetch?: typeof fetch;
  /** Experiment of runs that name none. @default {env MLFLOW_EXPERIMENT_NAME} */
  experimentName?: string;
  /** Experiment id of runs that name none; wins over `experimentName`. @default {env MLFLOW_EXPERIMENT_ID} */
  experimentId?: string;
  /** Retries, backoff and per-request timeout: see {@linkcode RetryOptions}. */
  retry?: RetryOptions;
  /** Requests in flight at once, across all runs. @default {6} */
  maxInFlight?: number;
  /**
   * Requests per second at most, so a rate-limited (hosted) server is paced rather than answered
   * with 429s: a number for all requests together, or per endpoint family
   * (`{ logBatch: 40, default: 100 }`); see {@linkcode MaxRequestsPerSecond}. Without it nothing
   * is paced until the server answers 429: then that family pauses for the Retry-After and goes
   * on at half the rate it had, rising slowly while requests succeed.
   * @default {env MLFLOW_MAX_REQUESTS_PER_SECOND, else no limit}
   */
  maxRequestsPerSecond?: MaxRequestsPerSecond;
  /**
   * An item cap on top of `maxQueuedBytes`: metrics, params, tags, artifacts and traces waiting
   * to be sent, across all runs, beyond which new ones are dropped (and counted, and reported).
   * Memory is bounded by `maxQueuedBytes` alone unless this is set.
   * @default {Infinity}
   */
  maxQueuedItems?: number;
  /**
   * Bytes (estimated in-memory size) of everything waiting to be sent, across all runs:
   * metrics, params, tags, artifact bodies and exported traces. Beyond it new items are dropped,
   * counted in `stats().dropped` and `MlflowFlushError.dropped`, and reported once through
   * `onError` as `QUEUE_FULL`; `await mlflow.drain()` lets a producer wait for room instead.
   * @default {DEFAULT_MAX_QUEUED_BYTES (256 MiB; 32 MiB on Cloudflare Workers)}
   */
  maxQueuedBytes?: number;
  /**
   * Cut param values over 6000 characters and tag values over 8000 to the limit (reporting a
   * warning through `onError`), as MLflow does; `false` throws instead.
   * @default {true}
   */
  truncateLongValues?: boolean;
  /**
   * How long the final flush may take when the process is stopped by SIGINT or SIGTERM, or by
   * `Deno.exit()`/`process.exit()` while something is unsent: open runs are ended `KILLED`, what
   * can be sent is sent, what could not is reported on stderr by run, and then the process stops
   * (with the signal, or the exit code asked for). `0` or `false` installs no handlers for this
   * client. Only on Deno, Bun and Node; see the README's "Exit" for what each runtime allows.
   * @default {5000}
   *
   * @example Give a cancelled CI job 20 s to land what it logged
   * ```ts
   * import { createMlflow } from "@evalhooks/mlflow";
   *
   * const mlflow = createMlflow({ trackingUri: "http://127.0.0.1:5000", exitFlushMs: 20_000 });
   * ```
   */
  exitFlushMs?: number | false;
  /**
   * Tags that say where runs and traces come from, as Python's MLflow sets them, so the UI's
   * Source and User columns are filled: `mlflow.source.name` (the main script: Deno's main
   * module, or `argv[1]` on Bun and Node), `mlflow.source.type` (`LOCAL`) and `mlflow.user`
   * (`$USER`), where the runtime tells them (not on Workers). A record adds its tags on top, an
   * empty value removes one; the `./node` entry's `detectSourceTags()` adds git's commit, branch
   * and repository URL. They go on runs this client creates (tags given to `startRun` win) and
   * into the metadata of its traces. `false` sets none.
   * @default {true}
   *
   * @example Git tags from the file-system entry
   * ```ts
   * import { createMlflow } from "@evalhooks/mlflow";
   * import { detectSourceTags } from "@evalhooks/mlflow/node";
   *
   * const mlflow = createMlflow({
   *   trackingUri: "http://127.0.0.1:5000",
   *   sourceTags: await detectSourceTags(),
   * });
   * ```
   */
  sourceTags?: boolean | Record<string, string>;
  /**
   * Called for every failure that logging could not throw (it happens in the background) and for
   * truncation warnings. The default prints one concise `console.warn` line per distinct error.
   */
  onError?: (error: MlflowError) => void;
}

/**
 * What the client has sent so far, for logs, CLIs and benchmarks.
 *
 * @example
 * ```ts
 * import { createMlflow } from "@evalhooks/mlflow";
 *
 * const mlflow = createMlflow({ trackingUri: "http://127.0.0.1:5000" });
 * await mlflow.flush();
 * const { requests, dropped } = mlflow.stats();
 * console.log(`${requests} HTTP requests, ${dropped} items dropped`);
 * ```
 */
export interface MlflowStats {
  /** HTTP requests sent (each retry counts). */
  requests: number;
  /** Metrics, params and tags waiting to be sent. */
  queued: number;
  /** Estimated bytes of everything waiting to be sent (the `maxQueuedBytes` budget in use). */
  queuedBytes: number;
  /** Items dropped (queue full, or their run could not be created) since the last flush. */
  dropped: number;
  /** Logged so far, by kind (counted when accepted into the queue). */
  logged: {
    runs: number;
    metrics: number;
    params: number;
    tags: number;
    artifacts: number;
    traces: number;
    /** Datasets logged with `run.logInput`. */
    inputs: number;
  };
}

/**
 * The core client: starts runs, delivers what they log, traces, and reads back. Everything of
 * {@linkcode Mlflow} except `evaluate()`, which is built on this interface; write integrations
 * against it.
 *
 * @example
 * ```ts
 * import { createMlflow, type MlflowClient } from "@evalhooks/mlflow";
 *
 * function logAccuracy(mlflow: MlflowClient, accuracy: number): Promise<void> {
 *   return mlflow.run({ runName: "scored" }, (run) => {
 *     run.logMetric("accuracy", accuracy);
 *   });
 * }
 * const mlflow = createMlflow({ trackingUri: "http://127.0.0.1:5000", experimentName: "demo" });
 * await logAccuracy(mlflow, 0.75);
 * await mlflow.close();
 * ```
 */
export interface MlflowClient {
  /** The tracking URI, without credentials. */
  readonly trackingUri: string;
  /**
   * The source tags this client writes on runs and traces (`mlflow.source.*`, `mlflow.user`;
   * empty with `sourceTags: false`), for integrations that record them elsewhere, as `evaluate()`
   * does in its dataset's source.
   */
  readonly sourceTags: Readonly<Record<string, string>>;
  /** Starts a run and returns its handle at once; it is created in the background. */
  startRun(options?: StartRunOptions): Run;
  /**
   * Finds or creates the run of `options.key` and returns its handle at once, as `startRun`
   * does: writers in several processes that join one key write into one run, never twins. See
   * {@linkcode JoinRunOptions} and the README's "Scaling out".
   */
  joinRun(options: JoinRunOptions): JoinedRun;
  /** Runs `fn` in a new run, ended `FINISHED`, or `FAILED` if `fn` throws (the error is rethrown). */
  run<T>(options: StartRunOptions, fn: (run: Run) => Promise<T> | T): Promise<T>;
  /**
   * Resolves once everything logged before the call reached the server. Rejects with
   * {@linkcode MlflowFlushError} when anything failed for good since the previous flush.
   */
  flush(): Promise<void>;
  /**
   * Resolves once everything logged before the call has left the queue: on the server, or failed
   * for good (reported to `onError` and to the next `flush()`). Unlike `flush()` it neither sends
   * batches early nor rejects, so a progress display can follow delivery without changing it.
   */
  delivered(): Promise<void>;
  /**
   * Hands the flush to a serverless platform's `waitUntil` (Cloudflare's `ctx.waitUntil`,
   * Vercel's `waitUntil`) so the response is not held back; failures go to `onError`.
   */
  flushWith(waitUntil: (promise: Promise<unknown>) => void): void;
  /**
   * Backpressure: sends what is pending and resolves once fewer than `below` bytes wait to be
   * sent (default: half of `maxQueuedBytes`). A producer that awaits it between bursts never
   * has items dropped, whatever the server's speed.
   */
  drain(options?: { below?: number }): Promise<void>;
  /** Flushes, ends every open run `FINISHED`, and refuses further logging. */
  close(): Promise<void>;
  /** Reads a run (after its pending writes, when given a handle). */
  getRun(run: Run | string): Promise<RunData>;
  /** Every run matching the search, all pages read. */
  searchRuns(options: SearchRunsOptions): Promise<RunData[]>;
  /** Every point of one metric of a run, all pages read. */
  getMetricHistory(run: Run | string, key: string): Promise<MetricPoint[]>;
  /** Lists a run's artifacts under `path` (the root by default). */
  listArtifacts(run: Run | string, path?: string): Promise<ArtifactEntry[]>;
  /** Downloads one artifact's bytes. */
  downloadArtifact(run: Run | string, path: string): Promise<Uint8Array>;
  /**
   * Reads a table logged with `logTable` (or Python's `mlflow.log_table`): of one run, or of
   * several stacked with a `run_id` column, as `mlflow.load_table` does.
   */
  loadTable(runs: Run | string | readonly (Run | string)[], path: string): Promise<LoadedTable>;
  /** The experiment with that name, or `undefined`. */
  getExperimentByName(name: string): Promise<Experiment | undefined>;
  /** The experiment's id, creating the experiment if needed. */
  getOrCreateExperiment(name: string): Promise<string>;
  /** One experiment by id, deleted ones included (`RESOURCE_DOES_NOT_EXIST` if there is none). */
  getExperiment(experimentId: string): Promise<Experiment>;
  /** Every experiment matching the search, all pages read, as `mlflow.search_experiments`. */
  searchExperiments(options?: SearchExperimentsOptions): Promise<Experiment[]>;
  /**
   * Creates an experiment and resolves with its id. A name already taken rejects with
   * `RESOURCE_ALREADY_EXISTS`, even when our own retry met the experiment it had made (that one
   * is recognised by the id it carries, and resolves).
   */
  createExperiment(options: CreateExperimentOptions): Promise<string>;
  /** Moves an experiment and its runs to MLflow's trash (`restoreExperiment` undoes it). */
  deleteExperiment(experimentId: string): Promise<void>;
  /** Brings a deleted experiment and its runs back. */
  restoreExperiment(experimentId: string): Promise<void>;
  /** Sets an experiment tag (values up to 20,000 characters, never cut). */
  setExperimentTag(
    experimentId: string,
    key: string,
    value: string | number | boolean,
  ): Promise<void>;
  /** Sets several experiment tags; all are checked before any is sent. */
  setExperimentTags(
    experimentId: string,
    tags: Record<string, string | number | boolean>,
  ): Promise<void>;
  /** Moves a run to MLflow's trash, after its pending writes (`restoreRun` undoes it). */
  deleteRun(run: Run | string): Promise<void>;
  /** Brings a deleted run back. */
  restoreRun(run: Run | string): Promise<void>;
  /** The run's parent (`mlflow.parentRunId`), or `undefined` for a top-level run. */
  getParentRun(run: Run | string): Promise<RunData | undefined>;
  /** What has been sent so far. */
  stats(): MlflowStats;
  /**
   * Starts a trace and returns its root span. When the root ends, the trace (info, then spans)
   * is exported in the background; `flush()` waits for it.
   */
  startTrace(options: StartTraceOptions): Span;
  /** Runs `fn` in a span (a new trace, or a child of `options.parent`), capturing its result or error. */
  trace<T>(name: string, fn: (span: Span) => Promise<T> | T, options?: TraceFnOptions): Promise<T>;
  /** Logs feedback (a score) on a trace, as `mlflow.log_feedback` does. Returns at once. */
  logFeedback(options: FeedbackOptions): void;
  /** Logs an expectation (ground truth) on a trace. Returns at once. */
  logExpectation(options: ExpectationOptions): void;
  /** Reads a trace: its info (with assessments) and its spans. */
  getTrace(traceId: string): Promise<{ info: TraceInfo; spans: SpanData[] }>;
  /** Every trace matching the search, all pages read. */
  searchTraces(options: SearchTracesOptions): Promise<TraceInfo[]>;
  /**
   * Sets a tag on a logged trace (values up to 8,000 characters, never cut), as
   * `mlflow.set_trace_tag`. A trace of this client's still being sent is waited for; one still
   * open is refused (give its tags to `startTrace`).
   */
  setTraceTag(traceId: string, key: string, value: string): Promise<void>;
  /** Deletes a trace tag; one already absent counts as deleted. */
  deleteTraceTag(traceId: string, key: string): Promise<void>;
  /**
   * Deletes traces of an experiment: the listed ones, or all that started before
   * `maxTimestampMs` (at most `maxTraces`). Exactly one of the two must be given. Resolves with
   * the number the server deleted.
   */
  deleteTraces(options: DeleteTracesOptions): Promise<number>;
  /** Changes an assessment in place (name, value, rationale, metadata); returns it as stored. */
  updateAssessment(options: UpdateAssessmentOptions): Promise<Assessment>;
  /**
   * Corrects a feedback as a reviewer does: a new feedback that overrides it (the old one kept,
   * marked invalid), as `mlflow.override_feedback`. Returns the new feedback.
   */
  overrideFeedback(options: OverrideFeedbackOptions): Promise<Assessment>;
  /**
   * Creates a logged model: one version of an agent or model (MLflow's Agent versions), ready at
   * once (it has no artifacts: MLflow's "external" model), with the client's source tags.
   */
  createLoggedModel(options: CreateLoggedModelOptions): Promise<LoggedModel>;
  /** Reads a logged model, with the metrics linked to it. */
  getLoggedModel(modelId: string): Promise<LoggedModel>;
  /** Logged models of the experiments (the client's by default), newest first, pages followed. */
  searchLoggedModels(options?: SearchLoggedModelsOptions): Promise<LoggedModel[]>;
  /**
   * Makes a logged model active, as `mlflow.set_active_model`: by id, or the newest of a name in
   * the experiment (created if there is none). Traces exported from then on carry its id
   * (`mlflow.modelId`), and `evaluate()` links its run and scores to it. `null` clears it.
   */
  setActiveModel(options: ActiveModelOptions | null): Promise<LoggedModel | undefined>;
  /** The active logged model's id, if any. */
  activeModelId(): string | undefined;
  /** Registers a prompt version in MLflow's prompt registry. */
  registerPrompt(options: RegisterPromptOptions): Promise<Prompt>;
  /** Loads a prompt version: `prompts:/name/3`, `prompts:/name@alias`, or `{ name, version | alias }`. */
  loadPrompt(ref: PromptRef): Promise<Prompt>;
  /**
   * Creates an MLflow 3 evaluation dataset (`mlflow.genai.datasets.create_dataset`) in the
   * client's experiment or `experimentIds`, and returns its handle. Names are not unique: a
   * second dataset of a name is a new dataset (our own retry of a create is recognised, and
   * makes none).
   */
  createDataset(options: CreateDatasetOptions): Promise<EvaluationDataset>;
  /**
   * One evaluation dataset, by id (`d-…`), or by `{ name }` when exactly one dataset has that
   * name (as Python's `get_dataset(name=…)`); `RESOURCE_DOES_NOT_EXIST` for an unknown id.
   */
  getDataset(ref: string | { name: string }): Promise<EvaluationDataset>;
  /** Every evaluation dataset matching the search, all pages read. */
  searchDatasets(options?: SearchDatasetsOptions): Promise<EvaluationDataset[]>;
  /** Deletes an evaluation dataset and its records, for good (MLflow keeps no trash of them). */
  deleteDataset(datasetId: string): Promise<void>;
}
