// Copyright 2026 the evalhooks authors. MIT license.
// evaluate() against Python's mlflow.genai.evaluate: the same eval run both ways into one
// experiment of the test server, then both runs and their traces read back and compared field by
// field. Only the differences the README lists ("evaluate() and Python's mlflow.genai.evaluate")
// may remain.
import { test } from "node:test";
import assert from "node:assert/strict";
import type { Assessment, TraceInfo } from "../mod.ts";
import { genaiEvalPair } from "./harness/genai_eval_pair.ts";
import { trackingUri, uniqueName } from "./harness/server.ts";

// Names that differ by language or by client, listed in the README.
const OURS_ONLY_TAGS = [
  "eval.error_count",
  "eval.latency_p50_ms",
  "eval.latency_p95_ms",
  "eval.rows",
  "evalhooks.createId",
  "mlflow.loggedArtifacts",
];
const PYTHON_ONLY_TAGS = ["mlflow.user"]; // ours only where $USER (or LOGNAME) is set
const SHA256 = /^sha256:[0-9a-f]{64}$/;

test("evaluate: the same eval through Python's mlflow.genai.evaluate and ours writes the same run, inputs and traces", async () => {
  const uri = await trackingUri();
  const { mlflow, pythonRunId, ours } = await genaiEvalPair(uri, uniqueName("genai-parity"));
  try {
    const py = await mlflow.getRun(pythonRunId);
    const ts = await mlflow.getRun(ours.runId);

    // Metrics: every one of Python's, same values, and no other.
    for (const [key, value] of Object.entries(py.metrics)) {
      assert.ok(key in ts.metrics, `metric ${key} missing`);
      assert.ok(
        Math.abs(ts.metrics[key] - value) < 1e-12,
        `${key}: ${ts.metrics[key]} vs ${value}`,
      );
    }
    assert.deepEqual(Object.keys(ts.metrics).filter((k) => !(k in py.metrics)), []);
    assert.equal(ts.metrics["exact_match/mean"], 2 / 3);

    // Tags: the same keys but for the listed ones; the same run type; the agent's function by
    // name (Python prefixes its module); digests in Python's forms.
    const missing = Object.keys(py.tags).filter((k) => !(k in ts.tags));
    assert.deepEqual(missing.filter((k) => !PYTHON_ONLY_TAGS.includes(k)), []);
    assert.deepEqual(
      Object.keys(ts.tags).filter((k) => !(k in py.tags) && !OURS_ONLY_TAGS.includes(k)),
      [],
    );
    assert.equal(ts.tags["mlflow.runType"], py.tags["mlflow.runType"]);
    assert.equal(ts.tags["mlflow.runType"], "genai_evaluate");
    assert.equal(
      ts.tags["mlflow.genaiEvaluate.agent.function"],
      py.tags["mlflow.genaiEvaluate.agent.function"].split(".").at(-1),
    );
    assert.match(ts.tags["mlflow.genaiEvaluate.agent.digest"], SHA256);
    const digests = [ts, py].map((r) => JSON.parse(r.tags["mlflow.genaiEvaluate.scorersDigest"]));
    assert.deepEqual(Object.keys(digests[0]), Object.keys(digests[1]));
    assert.deepEqual([digests[0].hashed, digests[0].total], [5, 5]);
    assert.deepEqual([digests[1].hashed, digests[1].total], [5, 5]);
    assert.match(digests[0].digest, SHA256);

    // Inputs: one dataset each, equal but for the digest (Python hashes its DataFrame) and the
    // source's tag values (each client's own script and user).
    assert.equal(ts.datasets.length, 1);
    assert.equal(py.datasets.length, 1);
    const [a, b] = [ts.datasets[0], py.datasets[0]];
    assert.equal(a.name, b.name);
    assert.equal(a.sourceType, b.sourceType);
    assert.deepEqual(JSON.parse(a.schema ?? "null"), JSON.parse(b.schema ?? "null"));
    assert.deepEqual(JSON.parse(a.profile ?? "null"), JSON.parse(b.profile ?? "null"));
    assert.deepEqual(a.tags, b.tags);
    const sourceKeys = (s: string) => Object.keys(JSON.parse(s).tags).sort();
    const pySourceKeys = sourceKeys(b.source);
    assert.deepEqual(
      sourceKeys(a.source).filter((k) => !pySourceKeys.includes(k)),
      [],
      "our dataset source names no tag Python's does not",
    );
    assert.ok(sourceKeys(a.source).includes("mlflow.source.name"));

    // Traces: one per row each, matched by request preview.
    const traces = async (runId: string, experimentId: string) =>
      (await mlflow.searchTraces({ experimentIds: [experimentId] })).filter((t) =>
        t.metadata["mlflow.sourceRun"] === runId
      );
    const pyTraces = await traces(pythonRunId, py.info.experimentId);
    const tsTraces = await traces(ours.runId, ts.info.experimentId);
    assert.equal(pyTraces.length, 3);
    assert.equal(tsTraces.length, 3);
    for (const p of pyTraces) {
      const t = tsTraces.find((x) => x.requestPreview === p.requestPreview);
      assert.ok(t, `no trace of ours for ${p.requestPreview}`);
      compareTraces(t, p, ours.runId, pythonRunId);
      const [tSpans, pSpans] = await Promise.all([
        mlflow.getTrace(t.traceId).then((x) => x.spans),
        mlflow.getTrace(p.traceId).then((x) => x.spans),
      ]);
      const root = (spans: typeof tSpans) => spans.find((s) => !s.parentSpanId)!;
      assert.equal(root(tSpans).name, root(pSpans).name);
      assert.equal(root(tSpans).spanType, root(pSpans).spanType);
      assert.deepEqual(root(tSpans).inputs, root(pSpans).inputs);
      assert.deepEqual(root(tSpans).outputs, root(pSpans).outputs);
      for (const a of t.assessments) assert.equal(a.spanId, root(tSpans).spanId, a.name);
    }
  } finally {
    await mlflow.close();
  }
});

function compareTraces(t: TraceInfo, p: TraceInfo, tRun: string, pRun: string): void {
  assert.equal(t.responsePreview, p.responsePreview);
  assert.equal(t.state, p.state);
  for (const key of ["mlflow.traceInputs", "mlflow.traceOutputs"]) {
    assert.equal(t.metadata[key], p.metadata[key], key);
  }
  assert.equal(t.metadata["mlflow.sourceRun"], tRun);
  assert.equal(p.metadata["mlflow.sourceRun"], pRun);
  assert.equal(t.tags["mlflow.traceName"], p.tags["mlflow.traceName"]);
  assert.ok(t.tags["mlflow.eval.requestId"] && p.tags["mlflow.eval.requestId"]);
  const stats = [t, p].map((x) => JSON.parse(x.metadata["mlflow.trace.sizeStats"]));
  assert.deepEqual(Object.keys(stats[0]), Object.keys(stats[1]));
  assert.equal(stats[0].num_spans, stats[1].num_spans);

  const byName = (list: Assessment[]) => new Map(list.map((a) => [a.name, a]));
  const [ta, pa] = [byName(t.assessments), byName(p.assessments)];
  assert.deepEqual([...ta.keys()].sort(), [...pa.keys()].sort());
  for (const [name, pAssessment] of pa) {
    const tAssessment = ta.get(name)!;
    assert.equal(tAssessment.kind, pAssessment.kind, name);
    assert.deepEqual(tAssessment.value, pAssessment.value, name);
    assert.equal(tAssessment.source?.sourceType, pAssessment.source?.sourceType, name);
    // Listed: Python names a scorer's several values' source `default`, a ground truth's the
    // OS user; ours names the scorer, and `evalhooks`.
    if (pAssessment.source?.sourceId !== "default" && pAssessment.kind === "feedback") {
      assert.equal(tAssessment.source?.sourceId, pAssessment.source?.sourceId, name);
    }
    assert.equal(tAssessment.metadata?.["mlflow.assessment.sourceRunId"], tRun, name);
    assert.equal(pAssessment.metadata?.["mlflow.assessment.sourceRunId"], pRun, name);
    if (pAssessment.kind === "feedback") {
      assert.match(tAssessment.metadata?.["mlflow.assessment.scorerDigest"] ?? "", SHA256, name);
    }
    assert.equal(tAssessment.error?.errorCode, pAssessment.error?.errorCode, name);
    assert.equal(tAssessment.error?.errorMessage, pAssessment.error?.errorMessage, name);
    assert.equal(Boolean(tAssessment.error?.stackTrace), Boolean(pAssessment.error?.stackTrace));
  }
}
