// Copyright 2026 the evalhooks authors. MIT license.

// wrapAnthropic against the REAL @anthropic-ai/sdk talking to a REAL loopback provider
// (tests/harness/llm_provider.ts), read back from a real MLflow server: span tree, type,
// inputs/outputs, token usage on the span, the trace and the run, streams (plain, tools,
// abandoned half way), `messages.stream()`'s MessageStream, errors, and that what the caller
// gets is the SDK's own. The collector is also checked alone, over recorded event sequences.

import { after, test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import type { Mlflow, SpanData } from "../../mod.ts";
import { wrapAnthropic } from "../../src/integrations/anthropic/mod.ts";
import {
  anthropicUsage,
  chatTools,
  messageEventCollector,
} from "../../src/integrations/anthropic/collect.ts";
import {
  ERROR_MESSAGES,
  REPLY_TEXT,
  SLOW_CHUNK_TEXT,
  SLOW_TEXT,
  startLlmProvider,
  TOOL_ARGS,
  TOOL_CALL_ID,
  TOOL_NAME,
} from "../harness/llm_provider.ts";
import { type AnthropicClient, loadAnthropic } from "../harness/sdks.ts";
import { clientOfOwnExperiment, tracesOf } from "../harness/own_experiment.ts";
import { trackingUri } from "../harness/server.ts";

const sdk = await loadAnthropic();
const provider = await startLlmProvider();
after(() => provider.close());

const USAGE_ATTR = {
  input_tokens: 12,
  output_tokens: 8,
  total_tokens: 20,
  cache_read_input_tokens: 0,
  cache_creation_input_tokens: 0,
};

// Each client logs to an experiment of its own, so a search finds only its traces.
const client = (): Promise<Mlflow> => clientOfOwnExperiment("anthropic");

function anthropic(): AnthropicClient {
  return new sdk.Anthropic({
    apiKey: "test-key",
    baseURL: provider.anthropicBaseUrl,
    maxRetries: 0,
  });
}

const params = (model: string, extra: Record<string, unknown> = {}) => ({
  model,
  max_tokens: 64,
  system: "You are terse.",
  messages: [{ role: "user", content: "What is the capital of France?" }],
  ...extra,
});

const WEATHER_TOOL = {
  name: TOOL_NAME,
  description: "The weather in a city",
  input_schema: { type: "object", properties: { city: { type: "string" } }, required: ["city"] },
};

const plain = (v: unknown): unknown => JSON.parse(JSON.stringify(v));

async function readTrace(mlflow: Mlflow, traceId: string) {
  await mlflow.flush();
  const trace = await mlflow.getTrace(traceId);
  const llm = trace.spans.filter((s) => s.name === "Messages");
  assert.equal(llm.length, 1, `one Messages span in ${trace.spans.map((s) => s.name)}`);
  return { ...trace, llm: llm[0] };
}

function assertChatSpan(span: SpanData, model: string): void {
  assert.equal(span.spanType, "CHAT_MODEL");
  assert.equal(span.attributes["mlflow.llm.provider"], "anthropic");
  assert.equal(span.attributes["mlflow.message.format"], "anthropic");
  assert.equal(span.attributes["mlflow.llm.model"], model);
}

// ---------------------------------------------------------------------------------------------
// The collector alone, over recorded event sequences.

const START = {
  type: "message_start",
  message: {
    id: "msg_1",
    type: "message",
    role: "assistant",
    model: "claude-x",
    content: [],
    stop_reason: null,
    stop_sequence: null,
    usage: {
      input_tokens: 20,
      cache_creation_input_tokens: 5,
      cache_read_input_tokens: 100,
      output_tokens: 1,
    },
  },
};

test("anthropic collector: text, thinking and tool-input deltas add up to the Message", () => {
  const c = messageEventCollector();
  for (
    const e of [
      START,
      { type: "content_block_start", index: 0, content_block: { type: "thinking", thinking: "" } },
      { type: "content_block_delta", index: 0, delta: { type: "thinking_delta", thinking: "Hm" } },
      { type: "content_block_delta", index: 0, delta: { type: "signature_delta", signature: "s" } },
      { type: "content_block_stop", index: 0 },
      { type: "content_block_start", index: 1, content_block: { type: "text", text: "" } },
      { type: "ping" },
      { type: "content_block_delta", index: 1, delta: { type: "text_delta", text: "Let me " } },
      { type: "content_block_delta", index: 1, delta: { type: "text_delta", text: "check." } },
      { type: "content_block_stop", index: 1 },
      {
        type: "content_block_start",
        index: 2,
        content_block: { type: "tool_use", id: "tu_1", name: "get_weather", input: {} },
      },
      {
        type: "content_block_delta",
        index: 2,
        delta: { type: "input_json_delta", partial_json: '{"city":' },
      },
      {
        type: "content_block_delta",
        index: 2,
        delta: { type: "input_json_delta", partial_json: ' "Paris"}' },
      },
      { type: "content_block_stop", index: 2 },
      {
        type: "message_delta",
        delta: { stop_reason: "tool_use", stop_sequence: null },
        usage: { output_tokens: 31 },
      },
      { type: "message_stop" },
    ]
  ) c.add(e);
  const outcome = c.outcome();
  assert.deepEqual(outcome.outputs, {
    id: "msg_1",
    type: "message",
    role: "assistant",
    model: "claude-x",
    content: [
      { type: "thinking", thinking: "Hm", signature: "s" },
      { type: "text", text: "Let me check." },
      { type: "tool_use", id: "tu_1", name: "get_weather", input: { city: "Paris" } },
    ],
    stop_reason: "tool_use",
    stop_sequence: null,
    usage: {
      input_tokens: 20,
      cache_creation_input_tokens: 5,
      cache_read_input_tokens: 100,
      output_tokens: 31,
    },
  });
  assert.equal(outcome.model, "claude-x");
  // As MLflow's Anthropic autolog: cache reads and writes count as input, and are kept apart.
  assert.deepEqual(outcome.usage, {
    input_tokens: 125,
    output_tokens: 31,
    total_tokens: 156,
    cache_read_input_tokens: 100,
    cache_creation_input_tokens: 5,
  });
});

test("anthropic collector: cut short, the Message so far (half a tool input kept as text)", () => {
  const c = messageEventCollector();
  c.add(START);
  c.add({ type: "content_block_start", index: 0, content_block: { type: "text", text: "" } });
  c.add({ type: "content_block_delta", index: 0, delta: { type: "text_delta", text: "Par" } });
  c.add({ type: "content_block_stop", index: 0 });
  c.add({
    type: "content_block_start",
    index: 1,
    content_block: { type: "tool_use", id: "tu_1", name: "f", input: {} },
  });
  c.add({
    type: "content_block_delta",
    index: 1,
    delta: { type: "input_json_delta", partial_json: '{"ci' },
  });
  const m = c.outcome().outputs as { content: unknown[]; stop_reason: unknown };
  assert.deepEqual(m.content, [
    { type: "text", text: "Par" },
    { type: "tool_use", id: "tu_1", name: "f", input: {}, partial_json: '{"ci' },
  ]);
  assert.equal(m.stop_reason, null);
  // Nothing at all: still an assistant message, no usage.
  const empty = messageEventCollector().outcome();
  assert.deepEqual(empty.outputs, { type: "message", role: "assistant", content: [] });
  assert.equal(empty.usage, undefined);
});

test("anthropic collect: usage without cache counters, and tools in MLflow's chat-tool shape", () => {
  assert.deepEqual(anthropicUsage({ input_tokens: 3, output_tokens: 4 }), {
    input_tokens: 3,
    output_tokens: 4,
    total_tokens: 7,
  });
  assert.equal(anthropicUsage(undefined), undefined);
  assert.deepEqual(chatTools([WEATHER_TOOL, { type: "web_search_20250305", name: "web_search" }]), [
    {
      type: "function",
      function: {
        name: TOOL_NAME,
        description: "The weather in a city",
        parameters: WEATHER_TOOL.input_schema,
      },
    },
    { type: "function", function: { name: "web_search" } },
  ]);
  assert.equal(chatTools(undefined), undefined);
});

// ---------------------------------------------------------------------------------------------
// The real SDK, the real provider, a real MLflow server.

test("anthropic: messages.create inside mlflow.trace nests under it; the Message is the SDK's own", async () => {
  const mlflow = await client();
  const wrapped = wrapAnthropic(anthropic(), { mlflow });
  const request = params("claude-test", { temperature: 0.5 });
  let traceId = "";
  const reply = await mlflow.trace("agent", async (root) => {
    traceId = root.traceId;
    return await wrapped.messages.create(request);
  });
  const unwrapped = await anthropic().messages.create(request);
  // The SDK's own object: the same keys, the same content, the SDK's extras.
  assert.deepEqual(Object.keys(reply), Object.keys(unwrapped));
  assert.deepEqual(reply.content, [{ type: "text", text: REPLY_TEXT }]);
  assert.equal(typeof reply._request_id, typeof unwrapped._request_id);

  const { info, spans, llm } = await readTrace(mlflow, traceId);
  const root = spans.find((s) => s.name === "agent");
  assert.ok(root);
  assert.equal(llm.parentSpanId, root.spanId);
  assert.equal(spans.length, 2);
  assertChatSpan(llm, "claude-test");
  assert.deepEqual(llm.status, { code: "OK" });
  // Anthropic's own request, `messages` and `system` as given.
  assert.deepEqual(llm.inputs, request);
  assert.deepEqual(llm.outputs, plain(reply));
  assert.deepEqual(llm.attributes.invocation_params, {
    model: "claude-test",
    max_tokens: 64,
    temperature: 0.5,
  });
  assert.deepEqual(llm.attributes["mlflow.chat.tokenUsage"], USAGE_ATTR);
  assert.deepEqual(JSON.parse(info.metadata["mlflow.trace.tokenUsage"]), {
    input_tokens: 12,
    output_tokens: 8,
    total_tokens: 20,
  });
  assert.equal(info.state, "OK");
});

test("anthropic: outside any context, with options.mlflow, a call is a trace of its own", async () => {
  const mlflow = await client();
  const wrapped = wrapAnthropic(anthropic(), { mlflow });
  const request = params("claude-tools", { tools: [WEATHER_TOOL] });
  const reply = await wrapped.messages.create(request);
  assert.equal(reply.stop_reason, "tool_use");
  const traces = await tracesOf(mlflow);
  assert.equal(traces.length, 1);
  const { spans, llm } = await readTrace(mlflow, traces[0].traceId);
  assert.equal(spans.length, 1);
  assert.equal(llm.parentSpanId, undefined);
  assertChatSpan(llm, "claude-tools");
  // tool_use blocks in the outputs; the tools in MLflow's shape.
  assert.deepEqual((llm.outputs as { content: unknown }).content, [
    { type: "tool_use", id: TOOL_CALL_ID, name: TOOL_NAME, input: TOOL_ARGS },
  ]);
  assert.deepEqual(llm.attributes["mlflow.chat.tools"], [{
    type: "function",
    function: {
      name: TOOL_NAME,
      description: WEATHER_TOOL.description,
      parameters: WEATHER_TOOL.input_schema,
    },
  }]);
  assert.deepEqual((llm.inputs as { tools: unknown }).tools, [WEATHER_TOOL]);
});

test("anthropic: create({ stream: true }) returns the SDK's Stream; the span ends with the Message it adds up to", async () => {
  const mlflow = await client();
  const wrapped = wrapAnthropic(anthropic(), { mlflow });
  const reference = await anthropic().messages.create(params("claude-test"));
  const rawStream = await anthropic().messages.create({ ...params("claude-test"), stream: true });
  const rawTypes: string[] = [];
  for await (const event of rawStream) rawTypes.push(event.type);
  let traceId = "";
  const types: string[] = [];
  await mlflow.trace("agent", async (root) => {
    traceId = root.traceId;
    const stream = await wrapped.messages.create({ ...params("claude-test"), stream: true });
    assert.equal(Object.getPrototypeOf(stream), Object.getPrototypeOf(rawStream));
    assert.ok(stream.controller instanceof AbortController);
    for await (const event of stream) types.push(event.type);
  });
  // Every event passes through, as the unwrapped SDK gives them.
  assert.deepEqual(types, rawTypes);
  assert.equal(types.filter((t) => t === "content_block_delta").length, 6);
  const { info, llm } = await readTrace(mlflow, traceId);
  assertChatSpan(llm, "claude-test");
  // The shape of the non-streamed answer (the ids differ: another request).
  const { id: _a, ...assembled } = llm.outputs as Record<string, unknown>;
  const { id: _b, ...expected } = plain(reference) as Record<string, unknown>;
  assert.deepEqual(assembled, expected);
  assert.deepEqual(llm.attributes["mlflow.chat.tokenUsage"], USAGE_ATTR);
  assert.equal(JSON.parse(info.metadata["mlflow.trace.tokenUsage"]).total_tokens, 20);
  assert.equal(llm.events.length, 0);
  assert.equal((llm.inputs as { stream: unknown }).stream, true);
});

test("anthropic: a streamed tool call is assembled into its tool_use block", async () => {
  const mlflow = await client();
  const wrapped = wrapAnthropic(anthropic(), { mlflow });
  let traceId = "";
  await mlflow.trace("agent", async (root) => {
    traceId = root.traceId;
    const stream = await wrapped.messages.create({
      ...params("claude-tools", { tools: [WEATHER_TOOL] }),
      stream: true,
    });
    for await (const _ of stream) { /* drain */ }
  });
  const { llm } = await readTrace(mlflow, traceId);
  const out = llm.outputs as { content: unknown; stop_reason: unknown };
  assert.deepEqual(out.content, [
    { type: "tool_use", id: TOOL_CALL_ID, name: TOOL_NAME, input: TOOL_ARGS },
  ]);
  assert.equal(out.stop_reason, "tool_use");
  assert.equal(
    (llm.attributes["mlflow.chat.tools"] as { function: { name: string } }[])[0].function.name,
    TOOL_NAME,
  );
});

test("anthropic: a stream abandoned half way ends its span with the partial Message and `stream cancelled`", async () => {
  const mlflow = await client();
  const wrapped = wrapAnthropic(anthropic(), { mlflow });
  let traceId = "";
  let deltas = 0;
  await mlflow.trace("agent", async (root) => {
    traceId = root.traceId;
    const stream = await wrapped.messages.create({ ...params("claude-slow"), stream: true });
    for await (const event of stream) {
      if (event.type === "content_block_delta" && ++deltas === 3) break;
    }
  });
  const { llm } = await readTrace(mlflow, traceId);
  assert.deepEqual(llm.status, { code: "OK" });
  assert.deepEqual(llm.events.map((e) => e.name), ["stream cancelled"]);
  const out = llm.outputs as { content: { text: string }[]; stop_reason: unknown };
  assert.equal(out.content[0].text, SLOW_CHUNK_TEXT.repeat(3));
  assert.equal(out.stop_reason, null);
  // The usage so far (message_start's): the input, one output token.
  assert.equal(
    (llm.attributes["mlflow.chat.tokenUsage"] as { output_tokens: number }).output_tokens,
    1,
  );
});

test("anthropic: messages.stream() returns the SDK's own MessageStream, only watched", async () => {
  const mlflow = await client();
  const wrapped = wrapAnthropic(anthropic(), { mlflow });
  const raw = anthropic().messages.stream(params("claude-test"));
  await raw.finalMessage();
  let traceId = "";
  let text = "";
  const final = await mlflow.trace("agent", async (root) => {
    traceId = root.traceId;
    const stream = wrapped.messages.stream(params("claude-test"));
    assert.ok(stream instanceof (raw.constructor as new () => unknown));
    assert.equal(stream.constructor.name, "MessageStream");
    stream.on("text", (delta) => {
      text += delta;
    });
    return await stream.finalMessage();
  });
  assert.equal(text, REPLY_TEXT);
  const { spans, llm } = await readTrace(mlflow, traceId);
  // One span: the stream's own `create` inside the SDK is the unwrapped one.
  assert.equal(spans.length, 2);
  assertChatSpan(llm, "claude-test");
  assert.deepEqual(llm.status, { code: "OK" });
  assert.deepEqual(llm.inputs, params("claude-test"));
  assert.deepEqual(llm.outputs, plain(final));
  assert.deepEqual(llm.attributes["mlflow.chat.tokenUsage"], USAGE_ATTR);
});

test("anthropic: messages.stream() left half way by for-await ends as cancelled, with the Message so far", async () => {
  const mlflow = await client();
  const wrapped = wrapAnthropic(anthropic(), { mlflow });
  let traceId = "";
  let deltas = 0;
  let stream: ReturnType<AnthropicClient["messages"]["stream"]> | undefined;
  await mlflow.trace("agent", async (root) => {
    traceId = root.traceId;
    stream = wrapped.messages.stream(params("claude-slow"));
    for await (const event of stream) {
      if (event.type === "content_block_delta" && ++deltas === 3) break;
    }
  });
  const { llm } = await readTrace(mlflow, traceId);
  assert.deepEqual(llm.status, { code: "OK" });
  assert.deepEqual(llm.events.map((e) => e.name), ["stream cancelled"]);
  const text = (llm.outputs as { content: { text: string }[] }).content[0].text;
  assert.ok(text.startsWith(SLOW_CHUNK_TEXT.repeat(3)) && text.length < SLOW_TEXT.length, text);
  // The SDK's own behaviour: breaking out aborted the stream.
  await new Promise((resolve) => setTimeout(resolve, 100));
  assert.equal((stream as unknown as { aborted: boolean }).aborted, true);
});

test("anthropic: messages.stream() failing: the caller gets the SDK's error, the span is ERROR with it", async () => {
  const mlflow = await client();
  const wrapped = wrapAnthropic(anthropic(), { mlflow });
  // for-await (the iterator's own listeners) and finalMessage(): two ways a caller sees it.
  for (const how of ["iterate", "finalMessage"] as const) {
    let traceId = "";
    let caught: unknown;
    await mlflow.trace("agent", async (root) => {
      traceId = root.traceId;
      const stream = wrapped.messages.stream(params("claude-error-400"));
      try {
        if (how === "iterate") { for await (const _ of stream) { /* nothing comes */ } }
        else await stream.finalMessage();
      } catch (error) {
        caught = error;
      }
    });
    assert.ok(caught instanceof sdk.BadRequestError, `${how}: ${caught}`);
    const { llm } = await readTrace(mlflow, traceId);
    assert.equal(llm.status.code, "ERROR", how);
    assert.equal(llm.status.message, `${(caught as Error).name}: ${(caught as Error).message}`);
    assert.equal(llm.events[0].name, "exception");
    assert.equal(llm.attributes["mlflow.llm.model"], "claude-error-400");
  }
});

test("anthropic: an unhandled MessageStream error still reaches the process, wrapped as unwrapped", async () => {
  // A caller that neither listens for `error` nor awaits the stream gets an unhandled rejection
  // from the SDK. The wrapper must not swallow it: the same program dies the same way with it.
  const runtime = (process.versions as { bun?: string }).bun ? ["-e"] : ["eval"];
  const src = (path: string) => new URL(path, import.meta.url).href;
  const uri = await trackingUri();
  const program = (wrap: boolean, what: "error" | "abort") => `
    import { loadAnthropic } from ${JSON.stringify(src("../harness/sdks.ts"))};
    import { wrapAnthropic } from ${JSON.stringify(src("../../src/integrations/anthropic/mod.ts"))};
    import { createMlflow } from ${JSON.stringify(src("../../mod.ts"))};
    const sdk = await loadAnthropic();
    const raw = new sdk.Anthropic({ apiKey: "k", baseURL: ${
    JSON.stringify(provider.anthropicBaseUrl)
  }, maxRetries: 0 });
    const mlflow = createMlflow({ trackingUri: ${JSON.stringify(uri)}, onError: () => {} });
    const client = ${wrap} ? wrapAnthropic(raw, { mlflow }) : raw;
    const model = ${JSON.stringify(what === "error" ? "claude-error-400" : "claude-slow")};
    const stream = client.messages.stream({ model, max_tokens: 8, messages: [{ role: "user", content: "hi" }] });
    stream.on("text", () => {});
    if (${JSON.stringify(what)} === "abort") setTimeout(() => stream.abort(), 120);
    setTimeout(() => { console.log("survived"); process.exit(0); }, 1500);
  `;
  // Asynchronously: the provider answering the child runs in this process.
  const outcome = (wrap: boolean, what: "error" | "abort") =>
    new Promise<{ survived: boolean; error?: string }>((resolve, reject) => {
      const child = spawn(process.execPath, [...runtime, program(wrap, what)], {
        stdio: ["ignore", "pipe", "pipe"],
      });
      let stdout = "";
      let stderr = "";
      child.stdout.on("data", (d: Uint8Array) => stdout += new TextDecoder().decode(d));
      child.stderr.on("data", (d: Uint8Array) => stderr += new TextDecoder().decode(d));
      child.on("error", reject);
      child.on("close", () =>
        resolve({
          survived: stdout.includes("survived"),
          error: /BadRequestError|APIUserAbortError/.exec(stderr)?.[0],
        }));
    });
  for (const what of ["error", "abort"] as const) {
    const [bare, wrapped] = await Promise.all([outcome(false, what), outcome(true, what)]);
    assert.equal(bare.survived, false, `${what}: the SDK alone raises an unhandled rejection`);
    assert.ok(bare.error, what);
    assert.deepEqual(wrapped, bare, what);
  }
});

test("anthropic: create errors are the SDK's own classes, rethrown; the span is ERROR", async () => {
  const mlflow = await client();
  const wrapped = wrapAnthropic(anthropic(), { mlflow });
  for (
    const [model, cls, status] of [
      ["claude-error-400", sdk.BadRequestError, 400],
      ["claude-error-500", sdk.InternalServerError, 500],
    ] as const
  ) {
    let traceId = "";
    let caught: unknown;
    await mlflow.trace("agent", async (root) => {
      traceId = root.traceId;
      await assert.rejects(wrapped.messages.create(params(model)), (error: unknown) => {
        caught = error;
        return error instanceof cls && (error as { status?: number }).status === status;
      });
    });
    assert.ok((caught as Error).message.includes(ERROR_MESSAGES[status]));
    const { llm } = await readTrace(mlflow, traceId);
    assert.equal(llm.status.code, "ERROR");
    assert.equal(llm.status.message, `${(caught as Error).name}: ${(caught as Error).message}`);
    assert.equal(llm.outputs, undefined);
    assert.equal(llm.attributes["mlflow.llm.model"], model);
  }
  // Streaming too: the promise rejects with the SDK's error.
  await assert.rejects(
    wrapped.messages.create({ ...params("claude-error-400"), stream: true }),
    sdk.BadRequestError,
  );
});

test("anthropic: inside mlflow.run, token usage adds up in usage/<model>/… metrics", async () => {
  const mlflow = await client();
  const wrapped = wrapAnthropic(anthropic(), {
    mlflow,
    prices: { "claude-usage": { input: 3, output: 15 } },
  });
  const run = await mlflow.run({ runName: "usage" }, async (run) => {
    await wrapped.messages.create(params("claude-usage"));
    await wrapped.messages.stream(params("claude-usage")).finalMessage();
    return run;
  });
  await mlflow.flush();
  const history = await mlflow.getMetricHistory(run, "usage/claude-usage/input_tokens");
  assert.deepEqual(history.map((p) => p.value), [12, 24]);
  const data = await mlflow.getRun(run);
  assert.equal(data.metrics["usage/claude-usage/output_tokens"], 16);
  assert.equal(data.metrics["usage/claude-usage/total_tokens"], 40);
  assert.ok(Math.abs(data.metrics["cost/total_usd"] - 2 * (12 * 3 + 8 * 15) / 1e6) < 1e-12);
  // Each call is a trace of the run.
  const traces = await tracesOf(mlflow);
  assert.equal(traces.length, 2);
  const runId = (await run.info()).runId;
  for (const t of traces) assert.equal(t.metadata["mlflow.sourceRun"], runId);
});
