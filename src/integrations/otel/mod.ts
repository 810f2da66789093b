// Copyright 2026 the evalhooks authors. MIT license.
// This module is browser compatible.

/**
 * OpenTelemetry to MLflow: {@linkcode mlflowSpanProcessor} is a span processor for OpenTelemetry
 * JS's tracer provider that logs what any OpenTelemetry instrumentation records (the Vercel AI
 * SDK's `experimental_telemetry`, GenAI semantic-convention instrumentations, your own spans) as
 * MLflow traces, through this library's tracing API and delivery. No OpenTelemetry package is
 * imported: the processor is duck-typed, and this entry runs wherever `fetch` does (Workers and
 * browsers included).
 *
 * - **Trees.** Ended spans wait, per OpenTelemetry trace, for their local root (a span without
 *   a parent, or whose parent this processor never saw start); its end makes one MLflow trace of
 *   it and its descendants, in tree order, with exact start and end times, statuses (`ERROR` with
 *   its message), events and attributes. A local root with a remote parent joins that trace in
 *   MLflow (`traceparent: 00-<trace id>-<parent span id>-01`). A local trace gets its own MLflow
 *   trace id; the OpenTelemetry one is in the metadata as `otel.traceId`.
 * - **Mapping.** GenAI semantic conventions (`gen_ai.operation.name`, `gen_ai.input.messages`,
 *   `gen_ai.usage.*`, ...) and the Vercel AI SDK's `ai.*` attributes become MLflow span types
 *   (the AI SDK's `ai.generateText` a CHAIN, its `doGenerate` a CHAT_MODEL, tool calls TOOL),
 *   inputs and outputs in OpenAI's chat format, `mlflow.llm.model`, `mlflow.llm.provider`, and
 *   `mlflow.chat.tokenUsage`, which the trace's token usage sums (each call counted once: a
 *   span's usage is kept only when no descendant reports its own). The original attributes stay.
 * - **Late spans.** A span that ends after its trace was built (it outlived the root) is logged
 *   as a continuation of that trace, under its parent, once the trace is delivered. (A span
 *   that starts only after its parent's trace was built has a parent unknown here: it is
 *   logged like a root with a remote parent.) Spans started after `shutdown()` are ignored.
 * - **Memory** is bounded by `maxBufferedSpans` (default 10,000 spans held, open or waiting).
 *   Beyond it spans are not recorded: they are counted in `processor.dropped` and reported
 *   through `onError`; `onStart` and `onEnd` never throw.
 * - **Flush.** `forceFlush()` and `shutdown()` resolve once the traces built are on the server
 *   (`mlflow.flush()`); `shutdown()` also stops accepting spans and counts those still held as
 *   dropped. The client stays open.
 *
 * @example The Vercel AI SDK, traced into MLflow
 * ```ts ignore
 * import { BasicTracerProvider } from "@opentelemetry/sdk-trace-base";
 * import { generateText } from "ai";
 * import { openai } from "@ai-sdk/openai";
 * import { createMlflow } from "@evalhooks/mlflow";
 * import { mlflowSpanProcessor } from "@evalhooks/mlflow/otel";
 *
 * const mlflow = createMlflow({ experimentName: "ai-sdk" });
 * const provider = new BasicTracerProvider({ spanProcessors: [mlflowSpanProcessor(mlflow)] });
 * const result = await generateText({
 *   model: openai("gpt-4o-mini"),
 *   prompt: "Capital of France?",
 *   experimental_telemetry: { isEnabled: true, tracer: provider.getTracer("my-app") },
 * });
 * await provider.forceFlush(); // one trace: ai.generateText (CHAIN) > doGenerate (CHAT_MODEL)
 * ```
 *
 * @module
 */

export { mlflowSpanProcessor } from "./span_processor.ts";
export type {
  MlflowSpanProcessor,
  OtelBridgeOptions,
  OtelReadableSpan,
  OtelStartedSpan,
} from "./types.ts";
