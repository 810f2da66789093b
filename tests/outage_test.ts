// Copyright 2026 the evalhooks authors. MIT license.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createMlflow, type MlflowError } from "../mod.ts";
import { startLocalMlflow } from "../src/local_server/mlflow_server.ts";
import { startFaultProxy } from "./harness/fault_proxy.ts";
import { trackingUri, uniqueName } from "./harness/server.ts";

const OUTAGE_MS = 15_000;

test("outage: the server stops for 15 s mid-run; everything logged before, during and after lands once", async () => {
  // Its own server: this test stops it.
  const server = await startLocalMlflow();
  try {
    const errors: MlflowError[] = [];
    // Default retry options: the point is that the defaults ride this out.
    const mlflow = createMlflow({
      trackingUri: server.uri,
      experimentName: "outage",
      onError: (e) => errors.push(e),
    });
    const run = mlflow.startRun({ runName: "through-the-outage" });
    const log = (phase: string, from: number) => {
      for (let i = from; i < from + 500; i++) run.logMetric("m", i, { step: i });
      run.setTag(`phase.${phase}`, "yes");
      run.logText(`logged ${phase}`, `${phase}.txt`);
    };
    log("before", 0);
    await mlflow.flush();

    await server.stop();
    const down = Date.now();
    log("during", 500);
    run.logParam("during_param", 1);
    await new Promise((r) => setTimeout(r, OUTAGE_MS));
    await server.start();
    const outage = Date.now() - down; // includes the server's own start-up time
    log("after", 1000);
    run.end();
    await mlflow.flush();

    assert.deepEqual(errors.map((e) => e.message), []);
    const reader = createMlflow({ trackingUri: server.uri });
    const data = await reader.getRun(run);
    assert.equal(data.info.status, "FINISHED");
    assert.equal(data.params.during_param, "1");
    for (const phase of ["before", "during", "after"]) {
      assert.equal(data.tags[`phase.${phase}`], "yes");
      const text = new TextDecoder().decode(await reader.downloadArtifact(run, `${phase}.txt`));
      assert.equal(text, `logged ${phase}`);
    }
    const steps = (await reader.getMetricHistory(run, "m")).map((p) => p.step).sort((a, b) =>
      a - b
    );
    assert.deepEqual(steps, [...Array(1500).keys()]);
    console.log(`outage ridden out: ${(outage / 1000).toFixed(1)} s of server unavailability`);
  } finally {
    await server.close();
  }
});

test("outage: pending requests wait on one probe, not one retry loop each, and all land", async () => {
  const upstream = await trackingUri();
  let down = false;
  const proxy = await startFaultProxy(upstream, () => (down ? "reset-before" : undefined));
  try {
    const errors: MlflowError[] = [];
    const mlflow = createMlflow({
      trackingUri: proxy.uri,
      experimentName: uniqueName("outage-probe"),
      onError: (e) => errors.push(e),
    });
    const RUNS = 20;
    const runs = Array.from({ length: RUNS }, (_, r) => mlflow.startRun({ runName: `probe-${r}` }));
    await mlflow.flush(); // every run exists before the outage
    down = true;
    const before = proxy.requests;
    for (const run of runs) for (let i = 0; i < 100; i++) run.logMetric("m", i, { step: i });
    await new Promise((r) => setTimeout(r, 8_000));
    const duringOutage = proxy.requests - before;
    down = false;
    for (const run of runs) run.end();
    await mlflow.flush();
    assert.deepEqual(errors.map((e) => e.message), []);
    // One probe on the backoff schedule (0.5, 1, 2, 4 s: 5 attempts in 8 s) plus the first
    // attempt of each of the 20 batches, which were already on their way: about 25. Deno's fetch
    // may re-send an attempt on a reset connection by itself, which the proxy counts twice (30
    // seen on a busy machine). Without the shared recovery each batch retried on its own
    // schedule: 99.
    assert.ok(duringOutage <= 45, `${duringOutage} requests during an 8 s outage`);
    console.log(`outage of 8 s with ${RUNS} pending batches: ${duringOutage} requests`);
    const reader = createMlflow({ trackingUri: upstream });
    for (const run of runs) {
      assert.equal((await reader.getMetricHistory(run, "m")).length, 100);
      assert.equal((await reader.getRun(run)).info.status, "FINISHED");
    }
  } finally {
    await proxy.close();
  }
});
