// Copyright 2026 the evalhooks authors. MIT license.

/**
 * Final states of a run, as MLflow names them.
 *
 * @example End a run as killed when the eval is cancelled
 * ```ts
 * import { createMlflow, type RunStatus } from "@evalhooks/mlflow";
 *
 * const mlflow = createMlflow({ trackingUri: "http://127.0.0.1:5000" });
 * const run = mlflow.startRun({ runName: "cancellable" });
 * const status: RunStatus = "KILLED";
 * run.end(status);
 * ```
 */
export type RunStatus = "RUNNING" | "SCHEDULED" | "FINISHED" | "FAILED" | "KILLED";

/**
 * What the server says about a run once it exists.
 *
 * @example
 * ```ts
 * import { createMlflow } from "@evalhooks/mlflow";
 *
 * const mlflow = createMlflow({ trackingUri: "http://127.0.0.1:5000" });
 * const run = mlflow.startRun({ runName: "info" });
 * const info = await run.info();
 * console.log(`${mlflow.trackingUri}/#/experiments/${info.experimentId}/runs/${info.runId}`);
 * ```
 */
export interface RunInfo {
  /** Run id. */
  runId: string;
  /** Experiment id. */
  experimentId: string;
  /** Run name. */
  runName: string;
  /** Where its artifacts live, e.g. `mlflow-artifacts:/1/<run id>/artifacts`. */
  artifactUri: string;
  /** Status when it was read. */
  status: RunStatus;
  /** Start time, ms since the epoch. */
  startTime: number;
  /** End time, once ended. */
  endTime?: number;
  /** `active`, or `deleted` once the run is in the trash (when the server says). */
  lifecycleStage?: "active" | "deleted";
}

/**
 * One point of a metric's history.
 *
 * @example
 * ```ts
 * import { createMlflow } from "@evalhooks/mlflow";
 *
 * const mlflow = createMlflow({ trackingUri: "http://127.0.0.1:5000" });
 * const points = await mlflow.getMetricHistory("<run id>", "loss");
 * for (const point of points) console.log(point.step, point.value);
 * ```
 */
export interface MetricPoint {
  /** Metric key. */
  key: string;
  /** Value (the server gives NaN back as NaN, and ±Infinity as ±1.7976931348623157e308). */
  value: number;
  /** ms since the epoch. */
  timestamp: number;
  /** Step. */
  step: number;
}

/**
 * A run as read back from the server.
 *
 * @example
 * ```ts
 * import { createMlflow } from "@evalhooks/mlflow";
 *
 * const mlflow = createMlflow({ trackingUri: "http://127.0.0.1:5000" });
 * const data = await mlflow.getRun("<run id>");
 * console.log(data.info.status, data.params.model, data.metrics.accuracy, data.tags["mlflow.runName"]);
 * ```
 */
export interface RunData {
  /** Its info. */
  info: RunInfo;
  /** Latest value of each metric. */
  metrics: Record<string, number>;
  /** Params. */
  params: Record<string, string>;
  /** Tags (including MLflow's own, such as `mlflow.runName`). */
  tags: Record<string, string>;
  /** Datasets logged as the run's inputs (`run.logInput`, or Python's `mlflow.log_input`). */
  datasets: RunDataset[];
}

/**
 * A dataset input of a run, as read back: the fields as the server stores them (source, schema
 * and profile are JSON text), the context apart from the other input tags.
 *
 * @example
 * ```ts
 * import { createMlflow } from "@evalhooks/mlflow";
 *
 * const mlflow = createMlflow({ trackingUri: "http://127.0.0.1:5000" });
 * const { datasets } = await mlflow.getRun("<run id>");
 * for (const d of datasets) console.log(d.name, d.digest, d.context, JSON.parse(d.source));
 * ```
 */
export interface RunDataset {
  /** Name. */
  name: string;
  /** Digest: with the name, the dataset's identity within its experiment. */
  digest: string;
  /** Source type, e.g. `http`, `local`, `s3`, `code`. */
  sourceType: string;
  /** Source as JSON text, e.g. `{"url": "https://…"}` or `{"uri": "s3://…"}`. */
  source: string;
  /** Schema as stored (MLflow's is `{"mlflow_colspec": […]}`), when there is one. */
  schema?: string;
  /** Profile as stored (e.g. `{"num_rows": 120}`), when there is one. */
  profile?: string;
  /** The input tag `mlflow.data.context` (`eval`, `training`, …), when set. */
  context?: string;
  /** The other input tags. */
  tags: Record<string, string>;
}

/**
 * An experiment.
 *
 * @example
 * ```ts
 * import { createMlflow } from "@evalhooks/mlflow";
 *
 * const mlflow = createMlflow({ trackingUri: "http://127.0.0.1:5000" });
 * const experiment = await mlflow.getExperimentByName("qa-evals");
 * if (experiment) console.log(experiment.experimentId, experiment.artifactLocation);
 * ```
 */
export interface Experiment {
  /** Experiment id. */
  experimentId: string;
  /** Name. */
  name: string;
  /** Where its runs' artifacts go. */
  artifactLocation: string;
  /** `active` or `deleted`. */
  lifecycleStage: string;
  /** Experiment tags. */
  tags: Record<string, string>;
  /** When it was created, ms since the epoch (when the server says). */
  creationTime?: number;
  /** When it last changed, ms since the epoch (when the server says). */
  lastUpdateTime?: number;
}

/**
 * A file or folder under a run's artifacts.
 *
 * @example
 * ```ts
 * import { createMlflow } from "@evalhooks/mlflow";
 *
 * const mlflow = createMlflow({ trackingUri: "http://127.0.0.1:5000" });
 * for (const entry of await mlflow.listArtifacts("<run id>", "inspect")) {
 *   console.log(entry.isDir ? "dir " : "file", entry.path, entry.fileSize ?? "");
 * }
 * ```
 */
export interface ArtifactEntry {
  /** Path relative to the run's artifact root. */
  path: string;
  /** True for a folder. */
  isDir: boolean;
  /** Size in bytes, for files. */
  fileSize?: number;
}

/**
 * Options of `searchRuns`.
 *
 * @example
 * ```ts
 * import { createMlflow } from "@evalhooks/mlflow";
 *
 * const mlflow = createMlflow({ trackingUri: "http://127.0.0.1:5000" });
 * const runs = await mlflow.searchRuns({
 *   experimentIds: ["1"],
 *   filter: "tags.inspect.task = 'security_guide' and attributes.status = 'FINISHED'",
 *   orderBy: ["attributes.start_time DESC"],
 *   maxResults: 10,
 * });
 * ```
 */
export interface SearchRunsOptions {
  /** Experiments to search. */
  experimentIds: string[];
  /** MLflow search filter, e.g. `tags.inspect.eval_id = 'abc'`. */
  filter?: string;
  /** e.g. `["attributes.start_time DESC"]`. */
  orderBy?: string[];
  /** Stop after this many runs (every page is read otherwise). */
  maxResults?: number;
  /** `ACTIVE_ONLY` (default), `DELETED_ONLY` or `ALL`. */
  runViewType?: "ACTIVE_ONLY" | "DELETED_ONLY" | "ALL";
}

/**
 * Options of `searchExperiments`.
 *
 * @example The ten newest experiments of one team, deleted ones included
 * ```ts
 * import { createMlflow } from "@evalhooks/mlflow";
 *
 * const mlflow = createMlflow({ trackingUri: "http://127.0.0.1:5000" });
 * const experiments = await mlflow.searchExperiments({
 *   filter: "tags.team = 'evals' AND name LIKE 'qa-%'",
 *   orderBy: ["creation_time DESC"],
 *   viewType: "ALL",
 *   maxResults: 10,
 * });
 * ```
 */
export interface SearchExperimentsOptions {
  /** MLflow search filter over `name`, `tags.<key>`, `creation_time`, `last_update_time`. */
  filter?: string;
  /** e.g. `["name ASC"]` or `["last_update_time DESC"]`. */
  orderBy?: readonly string[];
  /** `ACTIVE_ONLY` (default), `DELETED_ONLY` or `ALL`. */
  viewType?: "ACTIVE_ONLY" | "DELETED_ONLY" | "ALL";
  /** Stop after this many experiments (every page is read otherwise). */
  maxResults?: number;
}

/**
 * Options of `createExperiment`.
 *
 * @example
 * ```ts
 * import { createMlflow } from "@evalhooks/mlflow";
 *
 * const mlflow = createMlflow({ trackingUri: "http://127.0.0.1:5000" });
 * const experimentId = await mlflow.createExperiment({
 *   name: "qa-evals/2026-12",
 *   tags: { team: "evals" },
 * });
 * ```
 */
export interface CreateExperimentOptions {
  /** A name no other experiment has (at most 500 characters). */
  name: string;
  /** Experiment tags. */
  tags?: Record<string, string | number | boolean>;
  /** Where its runs' artifacts go. @default {the server's artifact root} */
  artifactLocation?: string;
}
