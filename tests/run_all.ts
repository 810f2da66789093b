// Copyright 2026 the evalhooks authors. MIT license.

// `deno task test`: runs every test under Deno and under Bun against one real MLflow server, and
// ends with the plain `N passed, N failed` line that CI reads (neither runtime prints one).
// Extra arguments are passed to both runners (e.g. a file to run just that file).

import { spawn, type StdioOptions } from "node:child_process";
import {
  closeSync,
  existsSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  statSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import process from "node:process";
import { startLocalMlflow } from "../src/local_server/mlflow_server.ts";

interface Counts {
  passed: number;
  failed: number;
  skipped: number;
  failures: string[];
}

function exec(
  command: string,
  args: string[],
  env: Record<string, string>,
  output?: string,
): Promise<number> {
  return new Promise((resolve) => {
    // With `output`, the child's stdout and stderr go to that file (printed when it is done).
    const fd = output === undefined ? undefined : openSync(output, "w");
    const stdio: StdioOptions = fd === undefined ? "inherit" : ["ignore", fd, fd];
    const child = spawn(command, args, { stdio, env: { ...process.env, ...env } });
    if (fd !== undefined) child.on("close", () => closeSync(fd));
    child.on("exit", (code) => resolve(code ?? 1));
    child.on("error", (error) => {
      console.error(`cannot run ${command}: ${error.message}`);
      resolve(127);
    });
  });
}

/** The test files under `targets` (files or folders), as paths relative to the repository. */
function testFiles(targets: string[]): string[] {
  const found: string[] = [];
  const walk = (path: string) => {
    if (!existsSync(path)) return;
    if (statSync(path).isDirectory()) {
      for (const name of readdirSync(path)) {
        if (name !== "node_modules" && !name.startsWith(".")) walk(join(path, name));
      }
    } else if (/[._]test\.(ts|mts|js|mjs)$/.test(path)) found.push(relative(".", path));
  };
  for (const target of targets) walk(target);
  return found.sort();
}

/**
 * Counts leaf test cases in a JUnit report (Deno lists a test with steps as a case too). A test
 * file of `files` with no suite in the report never loaded (an import that threw, a fixture that
 * is missing): neither runner counts it, so it is counted here, as a failure by its name.
 */
function countJunit(path: string, files: string[]): Counts | undefined {
  let xml: string;
  try {
    xml = readFileSync(path, "utf8");
  } catch {
    return undefined;
  }
  const cases = [...xml.matchAll(/<testcase\b([^>]*?)(\/>|>([\s\S]*?)<\/testcase>)/g)].map((m) => ({
    name: (/\bname="([^"]*)"/.exec(m[1])?.[1] ?? "").replace(/&gt;/g, ">").replace(/&amp;/g, "&"),
    body: m[3] ?? "",
  }));
  const names = cases.map((c) => c.name);
  const counts: Counts = { passed: 0, failed: 0, skipped: 0, failures: [] };
  for (const c of cases) {
    if (names.some((n) => n.startsWith(`${c.name} > `))) continue;
    if (/<(failure|error)\b/.test(c.body)) {
      counts.failed++;
      counts.failures.push(c.name);
    } else if (/<skipped\b/.test(c.body)) counts.skipped++;
    else counts.passed++;
  }
  const suites = new Set(
    [...xml.matchAll(/<testsuite\b[^>]*?\bname="([^"]*)"[^>]*?\btests="(\d+)"/g)]
      .filter((m) => Number(m[2]) > 0)
      .map((m) => m[1].replace(/^\.\//, "")),
  );
  for (const file of files) {
    if (suites.has(file)) continue;
    counts.failed++;
    counts.failures.push(
      `${file}: did not load, no test in it ran (see the runner's output above)`,
    );
  }
  return counts;
}

const extra = process.argv.slice(2);
// Phase times on stderr, so a slow run (a fresh machine's installs, a slow lane) shows where.
const began = performance.now();
const phase = (what: string) =>
  console.error(`[test] ${((performance.now() - began) / 1000).toFixed(0)} s: ${what}`);
/**
 * Long Deno files, run in a lane beside the others (see below): the capacity and scale-out tests
 * wait on servers of their own; the UI and auth tests are there to even out the lanes' times.
 */
const SIDE_LANE = [
  "tests/capacity_test.ts",
  "tests/scale_out_test.ts",
  "tests/ui_test.ts",
  "tests/auth_test.ts",
];
// What the tests need beyond Deno, Bun, Node and Python, installed once and cached, before any
// lane starts (the lanes run at once: two installing one cache would race): the MLflow venv, the
// npm tools in tests/runtimes/ and tests/runners/, Node 22 with promptfoo, and the Inspect AI venv
// of the parity test. On a fresh machine they take minutes, mostly downloads, so they run at once,
// each in a child process calling its harness function (they write to different caches).
const from = (path: string) => JSON.stringify(join(import.meta.dirname!, path));
const installs: [string, string][] = [
  [
    "MLflow venv",
    `import { ensureMlflowVenv } from ${from("../src/local_server/venv.ts")}; ensureMlflowVenv();`,
  ],
  [
    "test-only npm tools (tests/runtimes)",
    `import { ensureRuntimeTools } from ${from("harness/test_tools.ts")}; ensureRuntimeTools();`,
  ],
  [
    "eval runners (tests/runners)",
    `import { ensureRuntimeTools } from ${from("harness/test_tools.ts")};
    ensureRuntimeTools(${from("runners")});`,
  ],
  [
    "Node 22 and promptfoo",
    `import { ensurePromptfoo } from ${from("harness/promptfoo.ts")}; ensurePromptfoo();`,
  ],
  [
    "Inspect AI venv",
    `import { ensureInspectVenv } from ${from("harness/inspect_venv.ts")}; ensureInspectVenv();`,
  ],
];
await Promise.all(installs.map(async ([what, code]) => {
  const exit = await exec("deno", ["eval", code], {});
  // Not fatal here: the tests that need it fail by name, with the reason.
  if (exit === 0) phase(`${what} ready`);
  else console.error(`[test] ${what} could not be installed (exit ${exit}): see above`);
}));
const reports = mkdtempSync(join(tmpdir(), "evalhooks-test-"));
const targets = extra.length > 0 ? extra : ["tests/"];
const files = testFiles(targets.filter((t) => !t.startsWith("-")));
const everything = extra.length === 0;
// A full run uses two servers: Deno's lanes share one, Bun has its own (each MLflow server is one
// Python process: two of them use both cores of a small CI machine). A given
// MLFLOW_TRACKING_URI is used by every lane.
let uri = process.env.MLFLOW_TRACKING_URI;
const servers = uri ? [] : await Promise.all(
  Array.from({ length: everything ? 2 : 1 }, () => startLocalMlflow()),
);
uri ??= servers[0].uri;
const bunUri = servers[1]?.uri ?? uri;
phase(`MLflow at ${[...new Set([uri, bunUri])].join(" and ")}`);

const results: [string, number, Counts | undefined][] = [];
try {
  // A full run goes in three lanes at once: Deno's side lane (the capacity and scale-out tests,
  // with servers of their own, mostly waiting on them), Deno's main lane, and Bun's whole run.
  // Same tests, same assertions; the run takes the longest lane's time, not the sum. Deno's main
  // lane prints as it goes; the other two print when done.
  const sideLane = everything ? files.filter((f) => SIDE_LANE.includes(f)) : [];
  const mainLane = sideLane.length > 0 ? files.filter((f) => !sideLane.includes(f)) : targets;
  const denoXml = join(reports, "deno.xml");
  const sideXml = join(reports, "deno-side.xml");
  const sideLog = join(reports, "deno-side.log");
  const bunXml = join(reports, "bun.xml");
  const bunLog = join(reports, "bun.log");
  const side = sideLane.length > 0
    ? exec("deno", ["test", "-A", "--junit-path=" + sideXml, ...sideLane], {
      MLFLOW_TRACKING_URI: uri,
    }, sideLog).then((code) => (phase("Deno side lane done"), code))
    : undefined;
  const bunArgs = [
    "test",
    "--timeout",
    "300000",
    "--reporter=junit",
    "--reporter-outfile=" + bunXml,
    ...targets.map((t) => t.startsWith(".") || t.startsWith("/") ? t : "./" + t),
  ];
  const bun = everything
    ? exec("bun", bunArgs, { MLFLOW_TRACKING_URI: bunUri }, bunLog)
      .then((code) => (phase("Bun done"), code))
    : undefined;
  const denoCode = await exec("deno", ["test", "-A", "--junit-path=" + denoXml, ...mainLane], {
    MLFLOW_TRACKING_URI: uri,
  });
  phase("Deno main lane done");
  let denoCounts = countJunit(denoXml, sideLane.length > 0 ? mainLane : files);
  let denoExit = denoCode;
  if (side) {
    const sideCode = await side;
    console.log(`\n[test] Deno side lane (${sideLane.join(", ")}), run beside the others:`);
    console.log(readFileSync(sideLog, "utf8"));
    const sideCounts = countJunit(sideXml, sideLane);
    denoCounts = denoCounts && sideCounts
      ? {
        passed: denoCounts.passed + sideCounts.passed,
        failed: denoCounts.failed + sideCounts.failed,
        skipped: denoCounts.skipped + sideCounts.skipped,
        failures: [...denoCounts.failures, ...sideCounts.failures],
      }
      : undefined;
    denoExit = denoCode || sideCode;
  }
  results.push(["deno", denoExit, denoCounts]);
  let bunCode: number;
  if (bun) {
    bunCode = await bun;
    console.log("\n[test] Bun, run beside Deno:");
    console.log(readFileSync(bunLog, "utf8"));
  } else {
    bunCode = await exec("bun", bunArgs, { MLFLOW_TRACKING_URI: uri });
    phase("Bun done");
  }
  results.push(["bun", bunCode, countJunit(bunXml, files)]);
} finally {
  await Promise.all(servers.map((server) => server.close()));
}

let passed = 0;
let failed = 0;
let skipped = 0;
for (const [runtime, code, counts] of results) {
  if (!counts) {
    console.log(`${runtime}: no report (exit ${code}): counted as 1 failure`);
    failed++;
    continue;
  }
  // A runner that failed outside any test (a crash, an unhandled rejection) still fails the run.
  const outside = code !== 0 && counts.failed === 0 ? 1 : 0;
  console.log(
    `${runtime}: ${counts.passed} passed, ${
      counts.failed + outside
    } failed, ${counts.skipped} skipped` +
      (outside ? ` (exit ${code} outside any test)` : ""),
  );
  for (const name of counts.failures) console.log(`  ✗ ${runtime}: ${name}`);
  passed += counts.passed;
  failed += counts.failed + outside;
  skipped += counts.skipped;
}
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed > 0 ? 1 : 0);
