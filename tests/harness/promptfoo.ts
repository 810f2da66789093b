// Copyright 2026 the evalhooks authors. MIT license.

// The real promptfoo for tests that run it: Node 22 and promptfoo, installed once into
// ~/.cache/evalhooks-mlflow/ by tests/fixtures/promptfoo/generate.sh (the versions are there),
// and the environment that keeps promptfoo offline and its state out of ~/.promptfoo.

import { spawnSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const GENERATE = new URL("../fixtures/promptfoo/generate.sh", import.meta.url).pathname;

/** Paths of Node 22 and of promptfoo's entry point, installed first if missing. */
export function ensurePromptfoo(): { node: string; entry: string } {
  const out = spawnSync("bash", [GENERATE, "--install-only"], {
    encoding: "utf8",
    timeout: 600_000,
  });
  if (out.status !== 0) {
    throw new Error(`installing promptfoo failed (exit ${out.status}):\n${out.stderr}`);
  }
  const [node, entry] = out.stdout.trim().split("\n").slice(-2);
  return { node, entry };
}

/** promptfoo's environment for a test: no telemetry, update check, cache or sharing. */
export function promptfooEnv(): Record<string, string> {
  return {
    PROMPTFOO_CONFIG_DIR: mkdtempSync(join(tmpdir(), "evalhooks-promptfoo-state-")),
    PROMPTFOO_DISABLE_TELEMETRY: "1",
    PROMPTFOO_DISABLE_UPDATE: "1",
    PROMPTFOO_CACHE_ENABLED: "false",
    PROMPTFOO_DISABLE_SHARING: "1",
    NO_COLOR: "1",
  };
}
