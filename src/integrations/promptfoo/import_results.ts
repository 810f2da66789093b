// Copyright 2026 the evalhooks authors. MIT license.
// This module is browser compatible.

// A promptfoo eval as MLflow runs: one parent per eval (found again by its eval id, so a
// re-import is skipped), one child run per provider, one trace per result. Web-only: it takes
// the parsed JSON, so a Worker can import a results file it was posted.

import { MlflowFlushError } from "../../base/errors.ts";
import { readEnv } from "../../client/env.ts";
import type { MlflowClient, Run } from "../../client/types.ts";
import { EVAL_ID_TAG, parentTagsOf } from "./parent_tags.ts";
import { importProvider, type PromptfooProviderRun } from "./provider_run.ts";
import { readPromptfooResults } from "./read.ts";
import type { PromptfooOutputFile } from "./types.ts";

/**
 * Options of {@linkcode importPromptfooResults}.
 *
 * @example
 * ```ts
 * import type { PromptfooImportOptions } from "@evalhooks/mlflow/promptfoo";
 *
 * const options: PromptfooImportOptions = { experimentName: "prompt-evals", force: false };
 * ```
 */
export interface PromptfooImportOptions {
  /** Experiment. @default {env MLFLOW_EXPERIMENT_NAME, else "promptfoo"} */
  experimentName?: string;
  /** Import even if the eval id is already in the experiment, into new runs. @default {false} */
  force?: boolean;
  /** One trace per result, with the verdicts as feedback. @default {true} */
  traces?: boolean;
}

/**
 * What an import did.
 *
 * @example
 * ```ts
 * import type { PromptfooImportResult } from "@evalhooks/mlflow/promptfoo";
 *
 * function summary(r: PromptfooImportResult): string {
 *   return `${r.status} ${r.evalId}: ${r.runs.length} providers, ${r.traces} traces`;
 * }
 * ```
 */
export interface PromptfooImportResult {
  /** `imported`, `skipped` (the eval id is already there), or `failed` (writes were refused). */
  status: "imported" | "skipped" | "failed";
  /** Why it was skipped or failed. */
  reason?: string;
  /** The eval id. */
  evalId: string;
  /** The parent run (the existing one, when skipped). */
  parentRunId?: string;
  /** One per provider: its run, result count and metrics. */
  runs: PromptfooProviderRun[];
  /** Traces made. */
  traces: number;
}

/**
 * Imports a promptfoo results file (the JSON `promptfoo eval -o results.json` writes, already
 * parsed) into MLflow: a parent run for the eval (named after its eval id, tagged
 * `promptfoo.eval_id`), under it one run per provider (named after its label, else its id) with
 * the provider's config and prompts as params, and one trace per result: the test's vars as
 * request, the output as response, each assertion as feedback (named after its `metric`, else
 * its type; pass/fail, or the score of a named metric; the reason as rationale), and the test
 * case's `success` and `score`. Each provider run gets `<name>/mean` for every feedback name,
 * the `eval.*` tags, `eval_results.json` and token usage and cost, as `evaluate()` and the LLM
 * autologging name them. An eval id already in the experiment is skipped (`force` imports it
 * again). Throws a TypeError when `results` is not a promptfoo results file.
 *
 * @example Import a results file a Worker was posted
 * ```ts
 * import { createMlflow } from "@evalhooks/mlflow";
 * import { importPromptfooResults } from "@evalhooks/mlflow/promptfoo";
 *
 * export default {
 *   async fetch(request: Request): Promise<Response> {
 *     const mlflow = createMlflow({ trackingUri: "https://mlflow.example.com" });
 *     const result = await importPromptfooResults(mlflow, await request.json());
 *     await mlflow.close();
 *     return Response.json(result);
 *   },
 * };
 * ```
 */
export async function importPromptfooResults(
  mlflow: MlflowClient,
  results: PromptfooOutputFile | unknown,
  options: PromptfooImportOptions = {},
): Promise<PromptfooImportResult> {
  const read = readPromptfooResults(results);
  const file = results as PromptfooOutputFile;
  const evalId = read.evalId;
  const experimentName = options.experimentName ?? readEnv("MLFLOW_EXPERIMENT_NAME") ??
    "promptfoo";
  const experimentId = await mlflow.getOrCreateExperiment(experimentName);
  if (!options.force) {
    const existing = await mlflow.searchRuns({
      experimentIds: [experimentId],
      filter: `tags.\`${EVAL_ID_TAG}\` = '${evalId.replace(/\\/g, "\\\\").replace(/'/g, "\\'")}'`,
    });
    if (existing.length > 0) {
      const parent = existing.find((r) => !r.tags["mlflow.parentRunId"]) ?? existing[0];
      return {
        status: "skipped",
        reason: `already imported (run ${parent.info.runId}); force re-imports`,
        evalId,
        parentRunId: parent.info.runId,
        runs: [],
        traces: 0,
      };
    }
  }
  const stats = file.results.stats ?? {};
  const endTime = read.startTime !== undefined && read.durationMs !== undefined
    ? read.startTime + read.durationMs
    : undefined;
  // Joined by the eval id, so two importers of one file at the same time make one parent: the
  // one that created it imports, the other skips. (force makes a new one, as asked.)
  const parentOptions = {
    experimentId,
    runName: evalId,
    startTime: read.startTime,
    description: read.description,
    tags: parentTagsOf({
      evalId,
      providers: read.providers.map((p) => p.key),
      rows: file.results.results.length,
      stats,
      version: file.metadata?.promptfooVersion ? String(file.metadata.promptfooVersion) : undefined,
      shareableUrl: typeof file.shareableUrl === "string" ? file.shareableUrl : undefined,
    }),
  };
  let parent: Run;
  if (options.force) parent = mlflow.startRun(parentOptions);
  else {
    const joined = mlflow.joinRun({ ...parentOptions, key: `promptfoo:${evalId}` });
    if (!(await joined.created)) {
      const parentRunId = await joined.info().then((i) => i.runId, () => undefined);
      await joined.leave();
      return {
        status: parentRunId === undefined ? "failed" : "skipped",
        reason: parentRunId === undefined
          ? "the eval's parent run could not be made"
          : `already imported, or being imported by another process (run ${parentRunId})`,
        evalId,
        parentRunId,
        runs: [],
        traces: 0,
      };
    }
    parent = joined;
  }
  if (file.config) parent.logJson(file.config, "promptfoo_config.json");
  const runs: PromptfooProviderRun[] = [];
  let failure: unknown;
  try {
    for (const group of read.providers) {
      runs.push(
        await importProvider(mlflow, {
          parent,
          experimentId,
          evalId,
          startTime: read.startTime,
          endTime,
          traces: options.traces ?? true,
        }, group),
      );
    }
  } catch (error) {
    failure = error;
  }
  await parent.end(failure === undefined ? "FINISHED" : "FAILED", { endTime });
  const parentRunId = (await parent.info()).runId;
  const traces = options.traces === false ? 0 : runs.reduce((n, r) => n + r.cases, 0);
  try {
    // Traces and feedback go on in the background: the import is done when they are there.
    await mlflow.flush();
  } catch (error) {
    if (!(error instanceof MlflowFlushError)) throw error;
    failure ??= error;
  }
  if (failure !== undefined) {
    return {
      status: "failed",
      reason: failure instanceof Error ? failure.message : String(failure),
      evalId,
      parentRunId,
      runs,
      traces,
    };
  }
  return { status: "imported", evalId, parentRunId, runs, traces };
}
