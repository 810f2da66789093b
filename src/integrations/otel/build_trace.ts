// Copyright 2026 the evalhooks authors. MIT license.
// This module is browser compatible.

// Turning a finished tree of OpenTelemetry spans into one MLflow trace through the client's
// public tracing API: the local root becomes `startTrace`, every descendant `startSpan` under its
// parent, in tree order (children by start time), with the spans' own times, statuses, events
// and mapped attributes. Ending the root exports the trace.

import type { MlflowClient } from "../../client/types.ts";
import type { EndSpanOptions, Span } from "../../client/trace_types.ts";
import { mapAttributes, type SpanMapping } from "./attributes.ts";
import type { OtelBridgeOptions, OtelReadableSpan } from "./types.ts";

/** A span and its children, as the bridge collected them. */
export interface SpanNode {
  span: OtelReadableSpan;
  children: SpanNode[];
}

/** `[seconds, nanoseconds]` as nanoseconds since the epoch, exactly. */
export function hrTimeToNs(time: readonly [number, number]): bigint {
  return BigInt(Math.trunc(time[0])) * 1_000_000_000n + BigInt(Math.trunc(time[1]));
}

// OpenTelemetry's SpanKind, named as OTLP names it; INTERNAL (the default) is not recorded.
const KINDS = ["INTERNAL", "SERVER", "CLIENT", "PRODUCER", "CONSUMER"];

/**
 * Builds the trace of `root`'s tree. `traceparent` makes it a continuation (of a remote trace, or
 * of one this bridge exported before). Returns the MLflow span of every OpenTelemetry span id,
 * for later spans to continue under.
 */
export function buildTrace(
  mlflow: MlflowClient,
  root: SpanNode,
  options: OtelBridgeOptions,
  traceparent: string | undefined,
): Map<string, Span> {
  const made = new Map<string, Span>();
  const mappings = new Map<SpanNode, SpanMapping>();
  placeUsage(root, mappings);

  const rootMapping = mappings.get(root)!;
  const { traceId } = root.span.spanContext();
  const rootSpan = mlflow.startTrace({
    name: root.span.name,
    spanType: rootMapping.spanType,
    inputs: rootMapping.inputs,
    attributes: attributesOf(root.span, rootMapping),
    startTimeNs: hrTimeToNs(root.span.startTime),
    experimentId: options.experimentId,
    run: options.run,
    // The MLflow trace has its own id (a continued one keeps the remote trace's); the
    // OpenTelemetry one is kept for finding the same trace in other backends.
    metadata: { ...options.metadata, "otel.traceId": traceId },
    tags: options.tags,
    traceparent,
  });
  made.set(root.span.spanContext().spanId, rootSpan);
  const addTree = (parent: Span, node: SpanNode) => {
    for (const child of byStart(node.children)) {
      const mapping = mappings.get(child)!;
      const span = parent.startSpan({
        name: child.span.name,
        spanType: mapping.spanType,
        inputs: mapping.inputs,
        attributes: attributesOf(child.span, mapping),
        startTimeNs: hrTimeToNs(child.span.startTime),
      });
      made.set(child.span.spanContext().spanId, span);
      addEvents(span, child.span);
      addTree(span, child);
      span.end(endOf(child.span, mapping));
    }
  };
  addEvents(rootSpan, root.span);
  addTree(rootSpan, root);
  rootSpan.end(endOf(root.span, rootMapping));
  return made;
}

/**
 * Maps every span of the tree, and puts each reported token usage in `mlflow.chat.tokenUsage`
 * only where no descendant reports usage too. Callers that report usage on the span around
 * their model calls repeat the calls' sums there (the AI SDK's `ai.generateText` sums its
 * steps), and the trace's usage is the sum over its spans: the innermost counts are the ones
 * kept, and the outer sums stay in their original attributes. Returns whether the subtree
 * reports any usage.
 */
function placeUsage(node: SpanNode, mappings: Map<SpanNode, SpanMapping>): boolean {
  let below = false;
  for (const child of node.children) below = placeUsage(child, mappings) || below;
  const mapping = mapAttributes(node.span.attributes, node.span.events);
  if (mapping.usage && !below) mapping.attributes["mlflow.chat.tokenUsage"] = mapping.usage;
  mappings.set(node, mapping);
  return below || mapping.usage !== undefined;
}

function attributesOf(span: OtelReadableSpan, mapping: SpanMapping): Record<string, unknown> {
  const attributes = { ...mapping.attributes };
  const scope = span.instrumentationScope ?? span.instrumentationLibrary;
  // The names OpenTelemetry's non-OTLP exporters use for what has no attribute of its own.
  if (scope?.name) attributes["otel.scope.name"] ??= scope.name;
  if (scope?.version) attributes["otel.scope.version"] ??= scope.version;
  const kind = span.kind === undefined ? undefined : KINDS[span.kind];
  if (kind && kind !== "INTERNAL") attributes["otel.span.kind"] ??= kind;
  return attributes;
}

function addEvents(target: Span, span: OtelReadableSpan): void {
  for (const event of span.events) {
    target.addEvent(event.name, {
      attributes: { ...event.attributes },
      timeNs: hrTimeToNs(event.time),
    });
  }
}

/** End time, outputs and status: ERROR with its message, OK; UNSET ends as OK, as MLflow's do. */
function endOf(span: OtelReadableSpan, mapping: SpanMapping): EndSpanOptions {
  const end: EndSpanOptions = { endTimeNs: hrTimeToNs(span.endTime) };
  if (mapping.outputs !== undefined) end.outputs = mapping.outputs;
  if (span.status.code === 2) {
    end.status = span.status.message
      ? { code: "ERROR", message: span.status.message }
      : { code: "ERROR" };
  } else {
    end.status = "OK";
  }
  return end;
}

function byStart(nodes: SpanNode[]): SpanNode[] {
  return [...nodes].sort((a, b) => {
    const d = hrTimeToNs(a.span.startTime) - hrTimeToNs(b.span.startTime);
    return d < 0n ? -1 : d > 0n ? 1 : 0;
  });
}
