// Copyright 2026 the evalhooks authors. MIT license.
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  createMlflow,
  type Mlflow,
  MlflowError,
  MlflowFlushError,
  MlflowValidationError,
} from "../mod.ts";
import { countingFetch, trackingUri, uniqueName } from "./harness/server.ts";

async function client(extra: Parameters<typeof createMlflow>[0] = {}): Promise<Mlflow> {
  return createMlflow({
    trackingUri: await trackingUri(),
    experimentName: uniqueName("client"),
    onError: () => {},
    ...extra,
  });
}

test("client: params, metrics (steps, timestamps, NaN, ±Infinity) and tags read back exactly", async () => {
  const mlflow = await client();
  const run = mlflow.startRun({
    runName: "roundtrip",
    tags: { team: "evals" },
    description: "a note",
  });
  run.logParams({ model: "gpt-4o-mini", temperature: 0.2, stream: true });
  run.logParam("model", "gpt-4o-mini"); // the same value again is fine
  for (let step = 0; step < 10; step++) {
    run.logMetric("loss", 1 / (step + 1), { step, timestamp: 1_700_000_000_000 + step });
  }
  run.logMetric("odd/nan", NaN).logMetric("odd/inf", Infinity).logMetric("odd/ninf", -Infinity);
  run.logMetrics({ "acc": 0.5, "f1": 0.25 }, { step: 3 });
  run.setTag("stage", "dev").setTag("stage", "prod");
  run.end();
  await mlflow.flush();

  const data = await mlflow.getRun(run);
  assert.equal(data.info.runName, "roundtrip");
  assert.equal(data.info.status, "FINISHED");
  assert.deepEqual(data.params, { model: "gpt-4o-mini", temperature: "0.2", stream: "True" });
  assert.equal(data.tags.team, "evals");
  assert.equal(data.tags.stage, "prod");
  assert.equal(data.tags["mlflow.note.content"], "a note");
  const loss = await mlflow.getMetricHistory(run, "loss");
  assert.deepEqual(
    loss.map((p) => [p.step, p.value, p.timestamp]).sort((a, b) => a[0] - b[0]),
    [...Array(10).keys()].map((s) => [s, 1 / (s + 1), 1_700_000_000_000 + s]),
  );
  assert.ok(Number.isNaN(data.metrics["odd/nan"]));
  // MLflow's SQL store keeps ±Infinity as ±max double.
  assert.equal(data.metrics["odd/inf"], 1.7976931348623157e308);
  assert.equal(data.metrics["odd/ninf"], -1.7976931348623157e308);
  const f1 = await mlflow.getMetricHistory(run, "f1");
  assert.deepEqual(f1.map((p) => [p.step, p.value]), [[3, 0.25]]);
});

test("client: 5,000 metrics logged in one loop are exactly 5 log-batch requests", async () => {
  const counter = countingFetch();
  const mlflow = await client({ fetch: counter.fetch });
  const run = mlflow.startRun({ runName: "five-thousand" });
  await run.info();
  counter.reset();
  for (let i = 0; i < 5000; i++) run.logMetric("m", i, { step: i });
  await mlflow.flush();
  assert.equal(counter.count("/runs/log-batch"), 5);
  assert.equal(counter.count(), 5);
  const points = await mlflow.getMetricHistory(run, "m");
  assert.equal(points.length, 5000);
  assert.deepEqual(points.map((p) => p.step).sort((a, b) => a - b), [...Array(5000).keys()]);
});

test("client: metrics logged one per await coalesce while a request is in flight", async () => {
  const counter = countingFetch();
  const mlflow = await client({ fetch: counter.fetch });
  const run = mlflow.startRun({ runName: "awaited" });
  await run.info();
  counter.reset();
  for (let i = 0; i < 2000; i++) {
    run.logMetric("m", i, { step: i });
    await Promise.resolve();
  }
  await mlflow.flush();
  const requests = counter.count("/runs/log-batch");
  assert.ok(requests >= 2 && requests < 100, `${requests} requests for 2000 awaited metrics`);
  assert.equal((await mlflow.getMetricHistory(run, "m")).length, 2000);
});

test("client: a server-refused entry is isolated and every other entry of its batch lands", async () => {
  const uri = await trackingUri();
  const mlflow = await client();
  const run = mlflow.startRun({ runName: "isolation" });
  const { runId } = await run.info();
  // Another writer logged param p=1; this client cannot know, and logs p=2 with 300 other items.
  const raw = await fetch(`${uri}/api/2.0/mlflow/runs/log-batch`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ run_id: runId, params: [{ key: "p", value: "1" }] }),
  });
  assert.equal(raw.status, 200);
  await raw.body?.cancel();
  for (let i = 0; i < 250; i++) run.logMetric("ok/metric", i, { step: i });
  run.logParam("p", "2");
  for (let i = 0; i < 49; i++) run.logParam(`q${i}`, i);
  run.setTag("good", "yes");
  await assert.rejects(mlflow.flush(), (error: unknown) => {
    assert.ok(error instanceof MlflowFlushError);
    assert.equal(error.errors.length, 1);
    assert.equal(error.errors[0].key, "p");
    assert.equal(error.errors[0].errorCode, "INVALID_PARAMETER_VALUE");
    assert.equal(error.errors[0].status, 400);
    assert.equal(error.errors[0].endpoint, "/api/2.0/mlflow/runs/log-batch");
    return true;
  });
  const data = await mlflow.getRun(runId);
  assert.equal(data.params.p, "1");
  assert.equal(Object.keys(data.params).filter((k) => k.startsWith("q")).length, 49);
  assert.equal(data.tags.good, "yes");
  assert.equal((await mlflow.getMetricHistory(runId, "ok/metric")).length, 250);
  // The next flush starts clean.
  await mlflow.flush();
});

test("client: nested runs, statuses, mlflow.run and await using", async () => {
  const mlflow = await client();
  const parent = mlflow.startRun({ runName: "parent" });
  const child = parent.startChildRun({ runName: "child" });
  const byId = mlflow.startRun({ runName: "by-id", parent: (await parent.info()).runId });
  child.end("KILLED");
  byId.end("FAILED");
  await assert.rejects(
    mlflow.run({ runName: "throws" }, () => {
      throw new Error("eval crashed");
    }),
    /eval crashed/,
  );
  const value = await mlflow.run({ runName: "returns" }, (run) => {
    run.logMetric("x", 1);
    return 42;
  });
  assert.equal(value, 42);
  let disposedId = "";
  {
    await using run = mlflow.startRun({ runName: "disposed" });
    disposedId = (await run.info()).runId;
  }
  parent.end();
  await mlflow.flush();
  const parentId = (await parent.info()).runId;
  const runs = await mlflow.searchRuns({ experimentIds: [(await parent.info()).experimentId] });
  const byName = Object.fromEntries(runs.map((r) => [r.info.runName, r]));
  assert.equal(byName.child.tags["mlflow.parentRunId"], parentId);
  assert.equal(byName["by-id"].tags["mlflow.parentRunId"], parentId);
  assert.equal(byName.child.info.status, "KILLED");
  assert.equal(byName["by-id"].info.status, "FAILED");
  assert.equal(byName.throws.info.status, "FAILED");
  assert.equal(byName.returns.info.status, "FINISHED");
  assert.equal(byName.parent.info.status, "FINISHED");
  assert.equal((await mlflow.getRun(disposedId)).info.status, "FINISHED");
});

test("client: artifacts byte for byte, JSON, text and tables the UI shows as tables", async () => {
  const mlflow = await client();
  const run = mlflow.startRun({ runName: "artifacts" });
  const bytes = new Uint8Array(70_000).map((_, i) => (i * 7919) % 256);
  run.logArtifact(bytes, "bin/data.bin");
  run.logArtifact(new Blob(["blob body"]), "blob.txt");
  run.logText("héllo wörld\n", "notes/hello.txt");
  run.logJson({ a: 1, nested: { b: [1, 2, 3] } }, "config.json");
  run.logTable({ columns: ["q", "a"], data: [["2+2", "4"], ["3+3", "6"]] }, "tables/split.json");
  run.logTable([{ id: 1, ok: true }, { id: 2, extra: "x" }], "tables/rows.json");
  run.end();
  await mlflow.flush();

  assert.deepEqual(await mlflow.downloadArtifact(run, "bin/data.bin"), bytes);
  const text = (path: string) =>
    mlflow.downloadArtifact(run, path).then((b) => new TextDecoder().decode(b));
  assert.equal(await text("blob.txt"), "blob body");
  assert.equal(await text("notes/hello.txt"), "héllo wörld\n");
  assert.deepEqual(JSON.parse(await text("config.json")), { a: 1, nested: { b: [1, 2, 3] } });
  assert.deepEqual(JSON.parse(await text("tables/split.json")), {
    columns: ["q", "a"],
    data: [["2+2", "4"], ["3+3", "6"]],
  });
  assert.deepEqual(JSON.parse(await text("tables/rows.json")), {
    columns: ["id", "ok", "extra"],
    data: [[1, true, null], [2, null, "x"]],
  });
  const tags = (await mlflow.getRun(run)).tags;
  assert.deepEqual(JSON.parse(tags["mlflow.loggedArtifacts"]), [
    { path: "tables/split.json", type: "table" },
    { path: "tables/rows.json", type: "table" },
  ]);
  const listed = await mlflow.listArtifacts(run, "tables");
  assert.deepEqual(listed.map((e) => e.path).sort(), ["tables/rows.json", "tables/split.json"]);
});

test("client: reads on a run handle wait for its pending writes (read your writes)", async () => {
  const mlflow = await client();
  const run = mlflow.startRun({ runName: "ryw" });
  run.logMetric("seen", 7).setTag("t", "v");
  const data = await mlflow.getRun(run); // no flush
  assert.equal(data.metrics.seen, 7);
  assert.equal(data.tags.t, "v");
});

test("client: metric history paging returns every point", async () => {
  const mlflow = await client();
  const run = mlflow.startRun({ runName: "paging" });
  for (let i = 0; i < 30_000; i++) run.logMetric("long", i % 97, { step: i });
  await mlflow.flush();
  const points = await mlflow.getMetricHistory(run, "long");
  assert.equal(points.length, 30_000);
  assert.equal(new Set(points.map((p) => p.step)).size, 30_000);
});

test("client: experiments are got or created once, also when clients race", async () => {
  const uri = await trackingUri();
  const name = uniqueName("race");
  const clients = Array.from({ length: 4 }, () => createMlflow({ trackingUri: uri }));
  const ids = await Promise.all(clients.map((c) => c.getOrCreateExperiment(name)));
  assert.equal(new Set(ids).size, 1);
  const experiment = await clients[0].getExperimentByName(name);
  assert.equal(experiment?.experimentId, ids[0]);
  assert.equal(await clients[0].getExperimentByName(uniqueName("absent")), undefined);
});

test("client: server errors are typed MlflowErrors with code, status and endpoint", async () => {
  const mlflow = await client();
  await assert.rejects(mlflow.getRun("0000000000000000000000000000dead"), (error: unknown) => {
    assert.ok(error instanceof MlflowError);
    assert.equal(error.errorCode, "RESOURCE_DOES_NOT_EXIST");
    assert.equal(error.status, 404);
    assert.equal(error.method, "GET");
    assert.equal(error.endpoint, "/api/2.0/mlflow/runs/get");
    return true;
  });
});

test("client: invalid input throws at the call, and the valid items of the call still land", async () => {
  const mlflow = await client();
  const run = mlflow.startRun({ runName: "validation" });
  assert.throws(
    () => run.logMetrics({ good: 1, "bad/../key": 2, also_good: 3 }),
    (e: unknown) => e instanceof MlflowValidationError && e.key === "bad/../key",
  );
  assert.throws(() => run.logMetric("m", "1" as unknown as number), MlflowValidationError);
  run.logParam("p", "a");
  assert.throws(() => run.logParam("p", "b"), /already logged/);
  assert.throws(() => run.logJson({ big: 1n }, "x.json"), /JSON/);
  const cyclic: Record<string, unknown> = {};
  cyclic.self = cyclic;
  assert.throws(() => run.logJson(cyclic, "x.json"), MlflowValidationError);
  assert.throws(() => run.logText("x", "../escape.txt"), MlflowValidationError);
  await mlflow.flush();
  const data = await mlflow.getRun(run);
  assert.deepEqual(Object.keys(data.metrics).sort(), ["also_good", "good"]);
  assert.equal(data.params.p, "a");
});

test("client: close() ends open runs FINISHED and refuses further logging", async () => {
  const mlflow = await client();
  const run = mlflow.startRun({ runName: "open" });
  run.logMetric("m", 1);
  await mlflow.close();
  assert.equal((await mlflow.getRun(run)).info.status, "FINISHED");
  assert.throws(() => run.logMetric("m", 2), /closed/);
  assert.throws(() => mlflow.startRun(), /closed/);
});
