// Copyright 2026 the evalhooks authors. MIT license.
// A Cloudflare Worker (module syntax) that imports an Inspect `.eval` log posted to it, through
// the web-only Inspect entry and nothing else. Bundled for workerd by the runtime test, which
// runs it with no Node compatibility flag: a node: import anywhere below would fail to load.
import {
  bytesSource,
  importInspectReader,
  readEvalLog,
} from "../../src/integrations/inspect/web.ts";

export default {
  async fetch(request, env) {
    const bytes = new Uint8Array(await request.arrayBuffer());
    const reader = await readEvalLog(bytesSource(bytes), { name: "posted.eval" });
    const result = await importInspectReader(reader, {
      name: "posted.eval",
      trackingUri: env.MLFLOW_TRACKING_URI,
      experimentName: env.EXPERIMENT,
      env: {},
    });
    return Response.json(result);
  },
};
