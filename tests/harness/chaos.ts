// Copyright 2026 the evalhooks authors. MIT license.

// The "chaos" scenario: many runs logging metrics, params, tags and artifacts concurrently through
// a proxy that injects faults, then everything read back from the server directly. Shared by the
// fast test (tests/reliability_test.ts) and the full `deno task stress`.

import { createMlflow, type MlflowError } from "../../mod.ts";
import { type FaultPolicy, mixedFaults, startFaultProxy } from "./fault_proxy.ts";

/** Sizes of a chaos run. */
export interface ChaosSize {
  runs: number;
  metrics: number;
  params: number;
  tags: number;
  artifacts: number;
  faultRate: number;
  seed?: number;
}

/** What a chaos run found. */
export interface ChaosReport {
  logged: { metrics: number; params: number; tags: number; artifacts: number };
  landed: { metrics: number; params: number; tags: number; artifacts: number };
  lost: number;
  duplicated: number;
  outOfOrder: number;
  badArtifacts: number;
  badStatuses: number;
  requests: number;
  faults: Record<string, number>;
  errors: MlflowError[];
  seconds: number;
}

const METRIC_KEYS = ["sample/accuracy", "sample/f1", "event/tokens", "latency"];

/** Runs the scenario against `upstream` (a real MLflow server) and reads everything back. */
export async function runChaos(
  upstream: string,
  size: ChaosSize,
  policy?: FaultPolicy,
): Promise<ChaosReport> {
  const proxy = await startFaultProxy(
    upstream,
    policy ?? mixedFaults(size.faultRate, size.seed ?? 7),
  );
  const errors: MlflowError[] = [];
  const started = performance.now();
  const experimentName = `chaos-${crypto.randomUUID().slice(0, 8)}`;
  const mlflow = createMlflow({
    trackingUri: proxy.uri,
    experimentName,
    // Fast retries so a test does not sit in backoff; enough of them that 20 % faults never
    // exhaust the budget (0.2^16 per request). The timeout stays above what a real server can
    // need for a batch it must de-duplicate: a client that gives up on a slow batch and re-sends
    // it at once adds a second copy of the work while the first still runs, and at 1.5 s this
    // scenario kept MLflow's server saturated with its own re-sends, never finishing.
    retry: { maxRetries: 16, baseDelayMs: 10, maxDelayMs: 200, timeoutMs: 10_000 },
    onError: (e) => errors.push(e),
  });
  const direct = createMlflow({ trackingUri: upstream });

  const perRun = (total: number, r: number) =>
    Math.floor(total / size.runs) + (r < total % size.runs ? 1 : 0);
  const expected: {
    runName: string;
    status: "FINISHED" | "FAILED" | "KILLED";
    metrics: Map<string, number[]>;
    params: Record<string, string>;
    tags: Record<string, string>;
    artifacts: Map<string, Uint8Array>;
  }[] = [];

  await Promise.all(Array.from({ length: size.runs }, async (_, r) => {
    const runName = `chaos-${r}`;
    const status = (["FINISHED", "FAILED", "KILLED"] as const)[r % 3];
    const run = mlflow.startRun({ runName });
    const exp = {
      runName,
      status,
      metrics: new Map<string, number[]>(),
      params: {} as Record<string, string>,
      tags: {} as Record<string, string>,
      artifacts: new Map<string, Uint8Array>(),
    };
    expected.push(exp);
    const nMetrics = perRun(size.metrics, r);
    const nParams = perRun(size.params, r);
    const nTags = perRun(size.tags, r);
    const nArtifacts = perRun(size.artifacts, r);
    for (let i = 0; i < nParams; i++) {
      exp.params[`param_${i}`] = `value-${r}-${i}`;
      run.logParam(`param_${i}`, `value-${r}-${i}`);
    }
    // Metrics arrive in ticks of 250, like an eval loop that awaits model calls.
    for (let i = 0; i < nMetrics; i++) {
      const key = METRIC_KEYS[i % METRIC_KEYS.length];
      const step = Math.floor(i / METRIC_KEYS.length);
      run.logMetric(key, (step * 31 + r) % 101, { step });
      const steps = exp.metrics.get(key) ?? [];
      steps.push(step);
      exp.metrics.set(key, steps);
      if (i % 250 === 249) await new Promise((resolve) => setTimeout(resolve, 0));
      if (i % 997 === 0 && nTags > 0) {
        const t = (i / 997) % nTags;
        run.setTag(`tag_${t}`, `v${i}`);
        exp.tags[`tag_${t}`] = `v${i}`;
      }
    }
    for (let t = 0; t < nTags; t++) {
      run.setTag(`tag_${t}`, `final-${r}-${t}`);
      exp.tags[`tag_${t}`] = `final-${r}-${t}`;
    }
    for (let a = 0; a < nArtifacts; a++) {
      const bytes = new Uint8Array(2048 + a * 13).map((_, i) => (i * (a + 3) + r) % 256);
      run.logArtifact(bytes, `files/artifact_${a}.bin`);
      exp.artifacts.set(`files/artifact_${a}.bin`, bytes);
    }
    run.end(status);
  }));
  await mlflow.flush().catch(() => {}); // failures are in `errors`, asserted by the caller
  const seconds = (performance.now() - started) / 1000;
  const requests = proxy.requests;
  const faults = { ...proxy.injected };
  await proxy.close();

  // Read back directly from the server, not through the proxy.
  const report: ChaosReport = {
    logged: { metrics: 0, params: 0, tags: 0, artifacts: 0 },
    landed: { metrics: 0, params: 0, tags: 0, artifacts: 0 },
    lost: 0,
    duplicated: 0,
    outOfOrder: 0,
    badArtifacts: 0,
    badStatuses: 0,
    requests,
    faults,
    errors,
    seconds,
  };
  const experimentId = (await direct.getExperimentByName(experimentName))?.experimentId ?? "";
  const runs = await direct.searchRuns({
    experimentIds: [experimentId],
    filter: "attributes.run_name LIKE 'chaos-%'",
  });
  const byName = new Map<string, typeof runs>();
  for (const run of runs) {
    byName.set(run.info.runName, [...(byName.get(run.info.runName) ?? []), run]);
  }
  for (const exp of expected) {
    const found = byName.get(exp.runName) ?? [];
    report.duplicated += Math.max(0, found.length - 1); // a run created twice
    const run = found[0];
    const loggedMetrics = [...exp.metrics.values()].reduce((n, s) => n + s.length, 0);
    report.logged.metrics += loggedMetrics;
    report.logged.params += Object.keys(exp.params).length;
    report.logged.tags += Object.keys(exp.tags).length;
    report.logged.artifacts += exp.artifacts.size;
    if (!run) {
      report.lost += loggedMetrics + Object.keys(exp.params).length + Object.keys(exp.tags).length +
        exp.artifacts.size;
      continue;
    }
    if (run.info.status !== exp.status) report.badStatuses++;
    for (const [key, steps] of exp.metrics) {
      const history = await direct.getMetricHistory(run.info.runId, key);
      const got = history.map((p) => p.step);
      report.landed.metrics += got.length;
      const want = new Set(steps);
      const seen = new Set<number>();
      for (const s of got) {
        if (seen.has(s) || !want.has(s)) report.duplicated++;
        seen.add(s);
      }
      report.lost += steps.filter((s) => !seen.has(s)).length;
      for (let i = 1; i < got.length; i++) if (got[i] < got[i - 1]) report.outOfOrder++;
    }
    for (const [k, v] of Object.entries(exp.params)) {
      if (run.params[k] === v) report.landed.params++;
      else report.lost++;
    }
    for (const [k, v] of Object.entries(exp.tags)) {
      if (run.tags[k] === v) report.landed.tags++;
      else report.lost++;
    }
    for (const [path, bytes] of exp.artifacts) {
      try {
        const got = await direct.downloadArtifact(run.info.runId, path);
        if (got.length === bytes.length && got.every((b, i) => b === bytes[i])) {
          report.landed.artifacts++;
        } else report.badArtifacts++;
      } catch {
        report.lost++;
      }
    }
  }
  return report;
}
