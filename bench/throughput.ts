// Copyright 2026 the evalhooks authors. MIT license.
// Throughput to one real MLflow server, side by side in one run: ours, the server's raw limit
// (a bare loop POSTing pre-serialised 1,000-metric log-batch bodies at the same concurrency),
// Python's MlflowClient.log_batch loop, Python's async log_metric, and the npm `mlflow` client.
// Every peer logs the same workload into its own experiment; each rate counts only the metrics
// read back afterwards. Prints one JSON line.

import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { createMlflow, DEFAULT_MAX_IN_FLIGHT } from "../mod.ts";
import { ensureMlflowVenv, startLocalMlflow } from "../src/local_server/mlflow_server.ts";

const RUNS = DEFAULT_MAX_IN_FLIGHT; // one run per request slot: everyone gets the same concurrency
const PER_RUN = Number(Deno.env.get("BENCH_METRICS_PER_RUN") ?? 10_000);
// One Python call per metric, ~130 metrics/s: a smaller load, the same rate measure.
const PY_ASYNC_PER_RUN = Math.min(PER_RUN, 500);
const ROUNDS = Number(Deno.env.get("BENCH_ROUNDS") ?? 3);
const here = new URL(".", import.meta.url).pathname;

const server = await startLocalMlflow();
const uri = server.uri;
const admin = createMlflow({ trackingUri: uri });

async function counted(runIds: string[]): Promise<number> {
  let n = 0;
  for (const id of runIds) n += (await admin.getMetricHistory(id, "m")).length;
  return n;
}

type Row = {
  peer: string;
  metrics: number;
  landed: number;
  seconds: number;
  rate: number;
  note: string;
};
const rows: Row[] = [];
const record = async (
  peer: string,
  perRun: number,
  seconds: number,
  runIds: string[],
  note = "",
) => {
  const landed = await counted(runIds);
  rows.push({ peer, metrics: RUNS * perRun, landed, seconds, rate: landed / seconds, note });
};

async function ours(round: number) {
  const experimentId = await admin.getOrCreateExperiment(`bench-ours-${round}`);
  const mlflow = createMlflow({ trackingUri: uri, experimentId });
  const t0 = performance.now();
  const runs = Array.from({ length: RUNS }, (_, r) => mlflow.startRun({ runName: `ours-${r}` }));
  for (const run of runs) {
    for (let i = 0; i < PER_RUN; i++) {
      run.logMetric("m", i % 97, { step: i, timestamp: 1_700_000_000_000 + i });
    }
  }
  await mlflow.flush();
  const seconds = (performance.now() - t0) / 1000;
  const runIds = await Promise.all(runs.map(async (r) => (await r.info()).runId));
  await record(
    "@evalhooks/mlflow",
    PER_RUN,
    seconds,
    runIds,
    `${mlflow.stats().requests} requests, runs created in the timed part`,
  );
}

async function raw(round: number) {
  const experimentId = await admin.getOrCreateExperiment(`bench-raw-${round}`);
  const runIds: string[] = [];
  for (let r = 0; r < RUNS; r++) {
    const res = await fetch(`${uri}/api/2.0/mlflow/runs/create`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ experiment_id: experimentId, start_time: Date.now() }),
    });
    runIds.push((await res.json()).run.info.run_id);
  }
  const bodies: string[] = [];
  for (const runId of runIds) {
    for (let start = 0; start < PER_RUN; start += 1000) {
      const metrics = [];
      for (let i = start; i < Math.min(PER_RUN, start + 1000); i++) {
        metrics.push({ key: "m", value: i % 97, timestamp: 1_700_000_000_000 + i, step: i });
      }
      bodies.push(JSON.stringify({ run_id: runId, metrics }));
    }
  }
  const t0 = performance.now();
  let next = 0;
  await Promise.all(Array.from({ length: RUNS }, async () => {
    while (next < bodies.length) {
      const body = bodies[next++];
      const res = await fetch(`${uri}/api/2.0/mlflow/runs/log-batch`, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body,
      });
      await res.body?.cancel();
    }
  }));
  await record(
    "raw log-batch loop (server limit)",
    PER_RUN,
    (performance.now() - t0) / 1000,
    runIds,
    `${bodies.length} requests, concurrency ${RUNS}, runs made before timing`,
  );
}

try {
  // Warm the server up (its first requests pay for imports and caches), then alternate ours and
  // the raw loop so neither always goes first.
  await raw(-1);
  rows.length = 0;
  for (let round = 0; round < ROUNDS; round++) {
    if (round % 2 === 0) {
      await ours(round);
      await raw(round);
    } else {
      await raw(round);
      await ours(round);
    }
  }
  // Python, from the same venv as the server.
  const python = join(ensureMlflowVenv(), "python");
  for (
    const [mode, perRun, name] of [["batch", PER_RUN, "Python MlflowClient.log_batch"], [
      "async",
      PY_ASYNC_PER_RUN,
      "Python log_metric(synchronous=False)",
    ]] as const
  ) {
    const experimentId = await admin.getOrCreateExperiment(`bench-python-${mode}`);
    const out = spawnSync(python, [
      join(here, "peers/python_peers.py"),
      mode,
      uri,
      experimentId,
      String(RUNS),
      String(perRun),
    ], {
      encoding: "utf8",
      env: { ...Deno.env.toObject(), MLFLOW_TRACKING_URI: "" },
      maxBuffer: 1 << 26,
    });
    if (out.status !== 0) throw new Error(`python ${mode}: ${out.stderr.slice(-2000)}`);
    const result = JSON.parse(out.stdout.trim().split("\n").at(-1)!);
    await record(
      name,
      perRun,
      result.seconds,
      result.runIds,
      mode === "async" ? `${perRun} per run` : "sequential loop",
    );
  }
  // The npm `mlflow` client, under Node.
  if (existsSync(join(here, "peers/node_modules/mlflow"))) {
    const experimentId = await admin.getOrCreateExperiment("bench-npm");
    const out = spawnSync("node", [
      join(here, "peers/npm_peer.mjs"),
      uri,
      experimentId,
      String(RUNS),
      String(PER_RUN),
    ], {
      encoding: "utf8",
      stdio: ["ignore", "ignore", "pipe"],
      maxBuffer: 1 << 26,
    });
    if (out.status !== 0) throw new Error(`npm peer: ${out.stderr.slice(-2000)}`);
    const result = JSON.parse(out.stderr.trim().split("\n").at(-1)!);
    await record(
      "npm mlflow 2.0.7 (logBatch)",
      PER_RUN,
      result.seconds,
      result.runIds,
      "runs concurrent, batches awaited",
    );
  }
} finally {
  await server.close();
}
console.log(JSON.stringify(rows));
