// Copyright 2026 the evalhooks authors. MIT license.
import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { createMlflow, type Mlflow } from "../../../mod.ts";
import { importInspectLog, readInspectLog } from "../../../src/integrations/inspect/mod.ts";
import { FIXTURES } from "../../harness/fixtures.ts";
import { mlflowPython } from "../../harness/mlflow_python.ts";
import { trackingUri, uniqueName } from "../../harness/server.ts";

// Everything an import puts in MLflow, ids and times left out: tags, params, every metric's
// (step, value) series, artifact paths, and every table's columns and cells.
async function everything(mlflow: Mlflow, experimentName: string) {
  const experiment = await mlflow.getExperimentByName(experimentName);
  const out: Record<string, unknown> = {};
  for (const run of await mlflow.searchRuns({ experimentIds: [experiment!.experimentId] })) {
    const id = run.info.runId;
    const series: Record<string, [number, number][]> = {};
    for (const key of Object.keys(run.metrics).sort()) {
      series[key] = (await mlflow.getMetricHistory(id, key))
        .map((p) => [p.step, p.value] as [number, number])
        .sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    }
    const artifacts: string[] = [];
    const walk = async (path?: string) => {
      for (const entry of await mlflow.listArtifacts(id, path)) {
        if (entry.isDir) await walk(entry.path);
        else artifacts.push(entry.path);
      }
    };
    await walk();
    const tables: Record<string, unknown> = {};
    for (const path of artifacts.filter((p) => p.startsWith("inspect/"))) {
      tables[path] = JSON.parse(new TextDecoder().decode(await mlflow.downloadArtifact(id, path)));
    }
    const tags = Object.fromEntries(
      Object.entries(run.tags).filter(([k]) =>
        !/^mlflow\.(parentRunId|user|source\.|loggedArtifacts)|^evalhooks\.(createId$|shard\.)/
          .test(k)
      ),
    );
    const name = run.info.runName.startsWith("inspect-") ? "parent" : run.info.runName;
    out[name] = { status: run.info.status, tags, params: run.params, series, artifacts, tables };
  }
  return out;
}

test("same log: the .eval and its .json give the same samples in the same order", async () => {
  const order = async (file: string) => {
    const log = await readInspectLog(join(FIXTURES, file));
    const ids: string[] = [];
    for await (const s of log.samples()) ids.push(`${s.epoch}/${s.id}`);
    await log.close();
    return ids;
  };
  const fromEval = await order("out_of_order.eval");
  assert.deepEqual(fromEval, await order("out_of_order.json"));
  // Inspect's own order (epoch, then id by value), not the order the samples finished in.
  assert.deepEqual(
    fromEval,
    [1, 2].flatMap((epoch) => Array.from({ length: 12 }, (_, i) => `${epoch}/${i + 1}`)),
  );
});

test("same log: importing the .eval and the .json of one eval lands the same runs", async () => {
  const uri = await trackingUri();
  const mlflow = createMlflow({ trackingUri: uri });
  const landed = [];
  for (const file of ["out_of_order.eval", "out_of_order.json"]) {
    const experimentName = uniqueName("same-log-full");
    const result = await importInspectLog(join(FIXTURES, file), {
      trackingUri: uri,
      experimentName,
      env: {},
    });
    assert.equal(result.status, "imported", result.reason);
    landed.push(await everything(mlflow, experimentName));
  }
  assert.deepEqual(landed[1], landed[0]);

  // And the values are Python's str(): params and sample_scores.raw_value.
  const task = landed[0].out_of_order as {
    params: Record<string, string>;
    tables: Record<string, { columns: string[]; data: unknown[][] }>;
  };
  assert.deepEqual(
    Object.fromEntries(
      Object.entries(task.params).filter(([k]) =>
        k.startsWith("task_arg.") || ["temperature", "top_p", "max_tokens"].includes(k)
      ),
    ),
    {
      "task_arg.ratio": "1.0",
      "task_arg.count": "3",
      "task_arg.note": "None",
      "task_arg.flag": "True",
      "task_arg.name": "it's",
      "task_arg.options": "{'mode': 'fast', 'k': 2}",
      "task_arg.weights": "[1, 0.5]",
      "task_arg.tiny": "1e-07",
      "task_arg.big": "1e+16",
      temperature: "0.0",
      top_p: "1.0",
      max_tokens: "64",
    },
  );
  // The same strings as Python's str() of what json.load reads from the log, as inspect_mlflow
  // writes params (`str(value)`) and raw_value (`str(score.value)`), for every param and cell.
  const python = JSON.parse(mlflowPython(`
import json
log = json.load(open(${JSON.stringify(join(FIXTURES, "out_of_order.json"))}))
spec = log["eval"]
params = {f"task_arg.{k}": str(v) for k, v in spec["task_args_passed"].items()}
params.update({k: str(v) for k, v in spec["model_generate_config"].items() if k in ("temperature", "top_p", "max_tokens")})
raw = sorted([s["id"], s["epoch"], name, str(score["value"])] for s in log["samples"] for name, score in s["scores"].items())
print("OUT:" + json.dumps({"params": params, "raw": raw}))
`));
  for (const [k, v] of Object.entries(python.params)) assert.equal(task.params[k], v, k);
  const scores = task.tables["inspect/sample_scores.json"];
  // The table has no epoch column: compare the multiset of (id, scorer, raw_value).
  const cells = (rows: unknown[][]) => rows.map((r) => JSON.stringify(r)).sort();
  assert.deepEqual(
    cells(
      scores.data.map((r) => [
        r[scores.columns.indexOf("sample_id")],
        r[scores.columns.indexOf("scorer")],
        r[scores.columns.indexOf("raw_value")],
      ]),
    ),
    cells(python.raw.map(([id, , name, value]: unknown[]) => [id, name, value])),
  );
  const col = (name: string) => scores.columns.indexOf(name);
  const raw = (sample: number, scorer: string) =>
    scores.data.find((r) =>
      r[col("sample_id")] === sample && r[col("scorer")] === scorer
    )![col("raw_value")];
  assert.equal(raw(3, "halves"), "0.0");
  assert.equal(raw(1, "halves"), "0.5");
  assert.equal(raw(2, "halves"), "1.0");
  assert.equal(raw(12, "halves"), "1");
  assert.equal(raw(4, "parts"), "{'whole': 4.0, 'count': 4, 'half': 2.0}");
  assert.equal(raw(1, "match"), "C");
});
