// Copyright 2026 the evalhooks authors. MIT license.
// This module is browser compatible.

// Chat messages of the two conventions the bridge reads, in OpenAI's chat format: MLflow's UI
// draws `{ messages: [...] }` inputs and `{ choices: [{ message }] }` outputs of a span whose
// `mlflow.message.format` is `openai` as a conversation.
//
// - OpenTelemetry GenAI: `gen_ai.input.messages` / `gen_ai.output.messages` are lists of
//   `{ role, parts: [{ type: "text", content } | { type: "tool_call", id, name, arguments } |
//   { type: "tool_call_response", id, response } | { type: "uri" | "blob", ... }], finish_reason }`,
//   `gen_ai.system_instructions` a list of parts; the deprecated `gen_ai.prompt` /
//   `gen_ai.completion` already hold `{ role, content }` messages.
// - Vercel AI SDK: `ai.prompt.messages` is the provider prompt, `{ role, content: string |
//   [{ type: "text", text } | { type: "tool-call", toolCallId, toolName, input | args } |
//   { type: "tool-result", toolCallId, output | result } | { type: "image" | "file", ... }] }`.
//
// A message that fits neither is passed through when it already has a role and content, so an
// instrumentation writing OpenAI messages keeps them as they are.

import { isRecord as isObj } from "../../base/records.ts";

/** A message in OpenAI's chat format. */
export type ChatMessage = Record<string, unknown> & { role: string };

/** A choice of an OpenAI chat completion. */
export interface ChatChoice {
  index: number;
  message: ChatMessage;
  finish_reason?: string;
}

type Obj = Record<string, unknown>;

const str = (v: unknown): string | undefined => typeof v === "string" ? v : undefined;

/** A JSON string's value (attributes carry structures as JSON text); anything else as it is. */
export function parseJson(value: unknown): unknown {
  if (typeof value !== "string") return value;
  const t = value.trimStart();
  if (!(t.startsWith("{") || t.startsWith("[") || t.startsWith('"'))) return value;
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}

/** JSON text of a tool call's arguments, which OpenAI's format carries as a string. */
function argumentsText(value: unknown): string {
  if (typeof value === "string") return value;
  return JSON.stringify(value ?? {});
}

/** Text of a tool result or message content for OpenAI's `content` string. */
function text(value: unknown): string {
  return typeof value === "string" ? value : JSON.stringify(value ?? null);
}

/** Content parts joined as one string when all are text, else OpenAI content parts. */
function content(parts: Obj[]): string | Obj[] | null {
  if (parts.length === 0) return null;
  if (parts.every((p) => p.type === "text")) return parts.map((p) => String(p.text)).join("\n");
  return parts;
}

function dataUrl(data: unknown, mediaType: unknown): string | undefined {
  const d = str(data);
  if (d === undefined) return undefined;
  if (/^(https?:|data:)/.test(d)) return d;
  return `data:${str(mediaType) ?? "application/octet-stream"};base64,${d}`;
}

/** A media part as an OpenAI content part: images by URL, other files as `file` parts. */
function mediaPart(url: string | undefined, mediaType: unknown, name?: unknown): Obj | undefined {
  if (url === undefined) return undefined;
  if (String(mediaType ?? "").startsWith("image/") || /^data:image\//.test(url)) {
    return { type: "image_url", image_url: { url } };
  }
  return { type: "file", file: { file_data: url, ...(str(name) ? { filename: name } : {}) } };
}

// ---------------------------------------------------------------------------------------------
// OpenTelemetry GenAI semantic conventions

/** One GenAI message (`{ role, parts }`) as OpenAI messages (a tool response is its own). */
function fromGenAiMessage(m: Obj): ChatMessage[] | undefined {
  const role = str(m.role);
  if (role === undefined) return undefined;
  if (!Array.isArray(m.parts)) return "content" in m ? [{ ...m, role }] : undefined;
  const parts: Obj[] = [];
  const toolCalls: Obj[] = [];
  const toolResults: ChatMessage[] = [];
  for (const p of m.parts) {
    if (!isObj(p)) continue;
    switch (p.type) {
      case "text":
        parts.push({ type: "text", text: text(p.content) });
        break;
      case "tool_call":
        toolCalls.push({
          id: p.id,
          type: "function",
          function: { name: p.name, arguments: argumentsText(p.arguments) },
        });
        break;
      case "tool_call_response":
        toolResults.push({ role: "tool", tool_call_id: p.id, content: text(p.response) });
        break;
      case "uri": {
        const part = mediaPart(str(p.uri), p.mime_type);
        if (part) parts.push(part);
        break;
      }
      case "blob": {
        const part = mediaPart(dataUrl(p.content, p.mime_type), p.mime_type);
        if (part) parts.push(part);
        break;
      }
        // reasoning and provider-specific parts have no place in OpenAI's format (the original
        // attribute stays on the span).
    }
  }
  const out: ChatMessage[] = [];
  if (parts.length > 0 || toolCalls.length > 0) {
    const message: ChatMessage = { role, content: content(parts) };
    if (str(m.name)) message.name = m.name;
    if (toolCalls.length > 0) message.tool_calls = toolCalls;
    out.push(message);
  }
  return [...out, ...toolResults];
}

/** `gen_ai.input.messages` (or the deprecated `gen_ai.prompt`) as OpenAI messages. */
export function genAiMessages(value: unknown): ChatMessage[] | undefined {
  const v = parseJson(value);
  if (typeof v === "string") return v === "" ? undefined : [{ role: "user", content: v }];
  if (!Array.isArray(v)) return undefined;
  const out: ChatMessage[] = [];
  for (const m of v) {
    const converted = isObj(m) ? fromGenAiMessage(m) : undefined;
    if (converted === undefined) return undefined; // not messages: leave the value alone
    out.push(...converted);
  }
  return out.length > 0 ? out : undefined;
}

/** `gen_ai.system_instructions` (a list of parts, or text) as one system message. */
export function genAiSystem(value: unknown): ChatMessage | undefined {
  const v = parseJson(value);
  if (typeof v === "string") return v === "" ? undefined : { role: "system", content: v };
  if (!Array.isArray(v)) return undefined;
  const texts = v.filter(isObj).filter((p) => p.type === "text").map((p) => text(p.content));
  return texts.length > 0 ? { role: "system", content: texts.join("\n") } : undefined;
}

/** `gen_ai.output.messages` (or the deprecated `gen_ai.completion`) as OpenAI choices. */
export function genAiChoices(value: unknown): ChatChoice[] | undefined {
  const v = parseJson(value);
  if (typeof v === "string") {
    return v === "" ? undefined : [{ index: 0, message: { role: "assistant", content: v } }];
  }
  if (!Array.isArray(v)) return undefined;
  const choices: ChatChoice[] = [];
  for (const m of v) {
    if (!isObj(m)) return undefined;
    const messages = fromGenAiMessage({ role: "assistant", ...m });
    if (messages === undefined) return undefined;
    const message = messages[0] ?? { role: "assistant", content: null };
    const { finish_reason, ...rest } = message;
    const reason = str(m.finish_reason) ?? str(finish_reason);
    choices.push({
      index: choices.length,
      message: rest as ChatMessage,
      ...(reason ? { finish_reason: reason } : {}),
    });
  }
  return choices.length > 0 ? choices : undefined;
}

/** `gen_ai.tool.definitions` (`[{ type, name, description, parameters }]`) as OpenAI tools. */
export function genAiTools(value: unknown): Obj[] | undefined {
  const v = parseJson(value);
  if (!Array.isArray(v)) return undefined;
  const tools = v.filter(isObj).map((t) =>
    isObj(t.function) ? t : {
      type: "function",
      function: {
        name: t.name,
        ...(t.description !== undefined ? { description: t.description } : {}),
        parameters: t.parameters ?? {},
      },
    }
  );
  return tools.length > 0 ? tools : undefined;
}

// ---------------------------------------------------------------------------------------------
// Vercel AI SDK

/** One AI SDK message (provider prompt or `ModelMessage`) as OpenAI messages. */
function fromAiMessage(m: Obj): ChatMessage[] | undefined {
  const role = str(m.role);
  if (role === undefined) return undefined;
  if (typeof m.content === "string") return [{ role, content: m.content }];
  if (!Array.isArray(m.content)) return undefined;
  const parts: Obj[] = [];
  const toolCalls: Obj[] = [];
  const toolResults: ChatMessage[] = [];
  for (const p of m.content) {
    if (!isObj(p)) continue;
    switch (p.type) {
      case "text":
        parts.push({ type: "text", text: text(p.text) });
        break;
      case "image": {
        const part = mediaPart(dataUrl(p.image, p.mediaType ?? p.mimeType), "image/");
        if (part) parts.push(part);
        break;
      }
      case "file": {
        const type = p.mediaType ?? p.mimeType;
        const part = mediaPart(dataUrl(p.data, type), type, p.filename);
        if (part) parts.push(part);
        break;
      }
      case "tool-call": // `input` since AI SDK 5, `args` before
        toolCalls.push({
          id: p.toolCallId,
          type: "function",
          function: { name: p.toolName, arguments: argumentsText(p.input ?? p.args) },
        });
        break;
      case "tool-result": {
        // AI SDK 5+: `output: { type: "text" | "json" | "error-text" | ..., value }`; 4: `result`.
        const output = isObj(p.output) && "value" in p.output ? p.output.value : p.output;
        toolResults.push({
          role: "tool",
          tool_call_id: p.toolCallId,
          content: text(output ?? p.result),
        });
        break;
      }
        // reasoning parts have no place in OpenAI's format (the attribute keeps them).
    }
  }
  const out: ChatMessage[] = [];
  if (parts.length > 0 || toolCalls.length > 0) {
    const message: ChatMessage = { role, content: content(parts) };
    if (toolCalls.length > 0) message.tool_calls = toolCalls;
    out.push(message);
  }
  return [...out, ...toolResults];
}

/** A list of AI SDK messages (`ai.prompt.messages`) as OpenAI messages. */
export function aiMessages(value: unknown): ChatMessage[] | undefined {
  const v = parseJson(value);
  if (!Array.isArray(v)) return undefined;
  const out: ChatMessage[] = [];
  for (const m of v) {
    const converted = isObj(m) ? fromAiMessage(m) : undefined;
    if (converted === undefined) return undefined;
    out.push(...converted);
  }
  return out.length > 0 ? out : undefined;
}

/** `ai.prompt` (`{ system?, prompt?, messages? }` of the outer call) as OpenAI messages. */
export function aiPrompt(value: unknown): ChatMessage[] | undefined {
  const v = parseJson(value);
  if (!isObj(v)) return undefined;
  const out: ChatMessage[] = [];
  for (const system of Array.isArray(v.system) ? v.system : [v.system]) {
    if (typeof system === "string" && system !== "") out.push({ role: "system", content: system });
    else if (isObj(system)) out.push(...(fromAiMessage(system) ?? []));
  }
  for (const source of [v.prompt, v.messages]) {
    if (typeof source === "string") out.push({ role: "user", content: source });
    else if (Array.isArray(source)) out.push(...(aiMessages(source) ?? []));
  }
  return out.length > 0 ? out : undefined;
}

// The AI SDK's finish reasons, by OpenAI's name where it has one.
const FINISH_REASONS: Record<string, string> = {
  "tool-calls": "tool_calls",
  "content-filter": "content_filter",
};

/**
 * The answer of an AI SDK call (`ai.response.text`, `ai.response.toolCalls`,
 * `ai.response.finishReason`) as one OpenAI choice; undefined when it recorded neither.
 */
export function aiChoice(
  responseText: unknown,
  toolCallsValue: unknown,
  finishReason: unknown,
): ChatChoice[] | undefined {
  const calls = parseJson(toolCallsValue);
  const toolCalls = Array.isArray(calls)
    ? calls.filter(isObj).map((c) => ({
      id: c.toolCallId,
      type: "function",
      function: { name: c.toolName, arguments: argumentsText(c.input ?? c.args) },
    }))
    : [];
  const t = str(responseText);
  if (t === undefined && toolCalls.length === 0) return undefined;
  const message: ChatMessage = {
    role: "assistant",
    // OpenAI's format says `null`, not "", for an answer that is only tool calls.
    content: t === undefined || (t === "" && toolCalls.length > 0) ? null : t,
  };
  if (toolCalls.length > 0) message.tool_calls = toolCalls;
  const reason = str(finishReason);
  return [{
    index: 0,
    message,
    ...(reason ? { finish_reason: FINISH_REASONS[reason] ?? reason } : {}),
  }];
}

/**
 * `ai.prompt.tools` (a list of JSON texts, `{ type: "function", name, description, inputSchema
 * | parameters }`) as OpenAI tools.
 */
export function aiTools(value: unknown): Obj[] | undefined {
  const list = parseJson(value);
  if (!Array.isArray(list)) return undefined;
  const tools: Obj[] = [];
  for (const item of list) {
    const t = parseJson(item);
    if (!isObj(t)) continue;
    if (t.type !== undefined && t.type !== "function") {
      tools.push(t); // a provider-defined tool: kept as the SDK described it
      continue;
    }
    tools.push({
      type: "function",
      function: {
        name: t.name,
        ...(t.description !== undefined ? { description: t.description } : {}),
        parameters: t.inputSchema ?? t.parameters ?? {},
      },
    });
  }
  return tools.length > 0 ? tools : undefined;
}
