// Copyright 2026 the evalhooks authors. MIT license.

// A small LLM provider on loopback that speaks the wire formats of OpenAI (Chat Completions,
// Responses, Embeddings), Anthropic (Messages) and Gemini (generateContent), with canned,
// deterministic answers and usage. The integration tests point the REAL SDKs at it (never stubs
// of the SDKs), so what they test is what the SDKs send and parse. node:http, so it runs under
// Deno and Bun alike.
//
// The request's model name chooses the behaviour (checked in this order, by substring):
//
// | model contains | answer                                                                     |
// | -------------- | -------------------------------------------------------------------------- |
// | `error-400`    | HTTP 400 with the provider's own error body (streaming or not)             |
// | `error-500`    | HTTP 500 with the provider's own error body (streaming or not)             |
// | `judge-`       | (OpenAI chat) a judge's verdict chosen by the request: judgeReply()        |
// | `tools`        | one tool call: `get_weather` with arguments `{"city":"Paris"}`             |
// | `slow`         | streams SLOW_CHUNK_COUNT chunks of SLOW_CHUNK_TEXT, one per 50 ms; without |
// |                | `stream` it answers their concatenation after the same total delay         |
// |                | (embeddings answer at once)                                                |
// | anything else  | REPLY_TEXT, streamed as the pieces of REPLY_CHUNKS                         |
//
// Every chat answer carries USAGE (streamed: in OpenAI's last chunk only when
// `stream_options.include_usage` asks, in Anthropic's message_start/message_delta, in Responses'
// response.completed, and on Gemini's last chunk; earlier Gemini chunks carry only the prompt
// count, as Gemini does). Embeddings cost EMBEDDING_TOKENS_PER_INPUT per input and return
// cannedEmbedding(i) for input i (OpenAI: as base64 float32 when `encoding_format` is "base64",
// the SDK's default). A request with no model (or a body that is not a JSON object) gets 400;
// an unknown path gets 404. `requests` records every request, streams' progress included.
//
// Routes: POST /v1/chat/completions, /v1/responses, /v1/embeddings (OpenAI), /v1/messages
// (Anthropic), /v1beta/models/{model}:generateContent, :streamGenerateContent?alt=sse,
// :batchEmbedContents and :embedContent (Gemini; /v1/ and /v1alpha/ are accepted too).

import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** The text of a plain answer. */
export const REPLY_CHUNKS: readonly string[] = [
  "Paris",
  " is",
  " the",
  " capital",
  " of",
  " France.",
];
/** The text of a plain answer: REPLY_CHUNKS joined. */
export const REPLY_TEXT: string = REPLY_CHUNKS.join("");
/** Token counts of every chat answer, whichever provider, model or mode. */
export const USAGE: { readonly input: number; readonly output: number; readonly total: number } = {
  input: 12,
  output: 8,
  total: 20,
};
/** The tool call of a `tools` model. */
export const TOOL_NAME = "get_weather";
/** The arguments of the tool call, as an object. */
export const TOOL_ARGS: { readonly city: string } = { city: "Paris" };
/** The arguments of the tool call, as the JSON text the OpenAI formats carry. */
export const TOOL_ARGS_JSON: string = JSON.stringify(TOOL_ARGS);
/** The id of the tool call (OpenAI `call_id`, Anthropic `tool_use.id`, Gemini `functionCall.id`). */
export const TOOL_CALL_ID = "call_evalhooks_weather";
/** How many chunks a `slow` model streams, and how far apart. */
export const SLOW_CHUNK_COUNT = 40;
/** Milliseconds between two chunks of a `slow` model. */
export const SLOW_CHUNK_INTERVAL_MS = 50;
/** The text of each chunk of a `slow` model. */
export const SLOW_CHUNK_TEXT = "tick ";
/** The whole text of a `slow` model: SLOW_CHUNK_TEXT, SLOW_CHUNK_COUNT times. */
export const SLOW_TEXT: string = SLOW_CHUNK_TEXT.repeat(SLOW_CHUNK_COUNT);
/** Length of every embedding vector. */
export const EMBEDDING_DIMENSIONS = 8;
/** Prompt tokens an embeddings request is charged per input. */
export const EMBEDDING_TOKENS_PER_INPUT = 3;
/** The `created` timestamp (seconds) of every OpenAI answer: 2026-01-01T00:00:00Z. */
export const CREATED = 1767225600;
/** The message of the canned errors, by status. */
export const ERROR_MESSAGES: { readonly 400: string; readonly 500: string } = {
  400: "evalhooks test provider: canned 400 (the model name asked for it)",
  500: "evalhooks test provider: canned 500 (the model name asked for it)",
};

/**
 * Canned answers of a `judge-` model, by name: well-formed, fenced, bare and malformed verdicts.
 * A request picks one with a marker `[[judge:<name>]]` anywhere in its messages (a row's outputs
 * carry it into the judge's prompt); `[[judge:a|b]]` answers `a` to the first attempt and `b` to
 * every later one (attempt = how many assistant messages the request holds, as a judge asking
 * again sends its earlier answer back). A name not in this table is answered as it is written.
 * No marker: `yes`.
 */
export const JUDGE_REPLIES: Readonly<Record<string, string>> = {
  yes: '{"result": "yes", "rationale": "The answer states every expected fact."}',
  no:
    'Here is my verdict.\n```json\n{"result": "no", "rationale": "The answer misses the fact."}\n```',
  true: '{"result": true, "rationale": "Polite throughout."}',
  score4: "Score: 4\nClear, with one small gap.",
  pass: "PASS - the answer is on topic.",
  malformed: "I would rather not commit to a verdict.",
};

/** The answer of a `judge-` model to chat `messages` (see JUDGE_REPLIES). */
export function judgeReply(messages: unknown): string {
  const list = Array.isArray(messages) ? messages : [];
  const text = list.map((m) => isObject(m) && typeof m.content === "string" ? m.content : "")
    .join("\n");
  const marker = /\[\[judge:([^\]]*)\]\]/.exec(text);
  if (!marker) return JUDGE_REPLIES.yes;
  const names = marker[1].split("|");
  const attempt = list.filter((m) => isObject(m) && m.role === "assistant").length;
  const name = names[Math.min(attempt, names.length - 1)];
  return JUDGE_REPLIES[name] ?? name;
}

/** The embedding of input number `index` of a request: deterministic, EMBEDDING_DIMENSIONS long. */
export function cannedEmbedding(index: number): number[] {
  // Exact in float32, so base64 (OpenAI's default encoding) round-trips to the same numbers.
  return Array.from({ length: EMBEDDING_DIMENSIONS }, (_, i) => (index + 1) * 0.5 + i * 0.125);
}

/** Which wire format a request spoke. */
export type ProviderApi =
  | "openai.chat"
  | "openai.responses"
  | "openai.embeddings"
  | "anthropic.messages"
  | "gemini.generateContent"
  | "gemini.streamGenerateContent"
  | "gemini.embedContent"
  | "unknown";

/** One request the provider received. Streaming fields are updated while it streams. */
export interface RecordedRequest {
  /** `evalhooks-<n>`, n counting from 1; also the answer's `x-request-id` and `request-id`. */
  id: string;
  method: string;
  /** The path without the query, e.g. `/v1/chat/completions`. */
  path: string;
  /** The query parameters, e.g. `{ alt: "sse" }`. */
  query: Record<string, string>;
  /** The parsed JSON body; undefined when there was none or it was not JSON. */
  body: unknown;
  /** Lower-cased header names; repeated headers joined with ", ". */
  headers: Record<string, string>;
  api: ProviderApi;
  /** The model asked for (from the body, or from the path for Gemini). */
  model: string | undefined;
  /** Whether the answer was (or is being) streamed. */
  stream: boolean;
  /** The HTTP status answered. */
  status: number;
  /** SSE frames written so far (0 for a non-streaming answer). */
  framesSent: number;
  /** Whether the whole answer was written; false while streaming or when the client went away. */
  completed: boolean;
  /** Whether the client closed the connection before the whole answer was written. */
  abandoned: boolean;
}

/** A running provider. */
export interface LlmProvider {
  /** The origin, `http://127.0.0.1:<port>`. */
  url: string;
  /** `${url}/v1`: OpenAI's `baseURL` (and the Vercel AI SDK's OpenAI-compatible provider's). */
  openaiBaseUrl: string;
  /** `url`: Anthropic's `baseURL` (the SDK adds `/v1/messages`). */
  anthropicBaseUrl: string;
  /** `url`: `@google/genai`'s `httpOptions.baseUrl` (the SDK adds `/v1beta/models/...`). */
  geminiBaseUrl: string;
  /** Every request received, in order. */
  requests: RecordedRequest[];
  /** Stops the server, cutting any stream still running. */
  close(): Promise<void>;
}

type Behaviour = "error-400" | "error-500" | "judge" | "tools" | "slow" | "text";

function behaviourOf(model: string): Behaviour {
  if (model.includes("error-400")) return "error-400";
  if (model.includes("error-500")) return "error-500";
  if (model.includes("judge-")) return "judge";
  if (model.includes("tools")) return "tools";
  if (model.includes("slow")) return "slow";
  return "text";
}

/** The text pieces an answer streams, and whether they are paced. */
function pieces(behaviour: Behaviour): { chunks: readonly string[]; slow: boolean } {
  return behaviour === "slow"
    ? { chunks: Array.from({ length: SLOW_CHUNK_COUNT }, () => SLOW_CHUNK_TEXT), slow: true }
    : { chunks: REPLY_CHUNKS, slow: false };
}

/** The pieces the tool call's JSON arguments stream in. */
const TOOL_ARG_PIECES: readonly string[] = ['{"city":', '"Paris"}'];

/** One SSE frame; `paced` frames are the ones a `slow` model spaces SLOW_CHUNK_INTERVAL_MS apart. */
interface Frame {
  text: string;
  paced: boolean;
}

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

// ---------------------------------------------------------------------------------------------
// OpenAI

function openaiError(status: 400 | 404 | 500, message: string): Json {
  return {
    error: {
      message,
      type: status === 500 ? "server_error" : "invalid_request_error",
      param: null,
      code: status === 404 ? "unknown_url" : null,
    },
  };
}

const OPENAI_USAGE = {
  prompt_tokens: USAGE.input,
  completion_tokens: USAGE.output,
  total_tokens: USAGE.total,
  prompt_tokens_details: { cached_tokens: 0 },
  completion_tokens_details: { reasoning_tokens: 0 },
};

function chatCompletion(id: string, model: string, behaviour: Behaviour): Json {
  const message = behaviour === "tools"
    ? {
      role: "assistant",
      content: null,
      refusal: null,
      tool_calls: [{
        id: TOOL_CALL_ID,
        type: "function",
        function: { name: TOOL_NAME, arguments: TOOL_ARGS_JSON },
      }],
    }
    : { role: "assistant", content: pieces(behaviour).chunks.join(""), refusal: null };
  return {
    id,
    object: "chat.completion",
    created: CREATED,
    model,
    choices: [{
      index: 0,
      message,
      logprobs: null,
      finish_reason: behaviour === "tools" ? "tool_calls" : "stop",
    }],
    usage: OPENAI_USAGE,
  };
}

function chatFrames(id: string, model: string, behaviour: Behaviour, usage: boolean): Frame[] {
  const chunk = (delta: Json, finish: string | null, paced = false): Frame => ({
    text: `data: ${
      JSON.stringify({
        id,
        object: "chat.completion.chunk",
        created: CREATED,
        model,
        choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
      })
    }\n\n`,
    paced,
  });
  const frames: Frame[] = [];
  if (behaviour === "tools") {
    frames.push(chunk({
      role: "assistant",
      content: null,
      tool_calls: [{
        index: 0,
        id: TOOL_CALL_ID,
        type: "function",
        function: { name: TOOL_NAME, arguments: "" },
      }],
    }, null));
    for (const piece of TOOL_ARG_PIECES) {
      frames.push(chunk({ tool_calls: [{ index: 0, function: { arguments: piece } }] }, null));
    }
    frames.push(chunk({}, "tool_calls"));
  } else {
    const { chunks, slow } = pieces(behaviour);
    frames.push(chunk({ role: "assistant", content: "", refusal: null }, null));
    for (const piece of chunks) frames.push(chunk({ content: piece }, null, slow));
    frames.push(chunk({}, "stop"));
  }
  if (usage) {
    const last = { id, object: "chat.completion.chunk", created: CREATED, model, choices: [] };
    frames.push({
      text: `data: ${JSON.stringify({ ...last, usage: OPENAI_USAGE })}\n\n`,
      paced: false,
    });
  }
  frames.push({ text: "data: [DONE]\n\n", paced: false });
  return frames;
}

const RESPONSES_USAGE = {
  input_tokens: USAGE.input,
  input_tokens_details: { cached_tokens: 0 },
  output_tokens: USAGE.output,
  output_tokens_details: { reasoning_tokens: 0 },
  total_tokens: USAGE.total,
};

function responseObject(
  id: string,
  model: string,
  status: "in_progress" | "completed",
  output: Json[],
): Json {
  return {
    id,
    object: "response",
    created_at: CREATED,
    status,
    error: null,
    incomplete_details: null,
    instructions: null,
    max_output_tokens: null,
    model,
    output,
    parallel_tool_calls: true,
    previous_response_id: null,
    reasoning: { effort: null, summary: null },
    store: false,
    temperature: 1,
    text: { format: { type: "text" } },
    tool_choice: "auto",
    tools: [],
    top_p: 1,
    truncation: "disabled",
    usage: status === "completed" ? RESPONSES_USAGE : null,
    metadata: {},
  };
}

function responsesItem(id: string, behaviour: Behaviour, done: boolean): Json {
  if (behaviour === "tools") {
    return {
      type: "function_call",
      id: `fc_${id}`,
      call_id: TOOL_CALL_ID,
      name: TOOL_NAME,
      arguments: done ? TOOL_ARGS_JSON : "",
      status: done ? "completed" : "in_progress",
    };
  }
  return {
    type: "message",
    id: `msg_${id}`,
    status: done ? "completed" : "in_progress",
    role: "assistant",
    content: done ? [outputText(pieces(behaviour).chunks.join(""))] : [],
  };
}

function outputText(text: string): Json {
  return { type: "output_text", text, annotations: [], logprobs: [] };
}

function responsesFrames(id: string, model: string, behaviour: Behaviour): Frame[] {
  let sequence = 0;
  const frames: Frame[] = [];
  const event = (type: string, fields: Json, paced = false): void => {
    const data = JSON.stringify({ type, sequence_number: sequence++, ...fields });
    frames.push({ text: `event: ${type}\ndata: ${data}\n\n`, paced });
  };
  const start = responseObject(id, model, "in_progress", []);
  event("response.created", { response: start });
  event("response.in_progress", { response: start });
  const item = responsesItem(id, behaviour, false);
  const done = responsesItem(id, behaviour, true);
  const itemId = item.id as string;
  event("response.output_item.added", { output_index: 0, item });
  if (behaviour === "tools") {
    for (const delta of TOOL_ARG_PIECES) {
      event("response.function_call_arguments.delta", { item_id: itemId, output_index: 0, delta });
    }
    event("response.function_call_arguments.done", {
      item_id: itemId,
      output_index: 0,
      arguments: TOOL_ARGS_JSON,
    });
  } else {
    const { chunks, slow } = pieces(behaviour);
    const text = chunks.join("");
    const at = { item_id: itemId, output_index: 0, content_index: 0 };
    event("response.content_part.added", { ...at, part: outputText("") });
    for (const delta of chunks) {
      event("response.output_text.delta", { ...at, delta, logprobs: [] }, slow);
    }
    event("response.output_text.done", { ...at, text, logprobs: [] });
    event("response.content_part.done", { ...at, part: outputText(text) });
  }
  event("response.output_item.done", { output_index: 0, item: done });
  event("response.completed", { response: responseObject(id, model, "completed", [done]) });
  return frames;
}

function embeddingInputs(input: unknown): number {
  // A string, a list of strings, a list of token ids, or a list of lists of token ids.
  if (!Array.isArray(input)) return 1;
  return input.length > 0 && typeof input[0] === "number" ? 1 : input.length;
}

function float32Base64(values: number[]): string {
  const bytes = new Uint8Array(new Float32Array(values).buffer);
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}

function openaiEmbeddings(model: string, body: Json): Json {
  const count = embeddingInputs(body.input);
  const base64 = body.encoding_format === "base64";
  return {
    object: "list",
    data: Array.from({ length: count }, (_, index) => ({
      object: "embedding",
      index,
      embedding: base64 ? float32Base64(cannedEmbedding(index)) : cannedEmbedding(index),
    })),
    model,
    usage: {
      prompt_tokens: count * EMBEDDING_TOKENS_PER_INPUT,
      total_tokens: count * EMBEDDING_TOKENS_PER_INPUT,
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Anthropic

function anthropicError(status: 400 | 404 | 500, message: string): Json {
  const type = status === 500
    ? "api_error"
    : status === 404
    ? "not_found_error"
    : "invalid_request_error";
  return { type: "error", error: { type, message } };
}

function anthropicMessage(
  id: string,
  model: string,
  behaviour: Behaviour,
  streaming: boolean,
): Json {
  return {
    id,
    type: "message",
    role: "assistant",
    model,
    content: streaming
      ? []
      : behaviour === "tools"
      ? [{ type: "tool_use", id: TOOL_CALL_ID, name: TOOL_NAME, input: TOOL_ARGS }]
      : [{ type: "text", text: pieces(behaviour).chunks.join("") }],
    stop_reason: streaming ? null : behaviour === "tools" ? "tool_use" : "end_turn",
    stop_sequence: null,
    usage: {
      input_tokens: USAGE.input,
      cache_creation_input_tokens: 0,
      cache_read_input_tokens: 0,
      output_tokens: streaming ? 1 : USAGE.output,
    },
  };
}

function anthropicFrames(id: string, model: string, behaviour: Behaviour): Frame[] {
  const frames: Frame[] = [];
  const event = (type: string, fields: Json, paced = false): void => {
    frames.push({
      text: `event: ${type}\ndata: ${JSON.stringify({ type, ...fields })}\n\n`,
      paced,
    });
  };
  event("message_start", { message: anthropicMessage(id, model, behaviour, true) });
  if (behaviour === "tools") {
    event("content_block_start", {
      index: 0,
      content_block: { type: "tool_use", id: TOOL_CALL_ID, name: TOOL_NAME, input: {} },
    });
    for (const piece of TOOL_ARG_PIECES) {
      event("content_block_delta", {
        index: 0,
        delta: { type: "input_json_delta", partial_json: piece },
      });
    }
  } else {
    const { chunks, slow } = pieces(behaviour);
    event("content_block_start", { index: 0, content_block: { type: "text", text: "" } });
    event("ping", {});
    for (const text of chunks) {
      event("content_block_delta", { index: 0, delta: { type: "text_delta", text } }, slow);
    }
  }
  event("content_block_stop", { index: 0 });
  event("message_delta", {
    delta: { stop_reason: behaviour === "tools" ? "tool_use" : "end_turn", stop_sequence: null },
    usage: { output_tokens: USAGE.output },
  });
  event("message_stop", {});
  return frames;
}

// ---------------------------------------------------------------------------------------------
// Gemini

function geminiError(status: 400 | 404 | 500, message: string): Json {
  const code = status === 500 ? "INTERNAL" : status === 404 ? "NOT_FOUND" : "INVALID_ARGUMENT";
  return { error: { code: status, message, status: code } };
}

const GEMINI_USAGE = {
  promptTokenCount: USAGE.input,
  candidatesTokenCount: USAGE.output,
  totalTokenCount: USAGE.total,
};

function geminiResponse(
  id: string,
  model: string,
  parts: Json[],
  finish: boolean,
  usage: Json,
): Json {
  return {
    candidates: [{
      content: { parts, role: "model" },
      ...(finish ? { finishReason: "STOP" } : {}),
      index: 0,
    }],
    usageMetadata: usage,
    modelVersion: model,
    responseId: id,
  };
}

function geminiParts(behaviour: Behaviour): Json[] {
  return behaviour === "tools"
    ? [{ functionCall: { id: TOOL_CALL_ID, name: TOOL_NAME, args: TOOL_ARGS } }]
    : [{ text: pieces(behaviour).chunks.join("") }];
}

function geminiFrames(id: string, model: string, behaviour: Behaviour): Frame[] {
  const frame = (response: Json, paced = false): Frame => ({
    text: `data: ${JSON.stringify(response)}\r\n\r\n`,
    paced,
  });
  if (behaviour === "tools") {
    return [frame(geminiResponse(id, model, geminiParts(behaviour), true, GEMINI_USAGE))];
  }
  // As Gemini does: every chunk carries usageMetadata; only the last one has the output count.
  const partial = { promptTokenCount: USAGE.input, totalTokenCount: USAGE.input };
  const { chunks, slow } = pieces(behaviour);
  return chunks.map((text, i) => {
    const last = i === chunks.length - 1;
    return frame(
      geminiResponse(id, model, [{ text }], last, last ? GEMINI_USAGE : partial),
      slow,
    );
  });
}

function geminiEmbeddings(body: Json, batch: boolean): Json {
  if (!batch) return { embedding: { values: cannedEmbedding(0) } };
  const count = Array.isArray(body.requests) ? body.requests.length : 1;
  return { embeddings: Array.from({ length: count }, (_, i) => ({ values: cannedEmbedding(i) })) };
}

// ---------------------------------------------------------------------------------------------
// The server

const GEMINI_PATH = /^\/(v1beta|v1|v1alpha)\/models\/([^/:]*):([A-Za-z]+)$/;

function apiOf(method: string, path: string): ProviderApi {
  if (method !== "POST") return "unknown";
  if (path === "/v1/chat/completions") return "openai.chat";
  if (path === "/v1/responses") return "openai.responses";
  if (path === "/v1/embeddings") return "openai.embeddings";
  if (path === "/v1/messages") return "anthropic.messages";
  const gemini = GEMINI_PATH.exec(path);
  if (gemini?.[3] === "generateContent") return "gemini.generateContent";
  if (gemini?.[3] === "streamGenerateContent") return "gemini.streamGenerateContent";
  if (gemini?.[3] === "embedContent" || gemini?.[3] === "batchEmbedContents") {
    return "gemini.embedContent";
  }
  return "unknown";
}

function errorBody(api: ProviderApi, status: 400 | 404 | 500, message: string): Json {
  if (api.startsWith("anthropic")) return anthropicError(status, message);
  if (api.startsWith("gemini")) return geminiError(status, message);
  return openaiError(status, message);
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const parts: Uint8Array[] = [];
    req.on("data", (part: Uint8Array) => parts.push(part));
    req.on("end", () => {
      const all = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
      let at = 0;
      for (const part of parts) {
        all.set(part, at);
        at += part.length;
      }
      resolve(new TextDecoder().decode(all));
    });
    req.on("error", reject);
  });
}

function headersOf(req: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) {
      out[name.toLowerCase()] = Array.isArray(value) ? value.join(", ") : value;
    }
  }
  return out;
}

function sleep(ms: number, stops: Set<() => void>): Promise<void> {
  return new Promise((resolve) => {
    const stop = (): void => {
      clearTimeout(timer);
      stops.delete(stop);
      resolve();
    };
    const timer = setTimeout(stop, ms);
    stops.add(stop);
  });
}

/** Starts the provider on 127.0.0.1, on a free port. */
export async function startLlmProvider(): Promise<LlmProvider> {
  const requests: RecordedRequest[] = [];
  // What wakes every pending delay, so close() never waits for a slow stream.
  const stops = new Set<() => void>();
  let closing = false;
  let counter = 0;

  function sendJson(
    res: ServerResponse,
    record: RecordedRequest,
    status: number,
    body: Json,
  ): void {
    record.status = status;
    const text = JSON.stringify(body);
    res.writeHead(status, {
      "content-type": "application/json",
      "content-length": String(new TextEncoder().encode(text).length),
      "x-request-id": record.id,
      "request-id": record.id,
    });
    res.end(text);
    record.completed = true;
  }

  async function sendStream(res: ServerResponse, record: RecordedRequest, frames: Frame[]) {
    record.status = 200;
    record.stream = true;
    let gone = false;
    res.on("close", () => {
      gone = true;
      if (!record.completed) record.abandoned = true;
    });
    res.writeHead(200, {
      "content-type": "text/event-stream",
      "cache-control": "no-cache",
      "x-request-id": record.id,
      "request-id": record.id,
    });
    res.flushHeaders();
    for (const frame of frames) {
      if (frame.paced) await sleep(SLOW_CHUNK_INTERVAL_MS, stops);
      if (gone || closing) break;
      res.write(frame.text);
      record.framesSent++;
    }
    if (gone || closing) {
      if (!record.completed) record.abandoned = true;
      res.destroy();
      return;
    }
    record.completed = true;
    res.end();
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const method = req.method ?? "GET";
    const api = apiOf(method, url.pathname);
    const text = await readBody(req);
    let body: unknown;
    try {
      body = text === "" ? undefined : JSON.parse(text);
    } catch {
      body = undefined;
    }
    const gemini = GEMINI_PATH.exec(url.pathname);
    const model = api.startsWith("gemini")
      ? (gemini?.[2] || undefined)
      : isObject(body) && typeof body.model === "string" && body.model !== ""
      ? body.model
      : undefined;
    const id = `evalhooks-${++counter}`;
    const record: RecordedRequest = {
      id,
      method,
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      body,
      headers: headersOf(req),
      api,
      model,
      stream: false,
      status: 0,
      framesSent: 0,
      completed: false,
      abandoned: false,
    };
    requests.push(record);

    if (api === "unknown") {
      sendJson(res, record, 404, errorBody(api, 404, `no route for ${method} ${url.pathname}`));
      return;
    }
    if (!isObject(body) || model === undefined) {
      const why = isObject(body) ? "the request names no model" : "the body is not a JSON object";
      sendJson(res, record, 400, errorBody(api, 400, `evalhooks test provider: ${why}`));
      return;
    }
    const behaviour = behaviourOf(model);
    if (behaviour === "error-400" || behaviour === "error-500") {
      const status = behaviour === "error-400" ? 400 : 500;
      sendJson(res, record, status, errorBody(api, status, ERROR_MESSAGES[status]));
      return;
    }
    const streaming = api === "gemini.streamGenerateContent" || body.stream === true;
    if (
      !streaming && behaviour === "slow" && !api.endsWith("embeddings") &&
      api !== "gemini.embedContent"
    ) {
      let gone = false;
      res.on("close", () => gone = true);
      await sleep(SLOW_CHUNK_COUNT * SLOW_CHUNK_INTERVAL_MS, stops);
      if (closing || gone) {
        record.abandoned = gone;
        res.destroy();
        return;
      }
    }
    switch (api) {
      case "openai.chat": {
        if (behaviour === "judge" && !streaming) {
          const completion = chatCompletion(`chatcmpl-${id}`, model, behaviour);
          const choice = (completion.choices as Json[])[0];
          choice.message = { role: "assistant", content: judgeReply(body.messages), refusal: null };
          return sendJson(res, record, 200, completion);
        }
        const streamOptions = isObject(body.stream_options) ? body.stream_options : {};
        const usage = streamOptions.include_usage === true;
        if (streaming) {
          return sendStream(res, record, chatFrames(`chatcmpl-${id}`, model, behaviour, usage));
        }
        return sendJson(res, record, 200, chatCompletion(`chatcmpl-${id}`, model, behaviour));
      }
      case "openai.responses": {
        if (streaming) {
          return sendStream(res, record, responsesFrames(`resp_${id}`, model, behaviour));
        }
        const output = [responsesItem(`resp_${id}`, behaviour, true)];
        return sendJson(res, record, 200, responseObject(`resp_${id}`, model, "completed", output));
      }
      case "openai.embeddings":
        return sendJson(res, record, 200, openaiEmbeddings(model, body));
      case "anthropic.messages": {
        if (streaming) {
          return sendStream(res, record, anthropicFrames(`msg_${id}`, model, behaviour));
        }
        return sendJson(res, record, 200, anthropicMessage(`msg_${id}`, model, behaviour, false));
      }
      case "gemini.generateContent":
        return sendJson(
          res,
          record,
          200,
          geminiResponse(id, model, geminiParts(behaviour), true, GEMINI_USAGE),
        );
      case "gemini.streamGenerateContent":
        return sendStream(res, record, geminiFrames(id, model, behaviour));
      case "gemini.embedContent":
        return sendJson(
          res,
          record,
          200,
          geminiEmbeddings(body, url.pathname.endsWith(":batchEmbedContents")),
        );
    }
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) {
        res.writeHead(500, { "content-type": "text/plain" });
        res.end(`evalhooks test provider failed: ${(error as Error).message}`);
      } else {
        res.destroy();
      }
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    openaiBaseUrl: `${url}/v1`,
    anthropicBaseUrl: url,
    geminiBaseUrl: url,
    requests,
    close(): Promise<void> {
      closing = true;
      for (const stop of [...stops]) stop();
      return new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
