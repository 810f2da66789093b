// Copyright 2026 the evalhooks authors. MIT license.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { compareEvals } from "../src/compare/mod.ts";
import { createMlflow } from "../mod.ts";
import { readInspectLog } from "../src/integrations/inspect/mod.ts";
import { describeExperiment, type RunDescription } from "./harness/compare.ts";
import { ensureInspectVenv } from "./harness/inspect_venv.ts";
import { trackingUri, uniqueName } from "./harness/server.ts";

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
};

test("parity: a real Inspect eval logged by the Python inspect_mlflow hook and imported by our CLI match", async () => {
  const python = ensureInspectVenv();
  const uri = await trackingUri();
  const pythonExperiment = uniqueName("parity-python");
  const ourExperiment = uniqueName("parity-ours");
  const logDir = mkdtempSync(join(tmpdir(), "evalhooks-parity-"));

  // 1. The real eval, logged live by the Python hook (enabled by MLFLOW_TRACKING_URI).
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (v !== undefined && !/^(INSPECT_)?MLFLOW_/.test(k)) env[k] = v;
  }
  const run = spawnSync(python, [join(ROOT, "tests/harness/inspect_parity_eval.py"), logDir], {
    encoding: "utf8",
    env: {
      ...env,
      MLFLOW_TRACKING_URI: uri,
      MLFLOW_EXPERIMENT_NAME: pythonExperiment,
      INSPECT_MLFLOW_AUTOLOG_ENABLED: "false",
    },
    timeout: 300_000,
  });
  assert.equal(run.status, 0, run.stderr.split("\n").slice(-20).join("\n"));
  const logPath = run.stdout.trim().split("\n").at(-1)!;
  assert.match(logPath, /\.eval$/);

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
  const cli = spawnSync("deno", [
    "run",
    "-A",
    join(ROOT, "cli.ts"),
    "import",
    logPath,
    "--experiment",
    ourExperiment,
  ], {
    encoding: "utf8",
    env: { ...env, MLFLOW_TRACKING_URI: uri },
    timeout: 300_000,
  });
  assert.equal(cli.status, 0, cli.stderr);
  assert.match(cli.stdout, /logs: 1 imported, 0 skipped, 0 failed/);

  // 3. Compare, field by field.
  const reader = createMlflow({ trackingUri: uri });
  const theirs = await describeExperiment(reader, pythonExperiment);
  const ours = await describeExperiment(reader, ourExperiment);
  assert.deepEqual(Object.keys(ours).sort(), Object.keys(theirs).sort(), "run names");
  for (const name of Object.keys(theirs)) {
    const a: RunDescription = theirs[name];
    const b: RunDescription = ours[name];
    assert.equal(b.status, a.status, `${name}: status`);
    assert.deepEqual(b.tags, a.tags, `${name}: tags`);
    assert.deepEqual(b.params, a.params, `${name}: params`);
    assert.deepEqual(
      Object.keys(b.metrics).sort(),
      Object.keys(a.metrics).sort(),
      `${name}: metric keys`,
    );
    for (const [key, value] of Object.entries(a.metrics)) {
      // Task-level values must agree; per-sample and per-event metrics are compared by their points.
      if (!/^(sample|event)\//.test(key)) {
        assert.ok(
          Math.abs(b.metrics[key] - value) < 1e-9,
          `${name}: ${key} ${b.metrics[key]} vs ${value}`,
        );
      }
    }
    assert.deepEqual(b.points, a.points, `${name}: metric point counts`);
    assert.deepEqual(
      b.artifacts.filter(ALLOWED.planArtifact),
      a.artifacts.map(ALLOWED.artifactNames).sort(),
      `${name}: artifact paths`,
    );
    assert.deepEqual(b.tables, a.tables, `${name}: table columns`);
  }

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
});
