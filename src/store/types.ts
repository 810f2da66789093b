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
