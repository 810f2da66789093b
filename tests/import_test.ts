// Copyright 2026 the evalhooks authors. MIT license.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createMlflow, type Mlflow } from "../mod.ts";
import {
  importInspectLog,
  type ImportProgress,
  readInspectLog,
} from "../src/integrations/inspect/mod.ts";
import { startFaultProxy } from "./harness/fault_proxy.ts";
import { fixtureNames, FIXTURES } from "./harness/fixtures.ts";
import { trackingUri, uniqueName } from "./harness/server.ts";
import { describeExperiment } from "./harness/compare.ts";

const ROOT = new URL("../", import.meta.url).pathname;

for (const name of [...fixtureNames(".eval"), ...fixtureNames(".json")]) {
  test(`import: ${name} imports`, async () => {
    const experimentName = uniqueName("import");
    const result = await importInspectLog(join(FIXTURES, name), {
      trackingUri: await trackingUri(),
      experimentName,
      env: {},
    });
    assert.equal(result.status, "imported", result.reason);
    const reader = createMlflow({ trackingUri: await trackingUri() });
    const experiment = await reader.getExperimentByName(experimentName);
    const runs = await reader.searchRuns({ experimentIds: [experiment!.experimentId] });
    assert.equal(runs.length, 2);
    const task = runs.find((r) => r.tags["inspect.eval_id"])!;
    assert.equal(task.tags["inspect.eval_id"], result.evalId);
    assert.ok(["FINISHED", "FAILED", "KILLED"].includes(task.info.status));
  });
}

test("import: the .eval, chunked .eval and .json of the same log give the same MLflow content", async () => {
  const uri = await trackingUri();
  const reader: Mlflow = createMlflow({ trackingUri: uri });
  const described = [];
  for (const file of ["formats.eval", "formats.json", "chunked.eval"]) {
    const experimentName = uniqueName("same-log");
    const result = await importInspectLog(join(FIXTURES, file), {
      trackingUri: uri,
      experimentName,
      env: {},
    });
    assert.equal(result.status, "imported", result.reason);
    described.push(await describeExperiment(reader, experimentName));
  }
  assert.deepEqual(described[1], described[0]);
  assert.deepEqual(described[2], described[0]);
});

test("import: the result counts the samples read, with and without onSample, and on a dry run", async () => {
  const path = join(FIXTURES, "formats.eval");
  const log = await readInspectLog(path);
  let count = 0;
  for await (const _sample of log.samples()) count++;
  await log.close();
  assert.ok(count > 1);
  const uri = await trackingUri();
  const options = { trackingUri: uri, env: {}, force: true };
  const plain = await importInspectLog(path, { ...options, experimentName: uniqueName("count") });
  assert.equal(plain.samples, count, "counted without an onSample callback");
  const seen: number[] = [];
  const watched = await importInspectLog(path, {
    ...options,
    experimentName: uniqueName("count"),
    onSample: (done) => seen.push(done),
  });
  assert.equal(watched.samples, count);
  assert.equal(seen.length, count);
  const dry = await importInspectLog(path, { ...options, dryRun: true });
  assert.equal(dry.status, "checked");
  assert.equal(dry.samples, count);
});

test("import: a re-import is skipped; force imports into new runs", async () => {
  const uri = await trackingUri();
  const experimentName = uniqueName("reimport");
  const path = join(FIXTURES, "streaming.eval");
  assert.equal(
    (await importInspectLog(path, { trackingUri: uri, experimentName, env: {} })).status,
    "imported",
  );
  const again = await importInspectLog(path, { trackingUri: uri, experimentName, env: {} });
  assert.equal(again.status, "skipped");
  assert.match(again.reason ?? "", /already imported/);
  assert.equal(
    (await importInspectLog(path, { trackingUri: uri, experimentName, force: true, env: {} }))
      .status,
    "imported",
  );
  const reader = createMlflow({ trackingUri: uri });
  const experiment = await reader.getExperimentByName(experimentName);
  // The forced import is a second task run under the same parent (one parent per eval run).
  const runs = await reader.searchRuns({ experimentIds: [experiment!.experimentId] });
  assert.equal(runs.length, 3);
  const parents = runs.filter((r) => !r.tags["mlflow.parentRunId"]);
  assert.equal(parents.length, 1);
  assert.equal(parents[0].tags["inspect.task_count"], "1");
});

function cli(args: string[], env: Record<string, string> = {}) {
  return spawnSync("deno", ["run", "-A", join(ROOT, "cli.ts"), ...args], {
    encoding: "utf8",
    env: { ...process.env, ...env },
    timeout: 120_000,
  });
}

test("import: CLI usage: --help, bad options and missing paths", () => {
  const help = cli(["--help"]);
  assert.equal(help.status, 0);
  assert.match(help.stdout, /--no-traces/);
  assert.equal(cli([]).status, 2);
  assert.equal(cli(["import"]).status, 2);
  assert.equal(cli(["import", "x", "--bogus"]).status, 2);
  assert.equal(cli(["import", "/no/such/path.eval"]).status, 2);
  assert.equal(cli(["export", "x"]).status, 2);
});

test("import: CLI: a truncated .eval fails clearly, the next log still imports, exit code 1", async () => {
  const dir = mkdtempSync(join(tmpdir(), "evalhooks-cli-"));
  const good = readFileSync(join(FIXTURES, "streaming.eval"));
  writeFileSync(join(dir, "a-truncated.eval"), good.subarray(0, good.length - 500));
  copyFileSync(join(FIXTURES, "formats.eval"), join(dir, "b-good.eval"));
  writeFileSync(join(dir, "c-not-a-log.json"), '{"hello": "world"}');
  const experimentName = uniqueName("cli");
  const out = cli(["import", dir, "--experiment", experimentName], {
    MLFLOW_TRACKING_URI: await trackingUri(),
  });
  assert.equal(out.status, 1, out.stderr);
  assert.match(out.stderr, /failed\s+.*a-truncated\.eval.*truncated/);
  assert.match(out.stderr, /imported\s+.*b-good\.eval/);
  assert.match(out.stderr, /skipped\s+.*c-not-a-log\.json.*not an Inspect log/);
  assert.match(out.stdout, /logs: 1 imported, 1 skipped, 1 failed/);
  assert.match(out.stdout, /HTTP requests: \d+/);
  const dry = cli(["import", join(FIXTURES, "formats.eval"), "--dry-run"]);
  assert.equal(dry.status, 0, dry.stderr);
  assert.match(dry.stdout, /1 checked \(dry run\)/);
});

test("import: progress counts what reached the server, and reaches 100 % only when all of it has", async () => {
  const proxy = await startFaultProxy(await trackingUri());
  proxy.setDelay(40); // a slow server: delivery lags well behind reading
  try {
    const events: (ImportProgress & { requests: number })[] = [];
    const result = await importInspectLog(join(FIXTURES, "large.json"), {
      trackingUri: proxy.uri,
      experimentName: uniqueName("progress"),
      env: {},
      onProgress: (p) => events.push({ ...p, requests: proxy.requests }),
    });
    assert.equal(result.status, "imported", result.reason);
    const total = result.samples;
    assert.ok(total >= 20);
    const last = events.at(-1)!;
    assert.deepEqual([last.read, last.sent, last.total], [total, total, total]);
    assert.ok(
      events.some((e) => e.read === total && e.sent < total),
      "a moment when every sample was read and not all were on the server",
    );
    for (let i = 1; i < events.length; i++) {
      assert.ok(events[i].sent >= events[i - 1].sent, "sent never goes back");
      assert.ok(events[i].sent <= events[i].read, "never more sent than read");
    }
    const firstFull = events.find((e) => e.sent === total)!;
    assert.equal(firstFull.requests, proxy.requests, "no request was still to come at 100 %");
  } finally {
    await proxy.close();
  }
});
