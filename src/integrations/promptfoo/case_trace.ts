// Copyright 2026 the evalhooks authors. MIT license.
// This module is browser compatible.

// One promptfoo result (a test case through one prompt and provider) as one MLflow trace, as
// evaluate() traces a row: the root span's request is the test's vars and its response the
// provider's output, an LLM span holds the rendered prompt, usage and cost, and the verdicts are
// feedback on the root span, naming the run that imported them.

import type { AssessmentSource } from "../../client/trace_types.ts";
import type { MlflowClient, Run } from "../../client/types.ts";
import type { RowResult, RowScore } from "../../evaluate/types.ts";
import type { PromptfooGradingResult, PromptfooResult, PromptfooTokenUsage } from "./types.ts";
import { feedbackName, metadataText, uniqueNames } from "../runner/names.ts";

/** What the trace of a result is part of. */
export interface CaseTarget {
  /** The provider's run. */
  run: Run;
  /** The eval id, for metadata and the session; unknown to the live hook until the eval ends. */
  evalId?: string;
  /** What the session names the eval by. @default {evalId} */
  sessionKey?: string;
  /** The provider's id, the LLM span's model. */
  providerId: string;
  /** When the eval started, in ms (the traces carry no time of their own). */
  startTime?: number;
}

/** One verdict as feedback: name, value, and the rest of the assessment. */
export interface CaseFeedback {
  /** Assessment name. */
  name: string;
  /** Pass/fail, or the score of a named metric. */
  value: boolean | number;
  /** The assertion's reason. */
  rationale?: string;
  /** Who judged. */
  source: AssessmentSource;
  /** String metadata. */
  metadata: Record<string, string>;
}

// Assertion types whose verdict comes from a model (promptfoo's model-graded assertions).
const MODEL_GRADED = new Set([
  "llm-rubric",
  "g-eval",
  "factuality",
  "answer-relevance",
  "context-faithfulness",
  "context-recall",
  "context-relevance",
  "conversation-relevance",
  "select-best",
  "search-rubric",
  "classifier",
  "moderation",
  "similar",
  "pi",
]);

/**
 * The feedback of a result: each assertion's verdict (named after its `metric`, else its
 * `type`; a second one of the same name in the case gets `_2`), then `success` and `score`, the
 * test case's own verdict. An assertion with a `metric` is a named score in promptfoo, so its
 * value is its score; any other is pass/fail.
 */
export function feedbackOf(result: PromptfooResult): CaseFeedback[] {
  const out: CaseFeedback[] = [];
  const unique = uniqueNames();
  for (const component of result.gradingResult?.componentResults ?? []) {
    if (!component || typeof component !== "object") continue;
    const type = typeof component.assertion?.type === "string"
      ? component.assertion.type
      : "assert";
    const metric = typeof component.assertion?.metric === "string" && component.assertion.metric
      ? component.assertion.metric
      : undefined;
    const value = metric !== undefined && typeof component.score === "number"
      ? component.score
      : Boolean(component.pass);
    out.push({
      name: unique(feedbackName(metric ?? type, "assertion")),
      value,
      rationale: component.reason || undefined,
      source: sourceOf(component, type),
      metadata: assertionMetadata(component, type),
    });
  }
  const reason = result.gradingResult?.reason || result.error || undefined;
  const source: AssessmentSource = { sourceType: "CODE", sourceId: "promptfoo" };
  out.push({
    name: unique("success"),
    value: Boolean(result.success),
    rationale: reason ?? undefined,
    source,
    metadata: {
      "promptfoo.failure_reason": String(result.failureReason ?? (result.success ? 0 : 1)),
    },
  });
  if (typeof result.score === "number" && Number.isFinite(result.score)) {
    out.push({ name: unique("score"), value: result.score, source, metadata: {} });
  }
  return out;
}

/**
 * Traces `result` and logs its feedback; returns it as a row of evaluate()'s results, which the
 * run's aggregates and `eval_results.json` are computed from.
 */
export function traceCase(
  mlflow: MlflowClient,
  target: CaseTarget,
  result: PromptfooResult,
  index: number,
): RowResult {
  const vars = result.vars ?? result.testCase?.vars ?? {};
  const output = result.response?.output;
  const error = errorOf(result);
  const latencyMs = typeof result.latencyMs === "number" ? result.latencyMs : 0;
  const startNs = BigInt(target.startTime ?? Date.now()) * 1_000_000n;
  const endNs = startNs + BigInt(Math.round(latencyMs * 1e6));
  const description = result.testCase?.description;
  const metadata: Record<string, string> = {
    "eval.row": String(index),
    ...(target.evalId !== undefined ? { "promptfoo.eval_id": target.evalId } : {}),
    "promptfoo.test_idx": String(result.testIdx),
    "promptfoo.prompt_idx": String(result.promptIdx),
  };
  if (result.id) metadata["promptfoo.result_id"] = result.id;
  if (result.prompt?.label) metadata["promptfoo.prompt_label"] = String(result.prompt.label);
  const root = mlflow.startTrace({
    name: description || `test:${result.testIdx}`,
    run: target.run,
    inputs: vars,
    startTimeNs: startNs,
    // One session per test case: its prompts and providers side by side in the Sessions view.
    session: `${target.sessionKey ?? target.evalId}/${result.testIdx}`,
    metadata,
    tags: { "mlflow.eval.requestId": result.id || crypto.randomUUID() },
  });
  const usage = tokenUsageOf(result.response?.tokenUsage ?? result.tokenUsage);
  const cost = typeof result.cost === "number" ? result.cost : result.response?.cost;
  const attributes: Record<string, unknown> = {
    "mlflow.llm.model": target.providerId,
    "mlflow.message.format": "openai",
  };
  if (usage) attributes["mlflow.chat.tokenUsage"] = usage;
  if (typeof cost === "number" && cost > 0) attributes["mlflow.llm.cost"] = { total_cost: cost };
  root.startSpan({
    name: target.providerId,
    spanType: "LLM",
    inputs: { messages: messagesOf(result.prompt?.raw) },
    startTimeNs: startNs,
    attributes,
  }).end({
    outputs: typeof output === "string"
      ? { choices: [{ index: 0, message: { role: "assistant", content: output } }] }
      : output,
    status: error ? { code: "ERROR", message: error } : "OK",
    endTimeNs: endNs,
  });
  root.end({
    outputs: output,
    status: error ? { code: "ERROR", message: error } : "OK",
    endTimeNs: endNs,
  });
  const scores: Record<string, RowScore> = {};
  for (const f of feedbackOf(result)) {
    scores[f.name] = { value: f.value, rationale: f.rationale };
    mlflow.logFeedback({
      traceId: root.traceId,
      spanId: root.spanId,
      run: target.run,
      name: f.name,
      value: f.value,
      rationale: f.rationale,
      source: f.source,
      metadata: f.metadata,
    });
  }
  return {
    index,
    inputs: vars,
    outputs: output,
    scores,
    error,
    latencyMs,
    traceId: root.traceId,
  };
}

/**
 * The result's error, when the provider or promptfoo failed (failure reason 2). A failed
 * assertion is no error: promptfoo puts its reason in `error` too, with failure reason 1.
 */
export function errorOf(result: PromptfooResult): string | undefined {
  const output = result.response?.output;
  const failed = result.failureReason === 2 ||
    (result.failureReason === undefined && result.response?.error && output === undefined);
  return failed ? (result.error || result.response?.error || "error") : undefined;
}

/** Usage in MLflow's shape (`input_tokens`, …), or undefined when promptfoo reported none. */
export function tokenUsageOf(
  usage: PromptfooTokenUsage | undefined,
): { input_tokens: number; output_tokens: number; total_tokens: number } | undefined {
  if (!usage || typeof usage !== "object") return undefined;
  const n = (v: unknown) => (typeof v === "number" && Number.isFinite(v) && v >= 0 ? v : 0);
  const input = n(usage.prompt);
  const output = n(usage.completion);
  const total = n(usage.total) || input + output;
  return total > 0
    ? { input_tokens: input, output_tokens: output, total_tokens: total }
    : undefined;
}

/** A rendered prompt as chat messages: promptfoo's JSON chat prompts as they are, text as one. */
function messagesOf(raw: unknown): unknown[] {
  if (typeof raw !== "string") return [{ role: "user", content: JSON.stringify(raw) ?? "" }];
  if (raw.trimStart().startsWith("[")) {
    try {
      const parsed: unknown = JSON.parse(raw);
      if (
        Array.isArray(parsed) &&
        parsed.every((m) => m && typeof m === "object" && "role" in m && "content" in m)
      ) return parsed;
    } catch {
      // Not JSON: a text prompt that starts with "[".
    }
  }
  return [{ role: "user", content: raw }];
}

function sourceOf(component: PromptfooGradingResult, type: string): AssessmentSource {
  const base = type.replace(/^not-/, "");
  if (!MODEL_GRADED.has(base) && !base.startsWith("model-graded")) {
    return { sourceType: "CODE", sourceId: type };
  }
  const provider = component.assertion?.provider;
  const id = typeof provider === "string"
    ? provider
    : provider && typeof provider === "object" && typeof (provider as { id?: unknown }).id ===
        "string"
    ? (provider as { id: string }).id
    : type;
  return { sourceType: "LLM_JUDGE", sourceId: id };
}

function assertionMetadata(
  component: PromptfooGradingResult,
  type: string,
): Record<string, string> {
  const metadata: Record<string, string> = {
    "promptfoo.assertion_type": type,
    "promptfoo.pass": String(Boolean(component.pass)),
  };
  if (typeof component.score === "number") metadata["promptfoo.score"] = String(component.score);
  const rendered = component.metadata?.renderedAssertionValue ?? component.assertion?.value;
  if (rendered !== undefined) {
    const text = typeof rendered === "string" ? rendered : JSON.stringify(rendered) ?? "";
    // Metadata is for reading at a glance; the full assertion is in the eval's config artifact.
    metadata["promptfoo.assertion_value"] = metadataText(text, 500);
  }
  return metadata;
}
