// Copyright 2026 the evalhooks authors. MIT license.
// The long outage of `deno task stress` and of tests/capacity_test.ts: a real MLflow server stopped for 120 s while 20
// runs keep logging, with the client's default retry options, then restarted on the same store.
// Everything logged before, during and after (metrics, a tag and a text artifact per phase, a
// param during the outage, the final status) must land, once.

import { createMlflow, type MlflowError } from "../../mod.ts";
import { startLocalMlflow } from "../../src/local_server/mlflow_server.ts";

/** What the phase found. */
export interface OutageReport {
  outageSeconds: number;
  logged: number;
  landed: number;
  lost: number;
  duplicated: number;
  requestsDuringOutage: number;
  errors: string[];
}

/** Runs the phase on a server of its own (it stops that server). */
export async function runLongOutage(outageMs = 120_000, runs = 20): Promise<OutageReport> {
  const server = await startLocalMlflow();
  try {
    const errors: MlflowError[] = [];
    const mlflow = createMlflow({
      trackingUri: server.uri,
      experimentName: "long-outage",
      onError: (e) => errors.push(e),
    });
    const handles = Array.from({ length: runs }, (_, r) => mlflow.startRun({ runName: `o-${r}` }));
    const phases = ["before", "during", "after"];
    const log = (from: number) => {
      const phase = phases[from / 500];
      for (const run of handles) {
        for (let i = from; i < from + 500; i++) run.logMetric("m", i, { step: i });
        run.setTag(`phase.${phase}`, "yes");
        run.logText(`logged ${phase}`, `${phase}.txt`);
        if (phase === "during") run.logParam("during_param", 1);
      }
    };
    log(0);
    await mlflow.flush();
    await server.stop();
    const down = Date.now();
    const requestsBefore = mlflow.stats().requests;
    log(500);
    await new Promise((r) => setTimeout(r, outageMs));
    const requestsDuringOutage = mlflow.stats().requests - requestsBefore;
    await server.start();
    const outageSeconds = (Date.now() - down) / 1000;
    log(1000);
    for (const run of handles) run.end();
    await mlflow.flush().catch(() => {}); // failures are in `errors`
    const reader = createMlflow({ trackingUri: server.uri, exitFlushMs: false });
    let landed = 0;
    let duplicated = 0;
    for (const run of handles) {
      const steps = (await reader.getMetricHistory(run, "m")).map((p) => p.step);
      landed += new Set(steps).size;
      duplicated += steps.length - new Set(steps).size;
      const data = await reader.getRun(run);
      landed += data.info.status === "FINISHED" ? 1 : 0;
      landed += data.params.during_param === "1" ? 1 : 0;
      for (const phase of phases) {
        landed += data.tags[`phase.${phase}`] === "yes" ? 1 : 0;
        const text = new TextDecoder().decode(await reader.downloadArtifact(run, `${phase}.txt`));
        landed += text === `logged ${phase}` ? 1 : 0;
      }
    }
    // Per run: 1,500 metric points, 3 tags, 3 texts, a param and the FINISHED status.
    const logged = runs * (1500 + 3 + 3 + 1 + 1);
    return {
      outageSeconds,
      logged,
      landed,
      lost: logged - landed,
      duplicated,
      requestsDuringOutage,
      errors: errors.map((e) => e.message),
    };
  } finally {
    await server.close();
  }
}
