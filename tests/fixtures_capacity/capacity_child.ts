// Copyright 2026 the evalhooks authors. MIT license.
// One runtime's capacity case for tests/capacity_test.ts, in a process of its own (so its memory
// is its own): a server of its own stopped for OUTAGE_MS (120 s) under 20 logging runs, and, at the
// same time, 1,000,000 metrics in one tick to a second server of its own, healthy (the shared test
// server would make the two runtimes' millions wait on each other's SQLite writes). Default
// options throughout. Prints one JSON line.

import process from "node:process";
import { startLocalMlflow } from "../../src/local_server/mlflow_server.ts";
import { runLongOutage } from "../harness/long_outage.ts";
import { logMillionInOneTick } from "../harness/million.ts";

const healthy = await startLocalMlflow();
try {
  const [outage, million] = await Promise.all([
    runLongOutage(Number(process.env.OUTAGE_MS ?? 120_000)),
    logMillionInOneTick(healthy.uri, Number(process.env.METRICS ?? 1_000_000)),
  ]);
  console.log(JSON.stringify({ outage, million }));
} finally {
  await healthy.close();
}
