// Copyright 2026 the evalhooks authors. MIT license.

// The OpenTelemetry bridge (`@evalhooks/mlflow/otel`) with the REAL `@opentelemetry/sdk-trace-base`
// (BasicTracerProvider with our processor) and the REAL Vercel AI SDK against the loopback
// provider (tests/harness/llm_provider.ts), read back from a real MLflow server: span trees,
// exact times, types, chat inputs and outputs, token usage, statuses, remote parents, late spans
// and the bounded buffer. The SDKs are test-only npm packages in tests/runtimes/ (see
// tests/harness/sdks.ts); when they are missing these tests fail, saying to run `npm ci` there.

import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { AsyncLocalStorage } from "node:async_hooks";
import {
  createMlflow,
  type Mlflow,
  MlflowConfigError,
  type MlflowError,
  type SpanData,
} from "../../mod.ts";
import {
  type MlflowSpanProcessor,
  mlflowSpanProcessor,
  type OtelBridgeOptions,
  type OtelReadableSpan,
} from "../../src/integrations/otel/mod.ts";
import { trackingUri, uniqueName } from "../harness/server.ts";
import { type LlmProvider, REPLY_TEXT, startLlmProvider, USAGE } from "../harness/llm_provider.ts";
import {
  type AiSdk,
  loadAi,
  loadOtelSdk,
  type OtelSdk,
  type OtelTracer,
  requireRuntimePackage,
} from "../harness/sdks.ts";

// ---------------------------------------------------------------------------------------------
// The parts of @opentelemetry/api and of its tracer these tests use beyond tests/harness/sdks.ts.

type HrTime = [number, number];

interface TestSpan {
  spanContext(): { traceId: string; spanId: string };
  setAttribute(key: string, value: unknown): TestSpan;
  setStatus(status: { code: number; message?: string }): TestSpan;
  addEvent(name: string, attributes?: Record<string, unknown>, time?: HrTime): TestSpan;
  end(time?: HrTime): void;
}

interface TestTracer {
  startSpan(
    name: string,
    options?: { startTime?: HrTime; attributes?: Record<string, unknown>; kind?: number },
    context?: unknown,
  ): TestSpan;
}

interface ContextManager {
  active(): unknown;
  with<A extends unknown[], R>(
    context: unknown,
    fn: (...args: A) => R,
    thisArg?: unknown,
    ...args: A
  ): R;
  bind<T>(context: unknown, target: T): T;
  enable(): ContextManager;
  disable(): ContextManager;
}

interface OtelContextApi {
  ROOT_CONTEXT: unknown;
  context: { setGlobalContextManager(manager: ContextManager): boolean; disable(): void };
  trace: {
    setSpan(context: unknown, span: TestSpan): unknown;
    setSpanContext(
      context: unknown,
      spanContext: { traceId: string; spanId: string; traceFlags: number; isRemote?: boolean },
    ): unknown;
  };
}

let otel: OtelSdk;
let api: OtelContextApi;
let aiSdk: AiSdk;
let llm: LlmProvider;
const storage = new AsyncLocalStorage<unknown>();

before(async () => {
  [otel, aiSdk, llm] = await Promise.all([loadOtelSdk(), loadAi(), startLlmProvider()]);
  api = requireRuntimePackage<OtelContextApi>("@opentelemetry/api");
  // What NodeSDK's AsyncLocalStorage context manager does, so that the AI SDK's
  // `startActiveSpan` spans nest (sdk-trace-base registers none).
  const manager: ContextManager = {
    active: () => storage.getStore() ?? api.ROOT_CONTEXT,
    with: (context, fn, thisArg, ...args) => storage.run(context, () => fn.apply(thisArg, args)),
    bind: (_context, target) => target,
    enable: () => manager,
    disable: () => manager,
  };
  assert.ok(api.context.setGlobalContextManager(manager));
});

after(async () => {
  api.context.disable();
  await llm.close();
});

// Past 2^53 ns, where a double would lose the last digits.
const T0_S = 1_764_000_000;
const T0_NS = 123_456_789;

/** `T0 + offset` as an HrTime. */
function hr(offsetNs: number): HrTime {
  const ns = T0_NS + offsetNs;
  return [T0_S + Math.floor(ns / 1e9), ns % 1e9];
}

/** `T0 + offset` in ns. */
function ns(offsetNs: number): bigint {
  return BigInt(T0_S) * 1_000_000_000n + BigInt(T0_NS + offsetNs);
}

interface Setup {
  mlflow: Mlflow;
  experimentId: string;
  processor: MlflowSpanProcessor;
  provider: { forceFlush(): Promise<void>; shutdown(): Promise<void> };
  tracer: TestTracer;
  aiTracer: OtelTracer;
  errors: MlflowError[];
}

async function setup(options: OtelBridgeOptions = {}): Promise<Setup> {
  const name = uniqueName("otel");
  const mlflow = createMlflow({ trackingUri: await trackingUri(), experimentName: name });
  const experimentId = await mlflow.getOrCreateExperiment(name);
  const errors: MlflowError[] = [];
  const processor = mlflowSpanProcessor(mlflow, { onError: (e) => errors.push(e), ...options });
  const provider = new otel.sdk.BasicTracerProvider({ spanProcessors: [processor] });
  const aiTracer = provider.getTracer("otel-test", "1.2.3");
  return {
    mlflow,
    experimentId,
    processor,
    provider,
    tracer: aiTracer as unknown as TestTracer,
    aiTracer,
    errors,
  };
}

/** The only trace of the experiment, read back. */
async function onlyTrace(s: Setup): Promise<{ traceId: string; spans: SpanData[] }> {
  const infos = await s.mlflow.searchTraces({ experimentIds: [s.experimentId] });
  assert.equal(infos.length, 1, `traces: ${infos.map((i) => i.traceId).join(", ")}`);
  const { spans } = await s.mlflow.getTrace(infos[0].traceId);
  return { traceId: infos[0].traceId, spans };
}

function byName(spans: SpanData[]): Record<string, SpanData> {
  return Object.fromEntries(spans.map((s) => [s.name, s]));
}

test("otel: a span tree becomes one trace with exact times, nesting, types, chat I/O, events and token usage", async () => {
  const s = await setup({ tags: { suite: "otel" } });
  const { tracer } = s;
  const root = tracer.startSpan("agent", {
    startTime: hr(0),
    attributes: {
      "gen_ai.operation.name": "invoke_agent",
      "gen_ai.agent.name": "weather",
      // A rollup of the calls below: not counted a second time.
      "gen_ai.usage.input_tokens": 112,
      "gen_ai.usage.output_tokens": 188,
    },
  });
  const inRoot = api.trace.setSpan(api.ROOT_CONTEXT, root);
  const chat = tracer.startSpan("chat gpt-4o", {
    startTime: hr(1_000),
    kind: 2,
    attributes: {
      "gen_ai.operation.name": "chat",
      "gen_ai.provider.name": "openai",
      "gen_ai.request.model": "gpt-4o",
      "gen_ai.input.messages": JSON.stringify([
        { role: "user", parts: [{ type: "text", content: "Weather in Paris?" }] },
      ]),
      "gen_ai.output.messages": JSON.stringify([
        { role: "assistant", parts: [{ type: "text", content: "Rainy." }], finish_reason: "stop" },
      ]),
      "gen_ai.usage.input_tokens": 100,
      "gen_ai.usage.output_tokens": 180,
    },
  }, inRoot);
  chat.end(hr(250_000_001));
  const tool = tracer.startSpan("execute_tool get_weather", {
    startTime: hr(300_000_000),
    attributes: {
      "gen_ai.operation.name": "execute_tool",
      "gen_ai.tool.name": "get_weather",
      "gen_ai.tool.call.arguments": '{"city":"Paris"}',
    },
  }, inRoot);
  const inTool = api.trace.setSpan(api.ROOT_CONTEXT, tool);
  const inner = tracer.startSpan("http GET", { startTime: hr(300_000_001) }, inTool);
  inner.addEvent("retry", { attempt: 2 }, hr(300_000_002));
  inner.end(hr(300_000_003));
  const second = tracer.startSpan("chat gpt-4o-mini", {
    startTime: hr(310_000_000),
    attributes: {
      "gen_ai.operation.name": "chat",
      "gen_ai.request.model": "gpt-4o-mini",
      "gen_ai.usage.input_tokens": 12,
      "gen_ai.usage.output_tokens": 8,
    },
  }, inRoot);
  second.end(hr(320_000_000));
  tool.addEvent("exception", { "exception.message": "upstream timeout" }, hr(399_000_000));
  tool.setStatus({ code: 2, message: "upstream timeout" });
  tool.end(hr(400_000_000));
  root.end(hr(500_000_000));
  assert.equal(s.processor.buffered, 0);
  await s.provider.forceFlush();

  const infos = await s.mlflow.searchTraces({ experimentIds: [s.experimentId] });
  assert.equal(infos.length, 1);
  const { info, spans } = await s.mlflow.getTrace(infos[0].traceId);
  assert.equal(info.state, "OK");
  assert.equal(info.tags["mlflow.traceName"], "agent");
  assert.equal(info.tags.suite, "otel");
  assert.equal(info.metadata["otel.traceId"], root.spanContext().traceId);
  assert.equal(info.executionDurationMs, 500);
  // The two chat calls, not the agent's rollup on top of them.
  assert.deepEqual(JSON.parse(info.metadata["mlflow.trace.tokenUsage"]), {
    input_tokens: 112,
    output_tokens: 188,
    total_tokens: 300,
  });

  assert.equal(spans.length, 5);
  const n = byName(spans);
  assert.equal(n.agent.parentSpanId, undefined);
  assert.equal(n["chat gpt-4o"].parentSpanId, n.agent.spanId);
  assert.equal(n["execute_tool get_weather"].parentSpanId, n.agent.spanId);
  assert.equal(n["chat gpt-4o-mini"].parentSpanId, n.agent.spanId);
  assert.equal(n["http GET"].parentSpanId, n["execute_tool get_weather"].spanId);
  // Children in start order, exact nanoseconds.
  assert.deepEqual(spans.map((x) => x.name), [
    "agent",
    "chat gpt-4o",
    "execute_tool get_weather",
    "http GET",
    "chat gpt-4o-mini",
  ]);
  assert.equal(n.agent.startTimeNs, ns(0));
  assert.equal(n.agent.endTimeNs, ns(500_000_000));
  assert.equal(n["chat gpt-4o"].startTimeNs, ns(1_000));
  assert.equal(n["chat gpt-4o"].endTimeNs, ns(250_000_001));
  assert.equal(n["http GET"].startTimeNs, ns(300_000_001));
  assert.equal(n["http GET"].endTimeNs, ns(300_000_003));

  assert.equal(n.agent.spanType, "AGENT");
  assert.equal(n["chat gpt-4o"].spanType, "CHAT_MODEL");
  assert.equal(n["execute_tool get_weather"].spanType, "TOOL");
  assert.equal(n["http GET"].spanType, "UNKNOWN");

  const c = n["chat gpt-4o"];
  assert.deepEqual(c.inputs, { messages: [{ role: "user", content: "Weather in Paris?" }] });
  assert.deepEqual(c.outputs, {
    choices: [{
      index: 0,
      message: { role: "assistant", content: "Rainy." },
      finish_reason: "stop",
    }],
  });
  assert.equal(c.attributes["mlflow.llm.model"], "gpt-4o");
  assert.equal(c.attributes["mlflow.llm.provider"], "openai");
  assert.equal(c.attributes["mlflow.message.format"], "openai");
  assert.deepEqual(c.attributes["mlflow.chat.tokenUsage"], {
    input_tokens: 100,
    output_tokens: 180,
    total_tokens: 280,
  });
  assert.equal(c.attributes["otel.span.kind"], "CLIENT");
  assert.equal(c.attributes["otel.scope.name"], "otel-test");
  assert.equal(c.attributes["otel.scope.version"], "1.2.3");
  // The original attributes stay, JSON text as text.
  assert.equal(typeof c.attributes["gen_ai.input.messages"], "string");
  assert.equal(c.attributes["gen_ai.usage.input_tokens"], 100);
  // (The server derives `mlflow.chat.tokenUsage` on the agent from its `gen_ai.usage.*` when
  // storing it; the trace's usage above is still the calls' sum, counted once.)
  assert.equal(n.agent.attributes["gen_ai.usage.input_tokens"], 112);

  const t = n["execute_tool get_weather"];
  assert.deepEqual(t.inputs, { city: "Paris" });
  assert.equal(t.status.code, "ERROR");
  assert.equal(t.status.message, "upstream timeout");
  assert.deepEqual(t.events.map((e) => [e.name, e.timeNs]), [["exception", ns(399_000_000)]]);
  assert.equal(n["http GET"].status.code, "OK");
  assert.deepEqual(n["http GET"].events, [
    { name: "retry", timeNs: ns(300_000_002), attributes: { attempt: 2 } },
  ]);
  assert.deepEqual(s.errors, []);
  assert.equal(s.processor.dropped, 0);
  await s.provider.shutdown();
});

test("otel: a root with ERROR status makes an ERROR trace", async () => {
  const s = await setup();
  const root = s.tracer.startSpan("job", { startTime: hr(0) });
  root.setStatus({ code: 2, message: "boom" });
  root.end(hr(10));
  await s.processor.forceFlush();
  const infos = await s.mlflow.searchTraces({ experimentIds: [s.experimentId] });
  assert.equal(infos.length, 1);
  assert.equal(infos[0].state, "ERROR");
  const { spans } = await s.mlflow.getTrace(infos[0].traceId);
  assert.deepEqual(spans[0].status, { code: "ERROR", message: "boom" });
  await s.provider.shutdown();
});

test("otel: a local root under a remote parent joins that trace through traceparent", async () => {
  const s = await setup();
  // A random trace id keeps reruns against one server apart.
  const traceId = crypto.randomUUID().replaceAll("-", "");
  const remote = "00f067aa0ba902b7";
  const fresh = api.trace.setSpanContext(api.ROOT_CONTEXT, {
    traceId,
    spanId: remote,
    traceFlags: 1,
    isRemote: true,
  });
  const handler = s.tracer.startSpan("backend", { startTime: hr(0), kind: 1 }, fresh);
  const child = s.tracer.startSpan(
    "db",
    { startTime: hr(5) },
    api.trace.setSpan(api.ROOT_CONTEXT, handler),
  );
  child.end(hr(6));
  handler.end(hr(9));
  await s.processor.forceFlush();

  const { spans } = await s.mlflow.getTrace(`tr-${traceId}`);
  const n = byName(spans);
  assert.equal(spans.length, 2);
  assert.equal(n.backend.parentSpanId, remote);
  assert.equal(n.db.parentSpanId, n.backend.spanId);
  assert.equal(n.backend.startTimeNs, ns(0));
  assert.equal(n.backend.attributes["otel.span.kind"], "SERVER");
  assert.deepEqual(s.errors, []);
  await s.provider.shutdown();
});

test("otel: a span ending after its trace was built joins it as a continuation, under its parent", async () => {
  const s = await setup();
  const root = s.tracer.startSpan("request", { startTime: hr(0) });
  const inRoot = api.trace.setSpan(api.ROOT_CONTEXT, root);
  const late = s.tracer.startSpan("background-write", { startTime: hr(1_000) }, inRoot);
  const done = s.tracer.startSpan("validate", { startTime: hr(2_000) }, inRoot);
  done.end(hr(3_000));
  root.end(hr(10_000)); // the trace is built now; background-write is still open
  assert.equal(s.processor.buffered, 1);
  // A child of the late span, ending before it: it waits for it.
  const lateChild = s.tracer.startSpan(
    "fsync",
    { startTime: hr(20_000) },
    api.trace.setSpan(api.ROOT_CONTEXT, late),
  );
  lateChild.end(hr(30_000));
  late.end(hr(50_000));
  assert.equal(s.processor.buffered, 0);
  await s.provider.forceFlush();

  const { spans } = await onlyTrace(s);
  const n = byName(spans);
  assert.deepEqual(Object.keys(n).sort(), ["background-write", "fsync", "request", "validate"]);
  assert.equal(n["background-write"].parentSpanId, n.request.spanId);
  assert.equal(n.fsync.parentSpanId, n["background-write"].spanId);
  assert.equal(n["background-write"].endTimeNs, ns(50_000));
  assert.equal(s.processor.dropped, 0);
  assert.deepEqual(s.errors, []);
  await s.provider.shutdown();
});

test("otel: the buffer is bounded: spans beyond maxBufferedSpans (and their children) are dropped, counted, reported once", async () => {
  const s = await setup({ maxBufferedSpans: 3 });
  const root = s.tracer.startSpan("root", { startTime: hr(0) });
  const inRoot = api.trace.setSpan(api.ROOT_CONTEXT, root);
  const kept = [1, 2].map((i) => s.tracer.startSpan(`kept-${i}`, { startTime: hr(i) }, inRoot));
  const over = [3, 4].map((i) => s.tracer.startSpan(`over-${i}`, { startTime: hr(i) }, inRoot));
  assert.equal(s.processor.buffered, 3);
  // A child of a refused span is refused too, even once there is room again.
  kept[0].end(hr(10));
  const orphan = s.tracer.startSpan(
    "over-child",
    { startTime: hr(11) },
    api.trace.setSpan(api.ROOT_CONTEXT, over[0]),
  );
  orphan.end(hr(12));
  for (const span of over) span.end(hr(13));
  kept[1].end(hr(14));
  root.end(hr(20));
  assert.equal(s.processor.dropped, 3);
  assert.equal(s.processor.buffered, 0);
  await s.provider.forceFlush();

  const { spans } = await onlyTrace(s);
  assert.deepEqual(spans.map((x) => x.name).sort(), ["kept-1", "kept-2", "root"]);
  assert.equal(s.errors.length, 1);
  assert.equal(s.errors[0].errorCode, "QUEUE_FULL");
  assert.match(s.errors[0].message, /maxBufferedSpans/);
  await s.provider.shutdown();
});

test("otel: onStart and onEnd never throw; unseen starts and shutdown are counted as dropped", async () => {
  const s = await setup();
  const broken = {
    spanContext(): never {
      throw new Error("not a span");
    },
  };
  assert.doesNotThrow(() => s.processor.onStart(broken));
  assert.doesNotThrow(() => s.processor.onEnd(broken as unknown as OtelReadableSpan));
  assert.equal(s.errors.length, 2);
  assert.match(s.errors[1].message, /not a span/);

  // Ended without a start this processor saw (a span started before it was added).
  const stranger: OtelReadableSpan = {
    name: "stranger",
    spanContext: () => ({ traceId: "a".repeat(32), spanId: "b".repeat(16) }),
    startTime: hr(0),
    endTime: hr(1),
    status: { code: 0 },
    attributes: {},
    events: [],
  };
  s.processor.onEnd(stranger);
  assert.equal(s.processor.dropped, 1);

  // Still open at shutdown: dropped; spans after shutdown are ignored.
  const open = s.tracer.startSpan("never-ends", { startTime: hr(0) });
  assert.equal(s.processor.buffered, 1);
  await s.provider.shutdown();
  assert.equal(s.processor.dropped, 2);
  assert.equal(s.processor.buffered, 0);
  open.end(hr(5));
  assert.equal(s.processor.dropped, 2);
  assert.deepEqual(
    s.errors.slice(2).map((e) => [e.errorCode, e.key]),
    [["SPANS_DROPPED", "unstarted"], ["SPANS_DROPPED", "shutdown"]],
  );
  assert.deepEqual(await s.mlflow.searchTraces({ experimentIds: [s.experimentId] }), []);
  // A buffer that cannot hold a span is a configuration error, said at once.
  for (const maxBufferedSpans of [0, Number.NaN]) {
    assert.throws(() => mlflowSpanProcessor(s.mlflow, { maxBufferedSpans }), MlflowConfigError);
  }
});

test("otel: v1-shaped spans (parentSpanId, instrumentationLibrary) nest the same way", async () => {
  const s = await setup();
  const traceId = crypto.randomUUID().replaceAll("-", "");
  const span = (name: string, spanId: string, parentSpanId: string | undefined, at: number) => ({
    name,
    kind: 0,
    spanContext: () => ({ traceId, spanId }),
    parentSpanId,
    startTime: hr(at),
    endTime: hr(at + 100),
    status: { code: 1 },
    attributes: { "gen_ai.operation.name": "chat", "gen_ai.request.model": "m" },
    events: [],
    instrumentationLibrary: { name: "v1-lib", version: "0.9" },
  });
  const root = span("v1-root", "1".repeat(16), undefined, 0);
  const child = span("v1-child", "2".repeat(16), "1".repeat(16), 10);
  s.processor.onStart(root);
  s.processor.onStart(child);
  s.processor.onEnd(child);
  s.processor.onEnd(root);
  await s.processor.forceFlush();
  const { spans } = await onlyTrace(s);
  const n = byName(spans);
  assert.equal(n["v1-child"].parentSpanId, n["v1-root"].spanId);
  assert.equal(n["v1-child"].attributes["otel.scope.name"], "v1-lib");
  assert.equal(n["v1-child"].spanType, "CHAT_MODEL");
  await s.processor.shutdown();
});

// ---------------------------------------------------------------------------------------------
// The Vercel AI SDK

function aiModel(model: string) {
  return aiSdk.createOpenAICompatible({
    name: "loopback",
    baseURL: llm.openaiBaseUrl,
    apiKey: "test-key",
    includeUsage: true,
  })(model);
}

test("otel: the AI SDK's generateText lands as one trace, CHAIN > CHAT_MODEL, chat I/O and tokens once", async () => {
  const s = await setup();
  const result = await aiSdk.ai.generateText({
    model: aiModel("gpt-test"),
    system: "Answer in one sentence.",
    prompt: "Capital of France?",
    maxRetries: 0,
    experimental_telemetry: { isEnabled: true, tracer: s.aiTracer },
  });
  assert.equal(result.text, REPLY_TEXT);
  await s.provider.forceFlush();

  const infos = await s.mlflow.searchTraces({ experimentIds: [s.experimentId] });
  assert.equal(infos.length, 1);
  const { info, spans } = await s.mlflow.getTrace(infos[0].traceId);
  assert.equal(info.tags["mlflow.traceName"], "ai.generateText");
  // The outer span sums its steps: the trace counts the call once.
  assert.deepEqual(JSON.parse(info.metadata["mlflow.trace.tokenUsage"]), {
    input_tokens: USAGE.input,
    output_tokens: USAGE.output,
    total_tokens: USAGE.total,
  });
  const n = byName(spans);
  assert.deepEqual(Object.keys(n).sort(), ["ai.generateText", "ai.generateText.doGenerate"]);
  const outer = n["ai.generateText"];
  const call = n["ai.generateText.doGenerate"];
  assert.equal(outer.parentSpanId, undefined);
  assert.equal(call.parentSpanId, outer.spanId);
  assert.equal(outer.spanType, "CHAIN");
  assert.equal(call.spanType, "CHAT_MODEL");
  const messages = [
    { role: "system", content: "Answer in one sentence." },
    { role: "user", content: "Capital of France?" },
  ];
  assert.deepEqual(outer.inputs, { messages });
  assert.deepEqual(call.inputs, { messages });
  for (const span of [outer, call]) {
    assert.deepEqual(span.outputs, {
      choices: [{
        index: 0,
        message: { role: "assistant", content: REPLY_TEXT },
        finish_reason: "stop",
      }],
    });
    assert.equal(span.attributes["mlflow.message.format"], "openai");
  }
  assert.equal(call.attributes["mlflow.llm.model"], "gpt-test");
  assert.equal(call.attributes["mlflow.llm.provider"], "loopback");
  assert.deepEqual(call.attributes["mlflow.chat.tokenUsage"], {
    input_tokens: USAGE.input,
    output_tokens: USAGE.output,
    total_tokens: USAGE.total,
  });
  assert.equal(outer.attributes["mlflow.chat.tokenUsage"], undefined);
  assert.equal(outer.attributes["ai.usage.inputTokens"], USAGE.input); // kept as recorded
  assert.ok(call.startTimeNs >= outer.startTimeNs && call.endTimeNs <= outer.endTimeNs);
  assert.deepEqual(s.errors, []);
  await s.provider.shutdown();
});

test("otel: an AI SDK tool call is a TOOL span beside the model call, with its arguments and result", async () => {
  const s = await setup();
  const { ai } = aiSdk;
  const result = await ai.generateText({
    model: aiModel("gpt-tools"),
    prompt: "Weather in Paris?",
    maxRetries: 0,
    tools: {
      get_weather: ai.tool({
        description: "The weather in a city",
        inputSchema: ai.jsonSchema({ type: "object", properties: { city: { type: "string" } } }),
        execute: () => ({ sky: "rainy" }),
      }),
    },
    experimental_telemetry: { isEnabled: true, tracer: s.aiTracer },
  });
  assert.equal(result.toolCalls[0].toolName, "get_weather");
  await s.provider.forceFlush();

  const { spans } = await onlyTrace(s);
  const n = byName(spans);
  const call = n["ai.generateText.doGenerate"];
  const tool = n["ai.toolCall"];
  assert.equal(tool.spanType, "TOOL");
  assert.equal(tool.parentSpanId, n["ai.generateText"].spanId);
  assert.deepEqual(tool.inputs, { city: "Paris" });
  assert.deepEqual(tool.outputs, { sky: "rainy" });
  const inputs = call.inputs as { tools: unknown[] };
  assert.deepEqual(inputs.tools, [{
    type: "function",
    function: {
      name: "get_weather",
      description: "The weather in a city",
      parameters: { type: "object", properties: { city: { type: "string" } } },
    },
  }]);
  const outputs = call.outputs as {
    choices: { message: { tool_calls: unknown[] }; finish_reason: string }[];
  };
  assert.equal(outputs.choices[0].finish_reason, "tool_calls");
  assert.deepEqual(outputs.choices[0].message.tool_calls, [{
    id: "call_evalhooks_weather",
    type: "function",
    function: { name: "get_weather", arguments: '{"city":"Paris"}' },
  }]);
  await s.provider.shutdown();
});
