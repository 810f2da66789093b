// Copyright 2026 the evalhooks authors. MIT license.
//
// A Cloudflare Worker that answers at once and logs to MLflow after the response, with
// ctx.waitUntil. Every request becomes a run with a trace; set MLFLOW_TRACKING_URI (and
// MLFLOW_TRACKING_TOKEN if your server wants one) as Worker variables/secrets. Workers have no
// process environment, so the client reads them from `env`.
//
//   npx wrangler dev examples/cloudflare-worker.ts   (or bundle it: deno bundle --platform browser)

import { createMlflow, exactMatch } from "../mod.ts";

interface Env {
  MLFLOW_TRACKING_URI: string;
  MLFLOW_TRACKING_TOKEN?: string;
  EXPERIMENT?: string;
}

interface Ctx {
  waitUntil(promise: Promise<unknown>): void;
}

export default {
  async fetch(request: Request, env: Env, ctx: Ctx): Promise<Response> {
    const url = new URL(request.url);
    const question = url.searchParams.get("q") ?? "What is 2 + 2?";
    const mlflow = createMlflow({
      trackingUri: env.MLFLOW_TRACKING_URI,
      token: env.MLFLOW_TRACKING_TOKEN,
      experimentName: env.EXPERIMENT ?? "worker-evals",
    });
    if (url.pathname === "/evaluate") {
      // A small eval inside the Worker: the metrics come back in the response, the traces and
      // feedback go out after it.
      const result = await mlflow.evaluate({
        data: [{ inputs: "2 + 2", expectations: "4" }, { inputs: "3 + 3", expectations: "6" }],
        predict: (inputs) => (inputs === "2 + 2" ? "4" : "7"),
        scorers: [exactMatch()],
        runName: "worker-evaluate",
      });
      mlflow.flushWith((p) => ctx.waitUntil(p));
      return Response.json(result.metrics);
    }
    const run = mlflow.startRun({ runName: "worker-request" });
    const answer = await mlflow.trace("answer", (span) => {
      span.setAttributes({ "request.url": request.url });
      return question.includes("2 + 2") ? "4" : "I don't know"; // your model call goes here
    }, { run, inputs: { question } });
    run.logMetric("answered", answer === "I don't know" ? 0 : 1);
    run.setTag("question", question);
    run.end();
    // The response goes out now; the platform keeps the isolate alive until MLflow has it all.
    mlflow.flushWith((p) => ctx.waitUntil(p));
    return Response.json({ question, answer });
  },
};
