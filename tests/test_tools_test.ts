// Copyright 2026 the evalhooks authors. MIT license.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runtimeToolsStale } from "./harness/test_tools.ts";

const lock = (versions: Record<string, string>) =>
  JSON.stringify({
    packages: {
      "": { name: "x" },
      ...Object.fromEntries(
        Object.entries(versions).map(([name, version]) => [`node_modules/${name}`, { version }]),
      ),
    },
  });

test("test tools: npm ci runs for a missing, older or partial node_modules, not for a current one", () => {
  const dir = mkdtempSync(join(tmpdir(), "evalhooks-tools-"));
  try {
    writeFileSync(
      join(dir, "package-lock.json"),
      lock({ miniflare: "4.1.0", "pw-core": "1.65.1" }),
    );
    assert.equal(runtimeToolsStale(dir), true, "fresh clone: no node_modules");
    mkdirSync(join(dir, "node_modules"));
    const installed = join(dir, "node_modules", ".package-lock.json");
    writeFileSync(installed, lock({ miniflare: "4.0.0", "pw-core": "1.65.1" }));
    assert.equal(runtimeToolsStale(dir), true, "the lock moved on since the install");
    writeFileSync(installed, lock({ miniflare: "4.1.0" }));
    assert.equal(runtimeToolsStale(dir), true, "a package is missing");
    writeFileSync(installed, lock({ miniflare: "4.1.0", "pw-core": "1.65.1" }));
    assert.equal(runtimeToolsStale(dir), false, "installed as locked");
    const withOptional = JSON.parse(lock({ miniflare: "4.1.0", "pw-core": "1.65.1" }));
    withOptional.packages["node_modules/@esbuild/darwin-arm64"] = { version: "1", optional: true };
    writeFileSync(join(dir, "package-lock.json"), JSON.stringify(withOptional));
    assert.equal(runtimeToolsStale(dir), false, "another platform's optional package");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
