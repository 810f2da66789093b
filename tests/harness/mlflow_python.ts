// Copyright 2026 the evalhooks authors. MIT license.
// MLflow's own Python client, for the tests that read back with it (interop proven, not assumed).

import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import process from "node:process";
import { ensureMlflowVenv } from "../../src/local_server/mlflow_server.ts";

/**
 * Runs `code` in the MLflow venv's Python with `env` added, and returns its answer: the line
 * printed as `OUT:<answer>` if there is one (MLflow prints lines of its own, such as a link to
 * the experiment when a run ends), else the last line printed. Fails the test if Python fails.
 */
export function mlflowPython(code: string, env: Record<string, string> = {}): string {
  const out = spawnSync(`${ensureMlflowVenv()}/python`, ["-c", code], {
    encoding: "utf8",
    env: { ...process.env, ...env },
    timeout: 120_000,
  });
  assert.equal(out.status, 0, out.stderr.split("\n").slice(-15).join("\n"));
  const lines = out.stdout.trim().split("\n");
  const marked = lines.find((line) => line.startsWith("OUT:"));
  return marked === undefined ? lines.at(-1)! : marked.slice(4);
}
