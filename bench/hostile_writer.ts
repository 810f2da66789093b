// Copyright 2026 the evalhooks authors. MIT license.
// One writer of the hostile phase (bench/hostile.ts): it logs runs whose names, start times and
// tags are the same as every other writer's, astral text in every field it can hold, a trace
// with scores per run, writes after `end()`, and ten concurrent flushes, then returns a manifest
// of what it logged for the reader to check. Run as a script (`deno run -A` or `bun`) it is one
// of the racing processes and prints its manifest as one JSON line.

import process from "node:process";
import { createMlflow, type MlflowError } from "../mod.ts";
import { seededRandom } from "../tests/harness/fault_proxy.ts";

/** What one writer logged for one run. */
export interface LoggedRun {
  /** The `hostile.key` param that names the run for the reader. */
  key: string;
  runName: string;
  params: Record<string, string>;
  /** A param longer than MLflow's limit, cut by the client: its value must be a prefix. */
  longParam: string;
  tags: Record<string, string>;
  metricKey: string;
  steps: number;
  textPath: string;
  text: string;
  traceName: string;
  rationale: string;
}

/** What one writer logged, and what it saw. */
export interface WriterManifest {
  label: string;
  runs: LoggedRun[];
  /** Every message the client reported (errors and warnings), for the leak count. */
  messages: string[];
  /** Errors that were not warnings. */
  failures: string[];
  flushCalls: number;
  flushRejected: number;
}

/** How a writer is set up. */
export interface WriterOptions {
  uri: string;
  experimentName: string;
  label: string;
  seed: number;
  /** Shared by every writer, so their runs race on one name, time and tags. */
  startTime: number;
  secret: string;
  runs: number;
}

// Astral and other hard text: emoji (surrogate pairs), CJK extension B (astral letters, legal
// in MLflow keys), combining marks, right-to-left, and a lone surrogate the client must repair.
const PIECES = [
  "😀",
  "🧪",
  "𝔘𝔫𝔦",
  "𠀀𠀁",
  "é",
  "ю",
  "中文",
  "עברית",
  "a",
  "b",
  " ",
  "\u{1F3F3}\uFE0F",
];

/** Random astral-heavy text; `lone` adds a lone surrogate somewhere. */
export function astral(random: () => number, length: number, lone = false): string {
  let s = "";
  while (s.length < length) s += PIECES[Math.floor(random() * PIECES.length)];
  return lone ? s + "\uD800" + PIECES[0] : s;
}

/** Logs `options.runs` runs as one racing writer and returns what it logged. */
export async function hostileWriter(options: WriterOptions): Promise<WriterManifest> {
  const random = seededRandom(options.seed);
  const messages: string[] = [];
  const failures: string[] = [];
  const mlflow = createMlflow({
    trackingUri: options.uri,
    experimentName: options.experimentName,
    headers: { "X-Api-Key": options.secret },
    retry: { maxElapsedMs: 120_000 },
    exitFlushMs: false,
    onError: (e: MlflowError) => {
      messages.push(`${e.name}: ${e.message} ${JSON.stringify(e)} ${e.stack ?? ""}`);
      if (!("truncated" in e && e.truncated)) failures.push(e.message);
    },
  });
  const runs: LoggedRun[] = [];
  let flushCalls = 0;
  let flushRejected = 0;
  for (let i = 0; i < options.runs; i++) {
    const key = `${options.label}-${i}`;
    // The same name, start time and tags in every writer: only our own id tells the runs apart.
    const runName = `race-${i} ${astral(seededRandom(i), 12)}`;
    const run = mlflow.startRun({
      runName,
      startTime: options.startTime + i,
      tags: { round: String(i), note: astral(seededRandom(100 + i), 20) },
    });
    const params: Record<string, string> = { "hostile.key": key };
    for (let p = 0; p < 4; p++) params[`p${p}`] = astral(random, 40, p === 1);
    const longParam = "x".repeat(5999) + "😀" + astral(random, 30);
    const tags: Record<string, string> = {};
    for (let t = 0; t < 4; t++) tags[`t${t}`] = astral(random, 60, t === 2);
    run.logParams({ ...params, long: longParam });
    run.setTags(tags);
    const metricKey = `m/𠀀${i % 3}`;
    const steps = 200;
    for (let s = 0; s < steps; s++) run.logMetric(metricKey, random(), { step: s });
    const textPath = `notes/${i}.txt`;
    const text = astral(random, 2000);
    run.logText(text, textPath);
    const traceName = `trace ${astral(random, 8)}`;
    const rationale = astral(random, 300, true);
    const root = mlflow.startTrace({
      name: traceName,
      run,
      inputs: { question: astral(random, 500, true) },
      tags: { "hostile.key": key },
    });
    root.startSpan({ name: astral(random, 6), inputs: astral(random, 50) })
      .end({ outputs: astral(random, 50) });
    root.end({ outputs: { answer: astral(random, 800) } });
    mlflow.logFeedback({ traceId: root.traceId, name: "quality", value: 0.5, rationale });
    mlflow.logExpectation({ traceId: root.traceId, name: "expected", value: astral(random, 30) });
    await run.end();
    // Writes after end(): delivered, and waited for by flush().
    run.logMetric("after_end", 1, { step: 0 });
    run.setTag("after_end", astral(random, 10));
    runs.push({
      key,
      runName,
      params: Object.fromEntries(Object.entries(params).map(([k, v]) => [k, v.toWellFormed()])),
      longParam,
      tags: Object.fromEntries(Object.entries(tags).map(([k, v]) => [k, v.toWellFormed()])),
      metricKey,
      steps,
      textPath,
      text,
      traceName,
      rationale: rationale.toWellFormed(),
    });
    // Ten flushes at once: all resolve, or (if a write failed for good) all reject.
    const flushes = await Promise.allSettled(Array.from({ length: 10 }, () => mlflow.flush()));
    flushCalls += flushes.length;
    flushRejected += flushes.filter((f) => f.status === "rejected").length;
    await new Promise((r) => setTimeout(r, 300 + random() * 700));
  }
  await mlflow.close().catch(() => {});
  return { label: options.label, runs, messages, failures, flushCalls, flushRejected };
}

if (import.meta.main) {
  const [uri, experimentName, label, seed, startTime, runs] = process.argv.slice(2);
  const manifest = await hostileWriter({
    uri,
    experimentName,
    label,
    seed: Number(seed),
    startTime: Number(startTime),
    secret: process.env.HOSTILE_SECRET ?? "",
    runs: Number(runs),
  });
  console.log(JSON.stringify(manifest));
}
