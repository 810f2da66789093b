// Copyright 2026 the evalhooks authors. MIT license.

// wrapGemini against the REAL @google/genai talking to a REAL loopback provider
// (tests/harness/llm_provider.ts), read back from a real MLflow server: span tree, type,
// inputs/outputs (plain JSON of the SDK's class instances), token usage on the span, the trace
// and the run, streams (plain, abandoned half way), errors, and that what the caller gets is the
// SDK's own. The collector is also checked alone, over recorded chunk sequences.

import { after, test } from "node:test";
import assert from "node:assert/strict";
import type { Mlflow, SpanData } from "../../mod.ts";
import { wrapGemini } from "../../src/integrations/gemini/mod.ts";
import {
  chatTools,
  geminiUsage,
  normalizeContents,
  responseChunkCollector,
  responseJson,
} from "../../src/integrations/gemini/collect.ts";
import {
  ERROR_MESSAGES,
  REPLY_TEXT,
  SLOW_CHUNK_TEXT,
  startLlmProvider,
  TOOL_ARGS,
  TOOL_CALL_ID,
  TOOL_NAME,
} from "../harness/llm_provider.ts";
import { type GenAIClient, type GenAIParams, loadGenAI } from "../harness/sdks.ts";
import { clientOfOwnExperiment, tracesOf } from "../harness/own_experiment.ts";

const sdk = await loadGenAI();
const provider = await startLlmProvider();
after(() => provider.close());

const USAGE_ATTR = { input_tokens: 12, output_tokens: 8, total_tokens: 20 };

// Each client logs to an experiment of its own, so a search finds only its traces.
const client = (): Promise<Mlflow> => clientOfOwnExperiment("gemini");

function gemini(): GenAIClient {
  return new sdk.GoogleGenAI({
    apiKey: "test-key",
    httpOptions: { baseUrl: provider.geminiBaseUrl },
  });
}

const params = (model: string, config?: Record<string, unknown>): GenAIParams => ({
  model,
  contents: [{ role: "user", parts: [{ text: "What is the capital of France?" }] }],
  ...(config ? { config } : {}),
});

const WEATHER = {
  functionDeclarations: [{
    name: TOOL_NAME,
    description: "The weather in a city",
    parametersJsonSchema: {
      type: "object",
      properties: { city: { type: "string" } },
      required: ["city"],
    },
  }],
};

const plain = (v: unknown): Record<string, unknown> => JSON.parse(JSON.stringify(v));
/** The SDK's response as the span keeps it: plain JSON, without the HTTP headers. */
const asRecorded = (response: unknown): Record<string, unknown> => {
  const { sdkHttpResponse: _h, ...rest } = plain(response);
  return rest;
};

async function readTrace(mlflow: Mlflow, traceId: string, name: string) {
  await mlflow.flush();
  const trace = await mlflow.getTrace(traceId);
  const llm = trace.spans.filter((s) => s.name === name);
  assert.equal(llm.length, 1, `one ${name} span in ${trace.spans.map((s) => s.name)}`);
  return { ...trace, llm: llm[0] };
}

function assertChatSpan(span: SpanData, model: string): void {
  assert.equal(span.spanType, "CHAT_MODEL");
  assert.equal(span.attributes["mlflow.llm.provider"], "gemini");
  assert.equal(span.attributes["mlflow.message.format"], "gemini");
  assert.equal(span.attributes["mlflow.llm.model"], model);
}

// ---------------------------------------------------------------------------------------------
// The collector and the readers alone, over recorded chunks.

test("gemini collector: text joined, thoughts apart, function calls in order, usage of the last chunk", () => {
  const c = responseChunkCollector();
  const chunk = (parts: unknown[], extra: Record<string, unknown>, usage: unknown) => ({
    candidates: [{ content: { role: "model", parts }, index: 0, ...extra }],
    usageMetadata: usage,
    modelVersion: "gemini-x",
    responseId: "r1",
    sdkHttpResponse: { headers: { "content-type": "text/event-stream" } },
  });
  const partial = { promptTokenCount: 10, totalTokenCount: 10 };
  c.add(chunk([{ text: "Think", thought: true }], {}, partial));
  c.add(chunk([{ text: "ing.", thought: true }, { text: "Let me " }], {}, partial));
  c.add(chunk([{ text: "check." }], {}, partial));
  c.add(chunk([{ functionCall: { id: "c1", name: "f", args: { cityName: "Paris" } } }], {
    finishReason: "STOP",
  }, {
    promptTokenCount: 10,
    candidatesTokenCount: 6,
    thoughtsTokenCount: 4,
    cachedContentTokenCount: 3,
    totalTokenCount: 20,
  }));
  const outcome = c.outcome();
  assert.deepEqual(outcome.outputs, {
    candidates: [{
      content: {
        role: "model",
        parts: [
          { text: "Thinking.", thought: true },
          { text: "Let me check." },
          // MLflow's part name; the call's own arguments untouched.
          { function_call: { id: "c1", name: "f", args: { cityName: "Paris" } } },
        ],
      },
      finishReason: "STOP",
      index: 0,
    }],
    modelVersion: "gemini-x",
    responseId: "r1",
    usageMetadata: {
      promptTokenCount: 10,
      candidatesTokenCount: 6,
      thoughtsTokenCount: 4,
      cachedContentTokenCount: 3,
      totalTokenCount: 20,
    },
  });
  assert.equal(outcome.model, "gemini-x");
  // As MLflow's Gemini autolog: thoughts are output tokens, cached tokens kept apart.
  assert.deepEqual(outcome.usage, {
    input_tokens: 10,
    output_tokens: 10,
    total_tokens: 20,
    cache_read_input_tokens: 3,
  });
  // No chunk at all: no candidates, no usage.
  const empty = responseChunkCollector().outcome();
  assert.deepEqual(empty.outputs, { candidates: [] });
  assert.equal(empty.usage, undefined);
});

test("gemini readers: contents in every shape, parts named as MLflow reads them; tools; usage", () => {
  assert.equal(normalizeContents("hi"), "hi");
  assert.deepEqual(
    normalizeContents(["hi", { inlineData: { mimeType: "image/png", data: "AA" } }]),
    [
      "hi",
      { inline_data: { mime_type: "image/png", data: "AA" } },
    ],
  );
  assert.deepEqual(
    normalizeContents([
      { role: "model", parts: [{ functionCall: { name: "f", args: { a: 1 } } }] },
      { role: "user", parts: [{ functionResponse: { name: "f", response: { someKey: 2 } } }] },
      { role: "user", parts: [{ fileData: { fileUri: "gs://x", mimeType: "image/png" } }] },
    ]),
    [
      { role: "model", parts: [{ function_call: { name: "f", args: { a: 1 } } }] },
      { role: "user", parts: [{ function_response: { name: "f", response: { someKey: 2 } } }] },
      { role: "user", parts: [{ file_data: { file_uri: "gs://x", mime_type: "image/png" } }] },
    ],
  );
  assert.deepEqual(normalizeContents({ role: "user", parts: [{ text: "x" }] }), {
    role: "user",
    parts: [{ text: "x" }],
  });
  assert.deepEqual(responseJson({ candidates: [], sdkHttpResponse: { headers: {} } }), {
    candidates: [],
  });
  assert.deepEqual(chatTools({ tools: [WEATHER, { googleSearch: {} }] }), [{
    type: "function",
    function: {
      name: TOOL_NAME,
      description: "The weather in a city",
      parameters: WEATHER.functionDeclarations[0].parametersJsonSchema,
    },
  }]);
  assert.equal(chatTools({ tools: [{ googleSearch: {} }] }), undefined);
  assert.equal(chatTools(undefined), undefined);
  assert.deepEqual(geminiUsage({ promptTokenCount: 5 }), {
    input_tokens: 5,
    output_tokens: 0,
    total_tokens: 5,
  });
  assert.equal(geminiUsage({}), undefined);
});

// ---------------------------------------------------------------------------------------------
// The real SDK, the real provider, a real MLflow server.

test("gemini: generateContent inside mlflow.trace nests under it; the response is the SDK's own", async () => {
  const mlflow = await client();
  const wrapped = wrapGemini(gemini(), { mlflow });
  const request = params("gemini-test", { temperature: 0.2, systemInstruction: "Be terse." });
  let traceId = "";
  const reply = await mlflow.trace("agent", async (root) => {
    traceId = root.traceId;
    return await wrapped.models.generateContent(request);
  });
  const unwrapped = await gemini().models.generateContent(request);
  // The SDK's own class instance, getters and all.
  assert.equal(Object.getPrototypeOf(reply), Object.getPrototypeOf(unwrapped));
  assert.equal(reply.text, REPLY_TEXT);
  assert.deepEqual(Object.keys(reply), Object.keys(unwrapped));

  const { info, spans, llm } = await readTrace(mlflow, traceId, "Models.generateContent");
  const root = spans.find((s) => s.name === "agent");
  assert.ok(root);
  assert.equal(spans.length, 2);
  assert.equal(llm.parentSpanId, root.spanId);
  assertChatSpan(llm, "gemini-test");
  assert.deepEqual(llm.status, { code: "OK" });
  assert.deepEqual(llm.inputs, request);
  assert.deepEqual(llm.outputs, asRecorded(reply));
  assert.deepEqual(llm.attributes.invocation_params, { model: "gemini-test", temperature: 0.2 });
  assert.deepEqual(llm.attributes["mlflow.chat.tokenUsage"], USAGE_ATTR);
  assert.deepEqual(JSON.parse(info.metadata["mlflow.trace.tokenUsage"]), USAGE_ATTR);
});

test("gemini: a function call outside any context, with options.mlflow, is a trace of its own", async () => {
  const mlflow = await client();
  const wrapped = wrapGemini(gemini(), { mlflow });
  const abort = new AbortController();
  const reply = await wrapped.models.generateContent(
    params("gemini-tools", { tools: [WEATHER], abortSignal: abort.signal }),
  );
  // The SDK's getter on the SDK's own object.
  assert.deepEqual(reply.functionCalls, [{ id: TOOL_CALL_ID, name: TOOL_NAME, args: TOOL_ARGS }]);
  const traces = await tracesOf(mlflow);
  assert.equal(traces.length, 1);
  const { spans, llm } = await readTrace(mlflow, traces[0].traceId, "Models.generateContent");
  assert.equal(spans.length, 1);
  assert.equal(llm.parentSpanId, undefined);
  assertChatSpan(llm, "gemini-tools");
  // The call as MLflow's chat view reads it, and the tool in MLflow's shape.
  const out = llm.outputs as { candidates: { content: { parts: unknown[] } }[] };
  assert.deepEqual(out.candidates[0].content.parts, [
    { function_call: { id: TOOL_CALL_ID, name: TOOL_NAME, args: TOOL_ARGS } },
  ]);
  assert.deepEqual(llm.attributes["mlflow.chat.tools"], [{
    type: "function",
    function: {
      name: TOOL_NAME,
      description: "The weather in a city",
      parameters: WEATHER.functionDeclarations[0].parametersJsonSchema,
    },
  }]);
  // The config as given, less the AbortSignal (a control, not the request).
  assert.deepEqual((llm.inputs as { config: unknown }).config, { tools: [WEATHER] });
});

test("gemini: generateContentStream returns the SDK's generator; the span ends with the response it adds up to", async () => {
  const mlflow = await client();
  const wrapped = wrapGemini(gemini(), { mlflow });
  const reference = await gemini().models.generateContent(params("gemini-test"));
  const raw = await gemini().models.generateContentStream(params("gemini-test"));
  const rawTexts: (string | undefined)[] = [];
  for await (const chunk of raw) rawTexts.push(chunk.text);
  let traceId = "";
  const texts: (string | undefined)[] = [];
  await mlflow.trace("agent", async (root) => {
    traceId = root.traceId;
    const stream = await wrapped.models.generateContentStream(params("gemini-test"));
    assert.equal(Object.getPrototypeOf(stream), Object.getPrototypeOf(raw));
    for await (const chunk of stream) {
      assert.equal(chunk.constructor, reference.constructor);
      texts.push(chunk.text);
    }
  });
  assert.deepEqual(texts, rawTexts);
  assert.equal(texts.join(""), REPLY_TEXT);
  const { info, llm } = await readTrace(mlflow, traceId, "Models.generateContentStream");
  assertChatSpan(llm, "gemini-test");
  // The shape of the non-streamed answer (another request: another id).
  assert.deepEqual(
    { ...llm.outputs as Record<string, unknown>, responseId: "" },
    { ...asRecorded(reference), responseId: "" },
  );
  assert.deepEqual(llm.attributes["mlflow.chat.tokenUsage"], USAGE_ATTR);
  assert.deepEqual(JSON.parse(info.metadata["mlflow.trace.tokenUsage"]), USAGE_ATTR);
  assert.equal(llm.events.length, 0);
});

test("gemini: a stream abandoned half way ends its span with the partial response and `stream cancelled`", async () => {
  const mlflow = await client();
  const wrapped = wrapGemini(gemini(), { mlflow });
  let traceId = "";
  let chunks = 0;
  await mlflow.trace("agent", async (root) => {
    traceId = root.traceId;
    const stream = await wrapped.models.generateContentStream(params("gemini-slow"));
    for await (const _ of stream) if (++chunks === 3) break;
  });
  const { llm } = await readTrace(mlflow, traceId, "Models.generateContentStream");
  assert.deepEqual(llm.status, { code: "OK" });
  assert.deepEqual(llm.events.map((e) => e.name), ["stream cancelled"]);
  const out = llm.outputs as { candidates: { content: { parts: { text: string }[] } }[] };
  assert.deepEqual(out.candidates[0].content.parts, [{ text: SLOW_CHUNK_TEXT.repeat(3) }]);
  // The usage so far: Gemini's chunks count the prompt, the output only at the end.
  assert.deepEqual(llm.attributes["mlflow.chat.tokenUsage"], {
    input_tokens: 12,
    output_tokens: 0,
    total_tokens: 12,
  });
});

test("gemini: errors are the SDK's ApiError, rethrown; the span is ERROR", async () => {
  const mlflow = await client();
  const wrapped = wrapGemini(gemini(), { mlflow });
  for (const status of [400, 500] as const) {
    const model = `gemini-error-${status}`;
    let traceId = "";
    let caught: unknown;
    await mlflow.trace("agent", async (root) => {
      traceId = root.traceId;
      await assert.rejects(wrapped.models.generateContent(params(model)), (error: unknown) => {
        caught = error;
        return error instanceof sdk.ApiError && error.status === status;
      });
    });
    assert.ok((caught as Error).message.includes(ERROR_MESSAGES[status]));
    const { llm } = await readTrace(mlflow, traceId, "Models.generateContent");
    assert.equal(llm.status.code, "ERROR");
    assert.equal(llm.status.message, `${(caught as Error).name}: ${(caught as Error).message}`);
    assert.equal(llm.outputs, undefined);
    assert.equal(llm.attributes["mlflow.llm.model"], model);
  }
  // A stream fails on its first chunk, with the SDK's error; its span too.
  let traceId = "";
  await mlflow.trace("agent", async (root) => {
    traceId = root.traceId;
    await assert.rejects(async () => {
      const stream = await wrapped.models.generateContentStream(params("gemini-error-400"));
      for await (const _ of stream) { /* nothing comes */ }
    }, (error: unknown) => error instanceof sdk.ApiError && error.status === 400);
  });
  const { llm } = await readTrace(mlflow, traceId, "Models.generateContentStream");
  assert.equal(llm.status.code, "ERROR");
  assert.equal(llm.events.at(-1)?.name, "exception");
});

test("gemini: inside mlflow.run, token usage adds up in usage/<model>/… metrics", async () => {
  const mlflow = await client();
  const wrapped = wrapGemini(gemini(), { mlflow });
  const run = await mlflow.run({ runName: "usage" }, async (run) => {
    await wrapped.models.generateContent(params("gemini-usage"));
    const stream = await wrapped.models.generateContentStream(params("gemini-usage"));
    for await (const _ of stream) { /* drain */ }
    return run;
  });
  await mlflow.flush();
  const history = await mlflow.getMetricHistory(run, "usage/gemini-usage/input_tokens");
  assert.deepEqual(history.map((p) => p.value), [12, 24]);
  const data = await mlflow.getRun(run);
  assert.equal(data.metrics["usage/gemini-usage/output_tokens"], 16);
  assert.equal(data.metrics["usage/gemini-usage/total_tokens"], 40);
  const traces = await tracesOf(mlflow);
  assert.equal(traces.length, 2);
  const runId = (await run.info()).runId;
  for (const t of traces) assert.equal(t.metadata["mlflow.sourceRun"], runId);
});
