// Copyright 2026 the evalhooks authors. MIT license.

// Runs an eval-runner example (examples/runners/vitest-evals, examples/runners/evalite) the way a
// user's project runs it: the example's files are copied into a throwaway project whose
// node_modules holds the runner (linked from tests/runners/, installed there by `npm ci` on first
// use) and @evalhooks/mlflow as a package user gets it (the entry bundled for the browser by
// `deno bundle`). So the example files import exactly what a user's do ("vitest/config",
// "@evalhooks/mlflow/vitest") and need no test-only resolver.

import { spawnSync, type SpawnSyncReturns } from "node:child_process";
import {
  copyFileSync,
  cpSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { bundle } from "./bundle.ts";
import { ensureRuntimeTools } from "./test_tools.ts";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const RUNNERS = join(ROOT, "tests/runners");

/** Each runner example: the library entry its config imports, and its `npx <runner> run`. */
const EXAMPLES = {
  "vitest-evals": {
    entry: "vitest",
    source: "src/integrations/vitest/mod.ts",
    command: ["node_modules/vitest/vitest.mjs", "run"],
  },
  evalite: {
    entry: "evalite",
    source: "src/integrations/evalite/mod.ts",
    command: ["node_modules/evalite/dist/bin.js", "run"],
  },
} as const;

/** The name of a folder of examples/runners/ that a runner runs. */
export type RunnerExample = keyof typeof EXAMPLES;

/** How a process in the example's project ended, and what it printed. */
export interface RunnerExampleResult {
  /** Its exit code (null when it was killed). */
  status: number | null;
  /** Its stdout and stderr. */
  output: string;
}

/**
 * Copies examples/runners/`example` into a new project with the runner and the library in its
 * node_modules, calls `use` with the project's folder, and removes the project again.
 */
function inProject<T>(example: RunnerExample, use: (project: string) => T): T {
  ensureRuntimeTools(RUNNERS);
  const spec = EXAMPLES[example];
  const project = mkdtempSync(join(tmpdir(), `evalhooks-example-${example}-`));
  try {
    cpSync(join(ROOT, "examples/runners", example), project, { recursive: true });
    writeFileSync(join(project, "package.json"), '{ "private": true, "type": "module" }\n');
    const modules = join(project, "node_modules");
    mkdirSync(modules);
    for (const name of readdirSync(join(RUNNERS, "node_modules"))) {
      if (!name.startsWith(".")) {
        symlinkSync(join(RUNNERS, "node_modules", name), join(modules, name));
      }
    }
    const pkg = join(modules, "@evalhooks/mlflow");
    mkdirSync(pkg, { recursive: true });
    copyFileSync(bundle(spec.source), join(pkg, `${spec.entry}.mjs`));
    writeFileSync(
      join(pkg, "package.json"),
      JSON.stringify({
        name: "@evalhooks/mlflow",
        type: "module",
        exports: { [`./${spec.entry}`]: `./${spec.entry}.mjs` },
      }),
    );
    return use(project);
  } finally {
    rmSync(project, { recursive: true, force: true });
  }
}

const ended = (child: SpawnSyncReturns<string>): RunnerExampleResult => ({
  status: child.status,
  output: `${child.stdout}\n${child.stderr}${child.error ? `\n${child.error.message}` : ""}`,
});

/**
 * Runs the example's runner in its project with Node (as `npx vitest run` / `npx evalite run`
 * would), with `env` on top of this process's.
 */
export function runRunnerExample(
  example: RunnerExample,
  env: Record<string, string>,
): RunnerExampleResult {
  return inProject(example, (project) =>
    ended(spawnSync("node", EXAMPLES[example].command, {
      cwd: project,
      encoding: "utf8",
      timeout: 60_000,
      env: { ...process.env, NO_COLOR: "1", ...env },
    })));
}

/**
 * Type-checks the example's TypeScript files with `deno check` in its project, as a user's editor
 * would: the runner's imports against the runner's own types in node_modules, ours against the
 * library's source (the bundle has no types).
 */
export function checkRunnerExample(example: RunnerExample): RunnerExampleResult {
  const spec = EXAMPLES[example];
  return inProject(example, (project) => {
    writeFileSync(
      join(project, "deno.json"),
      JSON.stringify({
        nodeModulesDir: "manual",
        imports: {
          [`@evalhooks/mlflow/${spec.entry}`]: pathToFileURL(join(ROOT, spec.source)).href,
        },
      }),
    );
    const files = readdirSync(join(ROOT, "examples/runners", example), {
      recursive: true,
      encoding: "utf8",
    }).filter((f) => f.endsWith(".ts"));
    return ended(spawnSync("deno", ["check", ...files], {
      cwd: project,
      encoding: "utf8",
      timeout: 60_000,
      env: { ...process.env, NO_COLOR: "1" },
    }));
  });
}
