// Copyright 2026 the evalhooks authors. MIT license.

// What `deno task test` installs before it runs anything, the way the harness creates the MLflow
// venv: the test-only npm tools in tests/runtimes/ (miniflare for workerd, playwright-core for the
// UI check) and the Inspect AI venv of the parity test. A user's clone needs nothing else but
// Deno, Bun, Node and Python; Chromium is a system part and the UI test says so when it is missing.

import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";

const RUNTIMES = new URL("../runtimes/", import.meta.url).pathname;

/**
 * Whether tests/runtimes/node_modules matches its lock file. npm writes the lock it installed to
 * node_modules/.package-lock.json; a missing or different one means a fresh clone or a lock file
 * changed since the last install.
 */
export function runtimeToolsStale(dir: string = RUNTIMES): boolean {
  const installed = join(dir, "node_modules", ".package-lock.json");
  if (!existsSync(installed)) return true;
  type Lock = { packages?: Record<string, { version?: string; optional?: boolean }> };
  const wanted = (JSON.parse(readFileSync(join(dir, "package-lock.json"), "utf8")) as Lock)
    .packages ?? {};
  const have = (JSON.parse(readFileSync(installed, "utf8")) as Lock).packages ?? {};
  return Object.entries(wanted).some(([path, info]) => {
    if (path === "") return false;
    // Optional packages for other platforms (esbuild's, workerd's) are never installed here.
    if (!have[path]) return !info.optional;
    return have[path].version !== info.version;
  });
}

/** Runs `npm ci` in tests/runtimes/ when its node_modules is missing or stale. */
export function ensureRuntimeTools(dir: string = RUNTIMES): void {
  if (!runtimeToolsStale(dir)) return;
  const name = relative(join(import.meta.dirname!, "..", ".."), dir) || dir;
  console.error(`[test] installing the test-only npm tools in ${name} (npm ci, once)`);
  const out = spawnSync("npm", ["ci", "--no-audit", "--no-fund"], {
    cwd: dir,
    encoding: "utf8",
  });
  if (out.error || out.status !== 0) {
    const tail = `${out.error?.message ?? ""}${out.stderr ?? ""}`.trim().split("\n").slice(-8);
    // Not fatal: the tests that need these tools fail by name, and say why.
    console.error(`[test] npm ci in ${name} failed:\n${tail.join("\n")}`);
  }
}
