// Copyright 2026 the evalhooks authors. MIT license.

// The test provider (tests/harness/llm_provider.ts) against the REAL SDKs it stands in for:
// openai, @anthropic-ai/sdk, @google/genai and the Vercel AI SDK, each pointed at it by base URL,
// answer plain, streaming, tool-call, embedding and error calls with the canned content and usage.
// The SDK integration tests build on this, so a provider the SDKs cannot parse fails here first.
// The SDKs are test-only npm packages in tests/runtimes/ (`deno task test` installs them): when
// they are missing these tests fail, saying to run `npm ci` there; they do not skip.

import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import {
  cannedEmbedding,
  EMBEDDING_DIMENSIONS,
  EMBEDDING_TOKENS_PER_INPUT,
  ERROR_MESSAGES,
  type LlmProvider,
  type ProviderApi,
  type RecordedRequest,
  REPLY_CHUNKS,
  REPLY_TEXT,
  SLOW_CHUNK_COUNT,
  SLOW_CHUNK_TEXT,
  SLOW_TEXT,
  startLlmProvider,
  TOOL_ARGS,
  TOOL_ARGS_JSON,
  TOOL_CALL_ID,
  TOOL_NAME,
  USAGE,
} from "../harness/llm_provider.ts";
import {
  type AiSdk,
  type AnthropicClient,
  type AnthropicModule,
  type GenAIClient,
  type GenAIModule,
  loadAi,
  loadAnthropic,
  loadGenAI,
  loadOpenAI,
  loadOtelSdk,
  type OpenAIChatCompletionChunk,
  type OpenAIClient,
  type OpenAIModule,
  type OtelSdk,
  requireRuntimePackage,
  SdkNotInstalledError,
} from "../harness/sdks.ts";

let provider: LlmProvider;
let openaiSdk: OpenAIModule;
let anthropicSdk: AnthropicModule;
let genaiSdk: GenAIModule;
let aiSdk: AiSdk;
let otel: OtelSdk;
let openai: OpenAIClient;
let anthropic: AnthropicClient;
let gemini: GenAIClient;

before(async () => {
  provider = await startLlmProvider();
  [openaiSdk, anthropicSdk, genaiSdk, aiSdk, otel] = await Promise.all([
    loadOpenAI(),
    loadAnthropic(),
    loadGenAI(),
    loadAi(),
    loadOtelSdk(),
  ]);
  openai = new openaiSdk.OpenAI({
    apiKey: "test-openai-key",
    baseURL: provider.openaiBaseUrl,
    maxRetries: 0,
  });
  anthropic = new anthropicSdk.Anthropic({
    apiKey: "test-anthropic-key",
    baseURL: provider.anthropicBaseUrl,
    maxRetries: 0,
  });
  // @google/genai does not retry unless httpOptions.retryOptions asks it to.
  gemini = new genaiSdk.GoogleGenAI({
    apiKey: "test-gemini-key",
    httpOptions: { baseUrl: provider.geminiBaseUrl },
  });
});

after(() => provider?.close());

/** The last request the provider received for `api`. */
function last(api: ProviderApi): RecordedRequest {
  const found = provider.requests.findLast((r) => r.api === api);
  assert.ok(found, `the provider received no ${api} request`);
  return found;
}

/** Waits until the provider has seen the client go away from `request`'s stream. */
async function abandoned(request: RecordedRequest): Promise<void> {
  for (let i = 0; i < 100 && !request.abandoned; i++) {
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  assert.ok(request.abandoned, "the provider never saw the client abandon the stream");
  assert.ok(!request.completed);
  assert.ok(request.framesSent < SLOW_CHUNK_COUNT, `${request.framesSent} frames were sent`);
}

const USER = [{ role: "user", content: "What is the capital of France?" }];
const WEATHER_SCHEMA = {
  type: "object",
  properties: { city: { type: "string" } },
  required: ["city"],
};

test("llm-provider: the loaders name npm ci when a package is not installed", () => {
  assert.throws(
    () => requireRuntimePackage<unknown>("evalhooks-no-such-package"),
    (error: unknown) =>
      error instanceof SdkNotInstalledError && /npm ci/.test(error.message) &&
      /tests\/runtimes/.test(error.message),
  );
});

test("llm-provider: a request without a model, or not JSON, gets 400; an unknown path 404", async () => {
  const post = (path: string, body: string): Promise<Response> =>
    fetch(provider.url + path, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body,
    });
  for (const path of ["/v1/chat/completions", "/v1/responses", "/v1/embeddings", "/v1/messages"]) {
    const noModel = await post(path, JSON.stringify({ messages: USER }));
    assert.equal(noModel.status, 400, path);
    assert.ok(JSON.stringify(await noModel.json()).includes("names no model"), path);
    const notJson = await post(path, "{not json");
    assert.equal(notJson.status, 400, path);
    await notJson.body?.cancel();
  }
  const noGeminiModel = await post("/v1beta/models/:generateContent", JSON.stringify({}));
  assert.equal(noGeminiModel.status, 400);
  assert.deepEqual((await noGeminiModel.json() as { error: { code: number } }).error.code, 400);
  const unknown = await post("/v2/nothing", "{}");
  assert.equal(unknown.status, 404);
  await unknown.body?.cancel();
  // The OpenAI SDK sends a blank model as given: the provider answers it 400 too.
  await assert.rejects(
    openai.chat.completions.create({ model: "", messages: USER }),
    (e: unknown) => e instanceof openaiSdk.BadRequestError && e.status === 400,
  );
});

// ---------------------------------------------------------------------------------------------
// openai

test("llm-provider: openai chat.completions.create answers the canned text and usage", async () => {
  const completion = await openai.chat.completions.create({ model: "gpt-test", messages: USER });
  assert.equal(completion.choices[0].message.content, REPLY_TEXT);
  assert.equal(completion.choices[0].finish_reason, "stop");
  assert.equal(completion.model, "gpt-test");
  assert.deepEqual(
    [
      completion.usage?.prompt_tokens,
      completion.usage?.completion_tokens,
      completion.usage?.total_tokens,
    ],
    [USAGE.input, USAGE.output, USAGE.total],
  );
  const request = last("openai.chat");
  assert.equal(request.method, "POST");
  assert.equal(request.path, "/v1/chat/completions");
  assert.equal(request.model, "gpt-test");
  assert.deepEqual((request.body as { messages: unknown }).messages, USER);
  assert.equal(request.headers.authorization, "Bearer test-openai-key");
  assert.equal(request.stream, false);
  assert.equal(request.completed, true);
});

test("llm-provider: openai chat streaming sends the chunks, then usage when include_usage asks", async () => {
  const stream = await openai.chat.completions.create({
    model: "gpt-test",
    messages: USER,
    stream: true,
    stream_options: { include_usage: true },
  });
  const chunks: OpenAIChatCompletionChunk[] = [];
  for await (const chunk of stream) chunks.push(chunk);
  const text = chunks.map((c) => c.choices[0]?.delta.content ?? "").join("");
  assert.equal(text, REPLY_TEXT);
  const deltas = chunks.map((c) => c.choices[0]?.delta.content).filter((t) => t);
  assert.deepEqual(deltas, REPLY_CHUNKS);
  assert.equal(chunks.at(-2)?.choices[0].finish_reason, "stop");
  assert.deepEqual(chunks.at(-1)?.choices, []);
  assert.equal(chunks.at(-1)?.usage?.total_tokens, USAGE.total);
  const request = last("openai.chat");
  assert.equal(request.stream, true);
  assert.equal(request.completed, true);

  const plain = await openai.chat.completions.create({
    model: "gpt-test",
    messages: USER,
    stream: true,
  });
  const plainChunks: OpenAIChatCompletionChunk[] = [];
  for await (const chunk of plain) plainChunks.push(chunk);
  assert.ok(plainChunks.every((c) => !c.usage), "no usage chunk without include_usage");
  assert.equal(plainChunks.at(-1)?.choices[0].finish_reason, "stop");
});

test("llm-provider: openai chat tool calls, plain and streamed", async () => {
  const tools = [{
    type: "function",
    function: { name: TOOL_NAME, parameters: WEATHER_SCHEMA },
  }];
  const completion = await openai.chat.completions.create({
    model: "gpt-tools",
    messages: USER,
    tools,
  });
  assert.equal(completion.choices[0].finish_reason, "tool_calls");
  assert.equal(completion.choices[0].message.content, null);
  const call = completion.choices[0].message.tool_calls?.[0];
  assert.equal(call?.id, TOOL_CALL_ID);
  assert.equal(call?.function.name, TOOL_NAME);
  assert.deepEqual(JSON.parse(call?.function.arguments ?? "null"), TOOL_ARGS);

  // The SDK's stream helper adds the argument deltas up to the same call.
  const stream = openai.chat.completions.stream({ model: "gpt-tools", messages: USER, tools });
  const final = await stream.finalChatCompletion();
  assert.equal(final.choices[0].finish_reason, "tool_calls");
  assert.equal(final.choices[0].message.tool_calls?.[0].function.name, TOOL_NAME);
  assert.equal(final.choices[0].message.tool_calls?.[0].function.arguments, TOOL_ARGS_JSON);
});

test("llm-provider: openai responses.create, plain and tool call", async () => {
  const response = await openai.responses.create({
    model: "gpt-test",
    input: "Capital of France?",
  });
  assert.equal(response.output_text, REPLY_TEXT);
  assert.equal(response.status, "completed");
  assert.deepEqual(
    [response.usage?.input_tokens, response.usage?.output_tokens, response.usage?.total_tokens],
    [USAGE.input, USAGE.output, USAGE.total],
  );
  assert.equal(last("openai.responses").path, "/v1/responses");

  const tools = [{ type: "function", name: TOOL_NAME, parameters: WEATHER_SCHEMA, strict: false }];
  const called = await openai.responses.create({ model: "gpt-tools", input: "Weather?", tools });
  assert.equal(called.output[0].type, "function_call");
  assert.equal(called.output[0].name, TOOL_NAME);
  assert.equal(called.output[0].call_id, TOOL_CALL_ID);
  assert.deepEqual(JSON.parse(called.output[0].arguments ?? "null"), TOOL_ARGS);
  assert.equal(called.output_text, "");
});

test("llm-provider: openai responses streaming: the event types, and responses.stream() adds them up", async () => {
  const stream = await openai.responses.create({ model: "gpt-test", input: "Hi", stream: true });
  const types: string[] = [];
  let text = "";
  let usage: number | undefined;
  for await (const event of stream) {
    types.push(event.type);
    if (event.type === "response.output_text.delta") text += event.delta;
    if (event.type === "response.completed") usage = event.response?.usage?.total_tokens;
  }
  assert.deepEqual(types, [
    "response.created",
    "response.in_progress",
    "response.output_item.added",
    "response.content_part.added",
    ...REPLY_CHUNKS.map(() => "response.output_text.delta"),
    "response.output_text.done",
    "response.content_part.done",
    "response.output_item.done",
    "response.completed",
  ]);
  assert.equal(text, REPLY_TEXT);
  assert.equal(usage, USAGE.total);

  const helper = openai.responses.stream({ model: "gpt-test", input: "Hi" });
  const final = await helper.finalResponse();
  assert.equal(final.output_text, REPLY_TEXT);
  assert.equal(final.usage?.output_tokens, USAGE.output);

  const tools = [{ type: "function", name: TOOL_NAME, parameters: WEATHER_SCHEMA, strict: false }];
  const toolStream = openai.responses.stream({ model: "gpt-tools", input: "Weather?", tools });
  const toolFinal = await toolStream.finalResponse();
  assert.equal(toolFinal.output[0].type, "function_call");
  assert.equal(toolFinal.output[0].arguments, TOOL_ARGS_JSON);
});

test("llm-provider: openai embeddings, base64 (the SDK's default) and float", async () => {
  const base64 = await openai.embeddings.create({
    model: "text-embedding-test",
    input: ["a", "b"],
  });
  assert.equal(last("openai.embeddings").path, "/v1/embeddings");
  assert.equal(
    (last("openai.embeddings").body as { encoding_format: string }).encoding_format,
    "base64",
  );
  assert.equal(base64.data.length, 2);
  assert.deepEqual(base64.data.map((d) => d.embedding), [cannedEmbedding(0), cannedEmbedding(1)]);
  assert.equal(base64.usage.prompt_tokens, 2 * EMBEDDING_TOKENS_PER_INPUT);
  const float = await openai.embeddings.create({
    model: "text-embedding-test",
    input: "a",
    encoding_format: "float",
  });
  assert.deepEqual(float.data[0].embedding, cannedEmbedding(0));
  assert.equal(float.data[0].embedding.length, EMBEDDING_DIMENSIONS);
});

test("llm-provider: openai errors are the SDK's own classes, with the status", async () => {
  const bad = (e: unknown): boolean =>
    e instanceof openaiSdk.BadRequestError && e instanceof openaiSdk.APIError && e.status === 400 &&
    e.message.includes(ERROR_MESSAGES[400]);
  await assert.rejects(
    openai.chat.completions.create({ model: "gpt-error-400", messages: USER }),
    bad,
  );
  await assert.rejects(
    openai.chat.completions.create({ model: "gpt-error-400", messages: USER, stream: true }),
    bad,
  );
  await assert.rejects(openai.responses.create({ model: "gpt-error-400", input: "x" }), bad);
  await assert.rejects(openai.embeddings.create({ model: "emb-error-400", input: "x" }), bad);
  await assert.rejects(
    openai.chat.completions.create({ model: "gpt-error-500", messages: USER }),
    (e: unknown) => e instanceof openaiSdk.InternalServerError && e.status === 500,
  );
  await assert.rejects(
    openai.responses.create({ model: "gpt-error-500", input: "x", stream: true }),
    (e: unknown) => e instanceof openaiSdk.InternalServerError && e.status === 500,
  );
  assert.equal(last("openai.responses").status, 500);
});

test("llm-provider: a slow openai stream can be abandoned half way", async () => {
  const stream = await openai.chat.completions.create({
    model: "gpt-slow",
    messages: USER,
    stream: true,
  });
  const request = last("openai.chat");
  let text = "";
  for await (const chunk of stream) {
    text += chunk.choices[0]?.delta.content ?? "";
    if (text.length >= 5 * SLOW_CHUNK_TEXT.length) break;
  }
  assert.equal(text, SLOW_CHUNK_TEXT.repeat(5));
  await abandoned(request);
});

// ---------------------------------------------------------------------------------------------
// @anthropic-ai/sdk

test("llm-provider: anthropic messages.create answers the canned text and usage", async () => {
  const message = await anthropic.messages.create({
    model: "claude-test",
    max_tokens: 64,
    messages: USER,
  });
  assert.deepEqual(message.content, [{ type: "text", text: REPLY_TEXT }]);
  assert.equal(message.stop_reason, "end_turn");
  assert.equal(message.usage.input_tokens, USAGE.input);
  assert.equal(message.usage.output_tokens, USAGE.output);
  const request = last("anthropic.messages");
  assert.equal(request.path, "/v1/messages");
  // Older SDKs send the key as x-api-key; 1.x sends it as a bearer token.
  const key = request.headers["x-api-key"] ??
    request.headers.authorization?.replace(/^Bearer /, "");
  assert.equal(key, "test-anthropic-key");
  assert.ok(request.headers["anthropic-version"]);
});

test("llm-provider: anthropic streaming, by create({ stream: true }) and by messages.stream()", async () => {
  const stream = await anthropic.messages.create({
    model: "claude-test",
    max_tokens: 64,
    messages: USER,
    stream: true,
  });
  const types: string[] = [];
  let text = "";
  let outputTokens: number | undefined;
  for await (const event of stream) {
    types.push(event.type);
    if (event.type === "content_block_delta") text += (event.delta as { text: string }).text;
    if (event.type === "message_delta") outputTokens = event.usage?.output_tokens;
  }
  assert.deepEqual(types, [
    "message_start",
    "content_block_start",
    ...REPLY_CHUNKS.map(() => "content_block_delta"),
    "content_block_stop",
    "message_delta",
    "message_stop",
  ]);
  assert.equal(text, REPLY_TEXT);
  assert.equal(outputTokens, USAGE.output);

  const deltas: string[] = [];
  const helper = anthropic.messages.stream({
    model: "claude-test",
    max_tokens: 64,
    messages: USER,
  });
  helper.on("text", (delta) => deltas.push(delta));
  const final = await helper.finalMessage();
  assert.deepEqual(deltas, REPLY_CHUNKS);
  assert.equal(final.content[0].text, REPLY_TEXT);
  assert.equal(final.stop_reason, "end_turn");
  assert.deepEqual([final.usage.input_tokens, final.usage.output_tokens], [
    USAGE.input,
    USAGE.output,
  ]);
  assert.equal(last("anthropic.messages").stream, true);
});

test("llm-provider: anthropic tool_use, plain and streamed", async () => {
  const tools = [{ name: TOOL_NAME, input_schema: WEATHER_SCHEMA }];
  const message = await anthropic.messages.create({
    model: "claude-tools",
    max_tokens: 64,
    messages: USER,
    tools,
  });
  assert.equal(message.stop_reason, "tool_use");
  assert.deepEqual(message.content, [
    { type: "tool_use", id: TOOL_CALL_ID, name: TOOL_NAME, input: TOOL_ARGS },
  ]);
  const final = await anthropic.messages.stream({
    model: "claude-tools",
    max_tokens: 64,
    messages: USER,
    tools,
  }).finalMessage();
  assert.equal(final.stop_reason, "tool_use");
  assert.equal(final.content[0].type, "tool_use");
  assert.equal(final.content[0].name, TOOL_NAME);
  assert.deepEqual(final.content[0].input, TOOL_ARGS);
});

test("llm-provider: anthropic errors are the SDK's own classes, with the status", async () => {
  const params = { max_tokens: 64, messages: USER };
  await assert.rejects(
    anthropic.messages.create({ model: "claude-error-400", ...params }),
    (e: unknown) =>
      e instanceof anthropicSdk.BadRequestError && e instanceof anthropicSdk.APIError &&
      e.status === 400 && e.message.includes(ERROR_MESSAGES[400]),
  );
  await assert.rejects(
    anthropic.messages.create({ model: "claude-error-500", ...params, stream: true }),
    (e: unknown) => e instanceof anthropicSdk.InternalServerError && e.status === 500,
  );
  await assert.rejects(
    anthropic.messages.stream({ model: "claude-error-500", ...params }).finalMessage(),
    (e: unknown) => e instanceof anthropicSdk.InternalServerError && e.status === 500,
  );
});

test("llm-provider: a slow anthropic stream can be abandoned half way", async () => {
  const stream = anthropic.messages.stream({
    model: "claude-slow",
    max_tokens: 64,
    messages: USER,
  });
  let seen = 0;
  const half = new Promise<void>((resolve) => {
    stream.on("text", () => {
      if (++seen === 5) resolve();
    });
  });
  const final = stream.finalMessage();
  await half;
  stream.abort();
  await assert.rejects(final, (e: unknown) => e instanceof anthropicSdk.APIUserAbortError);
  await abandoned(last("anthropic.messages"));
});

// ---------------------------------------------------------------------------------------------
// @google/genai

test("llm-provider: gemini generateContent answers the canned text and usageMetadata", async () => {
  const response = await gemini.models.generateContent({
    model: "gemini-test",
    contents: "Capital of France?",
  });
  assert.equal(response.text, REPLY_TEXT);
  assert.deepEqual(response.usageMetadata, {
    promptTokenCount: USAGE.input,
    candidatesTokenCount: USAGE.output,
    totalTokenCount: USAGE.total,
  });
  assert.equal(response.candidates?.[0].finishReason, "STOP");
  const request = last("gemini.generateContent");
  assert.equal(request.path, "/v1beta/models/gemini-test:generateContent");
  assert.equal(request.model, "gemini-test");
  assert.equal(request.headers["x-goog-api-key"], "test-gemini-key");
  assert.ok(Array.isArray((request.body as { contents: unknown }).contents));
});

test("llm-provider: gemini generateContentStream: the chunks, usage complete on the last", async () => {
  const stream = await gemini.models.generateContentStream({
    model: "gemini-test",
    contents: "Capital of France?",
  });
  const texts: string[] = [];
  let usage: number | undefined;
  for await (const chunk of stream) {
    texts.push(chunk.text ?? "");
    usage = chunk.usageMetadata?.candidatesTokenCount;
  }
  assert.deepEqual(texts, REPLY_CHUNKS);
  assert.equal(usage, USAGE.output);
  const request = last("gemini.streamGenerateContent");
  assert.equal(request.path, "/v1beta/models/gemini-test:streamGenerateContent");
  assert.deepEqual(request.query, { alt: "sse" });
  assert.equal(request.stream, true);
});

test("llm-provider: gemini functionCall, plain and streamed", async () => {
  const config = {
    tools: [{ functionDeclarations: [{ name: TOOL_NAME, parametersJsonSchema: WEATHER_SCHEMA }] }],
  };
  const response = await gemini.models.generateContent({
    model: "gemini-tools",
    contents: "Weather?",
    config,
  });
  assert.deepEqual(response.functionCalls, [{
    id: TOOL_CALL_ID,
    name: TOOL_NAME,
    args: TOOL_ARGS,
  }]);
  const stream = await gemini.models.generateContentStream({
    model: "gemini-tools",
    contents: "Weather?",
    config,
  });
  const calls: unknown[] = [];
  for await (const chunk of stream) calls.push(...(chunk.functionCalls ?? []));
  assert.deepEqual(calls, [{ id: TOOL_CALL_ID, name: TOOL_NAME, args: TOOL_ARGS }]);
});

test("llm-provider: gemini embedContent", async () => {
  const response = await gemini.models.embedContent({
    model: "gemini-embedding-test",
    contents: ["a", "b"],
  });
  assert.deepEqual(response.embeddings?.map((e) => e.values), [
    cannedEmbedding(0),
    cannedEmbedding(1),
  ]);
  assert.equal(
    last("gemini.embedContent").path,
    "/v1beta/models/gemini-embedding-test:batchEmbedContents",
  );
});

test("llm-provider: gemini errors are the SDK's ApiError, with the status", async () => {
  await assert.rejects(
    gemini.models.generateContent({ model: "gemini-error-400", contents: "x" }),
    (e: unknown) =>
      e instanceof genaiSdk.ApiError && e.status === 400 && e.message.includes(ERROR_MESSAGES[400]),
  );
  await assert.rejects(
    gemini.models.generateContentStream({ model: "gemini-error-500", contents: "x" }),
    (e: unknown) => e instanceof genaiSdk.ApiError && e.status === 500,
  );
});

test("llm-provider: a slow gemini stream can be abandoned half way", async () => {
  const controller = new AbortController();
  const stream = await gemini.models.generateContentStream({
    model: "gemini-slow",
    contents: "x",
    config: { abortSignal: controller.signal },
  });
  let text = "";
  for await (const chunk of stream) {
    text += chunk.text ?? "";
    if (text.length >= 5 * SLOW_CHUNK_TEXT.length) break;
  }
  controller.abort();
  assert.equal(text, SLOW_CHUNK_TEXT.repeat(5));
  await abandoned(last("gemini.streamGenerateContent"));
});

// ---------------------------------------------------------------------------------------------
// ai (the Vercel AI SDK) with @ai-sdk/openai-compatible

function aiProvider(): ReturnType<AiSdk["createOpenAICompatible"]> {
  return aiSdk.createOpenAICompatible({
    name: "evalhooks-test",
    baseURL: provider.openaiBaseUrl,
    apiKey: "test-ai-key",
    includeUsage: true,
  });
}

test("llm-provider: ai generateText and streamText answer the canned text and usage", async () => {
  const { ai } = aiSdk;
  const model = aiProvider()("gpt-test");
  const result = await ai.generateText({ model, prompt: "Capital of France?", maxRetries: 0 });
  assert.equal(result.text, REPLY_TEXT);
  assert.equal(result.finishReason, "stop");
  assert.deepEqual(
    [result.usage.inputTokens, result.usage.outputTokens, result.usage.totalTokens],
    [USAGE.input, USAGE.output, USAGE.total],
  );
  assert.equal(last("openai.chat").headers.authorization, "Bearer test-ai-key");

  const stream = ai.streamText({ model, prompt: "Capital of France?", maxRetries: 0 });
  const deltas: string[] = [];
  for await (const delta of stream.textStream) deltas.push(delta);
  assert.equal(deltas.join(""), REPLY_TEXT);
  const usage = await stream.usage;
  assert.deepEqual([usage.inputTokens, usage.outputTokens], [USAGE.input, USAGE.output]);
  const request = last("openai.chat");
  assert.equal(request.stream, true);
  assert.deepEqual((request.body as { stream_options: unknown }).stream_options, {
    include_usage: true,
  });
});

test("llm-provider: ai tool calls", async () => {
  const { ai } = aiSdk;
  const tools = {
    [TOOL_NAME]: ai.tool({ description: "Weather", inputSchema: ai.jsonSchema(WEATHER_SCHEMA) }),
  };
  const model = aiProvider()("gpt-tools");
  const result = await ai.generateText({ model, prompt: "Weather?", tools, maxRetries: 0 });
  assert.equal(result.finishReason, "tool-calls");
  assert.equal(result.toolCalls.length, 1);
  assert.equal(result.toolCalls[0].toolName, TOOL_NAME);
  assert.equal(result.toolCalls[0].toolCallId, TOOL_CALL_ID);
  assert.deepEqual(result.toolCalls[0].input, TOOL_ARGS);
  const stream = ai.streamText({ model, prompt: "Weather?", tools, maxRetries: 0 });
  const calls = await stream.toolCalls;
  assert.deepEqual(calls.map((c) => [c.toolName, c.input]), [[TOOL_NAME, TOOL_ARGS]]);
});

test("llm-provider: ai embed and embedMany", async () => {
  const { ai } = aiSdk;
  const model = aiProvider().embeddingModel("text-embedding-test");
  const one = await ai.embed({ model, value: "a", maxRetries: 0 });
  assert.deepEqual(one.embedding, cannedEmbedding(0));
  assert.equal(one.usage.tokens, EMBEDDING_TOKENS_PER_INPUT);
  const many = await ai.embedMany({ model, values: ["a", "b", "c"], maxRetries: 0 });
  assert.deepEqual(many.embeddings, [0, 1, 2].map(cannedEmbedding));
  assert.equal(many.usage.tokens, 3 * EMBEDDING_TOKENS_PER_INPUT);
});

test("llm-provider: ai errors are APICallError, with the status", async () => {
  const { ai } = aiSdk;
  for (const status of [400, 500] as const) {
    await assert.rejects(
      ai.generateText({ model: aiProvider()(`gpt-error-${status}`), prompt: "x", maxRetries: 0 }),
      (e: unknown) =>
        e instanceof ai.APICallError && e.statusCode === status &&
        e.message.includes(ERROR_MESSAGES[status]),
    );
  }
  const errors: unknown[] = [];
  const stream = ai.streamText({
    model: aiProvider()("gpt-error-400"),
    prompt: "x",
    maxRetries: 0,
    onError: ({ error }) => errors.push(error),
  });
  for await (const _ of stream.textStream) { /* no text comes */ }
  assert.equal(errors.length, 1);
  assert.ok(errors[0] instanceof ai.APICallError && errors[0].statusCode === 400);
});

test("llm-provider: ai telemetry spans reach an OpenTelemetry in-memory exporter", async () => {
  const { ai } = aiSdk;
  const exporter = new otel.sdk.InMemorySpanExporter();
  const tracerProvider = new otel.sdk.BasicTracerProvider({
    spanProcessors: [new otel.sdk.SimpleSpanProcessor(exporter)],
  });
  const result = await ai.generateText({
    model: aiProvider()("gpt-test"),
    prompt: "Capital of France?",
    maxRetries: 0,
    experimental_telemetry: {
      isEnabled: true,
      tracer: tracerProvider.getTracer("llm-provider-test"),
    },
  });
  assert.equal(result.text, REPLY_TEXT);
  await tracerProvider.forceFlush();
  const spans = exporter.getFinishedSpans();
  const names = spans.map((s) => s.name);
  assert.ok(names.includes("ai.generateText"), names.join(", "));
  const call = spans.find((s) => s.name === "ai.generateText.doGenerate");
  assert.ok(call, names.join(", "));
  assert.equal(call.attributes["gen_ai.usage.input_tokens"], USAGE.input);
  assert.equal(call.attributes["gen_ai.usage.output_tokens"], USAGE.output);
  assert.equal(call.attributes["gen_ai.request.model"], "gpt-test");
  assert.equal(otel.api.SpanStatusCode.ERROR, 2);
  await tracerProvider.shutdown();
});

test("llm-provider: slow answers without stream wait the whole stream's time", async () => {
  const started = performance.now();
  const completion = await openai.chat.completions.create({ model: "gpt-slow", messages: USER });
  assert.equal(completion.choices[0].message.content, SLOW_TEXT);
  assert.ok(performance.now() - started >= 1900, "answered too soon");
});
