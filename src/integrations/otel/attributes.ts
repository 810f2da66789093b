// Copyright 2026 the evalhooks authors. MIT license.
// This module is browser compatible.

// What an OpenTelemetry span's attributes say in MLflow's terms: its span type, inputs, outputs,
// model, provider and token usage. Two conventions are read, the OpenTelemetry GenAI semantic
// conventions (`gen_ai.*`, https://opentelemetry.io/docs/specs/semconv/gen-ai/) and the Vercel
// AI SDK's telemetry (`ai.*`, https://ai-sdk.dev/docs/ai-sdk-core/telemetry), plus MLflow's own
// attribute names for code that already writes them. Every rule is a row of a table below, in
// the order it is tried; the first row that has an answer wins. The span keeps every original
// attribute as well (JSON text stays text), so nothing an instrumentation recorded is lost.

import type { SpanType } from "../../client/trace_types.ts";
import {
  aiChoice,
  aiMessages,
  aiPrompt,
  aiTools,
  type ChatChoice,
  type ChatMessage,
  genAiChoices,
  genAiMessages,
  genAiSystem,
  genAiTools,
  parseJson,
} from "./messages.ts";
import { isRecord as isObj } from "../../base/records.ts";

/** Token usage as MLflow's `mlflow.chat.tokenUsage` holds it. */
export interface TokenUsage {
  input_tokens: number;
  output_tokens: number;
  total_tokens: number;
  cache_read_input_tokens?: number;
  cache_creation_input_tokens?: number;
}

/** What one OpenTelemetry span becomes in MLflow. */
export interface SpanMapping {
  spanType: SpanType;
  /** The span's inputs; undefined when the attributes name none. */
  inputs?: unknown;
  /** The span's outputs; undefined when the attributes name none. */
  outputs?: unknown;
  /**
   * The original attributes (MLflow's reserved keys taken out: they become the fields above),
   * plus `mlflow.llm.model`, `mlflow.llm.provider` and `mlflow.message.format` where known.
   */
  attributes: Record<string, unknown>;
  /**
   * The token usage the span reports. Not in `attributes`: the caller puts it in
   * `mlflow.chat.tokenUsage` only where it is not counted twice (see build_trace.ts).
   */
  usage?: TokenUsage;
}

type Attrs = Readonly<Record<string, unknown>>;
type Events = readonly { readonly name: string; readonly attributes?: Attrs }[];

// ---------------------------------------------------------------------------------------------
// Span types

/**
 * The Vercel AI SDK's `ai.operationId`. The outer call of a function (`ai.generateText`) spans
 * its whole run, its steps and its tool calls: a CHAIN. The provider call inside it
 * (`.doGenerate`, `.doStream`) is the model call, with chat messages in and out: CHAT_MODEL.
 */
const AI_SDK_TYPES: Readonly<Record<string, SpanType>> = {
  "ai.generateText": "CHAIN",
  "ai.streamText": "CHAIN",
  "ai.generateObject": "CHAIN",
  "ai.streamObject": "CHAIN",
  "ai.embed": "CHAIN",
  "ai.embedMany": "CHAIN",
  "ai.rerank": "CHAIN",
  "ai.generateText.doGenerate": "CHAT_MODEL",
  "ai.streamText.doStream": "CHAT_MODEL",
  "ai.generateObject.doGenerate": "CHAT_MODEL",
  "ai.streamObject.doStream": "CHAT_MODEL",
  "ai.embed.doEmbed": "EMBEDDING",
  "ai.embedMany.doEmbed": "EMBEDDING",
  "ai.rerank.doRerank": "RERANKER",
  "ai.toolCall": "TOOL",
};

/**
 * The GenAI conventions' `gen_ai.operation.name`, as MLflow's own OTLP ingestion reads it: a
 * chat call is a CHAT_MODEL, a plain completion (and Gemini's `generate_content`) an LLM.
 */
const GEN_AI_TYPES: Readonly<Record<string, SpanType>> = {
  chat: "CHAT_MODEL",
  text_completion: "LLM",
  generate_content: "LLM",
  embeddings: "EMBEDDING",
  execute_tool: "TOOL",
  invoke_agent: "AGENT",
  create_agent: "AGENT",
  invoke_workflow: "CHAIN",
  retrieval: "RETRIEVER",
};

const SPAN_TYPE_RULES: readonly ((a: Attrs) => SpanType | undefined)[] = [
  // Code that names MLflow's span type itself knows best.
  (a) => typeof a["mlflow.spanType"] === "string" ? parseString(a["mlflow.spanType"]) : undefined,
  // The AI SDK's spans also carry `gen_ai.*` attributes, but no operation name: its own id first.
  (a) => AI_SDK_TYPES[String(a["ai.operationId"])],
  (a) => GEN_AI_TYPES[String(a["gen_ai.operation.name"])],
  // Older GenAI instrumentations name no operation: a tool name still says TOOL, and a model or
  // provider says the span is a model call.
  (a) => a["gen_ai.tool.name"] !== undefined ? "TOOL" : undefined,
  (a) =>
    ["gen_ai.request.model", "gen_ai.provider.name", "gen_ai.system"].some((k) =>
        a[k] !== undefined
      )
      ? "LLM"
      : undefined,
];

// MLflow shows the model and provider beside model calls (and counts requests per model): only
// spans that are one carry them, not the CHAIN or AGENT around them that repeats the model id.
const MODEL_CALL_TYPES = new Set<SpanType>(["CHAT_MODEL", "LLM", "EMBEDDING", "RERANKER"]);

// ---------------------------------------------------------------------------------------------
// Model and provider

/** Model id: what answered before what was asked for. */
const MODEL_KEYS = [
  "gen_ai.response.model",
  "gen_ai.request.model",
  "ai.response.model",
  "ai.model.id",
];

const PROVIDER_RULES: readonly ((a: Attrs) => string | undefined)[] = [
  (a) => nonEmpty(a["gen_ai.provider.name"]),
  // The AI SDK's provider ids are `<provider>.<api>` (`openai.chat`, `anthropic.messages`), and
  // it copies them to `gen_ai.system`: the provider is the part before the dot.
  (a) => nonEmpty(a["ai.model.provider"])?.split(".")[0],
  (a) => nonEmpty(a["gen_ai.system"]),
];

// ---------------------------------------------------------------------------------------------
// Token usage

/**
 * Where each convention puts the counts, in the order tried. The AI SDK's outer call reports the
 * sum of its steps; build_trace.ts keeps only the innermost usage of a branch, so it is not
 * counted twice.
 */
const USAGE_KEYS: readonly { input: string; output?: string; total?: string }[] = [
  // GenAI semantic conventions.
  { input: "gen_ai.usage.input_tokens", output: "gen_ai.usage.output_tokens" },
  // AI SDK 5 and later, which also reports the total.
  { input: "ai.usage.inputTokens", output: "ai.usage.outputTokens", total: "ai.usage.totalTokens" },
  // AI SDK 4.
  { input: "ai.usage.promptTokens", output: "ai.usage.completionTokens" },
  // GenAI conventions before 1.27.
  { input: "gen_ai.usage.prompt_tokens", output: "gen_ai.usage.completion_tokens" },
  // AI SDK embeddings: input tokens only.
  { input: "ai.usage.tokens" },
];

const CACHE_KEYS: readonly { key: keyof TokenUsage; from: readonly string[] }[] = [
  {
    key: "cache_read_input_tokens",
    from: [
      "gen_ai.usage.cache_read.input_tokens",
      "ai.usage.inputTokenDetails.cacheReadTokens",
      "ai.usage.cachedInputTokens",
    ],
  },
  {
    key: "cache_creation_input_tokens",
    from: [
      "gen_ai.usage.cache_creation.input_tokens",
      "ai.usage.inputTokenDetails.cacheWriteTokens",
    ],
  },
];

function usageOf(a: Attrs): TokenUsage | undefined {
  // Code that writes MLflow's attribute itself, as an object or its JSON text.
  const explicit = parseJson(a["mlflow.chat.tokenUsage"]);
  if (isObj(explicit) && typeof explicit.input_tokens === "number") {
    const input = explicit.input_tokens;
    const output = count(explicit.output_tokens) ?? 0;
    return {
      ...explicit,
      input_tokens: input,
      output_tokens: output,
      total_tokens: count(explicit.total_tokens) ?? input + output,
    };
  }
  for (const row of USAGE_KEYS) {
    const input = count(a[row.input]);
    const output = row.output ? count(a[row.output]) : undefined;
    if (input === undefined && output === undefined) continue;
    const usage: TokenUsage = {
      input_tokens: input ?? 0,
      output_tokens: output ?? 0,
      total_tokens: (row.total ? count(a[row.total]) : undefined) ?? (input ?? 0) + (output ?? 0),
    };
    for (const cache of CACHE_KEYS) {
      const n = cache.from.map((k) => count(a[k])).find((v) => v !== undefined);
      if (n !== undefined && n > 0) usage[cache.key] = n; // 0 is what every uncached call says
    }
    return usage;
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Inputs and outputs

type Io = { value: unknown; chat?: boolean };
type IoRule = (a: Attrs, events: Events) => Io | undefined;

/** Inputs, in the order tried. */
const INPUT_RULES: readonly IoRule[] = [
  // MLflow's own attribute (JSON text), from code that writes it.
  (a) => has(a, "mlflow.spanInputs") ? { value: parseJson(a["mlflow.spanInputs"]) } : undefined,
  // AI SDK provider call: the prompt as sent, with its tools and tool choice.
  (a) => {
    if (!has(a, "ai.prompt.messages")) return undefined;
    const messages = aiMessages(a["ai.prompt.messages"]);
    if (!messages) return { value: parseJson(a["ai.prompt.messages"]) };
    const tools = aiTools(a["ai.prompt.tools"]);
    const choice = parseJson(a["ai.prompt.toolChoice"]);
    return {
      value: {
        messages,
        ...(tools ? { tools } : {}),
        ...(isObj(choice) ? { tool_choice: choice } : {}),
      },
      chat: true,
    };
  },
  // AI SDK outer call: `{ system, prompt, messages }` as the caller gave them.
  (a) => {
    if (!has(a, "ai.prompt")) return undefined;
    const messages = aiPrompt(a["ai.prompt"]);
    return messages ? { value: { messages }, chat: true } : { value: parseJson(a["ai.prompt"]) };
  },
  (a) => has(a, "ai.toolCall.args") ? { value: parseJson(a["ai.toolCall.args"]) } : undefined,
  (a) => has(a, "ai.values") ? { value: parseEach(a["ai.values"]) } : undefined,
  (a) => has(a, "ai.value") ? { value: parseJson(a["ai.value"]) } : undefined,
  (a) =>
    has(a, "ai.documents") ? { value: { documents: parseEach(a["ai.documents"]) } } : undefined,
  (a) =>
    has(a, "gen_ai.tool.call.arguments")
      ? { value: parseJson(a["gen_ai.tool.call.arguments"]) }
      : undefined,
  (a) =>
    has(a, "gen_ai.retrieval.query.text")
      ? { value: { query: a["gen_ai.retrieval.query.text"] } }
      : undefined,
  // GenAI messages: system instructions first, then the conversation, with the tools offered.
  (a, events) => {
    const m = withMessageEvents(a, events);
    if (!has(m, "gen_ai.input.messages") && !has(m, "gen_ai.prompt")) return undefined;
    const messages = genAiMessages(m["gen_ai.input.messages"] ?? m["gen_ai.prompt"]);
    if (!messages) return { value: parseJson(m["gen_ai.input.messages"] ?? m["gen_ai.prompt"]) };
    const system = genAiSystem(m["gen_ai.system_instructions"]);
    const tools = genAiTools(m["gen_ai.tool.definitions"]);
    return {
      value: { messages: system ? [system, ...messages] : messages, ...(tools ? { tools } : {}) },
      chat: true,
    };
  },
  // GenAI's older per-message events (`gen_ai.user.message` and the like, `content` attribute).
  (_, events) => {
    const messages = messagesFromEvents(events);
    return messages ? { value: { messages }, chat: true } : undefined;
  },
];

/** Outputs, in the order tried. */
const OUTPUT_RULES: readonly IoRule[] = [
  (a) => has(a, "mlflow.spanOutputs") ? { value: parseJson(a["mlflow.spanOutputs"]) } : undefined,
  // generateObject: the object, not its JSON text.
  (a) => has(a, "ai.response.object") ? { value: parseJson(a["ai.response.object"]) } : undefined,
  // AI SDK text calls, outer and provider alike: the answer and its tool calls as one choice.
  (a) => {
    const choices = aiChoice(
      a["ai.response.text"],
      a["ai.response.toolCalls"],
      a["ai.response.finishReason"],
    );
    return choices ? { value: { choices }, chat: true } : undefined;
  },
  (a) => has(a, "ai.toolCall.result") ? { value: parseJson(a["ai.toolCall.result"]) } : undefined,
  (a) => has(a, "ai.embeddings") ? { value: parseEach(a["ai.embeddings"]) } : undefined,
  (a) => has(a, "ai.embedding") ? { value: parseJson(a["ai.embedding"]) } : undefined,
  (a) => has(a, "ai.ranking") ? { value: parseEach(a["ai.ranking"]) } : undefined,
  (a) =>
    has(a, "gen_ai.tool.call.result")
      ? { value: parseJson(a["gen_ai.tool.call.result"]) }
      : undefined,
  (a) =>
    has(a, "gen_ai.retrieval.documents")
      ? { value: parseJson(a["gen_ai.retrieval.documents"]) }
      : undefined,
  (a, events) => {
    const m = withMessageEvents(a, events);
    const key = has(m, "gen_ai.output.messages") ? "gen_ai.output.messages" : "gen_ai.completion";
    if (!has(m, key)) return undefined;
    const choices = genAiChoices(m[key]);
    return choices ? { value: { choices }, chat: true } : { value: parseJson(m[key]) };
  },
  (_, events) => {
    const choices = choicesFromEvents(events);
    return choices ? { value: { choices }, chat: true } : undefined;
  },
];

/**
 * GenAI instrumentations may put the messages on an event instead of the span: the current
 * `gen_ai.client.inference.operation.details` event, or the deprecated `gen_ai.content.prompt` /
 * `gen_ai.content.completion` ones. Their attributes are read as if they were the span's (the
 * span's own win).
 */
const MESSAGE_EVENTS = [
  "gen_ai.client.inference.operation.details",
  "gen_ai.content.prompt",
  "gen_ai.content.completion",
];

function withMessageEvents(a: Attrs, events: Events): Attrs {
  const found = events.filter((e) => MESSAGE_EVENTS.includes(e.name) && e.attributes);
  if (found.length === 0) return a;
  return Object.assign({}, ...found.map((e) => e.attributes), a);
}

const ROLE_EVENTS: Readonly<Record<string, string>> = {
  "gen_ai.system.message": "system",
  "gen_ai.user.message": "user",
  "gen_ai.assistant.message": "assistant",
  "gen_ai.tool.message": "tool",
};

function messagesFromEvents(events: Events): ChatMessage[] | undefined {
  const messages: ChatMessage[] = [];
  for (const e of events) {
    const role = ROLE_EVENTS[e.name];
    if (!role || !e.attributes || !has(e.attributes, "content")) continue;
    const m: ChatMessage = { role, content: parseJson(e.attributes.content) };
    if (role === "tool" && e.attributes.id !== undefined) m.tool_call_id = e.attributes.id;
    const calls = parseJson(e.attributes.tool_calls);
    if (Array.isArray(calls)) m.tool_calls = calls;
    messages.push(m);
  }
  return messages.length > 0 ? messages : undefined;
}

function choicesFromEvents(events: Events): ChatChoice[] | undefined {
  const choices: ChatChoice[] = [];
  for (const e of events) {
    if (e.name !== "gen_ai.choice" || !e.attributes) continue;
    const message = parseJson(e.attributes.message);
    const reason = e.attributes.finish_reason;
    choices.push({
      index: typeof e.attributes.index === "number" ? e.attributes.index : choices.length,
      message: isObj(message)
        ? { role: "assistant", ...message }
        : { role: "assistant", content: parseJson(e.attributes.content) ?? null },
      ...(typeof reason === "string" ? { finish_reason: reason } : {}),
    });
  }
  return choices.length > 0 ? choices : undefined;
}

// ---------------------------------------------------------------------------------------------

/**
 * Attributes that are MLflow's to write: read into the mapping's fields (type, inputs, outputs,
 * usage) and not copied, so the exporter's own values are the only ones.
 */
const RESERVED = new Set([
  "mlflow.spanType",
  "mlflow.spanInputs",
  "mlflow.spanOutputs",
  "mlflow.chat.tokenUsage",
  "mlflow.traceRequestId",
]);

/**
 * Maps one span's attributes (and events, where GenAI instrumentations put messages) to MLflow:
 * span type, inputs and outputs (OpenAI chat format where they are messages), model, provider,
 * message format and token usage.
 */
export function mapAttributes(attributes: Attrs, events: Events = []): SpanMapping {
  const spanType = firstOf(SPAN_TYPE_RULES, (rule) => rule(attributes)) ?? "UNKNOWN";
  const inputs = firstOf(INPUT_RULES, (rule) => rule(attributes, events));
  const outputs = firstOf(OUTPUT_RULES, (rule) => rule(attributes, events));

  const mapped: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(attributes)) {
    if (value !== undefined && !RESERVED.has(key)) mapped[key] = value;
  }
  if (MODEL_CALL_TYPES.has(spanType)) {
    const model = MODEL_KEYS.map((k) => nonEmpty(attributes[k])).find((v) => v !== undefined);
    const provider = firstOf(PROVIDER_RULES, (rule) => rule(attributes));
    if (model !== undefined) mapped["mlflow.llm.model"] ??= model;
    if (provider !== undefined) mapped["mlflow.llm.provider"] ??= provider;
  }
  if (inputs?.chat || outputs?.chat) mapped["mlflow.message.format"] ??= "openai";

  const result: SpanMapping = { spanType, attributes: mapped };
  if (inputs !== undefined) result.inputs = inputs.value;
  if (outputs !== undefined) result.outputs = outputs.value;
  const usage = usageOf(attributes);
  if (usage !== undefined) result.usage = usage;
  return result;
}

function firstOf<R, T>(rules: readonly R[], apply: (rule: R) => T | undefined): T | undefined {
  for (const rule of rules) {
    const found = apply(rule);
    if (found !== undefined) return found;
  }
  return undefined;
}

function has(a: Attrs, key: string): boolean {
  return a[key] !== undefined && a[key] !== null && a[key] !== "";
}

function nonEmpty(v: unknown): string | undefined {
  return typeof v === "string" && v !== "" ? v : undefined;
}

/** A JSON string's string (`"\"TOOL\""`), or the string itself (`"TOOL"`). */
function parseString(v: string): string {
  const parsed = parseJson(v);
  return typeof parsed === "string" ? parsed : v;
}

/** A token count: a finite, non-negative number. */
function count(v: unknown): number | undefined {
  return typeof v === "number" && Number.isFinite(v) && v >= 0 ? v : undefined;
}

/** A list whose items are JSON texts (`ai.values`, `ai.embeddings`), each parsed. */
function parseEach(v: unknown): unknown {
  return Array.isArray(v) ? v.map(parseJson) : parseJson(v);
}
