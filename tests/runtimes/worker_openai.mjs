// Copyright 2026 the evalhooks authors. MIT license.
// A Cloudflare Worker that answers a question with the REAL `openai` SDK (bundled with it) wrapped
// by `@evalhooks/mlflow/openai`, inside `mlflow.trace`, and logs the trace before it responds.
// The runtime test runs it with and without `nodejs_compat`: with it, the worker has
// AsyncLocalStorage and the call nests under the trace; without it, the call is its own trace
// (no context to find), and nothing breaks.
import OpenAI from "./node_modules/openai/index.mjs";
import { createMlflow } from "../../mod.ts";
import { wrapOpenAI } from "../../src/integrations/openai/mod.ts";

export default {
  async fetch(_request, env) {
    const mlflow = createMlflow({
      trackingUri: env.MLFLOW_TRACKING_URI,
      experimentName: env.EXPERIMENT,
    });
    const openai = wrapOpenAI(
      new OpenAI({ apiKey: "sk-worker", baseURL: env.PROVIDER_URL, maxRetries: 0 }),
      { mlflow },
    );
    const answer = await mlflow.trace("worker-question", async (span) => {
      const reply = await openai.chat.completions.create({
        model: "gpt-test",
        messages: [{ role: "user", content: "Capital of France?" }],
      });
      return { traceId: span.traceId, text: reply.choices[0].message.content };
    });
    await mlflow.flush();
    return Response.json(answer);
  },
};
