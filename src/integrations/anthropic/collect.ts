// Copyright 2026 the evalhooks authors. MIT license.
// This module is browser compatible.

// Reading Anthropic answers for their spans: a Message's usage in MLflow's shape, the tools of a
// request in MLflow's chat-tool shape, and the assembly of a raw event stream
// (`messages.create({ stream: true })`) into the Message it adds up to, so MLflow's UI shows a
// streamed call as the same chat as a plain one.

import type { CallOutcome, ChunkCollector } from "../llm/traced_call.ts";
import { type TokenUsage, tokenUsage } from "../llm/usage.ts";
import { num, type Obj, obj, plainJson, str } from "../llm/json.ts";

/** Token usage with the cache counters MLflow's Anthropic autolog records next to the three. */
export type AnthropicTokenUsage = TokenUsage & {
  cache_read_input_tokens?: number;
  cache_creation_input_tokens?: number;
};

/**
 * A Message's `usage` as MLflow's Anthropic autolog records it: Anthropic counts cache reads and
 * writes apart from `input_tokens`, so they are added to the input (and total) tokens, as MLflow
 * does to be consistent with OpenAI and Gemini, and also kept as their own counters.
 */
export function anthropicUsage(usage: unknown): AnthropicTokenUsage | undefined {
  const u = obj(usage);
  const base = tokenUsage(u.input_tokens, u.output_tokens);
  if (!base) return undefined;
  const read = num(u.cache_read_input_tokens);
  const created = num(u.cache_creation_input_tokens);
  const out: AnthropicTokenUsage = { ...base };
  if (read !== undefined) out.cache_read_input_tokens = read;
  if (created !== undefined) out.cache_creation_input_tokens = created;
  const cached = (read ?? 0) + (created ?? 0);
  out.input_tokens += cached;
  out.total_tokens += cached;
  return out;
}

/** A Message (or what a stream has of it so far), as its span ends with it. */
export function messageOutcome(message: unknown): CallOutcome {
  const outputs = plainJson(message);
  const m = obj(outputs);
  return { outputs, model: str(m.model), usage: anthropicUsage(m.usage) };
}

/**
 * The request's `tools` in MLflow's chat-tool shape (`{ type: "function", function: { name,
 * description, parameters } }`), as MLflow's Anthropic autolog converts them for
 * `mlflow.chat.tools`. Undefined when the request has no list of tools.
 */
export function chatTools(tools: unknown): unknown[] | undefined {
  if (!Array.isArray(tools)) return undefined;
  return tools.map((raw) => {
    const t = obj(raw);
    const fn: Obj = { name: t.name };
    if (t.description !== undefined) fn.description = t.description;
    if (t.input_schema !== undefined) fn.parameters = t.input_schema;
    return { type: "function", function: fn };
  });
}

interface BlockParts {
  block: Obj;
  /** The `input_json_delta` pieces of a tool-use block, joined. */
  json?: string;
}

function withInput(parts: BlockParts): Obj {
  if (parts.json === undefined) return parts.block;
  let input: unknown = {};
  if (parts.json !== "") {
    try {
      input = JSON.parse(parts.json);
    } catch {
      // Cut short in the middle of the arguments: the input so far is kept as text.
      return { ...parts.block, input: {}, partial_json: parts.json };
    }
  }
  return { ...parts.block, input };
}

/**
 * Assembles the raw events of `messages.create({ stream: true })` (`message_start`,
 * `content_block_start`, `content_block_delta` with text, tool-input JSON, thinking, signature or
 * citation deltas, `message_delta` with the stop reason and usage, `message_stop`) into the
 * Message they add up to; cut short, into the Message so far.
 */
export function messageEventCollector(): ChunkCollector {
  let head: Obj | undefined;
  let usage: Obj = {};
  const blocks = new Map<number, BlockParts>();
  return {
    add(event) {
      const e = obj(event);
      const index = typeof e.index === "number" ? e.index : 0;
      switch (e.type) {
        case "message_start": {
          const m = obj(plainJson(e.message));
          head = m;
          usage = obj(m.usage);
          break;
        }
        case "content_block_start": {
          const block = obj(plainJson(e.content_block));
          const tracksInput = block.type === "tool_use" || block.type === "server_tool_use";
          blocks.set(index, { block, json: tracksInput ? "" : undefined });
          break;
        }
        case "content_block_delta": {
          const parts = blocks.get(index);
          if (!parts) break;
          const d = obj(e.delta);
          const b = parts.block;
          if (d.type === "text_delta" && typeof d.text === "string") {
            b.text = (str(b.text) ?? "") + d.text;
          } else if (d.type === "input_json_delta" && typeof d.partial_json === "string") {
            parts.json = (parts.json ?? "") + d.partial_json;
          } else if (d.type === "thinking_delta" && typeof d.thinking === "string") {
            b.thinking = (str(b.thinking) ?? "") + d.thinking;
          } else if (d.type === "signature_delta" && typeof d.signature === "string") {
            b.signature = d.signature;
          } else if (d.type === "citations_delta" && d.citation !== undefined) {
            b.citations = [...(Array.isArray(b.citations) ? b.citations : []), d.citation];
          }
          break;
        }
        case "message_delta": {
          if (!head) break;
          const d = obj(e.delta);
          if ("stop_reason" in d) head.stop_reason = d.stop_reason;
          if ("stop_sequence" in d) head.stop_sequence = d.stop_sequence;
          // The counters of `message_delta` are the message's totals so far: they replace.
          const u = obj(plainJson(e.usage));
          for (const [key, value] of Object.entries(u)) {
            if (value !== null && value !== undefined) usage[key] = value;
          }
          break;
        }
      }
    },
    outcome() {
      const content = [...blocks.entries()].sort((a, b) => a[0] - b[0]).map((e) => withInput(e[1]));
      const message = head
        ? { ...head, content, usage }
        : { type: "message", role: "assistant", content };
      return messageOutcome(message);
    },
  };
}
