// Copyright 2026 the evalhooks authors. MIT license.
// This module is browser compatible.

// A finished Vitest test with vitest-evals metadata as one runner case: the input (set by the
// test, else the harness's first user message, else the test's name), the output, the expected
// value (set by the test), each score, then the case's own verdicts: `success` (the test passed,
// so its threshold and its assertions held) and `score` (vitest-evals' average of its scores).

import type { SpanType } from "../../client/trace_types.ts";
import type { RunnerCase, RunnerScore, RunnerSpan } from "../runner/case_trace.ts";
import { metadataText } from "../runner/names.ts";
import type { EvalScoreMeta, HarnessRunMeta, VitestEvalsMeta, VitestTestCase } from "./types.ts";
import { isRecord } from "../../base/records.ts";

/** The test's metadata when it is an eval case (vitest-evals set `eval` or `harness`). */
export function evalMetaOf(test: VitestTestCase): VitestEvalsMeta | undefined {
  const meta = test.meta();
  if (!meta || typeof meta !== "object") return undefined;
  const m = meta as VitestEvalsMeta;
  return isRecord(m.eval) || isRecord(m.harness) ? m : undefined;
}

/** The case of `test`, the `index`th of its suite. */
export function readCase(test: VitestTestCase, meta: VitestEvalsMeta, index: number): RunnerCase {
  const run = meta.harness?.run;
  const result = test.result();
  const diagnostic = test.diagnostic();
  const durationMs = diagnostic?.duration ?? run?.timings?.totalMs ?? 0;
  const startMs = diagnostic?.startTime ?? Date.now() - durationMs;
  const failure = result.errors?.map((e) => e.message).filter(Boolean).join("\n") || undefined;
  const scores: RunnerScore[] = (meta.eval?.scores ?? []).map((s, i) => scoreOf(s, i));
  scores.push({
    name: "success",
    value: result.state === "passed",
    rationale: result.state === "passed" ? undefined : failure ?? result.state,
    sourceId: "vitest",
    metadata: {
      "vitest.state": result.state,
      "vitest.threshold_failed": String(meta.eval?.thresholdFailed === true),
    },
  });
  const avg = meta.eval?.avgScore;
  if (typeof avg === "number" && Number.isFinite(avg) && (meta.eval?.scores?.length ?? 0) > 0) {
    scores.push({ name: "score", value: avg, sourceId: "vitest-evals" });
  }
  const metadata: Record<string, string> = {
    "vitest.test_id": test.id,
    "vitest.full_name": test.fullName,
    "vitest.file": test.module.relativeModuleId ?? test.module.moduleId,
  };
  if (meta.harness?.name) metadata["vitest_evals.harness"] = meta.harness.name;
  if (diagnostic?.retryCount) metadata["vitest.retry_count"] = String(diagnostic.retryCount);
  return {
    index,
    name: test.name,
    inputs: meta.input !== undefined ? meta.input : inputOf(run) ?? test.name,
    outputs: meta.eval?.output !== undefined ? meta.eval.output : run?.output,
    expectations: meta.expected,
    startMs,
    durationMs,
    error: errorOf(run),
    scores,
    spans: spansOf(run, startMs),
    attributes: usageOf(run),
    metadata,
  };
}

function scoreOf(s: EvalScoreMeta, i: number): RunnerScore {
  const { rationale, ...rest } = isRecord(s.metadata) ? s.metadata : {};
  const metadata: Record<string, string> = {};
  for (const [key, value] of Object.entries(rest)) {
    if (value !== undefined) metadata[`vitest_evals.${key}`] = metadataText(value);
  }
  const name = typeof s.name === "string" && s.name ? s.name : `scorer_${i + 1}`;
  return {
    name,
    value: typeof s.score === "number" && Number.isFinite(s.score) ? s.score : null,
    rationale: typeof rationale === "string" && rationale ? rationale : undefined,
    metadata,
  };
}

/** The harness's input: the first user message of its transcript. */
function inputOf(run: HarnessRunMeta | undefined): unknown {
  const first = run?.session?.events?.find((e) => e?.type === "message" && e.role === "user");
  return first?.content;
}

/** The harness run's error (the app threw); a failed score or assertion is no error. */
function errorOf(run: HarnessRunMeta | undefined): string | undefined {
  const e = run?.errors?.[0];
  if (!e) return undefined;
  const message = typeof e.message === "string" ? e.message : metadataText(e);
  return typeof e.name === "string" ? `${e.name}: ${message}` : message;
}

const SPAN_TYPES: Record<string, SpanType> = {
  model: "LLM",
  tool: "TOOL",
  agent: "AGENT",
  run: "CHAIN",
};

/** The harness's spans as child spans, flat under the case's root. */
function spansOf(run: HarnessRunMeta | undefined, caseStart: number): RunnerSpan[] {
  const out: RunnerSpan[] = [];
  for (const trace of run?.traces ?? []) {
    for (const s of trace?.spans ?? []) {
      if (!s || typeof s.name !== "string") continue;
      const start = s.startedAt ? Date.parse(s.startedAt) : caseStart;
      const startMs = Number.isFinite(start) ? start : caseStart;
      const end = s.finishedAt ? Date.parse(s.finishedAt) : startMs + (s.durationMs ?? 0);
      out.push({
        name: s.name,
        spanType: SPAN_TYPES[s.kind ?? ""] ?? "UNKNOWN",
        startMs,
        endMs: Number.isFinite(end) ? end : startMs,
        attributes: isRecord(s.attributes) ? s.attributes : undefined,
        error: s.status === "error" ? s.error?.message ?? "error" : undefined,
      });
    }
  }
  return out;
}

/** The run's token usage as MLflow reads it off a span (`mlflow.chat.tokenUsage`). */
function usageOf(run: HarnessRunMeta | undefined): Record<string, unknown> | undefined {
  const u = run?.usage;
  const n = (v: unknown) => (typeof v === "number" && Number.isFinite(v) && v >= 0 ? v : 0);
  const input = n(u?.inputTokens);
  const output = n(u?.outputTokens);
  const total = n(u?.totalTokens) || input + output;
  if (total === 0) return undefined;
  return {
    "mlflow.chat.tokenUsage": { input_tokens: input, output_tokens: output, total_tokens: total },
  };
}
