// Copyright 2026 the evalhooks authors. MIT license.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { compareEvals } from "../src/compare/mod.ts";
import { createMlflow, type Mlflow } from "../mod.ts";
import { readInspectLog } from "../src/integrations/inspect/mod.ts";
import { describeExperiment, type RunDescription } from "./harness/compare.ts";
import { ensureInspectVenv } from "./harness/inspect_venv.ts";
import { trackingUri, uniqueName } from "./harness/server.ts";
import { onceFromDeno } from "./harness/checks.ts";

const ROOT = new URL("../", import.meta.url).pathname;

// Every way our import may differ from the Python hook's live logging, and why. README's "Import
// Inspect logs" section lists what we do beyond the Python package.
const ALLOWED = {
  // Python names these with tempfile.mkstemp, which appends a random suffix; ours are the names
  // the parity spec gives.
  artifactNames: (path: string) =>
    path.replace(
      /^(sample_results\/sample_results_|eval_logs\/eval_log_)([A-Za-z0-9]+)_[a-z0-9_]+\.json$/,
      "$1$2.json",
    ),
  // Beyond: the task's plan (its solvers and their params) as `plan/plan_<eval_id>.json`.
  planArtifact: (path: string) => !path.startsWith("plan/"),
  // Beyond: one trace per sample with the scores as feedback (the Python hook traces nothing by default).
  tracesPerSample: true,
  // `eval_logs/eval_log_<eval_id>.json`: Python dumps its EvalLog object, every field included
  // (nulls, and the `{}` Inspect's reader fills in for a missing `solver_args_passed`); ours is
  // the log as its file holds it, which leaves those out. A member only Python's has is allowed
  // when it is null or `{}`; everything else must be equal.
  pythonDefaults: (theirs: unknown, ours: unknown): unknown => {
    if (Array.isArray(theirs) && Array.isArray(ours)) {
      return theirs.map((v, i) => ALLOWED.pythonDefaults(v, ours[i]));
    }
    if (!isRecord(theirs) || !isRecord(ours)) return theirs;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(theirs)) {
      const empty = v === null || (isRecord(v) && Object.keys(v).length === 0);
      if (!(k in ours) && empty) continue;
      out[k] = ALLOWED.pythonDefaults(v, ours[k]);
    }
    return out;
  },
  // A table cell holding a list of Inspect objects (a message's `tool_calls`): Python's
  // `json.dumps(..., default=str)` writes each object's repr, ours stays JSON. Such a pair is
  // allowed when the lists are as long and each repr names the object's string fields' values.
  reprCell: (theirs: unknown, ours: unknown): boolean => {
    const list = (cell: unknown) => {
      try {
        const value = typeof cell === "string" ? JSON.parse(cell) : undefined;
        return Array.isArray(value) ? value : undefined;
      } catch {
        return undefined;
      }
    };
    const reprs = list(theirs);
    const objects = list(ours);
    return reprs !== undefined && objects !== undefined && reprs.length === objects.length &&
      reprs.every((repr, i) => {
        const object = objects[i];
        if (typeof repr !== "string" || !/^[A-Z]\w*\(.*\)$/s.test(repr)) return false;
        if (!object || typeof object !== "object") return false;
        return Object.entries(object).every(([k, v]) =>
          typeof v !== "string" || !/^[\w .:-]*$/.test(v) || repr.includes(`${k}='${v}'`)
        );
      });
  },
};

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

// The environment without any MLflow or Inspect MLflow setting of the machine.
const baseEnv: Record<string, string> = {};
for (const [k, v] of Object.entries(process.env)) {
  if (v !== undefined && !/^(INSPECT_)?MLFLOW_/.test(k)) baseEnv[k] = v;
}

// The server is started as the file loads, not in a test or hook: Bun ends the processes a test
// or hook started when it ends, which would leave the next test without a server.
const uri = await trackingUri();

/** Runs tests/harness/inspect_parity_eval.py with the Python hook logging live; the logs' paths. */
function inspectEval(args: string[], uri: string, experiment: string): string[] {
  const run = spawnSync(
    ensureInspectVenv(),
    [join(ROOT, "tests/harness/inspect_parity_eval.py"), ...args],
    {
      encoding: "utf8",
      env: {
        ...baseEnv,
        MLFLOW_TRACKING_URI: uri,
        MLFLOW_EXPERIMENT_NAME: experiment,
        INSPECT_MLFLOW_AUTOLOG_ENABLED: "false",
      },
      timeout: 300_000,
    },
  );
  assert.equal(run.status, 0, run.stderr.split("\n").slice(-20).join("\n"));
  const paths = run.stdout.trim().split("\n").filter((line) => line.endsWith(".eval"));
  assert.ok(paths.length > 0, run.stdout);
  return paths;
}

/** Imports logs (files or folders) with our CLI, in one call; its stdout. */
function cliImport(paths: string[], uri: string, experiment: string): string {
  const cli = spawnSync(
    "deno",
    ["run", "-A", join(ROOT, "cli.ts"), "import", ...paths, "--experiment", experiment],
    { encoding: "utf8", env: { ...baseEnv, MLFLOW_TRACKING_URI: uri }, timeout: 300_000 },
  );
  assert.equal(cli.status, 0, cli.stderr);
  return cli.stdout;
}

/**
 * Compares the two experiments run by run (by name), every field, after ALLOWED's rewrites, and
 * fails with every difference at once.
 */
async function assertSameRuns(reader: Mlflow, pythonExperiment: string, ourExperiment: string) {
  const theirs = await describeExperiment(reader, pythonExperiment, { documents: true });
  const ours = await describeExperiment(reader, ourExperiment, { documents: true });
  assert.deepEqual(Object.keys(ours).sort(), Object.keys(theirs).sort(), "run names");
  const failures: string[] = [];
  const check = (what: string, fn: () => void) => {
    try {
      fn();
    } catch (e) {
      failures.push(`${what}: ${(e as Error).message}`);
    }
  };
  for (const name of Object.keys(theirs).sort()) {
    const a: RunDescription = theirs[name];
    const b: RunDescription = ours[name];
    check(`${name}: status`, () => assert.equal(b.status, a.status));
    check(`${name}: tags`, () => assert.deepEqual(b.tags, a.tags));
    check(`${name}: params`, () => assert.deepEqual(b.params, a.params));
    check(
      `${name}: metric keys`,
      () => assert.deepEqual(Object.keys(b.metrics).sort(), Object.keys(a.metrics).sort()),
    );
    for (const [key, value] of Object.entries(a.metrics)) {
      check(`${name}: ${key}`, () =>
        assert.ok(
          Math.abs(b.metrics[key] - value) < 1e-9,
          `${b.metrics[key]} vs ${value}`,
        ));
    }
    // Every point of every metric: sample/* and event/* at the steps the live hook gave them.
    for (const key of Object.keys(a.series)) {
      check(
        `${name}: ${key} (step, value) series`,
        () => assert.deepEqual(b.series[key], a.series[key]),
      );
    }
    check(`${name}: artifact paths`, () =>
      assert.deepEqual(
        b.artifacts.filter(ALLOWED.planArtifact),
        a.artifacts.map(ALLOWED.artifactNames).sort(),
      ));
    check(`${name}: table columns`, () => assert.deepEqual(b.tables, a.tables));
    for (const path of Object.keys(a.cells)) {
      const columns = a.tables[path];
      const mine = (b.cells[path] ?? []).map((row, r) =>
        row.map((cell, c) => ALLOWED.reprCell(a.cells[path][r]?.[c], cell) ? "<repr>" : cell)
      );
      const python = a.cells[path].map((row, r) =>
        row.map((cell, c) => ALLOWED.reprCell(cell, b.cells[path]?.[r]?.[c]) ? "<repr>" : cell)
      );
      check(`${name}: ${path} cells`, () => assert.deepEqual(mine, python, columns.join(",")));
    }
    // The other JSON artifacts (sample_results/, eval_logs/), by content.
    for (const [path, document] of Object.entries(a.documents)) {
      const mine = b.documents[ALLOWED.artifactNames(path)];
      check(
        `${name}: ${path} content`,
        () => assert.deepEqual(mine, ALLOWED.pythonDefaults(document, mine)),
      );
    }
  }
  assert.deepEqual(failures, [], failures.join("\n\n"));
  return { theirs, ours };
}

// Both sides run in children (the Python eval and hook; our CLI under Deno) whichever runtime
// runs this file: under Bun it would repeat the Deno phase's work exactly, so it runs once, from
// there (listed skipped under Bun). Bun's own import is covered by import_test and one_parent_test.
const once = onceFromDeno("with a Python and a Deno child");

test(
  "parity: a real Inspect eval logged by the Python inspect_mlflow hook and imported by our CLI match",
  {
    skip: once,
  },
  async () => {
    const pythonExperiment = uniqueName("parity-python");
    const ourExperiment = uniqueName("parity-ours");
    const logDir = mkdtempSync(join(tmpdir(), "evalhooks-parity-"));

    // 1. The real eval, logged live by the Python hook (enabled by MLFLOW_TRACKING_URI).
    const [logPath] = inspectEval([logDir], uri, pythonExperiment);

    // The log is Inspect 0.3.285's current format: zstd members, 8 samples with tool calls.
    const log = await readInspectLog(logPath);
    assert.equal(log.header.status, "success");
    let samples = 0;
    for await (const sample of log.samples()) {
      samples++;
      assert.ok(sample.events?.some((e) => e.event === "tool"), "every sample calls the tool");
      assert.equal(Object.keys(sample.scores ?? {}).length, 2);
    }
    await log.close();
    assert.equal(samples, 8);

    // 2. The same log imported by our CLI into another experiment.
    assert.match(cliImport([logPath], uri, ourExperiment), /logs: 1 imported, 0 skipped, 0 failed/);

    // 3. Compare, field by field.
    const reader = createMlflow({ trackingUri: uri });
    await assertSameRuns(reader, pythonExperiment, ourExperiment);

    // Beyond the Python hook: one trace per sample, linked to the task run, with 2 feedbacks each.
    const ourId = (await reader.getExperimentByName(ourExperiment))!.experimentId;
    const theirId = (await reader.getExperimentByName(pythonExperiment))!.experimentId;
    const traces = await reader.searchTraces({ experimentIds: [ourId] });
    assert.equal(traces.length, 8);
    assert.ok(traces.every((t) => t.assessments.length === 2));
    assert.equal((await reader.searchTraces({ experimentIds: [theirId] })).length, 0);

    // compareEvals reads the Python hook's runs as it reads ours: the same eval, so every sample
    // pairs, on both scorers, with no difference.
    const taskRun = async (experimentId: string) =>
      (await reader.searchRuns({ experimentIds: [experimentId] }))
        .find((r) => r.tags["mlflow.parentRunId"])!.info.runId;
    const comparison = await compareEvals(await taskRun(theirId), await taskRun(ourId), {
      mlflow: reader,
      log: false,
    });
    assert.deepEqual(
      comparison.scorers.map((s) => [s.nPaired, s.diff, s.ties, s.onlyBaseline, s.onlyCandidate]),
      [[8, 0, 8, 0, 0], [8, 0, 8, 0, 0]],
    );
  },
);

test("parity: a two-task eval with task args of every JSON type, one parent on both sides", {
  skip: once,
}, async () => {
  const pythonExperiment = uniqueName("parity2-python");
  const ourExperiment = uniqueName("parity2-ours");
  const logDir = mkdtempSync(join(tmpdir(), "evalhooks-parity2-"));

  // 1. One Inspect eval run of two tasks (one run id), logged live by the Python hook.
  const logPaths = inspectEval(["--two-tasks", logDir], uri, pythonExperiment);
  assert.equal(logPaths.length, 2);

  // 2. Both logs imported by one CLI call, given their folder.
  assert.match(cliImport([logDir], uri, ourExperiment), /logs: 2 imported, 0 skipped, 0 failed/);

  // 3. Compare every run, field by field.
  const reader = createMlflow({ trackingUri: uri });
  const { theirs } = await assertSameRuns(reader, pythonExperiment, ourExperiment);
  assert.deepEqual(Object.keys(theirs).sort(), ["inspect-<run>", "parity_products", "parity_sums"]);

  // The tree: one parent on each side, holding both task runs.
  for (const experiment of [pythonExperiment, ourExperiment]) {
    const id = (await reader.getExperimentByName(experiment))!.experimentId;
    const runs = await reader.searchRuns({ experimentIds: [id] });
    const parents = runs.filter((r) => !r.tags["mlflow.parentRunId"]);
    assert.equal(parents.length, 1, `${experiment}: one parent`);
    const [parent] = parents;
    assert.equal(parent.tags["inspect.task_count"], "2");
    assert.equal(parent.tags["inspect.tasks"], "parity_sums, parity_products");
    const children = runs.filter((r) => r.tags["mlflow.parentRunId"]);
    assert.equal(children.length, 2);
    assert.ok(children.every((r) => r.tags["mlflow.parentRunId"] === parent.info.runId));
    assert.ok(children.every((r) => r.tags["inspect.run_id"] === parent.tags["inspect.run_id"]));
  }

  // Task args and the generate config as Python's str() writes them.
  assert.deepEqual(
    Object.fromEntries(
      Object.entries(theirs.parity_sums.params).filter(([k]) =>
        k.startsWith("task_arg.") || ["temperature", "top_p", "max_tokens"].includes(k)
      ),
    ),
    {
      "task_arg.ratio": "1.0",
      "task_arg.half": "0.5",
      "task_arg.count": "3",
      "task_arg.label": "alpha",
      "task_arg.nothing": "None",
      "task_arg.flag": "True",
      "task_arg.off": "False",
      "task_arg.options": "{'mode': 'fast', 'k': 2, 'nested': {'deep': [1, 2.0], 'none': None}}",
      "task_arg.weights": "[1, 0.5, 2.0]",
      temperature: "0.0",
      top_p: "1.0",
      max_tokens: "256",
    },
  );
  assert.equal(theirs.parity_products.params["task_arg.scale"], "2.0");
  assert.equal(
    theirs.parity_products.params["task_arg.limits"],
    "{'lo': 0, 'hi': 1e-07, 'big': 1e+16}",
  );
});
