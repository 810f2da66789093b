// Copyright 2026 the evalhooks authors. MIT license.
// This module is browser compatible.

// The request and response previews of a trace (the Request and Response columns of MLflow's
// trace lists), made as Python's client makes them: the root span's inputs or outputs as JSON
// text written the way `json.dumps` writes it (a string quoted), or, for a chat, the text of its
// last user (request) or assistant (response) message; at most 1,000 characters, NUL replaced
// (PostgreSQL refuses it). The `mlflow.traceInputs`/`mlflow.traceOutputs` metadata is the JSON
// text cut to 250 characters, as Python cuts it.

import { pythonJsonDumps } from "../base/python_json.ts";
import { cutWithEllipsis } from "../base/text.ts";
import { safeJson } from "../store/spans.ts";

const PREVIEW_CHARS = 1000;
const METADATA_CHARS = 250;

/** The previews and preview metadata of a trace whose root span has `inputs` and `outputs`. */
export function tracePreviews(inputs: unknown, outputs: unknown): {
  request: string;
  response: string;
  inputsMetadata: string;
  outputsMetadata: string;
} {
  const inputsText = jsonText(inputs);
  const outputsText = jsonText(outputs);
  return {
    request: preview(inputs, inputsText, "user"),
    response: preview(outputs, outputsText, "assistant"),
    inputsMetadata: cutWithEllipsis(noNul(inputsText), METADATA_CHARS),
    outputsMetadata: cutWithEllipsis(noNul(outputsText), METADATA_CHARS),
  };
}

function jsonText(value: unknown): string {
  if (value === undefined) return "";
  try {
    return pythonJsonDumps(value, { ensureAscii: false });
  } catch {
    return safeJson(value); // a bigint or a cycle: still something readable
  }
}

function preview(value: unknown, text: string, role: string): string {
  let object = value;
  if (typeof value === "string") {
    try {
      object = JSON.parse(value);
    } catch { /* plain text */ }
  }
  const messages = chatMessages(object);
  const content = messages && messages.length > 0 ? messageText(lastOf(messages, role)) : "";
  return cutWithEllipsis(noNul(content || text), PREVIEW_CHARS);
}

type Message = { role: unknown; content: unknown };

function isMessage(item: unknown): item is Message {
  return typeof item === "object" && item !== null && "role" in item && "content" in item;
}

// The chat shapes Python's client recognises: `messages`, a completion's `choices[0].message`,
// a Responses API `input` or `output` list, and a `request` holding one of these.
function chatMessages(value: unknown): Message[] | undefined {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return undefined;
  const o = value as Record<string, unknown>;
  if (Array.isArray(o.messages) && o.messages.length > 0) return o.messages.filter(isMessage);
  if (Array.isArray(o.choices) && o.choices.length > 0) {
    const first = o.choices[0] as Record<string, unknown> | null;
    const message = typeof first === "object" && first !== null ? first.message : undefined;
    if (isMessage(message)) return [message];
  }
  if (Array.isArray(o.input) && o.input.length > 0) return o.input.filter(isMessage);
  if (Array.isArray(o.output) && o.output.length > 0) return o.output.filter(isMessage);
  if ("request" in o) return chatMessages(o.request);
  return undefined;
}

function lastOf(messages: Message[], role: string): Message {
  for (let i = messages.length - 1; i >= 0; i--) if (messages[i].role === role) return messages[i];
  return messages[messages.length - 1];
}

function messageText(message: Message): string {
  const { content } = message;
  if (typeof content === "string") return content;
  if (Array.isArray(content)) {
    for (const part of content) {
      if (typeof part === "string") return part;
      if (typeof part === "object" && part !== null) {
        const p = part as Record<string, unknown>;
        if ((p.type === "text" || p.type === "output_text") && typeof p.text === "string") {
          return p.text;
        }
      }
    }
  }
  return "";
}

function noNul(text: string): string {
  return text.includes("\0") ? text.replaceAll("\0", "\uFFFD") : text;
}
