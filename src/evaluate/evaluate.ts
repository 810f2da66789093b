// Copyright 2026 the evalhooks authors. MIT license.
// This module is browser compatible.

import type { MlflowClient } from "../client/types.ts";
import { prepareDatasetInput } from "../client/dataset_input.ts";
import { logAggregates } from "./aggregate.ts";
import { evalDataset } from "./dataset.ts";
import { isEvaluationDataset } from "../client/genai_datasets.ts";
import { readManagedData } from "./managed_dataset.ts";
import { lineageTags } from "./lineage.ts";
import { evaluateRow } from "./row.ts";
import type { EvalRow, EvaluateOptions, EvaluateResult, RowResult } from "./types.ts";

export type { EvalRow, EvaluateOptions, EvaluateResult, RowResult, RowScore } from "./types.ts";

/**
 * Runs an evaluation through any client: `mlflow.evaluate(options)` is `evaluate(mlflow,
 * options)`. See `Mlflow.evaluate`.
 *
 * @example
 * ```ts
 * import { createMlflow } from "@evalhooks/mlflow";
 * import { evaluate, exactMatch } from "@evalhooks/mlflow/evaluate";
 *
 * const mlflow = createMlflow({ trackingUri: "http://127.0.0.1:5000" });
 * const { metrics } = await evaluate(mlflow, {
 *   data: [{ inputs: "a", outputs: "a", expectations: "a" }],
 *   scorers: [exactMatch()],
 * });
 * ```
 */
export async function evaluate(
  mlflow: MlflowClient,
  options: EvaluateOptions,
): Promise<EvaluateResult> {
  const concurrency = options.concurrency ?? 4;
  if (!Number.isInteger(concurrency) || concurrency < 1) {
    throw new RangeError(`concurrency must be a positive integer: current value is ${concurrency}`);
  }
  if (!options.scorers?.length) throw new TypeError("evaluate: give at least one scorer");
  // A bad `dataset` option throws here, before any row runs (the rows only add digest and size).
  if (options.dataset !== false) prepareDatasetInput(evalDataset([], options.dataset), "evaluate");
  // An MLflow evaluation dataset: its records are the rows, and the run links to it (read
  // before the run starts, so a missing dataset makes no run).
  const managed = isEvaluationDataset(options.data)
    ? await readManagedData(mlflow, options.data, options.dataset || undefined)
    : undefined;
  const data = managed ? managed.rows : options.data as Iterable<EvalRow> | AsyncIterable<EvalRow>;
  // The tags that make it an evaluation run to MLflow's GenAI views (lineage.ts).
  const run = mlflow.startRun({
    experimentName: options.experimentName,
    runName: options.runName,
    tags: lineageTags(options.predict, options.scorers),
  });
  // The agent version under evaluation: the run, its traces and its scores are linked to it.
  const modelId = options.modelId ?? mlflow.activeModelId();
  if (modelId !== undefined) run.linkModel(modelId);
  const rows: RowResult[] = [];
  const given: EvalRow[] = [];
  const iterator =
    (Symbol.asyncIterator in data
      ? (data as AsyncIterable<EvalRow>)[Symbol.asyncIterator]()
      : (data as Iterable<EvalRow>)[Symbol.iterator]()) as
        | AsyncIterator<EvalRow>
        | Iterator<EvalRow>;
  let index = 0;
  let done = 0;
  // One reader at a time: iterators are not safe to call concurrently.
  let reading = Promise.resolve();
  const nextRow = () => {
    const result = reading.then(() => iterator.next());
    reading = result.then(() => {}, () => {});
    return result;
  };

  await Promise.all(Array.from({ length: concurrency }, async () => {
    for (;;) {
      if (options.signal?.aborted) return;
      const next = await nextRow();
      if (next.done) return;
      const i = index++;
      given[i] = next.value;
      rows[i] = await evaluateRow(mlflow, run, { ...options, modelId }, next.value, i);
      options.onProgress?.(++done);
    }
  }));

  // The rows as a dataset input of the run (the run page's Datasets, with their digest and count).
  if (options.dataset !== false) {
    run.logInput(managed?.input ?? evalDataset(given, options.dataset, mlflow.sourceTags));
  }
  const metrics = logAggregates(run, rows, modelId);
  // The run's own writes and its end are delivered before returning; traces and feedback go on
  // in the background (flush() waits for them).
  await run.end(options.signal?.aborted ? "KILLED" : "FINISHED");
  return { runId: (await run.info()).runId, metrics, rows };
}
