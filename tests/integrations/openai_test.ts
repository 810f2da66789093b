// Copyright 2026 the evalhooks authors. MIT license.

// wrapOpenAI with the REAL `openai` SDK against the loopback provider (tests/harness/
// llm_provider.ts), every trace read back from the real MLflow server: span tree, types, chat
// inputs/outputs, token usage on the span, the trace and the run, streams (whole and abandoned),
// errors, and 20 concurrent evaluate() rows each landing in their own trace.

import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { createMlflow, type Mlflow } from "../../mod.ts";
import { evaluate, includes } from "../../src/evaluate/mod.ts";
import { wrapOpenAI } from "../../src/integrations/openai/mod.ts";
import type { SpanData } from "../../src/store/trace_types.ts";
import {
  type LlmProvider,
  REPLY_TEXT,
  SLOW_CHUNK_TEXT,
  startLlmProvider,
  TOOL_ARGS_JSON,
  TOOL_NAME,
  USAGE,
} from "../harness/llm_provider.ts";
import { loadOpenAI, type OpenAIClient, type OpenAIModule } from "../harness/sdks.ts";
import { trackingUri, uniqueName } from "../harness/server.ts";

let provider: LlmProvider;
let sdk: OpenAIModule;
let mlflow: Mlflow;

before(async () => {
  provider = await startLlmProvider();
  sdk = await loadOpenAI();
  mlflow = createMlflow({ trackingUri: await trackingUri(), experimentName: uniqueName("openai") });
});
after(async () => {
  await mlflow.close();
  await provider.close();
});

const bareClient = (): OpenAIClient =>
  new sdk.OpenAI({ apiKey: "sk-test-secret", baseURL: provider.openaiBaseUrl, maxRetries: 0 });

const usage = { input_tokens: USAGE.input, output_tokens: USAGE.output, total_tokens: USAGE.total };

async function spansOf(traceId: string): Promise<SpanData[]> {
  await mlflow.flush();
  return (await mlflow.getTrace(traceId)).spans;
}

test("openai: a chat completion inside mlflow.trace is a CHAT_MODEL span with chat, model and tokens", async () => {
  const openai = wrapOpenAI(bareClient());
  let traceId = "";
  const reply = await mlflow.trace("agent", async (root) => {
    traceId = root.traceId;
    return await openai.chat.completions.create({
      model: "gpt-test",
      messages: [{ role: "user", content: "Capital of France?" }],
      temperature: 0.2,
    });
  });
  assert.equal(reply.choices[0].message.content, REPLY_TEXT);
  await mlflow.flush();
  const full = await mlflow.getTrace(traceId);
  const [root, llm] = full.spans;
  assert.equal(full.spans.length, 2);
  assert.equal(llm.parentSpanId, root.spanId);
  assert.equal(llm.name, "Completions");
  assert.equal(llm.spanType, "CHAT_MODEL");
  assert.deepEqual((llm.inputs as { messages: unknown }).messages, [
    { role: "user", content: "Capital of France?" },
  ]);
  assert.equal(
    (llm.outputs as { choices: { message: { content: string } }[] }).choices[0].message.content,
    REPLY_TEXT,
  );
  assert.equal(llm.attributes["mlflow.llm.model"], "gpt-test");
  assert.equal(llm.attributes["mlflow.llm.provider"], "openai");
  assert.equal(llm.attributes["mlflow.message.format"], "openai");
  assert.deepEqual(llm.attributes["mlflow.chat.tokenUsage"], usage);
  assert.deepEqual(llm.attributes.invocation_params, { model: "gpt-test", temperature: 0.2 });
  assert.deepEqual(JSON.parse(full.info.metadata["mlflow.trace.tokenUsage"]), usage);
  // The API key went to the provider, never into the trace.
  assert.ok(
    !JSON.stringify(full, (_, v) => typeof v === "bigint" ? String(v) : v).includes("sk-test"),
  );
});

test("openai: outside any context, options.mlflow gives a call its own trace, tool calls and all", async () => {
  const experimentName = uniqueName("own");
  const own = createMlflow({ trackingUri: await trackingUri(), experimentName });
  const openai = wrapOpenAI(bareClient(), { mlflow: own });
  const tools = [{
    type: "function",
    function: { name: TOOL_NAME, parameters: { type: "object", properties: {} } },
  }];
  const reply = await openai.chat.completions.create({
    model: "gpt-tools",
    messages: [{ role: "user", content: "Weather?" }],
    tools,
  });
  assert.equal(reply.choices[0].message.tool_calls?.[0].function.name, TOOL_NAME);
  await own.flush();
  const experimentId = await own.getOrCreateExperiment(experimentName);
  const [info] = await own.searchTraces({ experimentIds: [experimentId] });
  const trace = await own.getTrace(info.traceId);
  assert.equal(trace.spans.length, 1);
  const [llm] = trace.spans;
  assert.equal(llm.spanType, "CHAT_MODEL");
  assert.deepEqual(llm.attributes["mlflow.chat.tools"], tools);
  const out = llm.outputs as {
    choices: { message: { tool_calls: { function: { name: string; arguments: string } }[] } }[];
  };
  assert.equal(out.choices[0].message.tool_calls[0].function.arguments, TOOL_ARGS_JSON);
  await own.close();
});

test("openai: a stream passes through untouched and its span gets the assembled answer and usage", async () => {
  const openai = wrapOpenAI(bareClient(), { mlflow });
  const bare = bareClient();
  let traceId = "";
  const chunks: unknown[] = [];
  const bareChunks: unknown[] = [];
  await mlflow.trace("stream", async (root) => {
    traceId = root.traceId;
    const stream = await openai.chat.completions.create({
      model: "gpt-test",
      messages: [{ role: "user", content: "hi" }],
      stream: true,
      stream_options: { include_usage: true },
    });
    // The SDK's own Stream, not a copy.
    assert.equal(stream.constructor.name, "Stream");
    for await (const c of stream) chunks.push(c);
  });
  const reference = await bare.chat.completions.create({
    model: "gpt-test",
    messages: [{ role: "user", content: "hi" }],
    stream: true,
    stream_options: { include_usage: true },
  });
  for await (const c of reference) bareChunks.push(c);
  const strip = (cs: unknown[]) => JSON.stringify(cs).replace(/"id":"[^"]*"/g, "");
  assert.equal(strip(chunks), strip(bareChunks), "the caller sees what the bare SDK gives");
  const [, llm] = await spansOf(traceId);
  const out = llm.outputs as { choices: { message: { content: string } }[] };
  assert.equal(out.choices[0].message.content, REPLY_TEXT);
  assert.deepEqual(llm.attributes["mlflow.chat.tokenUsage"], usage);
  assert.equal(llm.status.code, "OK");
});

test("openai: a streamed tool call is assembled from its deltas", async () => {
  const openai = wrapOpenAI(bareClient(), { mlflow });
  let traceId = "";
  await mlflow.trace("tools", async (root) => {
    traceId = root.traceId;
    const stream = await openai.chat.completions.create({
      model: "gpt-tools",
      messages: [{ role: "user", content: "Weather?" }],
      stream: true,
    });
    for await (const _ of stream) { /* drain */ }
  });
  const [, llm] = await spansOf(traceId);
  const call = (llm.outputs as {
    choices: { message: { tool_calls: { function: { name: string; arguments: string } }[] } }[];
  }).choices[0].message.tool_calls[0];
  assert.equal(call.function.name, TOOL_NAME);
  assert.equal(call.function.arguments, TOOL_ARGS_JSON);
});

test("openai: a stream abandoned half way ends its span with the partial answer", async () => {
  const openai = wrapOpenAI(bareClient(), { mlflow });
  let traceId = "";
  await mlflow.trace("abandon", async (root) => {
    traceId = root.traceId;
    const stream = await openai.chat.completions.create({
      model: "gpt-slow",
      messages: [{ role: "user", content: "count" }],
      stream: true,
    });
    let n = 0;
    for await (const _ of stream) if (++n === 3) break;
  });
  const [, llm] = await spansOf(traceId);
  const text = (llm.outputs as { choices: { message: { content: string } }[] }).choices[0].message
    .content;
  assert.ok(text.startsWith(SLOW_CHUNK_TEXT) && text.length < SLOW_CHUNK_TEXT.repeat(10).length);
  assert.ok(llm.events.some((e) => e.name === "stream cancelled"));
});

test("openai: an SDK error reaches the caller unchanged and marks the span ERROR", async () => {
  const openai = wrapOpenAI(bareClient(), { mlflow });
  let traceId = "";
  await mlflow.trace("fails", async (root) => {
    traceId = root.traceId;
    await assert.rejects(
      openai.chat.completions.create({ model: "gpt-error-400", messages: [] }),
      (error: unknown) => error instanceof sdk.BadRequestError && error.status === 400,
    );
  });
  const [, llm] = await spansOf(traceId);
  assert.equal(llm.status.code, "ERROR");
  assert.ok(llm.events.some((e) => e.name === "exception"));
});

test("openai: responses (plain and streamed) and embeddings", async () => {
  const openai = wrapOpenAI(bareClient(), { mlflow });
  let traceId = "";
  await mlflow.trace("mixed", async (root) => {
    traceId = root.traceId;
    const r = await openai.responses.create({ model: "gpt-test", input: "hi" });
    assert.equal(r.output_text, REPLY_TEXT);
    const s = await openai.responses.create({ model: "gpt-test", input: "hi", stream: true });
    for await (const _ of s) { /* drain */ }
    const e = await openai.embeddings.create({ model: "embed-test", input: ["a", "b"] });
    assert.equal(e.data.length, 2);
  });
  const [, plain, streamed, embed] = await spansOf(traceId);
  assert.equal(plain.name, "Responses");
  assert.deepEqual(plain.attributes["mlflow.chat.tokenUsage"], usage);
  assert.equal(streamed.name, "Responses");
  assert.deepEqual(streamed.attributes["mlflow.chat.tokenUsage"], usage);
  assert.equal(embed.spanType, "EMBEDDING");
  const data = (embed.outputs as { data: { dimensions: number }[] }).data;
  assert.equal(data.length, 2);
  assert.ok(data[0].dimensions > 0, "vectors summed up by their size");
});

test("openai: inside mlflow.run the calls make their own traces and sum usage on the run", async () => {
  const openai = wrapOpenAI(bareClient());
  await mlflow.run({ runName: "usage-run" }, async (r) => {
    for (let i = 0; i < 3; i++) {
      await openai.chat.completions.create({
        model: "gpt-test",
        messages: [{ role: "user", content: `q${i}` }],
      });
    }
    await mlflow.flush();
    const history = await mlflow.getMetricHistory(r, "usage/gpt-test/input_tokens");
    assert.deepEqual(history.map((m) => m.value), [USAGE.input, 2 * USAGE.input, 3 * USAGE.input]);
    const total = await mlflow.getMetricHistory(r, "usage/gpt-test/total_tokens");
    assert.equal(total.at(-1)?.value, 3 * USAGE.total);
    const runId = (await r.info()).runId;
    const experimentId = (await r.info()).experimentId;
    const traces = await mlflow.searchTraces({
      experimentIds: [experimentId],
      filter: `metadata.mlflow.sourceRun = '${runId}'`,
    });
    assert.equal(traces.length, 3);
  });
});

test("openai: 20 concurrent evaluate() rows each get their own call in their own trace", async () => {
  const openai = wrapOpenAI(bareClient());
  const rows = Array.from({ length: 20 }, (_, i) => ({ inputs: { q: `question ${i}` } }));
  const result = await evaluate(mlflow, {
    data: rows,
    concurrency: 20,
    predict: async (inputs) => {
      const r = await openai.chat.completions.create({
        model: "gpt-test",
        messages: [{ role: "user", content: (inputs as { q: string }).q }],
      });
      return r.choices[0].message.content;
    },
    scorers: [includes("Paris")],
  });
  await mlflow.flush();
  for (const row of result.rows) {
    const trace = await mlflow.getTrace(row.traceId);
    const llm = trace.spans.filter((s) => s.spanType === "CHAT_MODEL");
    assert.equal(llm.length, 1, `row ${row.index}: one call`);
    const predict = trace.spans.find((s) => s.name === "predict")!;
    assert.equal(llm[0].parentSpanId, predict.spanId);
    const asked = (llm[0].inputs as { messages: { content: string }[] }).messages[0].content;
    assert.equal(asked, `question ${row.index}`, "the row's own question, not a neighbour's");
  }
  const history = await mlflow.getMetricHistory(result.runId, "usage/gpt-test/input_tokens");
  assert.equal(Math.max(...history.map((m) => m.value)), 20 * USAGE.input);
});

test("openai: outside any context and without options.mlflow, calls pass through untraced", async () => {
  const openai = wrapOpenAI(bareClient());
  const before = provider.requests.length;
  const reply = await openai.chat.completions.create({
    model: "gpt-test",
    messages: [{ role: "user", content: "hi" }],
  });
  assert.equal(reply.choices[0].message.content, REPLY_TEXT);
  assert.equal(provider.requests.length, before + 1);
});

test("openai: the wrapped client is the SDK's: other methods, instanceof and identity work", () => {
  const bare = bareClient();
  const openai = wrapOpenAI(bare);
  assert.ok(openai instanceof sdk.OpenAI);
  assert.equal(openai.chat, openai.chat);
  assert.equal(openai.baseURL, bare.baseURL);
  assert.equal(typeof openai.chat.completions.stream, "function");
});
