// Copyright 2026 the evalhooks authors. MIT license.
// The hot path timed with performance.now(), so the same numbers can be taken on Deno and Bun
// (Bun has no `deno bench`). Prints one JSON line: nanoseconds per call, median of 15 rounds.

import { createMlflow, type EvalSample, mlflowHooks } from "../mod.ts";

const okFetch: typeof fetch = () => Promise.resolve(new Response("{}", { status: 200 }));
const mlflow = createMlflow({
  trackingUri: "http://bench.invalid",
  fetch: okFetch,
  onError: () => {},
});
const run = mlflow.startRun({ runName: "bench", experimentId: "0" });
const ten = Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`sample/score_${i}`, 0.5]));

async function time(
  name: string,
  calls: number,
  body: (i: number) => void,
): Promise<[string, number]> {
  const rounds: number[] = [];
  for (let r = 0; r < 17; r++) {
    const t0 = performance.now();
    for (let i = 0; i < calls; i++) body(i);
    const t1 = performance.now();
    await mlflow.flush().catch(() => {});
    if (r >= 2) rounds.push(((t1 - t0) * 1e6) / calls); // two warm-up rounds
  }
  rounds.sort((a, b) => a - b);
  return [name, rounds[Math.floor(rounds.length / 2)]];
}

// The hooks on a run that exists: what an eval pays per finished sample with 3 scores
// (tables and a trace are built too, with the default settings).
const hooks = mlflowHooks({ mlflow, experimentName: "bench", env: {}, onError: () => {} });
hooks.onRunStart({ run_id: "bench-run-000001", task_names: ["bench"] });
hooks.onTaskStart({
  run_id: "bench-run-000001",
  eval_id: "bench-eval",
  spec: {
    eval_id: "bench-eval",
    run_id: "bench-run-000001",
    created: new Date().toISOString(),
    task: "bench",
    model: "m",
  },
});
const sample = (i: number): EvalSample => ({
  id: i,
  epoch: 1,
  input: "What is 2 + 2?",
  target: "4",
  scores: {
    match: { value: "C" },
    includes: { value: "C" },
    f1: { value: 0.75, explanation: "partial overlap" },
  },
  total_time: 0.5,
  working_time: 0.4,
  output: { choices: [{ message: { role: "assistant", content: "4" } }] },
});

const results = Object.fromEntries([
  await time("logMetric", 10_000, (i) => run.logMetric("sample/accuracy", 0.5, { step: i })),
  await time("logMetrics (10 keys)", 2_000, (i) => run.logMetrics(ten, { step: i })),
  await time("setTag", 10_000, (i) => run.setTag("status", i & 1 ? "a" : "b")),
  await time(
    "hooks.onSampleEnd (3 scores)",
    2_000,
    (i) =>
      hooks.onSampleEnd({
        run_id: "bench-run-000001",
        eval_id: "bench-eval",
        sample_id: `s${i}`,
        sample: sample(i),
      }),
  ),
]);
console.log(JSON.stringify(results));
