// Copyright 2026 the evalhooks authors. MIT license.
// This module is browser compatible.

// The span processor: OpenTelemetry calls onStart and onEnd synchronously in the instrumented
// code, so both only do bookkeeping and never throw. Ended spans wait, per trace, for their
// local root (a span with no parent, or with a parent this processor never saw start: a remote
// one); the root's end builds the MLflow trace of the whole tree (build_trace.ts).
//
// A span that ends after its trace was built (a fire-and-forget call outliving its root) is not
// lost: it becomes a continuation of that trace, under its parent's MLflow span, the way a
// trace continued by another process joins it (`traceparent`). It is built once the first part
// is delivered, so the server never receives the continuation before the trace it continues.
// What cannot be placed: a span that *starts* after its parent's trace was built (and after the
// parent's other children ended). Its parent is then unknown here, as a remote one would be,
// and it is logged as a local root continuing the OpenTelemetry trace id under that parent id.

import { asMlflowError, MlflowConfigError, MlflowError } from "../../base/errors.ts";
import { warnOnce } from "../../base/warn_once.ts";
import type { MlflowClient } from "../../client/types.ts";
import type { Span } from "../../client/trace_types.ts";
import { buildTrace, type SpanNode } from "./build_trace.ts";
import type {
  MlflowSpanProcessor,
  OtelBridgeOptions,
  OtelReadableSpan,
  OtelStartedSpan,
} from "./types.ts";

const DEFAULT_MAX_BUFFERED_SPANS = 10_000;

/** An OpenTelemetry trace's spans that are still open or waiting for their local root. */
interface TraceBuffer {
  /** Started and not ended: span id to parent span id. */
  open: Map<string, string | undefined>;
  /** Ended, waiting for their local root to end. */
  ended: Map<string, OtelReadableSpan>;
  /** Spans whose tree was taken out of the buffer while children of theirs were still open. */
  anchors: Map<string, Anchor>;
}

/** Where the children of a span that is (or is being) built will continue. */
interface Anchor {
  /** Its children still open. */
  open: number;
  /**
   * The `traceparent` of its MLflow span, once its trace is built and delivered; undefined when
   * that trace could not be built.
   */
  traceparent: Promise<string | undefined>;
}

/**
 * An OpenTelemetry `SpanProcessor` that logs what a tracer records as MLflow traces, through
 * `mlflow`'s tracing API: each local root span and its descendants become one MLflow trace (a
 * root with a remote parent continues that trace, by `traceparent`), with the spans' exact
 * times, statuses and events. GenAI semantic-convention and Vercel AI SDK attributes become
 * MLflow span types, chat inputs and outputs, model, provider and token usage; every original
 * attribute is kept. No OpenTelemetry package is imported: the processor is duck-typed to
 * sdk-trace-base's `SpanProcessor` (v2's `spanProcessors` option, v1's `addSpanProcessor`).
 *
 * @example Trace the Vercel AI SDK into MLflow
 * ```ts ignore
 * import { BasicTracerProvider } from "@opentelemetry/sdk-trace-base";
 * import { generateText } from "ai";
 * import { openai } from "@ai-sdk/openai";
 * import { createMlflow } from "@evalhooks/mlflow";
 * import { mlflowSpanProcessor } from "@evalhooks/mlflow/otel";
 *
 * const mlflow = createMlflow({ experimentName: "ai-sdk" });
 * const provider = new BasicTracerProvider({ spanProcessors: [mlflowSpanProcessor(mlflow)] });
 * const tracer = provider.getTracer("my-app");
 * await generateText({
 *   model: openai("gpt-4o-mini"),
 *   prompt: "Capital of France?",
 *   experimental_telemetry: { isEnabled: true, tracer },
 * });
 * await provider.forceFlush(); // the trace is on the server
 * ```
 *
 * @example With no SDK: any object with OpenTelemetry's span shape
 * ```ts
 * import { createMlflow } from "@evalhooks/mlflow";
 * import { mlflowSpanProcessor } from "@evalhooks/mlflow/otel";
 *
 * const mlflow = createMlflow({ trackingUri: "http://127.0.0.1:5000" });
 * const processor = mlflowSpanProcessor(mlflow, { maxBufferedSpans: 1_000 });
 * const span = {
 *   name: "chat gpt-4o-mini",
 *   spanContext: () => ({ traceId: "4bf92f3577b34da6a3ce929d0e0e4736", spanId: "00f067aa0ba902b7" }),
 *   startTime: [1764000000, 0] as [number, number],
 *   endTime: [1764000001, 500] as [number, number],
 *   status: { code: 1 },
 *   attributes: { "gen_ai.operation.name": "chat", "gen_ai.usage.input_tokens": 12 },
 *   events: [],
 * };
 * processor.onStart(span);
 * processor.onEnd(span);
 * await processor.shutdown();
 * ```
 */
export function mlflowSpanProcessor(
  mlflow: MlflowClient,
  options: OtelBridgeOptions = {},
): MlflowSpanProcessor {
  const max = options.maxBufferedSpans ?? DEFAULT_MAX_BUFFERED_SPANS;
  if (!(max >= 1)) {
    throw new MlflowConfigError("maxBufferedSpans", String(max), "a number of spans, at least 1");
  }
  const onError = options.onError ?? warnOnce("[mlflow otel]");
  const traces = new Map<string, TraceBuffer>();
  // Spans not recorded because the buffer was full: their descendants are not recorded either
  // (they would look like roots of their own). Bounded like the buffer.
  const refused = new Set<string>();
  // Continuations waiting for the trace they continue to be delivered.
  const pending = new Set<Promise<void>>();
  let held = 0;
  let dropped = 0;
  let closed = false;
  // Drops are counted one by one but reported once per kind (and the buffer's once each time it
  // fills up), so a flood of spans does not flood `onError`.
  const reported = new Set<string>();

  const report = (error: MlflowError) => {
    try {
      onError(error);
    } catch {
      // The error handler's own failure must not reach the instrumented code either.
    }
  };
  const drop = (count: number, key: string, why: string) => {
    dropped += count;
    if (reported.has(key)) return;
    reported.add(key);
    report(
      new MlflowError(`OpenTelemetry bridge: ${count} span(s) not logged: ${why}`, {
        errorCode: key === "maxBufferedSpans" ? "QUEUE_FULL" : "SPANS_DROPPED",
        endpoint: "otel",
        key,
      }),
    );
  };

  function onStart(span: OtelStartedSpan): void {
    if (closed) return;
    const { traceId, spanId } = span.spanContext();
    const parent = parentOf(span);
    if ((parent !== undefined && refused.has(`${traceId}/${parent}`)) || held >= max) {
      if (refused.size < max) refused.add(`${traceId}/${spanId}`);
      return;
    }
    reported.delete("maxBufferedSpans"); // there is room again: the next overflow is news
    let trace = traces.get(traceId);
    if (!trace) {
      trace = { open: new Map(), ended: new Map(), anchors: new Map() };
      traces.set(traceId, trace);
    }
    trace.open.set(spanId, parent);
    held++;
  }

  function onEnd(span: OtelReadableSpan): void {
    if (closed) return; // counted as dropped by shutdown, while it was open
    const { traceId, spanId } = span.spanContext();
    if (refused.delete(`${traceId}/${spanId}`)) {
      drop(1, "maxBufferedSpans", `more than ${max} spans held (maxBufferedSpans)`);
      return;
    }
    const trace = traces.get(traceId);
    if (!trace || !trace.open.has(spanId)) {
      // Started before the processor was added to the provider (or refused when the refused
      // set itself was full): its parent and children cannot be known.
      drop(1, "unstarted", `span "${span.name}" ended but its start was not seen`);
      return;
    }
    const parent = trace.open.get(spanId);
    trace.open.delete(spanId);
    if (parent !== undefined && (trace.open.has(parent) || trace.ended.has(parent))) {
      trace.ended.set(spanId, span); // waits for its local root (held: it still counts)
      return;
    }
    // A local root: no parent, a remote parent, or a parent whose tree was built already.
    const anchor = parent === undefined ? undefined : trace.anchors.get(parent);
    if (anchor && --anchor.open === 0) trace.anchors.delete(parent!);
    const tree = collect(trace, span);
    exportTree(trace, tree, anchor ? anchor.traceparent : parent && `00-${traceId}-${parent}-01`);
    if (trace.open.size === 0 && trace.ended.size === 0) traces.delete(traceId);
  }

  /** `root`'s tree from the buffered spans, taken out of the buffer. */
  function collect(trace: TraceBuffer, root: OtelReadableSpan): SpanNode {
    const children = new Map<string, SpanNode[]>();
    for (const s of trace.ended.values()) {
      const p = parentOf(s);
      if (p === undefined) continue;
      const list = children.get(p) ?? [];
      list.push({ span: s, children: [] });
      children.set(p, list);
    }
    const tree: SpanNode = { span: root, children: [] };
    const stack = [tree];
    held--;
    while (stack.length > 0) {
      const node = stack.pop()!;
      node.children = children.get(node.span.spanContext().spanId) ?? [];
      for (const child of node.children) {
        trace.ended.delete(child.span.spanContext().spanId);
        held--;
        stack.push(child);
      }
    }
    return tree;
  }

  /**
   * Builds `tree`'s trace: now, or, for a continuation of a trace built before, once that one is
   * delivered. Spans of the tree with children still open become anchors at once, so children
   * that end before the build still find where they belong.
   */
  function exportTree(
    trace: TraceBuffer,
    tree: SpanNode,
    traceparent: string | undefined | Promise<string | undefined>,
  ): void {
    const ids = new Set<string>();
    const visit = (node: SpanNode) => {
      ids.add(node.span.spanContext().spanId);
      node.children.forEach(visit);
    };
    visit(tree);
    const waiting = new Map<string, number>();
    for (const parent of trace.open.values()) {
      if (parent !== undefined && ids.has(parent)) {
        waiting.set(parent, (waiting.get(parent) ?? 0) + 1);
      }
    }
    let built!: (made: Map<string, Span> | undefined) => void;
    if (waiting.size > 0) {
      const delivered = new Promise<Map<string, Span> | undefined>((resolve) => built = resolve)
        .then(async (made) => {
          if (made) await mlflow.delivered();
          return made;
        });
      for (const [id, open] of waiting) {
        const traceparent = delivered.then((made) => made?.get(id)?.traceHeaders().traceparent);
        trace.anchors.set(id, { open, traceparent });
      }
    }
    const run = (parent: string | undefined) => {
      const made = buildSafely(tree, parent);
      built?.(made);
    };
    if (!(traceparent instanceof Promise)) return run(traceparent);
    const later = traceparent.then((parent) => {
      if (parent === undefined) {
        drop(size(tree), "orphan", "the trace they continue could not be built");
        built?.(undefined);
      } else if (closed) {
        drop(size(tree), "shutdown", "shut down before the trace they continue was delivered");
        built?.(undefined);
      } else {
        run(parent);
      }
    });
    pending.add(later);
    later.finally(() => pending.delete(later));
  }

  function buildSafely(tree: SpanNode, traceparent: string | undefined) {
    try {
      return buildTrace(mlflow, tree, options, traceparent);
    } catch (error) {
      report(asMlflowError(error, `OpenTelemetry bridge: trace of span "${tree.span.name}"`));
      drop(size(tree), "export", "their trace could not be built");
      return undefined;
    }
  }

  /**
   * Flushes the client until no continuation waits: a flush sends what they wait for early, and
   * what they then build needs one more. The first failure is rethrown at the end.
   */
  async function flushAll(): Promise<void> {
    let failure: unknown;
    const flush = () =>
      mlflow.flush().catch((error: unknown) => {
        failure ??= error;
      });
    for (;;) {
      const waited = pending.size > 0;
      await Promise.all([flush(), ...pending]);
      if (!waited && pending.size === 0) break;
    }
    if (failure !== undefined) throw failure;
  }

  return {
    onStart(span) {
      try {
        onStart(span);
      } catch (error) {
        report(asMlflowError(error, "OpenTelemetry bridge: onStart"));
      }
    },
    onEnd(span) {
      try {
        onEnd(span);
      } catch (error) {
        report(asMlflowError(error, "OpenTelemetry bridge: onEnd"));
      }
    },
    forceFlush: flushAll,
    async shutdown() {
      if (!closed) {
        closed = true;
        if (held > 0) {
          drop(held, "shutdown", "still open, or waiting for a root that never ended");
        }
        traces.clear();
        refused.clear();
        held = 0;
      }
      await flushAll();
    },
    get dropped() {
      return dropped;
    },
    get buffered() {
      return held;
    },
  };
}

function parentOf(span: OtelStartedSpan): string | undefined {
  return span.parentSpanContext?.spanId || span.parentSpanId || undefined;
}

function size(node: SpanNode): number {
  return node.children.reduce((n, c) => n + size(c), 1);
}
