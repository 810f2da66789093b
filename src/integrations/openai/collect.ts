// Copyright 2026 the evalhooks authors. MIT license.
// This module is browser compatible.

// Reading OpenAI answers for their spans: the usage of a chat completion, a response or an
// embedding, and the assembly of streamed chunks into the answer they add up to (the shape of a
// non-streamed answer, so MLflow's UI shows a streamed call as the same chat).

import type { CallOutcome, ChunkCollector } from "../llm/traced_call.ts";
import { tokenUsage } from "../llm/usage.ts";
import { type Obj, obj, str } from "../llm/json.ts";

/** A chat completion or a response, as its span ends with it. */
export function answerOutcome(answer: unknown): CallOutcome {
  const a = obj(answer);
  const u = obj(a.usage);
  return {
    outputs: answer,
    model: str(a.model),
    // Chat completions say prompt/completion tokens; the Responses API says input/output.
    usage: tokenUsage(
      u.prompt_tokens ?? u.input_tokens,
      u.completion_tokens ?? u.output_tokens,
      u.total_tokens,
    ),
  };
}

/** An embeddings answer: the vectors are summed up by their sizes, not copied into the span. */
export function embeddingOutcome(answer: unknown): CallOutcome {
  const a = obj(answer);
  const u = obj(a.usage);
  const data = Array.isArray(a.data) ? a.data : [];
  return {
    outputs: {
      model: a.model,
      data: data.map((d) => {
        const e = obj(d);
        return {
          index: e.index,
          dimensions: Array.isArray(e.embedding) ? e.embedding.length : undefined,
        };
      }),
      usage: a.usage,
    },
    model: str(a.model),
    usage: tokenUsage(u.prompt_tokens, 0, u.total_tokens),
  };
}

interface ToolCallParts {
  id?: string;
  type: string;
  function: { name: string; arguments: string };
}

interface ChoiceParts {
  index: number;
  role: string;
  content: string;
  hasContent: boolean;
  toolCalls: Map<number, ToolCallParts>;
  finishReason: unknown;
}

/** Assembles `chat.completions.create({ stream: true })` chunks into a chat completion. */
export function chatChunkCollector(): ChunkCollector {
  let head: Obj = {};
  let usage: unknown;
  const choices = new Map<number, ChoiceParts>();
  return {
    add(chunk) {
      const c = obj(chunk);
      if (!head.id && c.id) head = { id: c.id, created: c.created, model: c.model };
      if (c.usage) usage = c.usage;
      for (const raw of Array.isArray(c.choices) ? c.choices : []) {
        const ch = obj(raw);
        const index = typeof ch.index === "number" ? ch.index : 0;
        let parts = choices.get(index);
        if (!parts) {
          parts = {
            index,
            role: "assistant",
            content: "",
            hasContent: false,
            toolCalls: new Map(),
            finishReason: null,
          };
          choices.set(index, parts);
        }
        const delta = obj(ch.delta);
        if (typeof delta.role === "string") parts.role = delta.role;
        if (typeof delta.content === "string") {
          parts.content += delta.content;
          parts.hasContent = true;
        }
        for (const rawCall of Array.isArray(delta.tool_calls) ? delta.tool_calls : []) {
          const tc = obj(rawCall);
          const i = typeof tc.index === "number" ? tc.index : 0;
          const f = obj(tc.function);
          const call = parts.toolCalls.get(i) ??
            { type: "function", function: { name: "", arguments: "" } };
          if (typeof tc.id === "string") call.id = tc.id;
          if (typeof f.name === "string") call.function.name += f.name;
          if (typeof f.arguments === "string") call.function.arguments += f.arguments;
          parts.toolCalls.set(i, call);
        }
        if (ch.finish_reason) parts.finishReason = ch.finish_reason;
      }
    },
    outcome() {
      const answer = {
        ...head,
        object: "chat.completion",
        choices: [...choices.values()].sort((a, b) => a.index - b.index).map((p) => ({
          index: p.index,
          message: {
            role: p.role,
            content: p.hasContent ? p.content : null,
            ...(p.toolCalls.size
              ? {
                tool_calls: [...p.toolCalls.entries()].sort((a, b) => a[0] - b[0]).map((e) => e[1]),
              }
              : {}),
          },
          finish_reason: p.finishReason,
        })),
        ...(usage ? { usage } : {}),
      };
      return answerOutcome(answer);
    },
  };
}

/** Assembles `responses.create({ stream: true })` events into the response they end with. */
export function responseEventCollector(): ChunkCollector {
  let final: unknown;
  let latest: Obj = {};
  let text = "";
  return {
    add(event) {
      const e = obj(event);
      if (e.response && typeof e.response === "object") latest = e.response as Obj;
      if (e.type === "response.output_text.delta" && typeof e.delta === "string") text += e.delta;
      if (e.type === "response.completed" || e.type === "response.incomplete") final = e.response;
    },
    outcome() {
      // Cut short, the answer is what the deltas said so far.
      return answerOutcome(final ?? { ...latest, output_text: text });
    },
  };
}
