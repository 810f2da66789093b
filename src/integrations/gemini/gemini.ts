// Copyright 2026 the evalhooks authors. MIT license.
// This module is browser compatible.

// `wrapGemini`: `@google/genai`'s `models.generateContent` and `models.generateContentStream`,
// each call a CHAT_MODEL span with the attributes MLflow's own Gemini autolog sets. The SDK is
// duck-typed, never imported.

import { type CallStart, traceCall, type WrapOptions } from "../llm/traced_call.ts";
import { plainJson } from "../llm/json.ts";
import { wrapClient } from "../llm/wrap.ts";
import {
  chatTools,
  normalizeContents,
  responseChunkCollector,
  responseOutcome,
} from "./collect.ts";

type Params = Record<string, unknown>;
const paramsOf = (args: unknown[]): Params =>
  typeof args[0] === "object" && args[0] !== null ? args[0] as Params : {};
const objOf = (v: unknown): Params =>
  typeof v === "object" && v !== null && !Array.isArray(v) ? v as Params : {};

function start(name: string, params: Params): CallStart {
  const { contents, config, ...other } = params;
  // The request's controls, not its content: an AbortSignal and the HTTP options (headers).
  const { abortSignal: _a, httpOptions: _h, ...settings } = objOf(config);
  const { tools: _t, systemInstruction: _s, ...invocation } = settings;
  const model = typeof params.model === "string" ? params.model : undefined;
  const attributes: Record<string, unknown> = {
    "mlflow.llm.provider": "gemini",
    // With this format MLflow's UI reads `contents` of the inputs and `candidates` of the
    // outputs as a chat (mlflow/gemini/autolog.py sets the same).
    "mlflow.message.format": "gemini",
    invocation_params: plainJson({ ...other, ...invocation }),
  };
  if (model) attributes["mlflow.llm.model"] = model;
  const tools = chatTools(settings);
  if (tools) attributes["mlflow.chat.tools"] = tools;
  const inputs: Params = { ...(plainJson(other) as Params | undefined) };
  if (contents !== undefined) inputs.contents = normalizeContents(contents);
  if (config !== undefined) inputs.config = plainJson(settings);
  return { name, spanType: "CHAT_MODEL", inputs, attributes, model };
}

/**
 * Returns `client` (a `GoogleGenAI` instance of the `@google/genai` package, or any object of
 * its shape) with `models.generateContent` and `models.generateContentStream` traced: each call
 * is a `CHAT_MODEL` span (`Models.generateContent`, `Models.generateContentStream`; a new trace
 * outside any) with the request as inputs (`model`, `contents`, `config`), plain JSON of the
 * response as outputs, the model, the function declarations and the token usage. A stream's
 * chunks pass through as they come (the SDK's own generator), and its span ends with the
 * assembled response when it ends, or with the response so far and a `stream cancelled` event
 * when the caller stops reading. An error marks the span `ERROR` and reaches the caller
 * unchanged. Everything else on the client is the SDK's own.
 *
 * @example
 * ```ts ignore
 * import { GoogleGenAI } from "@google/genai";
 * import { createMlflow } from "@evalhooks/mlflow";
 * import { wrapGemini } from "@evalhooks/mlflow/gemini";
 *
 * const mlflow = createMlflow({ experimentName: "chat" });
 * const ai = wrapGemini(new GoogleGenAI({ apiKey: "..." }), { mlflow });
 * await mlflow.run({ runName: "smoke" }, async () => {
 *   const reply = await ai.models.generateContent({ model: "gemini-2.5-flash", contents: "Say hi" });
 *   console.log(reply.text); // traced, tokens summed on the run
 *   const stream = await ai.models.generateContentStream({
 *     model: "gemini-2.5-flash",
 *     contents: "Count to 3",
 *   });
 *   for await (const chunk of stream) console.log(chunk.text);
 * });
 * await mlflow.flush();
 * ```
 */
export function wrapGemini<T extends object>(client: T, options: WrapOptions = {}): T {
  return wrapClient(client, {
    "models.generateContent": (original, args) =>
      traceCall(
        options,
        start("Models.generateContent", paramsOf(args)),
        () => original(...args),
        (value) => ({ kind: "answer", outcome: responseOutcome(value) }),
      ),
    "models.generateContentStream": (original, args) =>
      traceCall(
        options,
        start("Models.generateContentStream", paramsOf(args)),
        () => original(...args),
        (value) => ({ kind: "stream", stream: value, collector: responseChunkCollector() }),
      ),
  });
}
