// Copyright 2026 the evalhooks authors. MIT license.
// This module is browser compatible.

// The run handle's types. Apart from types.ts so that trace_types.ts can name a Run without a
// cycle (types.ts names the trace types).

import type { RunInfo, RunStatus } from "../store/types.ts";
import type { DatasetInput } from "./dataset_types.ts";

/**
 * Options of `startRun`.
 *
 * @example
 * ```ts
 * import { createMlflow, type StartRunOptions } from "@evalhooks/mlflow";
 *
 * const mlflow = createMlflow({ trackingUri: "http://127.0.0.1:5000" });
 * const options: StartRunOptions = {
 *   experimentName: "qa-evals",
 *   runName: "gpt-4o-mini / run 3",
 *   tags: { suite: "qa" },
 *   description: "Nightly QA eval",
 * };
 * const run = mlflow.startRun(options);
 * ```
 */
export interface StartRunOptions {
  /** Experiment by name (got or created). Defaults to the client's. */
  experimentName?: string;
  /** Experiment by id; wins over `experimentName`. */
  experimentId?: string;
  /** Run name; the server picks one when absent. */
  runName?: string;
  /** Tags set when the run is created. */
  tags?: Record<string, string>;
  /** Parent run (handle or id): makes this a nested run (`mlflow.parentRunId`). */
  parent?: Run | string;
  /** Run description (tag `mlflow.note.content`, shown in MLflow's UI). */
  description?: string;
  /** Start time in ms since the epoch (for importing past runs). @default {Date.now()} */
  startTime?: number;
  /**
   * Continue an existing run instead of creating one, as Python's `mlflow.start_run(run_id=…)`
   * does: nothing is created, the run is marked `RUNNING` again (and renamed if `runName` is
   * given), `tags` and `description` are set on it, writes go to it, and `end()` sets its status
   * and end time. `parent` and `startTime` cannot be combined with it; `experimentId` or
   * `experimentName`, if given, must be the run's. A deleted or missing run is reported like a
   * run that could not be created.
   *
   * @example Finish in a second CI job what the first one started
   * ```ts
   * import { createMlflow } from "@evalhooks/mlflow";
   *
   * const mlflow = createMlflow({ trackingUri: "http://127.0.0.1:5000" });
   * const run = mlflow.startRun({ runId: "0f6c1e2d3b4a59687766554433221100" });
   * run.logMetric("judge/accuracy", 0.91);
   * await run.end("FINISHED");
   * ```
   */
  runId?: string;
}

/**
 * Step and timestamp of a metric.
 *
 * @example
 * ```ts
 * import { createMlflow } from "@evalhooks/mlflow";
 *
 * const mlflow = createMlflow({ trackingUri: "http://127.0.0.1:5000" });
 * const run = mlflow.startRun();
 * run.logMetric("accuracy", 0.82, { step: 3, timestamp: Date.parse("2026-01-01T00:00:00Z") });
 * ```
 */
export interface MetricOptions {
  /** Step. @default {0} */
  step?: number;
  /** Timestamp in ms since the epoch. @default {Date.now() at the call} */
  timestamp?: number;
  /**
   * The logged model (agent version) the value measures: MLflow links the metric to it, so the
   * Agent versions view shows it beside the version.
   */
  modelId?: string;
}

/**
 * A table for `logTable`: MLflow's split form, or rows as objects.
 *
 * @example Both forms
 * ```ts
 * import { createMlflow, type Table } from "@evalhooks/mlflow";
 *
 * const mlflow = createMlflow({ trackingUri: "http://127.0.0.1:5000" });
 * const run = mlflow.startRun();
 * const split: Table = { columns: ["question", "answer"], data: [["2+2?", "4"]] };
 * const rows: Table = [{ question: "2+2?", answer: "4", correct: true }];
 * run.logTable(split, "split.json").logTable(rows, "rows.json");
 * ```
 */
export type Table =
  | { columns: readonly string[]; data: readonly (readonly unknown[])[] }
  | readonly Record<string, unknown>[];

/**
 * A run. Every logging method returns at once (the run is created, and writes are sent, in the
 * background, in order) and never throws for server-side failures: those go to `onError` and to
 * `flush()`. Input the client can judge by itself throws {@linkcode MlflowValidationError} at the
 * call.
 *
 * @example
 * ```ts
 * import { createMlflow } from "@evalhooks/mlflow";
 *
 * const mlflow = createMlflow({ trackingUri: "http://127.0.0.1:5000" });
 * const run = mlflow.startRun({ runName: "eval" });
 * run.logParams({ model: "gpt-4o-mini" })
 *   .logMetric("accuracy", 0.9)
 *   .setTag("suite", "qa")
 *   .logJson({ prompt: "Answer briefly." }, "config/prompt.json");
 * const task = run.startChildRun({ runName: "task-1" });
 * task.end();
 * run.end();
 * await mlflow.flush();
 * ```
 */
export interface Run {
  /** The run's id, experiment and artifact URI, once the server created it. */
  info(): Promise<RunInfo>;
  /** Logs a param. The same key again with the same value is fine; another value throws. */
  logParam(key: string, value: string | number | boolean): Run;
  /** Logs several params. */
  logParams(params: Record<string, string | number | boolean>): Run;
  /** Logs a metric point. NaN and ±Infinity are kept. */
  logMetric(key: string, value: number, options?: MetricOptions): Run;
  /** Logs several metrics at one step and timestamp. */
  logMetrics(metrics: Record<string, number>, options?: MetricOptions): Run;
  /** Sets a tag (the last value wins). */
  setTag(key: string, value: string | number | boolean): Run;
  /** Sets several tags. */
  setTags(tags: Record<string, string | number | boolean>): Run;
  /**
   * Deletes a tag, in order with the run's other writes: a value set before the call is not
   * kept, one set after it is. Deleting a tag the run does not have is not an error: the run
   * ends up without it either way.
   *
   * @example Drop a tag that a retried job set too early
   * ```ts
   * import { createMlflow } from "@evalhooks/mlflow";
   *
   * const mlflow = createMlflow({ trackingUri: "http://127.0.0.1:5000" });
   * const run = mlflow.startRun({ runId: "<run id>" });
   * run.deleteTag("ci.retry");
   * await mlflow.flush();
   * ```
   */
  deleteTag(key: string): Run;
  /** Uploads `text` as a UTF-8 artifact at `path`. */
  logText(text: string, path: string): Run;
  /** Uploads `value` as JSON at `path`. Throws for values JSON cannot hold (cycles, bigint). */
  logJson(value: unknown, path: string): Run;
  /**
   * `logJson` under the name Python users know (`mlflow.log_dict`); a `.json` path is written
   * as JSON. (YAML, which Python writes for `.yaml` paths, is not offered: it would need a
   * dependency.)
   *
   * @example
   * ```ts
   * import { createMlflow } from "@evalhooks/mlflow";
   *
   * const mlflow = createMlflow({ trackingUri: "http://127.0.0.1:5000" });
   * mlflow.startRun().logDict({ temperature: 0.2, stop: ["\n\n"] }, "config/generation.json");
   * ```
   */
  logDict(value: Record<string, unknown> | unknown[], path: string): Run;
  /** Uploads bytes, a Blob or a string as an artifact at `path`. */
  logArtifact(
    content: Uint8Array | Blob | string,
    path: string,
    options?: { contentType?: string },
  ): Run;
  /** Uploads a table as MLflow's split JSON and records it so MLflow's UI shows it as a table. */
  logTable(table: Table, path: string): Run;
  /**
   * Logs a PNG or JPEG image, as Python's `mlflow.log_image` does.
   *
   * - With `{ key, step?, timestamp? }` it is one step of an image series, stored the way MLflow
   *   3 stores it, so the run's Model metrics view shows an image card with a step slider:
   *   `images/<key>+step+<step>+timestamp+<ms>+<uuid>.png` and its thumbnail
   *   `…+compressed.png`, and the run tag `mlflow.loggedImages`. The key is ASCII letters,
   *   digits, `_ - . /` and space (Python's rule; `/` is stored as `~`); `step` is an integer ≥ 0
   *   (default 0); `timestamp` whole ms ≥ 0 (default now).
   * - With a path it is uploaded there (Python's `artifact_file=`); the extension must match the
   *   bytes (`.png`, or `.jpg`/`.jpeg`), and the file may not sit directly in `images/` (the UI
   *   reads every file there as a series image).
   *
   * The bytes are uploaded as they are: the client has no image codec, so the thumbnail is the
   * image itself (Python writes a 256-pixel WebP; MLflow's UI shows either). A `Uint8Array` is
   * checked by its signature, a `Blob` by its `type` (one without a type is taken as it is,
   * since reading it would need a promise). Anything else throws
   * {@linkcode MlflowValidationError} (`rule`: `image_format`, `value_type`, `key_chars`,
   * `key_length`, `step`, `timestamp` or `artifact_path`) before anything is queued.
   *
   * @example A sample's chart at each epoch, and one figure at a path
   * ```ts
   * import { createMlflow } from "@evalhooks/mlflow";
   *
   * const mlflow = createMlflow({ trackingUri: "http://127.0.0.1:5000" });
   * const run = mlflow.startRun({ runName: "vision-eval" });
   * for (const step of [0, 1, 2]) {
   *   const png = await Deno.readFile(`out/attention-${step}.png`);
   *   run.logImage(png, { key: "attention/sample-7", step });
   * }
   * const chart = await (await fetch("https://example.com/confusion.png")).blob(); // image/png
   * run.logImage(chart, "figures/confusion.png");
   * await run.end();
   * ```
   */
  logImage(
    image: Uint8Array | Blob,
    target: string | { key: string; step?: number; timestamp?: number },
  ): Run;
  /**
   * Uploads `llm_predictions.csv` (columns inputs, outputs, prompts), as MLflow's
   * `mlflow.llm.log_predictions` writes it. The arrays must be of equal length; non-string
   * values are written as JSON, and CSV quoting keeps commas, quotes and line breaks intact.
   */
  logPredictions(predictions: { inputs: unknown[]; outputs: unknown[]; prompts?: unknown[] }): Run;
  /**
   * Logs a dataset the run used, over `runs/log-inputs`, as Python's `mlflow.log_input` does:
   * MLflow's run page lists it under Datasets with its source, schema and profile, and
   * `getRun(...).datasets` (Python: `get_run(...).inputs.dataset_inputs`) returns it. The dataset
   * is checked at the call (each field against the server's limits, text well-formed) and throws
   * {@linkcode MlflowValidationError} naming the field and the rule; it is then sent in order
   * with the run's other writes. The digest, computed at the call when not given, makes the
   * dataset's identity: logging the same name and digest again, or a retried request, adds
   * nothing on the server.
   *
   * @example The eval set a run scored, with its context
   * ```ts
   * import { createMlflow } from "@evalhooks/mlflow";
   *
   * const mlflow = createMlflow({ trackingUri: "http://127.0.0.1:5000" });
   * const run = mlflow.startRun({ runName: "qa / gpt-4o-mini" });
   * run.logInput({
   *   name: "qa-golden",
   *   source: "https://example.com/evals/qa-golden-v3.jsonl",
   *   profile: { num_rows: 120 },
   *   context: "eval",
   * });
   * await run.end();
   * ```
   */
  logInput(dataset: DatasetInput): Run;
  /**
   * Records a logged model as one of the run's inputs (`runs/log-inputs` models), as
   * `mlflow.genai.evaluate(model_id=…)` does, so the Agent versions view lists the run under
   * that version. Returns at once.
   *
   * @example
   * ```ts
   * import { createMlflow } from "@evalhooks/mlflow";
   *
   * const mlflow = createMlflow({ trackingUri: "http://127.0.0.1:5000" });
   * const agent = await mlflow.setActiveModel({ name: "support-agent-v3" });
   * mlflow.startRun({ runName: "offline eval" }).linkModel(agent!.modelId)
   *   .logMetric("correctness/mean", 0.8, { modelId: agent!.modelId })
   *   .end();
   * ```
   */
  linkModel(modelId: string): Run;
  /** Starts a run nested under this one. */
  startChildRun(options?: Omit<StartRunOptions, "parent">): Run;
  /**
   * Ends the run once everything logged before has been sent. The promise resolves when the end
   * reached the server (or failed for good, reported); it never rejects, and need not be awaited.
   */
  end(status?: RunStatus, options?: { endTime?: number }): Promise<void>;
  /** Ends the run `FINISHED` and waits for it, for `await using run = mlflow.startRun()`. */
  [Symbol.asyncDispose](): Promise<void>;
}

/**
 * Options of `joinRun`: one run shared by several writers (shards), found or created by a key.
 *
 * @example Eight CI jobs, one run
 * ```ts
 * import { createMlflow, type JoinRunOptions } from "@evalhooks/mlflow";
 *
 * const mlflow = createMlflow({ trackingUri: "http://127.0.0.1:5000", experimentName: "qa" });
 * const options: JoinRunOptions = { key: "nightly-2026-12-06", shards: 8, runName: "nightly" };
 * const run = mlflow.joinRun(options);
 * ```
 */
export interface JoinRunOptions {
  /**
   * What makes writers join the same run: every `joinRun` with this key (in this experiment,
   * under this parent) gets the same run, whichever process called first. An eval's id, a CI
   * pipeline id, a date.
   */
  key: string;
  /**
   * How many shards will end the run: it stays `RUNNING` until this many differently named
   * shards have ended. Without it, the run ends whenever every shard that joined so far has
   * ended (one that joins later reopens it).
   */
  shards?: number;
  /**
   * This writer's name among the shards (its index, a job id). A shard that runs again under the
   * same name replaces its earlier end, so a retried CI job counts once.
   * @default {a random name}
   */
  shard?: string | number;
  /** Experiment by name (got or created). Defaults to the client's. */
  experimentName?: string;
  /** Experiment by id; wins over `experimentName`. */
  experimentId?: string;
  /** Run name (set by whoever creates the run; a joiner's renames it to the same). */
  runName?: string;
  /** Parent run (handle or id): the key is looked up among this parent's children. */
  parent?: Run | string;
  /** Tags every shard sets on the run (the last write wins, so give them the same values). */
  tags?: Record<string, string>;
  /** Start time of the run, if this writer creates it. @default {Date.now()} */
  startTime?: number;
  /** Run description (tag `mlflow.note.content`). */
  description?: string;
  /**
   * Called once, by the shard whose end completes the run, before the run's status is set: the
   * metrics it returns are logged on the run at step 0 and the run's end time. Compute
   * aggregates over every shard's points here (e.g. an accuracy from the `sample/*` history).
   */
  summarize?: (
    runId: string,
  ) => Promise<Record<string, number> | void> | Record<string, number> | void;
  /**
   * Milliseconds a winning writer waits for rivals before confirming the run it created.
   * @default {three of its own round trips, between 150 ms and 1 s}
   */
  settleMs?: number;
}

/**
 * A run joined with `joinRun`: a {@linkcode Run} whose `end()` ends this shard; the run itself
 * ends with its last shard (see {@linkcode JoinRunOptions.shards}) or at `finalize()`.
 *
 * @example End a shard, or close the run for everyone
 * ```ts
 * import { createMlflow } from "@evalhooks/mlflow";
 *
 * const mlflow = createMlflow({ trackingUri: "http://127.0.0.1:5000" });
 * const run = mlflow.joinRun({ key: "eval-42", shard: 3 });
 * run.logMetric("sample/match", 1, { step: 1_234 }); // a step unique across shards
 * console.log(await run.created); // true in the one process that made the run
 * await run.end(); // this shard is done
 * await run.finalize(); // or: end the run now, whatever other shards do
 * ```
 */
export interface JoinedRun extends Run {
  /** Resolves true in the writer that created the run, false in those that joined it. */
  readonly created: Promise<boolean>;
  /**
   * Ends the run now (after this shard's writes): `FAILED` if an ended shard failed, `KILLED`
   * if one was killed, else `FINISHED`, at the latest shard end; `summarize` runs first.
   * Resolves with the status set.
   */
  finalize(): Promise<RunStatus>;
  /**
   * Stops being a shard without ending anything: this shard's tag is removed, so the run's end
   * no longer waits for it, and the handle is done. For a writer that joined to find out whether
   * it should write (`created` false: someone else does) and decides not to.
   */
  leave(): Promise<void>;
}
