// Copyright 2026 the evalhooks authors. MIT license.

// mlflowReporter() with the real runner: Vitest 4 runs tests/fixtures/vitest_evals/ (a
// vitest-evals harness suite and a scorer-first `vitest-evals/legacy` suite, canned outputs, no
// network) with Vitest's JSON reporter beside ours, against the real server. Every run, metric,
// trace, expectation and feedback read back is checked against that JSON report, Vitest's own
// record of the same cases. The reporter is the `./vitest` entry bundled for the browser, as a
// package user gets it. vitest and vitest-evals are installed in tests/runners/ on first use.

import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { createMlflow } from "../../src/evaluate/mod.ts";
import { percentile } from "../../src/base/stats.ts";
import { bundle } from "../harness/bundle.ts";
import { trackingUri, uniqueName } from "../harness/server.ts";
import { ensureRuntimeTools } from "../harness/test_tools.ts";
import { assertClose, mean, onceFromDeno } from "../harness/checks.ts";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const RUNNERS = join(ROOT, "tests/runners");
const FIXTURE = join(ROOT, "tests/fixtures/vitest_evals");
const VITEST = join(RUNNERS, "node_modules/vitest/vitest.mjs");

interface Score {
  name: string;
  score: number | null;
  metadata?: Record<string, unknown>;
}
interface Assertion {
  ancestorTitles: string[];
  title: string;
  fullName: string;
  status: string;
  duration: number;
  failureMessages: string[];
  meta: {
    expected?: unknown;
    eval?: { scores: Score[]; avgScore: number; output: unknown; thresholdFailed: boolean };
    harness?: { name: string; run: { session: { events: { role?: string; content: unknown }[] } } };
  };
}
interface Report {
  success: boolean;
  numPassedTests: number;
  numFailedTests: number;
  testResults: { name: string; assertionResults: Assertion[] }[];
}

const here = onceFromDeno("with a Node child");

test(
  "vitest-evals: a run per describeEval, a trace per case with input, output, expected and each score as feedback, <scorer>/mean and the pass rate, as Vitest's JSON report has them",
  { skip: here, timeout: 180_000 },
  async () => {
    ensureRuntimeTools(RUNNERS);
    const uri = await trackingUri();
    const experimentName = uniqueName("vitest-evals");
    const jsonOut = join(mkdtempSync(join(tmpdir(), "evalhooks-vitest-")), "vitest.json");
    const started = Date.now();
    const child = spawnSync("node", [VITEST, "run", "--config", "vitest.config.mts"], {
      cwd: FIXTURE,
      encoding: "utf8",
      timeout: 60_000,
      env: {
        ...process.env,
        MLFLOW_TRACKING_URI: uri,
        MLFLOW_EXPERIMENT_NAME: experimentName,
        VITEST_JSON_OUTPUT: jsonOut,
        EVALHOOKS_VITEST_ENTRY: bundle("src/integrations/vitest/mod.ts"),
        NO_COLOR: "1",
      },
    });
    const output = `${child.stdout}\n${child.stderr}`;
    // Three cases fail their threshold on purpose: Vitest exits 1, and says so in its report.
    assert.equal(child.status, 1, output);
    const finished = Date.now();
    const report: Report = JSON.parse(readFileSync(jsonOut, "utf8"));
    assert.equal(report.numPassedTests, 4, output);
    assert.equal(report.numFailedTests, 3, output);

    // The reporter's run end flushed: everything is there as soon as Vitest has exited.
    const mlflow = createMlflow({ trackingUri: uri, onError: () => {} });
    const experimentId = (await mlflow.getExperimentByName(experimentName))?.experimentId;
    assert.ok(experimentId, `no experiment ${experimentName}:\n${output}`);
    const runs = await mlflow.searchRuns({ experimentIds: [experimentId] });
    const suites = report.testResults.map((f) => ({
      file: f.name.split("/").pop()!,
      name: f.assertionResults[0].ancestorTitles.join(" > "),
      cases: f.assertionResults,
    }));
    assert.deepEqual(
      runs.map((r) => r.info.runName).sort(),
      suites.map((s) => s.name).sort(),
    );
    const traces = await mlflow.searchTraces({ experimentIds: [experimentId] });
    assert.equal(traces.length, 7);
    const invocations = new Set(runs.map((r) => r.tags["vitest.invocation"]));
    assert.equal(invocations.size, 1, "one invocation id for the runs of one `vitest run`");

    for (const suite of suites) {
      const run = runs.find((r) => r.info.runName === suite.name)!;
      const cases = suite.cases;
      assert.equal(run.info.status, "FINISHED");
      assert.equal(run.tags["mlflow.runType"], "genai_evaluate");
      assert.equal(run.tags["vitest.file"], suite.file);
      assert.equal(run.tags["vitest.suite"], suite.name);
      assert.equal(run.tags["eval.rows"], String(cases.length));
      assert.equal(run.tags["eval.error_count"], "0");
      const passed = cases.filter((c) => c.status === "passed").length;
      assert.equal(run.tags["vitest.passed"], String(passed));
      assert.equal(run.tags["vitest.failed"], String(cases.length - passed));
      assert.ok(run.info.startTime >= started - 1000 && run.info.endTime! <= finished + 1000);
      const durations = cases.map((c) => c.duration).sort((a, b) => a - b);
      // Durations are kept to the microsecond (span times are).
      const p50 = Number(run.tags["eval.latency_p50_ms"]);
      assert.ok(Math.abs(p50 - percentile(durations, 0.5)) < 0.002, `p50 ${p50}`);
      assert.ok(Number(run.tags["vitest.duration_ms"]) >= 0);

      // Metrics: each scorer's mean over the cases it scored (null is no score), the pass rate,
      // and the mean of vitest-evals' per-case averages; nothing else.
      const names = [...new Set(cases.flatMap((c) => c.meta.eval!.scores.map((s) => s.name)))];
      const expected: Record<string, number> = {
        "success/mean": passed / cases.length,
        "score/mean": mean(cases.map((c) => c.meta.eval!.avgScore)),
      };
      for (const name of names) {
        const values = cases.flatMap((c) =>
          c.meta.eval!.scores.filter((s) => s.name === name && s.score !== null).map((s) =>
            s.score!
          )
        );
        expected[`${name}/mean`] = mean(values);
      }
      assert.deepEqual(Object.keys(run.metrics).sort(), Object.keys(expected).sort());
      for (const [key, value] of Object.entries(expected)) {
        assertClose(run.metrics[key], value, key);
      }

      // A trace per case: the input, the output, the expected value, each score and the verdict.
      const own = traces.filter((t) => t.metadata["mlflow.sourceRun"] === run.info.runId);
      assert.equal(own.length, cases.length);
      for (const c of cases) {
        // Vitest's own full name; the JSON report joins the titles with spaces instead.
        const fullName = [...c.ancestorTitles, c.title].join(" > ");
        const trace = own.find((t) => t.metadata["vitest.full_name"] === fullName);
        assert.ok(trace, `trace of ${c.fullName}`);
        assert.equal(trace.state, "OK");
        assert.equal(trace.metadata["vitest.file"], suite.file);
        assert.ok(Math.abs(trace.executionDurationMs - c.duration) <= 1, `${c.title} duration`);
        const { spans } = await mlflow.getTrace(trace.traceId);
        const root = spans.find((s) => !s.parentSpanId)!;
        assert.equal(root.name, c.title);
        const userMessage = c.meta.harness?.run.session.events.find((e) => e.role === "user");
        // The harness's user message is the input; a legacy case's test name is its input.
        assert.deepEqual(root.inputs, userMessage ? userMessage.content : c.title);
        assert.deepEqual(root.outputs, c.meta.eval!.output);

        const expectations = trace.assessments.filter((a) => a.kind === "expectation");
        if (c.meta.expected === undefined) assert.equal(expectations.length, 0);
        else {
          assert.deepEqual(
            expectations.map((e) => [e.name, e.value]),
            [["expected_response", c.meta.expected]],
          );
        }
        const feedback = trace.assessments.filter((a) => a.kind === "feedback");
        assert.equal(feedback.length, c.meta.eval!.scores.length + 2, c.fullName);
        for (const s of c.meta.eval!.scores) {
          const fb = feedback.find((a) => a.name === s.name);
          assert.ok(fb, `${s.name} on ${c.fullName}`);
          assert.equal(fb.value ?? null, s.score);
          assert.equal(fb.rationale, s.metadata?.rationale);
          assert.equal(fb.source?.sourceType, "CODE");
          assert.equal(fb.source?.sourceId, s.name);
          assert.equal(fb.metadata["mlflow.assessment.sourceRunId"], run.info.runId);
          if (s.metadata?.shared !== undefined) {
            assert.equal(fb.metadata["vitest_evals.shared"], String(s.metadata.shared));
          }
        }
        const success = feedback.find((a) => a.name === "success");
        assert.equal(success?.value, c.status === "passed");
        assert.equal(
          success?.metadata["vitest.threshold_failed"],
          String(c.meta.eval!.thresholdFailed),
        );
        if (c.status !== "passed") {
          // Vitest's message of the failure (the JSON report adds the stack).
          const first = success?.rationale?.split("\n")[0] ?? "";
          assert.ok(first && c.failureMessages[0].includes(first), `${first} in the report`);
        } else assert.equal(success?.rationale, undefined);
        assertClose(
          feedback.find((a) => a.name === "score")?.value as number,
          c.meta.eval!.avgScore,
          "score",
        );

        // The harness's run span is a child span; its token usage is the trace's.
        if (c.meta.harness) {
          assert.equal(trace.metadata["vitest_evals.harness"], c.meta.harness.name);
          assert.ok(spans.some((s) => s.parentSpanId === root.spanId), `child span of ${c.title}`);
          assert.deepEqual(JSON.parse(trace.metadata["mlflow.trace.tokenUsage"] ?? "null"), {
            input_tokens: 12,
            output_tokens: 3,
            total_tokens: 15,
          });
        }
      }
      const table = JSON.parse(
        new TextDecoder().decode(
          await mlflow.downloadArtifact(run.info.runId, "eval_results.json"),
        ),
      );
      assert.equal(table.data.length, cases.length);
    }
    await mlflow.close();
  },
);
