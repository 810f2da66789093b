// Copyright 2026 the evalhooks authors. MIT license.

import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const ROOT = new URL("../../", import.meta.url).pathname;

/** `entry` (relative to the repository) bundled to one plain ESM file with Deno's own bundler. */
export function bundle(entry: string): string {
  const out = join(mkdtempSync(join(tmpdir(), "evalhooks-bundle-")), "bundle.mjs");
  const result = spawnSync("deno", [
    "bundle",
    "--platform",
    "browser",
    "--format",
    "esm",
    "-o",
    out,
    entry,
  ], {
    cwd: ROOT,
    encoding: "utf8",
  });
  assert.equal(result.status, 0, result.stderr);
  return out;
}
