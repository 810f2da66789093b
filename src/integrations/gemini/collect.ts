// Copyright 2026 the evalhooks authors. MIT license.
// This module is browser compatible.

// Reading Gemini answers for their spans. `@google/genai` returns class instances with getters
// (`.text`, `.functionCalls`): the span keeps plain JSON of them. The parts MLflow's UI reads in
// the `gemini` message format are named as MLflow's Python autolog records them (the Python
// SDK's snake_case dump: `function_call`, `function_response`, `inline_data`, `file_data`), so
// the chat view shows tool calls and media too; everything else is the SDK's JSON as it is. A
// stream's chunks are assembled into the one response they add up to.

import type { CallOutcome, ChunkCollector } from "../llm/traced_call.ts";
import { type TokenUsage, tokenUsage } from "../llm/usage.ts";
import { isObj, num, type Obj, obj, plainJson, str } from "../llm/json.ts";

// The part kinds MLflow's UI recognizes, by the names its Gemini chat reader expects.
const PART_KEYS: Record<string, string> = {
  functionCall: "function_call",
  functionResponse: "function_response",
  inlineData: "inline_data",
  fileData: "file_data",
};
const BLOB_KEYS: Record<string, string> = {
  mimeType: "mime_type",
  fileUri: "file_uri",
  displayName: "display_name",
};

function renameKeys(o: Obj, names: Record<string, string>): Obj {
  const out: Obj = {};
  for (const [key, value] of Object.entries(o)) out[names[key] ?? key] = value;
  return out;
}

/** One part, its kind named as MLflow reads it; the call's `args` and the like stay as they are. */
function normalizePart(part: unknown): unknown {
  if (!isObj(part)) return part;
  const out = renameKeys(part, PART_KEYS);
  for (const key of ["inline_data", "file_data"]) {
    if (isObj(out[key])) out[key] = renameKeys(out[key] as Obj, BLOB_KEYS);
  }
  return out;
}

function normalizeContent(content: unknown): unknown {
  if (!isObj(content)) return content;
  if (!Array.isArray(content.parts)) return normalizePart(content);
  return { ...content, parts: content.parts.map(normalizePart) };
}

/**
 * The `contents` of a request (a string, a Content, a list of Contents, parts or strings) as
 * plain JSON with MLflow's part names.
 */
export function normalizeContents(contents: unknown): unknown {
  const plain = plainJson(contents);
  if (Array.isArray(plain)) return plain.map(normalizeContent);
  return normalizeContent(plain);
}

/**
 * A `GenerateContentResponse` as plain JSON for the span's outputs: its candidates' parts with
 * MLflow's names, and without `sdkHttpResponse` (the HTTP headers, not the answer).
 */
export function responseJson(response: unknown): unknown {
  const plain = plainJson(response);
  if (!isObj(plain)) return plain;
  const { sdkHttpResponse: _h, ...rest } = plain;
  if (Array.isArray(rest.candidates)) {
    rest.candidates = rest.candidates.map((c) =>
      isObj(c) && c.content !== undefined ? { ...c, content: normalizeContent(c.content) } : c
    );
  }
  return rest;
}

/** Token usage with the cache counter MLflow's Gemini autolog records next to the three. */
export type GeminiTokenUsage = TokenUsage & { cache_read_input_tokens?: number };

/**
 * `usageMetadata` as MLflow's Gemini autolog records it: thinking tokens are billed as output,
 * so they are added to the candidates' tokens; cached prompt tokens are kept as their own count.
 */
export function geminiUsage(usageMetadata: unknown): GeminiTokenUsage | undefined {
  const u = obj(usageMetadata);
  const candidates = num(u.candidatesTokenCount);
  const thoughts = num(u.thoughtsTokenCount);
  const output = candidates === undefined && thoughts === undefined
    ? undefined
    : (candidates ?? 0) + (thoughts ?? 0);
  const base = tokenUsage(u.promptTokenCount, output, u.totalTokenCount);
  if (!base) return undefined;
  const cached = num(u.cachedContentTokenCount);
  return cached === undefined ? base : { ...base, cache_read_input_tokens: cached };
}

/** A response, as its span ends with it. */
export function responseOutcome(response: unknown): CallOutcome {
  const r = obj(plainJson(response));
  return {
    outputs: responseJson(r),
    model: str(r.modelVersion),
    usage: geminiUsage(r.usageMetadata),
  };
}

/**
 * The function declarations of `config.tools` in MLflow's chat-tool shape (`{ type: "function",
 * function: { name, description, parameters } }`), as MLflow's Gemini autolog converts them for
 * `mlflow.chat.tools`. Undefined when there are none.
 */
export function chatTools(config: unknown): unknown[] | undefined {
  const tools = obj(config).tools;
  if (!Array.isArray(tools)) return undefined;
  const out: unknown[] = [];
  for (const tool of tools) {
    const declarations = obj(tool).functionDeclarations;
    for (const raw of Array.isArray(declarations) ? declarations : []) {
      const d = obj(raw);
      const fn: Obj = { name: d.name };
      if (d.description !== undefined) fn.description = d.description;
      const parameters = d.parameters ?? d.parametersJsonSchema;
      if (parameters !== undefined) fn.parameters = plainJson(parameters);
      out.push({ type: "function", function: fn });
    }
  }
  return out.length ? out : undefined;
}

interface CandidateParts {
  index: number;
  fields: Obj;
  role?: unknown;
  parts: Obj[];
}

// A bare text part (text, and maybe the thought flag): the kind consecutive chunks extend.
const isBareText = (p: Obj): boolean =>
  typeof p.text === "string" && Object.keys(p).every((k) => k === "text" || k === "thought");

/**
 * Assembles the chunks of `models.generateContentStream(...)` into the response they add up to:
 * each candidate's text joined (thoughts apart from the answer), its function calls and other
 * parts in order, its last finish reason; the usage of the last chunk that has one (every chunk
 * carries the counts so far, only the last one the whole).
 */
export function responseChunkCollector(): ChunkCollector {
  let head: Obj = {};
  let usage: unknown;
  const candidates = new Map<number, CandidateParts>();
  return {
    add(chunk) {
      const c = obj(plainJson(chunk));
      const { candidates: list, usageMetadata, sdkHttpResponse: _h, ...rest } = c;
      head = { ...head, ...rest };
      if (usageMetadata !== undefined) usage = usageMetadata;
      (Array.isArray(list) ? list : []).forEach((raw, position) => {
        const cand = obj(raw);
        const index = typeof cand.index === "number" ? cand.index : position;
        let acc = candidates.get(index);
        if (!acc) candidates.set(index, acc = { index, fields: {}, parts: [] });
        const { content, index: _i, ...fields } = cand;
        acc.fields = { ...acc.fields, ...fields };
        const ct = obj(content);
        if (ct.role !== undefined) acc.role = ct.role;
        for (const rawPart of Array.isArray(ct.parts) ? ct.parts : []) {
          const part = obj(rawPart);
          const last = acc.parts[acc.parts.length - 1];
          if (
            last && isBareText(last) && isBareText(part) &&
            Boolean(last.thought) === Boolean(part.thought)
          ) {
            last.text = `${last.text}${part.text}`;
          } else {
            acc.parts.push({ ...part });
          }
        }
      });
    },
    outcome() {
      const response: Obj = {
        candidates: [...candidates.values()].sort((a, b) => a.index - b.index).map((a) => ({
          content: { ...(a.role !== undefined ? { role: a.role } : {}), parts: a.parts },
          ...a.fields,
          index: a.index,
        })),
        ...head,
      };
      if (usage !== undefined) response.usageMetadata = usage;
      return responseOutcome(response);
    },
  };
}
