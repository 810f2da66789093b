// Copyright 2026 the evalhooks authors. MIT license.
// This module is browser compatible.

// One provider of a promptfoo eval as one MLflow run under the eval's parent: the provider's
// config and prompts as params, one trace per result, and the aggregates evaluate() logs
// (`<name>/mean`, the `eval.*` tags, `eval_results.json`) plus token usage and cost under the
// names the autologged LLM calls use (`usage/<model>/…`, `cost/total_usd`).

import type { MlflowClient, Run } from "../../client/types.ts";
import { logAggregates } from "../../evaluate/aggregate.ts";
import type { RowResult } from "../../evaluate/types.ts";
import { errorOf, feedbackOf, tokenUsageOf, traceCase } from "./case_trace.ts";
import type { ProviderGroup } from "./read.ts";

/** What a provider's run is part of. */
export interface ProviderRunTarget {
  /** The eval's parent run. */
  parent: Run;
  /** Experiment id. */
  experimentId: string;
  /** Eval id. */
  evalId: string;
  /** Eval start, ms. */
  startTime?: number;
  /** Eval end, ms. */
  endTime?: number;
  /** Make traces. */
  traces: boolean;
}

/**
 * One provider's run of an import: its id, result count and the metrics logged.
 *
 * @example
 * ```ts
 * import type { PromptfooProviderRun } from "@evalhooks/mlflow/promptfoo";
 *
 * const line = (r: PromptfooProviderRun) => `${r.provider}: ${r.metrics["success/mean"]}`;
 * ```
 */
export interface PromptfooProviderRun {
  /** Provider label, else id. */
  provider: string;
  /** Its run. */
  runId: string;
  /** Results imported. */
  cases: number;
  /** As logged, with the summary figures evaluate() returns beside them. */
  metrics: Record<string, number>;
}

// A result's writes are queued, not sent: waiting for room every so many results keeps a large
// file's import within the client's queue limits, whatever the server's speed.
const DRAIN_EVERY = 200;

/** What a provider's run is started under: the first half of {@linkcode ProviderRunTarget}. */
export interface ProviderRunStart {
  /** The eval's parent run. */
  parent: Run;
  /** Experiment id. */
  experimentId?: string;
  /** Experiment by name, when its id is not known yet. */
  experimentName?: string;
  /** Eval start, ms. */
  startTime?: number;
  /** Eval id, when known at the start (the live hook learns it at the end). */
  evalId?: string;
  /** More tags. */
  tags?: Record<string, string>;
}

/** Starts the run of one provider under the eval's parent: named after it, its ids as tags. */
export function startProviderRun(
  mlflow: MlflowClient,
  target: ProviderRunStart,
  provider: Pick<ProviderGroup, "key" | "id" | "label">,
): Run {
  return mlflow.startRun({
    experimentId: target.experimentId,
    experimentName: target.experimentName,
    parent: target.parent,
    runName: provider.key,
    startTime: target.startTime,
    tags: {
      ...target.tags,
      // An evaluation run to MLflow's GenAI views, as evaluate()'s runs are.
      "mlflow.runType": "genai_evaluate",
      ...(target.evalId !== undefined ? { "promptfoo.eval_id": target.evalId } : {}),
      "promptfoo.provider_id": provider.id,
      ...(provider.label ? { "promptfoo.provider_label": provider.label } : {}),
    },
  });
}

/**
 * Ends a provider's run: its params (the provider, its config and prompts), the aggregates of
 * `rows` (one per result of `group`, traced or not), token usage, cost and promptfoo's counts.
 * Resolves once the end is queued behind those writes and the run's id is known.
 */
export async function endProviderRun(
  run: Run,
  target: { evalId: string; endTime?: number },
  group: ProviderGroup,
  rows: RowResult[],
): Promise<PromptfooProviderRun> {
  run.logParams(paramsOf(group));
  let cost = 0;
  let costKnown = false;
  const usage = { input_tokens: 0, output_tokens: 0, total_tokens: 0 };
  for (const result of group.results) {
    const u = tokenUsageOf(result.response?.tokenUsage ?? result.tokenUsage);
    if (u) {
      usage.input_tokens += u.input_tokens;
      usage.output_tokens += u.output_tokens;
      usage.total_tokens += u.total_tokens;
    }
    const c = typeof result.cost === "number" ? result.cost : result.response?.cost;
    if (typeof c === "number" && Number.isFinite(c) && c > 0) {
      cost += c;
      costKnown = true;
    }
  }
  const metrics = logAggregates(run, [...rows].sort((a, b) => a.index - b.index));
  const extra: Record<string, number> = {};
  if (usage.total_tokens > 0) {
    const model = metricSafe(group.id);
    extra[`usage/${model}/input_tokens`] = usage.input_tokens;
    extra[`usage/${model}/output_tokens`] = usage.output_tokens;
    extra[`usage/${model}/total_tokens`] = usage.total_tokens;
  }
  if (costKnown) extra["cost/total_usd"] = cost;
  run.logMetrics(extra);
  const counted = (reason: number) =>
    group.results.filter((r) => (r.failureReason ?? (r.success ? 0 : 1)) === reason).length;
  run.setTags({
    "promptfoo.eval_id": target.evalId,
    "promptfoo.successes": group.results.filter((r) => r.success).length,
    "promptfoo.failures": counted(1),
    "promptfoo.errors": counted(2),
  });
  await run.end("FINISHED", { endTime: target.endTime });
  return {
    provider: group.key,
    runId: (await run.info()).runId,
    cases: group.results.length,
    metrics: { ...metrics, ...extra },
  };
}

/** Imports one provider's results into a new run under the parent; resolves once it ended. */
export async function importProvider(
  mlflow: MlflowClient,
  target: ProviderRunTarget,
  group: ProviderGroup,
): Promise<PromptfooProviderRun> {
  const run = startProviderRun(mlflow, target, group);
  const rows: RowResult[] = [];
  for (const [i, result] of group.results.entries()) {
    if (target.traces) {
      rows.push(traceCase(mlflow, { ...target, run, providerId: group.id }, result, i));
    } else {
      rows.push(untracedRow(result, i));
    }
    if ((i + 1) % DRAIN_EVERY === 0) await mlflow.drain();
  }
  return await endProviderRun(run, target, group, rows);
}

/** The provider and its prompts as params: `provider.*`, `prompt.<n>.label`/`.template`. */
function paramsOf(group: ProviderGroup): Record<string, string | number | boolean> {
  const params: Record<string, string | number | boolean> = { "provider.id": group.id };
  if (group.label) params["provider.label"] = group.label;
  const configured = group.config;
  if (configured && typeof configured.id === "string" && configured.id !== group.id) {
    params["provider.config_id"] = configured.id;
  }
  const config = configured?.config;
  if (config && typeof config === "object" && !Array.isArray(config)) {
    for (const [key, value] of Object.entries(config as Record<string, unknown>)) {
      if (value === undefined) continue;
      params[`provider.config.${paramSafe(key)}`] =
        typeof value === "string" || typeof value === "number" || typeof value === "boolean"
          ? value
          : JSON.stringify(value) ?? String(value);
    }
  }
  for (const [n, prompt] of group.prompts.entries()) {
    if (prompt.label) params[`prompt.${n}.label`] = prompt.label;
    params[`prompt.${n}.template`] = prompt.raw;
  }
  return params;
}

/** A result as a row without a trace (`traces: false`): the aggregates still count it. */
export function untracedRow(result: ProviderGroup["results"][number], index: number): RowResult {
  const scores: RowResult["scores"] = {};
  for (const f of feedbackOf(result)) scores[f.name] = { value: f.value, rationale: f.rationale };
  return {
    index,
    inputs: result.vars ?? {},
    outputs: result.response?.output,
    scores,
    error: errorOf(result),
    latencyMs: typeof result.latencyMs === "number" ? result.latencyMs : 0,
    traceId: "",
  };
}

// MLflow keys take letters, digits, `_ - . / :` and spaces; a provider id or config key may hold
// others (`file://…` is fine, `openai:chat:gpt-4o` too).
const metricSafe = (id: string) => id.replace(/[^\w\-. /:]/g, "_") || "unknown";
const paramSafe = (key: string) => key.replace(/[^\w\-. /:]/g, "_") || "_";
