// Copyright 2026 the evalhooks authors. MIT license.
// `deno task stress`: the full chaos scenario (20 runs, 100,000 metrics, 200 params, 1,000 tags,
// 200 artifacts, 20% mixed faults) against a real MLflow server, read back and checked.
// Prints a JSON line and exits non-zero if anything was lost, duplicated or corrupted.

import { startLocalMlflow } from "../src/testing/mlflow_server.ts";
import { runChaos } from "../tests/harness/chaos.ts";

const given = Deno.env.get("MLFLOW_TRACKING_URI");
const server = given ? undefined : await startLocalMlflow();
try {
  const report = await runChaos(given ?? server!.uri, {
    runs: 20,
    metrics: 100_000,
    params: 200,
    tags: 1000,
    artifacts: 200,
    faultRate: 0.2,
    seed: 2026,
  });
  const injected = Object.values(report.faults).reduce((a, b) => a + b, 0);
  const ok = report.lost === 0 && report.duplicated === 0 && report.badArtifacts === 0 &&
    report.badStatuses === 0 && report.errors.length === 0;
  console.log(
    JSON.stringify({ ...report, errors: report.errors.map((e) => e.message), injected, ok }),
  );
  if (!ok) Deno.exitCode = 1;
} finally {
  await server?.close();
}
