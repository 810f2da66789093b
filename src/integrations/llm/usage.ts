// Copyright 2026 the evalhooks authors. MIT license.
// This module is browser compatible.

// Token usage of one LLM call, in MLflow's shape, and its running totals on the run: the span
// attribute makes the Traces view show tokens (the trace sums it), and the run's metrics
// `usage/<model>/…` and `cost/total_usd` add up every wrapped call made under the run.

import type { Run } from "../../client/run_types.ts";

/**
 * Tokens of one call, as MLflow's `mlflow.chat.tokenUsage` span attribute holds them.
 *
 * @example
 * ```ts
 * import type { TokenUsage } from "@evalhooks/mlflow/openai";
 *
 * const usage: TokenUsage = { input_tokens: 12, output_tokens: 8, total_tokens: 20 };
 * ```
 */
export interface TokenUsage {
  /** Prompt tokens. */
  input_tokens: number;
  /** Completion tokens. */
  output_tokens: number;
  /** Both. */
  total_tokens: number;
}

/**
 * USD per million tokens of a model, for `cost/total_usd` and the span's `mlflow.llm.cost`.
 *
 * @example
 * ```ts
 * import type { ModelPrice } from "@evalhooks/mlflow/openai";
 *
 * const prices: Record<string, ModelPrice> = { "gpt-4o-mini": { input: 0.15, output: 0.6 } };
 * ```
 */
export interface ModelPrice {
  /** USD per million input tokens. */
  input: number;
  /** USD per million output tokens. */
  output: number;
}

/** The span attribute MLflow sums into the trace's token usage. */
export const TOKEN_USAGE = "mlflow.chat.tokenUsage";

const count = (v: unknown): number | undefined =>
  typeof v === "number" && Number.isFinite(v) && v >= 0 ? v : undefined;

/** Builds a usage from input and output counts as a provider reports them; undefined if absent. */
export function tokenUsage(
  input: unknown,
  output: unknown,
  total?: unknown,
): TokenUsage | undefined {
  const i = count(input);
  const o = count(output);
  if (i === undefined && o === undefined) return undefined;
  return {
    input_tokens: i ?? 0,
    output_tokens: o ?? 0,
    total_tokens: count(total) ?? (i ?? 0) + (o ?? 0),
  };
}

/** The cost of a call in USD, given its model's price. */
export function costOf(usage: TokenUsage, price: ModelPrice): {
  input_cost: number;
  output_cost: number;
  total_cost: number;
} {
  const input = (usage.input_tokens * price.input) / 1e6;
  const output = (usage.output_tokens * price.output) / 1e6;
  return { input_cost: input, output_cost: output, total_cost: input + output };
}

interface RunTotals {
  calls: number;
  costUsd: number;
  byModel: Map<string, TokenUsage>;
}

// Per run handle: the totals live as long as the handle does.
const totals = new WeakMap<Run, RunTotals>();

// MLflow metric keys take letters, digits, `_ - . / :` and spaces; a model id may hold others.
const metricSafe = (model: string) => model.replace(/[^\w\-. /:]/g, "_") || "unknown";

/**
 * Adds a call's usage to `run`'s totals and logs the new totals as metrics, one step per call,
 * so the latest value of each is the sum so far.
 */
export function addRunUsage(
  run: Run,
  model: string,
  usage: TokenUsage,
  costUsd: number | undefined,
): void {
  let t = totals.get(run);
  if (!t) totals.set(run, t = { calls: 0, costUsd: 0, byModel: new Map() });
  const key = metricSafe(model);
  const sum = t.byModel.get(key) ?? { input_tokens: 0, output_tokens: 0, total_tokens: 0 };
  sum.input_tokens += usage.input_tokens;
  sum.output_tokens += usage.output_tokens;
  sum.total_tokens += usage.total_tokens;
  t.byModel.set(key, sum);
  const step = t.calls++;
  const metrics: Record<string, number> = {
    [`usage/${key}/input_tokens`]: sum.input_tokens,
    [`usage/${key}/output_tokens`]: sum.output_tokens,
    [`usage/${key}/total_tokens`]: sum.total_tokens,
  };
  if (costUsd !== undefined) {
    t.costUsd += costUsd;
    metrics["cost/total_usd"] = t.costUsd;
  }
  run.logMetrics(metrics, { step });
}
