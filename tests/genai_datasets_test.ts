// Copyright 2026 the evalhooks authors. MIT license.

// MLflow 3 evaluation datasets (#23): create, get (by id and by name), search (pages followed),
// merge records (deduplicated by inputs, so a re-merge adds nothing), read records, tags and
// delete, against the real server; a dataset made here loads in Python's `mlflow.genai.datasets`
// and one made there loads here; `evaluate({ data: dataset })` links its run to the dataset as
// `mlflow.genai.evaluate(data=dataset)` does; a retried create or merge makes nothing twice;
// bad input throws at the call.

import { test } from "node:test";
import assert from "node:assert/strict";
import { createMlflow, exactMatch, MlflowError, MlflowValidationError } from "../mod.ts";
import { startFaultProxy } from "./harness/fault_proxy.ts";
import { mlflowPython } from "./harness/mlflow_python.ts";
import { trackingUri, uniqueName } from "./harness/server.ts";

const quiet = { exitFlushMs: 0 as const, onError: () => {} };

function python(code: string, uri: string): unknown {
  return JSON.parse(mlflowPython(code, { MLFLOW_TRACKING_URI: uri }));
}

test("datasets: create, merge (idempotent), records, tags, get, search and delete", async () => {
  const uri = await trackingUri();
  const experimentName = uniqueName("genai-ds");
  const mlflow = createMlflow({ trackingUri: uri, experimentName, ...quiet });
  const experimentId = await mlflow.getOrCreateExperiment(experimentName);
  const name = uniqueName("qa-golden");

  const dataset = await mlflow.createDataset({ name, tags: { team: "qa", version: 2 } });
  assert.match(dataset.datasetId, /^d-[0-9a-f]{32}$/);
  assert.equal(dataset.name, name);
  // The client's experiment by default, as Python uses the active one.
  assert.deepEqual(dataset.experimentIds, [experimentId]);
  assert.equal(dataset.tags.team, "qa");
  assert.equal(dataset.tags.version, "2");
  assert.ok(!("evalhooks.createId" in dataset.tags));

  const rows = [
    { inputs: { question: "2 + 2?" }, expectations: { expected_response: "4" } },
    { inputs: { question: "capital of France?" }, expectations: { expected_response: "Paris" } },
    { inputs: { question: "unlabelled" }, tags: { origin: "synthetic" } },
  ];
  const digestBefore = dataset.digest;
  assert.deepEqual(await dataset.mergeRecords(rows), { inserted: 3, updated: 0 });
  assert.notEqual(dataset.digest, digestBefore, "a merge refreshes the digest");
  assert.deepEqual(JSON.parse(dataset.profile!), { num_records: 3 });

  // Re-merging the same rows (key order changed too) updates, never adds.
  const reordered = rows.map((r) => ({ ...r, inputs: { ...r.inputs } }));
  assert.deepEqual(await dataset.mergeRecords(reordered), { inserted: 0, updated: 3 });
  // Same inputs with a new expectation key: merged into the existing record.
  assert.deepEqual(
    await dataset.mergeRecords([{
      inputs: { question: "2 + 2?" },
      expectations: { note: "easy" },
    }]),
    { inserted: 0, updated: 1 },
  );
  const records = await dataset.records();
  assert.equal(records.length, 3);
  const byQuestion = new Map(records.map((r) => [r.inputs.question, r]));
  assert.deepEqual(byQuestion.get("2 + 2?")!.expectations, {
    expected_response: "4",
    note: "easy",
  });
  assert.equal(byQuestion.get("2 + 2?")!.source?.sourceType, "HUMAN");
  assert.equal(byQuestion.get("unlabelled")!.source?.sourceType, "CODE");
  assert.equal(byQuestion.get("unlabelled")!.tags.origin, "synthetic");
  assert.equal(byQuestion.get("unlabelled")!.expectations, undefined);
  assert.ok(
    records.every((r) => r.recordId.startsWith("dr-") && r.datasetId === dataset.datasetId),
  );

  await dataset.setTags({ status: "validated" });
  await dataset.deleteTag("team");
  await dataset.deleteTag("team"); // already gone: still fine
  const got = await mlflow.getDataset(dataset.datasetId);
  assert.equal(got.tags.status, "validated");
  assert.equal(got.tags.team, undefined);
  assert.equal(got.digest, dataset.digest);
  assert.deepEqual(got.experimentIds, [experimentId]);
  assert.equal((await got.records()).length, 3);
  assert.equal((await mlflow.getDataset({ name })).datasetId, dataset.datasetId);

  // Search: by experiment, by filter, and pages followed (the server pages at max_results).
  const second = await mlflow.createDataset({ name: `${name}-b`, experimentIds: [experimentId] });
  const inExperiment = await mlflow.searchDatasets({ experimentIds: [experimentId] });
  assert.deepEqual(
    inExperiment.map((d) => d.name).sort(),
    [name, `${name}-b`],
  );
  const byTag = await mlflow.searchDatasets({
    experimentIds: [experimentId],
    filter: "tags.status = 'validated'",
  });
  assert.deepEqual(byTag.map((d) => d.datasetId), [dataset.datasetId]);
  assert.equal(
    (await mlflow.searchDatasets({ experimentIds: [experimentId], maxResults: 1 })).length,
    1,
  );

  await mlflow.deleteDataset(second.datasetId);
  await mlflow.deleteDataset(second.datasetId); // already gone: the server answers success
  await assert.rejects(
    mlflow.getDataset(second.datasetId),
    (e: unknown) => e instanceof MlflowError && e.errorCode === "RESOURCE_DOES_NOT_EXIST",
  );
  assert.deepEqual(
    (await mlflow.searchDatasets({ experimentIds: [experimentId] })).map((d) => d.name),
    [name],
  );
  await mlflow.close();
});

test("datasets: records are read page by page", async () => {
  const uri = await trackingUri();
  const mlflow = createMlflow({
    trackingUri: uri,
    experimentName: uniqueName("genai-ds"),
    ...quiet,
  });
  const dataset = await mlflow.createDataset({ name: uniqueName("big") });
  const rows = Array.from({ length: 1203 }, (_, i) => ({ inputs: { i } }));
  assert.deepEqual(await dataset.mergeRecords(rows), { inserted: 1203, updated: 0 });
  const records = await dataset.records();
  assert.equal(records.length, 1203);
  assert.equal(new Set(records.map((r) => r.inputs.i)).size, 1203);
  await mlflow.close();
});

test("datasets: one made here loads in Python's mlflow.genai.datasets, and the reverse", async () => {
  const uri = await trackingUri();
  const experimentName = uniqueName("genai-ds-py");
  const mlflow = createMlflow({ trackingUri: uri, experimentName, ...quiet });
  const experimentId = await mlflow.getOrCreateExperiment(experimentName);
  const ours = await mlflow.createDataset({ name: uniqueName("ours"), tags: { team: "qa" } });
  await ours.mergeRecords([
    { inputs: { q: "ünïcode ✓" }, expectations: { expected_response: "yes" } },
    {
      inputs: { q: "from a trace" },
      source: { sourceType: "TRACE", sourceData: { trace_id: "tr-abc" } },
    },
  ]);
  const seen = python(
    `
import json
from mlflow.genai.datasets import get_dataset, search_datasets
d = get_dataset(dataset_id=${JSON.stringify(ours.datasetId)})
df = d.to_df()
nan_none = lambda v: None if isinstance(v, float) and v != v else v
found = [x.dataset_id for x in search_datasets(experiment_ids=${JSON.stringify(experimentId)})]
print("OUT:" + json.dumps({
  "name": d.name, "digest": d.digest, "tags": d.tags, "found": found,
  "rows": sorted([{"inputs": r["inputs"], "expectations": nan_none(r["expectations"]),
    "source_type": r["source_type"], "source_id": nan_none(r["source_id"])}
    for r in df.to_dict("records")],
    key=lambda r: r["inputs"]["q"]),
}))
`,
    uri,
  ) as {
    name: string;
    digest: string;
    tags: Record<string, string>;
    found: string[];
    rows: Record<string, unknown>[];
  };
  assert.equal(seen.name, ours.name);
  assert.equal(seen.digest, ours.digest);
  assert.equal(seen.tags.team, "qa");
  assert.deepEqual(seen.found, [ours.datasetId]);
  assert.deepEqual(seen.rows, [
    {
      inputs: { q: "from a trace" },
      expectations: null,
      source_type: "TRACE",
      source_id: "tr-abc",
    },
    {
      inputs: { q: "ünïcode ✓" },
      expectations: { expected_response: "yes" },
      source_type: "HUMAN",
      source_id: null,
    },
  ]);

  // Made in Python, read here.
  const theirs = python(
    `
import json, mlflow
from mlflow.genai.datasets import create_dataset
d = create_dataset(name=${JSON.stringify(uniqueName("theirs"))}, experiment_id=${
      JSON.stringify(experimentId)
    }, tags={"k": "v"})
d.merge_records([{"inputs": {"q": "a"}, "expectations": {"expected_response": "A"}}, {"inputs": {"q": "b"}}])
print("OUT:" + json.dumps({"id": d.dataset_id, "digest": d.digest}))
`,
    uri,
  ) as { id: string; digest: string };
  const loaded = await mlflow.getDataset(theirs.id);
  assert.equal(loaded.digest, theirs.digest);
  assert.equal(loaded.tags.k, "v");
  assert.deepEqual(loaded.experimentIds, [experimentId]);
  const records = (await loaded.records()).sort((a, b) =>
    String(a.inputs.q).localeCompare(String(b.inputs.q))
  );
  assert.deepEqual(records.map((r) => [r.inputs, r.expectations, r.source?.sourceType]), [
    [{ q: "a" }, { expected_response: "A" }, "HUMAN"],
    [{ q: "b" }, undefined, "CODE"],
  ]);
  // A re-merge here of Python's rows is deduplicated the same way.
  assert.deepEqual(await loaded.mergeRecords([{ inputs: { q: "b" } }]), {
    inserted: 0,
    updated: 1,
  });
  await mlflow.close();
});

test("datasets: evaluate({ data: dataset }) reads its records and links the run as Python does", async () => {
  const uri = await trackingUri();
  const experimentName = uniqueName("genai-ds-eval");
  const mlflow = createMlflow({ trackingUri: uri, experimentName, ...quiet });
  const dataset = await mlflow.createDataset({ name: uniqueName("eval-set") });
  await dataset.mergeRecords([
    { inputs: { q: "a" }, expectations: { expected_response: "A" } },
    { inputs: { q: "b" }, expectations: { expected_response: "B" } },
    { inputs: { q: "c" }, expectations: { expected_response: "X" } },
  ]);
  const result = await mlflow.evaluate({
    data: dataset,
    predict: (inputs) => String((inputs as { q: string }).q).toUpperCase(),
    scorers: [exactMatch()],
  });
  assert.equal(result.rows.length, 3);
  assert.equal(result.metrics["exact_match/mean"], 2 / 3);
  await mlflow.flush();

  // Python's evaluate over the same dataset, for the input it logs.
  const py = python(
    `
import json, mlflow
from mlflow.genai.datasets import get_dataset
from mlflow.genai.scorers import scorer
mlflow.set_experiment(${JSON.stringify(experimentName)})
@scorer
def s(outputs): return True
d = get_dataset(dataset_id=${JSON.stringify(dataset.datasetId)})
res = mlflow.genai.evaluate(data=d, predict_fn=lambda q: q.upper(), scorers=[s])
client = mlflow.MlflowClient()
def inputs(run_id):
    return [{"name": i.dataset.name, "digest": i.dataset.digest, "source_type": i.dataset.source_type,
      "source": i.dataset.source, "schema": i.dataset.schema, "profile": i.dataset.profile,
      "tags": {t.key: t.value for t in i.tags}} for i in client.get_run(run_id).inputs.dataset_inputs]
print("OUT:" + json.dumps({"ours": inputs(${
      JSON.stringify(result.runId)
    }), "theirs": inputs(res.run_id)}))
`,
    uri,
  ) as { ours: unknown[]; theirs: unknown[] };
  assert.equal(py.theirs.length, 1);
  assert.deepEqual(py.ours, py.theirs);
  assert.deepEqual(py.ours[0], {
    name: dataset.name,
    digest: dataset.digest,
    source_type: "mlflow_evaluation_dataset",
    source: JSON.stringify({ dataset_id: dataset.datasetId }).replace(":", ": "),
    schema: dataset.schema,
    profile: dataset.profile,
    tags: {},
  });
  await mlflow.close();
});

test("datasets: a create or merge whose answer was lost is retried without a second copy", async () => {
  const uri = await trackingUri();
  const seen: Record<string, number> = {};
  const proxy = await startFaultProxy(uri, ({ method, path }) => {
    const action = /datasets\/create$/.test(path)
      ? "create"
      : method === "POST" && /datasets\/[^/]+\/records$/.test(path)
      ? "merge"
      : undefined;
    if (!action) return undefined;
    seen[action] = (seen[action] ?? 0) + 1;
    return seen[action] === 1 ? "reset-after" : undefined; // the first one lands, unanswered
  });
  try {
    const experimentName = uniqueName("genai-ds-retry");
    const mlflow = createMlflow({
      trackingUri: proxy.uri,
      experimentName,
      retry: { baseDelayMs: 10, maxDelayMs: 50 },
      ...quiet,
    });
    const name = uniqueName("retried");
    const dataset = await mlflow.createDataset({ name });
    // Bun's fetch reports the lost answer and our check finds the dataset (1 create); Deno's
    // re-sends the POST on its own, unseen (2 creates), and the twin carrying our id is deleted.
    assert.ok(seen.create <= 2, `${seen.create} creates`);
    const same = await mlflow.searchDatasets({ filter: `name = '${name}'` });
    assert.deepEqual(same.map((d) => d.datasetId), [dataset.datasetId]);

    assert.deepEqual(await dataset.mergeRecords([{ inputs: { q: 1 } }, { inputs: { q: 2 } }]), {
      inserted: 0,
      updated: 2,
    });
    assert.equal(seen.merge, 2);
    assert.equal((await dataset.records()).length, 2);
    await mlflow.close();
  } finally {
    await proxy.close();
  }
});

test("datasets: bad input throws MlflowValidationError at the call, before anything is sent", async () => {
  let requests = 0;
  const mlflow = createMlflow({
    trackingUri: "http://127.0.0.1:9",
    fetch: () => {
      requests++;
      return Promise.reject(new TypeError("no network in this test"));
    },
    ...quiet,
  });
  const invalid = async (promise: Promise<unknown>, key: string, rule: string, call: string) => {
    await assert.rejects(promise, (e: unknown) => {
      assert.ok(e instanceof MlflowValidationError, String(e));
      assert.deepEqual([e.key, e.rule, e.endpoint], [key, rule, call]);
      return true;
    });
  };
  await invalid(mlflow.createDataset({ name: "" }), "name", "value_type", "createDataset");
  await invalid(mlflow.createDataset({ name: "a\ud800" }), "name", "well_formed", "createDataset");
  await invalid(
    mlflow.createDataset({ name: "x".repeat(256) }),
    "name",
    "value_length",
    "createDataset",
  );
  await invalid(
    mlflow.createDataset({ name: "ok", experimentIds: ["../x"] }),
    "experimentIds",
    "experiment_id",
    "createDataset",
  );
  await invalid(
    mlflow.createDataset({ name: "ok", experimentIds: ["1"], tags: { k: "v".repeat(5001) } }),
    "tags.k",
    "value_length",
    "createDataset",
  );
  await invalid(mlflow.getDataset("../etc"), "datasetId", "dataset_id", "getDataset");
  await invalid(mlflow.deleteDataset(""), "datasetId", "dataset_id", "deleteDataset");
  await invalid(
    mlflow.searchDatasets({ maxResults: 0 }),
    "maxResults",
    "positive_integer",
    "searchDatasets",
  );
  assert.equal(requests, 0);
  await mlflow.close();
});

test("datasets: mergeRecords checks every row before sending any", async () => {
  const uri = await trackingUri();
  const mlflow = createMlflow({
    trackingUri: uri,
    experimentName: uniqueName("genai-ds"),
    ...quiet,
  });
  const dataset = await mlflow.createDataset({ name: uniqueName("checked") });
  const invalid = async (rows: unknown, key: string, rule: string) => {
    await assert.rejects(
      dataset.mergeRecords(rows as never),
      (e: unknown) =>
        e instanceof MlflowValidationError && e.key === key && e.rule === rule &&
        e.endpoint === "mergeRecords",
    );
  };
  await invalid([{ inputs: { q: 1 } }, { inputs: "text" }], "rows[1].inputs", "value_type");
  await invalid([{ inputs: { q: 1 }, expectations: "4" }], "rows[0].expectations", "value_type");
  await invalid(
    [{ inputs: { q: 1 }, source: { sourceType: "EMAIL" } }],
    "rows[0].source",
    "value_type",
  );
  const cyclic: Record<string, unknown> = {};
  cyclic.self = cyclic;
  await invalid([{ inputs: cyclic }], "rows[0].inputs", "json");
  await invalid("rows", "rows", "value_type");
  assert.deepEqual(await dataset.records(), [], "no row of a bad batch was sent");
  // A lone surrogate in record data is replaced, not refused: the record lands.
  await dataset.mergeRecords([{ inputs: { q: "bad \ud800 text" } }]);
  assert.deepEqual((await dataset.records()).map((r) => r.inputs), [{ q: "bad \ufffd text" }]);
  await mlflow.close();
});
