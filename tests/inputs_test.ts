// Copyright 2026 the evalhooks authors. MIT license.

// Datasets as run inputs (#22): `run.logInput` over `runs/log-inputs`, read back with MLflow's own
// Python client (`get_run(...).inputs.dataset_inputs`) and with our getRun; the default digest is
// Python's MetaDataset digest; repeats and retried requests add nothing; bad input throws at the
// call; evaluate() and the Inspect hooks log their dataset this way.

import { test } from "node:test";
import assert from "node:assert/strict";
import {
  createMlflow,
  type DatasetInput,
  type EvalLog,
  exactMatch,
  MlflowFlushError,
  mlflowHooks,
  MlflowValidationError,
  replayLog,
  type RunDataset,
} from "../mod.ts";
import { startFaultProxy } from "./harness/fault_proxy.ts";
import { readJsonFixture } from "./harness/fixtures.ts";
import { mlflowPython } from "./harness/mlflow_python.ts";
import { trackingUri, uniqueName } from "./harness/server.ts";

/** Runs `code` in the MLflow venv's Python; returns its last stdout line, parsed as JSON. */
function python(code: string, uri: string): unknown {
  return JSON.parse(mlflowPython(code, { MLFLOW_TRACKING_URI: uri }));
}

interface PyDataset {
  name: string;
  digest: string;
  source_type: string;
  source: string;
  schema: string | null;
  profile: string | null;
  tags: Record<string, string>;
}

/** `MlflowClient().get_run(id).inputs.dataset_inputs` of each run, as Python reads them. */
const PY_READ = `
import json, sys, mlflow
client = mlflow.MlflowClient()
def inputs(run_id):
    return [{
        "name": d.dataset.name, "digest": d.dataset.digest, "source_type": d.dataset.source_type,
        "source": d.dataset.source, "schema": d.dataset.schema, "profile": d.dataset.profile,
        "tags": {t.key: t.value for t in d.tags},
    } for d in client.get_run(run_id).inputs.dataset_inputs]
`;

function pythonInputs(uri: string, runIds: string[]): Record<string, PyDataset[]> {
  return python(
    `${PY_READ}\nprint(json.dumps({r: inputs(r) for r in ${JSON.stringify(runIds)}}))`,
    uri,
  ) as Record<string, PyDataset[]>;
}

/** Our RunDataset as Python's fields, to compare the two readers. */
function asPython(d: RunDataset): PyDataset {
  const tags = { ...d.tags };
  if (d.context !== undefined) tags["mlflow.data.context"] = d.context;
  return {
    name: d.name,
    digest: d.digest,
    source_type: d.sourceType,
    source: d.source,
    schema: d.schema ?? null,
    profile: d.profile ?? null,
    tags,
  };
}

const byName = <T extends { name: string }>(list: T[]) =>
  [...list].sort((a, b) => a.name.localeCompare(b.name));

async function sha256Prefix(text: string): Promise<string> {
  const hash = new Uint8Array(
    await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text)),
  );
  return [...hash].map((b) => b.toString(16).padStart(2, "0")).join("").slice(0, 8);
}

test("logInput: MLflow's Python client reads each dataset back, with the digest and JSON Python itself writes", async () => {
  const uri = await trackingUri();
  const mlflow = createMlflow({ trackingUri: uri, experimentName: uniqueName("inputs") });
  const run = mlflow.startRun({ runName: "datasets" });
  const colspec = [
    { type: "string", name: "question", required: true },
    { type: "string", name: "answer", required: true },
  ];
  const golden: DatasetInput = {
    name: "qa-golden",
    source: "https://example.com/evals/qa-golden.jsonl",
    schema: { mlflow_colspec: colspec },
    profile: { num_rows: 120, languages: ["en", "de"] },
    context: "eval",
    tags: { version: "v3", reviewed: true },
  };
  // Returns the handle at once, before the run exists on the server.
  assert.equal(run.logInput(golden), run);
  run.logInput({ name: "bucket", source: "s3://evals/qa/v3.csv" })
    .logInput({ name: "local file", source: "data/qa.jsonl", context: "training" })
    .logInput({ name: "json text", source: '{"uri": "gs://b/x.parquet"}', profile: '{"n": 1}' })
    .logInput({ name: "explicit", source: { tags: {} }, digest: "v3-2026", sourceType: "code" })
    .logInput({ name: "Größe 𝔘", source: { uri: "/data/größe.csv" } });
  run.logInput(golden); // the same dataset again: nothing new on the server
  run.end();
  await mlflow.flush();
  assert.equal(mlflow.stats().logged.inputs, 7, "every accepted logInput is counted");
  const runId = (await run.info()).runId;

  const read = (await mlflow.getRun(run)).datasets;
  const theirs = python(
    `${PY_READ}
from mlflow.data.meta_dataset import MetaDataset
from mlflow.data.http_dataset_source import HTTPDatasetSource
from mlflow.data.dataset_source_registry import resolve_dataset_source
from mlflow.types import Schema, ColSpec, DataType
schema = Schema([ColSpec(DataType.string, "question"), ColSpec(DataType.string, "answer")])
golden = MetaDataset(HTTPDatasetSource("https://example.com/evals/qa-golden.jsonl"), name="qa-golden", schema=schema)
bucket = MetaDataset(resolve_dataset_source("s3://evals/qa/v3.csv"), name="bucket")
def entity(d):
    e = d._to_mlflow_entity()
    return {"digest": e.digest, "source": e.source, "source_type": e.source_type, "schema": e.schema}
print(json.dumps({"inputs": inputs("${runId}"), "golden": entity(golden), "bucket": entity(bucket)}))`,
    uri,
  ) as { inputs: PyDataset[]; golden: Record<string, string>; bucket: Record<string, string> };

  // Both readers see the same six datasets (the repeat added none).
  assert.equal(theirs.inputs.length, 6);
  assert.deepEqual(byName(read).map(asPython), byName(theirs.inputs));
  const get = (name: string) => theirs.inputs.find((d) => d.name === name)!;

  // What Python's own MetaDataset writes for the same dataset, digest included.
  assert.deepEqual(
    {
      digest: get("qa-golden").digest,
      source: get("qa-golden").source,
      source_type: get("qa-golden").source_type,
      schema: get("qa-golden").schema,
    },
    theirs.golden,
  );
  assert.deepEqual(
    {
      digest: get("bucket").digest,
      source: get("bucket").source,
      source_type: get("bucket").source_type,
      schema: null,
    },
    theirs.bucket,
  );
  assert.equal(get("qa-golden").profile, '{"num_rows": 120, "languages": ["en", "de"]}');
  assert.deepEqual(get("qa-golden").tags, {
    version: "v3",
    reviewed: "True",
    "mlflow.data.context": "eval",
  });
  assert.deepEqual(
    [get("local file").source_type, JSON.parse(get("local file").source)],
    ["local", { uri: "data/qa.jsonl" }],
  );
  assert.equal(get("local file").tags["mlflow.data.context"], "training");
  assert.deepEqual(
    [get("json text").source_type, get("json text").source, get("json text").profile],
    ["gs", '{"uri": "gs://b/x.parquet"}', '{"n": 1}'],
  );
  assert.deepEqual([get("explicit").digest, get("explicit").source_type], ["v3-2026", "code"]);
  assert.deepEqual(JSON.parse(get("Größe 𝔘").source), { uri: "/data/größe.csv" });

  // Our reader: the context apart from the other tags.
  const ours = read.find((d) => d.name === "qa-golden")!;
  assert.equal(ours.context, "eval");
  assert.deepEqual(ours.tags, { version: "v3", reviewed: "True" });
  await mlflow.close();
});

test("logInput: a retried request that had already landed, and a repeat, leave one input; another run shares the dataset", async () => {
  const upstream = await trackingUri();
  // The first log-inputs request reaches the server, which commits it; its answer is lost.
  let dropped = 0;
  const proxy = await startFaultProxy(
    upstream,
    ({ path }) => path.includes("/runs/log-inputs") && dropped++ === 0 ? "reset-after" : undefined,
  );
  try {
    const mlflow = createMlflow({
      trackingUri: proxy.uri,
      experimentName: uniqueName("inputs-retry"),
      retry: { baseDelayMs: 50 },
    });
    const dataset: DatasetInput = { name: "qa", source: "s3://b/qa.csv", context: "eval" };
    const a = mlflow.startRun({ runName: "a" }).logInput(dataset);
    a.logInput(dataset);
    const b = mlflow.startRun({ runName: "b" }).logInput(dataset);
    a.end();
    b.end();
    await mlflow.flush();
    assert.equal(proxy.injected["reset-after"], 1);
    assert.ok(dropped >= 4, `log-inputs requests: ${dropped}`); // 3 calls + the retry
    const [ra, rb] = [await mlflow.getRun(a), await mlflow.getRun(b)];
    assert.equal(ra.datasets.length, 1);
    assert.equal(rb.datasets.length, 1);
    assert.equal(ra.datasets[0].digest, rb.datasets[0].digest);
    const py = pythonInputs(upstream, [ra.info.runId, rb.info.runId]);
    assert.equal(py[ra.info.runId].length, 1);
    assert.equal(py[rb.info.runId].length, 1);
    assert.deepEqual(py[ra.info.runId][0].tags, { "mlflow.data.context": "eval" });
    await mlflow.close();
  } finally {
    await proxy.close();
  }
});

test("logInput: many runs logging one new dataset at once all get it (the server's insert race is retried)", async () => {
  // MLflow 3.18 looks the dataset up, then inserts it: two runs of one experiment logging the
  // same new dataset at the same moment make the slower insert fail with a 400 UNIQUE-constraint
  // error. Parallel Inspect tasks over one dataset do exactly this.
  const uri = await trackingUri();
  const mlflow = createMlflow({ trackingUri: uri, experimentName: uniqueName("inputs-race") });
  const dataset: DatasetInput = { name: "shared", source: "s3://b/shared.csv", context: "eval" };
  const runs = Array.from({ length: 24 }, (_, i) => mlflow.startRun({ runName: `r${i}` }));
  await Promise.all(runs.map((run) => run.info())); // all created: the inputs go out together
  for (const run of runs) run.logInput(dataset).end();
  await mlflow.flush();
  for (const run of runs) assert.equal((await mlflow.getRun(run)).datasets.length, 1);
  await mlflow.close();
});

test("logInput: bad input throws MlflowValidationError naming the field and the rule; the valid writes around it land", async () => {
  const uri = await trackingUri();
  const mlflow = createMlflow({ trackingUri: uri, experimentName: uniqueName("inputs-bad") });
  const run = mlflow.startRun({ runName: "bad" });
  run.logParam("before", 1);
  const cyclic: Record<string, unknown> = {};
  cyclic.self = cyclic;
  const ok = { name: "ok", source: "s3://b/k" };
  const cases: [unknown, string, string][] = [
    [undefined, "dataset", "value_type"],
    [{ source: "s3://b/k" }, "name", "value_type"],
    [{ ...ok, name: "" }, "name", "value_type"],
    [{ ...ok, name: "x".repeat(501) }, "name", "value_length"],
    [{ ...ok, name: "bad \ud800" }, "name", "well_formed"],
    [{ name: "no source" }, "source", "required"],
    [{ ...ok, source: 42 }, "source", "value_type"],
    [{ ...ok, source: ["a"] }, "source", "value_type"],
    [{ ...ok, source: { data: cyclic } }, "source", "json"],
    [{ ...ok, source: { uri: "y".repeat(70_000) } }, "source", "value_length"],
    [{ ...ok, digest: "d".repeat(37) }, "digest", "value_length"],
    [{ ...ok, sourceType: "t".repeat(37) }, "sourceType", "value_length"],
    [{ ...ok, schema: 3 }, "schema", "value_type"],
    [{ ...ok, profile: { n: 1n } }, "profile", "json"],
    [{ ...ok, context: "c".repeat(501) }, "context", "value_length"],
    [{ ...ok, tags: { note: "v".repeat(501) } }, "tags.note", "value_length"],
    [{ ...ok, tags: { note: { nested: true } } }, "tags.note", "value_type"],
  ];
  for (const [input, key, rule] of cases) {
    assert.throws(
      () => run.logInput(input as DatasetInput),
      (e: unknown) => {
        assert.ok(e instanceof MlflowValidationError, String(e));
        assert.deepEqual([e.key, e.rule], [key, rule], e.message);
        assert.match(e.message, /^logInput: /);
        return true;
      },
    );
  }
  run.logInput(ok).logParam("after", 2);
  run.end();
  await mlflow.flush(); // nothing bad was sent, so nothing failed
  const data = await mlflow.getRun(run);
  assert.deepEqual(data.params, { before: "1", after: "2" });
  assert.deepEqual(data.datasets.map((d) => d.name), ["ok"]);
  await mlflow.close();
});

test("logInput: a refusal by the server, or a run that was never created, is reported by flush(), never thrown", async () => {
  const uri = await trackingUri();
  const errors: unknown[] = [];
  const mlflow = createMlflow({
    trackingUri: uri,
    experimentName: uniqueName("inputs-refused"),
    onError: (e) => errors.push(e),
  });
  // The server refuses inputs on a deleted run (INVALID_PARAMETER_VALUE).
  const run = mlflow.startRun({ runName: "deleted" }).logParam("kept", 1);
  const { runId } = await run.info();
  await mlflow.flush();
  const deleted = await fetch(`${uri}/api/2.0/mlflow/runs/delete`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ run_id: runId }),
  });
  assert.equal(deleted.status, 200, await deleted.text());
  run.logInput({ name: "refused", source: "s3://b/k" });
  await assert.rejects(mlflow.flush(), (e: unknown) => {
    assert.ok(e instanceof MlflowFlushError);
    assert.equal(e.errors.length, 1);
    assert.deepEqual(
      [e.errors[0].key, e.errors[0].runId, e.errors[0].status, e.errors[0].errorCode],
      ["refused", runId, 400, "INVALID_PARAMETER_VALUE"],
    );
    assert.match(e.errors[0].endpoint, /runs\/log-inputs$/);
    return true;
  });

  // A run whose experiment does not exist is never created: its dataset is reported, not lost.
  const orphan = mlflow.startRun({ experimentId: "987654321", runName: "orphan" });
  orphan.logInput({ name: "orphaned", source: "s3://b/k" });
  await assert.rejects(mlflow.flush(), (e: unknown) => {
    assert.ok(e instanceof MlflowFlushError);
    assert.ok(
      e.errors.some((x) => x.errorCode === "RUN_NOT_CREATED" && x.key === "orphaned"),
      e.message,
    );
    assert.ok(e.dropped >= 1);
    return true;
  });
  assert.ok(errors.length >= 3);
  await mlflow.close().catch(() => {});
});

test("evaluate: the rows are logged as the run's dataset input (digest of the rows, schema, counts, no context, as Python's)", async () => {
  const uri = await trackingUri();
  const mlflow = createMlflow({
    trackingUri: uri,
    experimentName: uniqueName("inputs-evaluate"),
    onError: () => {},
  });
  const data = [
    { inputs: { country: "France" }, outputs: "Paris", expectations: "Paris" },
    { inputs: { country: "Japan" }, outputs: "Tokyo", expectations: "Tokyo" },
    { inputs: { country: "Peru" }, outputs: "Lima", expectations: "Lima" },
  ];
  const scorers = [exactMatch()];
  const first = await mlflow.evaluate({ data, scorers });
  const again = await mlflow.evaluate({ data: data.map((r) => ({ ...r })), scorers });
  const changed = await mlflow.evaluate({
    data: [...data.slice(0, 2), { ...data[2], expectations: "Cusco" }],
    scorers,
    dataset: { name: "capitals", source: "https://example.com/capitals.jsonl" },
  });
  const none = await mlflow.evaluate({ data, scorers, dataset: false });
  // A bad dataset option throws before any row runs, and no run is started.
  await assert.rejects(
    mlflow.evaluate({ data, scorers, dataset: { name: "" } }),
    (e: unknown) => e instanceof MlflowValidationError && e.key === "name",
  );

  const [d1] = (await mlflow.getRun(first.runId)).datasets;
  const [d2] = (await mlflow.getRun(again.runId)).datasets;
  const [d3] = (await mlflow.getRun(changed.runId)).datasets;
  assert.deepEqual((await mlflow.getRun(none.runId)).datasets, []);
  assert.equal(d1.name, "dataset");
  // As mlflow.genai.evaluate logs it: no context tag, the colspec schema, rows and elements.
  assert.equal(d1.context, undefined);
  assert.deepEqual(JSON.parse(d1.profile!), { num_rows: 3, num_elements: 9 });
  assert.deepEqual(JSON.parse(d1.schema!).mlflow_colspec.map((c: { name: string }) => c.name), [
    "inputs",
    "outputs",
    "expectations",
  ]);
  assert.equal(d1.sourceType, "code");
  assert.equal(d1.digest, d2.digest, "the same rows are the same dataset");
  assert.equal(d3.name, "capitals");
  assert.equal(d3.sourceType, "http");
  assert.notEqual(d3.digest, d1.digest, "a changed row is another dataset");

  const py = pythonInputs(uri, [first.runId, changed.runId]);
  assert.deepEqual(py[first.runId].map((d) => [d.name, d.digest, d.profile]), [
    ["dataset", d1.digest, '{"num_rows": 3, "num_elements": 9}'],
  ]);
  assert.deepEqual(JSON.parse(py[changed.runId][0].source), {
    url: "https://example.com/capitals.jsonl",
  });
  await mlflow.close();
});

test("hooks: the task run lists Inspect's dataset as its input (name, location, sample count, digest of the sample ids), params kept", async () => {
  const uri = await trackingUri();
  const experimentName = uniqueName("inputs-hooks");
  const plain = readJsonFixture("large.json");
  // The same log with a named dataset read from a URL, as a file-based Inspect task has.
  const named = structuredClone(plain) as EvalLog;
  named.eval.eval_id = `${plain.eval.eval_id}-named`;
  named.eval.run_id = `${plain.eval.run_id}-named`;
  named.eval.dataset = {
    ...named.eval.dataset,
    name: "security_guide",
    location: "https://example.com/security_guide.jsonl",
    sample_ids: [...(plain.eval.dataset!.sample_ids as string[])].reverse(), // shuffled
  };
  const hooks = mlflowHooks({ trackingUri: uri, experimentName, env: {}, tracing: false });
  await replayLog(plain, hooks);
  await replayLog(named, hooks);
  await hooks.flush();
  const reader = createMlflow({ trackingUri: uri });
  const experiment = await reader.getExperimentByName(experimentName);
  const runs = await reader.searchRuns({ experimentIds: [experiment!.experimentId] });
  const taskOf = (evalId: string) => runs.find((r) => r.tags["inspect.eval_id"] === evalId)!;
  const plainRun = taskOf(plain.eval.eval_id);
  const namedRun = taskOf(named.eval.eval_id);
  // The parent runs have no dataset; each task run has its own.
  for (const r of runs.filter((r) => !r.tags["inspect.eval_id"])) {
    assert.deepEqual(r.datasets, []);
  }

  const ids = plain.eval.dataset!.sample_ids as string[];
  const idsDigest = await sha256Prefix(JSON.stringify([...ids].sort()));
  const samples = plain.eval.dataset!.samples;
  assert.equal(plainRun.datasets.length, 1);
  const [p] = plainRun.datasets;
  assert.deepEqual(
    [p.name, p.digest, p.sourceType, p.context, JSON.parse(p.profile!)],
    [plain.eval.task, idsDigest, "code", "eval", { num_rows: samples, shuffled: false }],
  );
  assert.deepEqual(JSON.parse(p.source), { tags: { "inspect.task": plain.eval.task } });
  const [n] = namedRun.datasets;
  assert.deepEqual(
    [n.name, n.digest, n.sourceType, JSON.parse(n.source)],
    ["security_guide", idsDigest, "http", { url: "https://example.com/security_guide.jsonl" }],
  );
  // Today's params are still there.
  assert.equal(plainRun.params["dataset.samples"], String(samples));
  assert.equal(namedRun.params["dataset.name"], "security_guide");

  const py = pythonInputs(uri, [plainRun.info.runId, namedRun.info.runId]);
  assert.deepEqual(py[plainRun.info.runId].map(({ name, digest }) => [name, digest]), [
    [plain.eval.task, idsDigest],
  ]);
  assert.deepEqual(py[namedRun.info.runId][0].tags, { "mlflow.data.context": "eval" });
  await reader.close();
});
