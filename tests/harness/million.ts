// Copyright 2026 the evalhooks authors. MIT license.
// A million metrics logged in one tick to a healthy server with the default options, then read
// back: shared by tests/capacity_test.ts (on Deno and on Bun) and bench/memory.ts.

import process from "node:process";
import { createMlflow, DEFAULT_MAX_QUEUED_BYTES } from "../../mod.ts";

/** What the million found. */
export interface MillionReport {
  metrics: number;
  landed: number;
  dropped: number;
  /** The most the queue held, as the client counts it. */
  peakQueuedBytes: number;
  maxQueuedBytes: number;
  baseRssMiB: number;
  peakRssMiB: number;
  seconds: number;
  errors: string[];
}

/** Logs `n` metrics to one run in one tick, flushes, and reads the history back. */
export async function logMillionInOneTick(uri: string, n = 1_000_000): Promise<MillionReport> {
  const rss = () => process.memoryUsage().rss;
  const base = rss();
  let peak = base;
  let peakQueued = 0;
  const errors: string[] = [];
  const mlflow = createMlflow({
    trackingUri: uri,
    experimentName: `million-${crypto.randomUUID()}`,
    exitFlushMs: false,
    onError: (e) => errors.push(e.message),
  });
  const run = mlflow.startRun({ runName: "million" });
  const started = performance.now();
  for (let i = 0; i < n; i++) run.logMetric("sample/accuracy", i % 2, { step: i });
  peakQueued = mlflow.stats().queuedBytes;
  peak = Math.max(peak, rss());
  const sampler = setInterval(() => {
    peak = Math.max(peak, rss());
    peakQueued = Math.max(peakQueued, mlflow.stats().queuedBytes);
  }, 250);
  run.end();
  try {
    await mlflow.flush();
  } catch (error) {
    errors.push((error as Error).message);
  } finally {
    clearInterval(sampler);
  }
  const seconds = (performance.now() - started) / 1000;
  peak = Math.max(peak, rss());
  const landed = (await mlflow.getMetricHistory(run, "sample/accuracy")).length;
  const { dropped } = mlflow.stats();
  await mlflow.close();
  return {
    metrics: n,
    landed,
    dropped,
    peakQueuedBytes: peakQueued,
    maxQueuedBytes: DEFAULT_MAX_QUEUED_BYTES,
    baseRssMiB: base / 2 ** 20,
    peakRssMiB: peak / 2 ** 20,
    seconds,
    errors,
  };
}
