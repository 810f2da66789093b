// Copyright 2026 the evalhooks authors. MIT license.
// A Cloudflare Worker (module syntax) that logs to MLflow and hands the flush to ctx.waitUntil,
// as examples/cloudflare-worker.ts does. Bundled with the core for workerd by the runtime test.
import * as lib from "../../mod.ts";
import { smoke } from "./smoke.mjs";

export default {
  async fetch(request, env, ctx) {
    const url = new URL(request.url);
    if (url.pathname === "/smoke") {
      return Response.json(await smoke(lib, env.MLFLOW_TRACKING_URI, env.EXPERIMENT, "workerd"));
    }
    // The waitUntil path: answer at once, deliver after the response.
    const mlflow = lib.createMlflow({
      trackingUri: env.MLFLOW_TRACKING_URI,
      experimentName: env.EXPERIMENT,
    });
    const run = mlflow.startRun({ runName: "waituntil" });
    run.logMetric("answered", 1);
    run.end();
    mlflow.flushWith((p) => ctx.waitUntil(p));
    return new Response("logged");
  },
};
