// Copyright 2026 the evalhooks authors. MIT license.
// This module is browser compatible.

// A finished Evalite result, with the scores and LLM calls written for it, as one runner case:
// the data's input and expected value, the task's output, each scorer as feedback (its metadata's
// `rationale` as the rationale) and each reported LLM call as an LLM span.

import type { RunnerCase, RunnerSpan } from "../runner/case_trace.ts";
import { metadataText } from "../runner/names.ts";
import type { EvaliteResultWrite, EvaliteScoreWrite, EvaliteTraceWrite } from "./types.ts";

/** A result as written, with what was written for it after. */
export interface PendingResult {
  /** Its id. */
  id: number;
  /** Its eval. */
  evalId: number;
  /** The final write. */
  result: EvaliteResultWrite;
  /** Its scores. */
  scores: EvaliteScoreWrite[];
  /** Its LLM calls. */
  traces: EvaliteTraceWrite[];
  /** When the final write came, ms: the task ended about then. */
  at: number;
}

/** The case of `p`, a result of the eval named `evalName`. */
export function resultCase(p: PendingResult, evalName: string): RunnerCase {
  const { result } = p;
  const order = result.order ?? 0;
  const starts = p.traces.map((t) => t.start).filter(Number.isFinite);
  const startMs = starts.length ? Math.min(...starts) : p.at - result.duration;
  const metadata: Record<string, string> = {
    "evalite.result_id": String(p.id),
    "evalite.eval": evalName,
  };
  if (typeof result.trialIndex === "number") metadata["evalite.trial"] = String(result.trialIndex);
  return {
    index: order,
    name: `${evalName} #${order}`,
    inputs: result.input,
    outputs: result.status === "fail" ? undefined : result.output,
    expectations: result.expected ?? undefined,
    startMs,
    durationMs: result.duration,
    error: result.status === "fail" ? errorText(result.output) : undefined,
    scores: p.scores.map((s) => {
      const m = s.metadata;
      const record = m && typeof m === "object" && !Array.isArray(m)
        ? m as Record<string, unknown>
        : undefined;
      const rationale = typeof m === "string" ? m : record?.rationale;
      const meta: Record<string, string> = {};
      if (s.description) meta["evalite.description"] = s.description;
      if (record || (m !== undefined && m !== null && typeof m !== "string")) {
        meta["evalite.metadata"] = metadataText(m);
      }
      return {
        name: s.name,
        value: typeof s.score === "number" && Number.isFinite(s.score) ? s.score : null,
        rationale: typeof rationale === "string" && rationale ? rationale : undefined,
        metadata: meta,
      };
    }),
    spans: [...p.traces].sort((a, b) => a.order - b.order).map((t): RunnerSpan => ({
      name: `llm_call_${t.order}`,
      spanType: "LLM",
      startMs: t.start,
      endMs: t.end,
      inputs: t.input,
      outputs: t.output,
      attributes: t.totalTokens || t.inputTokens || t.outputTokens
        ? {
          "mlflow.chat.tokenUsage": {
            input_tokens: t.inputTokens ?? 0,
            output_tokens: t.outputTokens ?? 0,
            total_tokens: t.totalTokens ?? (t.inputTokens ?? 0) + (t.outputTokens ?? 0),
          },
        }
        : undefined,
    })),
    metadata,
  };
}

/** A failed result's output is its error, serialized by Evalite. */
function errorText(output: unknown): string {
  if (output && typeof output === "object" && "message" in output) {
    const e = output as { name?: unknown; message?: unknown };
    return `${typeof e.name === "string" ? e.name : "Error"}: ${String(e.message)}`;
  }
  return typeof output === "string" && output ? output : "failed";
}
