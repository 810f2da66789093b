// Copyright 2026 the evalhooks authors. MIT license.
// This module is browser compatible.

// One traced SDK call: a span under the active span (or a new trace in the active run), the
// SDK's own return value handed back untouched (the same promise, the same stream object), and
// the span ended when the answer is complete. Nothing here may change what the SDK returns or
// throws: every step of the logging is guarded, and a failure of it only loses the span.

import { activeContext } from "../../client/active.ts";
import type { Run } from "../../client/run_types.ts";
import type { Span, SpanType } from "../../client/trace_types.ts";
import type { MlflowClient } from "../../client/types.ts";
import { type StreamEnd, watchStream } from "./stream.ts";
import { addRunUsage, costOf, type ModelPrice, TOKEN_USAGE, type TokenUsage } from "./usage.ts";

/**
 * Options of every SDK wrapper (`wrapOpenAI`, `wrapAnthropic`, `wrapGemini`).
 *
 * @example
 * ```ts
 * import { createMlflow } from "@evalhooks/mlflow";
 * import type { WrapOptions } from "@evalhooks/mlflow/openai";
 *
 * const options: WrapOptions = {
 *   mlflow: createMlflow({ trackingUri: "http://127.0.0.1:5000" }),
 *   prices: { "gpt-4o-mini": { input: 0.15, output: 0.6 } },
 * };
 * ```
 */
export interface WrapOptions {
  /**
   * The client to log to. Without it, calls log to the client of the active context (inside
   * `mlflow.trace`, `mlflow.run` or `evaluate()`), and calls outside any are not traced.
   */
  mlflow?: MlflowClient;
  /** USD per million tokens by model id, for `mlflow.llm.cost` and the run's `cost/total_usd`. */
  prices?: Record<string, ModelPrice>;
}

/** What the span of a call starts with. */
export interface CallStart {
  /** Span name (MLflow's autolog names: `Completions`, `Messages`, ...). */
  name: string;
  /** Span type. */
  spanType: SpanType;
  /** The request, as the span's inputs. */
  inputs: unknown;
  /** Attributes known before the answer: model, provider, message format, tools. */
  attributes: Record<string, unknown>;
  /** Requested model. */
  model?: string;
}

/** What the span of a call ends with. */
export interface CallOutcome {
  /** The answer, as the span's outputs. */
  outputs: unknown;
  /** Its token usage. */
  usage?: TokenUsage;
  /** The model that answered (the response's, when it says). */
  model?: string;
  /** More attributes. */
  attributes?: Record<string, unknown>;
}

/** Assembles a streamed answer from its chunks. */
export interface ChunkCollector {
  /** Takes one chunk as it passes. */
  add(chunk: unknown): void;
  /** The answer so far. */
  outcome(): CallOutcome;
}

/** How a call's value is read: a plain answer, a stream to watch, or an object with its own events. */
export type ValueReader =
  | { kind: "answer"; outcome: CallOutcome }
  | { kind: "stream"; stream: unknown; collector: ChunkCollector }
  | {
    kind: "watch";
    /** Calls `end` once, when the answer is complete, cancelled or failed. */
    watch(end: (outcome: CallOutcome | undefined, how: StreamEnd) => void): void;
  };

interface Target {
  mlflow: MlflowClient;
  parent?: Span;
  run?: Run;
}

function targetOf(options: WrapOptions): Target | undefined {
  const active = activeContext();
  if (options.mlflow) {
    const mine = active?.mlflow === options.mlflow ? active : undefined;
    return { mlflow: options.mlflow, parent: mine?.span, run: mine?.run };
  }
  return active ? { mlflow: active.mlflow, parent: active.span, run: active.run } : undefined;
}

const isThenable = (v: unknown): v is PromiseLike<unknown> =>
  (typeof v === "object" || typeof v === "function") && v !== null &&
  typeof (v as { then?: unknown }).then === "function";

function guard(fn: () => void): void {
  try {
    fn();
  } catch {
    // Logging never breaks the call: a failure here loses this span, nothing else.
  }
}

/**
 * Calls `call` (the SDK method) under a span and returns exactly what it returned. `read` says
 * how to read the value once it is there.
 */
export function traceCall<R>(
  options: WrapOptions,
  start: CallStart,
  call: () => R,
  read: (value: unknown) => ValueReader,
): R {
  const target = targetOf(options);
  let span: Span | undefined;
  if (target) {
    guard(() => {
      const spanOptions = {
        name: start.name,
        spanType: start.spanType,
        inputs: start.inputs,
        attributes: start.attributes,
      };
      span = target.parent
        ? target.parent.startSpan(spanOptions)
        : target.mlflow.startTrace({ ...spanOptions, run: target.run });
    });
  }
  if (!span || !target) return call();
  const s = span;

  const finish = (outcome: CallOutcome | undefined, how: StreamEnd) =>
    guard(() => {
      if (outcome) {
        const model = outcome.model ?? start.model;
        const attributes: Record<string, unknown> = { ...outcome.attributes };
        if (model) attributes["mlflow.llm.model"] = model;
        const price = model
          ? options.prices?.[model] ?? options.prices?.[start.model ?? ""]
          : undefined;
        const cost = outcome.usage && price ? costOf(outcome.usage, price) : undefined;
        if (outcome.usage) attributes[TOKEN_USAGE] = outcome.usage;
        if (cost) attributes["mlflow.llm.cost"] = cost;
        s.setAttributes(attributes);
        s.setOutputs(outcome.outputs);
        if (outcome.usage && target.run) {
          addRunUsage(target.run, model ?? "unknown", outcome.usage, cost?.total_cost);
        }
      }
      if (how.kind === "error") {
        s.recordException(how.error);
        s.end();
      } else {
        if (how.kind === "cancelled") s.addEvent("stream cancelled");
        s.end();
      }
    });

  const onValue = (value: unknown) =>
    guard(() => {
      const reader = read(value);
      if (reader.kind === "answer") finish(reader.outcome, { kind: "done" });
      else if (reader.kind === "watch") reader.watch(finish);
      else {
        const { collector } = reader;
        const watched = watchStream(
          reader.stream,
          (chunk) => guard(() => collector.add(chunk)),
          (how) => finish(collector.outcome(), how),
        );
        if (!watched) finish({ outputs: undefined }, { kind: "done" });
      }
    });

  let result: R;
  try {
    result = call();
  } catch (error) {
    finish(undefined, { kind: "error", error });
    throw error;
  }
  if (isThenable(result)) {
    // A reaction of our own, registered first, so a stream is watched before the caller's
    // `await` hands it over; the caller's promise is the SDK's, unchanged.
    result.then(onValue, (error: unknown) => finish(undefined, { kind: "error", error }));
  } else {
    onValue(result);
  }
  return result;
}
