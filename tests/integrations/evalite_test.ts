// Copyright 2026 the evalhooks authors. MIT license.

// mlflowStorage() with the real runner: Evalite runs tests/fixtures/evalite/ (two evals, canned
// task outputs, a reported LLM call per row, a task that throws; no network) with its in-memory
// storage wrapped by ours, against the real server, and exports its own results with
// `--outputPath`. Every run, metric, trace, expectation, span and feedback read back is checked
// against that export. The storage is the `./evalite` entry bundled for the browser, as a package
// user gets it. evalite and vitest are installed in tests/runners/ on first use.

import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { createMlflow } from "../../src/evaluate/mod.ts";
import { bundle } from "../harness/bundle.ts";
import { trackingUri, uniqueName } from "../harness/server.ts";
import { ensureRuntimeTools } from "../harness/test_tools.ts";
import { assertClose, mean, onceFromDeno } from "../harness/checks.ts";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const RUNNERS = join(ROOT, "tests/runners");
const FIXTURE = join(ROOT, "tests/fixtures/evalite");
const EVALITE = join(RUNNERS, "node_modules/evalite/dist/bin.js");

interface ExportedScore {
  name: string;
  score: number;
  description?: string;
  metadata?: { rationale?: string } | null;
}
interface ExportedResult {
  id: number;
  duration: number;
  input: unknown;
  output: unknown;
  expected?: unknown;
  status: string;
  scores: ExportedScore[];
  traces: { input: unknown; output: unknown; totalTokens?: number; startTime: number }[];
}
interface Exported {
  run: { id: number; runType: string };
  evals: {
    id: number;
    name: string;
    filepath: string;
    status: string;
    results: ExportedResult[];
  }[];
}

const here = onceFromDeno("with a Node child");

test(
  "evalite: a parent run per Evalite run, a child run per eval, a trace per row with input, output, expected, LLM calls and each score as feedback, <scorer>/mean, as Evalite's own export has them",
  { skip: here, timeout: 180_000 },
  async () => {
    ensureRuntimeTools(RUNNERS);
    const uri = await trackingUri();
    const experimentName = uniqueName("evalite");
    const exportPath = join(mkdtempSync(join(tmpdir(), "evalhooks-evalite-")), "results.json");
    const child = spawnSync("node", [EVALITE, "run", "--outputPath", exportPath], {
      cwd: FIXTURE,
      encoding: "utf8",
      timeout: 60_000,
      env: {
        ...process.env,
        MLFLOW_TRACKING_URI: uri,
        MLFLOW_EXPERIMENT_NAME: experimentName,
        EVALHOOKS_EVALITE_ENTRY: bundle("src/integrations/evalite/mod.ts"),
        NO_COLOR: "1",
      },
    });
    const output = `${child.stdout}\n${child.stderr}`;
    assert.equal(child.error, undefined, output);
    const exported: Exported = JSON.parse(readFileSync(exportPath, "utf8"));
    assert.deepEqual(exported.evals.map((e) => e.name).sort(), ["arithmetic", "capitals"]);

    // Evalite exits as soon as it has exported: the last eval's end waited for the server.
    const mlflow = createMlflow({ trackingUri: uri, onError: () => {} });
    const experimentId = (await mlflow.getExperimentByName(experimentName))?.experimentId;
    assert.ok(experimentId, `no experiment ${experimentName}:\n${output}`);
    const runs = await mlflow.searchRuns({ experimentIds: [experimentId] });
    assert.equal(runs.length, 3, output);
    const parent = runs.find((r) => !r.tags["mlflow.parentRunId"])!;
    assert.equal(parent.info.runName, `evalite-${exported.run.id}`);
    assert.equal(parent.info.status, "FINISHED");
    assert.equal(parent.tags["evalite.run_id"], String(exported.run.id));
    assert.equal(parent.tags["evalite.run_type"], exported.run.runType);
    assert.equal(parent.tags["evalite.evals"], "2");
    const traces = await mlflow.searchTraces({ experimentIds: [experimentId] });
    assert.equal(traces.length, exported.evals.reduce((n, e) => n + e.results.length, 0));

    for (const e of exported.evals) {
      const run = runs.find((r) => r.info.runName === e.name)!;
      assert.ok(run, `run of ${e.name}`);
      assert.equal(run.tags["mlflow.parentRunId"], parent.info.runId);
      assert.equal(run.info.status, "FINISHED");
      assert.equal(run.tags["mlflow.runType"], "genai_evaluate");
      assert.equal(run.tags["evalite.eval_id"], String(e.id));
      assert.equal(run.tags["evalite.file"], e.filepath);
      assert.equal(run.tags["evalite.status"], e.status);
      const failed = e.results.filter((r) => r.status === "fail");
      assert.equal(run.tags["evalite.failed"], String(failed.length));
      assert.equal(run.tags["eval.rows"], String(e.results.length));
      assert.equal(run.tags["eval.error_count"], String(failed.length));

      // Metrics: each scorer's mean over the rows it scored; nothing else.
      const expected: Record<string, number> = {};
      for (const name of new Set(e.results.flatMap((r) => r.scores.map((s) => s.name)))) {
        expected[`${name}/mean`] = mean(
          e.results.flatMap((r) => r.scores.filter((s) => s.name === name).map((s) => s.score)),
        );
      }
      assert.deepEqual(Object.keys(run.metrics).sort(), Object.keys(expected).sort());
      for (const [key, value] of Object.entries(expected)) {
        assertClose(run.metrics[key], value, key);
      }

      const own = traces.filter((t) => t.metadata["mlflow.sourceRun"] === run.info.runId);
      assert.equal(own.length, e.results.length);
      for (const r of e.results) {
        const trace = own.find((t) => t.metadata["evalite.result_id"] === String(r.id));
        assert.ok(trace, `trace of result ${r.id}`);
        assert.equal(trace.state, r.status === "fail" ? "ERROR" : "OK");
        assert.ok(Math.abs(trace.executionDurationMs - r.duration) <= 1, `${r.id} duration`);
        const { spans } = await mlflow.getTrace(trace.traceId);
        const root = spans.find((s) => !s.parentSpanId)!;
        assert.deepEqual(root.inputs, r.input);
        if (r.status === "fail") {
          const error = r.output as { message: string };
          assert.equal(root.status?.message, `Error: ${error.message}`);
        } else assert.deepEqual(root.outputs, r.output);
        const expectations = trace.assessments.filter((a) => a.kind === "expectation");
        assert.deepEqual(expectations.map((x) => [x.name, x.value]), [
          ["expected_response", r.expected],
        ]);
        const feedback = trace.assessments.filter((a) => a.kind === "feedback");
        assert.equal(feedback.length, r.scores.length);
        for (const s of r.scores) {
          const fb = feedback.find((a) => a.name === s.name);
          assert.ok(fb, `${s.name} on ${r.id}`);
          assert.equal(fb.value, s.score);
          assert.equal(fb.rationale, s.metadata?.rationale);
          assert.equal(fb.source?.sourceId, s.name);
          assert.equal(fb.metadata["evalite.description"], s.description);
          assert.equal(fb.metadata["mlflow.assessment.sourceRunId"], run.info.runId);
        }
        // Each reported LLM call is an LLM span with its prompt, response and token usage.
        const llm = spans.filter((s) => s.spanType === "LLM");
        assert.equal(llm.length, r.traces.length);
        for (const [i, t] of r.traces.entries()) {
          assert.deepEqual(llm[i].inputs, t.input);
          assert.deepEqual(llm[i].outputs, t.output);
          assert.equal(Number(llm[i].startTimeNs / 1_000_000n), t.startTime);
        }
        if (r.traces.length) {
          const usage = JSON.parse(trace.metadata["mlflow.trace.tokenUsage"] ?? "null");
          assert.equal(usage?.total_tokens, r.traces.reduce((n, t) => n + (t.totalTokens ?? 0), 0));
        }
      }
      const table = JSON.parse(
        new TextDecoder().decode(
          await mlflow.downloadArtifact(run.info.runId, "eval_results.json"),
        ),
      );
      assert.equal(table.data.length, e.results.length);
    }
    await mlflow.close();
  },
);
