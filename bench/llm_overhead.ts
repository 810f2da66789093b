// Copyright 2026 the evalhooks authors. MIT license.
// What wrapOpenAI adds to the caller's path. (1) The REAL openai SDK against the loopback
// provider, bare and wrapped (each call its own trace, logged to a real MLflow server in the
// background), in alternating rounds: median time per call and the ratio. (2) The wrapping alone:
// a client whose `create` answers at once, so only our span bookkeeping is timed (µs per call).
// Prints one JSON line.

import { createMlflow } from "../mod.ts";
import { wrapOpenAI } from "../src/integrations/openai/mod.ts";
import { startLocalMlflow } from "../src/local_server/mlflow_server.ts";
import { startLlmProvider } from "../tests/harness/llm_provider.ts";
import { loadOpenAI } from "../tests/harness/sdks.ts";

const CALLS = 200;
const ROUNDS = 5;
const server = await startLocalMlflow();
const provider = await startLlmProvider();
const { OpenAI } = await loadOpenAI();
const mlflow = createMlflow({ trackingUri: server.uri, experimentName: "bench-llm-overhead" });
const bare = new OpenAI({ apiKey: "sk-bench", baseURL: provider.openaiBaseUrl, maxRetries: 0 });
const wrapped = wrapOpenAI(
  new OpenAI({ apiKey: "sk-bench", baseURL: provider.openaiBaseUrl, maxRetries: 0 }),
  { mlflow },
);
const params = { model: "gpt-test", messages: [{ role: "user", content: "hi" }] };

async function perCallMs(client: typeof bare): Promise<number> {
  const t0 = performance.now();
  for (let i = 0; i < CALLS; i++) await client.chat.completions.create(params);
  return (performance.now() - t0) / CALLS;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
try {
  await perCallMs(bare); // warm-up: connections, JIT
  await perCallMs(wrapped);
  await mlflow.flush();
  const bareMs: number[] = [];
  const wrappedMs: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    bareMs.push(await perCallMs(bare));
    wrappedMs.push(await perCallMs(wrapped));
  }
  const tFlush = performance.now();
  await mlflow.flush();
  const flushMs = performance.now() - tFlush;

  // (2) Only the wrapping: an instant `create`, spans into a client whose sends go nowhere.
  const quiet = createMlflow({
    trackingUri: "http://127.0.0.1:9",
    fetch: () => Promise.resolve(Response.json({})),
    onError: () => {},
  });
  const answer = { model: "m", choices: [], usage: { prompt_tokens: 1, completion_tokens: 1 } };
  const instant = { chat: { completions: { create: () => Promise.resolve(answer) } } };
  const wrappedInstant = wrapOpenAI(instant, { mlflow: quiet });
  const N = 20_000;
  for (let i = 0; i < 2_000; i++) await wrappedInstant.chat.completions.create();
  let t0 = performance.now();
  for (let i = 0; i < N; i++) await instant.chat.completions.create();
  const bareInstantUs = ((performance.now() - t0) * 1000) / N;
  t0 = performance.now();
  for (let i = 0; i < N; i++) await wrappedInstant.chat.completions.create();
  const wrappedInstantUs = ((performance.now() - t0) * 1000) / N;
  console.log(JSON.stringify({
    calls: CALLS * ROUNDS,
    bareMs: median(bareMs),
    wrappedMs: median(wrappedMs),
    ratio: median(wrappedMs) / median(bareMs),
    flushMs,
    addedUsPerCall: wrappedInstantUs - bareInstantUs,
  }));
} finally {
  await mlflow.close().catch(() => {});
  await provider.close();
  await server.close();
}
