// Copyright 2026 the evalhooks authors. MIT license.

// The rest of the tracking API (#22): experiments (search, create, get, delete, restore, tags),
// runs (delete, restore, parent, resume by id, tag delete) and logDict, against the real server,
// read back by MLflow's own Python client, with retries that meet their own first attempt.

import { test } from "node:test";
import assert from "node:assert/strict";
import {
  createMlflow,
  MlflowError,
  MlflowFlushError,
  mlflowHooks,
  MlflowValidationError,
  replayLog,
} from "../mod.ts";
import { readJsonFixture } from "./harness/fixtures.ts";
import { startFaultProxy } from "./harness/fault_proxy.ts";
import { mlflowPython } from "./harness/mlflow_python.ts";
import { trackingUri, uniqueName } from "./harness/server.ts";

function python(code: string, uri: string): string {
  return mlflowPython(code, { MLFLOW_TRACKING_URI: uri });
}

const quiet = { exitFlushMs: 0 as const, onError: () => {} };

test("experiments: create, get, search, tag, delete and restore, as Python's client sees them", async () => {
  const uri = await trackingUri();
  const mlflow = createMlflow({ trackingUri: uri, ...quiet });
  const prefix = uniqueName("exp-api");
  const ids: string[] = [];
  for (const [i, team] of ["evals", "evals", "safety"].entries()) {
    ids.push(await mlflow.createExperiment({ name: `${prefix}-${i}`, tags: { team, n: i } }));
  }
  const got = await mlflow.getExperiment(ids[0]);
  assert.equal(got.name, `${prefix}-0`);
  assert.deepEqual({ team: got.tags.team, n: got.tags.n }, { team: "evals", n: "0" });
  assert.equal(got.lifecycleStage, "active");
  assert.ok(got.creationTime! > 0);

  const evals = await mlflow.searchExperiments({
    filter: `name LIKE '${prefix}-%' AND tags.team = 'evals'`,
    orderBy: ["name DESC"],
  });
  assert.deepEqual(evals.map((e) => e.name), [`${prefix}-1`, `${prefix}-0`]);
  const one = await mlflow.searchExperiments({ filter: `name LIKE '${prefix}-%'`, maxResults: 1 });
  assert.equal(one.length, 1);

  await mlflow.setExperimentTag(ids[2], "owner", "ana");
  await mlflow.setExperimentTags(ids[2], { stage: "beta", note: "Größe 𝔘" });
  await mlflow.deleteExperiment(ids[1]);

  const theirs = JSON.parse(python(
    `import mlflow, json
from mlflow.entities import ViewType
out = {}
for e in mlflow.search_experiments(view_type=ViewType.ALL, filter_string="name LIKE '${prefix}-%'"):
    out[e.name] = {"stage": e.lifecycle_stage, "tags": {k: v for k, v in e.tags.items() if not k.startswith("evalhooks.")}}
print("OUT:" + json.dumps(out, ensure_ascii=False))`,
    uri,
  ));
  assert.deepEqual(theirs, {
    [`${prefix}-0`]: { stage: "active", tags: { team: "evals", n: "0" } },
    [`${prefix}-1`]: { stage: "deleted", tags: { team: "evals", n: "1" } },
    [`${prefix}-2`]: {
      stage: "active",
      tags: { team: "safety", n: "2", owner: "ana", stage: "beta", note: "Größe 𝔘" },
    },
  });
  const deleted = await mlflow.searchExperiments({
    filter: `name LIKE '${prefix}-%'`,
    viewType: "DELETED_ONLY",
  });
  assert.deepEqual(deleted.map((e) => e.experimentId), [ids[1]]);

  await mlflow.restoreExperiment(ids[1]);
  assert.equal((await mlflow.getExperiment(ids[1])).lifecycleStage, "active");

  // A taken name is the server's RESOURCE_ALREADY_EXISTS, not an adoption.
  await assert.rejects(
    mlflow.createExperiment({ name: `${prefix}-0` }),
    (e: unknown) => e instanceof MlflowError && e.errorCode === "RESOURCE_ALREADY_EXISTS",
  );
  await assert.rejects(
    mlflow.getExperiment("987654321"),
    (e: unknown) => e instanceof MlflowError && e.errorCode === "RESOURCE_DOES_NOT_EXIST",
  );
  await mlflow.close();
});

test("experiments: bad input is a typed error naming the argument and rule, and one bad tag sets none", async () => {
  const uri = await trackingUri();
  const mlflow = createMlflow({ trackingUri: uri, ...quiet });
  const rule = (r: string, key?: string) => (e: unknown) =>
    e instanceof MlflowValidationError && e.rule === r && (key === undefined || e.key === key);
  await assert.rejects(mlflow.createExperiment({ name: "" }), rule("value_type", "name"));
  await assert.rejects(mlflow.createExperiment({ name: "x".repeat(501) }), rule("value_length"));
  await assert.rejects(mlflow.createExperiment({ name: "bad \ud800" }), rule("well_formed"));
  await assert.rejects(
    mlflow.createExperiment({ name: uniqueName("e"), tags: { "no way!": "1" } }),
    rule("key_chars"),
  );
  await assert.rejects(mlflow.getExperiment("../1"), rule("experiment_id", "experimentId"));
  await assert.rejects(mlflow.searchExperiments({ maxResults: 0 }), rule("positive_integer"));
  const id = await mlflow.createExperiment({ name: uniqueName("tags") });
  await assert.rejects(
    mlflow.setExperimentTags(id, { good: "1", long: "y".repeat(20_001) }),
    rule("value_length", "long"),
  );
  assert.equal((await mlflow.getExperiment(id)).tags.good, undefined);
  await assert.rejects(mlflow.deleteRun(""), rule("run", "run"));
  await mlflow.close();
});

test("experiments: create, delete and restore retried after a lost answer resolve, with one experiment", async () => {
  const uri = await trackingUri();
  const seen: Record<string, number> = {};
  const proxy = await startFaultProxy(uri, ({ path }) => {
    const action = path.match(/experiments\/(create|delete|restore)$/)?.[1];
    if (!action) return undefined;
    seen[action] = (seen[action] ?? 0) + 1;
    return seen[action] === 1 ? "reset-after" : undefined; // the first one lands, unanswered
  });
  try {
    const mlflow = createMlflow({
      trackingUri: proxy.uri,
      retry: { baseDelayMs: 10, maxDelayMs: 50 },
      ...quiet,
    });
    const name = uniqueName("retried");
    const id = await mlflow.createExperiment({ name });
    assert.equal(seen.create, 2);
    assert.equal((await mlflow.getExperimentByName(name))?.experimentId, id);
    assert.equal((await mlflow.searchExperiments({ filter: `name = '${name}'` })).length, 1);
    await mlflow.deleteExperiment(id);
    assert.equal(seen.delete, 2);
    assert.equal((await mlflow.getExperiment(id)).lifecycleStage, "deleted");
    await mlflow.restoreExperiment(id);
    assert.equal(seen.restore, 2);
    assert.equal((await mlflow.getExperiment(id)).lifecycleStage, "active");
    await mlflow.close();
  } finally {
    await proxy.close();
  }
});

test("runs: deleteRun waits for the run's writes, restoreRun brings it back, getParentRun finds the parent", async () => {
  const uri = await trackingUri();
  const experimentName = uniqueName("run-api");
  const mlflow = createMlflow({ trackingUri: uri, experimentName, ...quiet });
  const parent = mlflow.startRun({ runName: "parent" });
  const child = parent.startChildRun({ runName: "child" });
  child.logMetric("loss", 0.25);
  await mlflow.deleteRun(child); // the metric went first
  const childId = (await child.info()).runId;
  const stage = () =>
    python(
      `import mlflow; print("OUT:" + mlflow.MlflowClient().get_run("${childId}").info.lifecycle_stage)`,
      uri,
    );
  assert.equal(stage(), "deleted");
  const read = await mlflow.getRun(childId);
  assert.equal(read.info.lifecycleStage, "deleted");
  assert.equal(read.metrics.loss, 0.25);
  const active = await mlflow.searchRuns({ experimentIds: [read.info.experimentId] });
  assert.deepEqual(active.map((r) => r.info.runName), ["parent"]);
  await mlflow.restoreRun(childId);
  assert.equal(stage(), "active");

  const found = await mlflow.getParentRun(child);
  assert.equal(found?.info.runId, (await parent.info()).runId);
  assert.equal(await mlflow.getParentRun(parent), undefined);
  await mlflow.close();
});

test("runs: deleteTag keeps its place among the run's tag writes, and a retried delete is no error", async () => {
  const uri = await trackingUri();
  const warnings: MlflowError[] = [];
  const mlflow = createMlflow({
    trackingUri: uri,
    experimentName: uniqueName("tags"),
    exitFlushMs: 0,
    onError: (e) => warnings.push(e),
  });
  const run = mlflow.startRun();
  run.setTags({ sent: "1", kept: "yes" });
  await mlflow.flush();
  run.setTag("sent", "2").deleteTag("sent"); // set and deleted in one tick: gone
  run.setTag("unsent", "x").deleteTag("unsent"); // never reached the server: gone, no error
  run.deleteTag("reset").setTag("reset", "after"); // deleted, then set again: kept
  run.setTag("twice", "1");
  await mlflow.flush();
  run.deleteTag("twice").setTag("twice", "2").deleteTag("twice"); // the last call decides: gone
  await mlflow.flush();
  const tags = (await mlflow.getRun(run)).tags;
  assert.equal(tags.sent, undefined);
  assert.equal(tags.unsent, undefined);
  assert.equal(tags.reset, "after");
  assert.equal(tags.twice, undefined);
  assert.equal(tags.kept, "yes");
  assert.equal(warnings.length, 0, warnings.map((w) => w.message).join("; "));
  assert.throws(() => run.deleteTag("bad key!"), MlflowValidationError);
  await mlflow.close();

  // Through a proxy that loses the answer to the first delete: the retry meets "no such tag",
  // which is our own first attempt having landed.
  let deletes = 0;
  const proxy = await startFaultProxy(
    uri,
    ({ path }) => path.endsWith("/runs/delete-tag") && ++deletes === 1 ? "reset-after" : undefined,
  );
  try {
    const retrying = createMlflow({
      trackingUri: proxy.uri,
      experimentName: uniqueName("tags"),
      retry: { baseDelayMs: 10, maxDelayMs: 50 },
      exitFlushMs: 0,
      onError: (e) => warnings.push(e),
    });
    const other = retrying.startRun().setTag("gone", "1");
    await retrying.flush();
    other.deleteTag("gone");
    await retrying.flush();
    assert.equal(deletes, 2);
    assert.equal((await retrying.getRun(other)).tags.gone, undefined);
    assert.equal(warnings.length, 0, warnings.map((w) => w.message).join("; "));
    await retrying.close();
  } finally {
    await proxy.close();
  }
});

test("runs: startRun({ runId }) continues a run, ours or Python's, with its tables and params kept", async () => {
  const uri = await trackingUri();
  const experimentName = uniqueName("resume");
  const first = createMlflow({ trackingUri: uri, experimentName, ...quiet });
  const run = first.startRun({ runName: "job-1" })
    .logParam("model", "m1")
    .logMetric("score", 0.5, { step: 0 })
    .logTable([{ q: "a" }], "first.json");
  await run.end("FAILED");
  const runId = (await run.info()).runId;
  await first.close();

  const second = createMlflow({ trackingUri: uri, experimentName, ...quiet });
  const resumed = second.startRun({ runId, runName: "job-2", tags: { attempt: "2" } });
  resumed.logMetric("score", 0.75, { step: 1 }).logTable([{ q: "b" }], "second.json");
  resumed.logDict({ temperature: 0.2 }, "config.json");
  assert.equal((await resumed.info()).status, "RUNNING");
  // The run's own param is known once it is read: another value is refused at the call.
  assert.throws(() => resumed.logParam("model", "m2"), MlflowValidationError);
  resumed.logParam("model", "m1"); // the same value is fine
  await resumed.end("FINISHED");
  await second.flush();

  const data = await second.getRun(runId);
  assert.equal(data.info.status, "FINISHED");
  assert.equal(data.info.runName, "job-2");
  assert.equal(data.tags.attempt, "2");
  const history = await second.getMetricHistory(runId, "score");
  assert.deepEqual(history.map((p) => [p.step, p.value]), [[0, 0.5], [1, 0.75]]);
  assert.deepEqual(
    JSON.parse(data.tags["mlflow.loggedArtifacts"]).map((t: { path: string }) => t.path),
    ["first.json", "second.json"],
  );
  assert.deepEqual(
    JSON.parse(new TextDecoder().decode(await second.downloadArtifact(runId, "config.json"))),
    { temperature: 0.2 },
  );
  const runs = await second.searchRuns({ experimentIds: [data.info.experimentId] });
  assert.equal(runs.length, 1, "nothing was created");

  // A run Python started and left open, finished from TypeScript.
  const pyRun = python(
    `import mlflow
mlflow.set_experiment("${experimentName}")
run = mlflow.start_run(run_name="python")
mlflow.log_metric("score", 1.0, step=0)
print("OUT:" + run.info.run_id)`,
    uri,
  );
  const fromPython = second.startRun({ runId: pyRun, experimentName });
  fromPython.logMetric("score", 2.0, { step: 1 });
  await fromPython.end("KILLED");
  await second.flush();
  const status = JSON.parse(python(
    `import mlflow, json
c = mlflow.MlflowClient()
r = c.get_run("${pyRun}")
print("OUT:" + json.dumps([r.info.status, [(m.step, m.value) for m in c.get_metric_history("${pyRun}", "score")]]))`,
    uri,
  ));
  assert.deepEqual(status, ["KILLED", [[0, 1], [1, 2]]]);
  await second.close();
});

test("runs: resuming a deleted run, or one of another experiment, fails its writes and says so", async () => {
  const uri = await trackingUri();
  const mlflow = createMlflow({ trackingUri: uri, experimentName: uniqueName("resume"), ...quiet });
  const run = mlflow.startRun();
  await run.end();
  const runId = (await run.info()).runId;
  assert.throws(
    () => mlflow.startRun({ runId, parent: run }),
    (e: unknown) => e instanceof MlflowValidationError && e.rule === "resume" && e.key === "parent",
  );
  assert.throws(
    () => mlflow.startRun({ runId: "a/b" }),
    (e: unknown) => e instanceof MlflowValidationError && e.key === "runId",
  );

  const elsewhere = mlflow.startRun({ runId, experimentId: "0" });
  elsewhere.logMetric("x", 1);
  await assert.rejects(mlflow.flush(), (e: unknown) => {
    assert.ok(e instanceof MlflowFlushError);
    assert.match(e.errors[0].message, /could not be resumed: run \w+ belongs to experiment/);
    return true;
  });

  await mlflow.deleteRun(runId);
  const deleted = mlflow.startRun({ runId });
  deleted.logMetric("x", 1);
  await assert.rejects(mlflow.flush(), (e: unknown) => {
    assert.ok(e instanceof MlflowFlushError);
    assert.ok(e.errors.some((x) => /is deleted; restoreRun it first/.test(x.message)));
    assert.ok(e.errors.some((x) => x.errorCode === "RUN_NOT_CREATED" && /1 item/.test(x.message)));
    return true;
  });
  assert.deepEqual((await mlflow.getRun(runId)).metrics, {});
  await mlflow.close();
});

test("source tags: runs and traces say which script and user they come from, as Python's do; false sets none", async () => {
  const uri = await trackingUri();
  const experimentName = uniqueName("source");
  const detected = createMlflow({ trackingUri: uri, experimentName, ...quiet });
  const run = detected.startRun({ tags: { "mlflow.user": "ci-bot" } });
  await detected.trace("answer", () => "42", { run });
  run.end();
  await detected.flush();
  const tags = (await detected.getRun(run)).tags;
  assert.equal(tags["mlflow.source.type"], "LOCAL");
  assert.ok(tags["mlflow.source.name"]?.length > 0, "the main script is named");
  assert.equal(tags["mlflow.user"], "ci-bot", "the caller's tag wins");
  const [trace] = await detected.searchTraces({ experimentIds: [(await run.info()).experimentId] });
  assert.equal(trace.metadata["mlflow.source.name"], tags["mlflow.source.name"]);
  assert.equal(trace.metadata["mlflow.source.type"], "LOCAL");
  // Python reads the run's source the way its UI column does.
  const source = python(
    `import mlflow; r = mlflow.MlflowClient().get_run("${
      (await run.info()).runId
    }"); print("OUT:" + r.data.tags["mlflow.source.type"])`,
    uri,
  );
  assert.equal(source, "LOCAL");
  await detected.close();

  const custom = createMlflow({
    trackingUri: uri,
    experimentName,
    sourceTags: { "mlflow.source.git.commit": "abc123", "mlflow.source.name": "" },
    ...quiet,
  });
  const other = custom.startRun();
  other.end();
  await custom.flush();
  const customTags = (await custom.getRun(other)).tags;
  assert.equal(customTags["mlflow.source.git.commit"], "abc123");
  assert.equal(customTags["mlflow.source.name"], undefined, "an empty value removes a tag");
  await custom.close();

  const none = createMlflow({ trackingUri: uri, experimentName, sourceTags: false, ...quiet });
  const bare = none.startRun();
  bare.end();
  await none.flush();
  const bareTags = Object.keys((await none.getRun(bare)).tags).filter((k) => k.includes("source"));
  assert.deepEqual(bareTags, []);
  await none.close();
  assert.throws(
    () => createMlflow({ trackingUri: uri, sourceTags: { "mlflow.user": 1 as unknown as string } }),
    (e: unknown) => e instanceof MlflowValidationError && e.key === "mlflow.user",
  );
});

test("source tags: an imported Inspect log's own git revision wins over the importing process's", async () => {
  const uri = await trackingUri();
  const experimentName = uniqueName("revision");
  const log = readJsonFixture("no_samples.json");
  log.eval.revision = {
    type: "git",
    origin: "https://ci-bot:ghp_secret@github.com/acme/evals.git",
    commit: "e9a9d7161",
  };
  const mlflow = createMlflow({
    trackingUri: uri,
    experimentName,
    sourceTags: { "mlflow.source.git.commit": "0000000", "mlflow.source.git.branch": "local" },
    ...quiet,
  });
  await replayLog(log, mlflowHooks({ mlflow, experimentName }));
  await mlflow.flush();
  const experiment = await mlflow.getExperimentByName(experimentName);
  const runs = await mlflow.searchRuns({ experimentIds: [experiment!.experimentId] });
  const task = runs.find((r) => r.tags["inspect.task"])!;
  assert.equal(task.tags["mlflow.source.git.commit"], "e9a9d7161");
  assert.equal(task.tags["mlflow.source.git.repoURL"], "https://github.com/acme/evals.git");
  assert.equal(task.tags["mlflow.source.git.branch"], undefined, "not this process's branch");
  assert.ok(!JSON.stringify(runs).includes("ghp_secret"));
  await mlflow.close();
});
