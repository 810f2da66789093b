// Copyright 2026 the evalhooks authors. MIT license.

// loadTable (#22): tables round-trip with MLflow's own Python client — ours load in
// `mlflow.load_table`, Python's `mlflow.log_table` loads in ours — and several runs stack with a
// `run_id` column, as Python's `extra_columns=["run_id"]` does.

import { test } from "node:test";
import assert from "node:assert/strict";
import { createMlflow } from "../mod.ts";
import { mlflowPython } from "./harness/mlflow_python.ts";
import { trackingUri, uniqueName } from "./harness/server.ts";

function python(code: string, uri: string, experimentName: string): string {
  return mlflowPython(code, { MLFLOW_TRACKING_URI: uri, MLFLOW_EXPERIMENT_NAME: experimentName });
}

test("loadTable: ours loads in Python's mlflow.load_table, Python's log_table loads in ours, several runs stack with run_id", async () => {
  const uri = await trackingUri();
  const experimentName = uniqueName("tables");
  const mlflow = createMlflow({ trackingUri: uri, experimentName });
  const rows = [
    { question: "Größe von 𝔘?", score: 1, note: null },
    { question: "2+2", score: 0.5, note: "half" },
  ];
  const a = mlflow.startRun({ runName: "a" }).logTable(rows, "eval/table.json");
  const b = mlflow.startRun({ runName: "b" })
    .logTable([{ question: "only b", score: 0, extra: true }], "eval/table.json");
  a.end();
  b.end();
  await mlflow.flush();
  const [idA, idB] = [(await a.info()).runId, (await b.info()).runId];

  // Ours, read by Python.
  const theirs = JSON.parse(python(
    `import mlflow, json
df = mlflow.load_table("eval/table.json", run_ids=["${idA}"], extra_columns=["run_id"])
print(json.dumps({"columns": list(df.columns), "rows": json.loads(df.to_json(orient="records", force_ascii=False))}))`,
    uri,
    experimentName,
  ));
  assert.deepEqual(theirs.columns, ["question", "score", "note", "run_id"]);
  assert.deepEqual(theirs.rows, rows.map((r) => ({ ...r, run_id: idA })));

  // Python's, read by us.
  const pyRun = python(
    `import mlflow
with mlflow.start_run() as run:
    mlflow.log_table(data={"q": ["x", "ÿ😀"], "score": [1.5, 2]}, artifact_file="py/table.json")
print(run.info.run_id)`,
    uri,
    experimentName,
  );
  const fromPython = await mlflow.loadTable(pyRun, "py/table.json");
  assert.deepEqual(fromPython.columns, ["q", "score"]);
  assert.deepEqual(fromPython.rows, [{ q: "x", score: 1.5 }, { q: "ÿ😀", score: 2 }]);

  // Several runs: stacked, run_id last, a column one run lacks is null in its rows.
  const stacked = await mlflow.loadTable([a, idB], "eval/table.json");
  assert.deepEqual(stacked.columns, ["question", "score", "note", "extra", "run_id"]);
  assert.deepEqual(stacked.rows.map((r) => [r.run_id, r.extra, r.note]), [
    [idA, null, null],
    [idA, null, "half"],
    [idB, true, null],
  ]);

  // Not a table: a typed error naming the rule.
  a.logText("plain text", "notes.txt");
  await mlflow.flush();
  await assert.rejects(mlflow.loadTable(a, "notes.txt"), {
    name: "MlflowValidationError",
    rule: "table_shape",
  });
  await mlflow.close();
});
