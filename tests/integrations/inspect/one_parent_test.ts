// Copyright 2026 the evalhooks authors. MIT license.

// One parent per Inspect eval run (issue #17, point 1): the two task logs of one eval run
// (`eval([alpha, beta])`, same run_id; fixtures two_tasks_a/b.eval) land under one parent, whether
// imported in one CLI call, in two calls, again, or by two processes at the same time.

import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { join } from "node:path";
import process from "node:process";
import { createMlflow, mlflowHooks, replayLog } from "../../../mod.ts";
import type { RunData } from "../../../src/store/types.ts";
import { importInspectLog, readInspectLog } from "../../../src/integrations/inspect/mod.ts";
import { FIXTURES } from "../../harness/fixtures.ts";
import { trackingUri, uniqueName } from "../../harness/server.ts";

const ROOT = new URL("../../../", import.meta.url).pathname;
const A = join(FIXTURES, "two_tasks_a.eval");
const B = join(FIXTURES, "two_tasks_b.eval");

interface Tree {
  parents: RunData[];
  children: RunData[];
  all: RunData[];
}

async function tree(uri: string, experimentName: string): Promise<Tree> {
  const mlflow = createMlflow({ trackingUri: uri });
  const id = (await mlflow.getExperimentByName(experimentName))!.experimentId;
  const all = await mlflow.searchRuns({ experimentIds: [id], runViewType: "ALL" });
  const active = all.filter((r) => r.info.lifecycleStage !== "deleted");
  return {
    parents: active.filter((r) => !r.tags["mlflow.parentRunId"]),
    children: active.filter((r) => r.tags["mlflow.parentRunId"]),
    all,
  };
}

function assertOneParent(t: Tree, tasks: string[]) {
  assert.equal(t.parents.length, 1, `one parent: ${t.parents.map((p) => p.info.runId)}`);
  const [parent] = t.parents;
  assert.equal(t.children.length, tasks.length);
  for (const child of t.children) {
    assert.equal(child.tags["mlflow.parentRunId"], parent.info.runId);
  }
  assert.deepEqual(t.children.map((c) => c.tags["inspect.task"]).sort(), [...tasks].sort());
  assert.equal(parent.tags["inspect.task_count"], String(tasks.length));
  assert.equal(parent.tags["inspect.tasks"], tasks.join(", "));
  assert.equal(parent.tags["evalhooks.parentState"], "confirmed");
  assert.equal(parent.info.runName, `inspect-${parent.tags["inspect.run_id"].slice(0, 8)}`);
  assert.equal(parent.info.status, "FINISHED");
  assert.equal(parent.info.endTime, Math.max(...t.children.map((c) => c.info.endTime!)));
  // No task run was ever created under a run that is now deleted.
  const deleted = new Set(
    t.all.filter((r) => r.info.lifecycleStage === "deleted").map((r) => r.info.runId),
  );
  assert.ok(t.all.every((r) => !deleted.has(r.tags["mlflow.parentRunId"] ?? "")));
}

function cli(uri: string, args: string[]) {
  const out = spawnSync("deno", ["run", "-A", join(ROOT, "cli.ts"), "import", ...args], {
    encoding: "utf8",
    env: { ...process.env, MLFLOW_TRACKING_URI: uri },
    timeout: 120_000,
  });
  assert.equal(out.status, 0, out.stderr);
  return out;
}

test("one parent: both task logs in one CLI call", async () => {
  const uri = await trackingUri();
  const experiment = uniqueName("one-parent-call");
  const out = cli(uri, [A, B, "--experiment", experiment, "--no-traces"]);
  assert.match(out.stdout, /logs: 2 imported, 0 skipped, 0 failed/);
  assertOneParent(await tree(uri, experiment), ["alpha", "beta"]);
});

test("one parent: two calls, then a re-import of both that adds nothing", async () => {
  const uri = await trackingUri();
  const experiment = uniqueName("one-parent-two");
  const options = { trackingUri: uri, experimentName: experiment, traces: false, env: {} };
  assert.equal((await importInspectLog(A, options)).status, "imported");
  const first = await tree(uri, experiment);
  assertOneParent(first, ["alpha"]);
  assert.equal((await importInspectLog(B, options)).status, "imported");
  const second = await tree(uri, experiment);
  assertOneParent(second, ["alpha", "beta"]);
  assert.equal(second.parents[0].info.runId, first.parents[0].info.runId);
  // Again: both skipped, no run made (not even a deleted one).
  const out = cli(uri, [A, B, "--experiment", experiment, "--no-traces"]);
  assert.match(out.stdout, /logs: 0 imported, 2 skipped, 0 failed/);
  const third = await tree(uri, experiment);
  assert.equal(third.all.length, second.all.length);
  assertOneParent(third, ["alpha", "beta"]);
});

test("one parent: a later import finds the parent the live hooks made", async () => {
  const uri = await trackingUri();
  const experiment = uniqueName("one-parent-live");
  // alpha logged "live" (through the hooks, which start the parent at on_run_start) ...
  const hooks = mlflowHooks({ trackingUri: uri, experimentName: experiment, tracing: false });
  const reader = await readInspectLog(A);
  try {
    await replayLog(reader.header, hooks, { samples: reader.samples({ order: "completion" }) });
  } finally {
    await reader.close();
  }
  await hooks.flush();
  const live = await tree(uri, experiment);
  assert.equal(live.parents.length, 1);
  // ... then beta imported: it goes under the live parent.
  const result = await importInspectLog(B, {
    trackingUri: uri,
    experimentName: experiment,
    traces: false,
    env: {},
  });
  assert.equal(result.status, "imported", result.reason);
  const t = await tree(uri, experiment);
  assertOneParent(t, ["alpha", "beta"]);
  assert.equal(t.parents[0].info.runId, live.parents[0].info.runId);
});

test("one parent: two clients importing at once in one process (6 rounds, random skew)", async () => {
  const uri = await trackingUri();
  for (let round = 0; round < 6; round++) {
    const experiment = uniqueName("one-parent-race");
    const run = async (path: string, delay: number) => {
      await new Promise((resolve) => setTimeout(resolve, delay));
      return await importInspectLog(path, {
        trackingUri: uri,
        experimentName: experiment,
        traces: false,
        artifacts: false,
        env: {},
      });
    };
    const skew = Math.floor(Math.random() * 60);
    const results = await Promise.all([run(A, round % 2 ? skew : 0), run(B, round % 2 ? 0 : skew)]);
    for (const r of results) assert.equal(r.status, "imported", r.reason);
    assertOneParent(await tree(uri, experiment), ["alpha", "beta"]);
  }
});

function runProcess(runtime: string, args: string[], uri: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(runtime, args, {
      env: { ...process.env, MLFLOW_TRACKING_URI: uri },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    child.stdout.on("data", (d) => out += d);
    child.stderr.on("data", (d) => out += d);
    child.on("error", reject);
    child.on("close", (code) => code === 0 ? resolve(out) : reject(new Error(`${code}: ${out}`)));
  });
}

const hasBun = spawnSync("bun", ["--version"]).status === 0;

test("one parent: two CLI processes at the same time (4 rounds, random skew)", async () => {
  const uri = await trackingUri();
  const cliPath = join(ROOT, "cli.ts");
  for (let round = 0; round < 4; round++) {
    const experiment = uniqueName("one-parent-procs");
    const args = (path: string) => ["import", path, "--experiment", experiment, "--no-traces"];
    // One Deno and one Bun where Bun is there (they start at different speeds), else two Denos.
    const second = hasBun && round % 2 === 1
      ? ["bun", [cliPath, ...args(B)]] as const
      : ["deno", ["run", "-A", cliPath, ...args(B)]] as const;
    const skew = Math.floor(Math.random() * 400);
    const outputs = await Promise.all([
      runProcess("deno", ["run", "-A", cliPath, ...args(A)], uri),
      new Promise((resolve) => setTimeout(resolve, skew)).then(() =>
        runProcess(second[0], [...second[1]], uri)
      ),
    ]);
    for (const out of outputs) assert.match(out, /logs: 1 imported, 0 skipped, 0 failed/);
    assertOneParent(await tree(uri, experiment), ["alpha", "beta"]);
  }
});

test("one log imported twice at the same time: one task run, every sample once (3 rounds in process, 2 as CLI processes)", async () => {
  const uri = await trackingUri();
  const check = async (experiment: string) => {
    const t = await tree(uri, experiment);
    assert.equal(t.parents.length, 1);
    assert.equal(t.children.length, 1, `one task run: ${t.children.map((c) => c.info.runId)}`);
    const [task] = t.children;
    assert.equal(task.info.status, "FINISHED");
    const mlflow = createMlflow({ trackingUri: uri });
    const points = await mlflow.getMetricHistory(task.info.runId, "sample/total_time");
    const log = await readInspectLog(A);
    const expected = log.header.results?.total_samples;
    await log.close();
    assert.equal(points.length, expected, "every sample once");
    // The skipping importer left no shard tag behind that would hold the run open.
    const shards = Object.keys(task.tags).filter((k) => k.startsWith("evalhooks.shard."));
    assert.equal(shards.length, 1);
  };
  for (let round = 0; round < 3; round++) {
    const experiment = uniqueName("same-log-race");
    const run = async (delay: number) => {
      await new Promise((resolve) => setTimeout(resolve, delay));
      return await importInspectLog(A, {
        trackingUri: uri,
        experimentName: experiment,
        traces: false,
        artifacts: false,
        env: {},
      });
    };
    const skew = Math.floor(Math.random() * 80);
    const results = await Promise.all([run(0), run(skew)]);
    assert.deepEqual(results.map((r) => r.status).sort(), ["imported", "skipped"]);
    await check(experiment);
  }
  const cliPath = join(ROOT, "cli.ts");
  for (let round = 0; round < 2; round++) {
    const experiment = uniqueName("same-log-procs");
    const args = ["import", A, "--experiment", experiment, "--no-traces"];
    const second = hasBun && round === 1
      ? ["bun", [cliPath, ...args]] as const
      : ["deno", ["run", "-A", cliPath, ...args]] as const;
    const outputs = await Promise.all([
      runProcess("deno", ["run", "-A", cliPath, ...args], uri),
      new Promise((resolve) => setTimeout(resolve, Math.floor(Math.random() * 300))).then(() =>
        runProcess(second[0], [...second[1]], uri)
      ),
    ]);
    const summary = outputs.join("\n");
    assert.equal((summary.match(/logs: 1 imported, 0 skipped/g) ?? []).length, 1, summary);
    assert.equal((summary.match(/logs: 0 imported, 1 skipped/g) ?? []).length, 1, summary);
    await check(experiment);
  }
});
