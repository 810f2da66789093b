// Copyright 2026 the evalhooks authors. MIT license.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";

// Every entry point in deno.json, as `deno doc` sees it: JSR's docs are the manual.
const denoJson = JSON.parse(readFileSync(new URL("../deno.json", import.meta.url), "utf8"));
const entries = Object.values(denoJson.exports as Record<string, string>);

interface DocSymbol {
  name: string;
  declarations: { jsDoc?: { doc?: string; tags?: { kind: string }[] } }[];
}

test("docs: every entry point has a @module doc and every export a JSDoc @example", () => {
  const missing: string[] = [];
  for (const entry of entries) {
    const out = spawnSync("deno", ["doc", "--json", entry], {
      encoding: "utf8",
      maxBuffer: 1 << 26,
    });
    assert.equal(out.status, 0, out.stderr);
    const nodes = JSON.parse(out.stdout).nodes as Record<
      string,
      { module_doc?: { doc?: string }; symbols?: DocSymbol[] }
    >;
    const url = new URL(entry, new URL("../", import.meta.url)).href;
    const mod = nodes[url];
    assert.ok(mod, `no doc node for ${entry}`);
    if (!mod.module_doc?.doc) missing.push(`${entry}: @module doc`);
    for (const symbol of mod.symbols ?? []) {
      const hasExample = symbol.declarations.some((d) =>
        d.jsDoc?.tags?.some((t) => t.kind === "example")
      );
      if (!hasExample) missing.push(`${entry}: ${symbol.name}`);
    }
  }
  assert.deepEqual(missing, [], `missing @example:\n${missing.join("\n")}`);
});

test("docs: deno doc --lint is clean for every entry point", () => {
  const out = spawnSync("deno", ["doc", "--lint", ...entries], { encoding: "utf8" });
  assert.equal(out.status, 0, out.stderr);
});
