// Copyright 2026 the evalhooks authors. MIT license.

// The OpenTelemetry bridge's attribute mapping (src/integrations/otel/attributes.ts), without a
// server: GenAI semantic conventions and the Vercel AI SDK's attributes to MLflow span types,
// OpenAI-format chat inputs and outputs, model, provider and token usage. The attribute values
// are the ones those instrumentations write (the AI SDK ones as `ai` 6 records them: see
// otel_test.ts for the real SDK end to end).

import { test } from "node:test";
import assert from "node:assert/strict";
import { mapAttributes } from "../../src/integrations/otel/attributes.ts";

test("otel mapping: span types from ai.operationId, gen_ai.operation.name, explicit and fallback attributes", () => {
  const cases: [Record<string, unknown>, string][] = [
    [{ "ai.operationId": "ai.generateText" }, "CHAIN"],
    [{ "ai.operationId": "ai.streamText" }, "CHAIN"],
    [{ "ai.operationId": "ai.generateObject" }, "CHAIN"],
    [{ "ai.operationId": "ai.embed" }, "CHAIN"],
    [{ "ai.operationId": "ai.embedMany" }, "CHAIN"],
    [
      { "ai.operationId": "ai.generateText.doGenerate", "gen_ai.system": "openai.chat" },
      "CHAT_MODEL",
    ],
    [{ "ai.operationId": "ai.streamText.doStream" }, "CHAT_MODEL"],
    [{ "ai.operationId": "ai.generateObject.doGenerate" }, "CHAT_MODEL"],
    [{ "ai.operationId": "ai.embedMany.doEmbed" }, "EMBEDDING"],
    [{ "ai.operationId": "ai.toolCall" }, "TOOL"],
    [{ "gen_ai.operation.name": "chat" }, "CHAT_MODEL"],
    [{ "gen_ai.operation.name": "text_completion" }, "LLM"],
    [{ "gen_ai.operation.name": "embeddings" }, "EMBEDDING"],
    [{ "gen_ai.operation.name": "execute_tool" }, "TOOL"],
    [{ "gen_ai.operation.name": "invoke_agent" }, "AGENT"],
    [{ "gen_ai.operation.name": "create_agent" }, "AGENT"],
    [{ "gen_ai.operation.name": "retrieval" }, "RETRIEVER"],
    [{ "mlflow.spanType": "PARSER", "gen_ai.operation.name": "chat" }, "PARSER"],
    [{ "mlflow.spanType": '"RERANKER"' }, "RERANKER"],
    [{ "gen_ai.tool.name": "search" }, "TOOL"],
    [{ "gen_ai.system": "openai", "gen_ai.request.model": "gpt-4o" }, "LLM"],
    [{ "http.method": "GET" }, "UNKNOWN"],
    [{ "gen_ai.operation.name": "something_new" }, "UNKNOWN"],
  ];
  for (const [attributes, type] of cases) {
    assert.equal(mapAttributes(attributes).spanType, type, JSON.stringify(attributes));
  }
});

test("otel mapping: GenAI chat messages become OpenAI chat inputs and outputs, originals kept", () => {
  const input = JSON.stringify([
    { role: "user", parts: [{ type: "text", content: "Weather in Paris?" }] },
    {
      role: "assistant",
      parts: [{
        type: "tool_call",
        id: "call_1",
        name: "get_weather",
        arguments: { city: "Paris" },
      }],
    },
    {
      role: "tool",
      parts: [{ type: "tool_call_response", id: "call_1", response: "rainy, 57°F" }],
    },
  ]);
  const output = JSON.stringify([
    {
      role: "assistant",
      parts: [{ type: "text", content: "It is rainy, 57°F." }],
      finish_reason: "stop",
    },
  ]);
  const attributes = {
    "gen_ai.operation.name": "chat",
    "gen_ai.provider.name": "openai",
    "gen_ai.request.model": "gpt-4o",
    "gen_ai.response.model": "gpt-4o-2024-08-06",
    "gen_ai.system_instructions": JSON.stringify([{ type: "text", content: "Be brief." }]),
    "gen_ai.input.messages": input,
    "gen_ai.output.messages": output,
    "gen_ai.tool.definitions": JSON.stringify([
      { type: "function", name: "get_weather", parameters: { type: "object" } },
    ]),
    "gen_ai.usage.input_tokens": 100,
    "gen_ai.usage.output_tokens": 180,
  };
  const m = mapAttributes(attributes);
  assert.equal(m.spanType, "CHAT_MODEL");
  assert.deepEqual(m.inputs, {
    messages: [
      { role: "system", content: "Be brief." },
      { role: "user", content: "Weather in Paris?" },
      {
        role: "assistant",
        content: null,
        tool_calls: [{
          id: "call_1",
          type: "function",
          function: { name: "get_weather", arguments: '{"city":"Paris"}' },
        }],
      },
      { role: "tool", tool_call_id: "call_1", content: "rainy, 57°F" },
    ],
    tools: [{
      type: "function",
      function: { name: "get_weather", parameters: { type: "object" } },
    }],
  });
  assert.deepEqual(m.outputs, {
    choices: [{
      index: 0,
      message: { role: "assistant", content: "It is rainy, 57°F." },
      finish_reason: "stop",
    }],
  });
  assert.equal(m.attributes["mlflow.llm.model"], "gpt-4o-2024-08-06"); // what answered
  assert.equal(m.attributes["mlflow.llm.provider"], "openai");
  assert.equal(m.attributes["mlflow.message.format"], "openai");
  assert.deepEqual(m.usage, { input_tokens: 100, output_tokens: 180, total_tokens: 280 });
  assert.equal(m.attributes["mlflow.chat.tokenUsage"], undefined, "usage is placed by the builder");
  // Every original attribute stays, JSON text as text.
  for (const [key, value] of Object.entries(attributes)) assert.equal(m.attributes[key], value);
});

test("otel mapping: deprecated gen_ai.prompt / gen_ai.completion and per-message events", () => {
  const old = mapAttributes({
    "gen_ai.system": "openai",
    "gen_ai.request.model": "gpt-3.5-turbo",
    "gen_ai.prompt": JSON.stringify([{ role: "user", content: "Capital of France?" }]),
    "gen_ai.completion": JSON.stringify([{ role: "assistant", content: "Paris." }]),
    "gen_ai.usage.prompt_tokens": 9,
    "gen_ai.usage.completion_tokens": 2,
  });
  assert.equal(old.spanType, "LLM");
  assert.deepEqual(old.inputs, { messages: [{ role: "user", content: "Capital of France?" }] });
  assert.deepEqual(old.outputs, {
    choices: [{ index: 0, message: { role: "assistant", content: "Paris." } }],
  });
  assert.deepEqual(old.usage, { input_tokens: 9, output_tokens: 2, total_tokens: 11 });
  assert.equal(old.attributes["mlflow.llm.provider"], "openai");

  const plain = mapAttributes({ "gen_ai.prompt": "Hello", "gen_ai.completion": "Hi!" });
  assert.deepEqual(plain.inputs, { messages: [{ role: "user", content: "Hello" }] });
  assert.deepEqual(plain.outputs, {
    choices: [{ index: 0, message: { role: "assistant", content: "Hi!" } }],
  });

  const events = mapAttributes({ "gen_ai.operation.name": "chat" }, [
    { name: "gen_ai.system.message", attributes: { content: "Be brief." } },
    { name: "gen_ai.user.message", attributes: { content: "Capital of France?" } },
    { name: "gen_ai.choice", attributes: { index: 0, finish_reason: "stop", content: "Paris." } },
  ]);
  assert.deepEqual(events.inputs, {
    messages: [{ role: "system", content: "Be brief." }, {
      role: "user",
      content: "Capital of France?",
    }],
  });
  assert.deepEqual(events.outputs, {
    choices: [{
      index: 0,
      message: { role: "assistant", content: "Paris." },
      finish_reason: "stop",
    }],
  });

  // The current convention's event, carrying the same attributes as the span would.
  const details = mapAttributes({ "gen_ai.operation.name": "chat" }, [{
    name: "gen_ai.client.inference.operation.details",
    attributes: {
      "gen_ai.input.messages": JSON.stringify([{
        role: "user",
        parts: [{ type: "text", content: "Hi" }],
      }]),
    },
  }]);
  assert.deepEqual(details.inputs, { messages: [{ role: "user", content: "Hi" }] });
});

test("otel mapping: GenAI tools, agents and retrieval", () => {
  const tool = mapAttributes({
    "gen_ai.operation.name": "execute_tool",
    "gen_ai.tool.name": "get_weather",
    "gen_ai.tool.call.arguments": '{"city":"Paris"}',
    "gen_ai.tool.call.result": '{"temp":14}',
  });
  assert.equal(tool.spanType, "TOOL");
  assert.deepEqual(tool.inputs, { city: "Paris" });
  assert.deepEqual(tool.outputs, { temp: 14 });
  assert.equal(tool.attributes["mlflow.message.format"], undefined);

  const agent = mapAttributes({
    "gen_ai.operation.name": "invoke_agent",
    "gen_ai.agent.name": "Math Tutor",
    "gen_ai.request.model": "gpt-4o",
    "gen_ai.usage.input_tokens": 30,
    "gen_ai.usage.output_tokens": 5,
  });
  assert.equal(agent.spanType, "AGENT");
  // The model belongs on the model calls, not the agent around them.
  assert.equal(agent.attributes["mlflow.llm.model"], undefined);
  assert.deepEqual(agent.usage, { input_tokens: 30, output_tokens: 5, total_tokens: 35 });

  const retrieval = mapAttributes({
    "gen_ai.operation.name": "retrieval",
    "gen_ai.retrieval.query.text": "mlflow tracing",
    "gen_ai.retrieval.documents": '[{"id":"doc_1","score":0.9}]',
  });
  assert.deepEqual(retrieval.inputs, { query: "mlflow tracing" });
  assert.deepEqual(retrieval.outputs, [{ id: "doc_1", score: 0.9 }]);
});

// What `ai` 6 records for `generateText({ system, prompt, tools })` whose model calls a tool.
const TOOL_CALLS =
  '[{"toolCallId":"call_1","toolName":"get_weather","input":"{\\"city\\":\\"Paris\\"}"}]';

test("otel mapping: AI SDK provider call (doGenerate) becomes a CHAT_MODEL with OpenAI chat I/O", () => {
  const m = mapAttributes({
    "operation.name": "ai.generateText.doGenerate",
    "ai.operationId": "ai.generateText.doGenerate",
    "ai.model.provider": "openai.chat",
    "ai.model.id": "gpt-4o-mini",
    "ai.prompt.messages": JSON.stringify([
      { role: "system", content: "Be brief." },
      { role: "user", content: [{ type: "text", text: "Weather?" }] },
      {
        role: "assistant",
        content: [{ type: "tool-call", toolCallId: "call_0", toolName: "clock", input: {} }],
      },
      {
        role: "tool",
        content: [{
          type: "tool-result",
          toolCallId: "call_0",
          toolName: "clock",
          output: { type: "text", value: "noon" },
        }],
      },
    ]),
    "ai.prompt.tools": [
      '{"type":"function","name":"get_weather","description":"w","inputSchema":{"type":"object"}}',
    ],
    "ai.prompt.toolChoice": '{"type":"auto"}',
    "gen_ai.system": "openai.chat",
    "gen_ai.request.model": "gpt-4o-mini",
    "gen_ai.response.model": "gpt-4o-mini-2024-07-18",
    "ai.response.finishReason": "tool-calls",
    "ai.response.toolCalls": TOOL_CALLS,
    "ai.usage.inputTokens": 12,
    "ai.usage.outputTokens": 8,
    "ai.usage.totalTokens": 20,
    "ai.usage.inputTokenDetails.cacheReadTokens": 0,
    "gen_ai.usage.input_tokens": 12,
    "gen_ai.usage.output_tokens": 8,
  });
  assert.equal(m.spanType, "CHAT_MODEL");
  assert.deepEqual(m.inputs, {
    messages: [
      { role: "system", content: "Be brief." },
      { role: "user", content: "Weather?" },
      {
        role: "assistant",
        content: null,
        tool_calls: [{
          id: "call_0",
          type: "function",
          function: { name: "clock", arguments: "{}" },
        }],
      },
      { role: "tool", tool_call_id: "call_0", content: "noon" },
    ],
    tools: [{
      type: "function",
      function: { name: "get_weather", description: "w", parameters: { type: "object" } },
    }],
    tool_choice: { type: "auto" },
  });
  assert.deepEqual(m.outputs, {
    choices: [{
      index: 0,
      message: {
        role: "assistant",
        content: null,
        tool_calls: [{
          id: "call_1",
          type: "function",
          function: { name: "get_weather", arguments: '{"city":"Paris"}' },
        }],
      },
      finish_reason: "tool_calls",
    }],
  });
  assert.equal(m.attributes["mlflow.llm.model"], "gpt-4o-mini-2024-07-18");
  assert.equal(m.attributes["mlflow.llm.provider"], "openai"); // not "openai.chat"
  assert.equal(m.attributes["mlflow.message.format"], "openai");
  assert.deepEqual(m.usage, { input_tokens: 12, output_tokens: 8, total_tokens: 20 });
});

test("otel mapping: AI SDK outer call, v4 usage names, tool calls, objects and embeddings", () => {
  const outer = mapAttributes({
    "ai.operationId": "ai.generateText",
    "ai.model.id": "gpt-4o-mini",
    "ai.model.provider": "openai.chat",
    "ai.prompt": '{"system":"Be brief.","prompt":"Capital of France?"}',
    "ai.response.text": "Paris.",
    "ai.response.finishReason": "stop",
    "ai.usage.promptTokens": 10, // AI SDK 4
    "ai.usage.completionTokens": 3,
  });
  assert.equal(outer.spanType, "CHAIN");
  assert.deepEqual(outer.inputs, {
    messages: [{ role: "system", content: "Be brief." }, {
      role: "user",
      content: "Capital of France?",
    }],
  });
  assert.deepEqual(outer.outputs, {
    choices: [{
      index: 0,
      message: { role: "assistant", content: "Paris." },
      finish_reason: "stop",
    }],
  });
  assert.equal(outer.attributes["mlflow.llm.model"], undefined, "a CHAIN carries no model");
  assert.deepEqual(outer.usage, { input_tokens: 10, output_tokens: 3, total_tokens: 13 });

  const messages = mapAttributes({
    "ai.operationId": "ai.streamText",
    "ai.prompt": JSON.stringify({
      messages: [{ role: "user", content: "Hi" }, { role: "assistant", content: "Hello" }],
    }),
  });
  assert.deepEqual(messages.inputs, {
    messages: [{ role: "user", content: "Hi" }, { role: "assistant", content: "Hello" }],
  });

  const tool = mapAttributes({
    "ai.operationId": "ai.toolCall",
    "ai.toolCall.name": "get_weather",
    "ai.toolCall.id": "call_1",
    "ai.toolCall.args": '{"city":"Paris"}',
    "ai.toolCall.result": '{"temp":20}',
  });
  assert.equal(tool.spanType, "TOOL");
  assert.deepEqual(tool.inputs, { city: "Paris" });
  assert.deepEqual(tool.outputs, { temp: 20 });

  const object = mapAttributes({
    "ai.operationId": "ai.generateObject",
    "ai.response.object": '{"name":"Paris","population":2100000}',
  });
  assert.deepEqual(object.outputs, { name: "Paris", population: 2100000 });

  const embed = mapAttributes({
    "ai.operationId": "ai.embedMany.doEmbed",
    "ai.model.id": "text-embedding-3-small",
    "ai.model.provider": "openai.embedding",
    "ai.values": ['"a"', '"b"'],
    "ai.embeddings": ["[0.5,0.25]", "[1,0.75]"],
    "ai.usage.tokens": 6,
  });
  assert.equal(embed.spanType, "EMBEDDING");
  assert.deepEqual(embed.inputs, ["a", "b"]);
  assert.deepEqual(embed.outputs, [[0.5, 0.25], [1, 0.75]]);
  assert.equal(embed.attributes["mlflow.llm.model"], "text-embedding-3-small");
  assert.equal(embed.attributes["mlflow.llm.provider"], "openai");
  assert.deepEqual(embed.usage, { input_tokens: 6, output_tokens: 0, total_tokens: 6 });
});

test("otel mapping: MLflow's own attributes win and are not copied; unknown spans pass through", () => {
  const m = mapAttributes({
    "mlflow.spanType": "RETRIEVER",
    "mlflow.spanInputs": '{"query":"q"}',
    "mlflow.spanOutputs": '["doc"]',
    "mlflow.chat.tokenUsage": '{"input_tokens":3,"output_tokens":4,"total_tokens":7}',
    "gen_ai.input.messages": '[{"role":"user","parts":[{"type":"text","content":"x"}]}]',
    custom: "kept",
  });
  assert.equal(m.spanType, "RETRIEVER");
  assert.deepEqual(m.inputs, { query: "q" });
  assert.deepEqual(m.outputs, ["doc"]);
  assert.deepEqual(m.usage, { input_tokens: 3, output_tokens: 4, total_tokens: 7 });
  for (const key of ["mlflow.spanType", "mlflow.spanInputs", "mlflow.spanOutputs"]) {
    assert.equal(key in m.attributes, false, key);
  }
  assert.equal(m.attributes.custom, "kept");

  const plain = mapAttributes({ "http.method": "GET", "http.status_code": 200, flag: true });
  assert.equal(plain.spanType, "UNKNOWN");
  assert.equal(plain.inputs, undefined);
  assert.equal(plain.outputs, undefined);
  assert.equal(plain.usage, undefined);
  assert.deepEqual(plain.attributes, { "http.method": "GET", "http.status_code": 200, flag: true });

  // Messages that fit no convention stay the value they were, not a half-converted chat.
  const odd = mapAttributes({ "gen_ai.input.messages": '{"not":"a list"}' });
  assert.deepEqual(odd.inputs, { not: "a list" });
  assert.equal(odd.attributes["mlflow.message.format"], undefined);
});
