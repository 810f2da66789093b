// Copyright 2026 the evalhooks authors. MIT license.
// What wrapOpenAI, wrapAnthropic and wrapGemini add to the caller's path. (1) Each REAL SDK
// against the loopback provider, bare and wrapped (each call its own trace, logged to a real
// MLflow server in the background), in alternating rounds: median time per call and the ratio.
// (2) The wrapping alone: a client whose call answers at once, so only our span bookkeeping is
// timed (µs per call). Prints one JSON line: one row per SDK.

import { createMlflow, type Mlflow } from "../mod.ts";
import { wrapAnthropic } from "../src/integrations/anthropic/mod.ts";
import { wrapGemini } from "../src/integrations/gemini/mod.ts";
import { wrapOpenAI } from "../src/integrations/openai/mod.ts";
import { startLocalMlflow } from "../src/local_server/mlflow_server.ts";
import { startLlmProvider } from "../tests/harness/llm_provider.ts";
import { loadAnthropic, loadGenAI, loadOpenAI } from "../tests/harness/sdks.ts";

const CALLS = 200;
const ROUNDS = 5;
const INSTANT_CALLS = 20_000;

/** One SDK: a call through the bare client and through the wrapped one, and the instant pair. */
interface Case {
  sdk: string;
  call: string;
  bare: () => Promise<unknown>;
  wrapped: () => Promise<unknown>;
  instantBare: () => Promise<unknown>;
  instantWrapped: () => Promise<unknown>;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function perCallMs(call: () => Promise<unknown>, n: number): Promise<number> {
  const t0 = performance.now();
  for (let i = 0; i < n; i++) await call();
  return (performance.now() - t0) / n;
}

const server = await startLocalMlflow();
const provider = await startLlmProvider();
// Spans of the instant calls go to a client whose sends go nowhere: only the wrapping is timed.
const quiet: Mlflow = createMlflow({
  trackingUri: "http://127.0.0.1:9",
  fetch: () => Promise.resolve(Response.json({})),
  onError: () => {},
  exitFlushMs: false,
});

async function cases(mlflow: Mlflow): Promise<Case[]> {
  const { OpenAI } = await loadOpenAI();
  const { Anthropic } = await loadAnthropic();
  const { GoogleGenAI } = await loadGenAI();
  const openai = () =>
    new OpenAI({ apiKey: "sk-bench", baseURL: provider.openaiBaseUrl, maxRetries: 0 });
  const anthropic = () =>
    new Anthropic({ apiKey: "sk-bench", baseURL: provider.anthropicBaseUrl, maxRetries: 0 });
  const gemini = () =>
    new GoogleGenAI({ apiKey: "sk-bench", httpOptions: { baseUrl: provider.geminiBaseUrl } });
  const chat = { model: "gpt-test", messages: [{ role: "user", content: "hi" }] };
  const messages = { model: "claude-test", max_tokens: 64, messages: chat.messages };
  const contents = { model: "gemini-test", contents: "hi" };

  const [bareOpenAI, bareAnthropic, bareGemini] = [openai(), anthropic(), gemini()];
  const [wrappedOpenAI, wrappedAnthropic, wrappedGemini] = [
    wrapOpenAI(openai(), { mlflow }),
    wrapAnthropic(anthropic(), { mlflow }),
    wrapGemini(gemini(), { mlflow }),
  ];
  const openaiAnswer = {
    model: "m",
    choices: [],
    usage: { prompt_tokens: 1, completion_tokens: 1 },
  };
  const anthropicAnswer = {
    model: "m",
    role: "assistant",
    content: [{ type: "text", text: "ok" }],
    usage: { input_tokens: 1, output_tokens: 1 },
  };
  const geminiAnswer = {
    candidates: [{ content: { role: "model", parts: [{ text: "ok" }] } }],
    usageMetadata: { promptTokenCount: 1, candidatesTokenCount: 1, totalTokenCount: 2 },
  };
  const instantOpenAI = { chat: { completions: { create: () => Promise.resolve(openaiAnswer) } } };
  const instantAnthropic = { messages: { create: () => Promise.resolve(anthropicAnswer) } };
  const instantGemini = { models: { generateContent: () => Promise.resolve(geminiAnswer) } };
  const iOpenAI = wrapOpenAI(instantOpenAI, { mlflow: quiet });
  const iAnthropic = wrapAnthropic(instantAnthropic, { mlflow: quiet });
  const iGemini = wrapGemini(instantGemini, { mlflow: quiet });
  return [
    {
      sdk: "openai",
      call: "chat.completions.create",
      bare: () => bareOpenAI.chat.completions.create(chat),
      wrapped: () => wrappedOpenAI.chat.completions.create(chat),
      instantBare: () => instantOpenAI.chat.completions.create(),
      instantWrapped: () => iOpenAI.chat.completions.create(),
    },
    {
      sdk: "@anthropic-ai/sdk",
      call: "messages.create",
      bare: () => bareAnthropic.messages.create(messages),
      wrapped: () => wrappedAnthropic.messages.create(messages),
      instantBare: () => instantAnthropic.messages.create(),
      instantWrapped: () => iAnthropic.messages.create(),
    },
    {
      sdk: "@google/genai",
      call: "models.generateContent",
      bare: () => bareGemini.models.generateContent(contents),
      wrapped: () => wrappedGemini.models.generateContent(contents),
      instantBare: () => instantGemini.models.generateContent(),
      instantWrapped: () => iGemini.models.generateContent(),
    },
  ];
}

try {
  const rows = [];
  for (const sdk of ["openai", "@anthropic-ai/sdk", "@google/genai"]) {
    // A fresh client per SDK, so each one's flush times its own traces.
    const mlflow = createMlflow({ trackingUri: server.uri, experimentName: `bench-llm-${sdk}` });
    const c = (await cases(mlflow)).find((x) => x.sdk === sdk)!;
    await perCallMs(c.bare, CALLS); // warm-up: connections, JIT
    await perCallMs(c.wrapped, CALLS);
    await mlflow.flush();
    const bareMs: number[] = [];
    const wrappedMs: number[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      bareMs.push(await perCallMs(c.bare, CALLS));
      wrappedMs.push(await perCallMs(c.wrapped, CALLS));
    }
    const tFlush = performance.now();
    await mlflow.flush();
    const flushMs = performance.now() - tFlush;
    await mlflow.close();
    await perCallMs(c.instantWrapped, 2_000);
    const bareInstantUs = (await perCallMs(c.instantBare, INSTANT_CALLS)) * 1000;
    const wrappedInstantUs = (await perCallMs(c.instantWrapped, INSTANT_CALLS)) * 1000;
    rows.push({
      sdk: c.sdk,
      call: c.call,
      calls: CALLS * ROUNDS,
      bareMs: median(bareMs),
      wrappedMs: median(wrappedMs),
      ratio: median(wrappedMs) / median(bareMs),
      flushMs,
      addedUsPerCall: wrappedInstantUs - bareInstantUs,
    });
  }
  console.log(JSON.stringify(rows));
} finally {
  await quiet.close().catch(() => {});
  await provider.close();
  await server.close();
}
