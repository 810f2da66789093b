// Copyright 2026 the evalhooks authors. MIT license.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { trackingUri } from "./harness/server.ts";

// Every example the README names runs as documented, against the test server.
for (const example of ["examples/eval_hooks.ts", "examples/tracing.ts"]) {
  test(`examples: ${example} runs`, async () => {
    const out = spawnSync("deno", ["run", "-A", example], {
      cwd: new URL("../", import.meta.url).pathname,
      encoding: "utf8",
      env: { ...process.env, MLFLOW_TRACKING_URI: await trackingUri() },
      timeout: 120_000,
    });
    assert.equal(out.status, 0, `${out.stdout}\n${out.stderr}`);
    assert.doesNotMatch(out.stderr, /\[mlflow/); // no warnings
  });
}
