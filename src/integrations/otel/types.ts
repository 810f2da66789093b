// Copyright 2026 the evalhooks authors. MIT license.
// This module is browser compatible.

// The shapes of OpenTelemetry JS the bridge reads, written out here so that nothing in src/
// imports an OpenTelemetry package: `@opentelemetry/sdk-trace-base` v2 (and v1) spans fit them
// structurally, and so does any other SDK that follows its `SpanProcessor` contract.

import type { MlflowError } from "../../base/errors.ts";
import type { Run } from "../../client/types.ts";

/**
 * A span as a span processor's `onStart` receives it: only its ids and its parent's are read.
 * OpenTelemetry JS's `Span` (sdk-trace-base v1 and v2) fits it.
 *
 * @example
 * ```ts
 * import type { OtelStartedSpan } from "@evalhooks/mlflow/otel";
 *
 * const started: OtelStartedSpan = {
 *   spanContext: () => ({ traceId: "4bf92f3577b34da6a3ce929d0e0e4736", spanId: "00f067aa0ba902b7" }),
 *   parentSpanContext: undefined, // a root span
 * };
 * ```
 */
export interface OtelStartedSpan {
  /** The span's own ids (32 and 16 lowercase hex digits). */
  spanContext(): { readonly traceId: string; readonly spanId: string };
  /** The parent span, as sdk-trace-base v2 gives it; absent for a root span. */
  readonly parentSpanContext?: { readonly spanId: string };
  /** The parent span id, as sdk-trace-base v1 gives it; absent (or empty) for a root span. */
  readonly parentSpanId?: string;
}

/**
 * A finished span, as a span processor's `onEnd` receives it: OpenTelemetry JS's `ReadableSpan`
 * (sdk-trace-base v1 and v2), reduced to what the bridge reads. Times are `HrTime`s,
 * `[seconds, nanoseconds]` since the epoch.
 *
 * @example
 * ```ts
 * import type { OtelReadableSpan } from "@evalhooks/mlflow/otel";
 *
 * const span: OtelReadableSpan = {
 *   name: "chat gpt-4o-mini",
 *   kind: 2, // CLIENT
 *   spanContext: () => ({ traceId: "4bf92f3577b34da6a3ce929d0e0e4736", spanId: "00f067aa0ba902b7" }),
 *   startTime: [1764000000, 0],
 *   endTime: [1764000000, 250000000],
 *   status: { code: 1 },
 *   attributes: { "gen_ai.operation.name": "chat", "gen_ai.request.model": "gpt-4o-mini" },
 *   events: [],
 *   instrumentationScope: { name: "my-app" },
 * };
 * ```
 */
export interface OtelReadableSpan extends OtelStartedSpan {
  /** The span's name. */
  readonly name: string;
  /** `SpanKind`: 0 INTERNAL, 1 SERVER, 2 CLIENT, 3 PRODUCER, 4 CONSUMER. */
  readonly kind?: number;
  /** Start, `[seconds, nanoseconds]` since the epoch. */
  readonly startTime: readonly [number, number];
  /** End, `[seconds, nanoseconds]` since the epoch. */
  readonly endTime: readonly [number, number];
  /** `code`: 0 UNSET, 1 OK, 2 ERROR; `message` says why, for errors. */
  readonly status: { readonly code: number; readonly message?: string };
  /** Attribute values: strings, numbers, booleans and arrays of them. */
  readonly attributes: Readonly<Record<string, unknown>>;
  /** Timestamped events (`span.addEvent`, `span.recordException`). */
  readonly events: readonly {
    readonly name: string;
    readonly time: readonly [number, number];
    readonly attributes?: Readonly<Record<string, unknown>>;
  }[];
  /** The tracer's name and version (sdk-trace-base v2). */
  readonly instrumentationScope?: { readonly name: string; readonly version?: string };
  /** The tracer's name and version (sdk-trace-base v1). */
  readonly instrumentationLibrary?: { readonly name: string; readonly version?: string };
}

/**
 * Options of {@linkcode mlflowSpanProcessor}.
 *
 * @example Traces of an eval, linked to its run, in a bounded buffer
 * ```ts
 * import { createMlflow } from "@evalhooks/mlflow";
 * import { mlflowSpanProcessor, type OtelBridgeOptions } from "@evalhooks/mlflow/otel";
 *
 * const mlflow = createMlflow({ trackingUri: "http://127.0.0.1:5000", experimentName: "agents" });
 * const run = mlflow.startRun({ runName: "nightly" });
 * const options: OtelBridgeOptions = {
 *   run,
 *   tags: { suite: "nightly" },
 *   maxBufferedSpans: 5_000,
 *   onError: (error) => console.error(error.errorCode, error.message),
 * };
 * const processor = mlflowSpanProcessor(mlflow, options);
 * ```
 */
export interface OtelBridgeOptions {
  /** Experiment of the traces; defaults to the run's, then the client's. */
  experimentId?: string;
  /** Run every trace belongs to (`mlflow.sourceRun`). */
  run?: Run | string;
  /** Metadata of every trace (string values). */
  metadata?: Record<string, string>;
  /** Tags of every trace. */
  tags?: Record<string, string>;
  /**
   * Spans held at once: started and not ended, or ended and waiting for their trace's root.
   * Beyond it new spans are not recorded (and neither are their descendants); they are counted
   * in `dropped` and reported through `onError` as `QUEUE_FULL`. Less than 1 (or not a
   * number) is a `MlflowConfigError` at once.
   * @default {10000}
   */
  maxBufferedSpans?: number;
  /**
   * Called for what the bridge could not deliver (dropped spans, a trace that could not be
   * built); never thrown into the instrumented code. The default prints one `console.warn` line
   * per distinct problem.
   */
  onError?: (error: MlflowError) => void;
}

/**
 * What {@linkcode mlflowSpanProcessor} returns: an OpenTelemetry JS `SpanProcessor` (give it to
 * `new BasicTracerProvider({ spanProcessors: [processor] })`, or to v1's
 * `provider.addSpanProcessor(processor)`), plus what it has dropped.
 *
 * @example
 * ```ts
 * import { createMlflow } from "@evalhooks/mlflow";
 * import { mlflowSpanProcessor, type MlflowSpanProcessor } from "@evalhooks/mlflow/otel";
 *
 * const mlflow = createMlflow({ trackingUri: "http://127.0.0.1:5000" });
 * const processor: MlflowSpanProcessor = mlflowSpanProcessor(mlflow);
 * // ... spans are recorded by a tracer provider that has `processor` ...
 * await processor.forceFlush();
 * console.log(`${processor.buffered} spans waiting, ${processor.dropped} dropped`);
 * await processor.shutdown();
 * ```
 */
export interface MlflowSpanProcessor {
  /** Notes the span's start (its parent is then known to be local). Never throws. */
  onStart(span: OtelStartedSpan, parentContext?: unknown): void;
  /**
   * Buffers the span; when it is a local root (no parent, or a parent this processor never saw
   * start), turns it and its buffered descendants into one MLflow trace. Never throws.
   */
  onEnd(span: OtelReadableSpan): void;
  /** Resolves once every trace built so far is on the server (`mlflow.flush()`). */
  forceFlush(): Promise<void>;
  /**
   * Stops accepting spans, counts those still held as dropped, and flushes. The client stays
   * open: it is the caller's.
   */
  shutdown(): Promise<void>;
  /** Spans not exported, since the processor was made (never decreases). */
  readonly dropped: number;
  /** Spans held now (see `maxBufferedSpans`). */
  readonly buffered: number;
}
