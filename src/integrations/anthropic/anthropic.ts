// Copyright 2026 the evalhooks authors. MIT license.
// This module is browser compatible.

// `wrapAnthropic`: the Anthropic SDK's `messages.create` (plain and `stream: true`) and
// `messages.stream`, each call a CHAT_MODEL span with the attributes MLflow's own Anthropic
// autolog sets. The SDK is duck-typed, never imported.

import {
  type CallOutcome,
  type CallStart,
  traceCall,
  type ValueReader,
  type WrapOptions,
} from "../llm/traced_call.ts";
import { wrapClient } from "../llm/wrap.ts";
import { plainJson } from "../llm/json.ts";
import { chatTools, messageEventCollector, messageOutcome } from "./collect.ts";

type Params = Record<string, unknown>;
const paramsOf = (args: unknown[]): Params =>
  typeof args[0] === "object" && args[0] !== null ? args[0] as Params : {};

/** The span name MLflow's TypeScript Anthropic integration gives both methods. */
const SPAN_NAME = "Messages";

function start(params: Params): CallStart {
  const { messages: _m, system: _s, tools, ...invocation } = params;
  const model = typeof params.model === "string" ? params.model : undefined;
  const attributes: Record<string, unknown> = {
    "mlflow.llm.provider": "anthropic",
    // With this format MLflow's UI reads `messages` of the inputs and the Message of the outputs
    // as a chat (mlflow/anthropic/autolog.py sets the same).
    "mlflow.message.format": "anthropic",
    invocation_params: plainJson(invocation),
  };
  // The model asked for; the span ends with the one that answered. Set now so a failed call
  // names it too.
  if (model) attributes["mlflow.llm.model"] = model;
  const tools_ = chatTools(tools);
  if (tools_) attributes["mlflow.chat.tools"] = tools_;
  return {
    name: SPAN_NAME,
    spanType: "CHAT_MODEL",
    // Anthropic's own request (`messages`, `system`, `tools`, ...), as given, copied now: a
    // conversation array the caller appends to after the call stays what this call sent.
    inputs: plainJson(params),
    attributes,
    model,
  };
}

/** What a `MessageStream` of `@anthropic-ai/sdk` offers, every member optional (duck typing). */
interface MessageStreamLike {
  on?: (event: string, listener: () => void) => unknown;
  done?: () => Promise<unknown>;
  readonly controller?: { readonly signal?: AbortSignal };
  readonly errored?: boolean;
  readonly aborted?: boolean;
  readonly receivedMessages?: unknown[];
  readonly currentMessage?: unknown;
}

/** The stream's own snapshot: its last received Message, or, cut short, the Message so far. */
function snapshotOutcome(stream: MessageStreamLike): CallOutcome | undefined {
  try {
    const received = stream.receivedMessages;
    const message = Array.isArray(received) && received.length > 0
      ? received[received.length - 1]
      : stream.currentMessage;
    return message === undefined ? undefined : messageOutcome(message);
  } catch {
    return undefined;
  }
}

/**
 * Watches a `MessageStream` without changing what it does. In @anthropic-ai/sdk, an error or an
 * abort of the stream raises an unhandled rejection when the stream has no listener for that
 * event (`error`, `abort`) and the caller called none of its promise methods (`done()`,
 * `finalMessage()`, `finalText()`, `emitted()`, `withResponse()`): a listener or a call of ours
 * would silence the rejection a caller without error handling gets. So the span reads only:
 *
 * - the `end` event, which always comes last (after success, error and abort alike), after the
 *   stream has decided about that rejection, with its `errored`/`aborted` state set. Only then,
 *   on an error, is `done()` called, to read the error it rejects with: that changes nothing any
 *   more (nothing is emitted after `end`), and it settles within two microtasks, before a caller
 *   awaiting the same stream sees the error;
 * - the `abort` event of `controller.signal` (an AbortSignal, whose listeners change nothing):
 *   `abort()`, and a `for await` left early (its `return()` aborts), end the span at once, as
 *   cancelled, before the caller's code goes on, and not some I/O later when the stream's `end`
 *   follows.
 *
 * The span ends with the stream's own snapshot of the Message.
 */
function messageStreamReader(value: unknown): ValueReader {
  const stream = value as MessageStreamLike;
  if (typeof value !== "object" || value === null || typeof stream.on !== "function") {
    return { kind: "answer", outcome: { outputs: undefined } };
  }
  const on = stream.on;
  return {
    kind: "watch",
    watch(end) {
      let ended = false;
      const once: typeof end = (outcome, how) => {
        if (ended) return;
        ended = true;
        end(outcome, how);
      };
      const signal = stream.controller?.signal;
      if (signal && typeof signal.addEventListener === "function") {
        if (signal.aborted) once(snapshotOutcome(stream), { kind: "cancelled" });
        signal.addEventListener(
          "abort",
          () => once(snapshotOutcome(stream), { kind: "cancelled" }),
          { once: true },
        );
      }
      on.call(stream, "end", () => {
        if (ended) return;
        const outcome = snapshotOutcome(stream);
        if (stream.aborted) {
          once(outcome, { kind: "cancelled" });
        } else if (stream.errored) {
          const failed = (error: unknown): void => once(outcome, { kind: "error", error });
          const done = stream.done;
          if (typeof done !== "function") {
            failed(new Error("the message stream failed"));
            return;
          }
          done.call(stream).then(() => failed(new Error("the message stream failed")), failed);
        } else {
          once(outcome, { kind: "done" });
        }
      });
    },
  };
}

/**
 * Returns `client` (an `Anthropic` instance of the `@anthropic-ai/sdk` package, or any object of
 * its shape) with `messages.create` and `messages.stream` traced: each call is a `CHAT_MODEL`
 * span named `Messages` (a new trace outside any) with Anthropic's request as inputs (its
 * `messages` and `system` as given, which MLflow's UI shows as a chat), the Message as outputs
 * (its `tool_use` blocks and cache counters included), the model, the tools and the token
 * usage. `create({ stream: true })` returns the SDK's own `Stream`, whose events pass through as
 * they come; `stream()` returns the SDK's own `MessageStream`, only watched. Either span ends
 * with the assembled Message when the stream ends, or with the Message so far and a
 * `stream cancelled` event when it is abandoned or aborted. An error marks the span `ERROR` and
 * reaches the caller unchanged. Everything else on the client is the SDK's own.
 *
 * @example
 * ```ts ignore
 * import Anthropic from "@anthropic-ai/sdk";
 * import { createMlflow } from "@evalhooks/mlflow";
 * import { wrapAnthropic } from "@evalhooks/mlflow/anthropic";
 *
 * const mlflow = createMlflow({ experimentName: "chat" });
 * const anthropic = wrapAnthropic(new Anthropic(), { mlflow });
 * await mlflow.run({ runName: "smoke" }, async () => {
 *   const reply = await anthropic.messages.create({
 *     model: "claude-sonnet-4-5",
 *     max_tokens: 256,
 *     messages: [{ role: "user", content: "Say hi" }],
 *   });
 *   console.log(reply.content); // traced, tokens summed on the run
 *   const stream = anthropic.messages.stream({
 *     model: "claude-sonnet-4-5",
 *     max_tokens: 256,
 *     messages: [{ role: "user", content: "Count to 3" }],
 *   });
 *   stream.on("text", (delta) => console.log(delta));
 *   await stream.finalMessage();
 * });
 * await mlflow.flush();
 * ```
 */
export function wrapAnthropic<T extends object>(client: T, options: WrapOptions = {}): T {
  return wrapClient(client, {
    "messages.create": (original, args) => {
      const params = paramsOf(args);
      return traceCall(
        options,
        start(params),
        () => original(...args),
        (value): ValueReader =>
          params.stream === true
            ? { kind: "stream", stream: value, collector: messageEventCollector() }
            : { kind: "answer", outcome: messageOutcome(value) },
      );
    },
    "messages.stream": (original, args) => {
      const params = paramsOf(args);
      return traceCall(options, start(params), () => original(...args), messageStreamReader);
    },
  });
}
