// Copyright 2026 the evalhooks authors. MIT license.

// Loaders for the REAL LLM SDKs the integration tests run against tests/harness/llm_provider.ts:
// openai, @anthropic-ai/sdk, @google/genai, the Vercel AI SDK (ai + @ai-sdk/openai-compatible)
// and OpenTelemetry's tracing SDK. They are test-only npm packages in tests/runtimes/ (pinned in
// its package.json; `deno task test` runs `npm ci` there), never dependencies of the library.
//
// They load through node:module's createRequire, anchored at tests/runtimes/package.json: that
// resolves and runs the packages the same way under Deno and Bun (a dynamic import() of their
// file URLs does not: Deno treats the CommonJS builds as ES modules). The types below are the
// part of each SDK the tests use, written out by hand: the packages' own .d.ts files do not
// type-check under Deno from outside a node_modules project.

import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

/** tests/runtimes/, where the test-only npm packages are installed. */
export const RUNTIMES_DIR: string = fileURLToPath(new URL("../runtimes/", import.meta.url));

const requireFromRuntimes = createRequire(join(RUNTIMES_DIR, "package.json"));

/** Thrown when a package is missing from tests/runtimes/node_modules or is not the pinned one. */
export class SdkNotInstalledError extends Error {
  override name = "SdkNotInstalledError";
}

function pinned(name: string): string | undefined {
  type Manifest = { devDependencies?: Record<string, string> };
  const manifest = JSON.parse(
    readFileSync(join(RUNTIMES_DIR, "package.json"), "utf8"),
  ) as Manifest;
  return manifest.devDependencies?.[name];
}

/**
 * Loads a package from tests/runtimes/node_modules, after checking it is installed at the version
 * tests/runtimes/package.json pins; throws SdkNotInstalledError, which says to run `npm ci`, when
 * it is not. `T` is what the caller knows of the module: nothing checks it.
 */
export function requireRuntimePackage<T>(name: string): T {
  const manifest = join(RUNTIMES_DIR, "node_modules", name, "package.json");
  const fix = "run `npm ci` in tests/runtimes (deno task test does it when node_modules is stale)";
  if (!existsSync(manifest)) {
    throw new SdkNotInstalledError(
      `${name} is not installed in tests/runtimes/node_modules: ${fix}`,
    );
  }
  const want = pinned(name);
  const have = (JSON.parse(readFileSync(manifest, "utf8")) as { version?: string }).version;
  if (want !== undefined && have !== want) {
    throw new SdkNotInstalledError(
      `${name} ${have} is installed in tests/runtimes/node_modules but package.json pins ${want}: ${fix}`,
    );
  }
  const loaded: unknown = requireFromRuntimes(name);
  return loaded as T;
}

/** A JSON object as the SDKs return it: the fields the tests read are typed, the rest unknown. */
export type Wire = { [key: string]: unknown };

/** What an HTTP error of an SDK carries (OpenAI's and Anthropic's `APIError`, Gemini's `ApiError`). */
export interface SdkHttpError extends Error {
  readonly status: number | undefined;
}

/** An error class of an SDK, usable with `instanceof` and `assert.rejects`. */
export type ErrorClass<E extends Error = SdkHttpError> = abstract new (...args: never[]) => E;

/** A stream an SDK returns for `stream: true`: async-iterable, abortable. */
export interface SdkStream<T> extends AsyncIterable<T> {
  readonly controller: AbortController;
}

// ---------------------------------------------------------------------------------------------
// openai

/** Options of `new OpenAI(...)` the tests use. */
export interface OpenAIOptions {
  apiKey: string;
  baseURL: string;
  maxRetries?: number;
  timeout?: number;
  fetch?: typeof fetch;
}

/** A tool call of a chat completion. */
export interface OpenAIToolCall extends Wire {
  id: string;
  type: "function";
  function: { name: string; arguments: string };
}

/** `client.chat.completions.create(...)` without `stream`. */
export interface OpenAIChatCompletion extends Wire {
  id: string;
  model: string;
  choices: {
    index: number;
    finish_reason: string | null;
    message: { role: string; content: string | null; tool_calls?: OpenAIToolCall[] };
  }[];
  usage?: { prompt_tokens: number; completion_tokens: number; total_tokens: number };
}

/** One chunk of `client.chat.completions.create({ stream: true, ... })`. */
export interface OpenAIChatCompletionChunk extends Wire {
  id: string;
  model: string;
  choices: {
    index: number;
    finish_reason: string | null;
    delta: {
      role?: string;
      content?: string | null;
      tool_calls?: {
        index: number;
        id?: string;
        function?: { name?: string; arguments?: string };
      }[];
    };
  }[];
  usage?: { prompt_tokens: number; completion_tokens: number; total_tokens: number } | null;
}

/** An item of a Responses API answer (`message` or `function_call`). */
export interface OpenAIResponseItem extends Wire {
  type: string;
  id?: string;
  call_id?: string;
  name?: string;
  arguments?: string;
  content?: { type: string; text?: string }[];
}

/** `client.responses.create(...)`; `output_text` is the SDK's convenience. */
export interface OpenAIResponse extends Wire {
  id: string;
  model: string;
  status: string;
  output: OpenAIResponseItem[];
  output_text: string;
  usage: { input_tokens: number; output_tokens: number; total_tokens: number } | null;
}

/** One event of a streaming Responses API call. */
export interface OpenAIResponseEvent extends Wire {
  type: string;
  sequence_number: number;
  delta?: string;
  response?: OpenAIResponse;
}

/** `client.responses.stream(...)`: the events, and the response they add up to. */
export interface OpenAIResponseStream extends AsyncIterable<OpenAIResponseEvent> {
  finalResponse(): Promise<OpenAIResponse>;
  abort(): void;
}

/** `client.chat.completions.stream(...)`: the chunks, and the completion they add up to. */
export interface OpenAIChatCompletionStream extends AsyncIterable<OpenAIChatCompletionChunk> {
  finalChatCompletion(): Promise<OpenAIChatCompletion>;
  abort(): void;
}

/** `client.embeddings.create(...)`. */
export interface OpenAIEmbeddings extends Wire {
  data: { index: number; embedding: number[] }[];
  model: string;
  usage: { prompt_tokens: number; total_tokens: number };
}

/** Per-request options of the OpenAI and Anthropic SDKs. */
export interface RequestOptions {
  signal?: AbortSignal;
  maxRetries?: number;
  timeout?: number;
}

type Params = Wire & { model: string };

/** An `OpenAI` client, the parts the tests use. */
export interface OpenAIClient {
  readonly baseURL: string;
  chat: {
    completions: {
      create(
        params: Params & { stream: true },
        options?: RequestOptions,
      ): Promise<SdkStream<OpenAIChatCompletionChunk>>;
      create(
        params: Params & { stream?: false },
        options?: RequestOptions,
      ): Promise<OpenAIChatCompletion>;
      stream(params: Params, options?: RequestOptions): OpenAIChatCompletionStream;
    };
  };
  responses: {
    create(
      params: Params & { stream: true },
      options?: RequestOptions,
    ): Promise<SdkStream<OpenAIResponseEvent>>;
    create(params: Params & { stream?: false }, options?: RequestOptions): Promise<OpenAIResponse>;
    stream(params: Params, options?: RequestOptions): OpenAIResponseStream;
  };
  embeddings: {
    create(
      params: Params & { input: string | string[]; encoding_format?: "float" | "base64" },
      options?: RequestOptions,
    ): Promise<OpenAIEmbeddings>;
  };
}

/** The `openai` module. */
export interface OpenAIModule {
  OpenAI: new (options: OpenAIOptions) => OpenAIClient;
  APIError: ErrorClass;
  BadRequestError: ErrorClass;
  InternalServerError: ErrorClass;
  APIUserAbortError: ErrorClass;
}

/** The real `openai` package. */
export function loadOpenAI(): Promise<OpenAIModule> {
  return Promise.resolve().then(() => requireRuntimePackage<OpenAIModule>("openai"));
}

// ---------------------------------------------------------------------------------------------
// @anthropic-ai/sdk

/** Options of `new Anthropic(...)` the tests use. */
export interface AnthropicOptions {
  apiKey: string;
  baseURL: string;
  maxRetries?: number;
  timeout?: number;
  fetch?: typeof fetch;
}

/** A content block of an Anthropic message. */
export interface AnthropicContentBlock extends Wire {
  type: string;
  text?: string;
  id?: string;
  name?: string;
  input?: unknown;
}

/** `client.messages.create(...)` without `stream`, and `stream.finalMessage()`. */
export interface AnthropicMessage extends Wire {
  id: string;
  model: string;
  role: "assistant";
  content: AnthropicContentBlock[];
  stop_reason: string | null;
  usage: { input_tokens: number; output_tokens: number };
}

/** One event of a streaming Messages call. */
export interface AnthropicStreamEvent extends Wire {
  type: string;
  index?: number;
  delta?: Wire;
  message?: AnthropicMessage;
  usage?: { output_tokens: number };
}

/** `client.messages.stream(...)`: the events, helpers, and the message they add up to. */
export interface AnthropicMessageStream extends AsyncIterable<AnthropicStreamEvent> {
  on(event: "text", listener: (delta: string, snapshot: string) => void): this;
  finalMessage(): Promise<AnthropicMessage>;
  finalText(): Promise<string>;
  abort(): void;
  readonly controller: AbortController;
}

type AnthropicParams = Params & { max_tokens: number; messages: Wire[] };

/** An `Anthropic` client, the parts the tests use. */
export interface AnthropicClient {
  readonly baseURL: string;
  messages: {
    create(
      params: AnthropicParams & { stream: true },
      options?: RequestOptions,
    ): Promise<SdkStream<AnthropicStreamEvent>>;
    create(
      params: AnthropicParams & { stream?: false },
      options?: RequestOptions,
    ): Promise<AnthropicMessage>;
    stream(params: AnthropicParams, options?: RequestOptions): AnthropicMessageStream;
  };
}

/** The `@anthropic-ai/sdk` module. */
export interface AnthropicModule {
  Anthropic: new (options: AnthropicOptions) => AnthropicClient;
  APIError: ErrorClass;
  BadRequestError: ErrorClass;
  InternalServerError: ErrorClass;
  APIUserAbortError: ErrorClass;
}

/** The real `@anthropic-ai/sdk` package. */
export function loadAnthropic(): Promise<AnthropicModule> {
  return Promise.resolve().then(() => requireRuntimePackage<AnthropicModule>("@anthropic-ai/sdk"));
}

// ---------------------------------------------------------------------------------------------
// @google/genai

/** Options of `new GoogleGenAI(...)` the tests use. */
export interface GenAIOptions {
  apiKey: string;
  httpOptions?: { baseUrl?: string; apiVersion?: string; timeout?: number };
}

/** A function call of a Gemini answer. */
export interface GenAIFunctionCall {
  id?: string;
  name?: string;
  args?: Record<string, unknown>;
}

/** `models.generateContent(...)`, and each chunk of `models.generateContentStream(...)`. */
export interface GenAIResponse {
  /** The SDK's getter: the text parts of the first candidate, joined. */
  readonly text: string | undefined;
  /** The SDK's getter: the function calls of the first candidate. */
  readonly functionCalls: GenAIFunctionCall[] | undefined;
  candidates?: { content?: { role?: string; parts?: Wire[] }; finishReason?: string }[];
  usageMetadata?: {
    promptTokenCount?: number;
    candidatesTokenCount?: number;
    totalTokenCount?: number;
  };
  modelVersion?: string;
  responseId?: string;
}

/** Parameters of the `models` calls: a model and contents (a string, parts or contents). */
export interface GenAIParams {
  model: string;
  contents: unknown;
  config?: Wire & { abortSignal?: AbortSignal };
}

/** A `GoogleGenAI` client, the parts the tests use. */
export interface GenAIClient {
  models: {
    generateContent(params: GenAIParams): Promise<GenAIResponse>;
    generateContentStream(params: GenAIParams): Promise<AsyncGenerator<GenAIResponse>>;
    embedContent(params: GenAIParams): Promise<{ embeddings?: { values?: number[] }[] }>;
  };
}

/** The `@google/genai` module. */
export interface GenAIModule {
  GoogleGenAI: new (options: GenAIOptions) => GenAIClient;
  ApiError: ErrorClass<SdkHttpError & { readonly status: number }>;
}

/** The real `@google/genai` package (its Node build). */
export function loadGenAI(): Promise<GenAIModule> {
  return Promise.resolve().then(() => requireRuntimePackage<GenAIModule>("@google/genai"));
}

// ---------------------------------------------------------------------------------------------
// ai (the Vercel AI SDK) and @ai-sdk/openai-compatible

/** A model of an AI SDK provider; opaque to the tests, passed to `generateText` and friends. */
export interface AiModel {
  readonly specificationVersion: string;
  readonly provider: string;
  readonly modelId: string;
}

/** Token usage as the AI SDK reports it. */
export interface AiUsage {
  inputTokens: number | undefined;
  outputTokens: number | undefined;
  totalTokens: number | undefined;
}

/** A tool call as the AI SDK reports it. */
export interface AiToolCall {
  type: "tool-call";
  toolCallId: string;
  toolName: string;
  input: unknown;
}

/** An AI SDK tool (from `tool(...)`). */
export interface AiTool {
  description?: string;
  inputSchema: unknown;
}

/** Telemetry options of the AI SDK's calls (`experimental_telemetry`). */
export interface AiTelemetry {
  isEnabled?: boolean;
  functionId?: string;
  metadata?: Record<string, string | number | boolean>;
  recordInputs?: boolean;
  recordOutputs?: boolean;
  tracer?: OtelTracer;
}

/** Options of `generateText` and `streamText` the tests use. */
export interface AiTextOptions {
  model: AiModel;
  prompt?: string;
  system?: string;
  messages?: Wire[];
  tools?: Record<string, AiTool>;
  maxRetries?: number;
  abortSignal?: AbortSignal;
  experimental_telemetry?: AiTelemetry;
  onError?: (event: { error: unknown }) => void;
}

/** What `generateText` resolves to, the parts the tests use. */
export interface AiGenerateTextResult {
  text: string;
  toolCalls: AiToolCall[];
  finishReason: string;
  usage: AiUsage;
  totalUsage: AiUsage;
  response: { id: string; modelId: string };
}

/** What `streamText` returns, the parts the tests use. */
export interface AiStreamTextResult {
  textStream: AsyncIterable<string>;
  fullStream: AsyncIterable<Wire & { type: string }>;
  text: Promise<string>;
  toolCalls: Promise<AiToolCall[]>;
  finishReason: Promise<string>;
  usage: Promise<AiUsage>;
  totalUsage: Promise<AiUsage>;
}

/** The `ai` module, the parts the tests use. */
export interface AiModule {
  generateText(options: AiTextOptions): Promise<AiGenerateTextResult>;
  streamText(options: AiTextOptions): AiStreamTextResult;
  embed(options: { model: AiModel; value: string; maxRetries?: number }): Promise<{
    embedding: number[];
    usage: { tokens: number };
  }>;
  embedMany(options: { model: AiModel; values: string[]; maxRetries?: number }): Promise<{
    embeddings: number[][];
    usage: { tokens: number };
  }>;
  tool(definition: AiTool & { execute?: (input: never) => unknown }): AiTool;
  jsonSchema(schema: Wire): unknown;
  APICallError: ErrorClass<Error & { readonly statusCode?: number; readonly url: string }>;
}

/** Options of `createOpenAICompatible(...)`. */
export interface OpenAICompatibleOptions {
  name: string;
  baseURL: string;
  apiKey?: string;
  headers?: Record<string, string>;
  /** Asks for `stream_options.include_usage`, so streamed calls report usage. */
  includeUsage?: boolean;
  fetch?: typeof fetch;
}

/** A provider from `createOpenAICompatible(...)`: call it with a model id for a chat model. */
export interface OpenAICompatibleProvider {
  (modelId: string): AiModel;
  chatModel(modelId: string): AiModel;
  embeddingModel(modelId: string): AiModel;
}

/** The `ai` module and the OpenAI-compatible provider factory. */
export interface AiSdk {
  ai: AiModule;
  createOpenAICompatible: (options: OpenAICompatibleOptions) => OpenAICompatibleProvider;
}

/** The real `ai` package and `@ai-sdk/openai-compatible`'s `createOpenAICompatible`. */
export function loadAi(): Promise<AiSdk> {
  return Promise.resolve().then(() => {
    const ai = requireRuntimePackage<AiModule>("ai");
    const compatible = requireRuntimePackage<Pick<AiSdk, "createOpenAICompatible">>(
      "@ai-sdk/openai-compatible",
    );
    return { ai, createOpenAICompatible: compatible.createOpenAICompatible };
  });
}

// ---------------------------------------------------------------------------------------------
// @opentelemetry/api and @opentelemetry/sdk-trace-base

/** A span context. */
export interface OtelSpanContext {
  traceId: string;
  spanId: string;
}

/** A finished span, as an exporter receives it. */
export interface OtelReadableSpan {
  readonly name: string;
  readonly attributes: Record<string, unknown>;
  readonly parentSpanContext?: OtelSpanContext;
  readonly status: { code: number; message?: string };
  readonly startTime: [number, number];
  readonly endTime: [number, number];
  readonly events: { name: string; attributes?: Record<string, unknown> }[];
  spanContext(): OtelSpanContext;
}

/** A span being recorded. */
export interface OtelSpan {
  setAttribute(key: string, value: unknown): this;
  end(): void;
  spanContext(): OtelSpanContext;
}

/** An OpenTelemetry tracer. */
export interface OtelTracer {
  startSpan(name: string, options?: Wire): OtelSpan;
  startActiveSpan<T>(name: string, fn: (span: OtelSpan) => T): T;
}

/** A span exporter (what a span processor sends finished spans to). */
export interface OtelSpanExporter {
  export(spans: OtelReadableSpan[], done: (result: { code: number; error?: Error }) => void): void;
  shutdown(): Promise<void>;
  forceFlush?(): Promise<void>;
}

/** A span processor. */
export interface OtelSpanProcessor {
  forceFlush(): Promise<void>;
  shutdown(): Promise<void>;
}

/** `InMemorySpanExporter`: keeps the finished spans. */
export interface OtelInMemorySpanExporter extends OtelSpanExporter {
  getFinishedSpans(): OtelReadableSpan[];
  reset(): void;
}

/** `BasicTracerProvider`. */
export interface OtelTracerProvider {
  getTracer(name: string, version?: string): OtelTracer;
  forceFlush(): Promise<void>;
  shutdown(): Promise<void>;
}

/** The `@opentelemetry/sdk-trace-base` module, the parts the tests use. */
export interface OtelSdkTraceBase {
  BasicTracerProvider: new (
    config?: { spanProcessors?: OtelSpanProcessor[] },
  ) => OtelTracerProvider;
  InMemorySpanExporter: new () => OtelInMemorySpanExporter;
  SimpleSpanProcessor: new (exporter: OtelSpanExporter) => OtelSpanProcessor;
  BatchSpanProcessor: new (exporter: OtelSpanExporter) => OtelSpanProcessor;
}

/** The `@opentelemetry/api` module, the parts the tests use. */
export interface OtelApi {
  trace: {
    getTracer(name: string, version?: string): OtelTracer;
    setGlobalTracerProvider(provider: OtelTracerProvider): boolean;
    disable(): void;
  };
  SpanStatusCode: { UNSET: 0; OK: 1; ERROR: 2 };
}

/** The OpenTelemetry API and tracing SDK (the same `@opentelemetry/api` the `ai` package uses). */
export interface OtelSdk {
  api: OtelApi;
  sdk: OtelSdkTraceBase;
}

/** The real `@opentelemetry/api` and `@opentelemetry/sdk-trace-base` packages. */
export function loadOtelSdk(): Promise<OtelSdk> {
  return Promise.resolve().then(() => ({
    api: requireRuntimePackage<OtelApi>("@opentelemetry/api"),
    sdk: requireRuntimePackage<OtelSdkTraceBase>("@opentelemetry/sdk-trace-base"),
  }));
}
