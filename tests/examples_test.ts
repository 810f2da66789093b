// Copyright 2026 the evalhooks authors. MIT license.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { createMlflow, type RunData, type TraceInfo } from "../mod.ts";
import { readInspectLog } from "../src/integrations/inspect/mod.ts";
import { trackingUri, uniqueName } from "./harness/server.ts";
import { bundle } from "./harness/bundle.ts";
import { fixtureNames, FIXTURES } from "./harness/fixtures.ts";
import { checkRunnerExample, runRunnerExample } from "./harness/runner_example.ts";
import { ensureRuntimeTools } from "./harness/test_tools.ts";
import { ensurePromptfoo, promptfooEnv } from "./harness/promptfoo.ts";
import { assertClose, onceFromDeno } from "./harness/checks.ts";

const ROOT = new URL("../", import.meta.url).pathname;

// Every example the README names runs as documented, against the test server.
for (const example of ["examples/eval_hooks.ts", "examples/tracing.ts", "examples/evaluate.ts"]) {
  test(`examples: ${example} runs`, async () => {
    const out = spawnSync("deno", ["run", "-A", example], {
      cwd: new URL("../", import.meta.url).pathname,
      encoding: "utf8",
      env: { ...process.env, MLFLOW_TRACKING_URI: await trackingUri() },
      timeout: 120_000,
    });
    assert.equal(out.status, 0, `${out.stdout}\n${out.stderr}`);
    assert.doesNotMatch(out.stderr, /\[mlflow/); // no warnings
  });
}

test("examples: examples/bun-quickstart.ts runs on Bun", async () => {
  const out = spawnSync("bun", ["examples/bun-quickstart.ts"], {
    cwd: ROOT,
    encoding: "utf8",
    env: { ...process.env, MLFLOW_TRACKING_URI: await trackingUri() },
    timeout: 120_000,
  });
  assert.equal(out.status, 0, `${out.stdout}\n${out.stderr}`);
  assert.match(out.stdout, /accuracy 0\.67/);
});

// The script runs `deno run cli.ts` whichever runtime runs this file: under Bun it would repeat
// the Deno phase's work exactly, so it runs once, from there (listed skipped under Bun).
const denoChildOnly = onceFromDeno("with a Deno child");

test("examples: examples/inspect-import.sh imports the fixtures", {
  skip: denoChildOnly,
  timeout: 240_000,
}, async () => {
  const out = spawnSync("bash", ["examples/inspect-import.sh"], {
    cwd: ROOT,
    encoding: "utf8",
    env: {
      ...process.env,
      MLFLOW_TRACKING_URI: await trackingUri(),
      EXPERIMENT: uniqueName("example-import"),
    },
    timeout: 240_000,
  });
  assert.equal(out.status, 0, out.stderr);
  // One import per distinct eval; a second file of the same eval is skipped as already imported.
  const files = [...fixtureNames(".eval"), ...fixtureNames(".json")];
  const evalIds = new Set<string>();
  for (const name of files) {
    const log = await readInspectLog(join(FIXTURES, name));
    evalIds.add(log.header.eval.eval_id);
    await log.close();
  }
  assert.ok(evalIds.size < files.length); // the fixtures hold one log in several files
  assert.match(
    out.stdout,
    new RegExp(`logs: ${evalIds.size} imported, ${files.length - evalIds.size} skipped, 0 failed`),
  );
});

test("examples: examples/cloudflare-worker.ts answers and logs after the response, in workerd", async () => {
  const bundled = bundle("examples/cloudflare-worker.ts");
  const { Miniflare } = createRequire(join(ROOT, "tests/runtimes/package.json"))("miniflare");
  const experiment = uniqueName("example-worker");
  const mf = new Miniflare({
    modules: [{
      type: "ESModule",
      path: "worker.mjs",
      contents: (await import("node:fs")).readFileSync(bundled, "utf8"),
    }],
    compatibilityDate: "2026-07-01",
    bindings: { MLFLOW_TRACKING_URI: await trackingUri(), EXPERIMENT: experiment },
  });
  try {
    const response = await mf.dispatchFetch("http://worker/?q=What%20is%202%20%2B%202%3F");
    assert.deepEqual(await response.json(), { question: "What is 2 + 2?", answer: "4" });
    const reader = createMlflow({ trackingUri: await trackingUri() });
    const deadline = Date.now() + 30_000;
    let landed = false;
    while (!landed && Date.now() < deadline) {
      const id = (await reader.getExperimentByName(experiment))?.experimentId;
      const runs = id ? await reader.searchRuns({ experimentIds: [id] }) : [];
      const traces = id ? await reader.searchTraces({ experimentIds: [id] }) : [];
      landed = runs.some((r) => r.info.status === "FINISHED" && r.metrics.answered === 1) &&
        traces.length === 1;
      if (!landed) await new Promise((r) => setTimeout(r, 200));
    }
    assert.ok(landed, "the run and its trace landed after the response");
    const evaluated = await mf.dispatchFetch("http://worker/evaluate");
    const metrics = await evaluated.json();
    assert.equal(metrics["exact_match/pass_rate"], 0.5);
  } finally {
    await mf.dispose();
  }
});

// The README's snippet of each eval runner is its example file, as a user copies it: the same
// code, importing the same names (the example from this clone, the snippet from the package).
test("examples: the README's eval-runner snippets are the example files", () => {
  const readme = readFileSync(join(ROOT, "README.md"), "utf8");
  const blocks = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]);
  // Comments and blank lines apart, and of an import only what it imports.
  const code = (text: string) =>
    text.split("\n").map((l) => l.trimEnd()).filter((l) => l && !l.startsWith("//"))
      .map((l) => l.startsWith("import ") ? l.replace(/ from .*/, "") : l);
  for (
    const [file, marker] of [
      ["examples/autoevals.ts", "fromAutoevals(Levenshtein)"],
      ["examples/runners/promptfoo/import.ts", "importPromptfooResults(mlflow, results,"],
      ["examples/runners/vitest-evals/vitest.config.ts", "mlflowReporter({"],
      ["examples/runners/evalite/evalite.config.ts", "mlflowStorage(createInMemoryStorage()"],
    ]
  ) {
    const snippets = blocks.filter((b) => b.includes(marker));
    assert.equal(snippets.length, 1, `one README snippet with ${marker}`);
    assert.deepEqual(code(snippets[0]), code(readFileSync(join(ROOT, file), "utf8")), file);
  }
});

// The eval-runner examples log into fixed experiments, as a user's would; each test reads back
// only the runs its own invocation added, and the traces of those runs.
async function loggedBy<T>(
  experimentName: string,
  act: () => T,
): Promise<{ out: T; runs: RunData[]; traces: TraceInfo[] }> {
  const reader = createMlflow({ trackingUri: await trackingUri(), onError: () => {} });
  const experimentId = async () => (await reader.getExperimentByName(experimentName))?.experimentId;
  const earlier = await experimentId();
  const before = new Set(
    earlier ? (await reader.searchRuns({ experimentIds: [earlier] })).map((r) => r.info.runId) : [],
  );
  const out = act();
  const id = await experimentId();
  assert.ok(id, `no experiment ${experimentName}`);
  const runs = (await reader.searchRuns({ experimentIds: [id] })).filter((r) =>
    !before.has(r.info.runId)
  );
  const ours = new Set(runs.map((r) => r.info.runId));
  const traces = (await reader.searchTraces({ experimentIds: [id] })).filter((t) =>
    ours.has(t.metadata["mlflow.sourceRun"])
  );
  await reader.close();
  return { out, runs, traces };
}

/** The value of a trace's feedback of that name. */
const feedback = (t: TraceInfo, name: string) =>
  t.assessments.find((a) => a.kind === "feedback" && a.name === name)?.value;

// The runners run in a Node child.
const onceOnDeno = onceFromDeno("with a child");

test(
  "examples: examples/runners/vitest-evals logs a run of its suite, a trace per case, each judge's scores",
  { skip: onceOnDeno, timeout: 120_000 },
  async () => {
    const uri = await trackingUri();
    const { out, runs, traces } = await loggedBy(
      "agent-evals",
      () => runRunnerExample("vitest-evals", { MLFLOW_TRACKING_URI: uri }),
    );
    assert.equal(out.status, 0, out.output);
    // As a user's editor sees them: against vitest's and vitest-evals' own types.
    const checked = checkRunnerExample("vitest-evals");
    assert.equal(checked.status, 0, checked.output);
    assert.deepEqual(runs.map((r) => r.info.runName), ["capitals"], out.output);
    const [run] = runs;
    assert.equal(run.info.status, "FINISHED");
    assertClose(run.metrics["ExactJudge/mean"], 2 / 3, "ExactJudge/mean");
    assertClose(run.metrics["OneWordJudge/mean"], 1, "OneWordJudge/mean");
    assertClose(run.metrics["success/mean"], 1, "success/mean");
    assert.equal(traces.length, 3);
    const australia = traces.find((t) => t.metadata["vitest.full_name"]?.includes("Australia"));
    assert.ok(australia, traces.map((t) => t.metadata["vitest.full_name"]).join(", "));
    assert.equal(feedback(australia, "ExactJudge"), 0);
    assert.deepEqual(
      australia.assessments.filter((a) => a.kind === "expectation").map((a) => [a.name, a.value]),
      [["expected_response", "Canberra"]],
    );
  },
);

test(
  "examples: examples/runners/evalite logs a run per Evalite run and eval, a trace per row with its LLM call and scores",
  { skip: onceOnDeno, timeout: 120_000 },
  async () => {
    const uri = await trackingUri();
    const { out, runs, traces } = await loggedBy(
      "evalite",
      () => runRunnerExample("evalite", { MLFLOW_TRACKING_URI: uri }),
    );
    assert.equal(out.status, 0, out.output);
    // As a user's editor sees them: against Evalite's own types.
    const checked = checkRunnerExample("evalite");
    assert.equal(checked.status, 0, checked.output);
    const parent = runs.find((r) => !r.tags["mlflow.parentRunId"]);
    const run = runs.find((r) => r.info.runName === "capitals");
    assert.equal(runs.length, 2, out.output);
    assert.match(parent?.info.runName ?? "", /^evalite-\d+$/);
    assert.equal(run?.tags["mlflow.parentRunId"], parent?.info.runId);
    assertClose(run?.metrics["Exact/mean"], 2 / 3, "Exact/mean");
    assertClose(run?.metrics["OneWord/mean"], 1, "OneWord/mean");
    assert.equal(traces.length, 3);
    assert.deepEqual(
      traces.map((t) => feedback(t, "Exact")).sort(),
      [0, 1, 1],
    );
    // Each row's reportTrace call is an LLM span: its tokens are the trace's.
    for (const t of traces) {
      assert.equal(JSON.parse(t.metadata["mlflow.trace.tokenUsage"] ?? "{}").total_tokens, 10);
    }
  },
);

// examples/autoevals.ts imports npm:autoevals@0.3.0, as a Deno user would; the test points that
// at the same version `npm ci` installed in tests/runtimes/, so it runs offline.
function autoevalsFromTestsRuntimes(): string[] {
  ensureRuntimeTools();
  const map = join(mkdtempSync(join(tmpdir(), "evalhooks-example-autoevals-")), "import_map.json");
  const autoevals = join(ROOT, "tests/runtimes/node_modules/autoevals/jsdist/index.mjs");
  writeFileSync(
    map,
    JSON.stringify({ imports: { "npm:autoevals@0.3.0": pathToFileURL(autoevals).href } }),
  );
  return ["--import-map", map, "--node-modules-dir=manual"];
}

test(
  "examples: examples/autoevals.ts scores with autoevals inside evaluate()",
  { skip: onceOnDeno, timeout: 120_000 },
  async () => {
    const uri = await trackingUri();
    const { out, runs, traces } = await loggedBy(
      "capitals",
      () =>
        spawnSync("deno", ["run", "-A", ...autoevalsFromTestsRuntimes(), "examples/autoevals.ts"], {
          cwd: ROOT,
          encoding: "utf8",
          env: { ...process.env, MLFLOW_TRACKING_URI: uri },
          timeout: 120_000,
        }),
    );
    assert.equal(out.status, 0, `${out.stdout}\n${out.stderr}`);
    assert.equal(out.stdout.trim(), "0.875 0.5");
    assert.equal(runs.length, 1);
    assertClose(runs[0].metrics["Levenshtein/mean"], 0.875, "Levenshtein/mean");
    assertClose(runs[0].metrics["ExactMatch/mean"], 0.5, "ExactMatch/mean");
    assert.equal(traces.length, 2);
    assert.deepEqual(traces.map((t) => feedback(t, "ExactMatch")).sort(), [0, 1]);
  },
);

test(
  "examples: examples/runners/promptfoo: promptfoo evals its config offline, import.ts imports the results",
  // The first run installs Node 22 and promptfoo (minutes); later runs take seconds.
  { skip: onceOnDeno, timeout: 900_000 },
  async () => {
    const { node, entry } = ensurePromptfoo();
    // A copy of the folder, so promptfoo writes nothing into the repository.
    const dir = mkdtempSync(join(tmpdir(), "evalhooks-example-promptfoo-"));
    cpSync(join(ROOT, "examples/runners/promptfoo"), dir, { recursive: true });
    const evaluated = spawnSync(node, [
      entry,
      "eval",
      "-o",
      "results.json",
      "--no-progress-bar",
      "--no-table",
    ], {
      cwd: dir,
      encoding: "utf8",
      env: { ...process.env, ...promptfooEnv() },
      timeout: 120_000,
    });
    // 100 is promptfoo's "some tests failed": Australia's answer is wrong on purpose.
    assert.equal(evaluated.status, 100, `${evaluated.stdout}\n${evaluated.stderr}`);
    const uri = await trackingUri();
    // Run as its comment says: in the folder of results.json.
    const { out, runs, traces } = await loggedBy(
      "prompt-evals",
      () =>
        spawnSync("deno", ["run", "-A", join(ROOT, "examples/runners/promptfoo/import.ts")], {
          cwd: dir,
          encoding: "utf8",
          env: { ...process.env, MLFLOW_TRACKING_URI: uri },
          timeout: 120_000,
        }),
    );
    assert.equal(out.status, 0, `${out.stdout}\n${out.stderr}`);
    assert.match(out.stdout, /^canned 0\.666/);
    const run = runs.find((r) => r.info.runName === "canned");
    assert.equal(runs.length, 2);
    assert.equal(run?.tags["mlflow.parentRunId"], runs.find((r) => r !== run)?.info.runId);
    assertClose(run?.metrics["exact_match/mean"], 2 / 3, "exact_match/mean");
    assertClose(run?.metrics["one_word/mean"], 1, "one_word/mean");
    assertClose(run?.metrics["success/mean"], 2 / 3, "success/mean");
    assert.equal(traces.length, 3);
    assert.deepEqual(traces.map((t) => feedback(t, "exact_match")).sort(), [0, 1, 1]);
  },
);
