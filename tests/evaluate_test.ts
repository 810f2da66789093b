// Copyright 2026 the evalhooks authors. MIT license.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import {
  createMlflow,
  exactMatch,
  includes,
  jsonValid,
  latencyUnder,
  type Mlflow,
  MlflowValidationError,
  regexMatch,
  scorer,
} from "../mod.ts";
import { parseCsv } from "./harness/csv.ts";
import { ensureMlflowVenv } from "../src/local_server/mlflow_server.ts";
import { trackingUri, uniqueName } from "./harness/server.ts";

async function client(): Promise<Mlflow> {
  return createMlflow({
    trackingUri: await trackingUri(),
    experimentName: uniqueName("evaluate"),
    onError: () => {},
  });
}

test("evaluate: 50 rows, 3 scorers, concurrency 8, one failing row: metrics, traces, assessments, table", async () => {
  const mlflow = await client();
  const data = Array.from(
    { length: 50 },
    (_, i) => ({
      inputs: { a: i, b: i % 7 },
      expectations: { expected_response: String(i + (i % 7)) },
    }),
  );
  let inFlight = 0;
  let maxInFlight = 0;
  const result = await mlflow.evaluate({
    data,
    concurrency: 8,
    predict: async (inputs, { span }) => {
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      const { a, b } = inputs as { a: number; b: number };
      await new Promise((r) => setTimeout(r, 5 + (a % 5)));
      const child = span.startSpan({ name: "add", spanType: "TOOL", inputs: { a, b } });
      child.end({ outputs: a + b });
      inFlight--;
      if (a === 13) throw new Error("model timeout on row 13");
      return String(a % 10 === 0 ? a + b + 1 : a + b); // every 10th answer is wrong
    },
    scorers: [
      exactMatch(),
      scorer(
        "closeness",
        ({ outputs, expectations }) =>
          1 /
          (1 +
            Math.abs(
              Number(outputs) -
                Number((expectations as { expected_response: string }).expected_response),
            )),
      ),
      scorer(
        "parity",
        ({ outputs }) => ({
          value: Number(outputs) % 2 === 0 ? "even" : "odd",
          rationale: "by the last digit",
        }),
      ),
    ],
  });
  assert.ok(maxInFlight > 1 && maxInFlight <= 8, `concurrency ${maxInFlight}`);
  assert.equal(result.rows.length, 50);
  assert.match(result.rows[13].error ?? "", /model timeout/);
  assert.equal(result.rows.filter((r) => r.error).length, 1);

  // Means computed here, independently, from the rows' own outputs.
  const ok = data.map((d, i) => ({ d, i })).filter(({ i }) => i !== 13);
  const expected = (i: number) => i + (i % 7);
  const answer = (i: number) => (i % 10 === 0 ? expected(i) + 1 : expected(i));
  const passRate = ok.filter(({ i }) => answer(i) === expected(i)).length / ok.length;
  const closeness = ok.reduce((n, { i }) => n + 1 / (1 + Math.abs(answer(i) - expected(i))), 0) /
    ok.length;
  assert.ok(Math.abs(result.metrics["exact_match/pass_rate"] - passRate) < 1e-12);
  assert.ok(Math.abs(result.metrics["closeness/mean"] - closeness) < 1e-12);
  assert.equal(result.metrics.error_count, 1);
  assert.equal(result.metrics.rows, 50);

  const data2 = await mlflow.getRun(result.runId);
  assert.equal(data2.info.status, "FINISHED");
  // Logged as MLflow's Evaluation runs view reads a scorer: `<scorer>/mean`, the pass rate for
  // pass/fail scores; no `pass_rate` and no per-row series the view would take for the score.
  assert.ok(Math.abs(data2.metrics["exact_match/mean"] - passRate) < 1e-12);
  assert.equal(result.metrics["exact_match/mean"], result.metrics["exact_match/pass_rate"]);
  assert.ok(Math.abs(data2.metrics["closeness/mean"] - closeness) < 1e-12);
  // Only scores are run metrics: the view charts any metric within [0, 1] as an assessment.
  assert.deepEqual(Object.keys(data2.metrics).sort(), ["closeness/mean", "exact_match/mean"]);
  assert.equal(data2.tags["eval.rows"], "50");
  assert.equal(data2.tags["eval.error_count"], "1");
  assert.equal(Number(data2.tags["eval.latency_p50_ms"]), result.metrics["latency/p50_ms"]);
  assert.equal(Number(data2.tags["eval.latency_p95_ms"]), result.metrics["latency/p95_ms"]);
  assert.equal(data2.tags["mlflow.runType"], "genai_evaluate");
  assert.equal(data2.tags["mlflow.genaiEvaluate.agent.function"], "predict");
  const table = JSON.parse(
    new TextDecoder().decode(await mlflow.downloadArtifact(result.runId, "eval_results.json")),
  );
  assert.equal(table.data.length, 50);
  assert.ok(table.columns.includes("parity") && table.columns.includes("error"));
  const failedRow = table.data.find((row: unknown[]) => row[0] === 13);
  assert.match(String(failedRow[table.columns.indexOf("error")]), /model timeout/);

  await mlflow.flush(); // traces and feedback
  const traces = await mlflow.searchTraces({ experimentIds: [data2.info.experimentId] });
  assert.equal(traces.length, 50);
  for (const t of traces) {
    const feedback = t.assessments.filter((a) => a.kind === "feedback");
    const row = Number(t.metadata["eval.row"]);
    assert.equal(feedback.length, row === 13 ? 0 : 3, `row ${row}`);
    assert.ok(
      t.assessments.some((a) => a.kind === "expectation" && a.name === "expected_response"),
    );
    assert.equal(t.state, row === 13 ? "ERROR" : "OK");
  }
  const { spans } = await mlflow.getTrace(result.rows[5].traceId);
  // The root span is the predict call, named after it, as Python's traces are.
  assert.deepEqual(spans.map((s) => s.name).sort(), ["add", "predict"]);
  assert.equal(
    spans.find((s) => s.name === "add")?.parentSpanId,
    spans.find((s) => s.name === "predict")?.spanId,
  );
});

test("evaluate: rowMetrics logs each row's scores and latency as row/<scorer> series", async () => {
  const mlflow = await client();
  const result = await mlflow.evaluate({
    data: [1, 2, 3].map((n) => ({
      inputs: n,
      outputs: String(n),
      expectations: n === 2 ? "x" : String(n),
    })),
    scorers: [exactMatch()],
    rowMetrics: true,
  });
  const history = await mlflow.getMetricHistory(result.runId, "row/exact_match");
  assert.deepEqual(history.map((m) => [m.step, m.value]).sort(), [[0, 1], [1, 0], [2, 1]]);
  assert.equal((await mlflow.getMetricHistory(result.runId, "row/latency_ms")).length, 3);
  assert.equal((await mlflow.getMetricHistory(result.runId, "exact_match")).length, 0);
});

test("evaluate: precomputed outputs need no predict; built-in code scorers", async () => {
  const mlflow = await client();
  const result = await mlflow.evaluate({
    data: (async function* () {
      yield { inputs: "q1", outputs: '{"answer": 4}', expectations: "4" };
      yield { inputs: "q2", outputs: "not json, but 42", expectations: "42" };
    })(),
    scorers: [
      exactMatch(),
      includes(),
      jsonValid(),
      regexMatch(/\d+/, "has_number"),
      latencyUnder(60_000),
    ],
  });
  const scores = result.rows.map((r) =>
    Object.fromEntries(Object.entries(r.scores).map(([k, v]) => [k, v.value]))
  );
  assert.deepEqual(scores[0], {
    exact_match: false,
    includes: true,
    json_valid: true,
    has_number: true,
    latency_under_60000ms: true,
  });
  assert.deepEqual(scores[1], {
    exact_match: false,
    includes: true,
    json_valid: false,
    has_number: true,
    latency_under_60000ms: true,
  });
  assert.equal(result.metrics["includes/pass_rate"], 1);
  assert.equal(result.metrics["json_valid/pass_rate"], 0.5);
  assert.throws(() => scorer("bad.name", () => 1), MlflowValidationError);
  assert.throws(() => scorer("bad#name", () => 1), MlflowValidationError);
});

test("evaluate: logPredictions writes a CSV that parses back to the same rows", async () => {
  const mlflow = await client();
  const run = mlflow.startRun({ runName: "predictions" });
  const inputs = ["plain", 'with "quotes"', "with, commas", "multi\nline\r\ntext", {
    structured: [1, 2],
  }];
  const outputs = ["a", "b", "c", "d", "e"];
  const prompts = ["p1", "p2", "p3", "p4", "p5"];
  run.logPredictions({ inputs, outputs, prompts });
  assert.throws(() => run.logPredictions({ inputs: ["x"], outputs: [] }), MlflowValidationError);
  run.end();
  await mlflow.flush();
  const csv = new TextDecoder().decode(await mlflow.downloadArtifact(run, "llm_predictions.csv"));
  const rows = parseCsv(csv);
  assert.deepEqual(rows[0], ["inputs", "outputs", "prompts"]);
  assert.deepEqual(rows.slice(1).map((r) => r[0]), [
    ...inputs.slice(0, 4),
    JSON.stringify(inputs[4]),
  ]);
  assert.deepEqual(rows.slice(1).map((r) => r[1]), outputs);
  // Python's csv module reads it the same way.
  const py = spawnSync(join(ensureMlflowVenv(), "python"), [
    "-c",
    "import csv,sys,json; print(json.dumps(list(csv.reader(sys.stdin, strict=True))))",
  ], { input: csv, encoding: "utf8" });
  assert.equal(py.status, 0, py.stderr);
  assert.deepEqual(JSON.parse(py.stdout), rows);
});

test("evaluate: prompts registered here load in Python's mlflow.genai.load_prompt, and the reverse", async () => {
  const uri = await trackingUri();
  const mlflow = await client();
  const name = uniqueName("prompt");
  const v1 = await mlflow.registerPrompt({
    name,
    template: "Answer {{question}} in {{ style }}.",
    commitMessage: "first",
    tags: { team: "qa" },
  });
  assert.equal(v1.version, 1);
  assert.deepEqual(v1.variables, ["question", "style"]);
  assert.equal(v1.format({ question: "2+2", style: "one word" }), "Answer 2+2 in one word.");
  assert.throws(() => v1.format({ question: "2+2" }), /no value for 'style'/);
  const v2 = await mlflow.registerPrompt({
    name,
    template: "Reply to {{question}}.",
    commitMessage: "shorter",
  });
  assert.equal(v2.version, 2);
  assert.equal((await mlflow.loadPrompt(`prompts:/${name}/1`)).template, v1.template);
  assert.equal((await mlflow.loadPrompt(`prompts:/${name}`)).version, 2);
  assert.equal((await mlflow.loadPrompt({ name, version: 1 })).commitMessage, "first");

  const python = join(ensureMlflowVenv(), "python");
  const run = (code: string) => {
    const out = spawnSync(python, [
      "-c",
      `import json, mlflow\nmlflow.set_tracking_uri(${JSON.stringify(uri)})\n${code}`,
    ], { encoding: "utf8", env: { ...process.env, MLFLOW_TRACKING_URI: "" } });
    assert.equal(out.status, 0, out.stderr.slice(-2000));
    return JSON.parse(out.stdout.trim().split("\n").at(-1)!);
  };
  const fromPython = run(
    `p = mlflow.genai.load_prompt("prompts:/${name}/1")\nprint(json.dumps({"template": p.template, "text": p.format(question="2+2", style="one word")}))`,
  );
  assert.deepEqual(fromPython, { template: v1.template, text: "Answer 2+2 in one word." });
  const pyName = uniqueName("py-prompt");
  run(
    `p = mlflow.genai.register_prompt(name=${
      JSON.stringify(pyName)
    }, template="Summarise {{text}}.", commit_message="from python")\nprint(json.dumps(p.version))`,
  );
  const loaded = await mlflow.loadPrompt(`prompts:/${pyName}/1`);
  assert.equal(loaded.template, "Summarise {{text}}.");
  assert.equal(loaded.format({ text: "this" }), "Summarise this.");
});
