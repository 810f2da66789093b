// Copyright 2026 the evalhooks authors. MIT license.
import { test } from "node:test";
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import {
  checkGraph,
  type Entry,
  importsOf,
  readExports,
  readSourceTree,
} from "./harness/import_graph.ts";

const ROOT = fileURLToPath(new URL("../", import.meta.url));

/**
 * Which exports of deno.json must run in a browser (no `node:` import, no `Deno.`/`Bun.` global
 * anywhere they reach):
 *
 * | export        | web-only | why                                                              |
 * | ------------- | -------- | ---------------------------------------------------------------- |
 * | `.` (mod.ts)  | yes      | the library itself; mod.ts says "This module is browser compatible" |
 * | `./…/web`     | yes      | a `/web` export exists to be the browser build of its feature     |
 * | `./evaluate…` | yes      | evaluation runs wherever the model calls run, browsers and edges too |
 * | `./promptfoo` | yes      | imports a results file it is handed, parsed: a Worker can take one |
 * | `./vitest`    | yes      | a reporter that is handed Vitest's callbacks and only fetches     |
 * | `./evalite`   | yes      | a storage wrapper that is handed Evalite's writes and only fetches |
 * | `./inspect`   | no       | reads Inspect logs from disk (src/integrations/inspect/node/)     |
 * | `./node`      | no       | walks folders and reads git's files (src/client/node/)           |
 * | `./cli`       | no       | a command line: process, fs and path                             |
 * | `./testing`   | no       | starts a local MLflow server with node:child_process             |
 *
 * Any other export is not web-only until it is added here.
 */
function isWebOnly(key: string): boolean {
  return key === "." || key.endsWith("/web") || key.startsWith("./evaluate") ||
    [
      "./openai",
      "./anthropic",
      "./gemini",
      "./otel",
      "./promptfoo",
      "./vitest",
      "./evalite",
      "./compare",
    ].includes(key);
}

const ENTRIES: Entry[] = readExports(ROOT).map(({ key, path }) => ({
  path,
  webOnly: isWebOnly(key),
}));

test("architecture: every import in src/ points down a layer, with no cycle, and web-only entries reach no node: or Deno./Bun. use", () => {
  const violations = checkGraph(readSourceTree(ROOT), ENTRIES);
  assert.deepEqual(violations, []);
});

/** A fake tree with one of each violation and, next to them, the look-alikes that are fine. */
const SYNTHETIC = new Map<string, string>([
  // Upward arrow: transport (1) imports client (4).
  ["src/transport/rest.ts", `import { run } from "../client/run.ts";\nexport const r = run;\n`],
  // Downward (client -> base) and same-layer (client -> client) imports: fine.
  [
    "src/client/run.ts",
    `import { E } from "../base/errors.ts";\nimport { o } from "./options.ts";\n` +
    `export const run = [E, o];\n`,
  ],
  ["src/client/options.ts", `export const o = 1;\n`],
  ["src/base/errors.ts", `export class E {}\n`],
  // A cycle through a type-only import.
  ["src/client/a.ts", `import type { B } from "./b.ts";\nexport type A = B[];\n`],
  ["src/client/b.ts", `import { a } from "./a.ts";\nexport type B = typeof a;\n`],
  // Shipped code importing the test harness.
  ["src/store/x.ts", `import { h } from "../../tests/harness/h.ts";\nexport const x = h;\n`],
  // The web-only entry and what it reaches.
  [
    "mod.ts",
    [
      "/**",
      " * @example",
      " * ```ts",
      ' * import { createMlflow } from "@evalhooks/mlflow";',
      ' * import { secret } from "./src/client/not_there.ts";',
      " * ```",
      " * @module",
      " */",
      'export { c } from "./src/client/c.ts";',
      'export { safe } from "./src/client/safe.ts";',
      "",
    ].join("\n"),
  ],
  [
    "src/client/c.ts",
    'import { readFile } from "node:fs";\n\nexport function c() {\n  Deno.exit(1);\n}\n' +
    "export const read = readFile;\n",
  ],
  [
    "src/client/safe.ts",
    [
      "// Deno.exit(1) in a line comment",
      '/* Deno.exit(1) in a block comment, and import x from "node:fs" */',
      "const g = globalThis as { Deno?: { exit(code: number): void } };",
      "export function safe() {",
      "  if (globalThis.Deno) g.Deno?.exit(0);",
      "  (globalThis as unknown as { Bun?: { version: string } }).Bun?.version;",
      '  const s = "Deno.exit(1) and import(\\"node:fs\\")";',
      "  const t = `Bun.exit ${s.length} Deno.env`;",
      "  const re = /Deno\\.exit/;",
      "  return [s, t, re, { Deno: 1 }];",
      "}",
      "",
    ].join("\n"),
  ],
]);

test("architecture: the checker itself catches an upward arrow, a cycle, test imports and node:/Deno. use in a web-only entry", () => {
  const violations = checkGraph(SYNTHETIC, [{ path: "mod.ts", webOnly: true }]);
  const expected = [
    "upward arrow: src/transport/rest.ts:1 imports src/client/run.ts (transport, layer 1 -> client, layer 4)",
    "shipped code imports test code: src/store/x.ts:1 imports tests/harness/h.ts",
    "cycle: src/client/a.ts -> src/client/b.ts -> src/client/a.ts",
    'web-only entry mod.ts reaches a Node import: src/client/c.ts:1 imports "node:fs" (chain: mod.ts -> src/client/c.ts)',
    "web-only entry mod.ts reaches a Deno. global: src/client/c.ts:4 uses Deno. (chain: mod.ts -> src/client/c.ts)",
  ];
  for (const line of expected) {
    assert.ok(
      violations.some((v) => v.includes(line)),
      `missing: ${line}\ngot:\n${violations.join("\n")}`,
    );
  }
  assert.equal(violations.length, expected.length, `got:\n${violations.join("\n")}`);
  // The negative controls. safe.ts (comments, strings, a regex, `globalThis.Deno` detection) is
  // reached from mod.ts and must not be named; run.ts's downward and same-layer imports must not
  // be flagged (it appears only as the target of rest.ts's arrow, never as `run.ts:<line>`); the
  // JSDoc @example imports in mod.ts are no imports at all.
  const controls = ["src/client/safe.ts", "src/client/run.ts:", "not_there", "@evalhooks"];
  for (const fine of controls) {
    assert.ok(
      !violations.some((v) => v.includes(fine)),
      `${fine} flagged:\n${violations.join("\n")}`,
    );
  }
});

test("architecture: importsOf reads multi-line, type-only, re-export and dynamic imports", () => {
  const source = [
    "import {",
    "  a,",
    "  b,",
    '} from "./x.ts";',
    'export type { T } from "../y.ts";',
    "",
    "/** @example",
    ' * import { no } from "./in_jsdoc.ts";',
    " */",
    'const later = await import("./z.ts");',
    'import "./side_effect.ts";',
    "",
  ].join("\n");
  assert.deepEqual(importsOf("src/client/m.ts", source), [
    { specifier: "./x.ts", line: 1, typeOnly: false },
    { specifier: "../y.ts", line: 5, typeOnly: true },
    { specifier: "./z.ts", line: 10, typeOnly: false },
    { specifier: "./side_effect.ts", line: 11, typeOnly: false },
  ]);
});
