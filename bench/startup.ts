// Copyright 2026 the evalhooks authors. MIT license.
// Start-up: a cold `deno run` / `bun run` of a script that imports the module, against an empty
// script (median of 9 runs each, alternated), and the size of the module graph users download.
// Prints one JSON line.

import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const mod = new URL("../mod.ts", import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), "evalhooks-startup-"));
const empty = join(dir, "empty.ts");
const withImport = join(dir, "import.ts");
writeFileSync(empty, "console.log(typeof globalThis);\n");
writeFileSync(
  withImport,
  `import { createMlflow } from ${JSON.stringify(mod)};\nconsole.log(typeof createMlflow);\n`,
);

const time = (cmd: string, args: string[]) => {
  const t0 = performance.now();
  const out = spawnSync(cmd, args, { encoding: "utf8" });
  if (out.status !== 0) throw new Error(out.stderr);
  return performance.now() - t0;
};
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const result: Record<string, unknown> = {};
for (const [runtime, args] of [["deno", ["run", "-A"]], ["bun", ["run"]]] as const) {
  time(runtime, [...args, withImport]); // compile/cache once, so runs compare the import itself
  const a: number[] = [];
  const b: number[] = [];
  for (let i = 0; i < 9; i++) {
    a.push(time(runtime, [...args, empty]));
    b.push(time(runtime, [...args, withImport]));
  }
  result[runtime] = { emptyMs: median(a), importMs: median(b), addedMs: median(b) - median(a) };
}
const info = JSON.parse(
  spawnSync("deno", ["info", "--json", mod], { encoding: "utf8" }).stdout,
) as {
  modules: { size?: number; specifier: string }[];
};
const local = info.modules.filter((m) => m.specifier.startsWith("file:"));
result.moduleGraph = { modules: local.length, bytes: local.reduce((n, m) => n + (m.size ?? 0), 0) };
console.log(JSON.stringify(result));
