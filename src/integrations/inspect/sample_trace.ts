// Copyright 2026 the evalhooks authors. MIT license.
// This module is browser compatible.

// One MLflow trace per Inspect sample, built from the sample's own events and timestamps:
// span_begin/span_end as nested spans, model calls as LLM spans with the conversation in OpenAI's
// format (so MLflow's UI renders it), tool calls as TOOL spans, scores as EVALUATOR spans.

import type { Span, SpanType } from "../../client/trace_types.ts";
import type { Tracer } from "../../client/tracer.ts";
import type {
  ChatMessage,
  EvalSample,
  Event,
  ModelEvent,
  ScoreEvent,
  SpanBeginEvent,
  ToolEvent,
} from "./types.ts";
import type { Run } from "../../client/types.ts";
import { contentText, sampleOutputText, usageToRecord } from "./tables.ts";

/** Nanoseconds since the epoch of an ISO 8601 time, keeping its microseconds. */
export function isoToNs(iso: string | null | undefined): bigint | undefined {
  if (!iso) return undefined;
  const match = /^(.*T\d{2}:\d{2}:\d{2})(?:\.(\d+))?(.*)$/.exec(iso);
  if (!match) return undefined;
  const ms = Date.parse(match[1] + (match[3] || "Z"));
  if (Number.isNaN(ms)) return undefined;
  const fraction = (match[2] ?? "").padEnd(9, "0").slice(0, 9);
  return BigInt(ms) * 1_000_000n + BigInt(fraction);
}

function secondsToNs(seconds: number): bigint {
  return BigInt(Math.round(seconds * 1e9));
}

/** A chat message in OpenAI's format. */
export function toOpenAiMessage(message: ChatMessage): Record<string, unknown> {
  const out: Record<string, unknown> = {
    role: message.role,
    content: typeof message.content === "string"
      ? message.content
      : contentText(message.content) ?? "",
  };
  if (message.tool_calls?.length) {
    out.tool_calls = message.tool_calls.map((call) => ({
      id: call.id,
      type: "function",
      function: { name: call.function, arguments: JSON.stringify(call.arguments ?? {}) },
    }));
  }
  if (message.tool_call_id) out.tool_call_id = message.tool_call_id;
  return out;
}

const SPAN_TYPES: Record<string, SpanType> = {
  solver: "CHAIN",
  solvers: "CHAIN",
  scorer: "EVALUATOR",
  scorers: "EVALUATOR",
  tool: "TOOL",
  agent: "AGENT",
  handoff: "AGENT",
};

/** Where the trace goes and what it is linked to. */
export interface SampleTraceTarget {
  /** The task run. */
  run: Run;
  /** Eval id, for metadata. */
  evalId: string;
}

/**
 * Builds and ends the trace of one finished sample; returns its id. Span times come from the
 * events themselves (`timestamp`, `completed`, `working_time`), not from when this ran.
 */
export function traceSample(tracer: Tracer, target: SampleTraceTarget, sample: EvalSample): string {
  const events = (sample.events ?? []).filter((e) => !e.pending);
  const firstNs = isoToNs(events[0]?.timestamp);
  // The earlier of the two: Inspect stamps started_at a few ms after the sample's first event,
  // and a root that starts after its first child is drawn wrongly in MLflow's trace view.
  const startedNs = isoToNs(sample.started_at);
  const startNs = startedNs !== undefined && firstNs !== undefined
    ? (startedNs < firstNs ? startedNs : firstNs)
    : startedNs ?? firstNs ?? BigInt(Date.now()) * 1_000_000n;
  const endNs = isoToNs(sample.completed_at) ??
    (sample.total_time != null ? startNs + secondsToNs(sample.total_time) : undefined) ??
    latestNs(events) ?? startNs;
  const input = typeof sample.input === "string"
    ? sample.input
    : { messages: sample.input.map(toOpenAiMessage) };

  const root = tracer.startTrace({
    name: `sample:${sample.id}`,
    run: target.run,
    inputs: input,
    startTimeNs: startNs,
    // One session per sample of an eval: its epochs side by side in MLflow's Sessions view.
    session: `${target.evalId}/${sample.id}`,
    metadata: {
      "inspect.eval_id": target.evalId,
      "inspect.sample_id": String(sample.id),
      "inspect.epoch": String(sample.epoch),
    },
    attributes: sample.uuid ? { "inspect.sample_uuid": sample.uuid } : undefined,
  });

  // Inspect's spans, by id, so events land under the span they happened in.
  const spans = new Map<string, Span>();
  const parentOf = (spanId: string | null | undefined): Span =>
    (spanId && spans.get(spanId)) || root;
  for (const event of events) {
    const at = isoToNs(event.timestamp) ?? startNs;
    switch (event.event) {
      case "span_begin": {
        const e = event as SpanBeginEvent;
        const span = parentOf(e.parent_id ?? undefined).startSpan({
          name: e.name,
          spanType: SPAN_TYPES[e.type ?? ""] ?? "CHAIN",
          startTimeNs: at,
          attributes: e.type ? { "inspect.span_type": e.type } : undefined,
        });
        spans.set(e.id, span);
        break;
      }
      case "span_end":
        spans.get((event as { id: string }).id)?.end({ endTimeNs: at });
        break;
      case "model":
        modelSpan(parentOf(event.span_id), event as ModelEvent, at);
        break;
      case "tool":
        toolSpan(parentOf(event.span_id), event as ToolEvent, at);
        break;
      case "score": {
        const e = event as ScoreEvent;
        parentOf(event.span_id).startSpan({
          name: e.intermediate ? "score:intermediate" : "score",
          spanType: "EVALUATOR",
          inputs: { target: e.target },
          startTimeNs: at,
        }).end({ outputs: e.score, endTimeNs: at });
        break;
      }
    }
  }
  for (const span of spans.values()) span.end({ endTimeNs: endNs }); // spans never closed
  root.end({
    outputs: sampleOutputText(sample) ?? undefined,
    status: sample.error ? { code: "ERROR", message: sample.error.message } : "OK",
    endTimeNs: endNs,
  });
  return root.traceId;
}

function modelSpan(parent: Span, event: ModelEvent, at: bigint): void {
  const usage = usageToRecord(event.output?.usage ?? undefined);
  const endNs = isoToNs(event.completed) ??
    (event.working_time != null ? at + secondsToNs(event.working_time) : at);
  const span = parent.startSpan({
    name: `model:${event.model}`,
    spanType: "LLM",
    inputs: { messages: (event.input ?? []).map(toOpenAiMessage) },
    startTimeNs: at,
    attributes: {
      "mlflow.llm.model": event.model,
      "mlflow.message.format": "openai",
      ...(Object.keys(usage).length > 0
        ? {
          "mlflow.chat.tokenUsage": {
            input_tokens: usage.input_tokens ?? 0,
            output_tokens: usage.output_tokens ?? 0,
            total_tokens: usage.total_tokens ??
              (usage.input_tokens ?? 0) + (usage.output_tokens ?? 0),
          },
        }
        : {}),
    },
  });
  const choices = (event.output?.choices ?? []).map((c, index) => ({
    index,
    message: toOpenAiMessage(c.message),
    finish_reason: c.stop_reason ?? null,
  }));
  span.end({
    outputs: { model: event.output?.model ?? event.model, choices },
    status: event.error ? { code: "ERROR", message: String(event.error) } : "OK",
    endTimeNs: endNs,
  });
}

function toolSpan(parent: Span, event: ToolEvent, at: bigint): void {
  const endNs = isoToNs(event.completed) ??
    (event.working_time != null ? at + secondsToNs(event.working_time) : at);
  const span = parent.startSpan({
    name: `tool:${event.function}`,
    spanType: "TOOL",
    inputs: event.arguments ?? {},
    startTimeNs: at,
    attributes: { "inspect.tool_call_id": event.id },
  });
  const failed = event.error || event.failed;
  span.end({
    outputs: event.result,
    status: failed ? { code: "ERROR", message: event.error?.message ?? "tool call failed" } : "OK",
    endTimeNs: endNs,
  });
}

function latestNs(events: readonly Event[]): bigint | undefined {
  let latest: bigint | undefined;
  for (const e of events) {
    const t = isoToNs((e as { completed?: string }).completed ?? e.timestamp);
    if (t !== undefined && (latest === undefined || t > latest)) latest = t;
  }
  return latest;
}
