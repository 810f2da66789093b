// Copyright 2026 the evalhooks authors. MIT license.
// This module is browser compatible.

// `wrapOpenAI`: the OpenAI SDK's chat completions, responses and embeddings, each call an LLM or
// EMBEDDING span with MLflow's attributes. The SDK is duck-typed, never imported.

import {
  type CallStart,
  traceCall,
  type ValueReader,
  type WrapOptions,
} from "../llm/traced_call.ts";
import { wrapClient } from "../llm/wrap.ts";
import {
  answerOutcome,
  chatChunkCollector,
  embeddingOutcome,
  responseEventCollector,
} from "./collect.ts";

type Params = Record<string, unknown>;
const paramsOf = (args: unknown[]): Params =>
  typeof args[0] === "object" && args[0] !== null ? args[0] as Params : {};

function start(name: string, spanType: CallStart["spanType"], params: Params): CallStart {
  const { messages: _m, input: _i, tools, ...invocation } = params;
  const attributes: Record<string, unknown> = {
    "mlflow.llm.provider": "openai",
    "mlflow.message.format": "openai",
    invocation_params: invocation,
  };
  if (tools !== undefined) attributes["mlflow.chat.tools"] = tools;
  return {
    name,
    spanType,
    inputs: params,
    attributes,
    model: typeof params.model === "string" ? params.model : undefined,
  };
}

/**
 * Returns `client` (an `OpenAI` instance of the `openai` package, or any object of its shape)
 * with `chat.completions.create`, `responses.create` and `embeddings.create` traced: each call
 * is a span (a new trace outside any) with the request as inputs, the answer as outputs, the
 * model, the tools and the token usage; a streamed answer (`stream: true`) passes through chunk
 * by chunk and its span ends with the assembled answer when the stream ends or is cancelled. An
 * error marks the span `ERROR` and reaches the caller unchanged. Everything else on the client
 * is the SDK's own.
 *
 * @example
 * ```ts ignore
 * import OpenAI from "openai";
 * import { createMlflow } from "@evalhooks/mlflow";
 * import { wrapOpenAI } from "@evalhooks/mlflow/openai";
 *
 * const mlflow = createMlflow({ experimentName: "chat" });
 * const openai = wrapOpenAI(new OpenAI(), { mlflow });
 * await mlflow.run({ runName: "smoke" }, async () => {
 *   const reply = await openai.chat.completions.create({
 *     model: "gpt-4o-mini",
 *     messages: [{ role: "user", content: "Say hi" }],
 *   });
 *   console.log(reply.choices[0].message.content); // traced, tokens summed on the run
 * });
 * await mlflow.flush();
 * ```
 */
export function wrapOpenAI<T extends object>(client: T, options: WrapOptions = {}): T {
  const chatReader = (stream: boolean) => (value: unknown): ValueReader =>
    stream
      ? { kind: "stream", stream: value, collector: chatChunkCollector() }
      : { kind: "answer", outcome: answerOutcome(value) };
  const responseReader = (stream: boolean) => (value: unknown): ValueReader =>
    stream
      ? { kind: "stream", stream: value, collector: responseEventCollector() }
      : { kind: "answer", outcome: answerOutcome(value) };
  return wrapClient(client, {
    "chat.completions.create": (original, args) => {
      const params = paramsOf(args);
      return traceCall(
        options,
        start("Completions", "CHAT_MODEL", params),
        () => original(...args),
        chatReader(params.stream === true),
      );
    },
    "responses.create": (original, args) => {
      const params = paramsOf(args);
      return traceCall(
        options,
        start("Responses", "CHAT_MODEL", params),
        () => original(...args),
        responseReader(params.stream === true),
      );
    },
    "embeddings.create": (original, args) => {
      const params = paramsOf(args);
      const begin = start("Embeddings", "EMBEDDING", params);
      delete begin.attributes["mlflow.message.format"];
      return traceCall(options, begin, () => original(...args), (value) => ({
        kind: "answer",
        outcome: embeddingOutcome(value),
      }));
    },
  });
}
